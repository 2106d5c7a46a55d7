package scheduler

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// Run ticks once at start (catching up whatever a downtime missed), then on
// every session edge of the policy (open, remind, close, in the pemda's time
// zone) and once a minute, until ctx is done. It returns when the last
// running Tick has finished.
//
// cron is only the wake-up source: it never catches up missed runs and its
// jobs carry no state, so all decisions are Tick's.
func (s *Scheduler) Run(ctx context.Context) error {
	log := s.cfg.Logger
	tick := func() {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			log.Error().Err(err).Msg("tick")
		}
	}
	c := cron.New(
		cron.WithLocation(s.cfg.Policy.Location),
		cron.WithLogger(cronLogger{log}),
		cron.WithChain(cron.SkipIfStillRunning(cronLogger{log}), cron.Recover(cronLogger{log})),
	)
	specs := append(Specs(s.cfg.Policy), "@every 1m")
	for _, spec := range specs {
		if _, err := c.AddFunc(spec, tick); err != nil {
			return fmt.Errorf("schedule %q: %w", spec, err)
		}
	}
	tick()
	c.Start()
	log.Info().Int("entries", len(specs)).Msg("scheduler started")
	<-ctx.Done()
	<-c.Stop().Done()
	log.Info().Msg("scheduler stopped")
	return nil
}

// Specs returns the cron specs (minute hour * * weekday) of every session
// edge in the policy, in the policy's zone, deduplicated and sorted.
func Specs(p apel.Policy) []string {
	set := map[string]bool{}
	for wd, r := range p.Days {
		for _, c := range []apel.Clock{r.Pagi, r.Sore} {
			// Any date with that weekday gives the edges' wall-clock times.
			d := apel.Date{Year: 2026, Month: time.January, Day: 4 + int(wd)} // 4 Jan 2026 is a Sunday
			at := d.At(c, time.UTC)
			for _, edge := range []time.Time{
				at.Add(-p.Window.OpenBefore),
				at.Add(p.Window.CloseAfter).Add(-p.Window.RemindBefore),
				at.Add(p.Window.CloseAfter),
			} {
				set[fmt.Sprintf("%d %d * * %d", edge.Minute(), edge.Hour(), edge.Weekday())] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// cronLogger routes cron's logging into zerolog.
type cronLogger struct{ l zerolog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	c.l.Debug().Fields(kv).Msg("cron " + msg)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error().Err(err).Fields(kv).Msg("cron " + msg)
}
