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
	MarkPromptQueued(ctx context.Context, sessionID int64, chatID int64) error
	Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error)
	CloseSession(ctx context.Context, id int64, at time.Time) (bool, error)
	MarkReminded(ctx context.Context, id int64, at time.Time) (bool, error)
	SetShown(ctx context.Context, id int64, count int) error
	EmployeesOf(ctx context.Context, opd string) ([]apel.Employee, error)
	CheckInsOf(ctx context.Context, sessionID int64) ([]apel.CheckIn, error)
	Excuses(ctx context.Context, d apel.Date) ([]apel.Excuse, error)
	Heads(ctx context.Context, opd string) ([]apel.Employee, error)
	// Facts are the person records the policy engine plans with, of every
	// OPD when opd is "", from one date to another.
	Facts(ctx context.Context, opd string, from, to apel.Date) (apel.Facts, error)
	// DayAndFacts is Day and Facts("", apel.MondayOf(d), d), read
	// together: the records of the daily report and of the plan it shows.
	DayAndFacts(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, apel.Facts, error)
	// Activities are the activity reports (laporan kegiatan) of a date.
	Activities(ctx context.Context, d apel.Date) ([]apel.Activity, error)
	// Corrections are the corrections of the sessions of a date.
	Corrections(ctx context.Context, d apel.Date) ([]apel.Correction, error)
	// Outages are the outages overlapping a period, ongoing ones included;
	// MarkDisrupted records the one that disrupted a session; Backlog is
	// the number of updates saved but not yet handled.
	Outages(ctx context.Context, from, to time.Time) ([]apel.Outage, error)
	MarkDisrupted(ctx context.Context, id int64, d apel.Disruption) error
	Backlog(ctx context.Context) (int, error)
	MarkDone(ctx context.Context, key string, at time.Time) (bool, error)
	Done(ctx context.Context, key string) (bool, error)
	PurgeHomePoints(ctx context.Context, before, at time.Time) (int, error)
	PurgeForeignLocations(ctx context.Context, before time.Time) (int, error)
}

// Messenger delivers what the scheduler decided. The bot implements it; the
// scheduler never formats text.
//
// Except ShowProgress of an open session, every method queues its message
// durably and returns: nil means the message will be delivered (across a
// restart too), not that it has been. Queuing the same message again (the
// same session, and person or chat) must deliver it once, so the scheduler
// queues first and records the step done after, and a step cut off in
// between is simply queued again.
type Messenger interface {
	// PostPrompt queues the roll-call prompt of s for the OPD's group
	// s.ChatID. Once it is posted, the messenger records its message id on
	// the session in the store (the scheduler never learns it directly).
	PostPrompt(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error
	// ShowProgress edits the group prompt of s (s.MessageID) to show the
	// tally: at once while s is open, queued once s is closed.
	ShowProgress(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error
	// Remind queues a private reminder to e that s closes soon.
	Remind(ctx context.Context, e apel.Employee, s apel.Session) error
	// SendSummary queues for an OPD head the summary of a closed session.
	SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error
	// SendDailyReport queues the pemda's daily report r for BKPSDM and the
	// configured recipients, and sends BKPSDM the report as documents made
	// from day, the records r was compiled from.
	SendDailyReport(ctx context.Context, r apel.DailyReport, day apel.Day) error
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
	// Retention is how long the coordinates of superseded and rejected
	// home points are kept; once a day Tick purges older ones. 0 keeps them.
	Retention time.Duration
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
// errors it met, joined; a failed step is retried by the next Tick (a step
// is recorded done only after its messages are queued).
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
	errs = append(errs, s.purge(ctx, today, now))
	return errors.Join(errs...)
}

// purge deletes, once a day, the coordinates of superseded and rejected home
// points older than the retention period, and the locations refused
// accounts sent (they flagged a check-in; the flag stays): personal data
// (UU 27/2022), kept only while they serve attendance.
func (s *Scheduler) purge(ctx context.Context, today apel.Date, now time.Time) error {
	if s.cfg.Retention <= 0 {
		return nil
	}
	key := "purge:" + today.String()
	done, err := s.cfg.Store.Done(ctx, key)
	if err != nil || done {
		return err
	}
	before := now.Add(-s.cfg.Retention)
	n, err := s.cfg.Store.PurgeHomePoints(ctx, before, now)
	if err != nil {
		return fmt.Errorf("purge home points: %w", err)
	}
	foreign, err := s.cfg.Store.PurgeForeignLocations(ctx, before)
	if err != nil {
		return fmt.Errorf("purge foreign locations: %w", err)
	}
	if _, err := s.cfg.Store.MarkDone(ctx, key, now); err != nil {
		return fmt.Errorf("mark purge done: %w", err)
	}
	s.cfg.Logger.Info().Str("job", "purge").Int("home_points", n).Int("foreign_locations", foreign).
		Dur("retention", s.cfg.Retention).Msg("old personal location data purged")
	return nil
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

// records are what a session's roll is computed from.
type records struct {
	emps []apel.Employee
	cis  []apel.CheckIn
	xs   []apel.Excuse
	cs   []apel.Correction
}

// roll reads the records of session ss so far.
func (s *Scheduler) roll(ctx context.Context, ss apel.Session) (records, error) {
	var r records
	var err error
	if r.emps, err = s.cfg.Store.EmployeesOf(ctx, ss.OPD); err != nil {
		return records{}, fmt.Errorf("list employees of %s: %w", ss.OPD, err)
	}
	if r.cis, err = s.cfg.Store.CheckInsOf(ctx, ss.ID); err != nil {
		return records{}, fmt.Errorf("list check-ins of session %d: %w", ss.ID, err)
	}
	if r.xs, err = s.cfg.Store.Excuses(ctx, ss.Date); err != nil {
		return records{}, fmt.Errorf("list excuses: %w", err)
	}
	if r.cs, err = s.cfg.Store.Corrections(ctx, ss.Date); err != nil {
		return records{}, fmt.Errorf("list corrections: %w", err)
	}
	return r, nil
}
