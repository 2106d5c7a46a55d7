package bot

import (
	"context"
	"sync"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// contactEvery is how often a healthy bot writes its last contact with
// Telegram to the store: often enough that a restart measures the time it
// was down to within a minute, rarely enough to cost nothing.
const contactEvery = time.Minute

// liveness follows the bot's contact with Telegram and records outages in
// the store: a run of failed calls longer than the threshold (recorded as
// going on once it is that long, ended by the next success), and the time
// the process itself was down (from the last contact the store saw to the
// first after the start). A quiet period with successful calls is never an
// outage.
type liveness struct {
	mu     sync.Mutex
	rule   apel.Liveness
	lastOK time.Time // last successful contact
	saved  time.Time // last contact written to the store
	open   time.Time // From of the ongoing outage recorded, zero when none
	loaded bool      // lastOK was read from the store (the first contact of the process is next)
	failed bool      // a call failed since lastOK
}

// started notes the start of the process at now: when the last contact
// the store kept is older than the threshold, the bot was down, and the
// outage is recorded as going on until the first updates are fetched and
// saved (contact), so that a session closing meanwhile waits for them.
func (b *Bot) started(ctx context.Context, now time.Time) {
	l := &b.live
	l.mu.Lock()
	defer l.mu.Unlock()
	last, err := b.cfg.Store.LastContact(ctx)
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("read last contact")
	}
	l.lastOK, l.saved, l.loaded = last, last, true
	if _, ok := l.rule.Current(last, now); !ok {
		return
	}
	if err := b.cfg.Store.RecordOutageStart(ctx, last); err != nil {
		b.cfg.Logger.Error().Err(err).Msg("record outage start")
		return
	}
	l.open = last
	b.cfg.Logger.Warn().Time("from", last).Msg("outage: the bot was down")
}

// contact notes a successful contact with Telegram at now (a getUpdates
// answer, the getMe at start, a webhook update). The first contact of a
// process is measured against the last one the store kept.
func (b *Bot) contact(ctx context.Context, now time.Time) {
	l := &b.live
	l.mu.Lock()
	defer l.mu.Unlock()
	first := !l.loaded
	if first {
		last, err := b.cfg.Store.LastContact(ctx)
		if err != nil {
			b.cfg.Logger.Error().Err(err).Msg("read last contact")
		}
		l.lastOK, l.saved, l.loaded = last, last, true
	}
	// Only a restart or failed calls make a gap an outage: between two
	// answers of a running poller, time passes without anyone being cut
	// off (and tests move their clock by hours).
	gap, ok := l.rule.Gap(l.lastOK, now)
	ok = ok && (first || l.failed)
	l.failed = false
	var o apel.Outage
	switch {
	case !l.open.IsZero():
		o = apel.Outage{From: l.open, To: now}
	case ok:
		o = gap
	case now.Sub(l.saved) < contactEvery && !l.saved.IsZero():
		if now.After(l.lastOK) {
			l.lastOK = now
		}
		return
	}
	if err := b.cfg.Store.RecordContact(ctx, now, o); err != nil {
		b.cfg.Logger.Error().Err(err).Msg("record contact")
		return
	}
	if !o.From.IsZero() {
		b.cfg.Logger.Warn().Time("from", o.From).Time("to", o.To).Dur("gap", o.To.Sub(o.From)).
			Msg("outage: no contact with telegram")
	}
	l.open, l.saved = time.Time{}, now
	if now.After(l.lastOK) {
		l.lastOK = now
	}
}

// failure notes a failed call to Telegram at now. Once the calls have
// failed for longer than the threshold, the outage is recorded as going on,
// so that a session closing meanwhile knows of it.
func (b *Bot) failure(ctx context.Context, now time.Time) {
	l := &b.live
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failed = true
	if !l.open.IsZero() || l.lastOK.IsZero() {
		return
	}
	if _, ok := l.rule.Current(l.lastOK, now); !ok {
		return
	}
	if err := b.cfg.Store.RecordOutageStart(ctx, l.lastOK); err != nil {
		b.cfg.Logger.Error().Err(err).Msg("record outage start")
		return
	}
	l.open = l.lastOK
	b.cfg.Logger.Warn().Time("from", l.lastOK).Msg("outage: telegram unreachable")
}

// heartbeat notes contact every contactEvery until ctx is done: webhook
// mode's sign of life, where no call is made regularly.
func (b *Bot) heartbeat(ctx context.Context) {
	t := time.NewTicker(contactEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.contact(ctx, b.cfg.Now())
		}
	}
}
