// Package scheduler runs the timed side of the apel day: it opens each
// session and posts the group prompts, refreshes their progress, reminds
// whoever has not checked in, closes the sessions with a summary for each OPD
// head, and sends the pemda's daily report.
//
// Every job is derived from the configuration and the store at the current
// time by Tick, and every step records that it is done in the store, so Tick
// is idempotent: cron only wakes it up, a restart simply calls it again (which
// is how missed runs are caught up), and tests call it directly.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// Store is the persistence the scheduler needs. *store.DB implements it.
type Store interface {
	Groups(ctx context.Context) (map[string]int64, error)
	OpenSession(ctx context.Context, s apel.Session) (apel.Session, bool, error)
	SetPrompt(ctx context.Context, sessionID int64, chatID int64, messageID int) error
	Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error)
	CloseSession(ctx context.Context, id int64, at time.Time) (bool, error)
	MarkReminded(ctx context.Context, id int64, at time.Time) (bool, error)
	SetShown(ctx context.Context, id int64, count int) error
	EmployeesOf(ctx context.Context, opd string) ([]apel.Employee, error)
	CheckInsOf(ctx context.Context, sessionID int64) ([]apel.CheckIn, error)
	Excuses(ctx context.Context, d apel.Date) ([]apel.Excuse, error)
	Heads(ctx context.Context, opd string) ([]apel.Employee, error)
	Day(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, error)
	MarkDone(ctx context.Context, key string, at time.Time) (bool, error)
	Done(ctx context.Context, key string) (bool, error)
}

// Messenger delivers what the scheduler decided. The bot implements it; the
// scheduler never formats text.
type Messenger interface {
	// PostPrompt posts the roll-call prompt of s into the OPD's group and
	// returns the message id.
	PostPrompt(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) (int, error)
	// ShowProgress edits the group prompt of s to show the tally so far.
	ShowProgress(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error
	// Remind tells e in private that s closes soon.
	Remind(ctx context.Context, e apel.Employee, s apel.Session) error
	// SendSummary gives an OPD head the summary of a closed session.
	SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error
	// SendDailyReport sends the pemda's daily report to BKPSDM and the
	// configured recipients.
	SendDailyReport(ctx context.Context, r apel.DailyReport) error
}

// Config holds what a Scheduler needs.
type Config struct {
	Pemda     string
	Policy    apel.Policy
	OPDs      []apel.OPD
	Store     Store
	Messenger Messenger
	Logger    zerolog.Logger
	Now       func() time.Time // defaults to time.Now
}

// Scheduler runs the apel day. Create it with New.
type Scheduler struct {
	cfg  Config
	opds map[string]apel.OPD
	mu   sync.Mutex // one Tick at a time
}

// New returns a Scheduler for cfg.
func New(cfg Config) *Scheduler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Scheduler{cfg: cfg, opds: make(map[string]apel.OPD, len(cfg.OPDs))}
	for _, o := range cfg.OPDs {
		s.opds[o.Code] = o
	}
	return s
}

// Tick does whatever is due at the scheduler's current time and returns the
// errors it met, joined; a failed step is retried by the next Tick where it
// is safe to do so (prompts, progress, the daily report).
//
// Tick also finishes the previous date: sessions left open and a report not
// sent (the bot was down over the evening, or the report kept failing until
// midnight) are closed and sent on the next day's first Tick. A date on which
// no session was ever opened gets no catch-up report.
func (s *Scheduler) Tick(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	today := apel.DateOf(now, s.cfg.Policy.Location)
	var errs []error
	for _, d := range []apel.Date{today.AddDays(-1), today} {
		log := s.cfg.Logger.With().Str("day", d.String()).Logger()
		errs = append(errs, s.day(log.WithContext(ctx), d, now, d != today))
	}
	return errors.Join(errs...)
}

// day runs the due steps of date d at now. catchUp marks an earlier date,
// which is only finished, never started.
func (s *Scheduler) day(ctx context.Context, d apel.Date, now time.Time, catchUp bool) error {
	slots := s.cfg.Policy.Slots(d)
	if len(slots) == 0 {
		return nil
	}
	if catchUp {
		held, err := s.cfg.Store.Sessions(ctx, d)
		if err != nil {
			return fmt.Errorf("list sessions of %s: %w", d, err)
		}
		if len(held) == 0 {
			return nil
		}
	}
	var errs []error
	for _, slot := range slots {
		if now.Before(slot.Opens) {
			continue
		}
		if now.Before(slot.Closes) {
			errs = append(errs, s.open(ctx, slot))
			errs = append(errs, s.progress(ctx, slot))
			if !now.Before(slot.RemindAt) {
				errs = append(errs, s.remind(ctx, slot, now))
			}
			continue
		}
		errs = append(errs, s.close(ctx, slot, now))
	}
	if !now.Before(slots[len(slots)-1].Closes) {
		errs = append(errs, s.report(ctx, d, now))
	}
	return errors.Join(errs...)
}

// sessionsOf returns the stored sessions of slot's date and kind.
func (s *Scheduler) sessionsOf(ctx context.Context, slot apel.Slot) ([]apel.Session, error) {
	all, err := s.cfg.Store.Sessions(ctx, slot.Date)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	var out []apel.Session
	for _, ss := range all {
		if ss.Kind == slot.Kind {
			out = append(out, ss)
		}
	}
	return out, nil
}

// roll returns the attendance tally of session ss so far.
func (s *Scheduler) roll(ctx context.Context, ss apel.Session) ([]apel.Employee, []apel.CheckIn, []apel.Excuse, error) {
	emps, err := s.cfg.Store.EmployeesOf(ctx, ss.OPD)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list employees of %s: %w", ss.OPD, err)
	}
	cis, err := s.cfg.Store.CheckInsOf(ctx, ss.ID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list check-ins of session %d: %w", ss.ID, err)
	}
	xs, err := s.cfg.Store.Excuses(ctx, ss.Date)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list excuses: %w", err)
	}
	return emps, cis, xs, nil
}
