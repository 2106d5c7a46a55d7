package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// open creates the sessions of slot for every OPD and queues the prompt for
// each bound group that has none queued yet.
func (s *Scheduler) open(ctx context.Context, slot apel.Slot) error {
	groups, err := s.cfg.Store.Groups(ctx)
	if err != nil {
		return fmt.Errorf("list groups: %w", err)
	}
	var errs []error
	for _, o := range s.cfg.OPDs {
		ss, created, err := s.cfg.Store.OpenSession(ctx, apel.Session{OPD: o.Code, Slot: slot})
		if err != nil {
			errs = append(errs, fmt.Errorf("open session %s %s: %w", o.Code, slot.Kind, err))
			continue
		}
		log := zerolog.Ctx(ctx).With().Str("job", "open").Int64("session_id", ss.ID).Logger()
		if created {
			log.Info().Str("opd", o.Code).Str("kind", string(slot.Kind)).Msg("session opened")
		}
		chat, bound := groups[o.Code]
		if !bound || ss.ChatID != 0 {
			continue
		}
		ss.ChatID = chat
		t, err := s.tally(ctx, ss)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// Queue first, record second: a prompt queued twice is posted once.
		if err := s.cfg.Messenger.PostPrompt(ctx, ss, o, t); err != nil {
			errs = append(errs, fmt.Errorf("post prompt %s %s: %w", o.Code, slot.Kind, err))
			continue
		}
		if err := s.cfg.Store.MarkPromptQueued(ctx, ss.ID, chat); err != nil {
			errs = append(errs, fmt.Errorf("record prompt: %w", err))
			continue
		}
		if err := s.cfg.Store.SetShown(ctx, ss.ID, t.Present); err != nil {
			errs = append(errs, fmt.Errorf("record progress: %w", err))
		}
		log.Info().Int64("chat_id", chat).Msg("prompt queued")
	}
	return errors.Join(errs...)
}

// tally computes the roll of ss so far.
func (s *Scheduler) tally(ctx context.Context, ss apel.Session) (apel.Tally, error) {
	r, err := s.roll(ctx, ss)
	if err != nil {
		return apel.Tally{}, err
	}
	_, t := apel.Roll(ss, r.emps, r.cis, r.xs, r.cs)
	return t, nil
}

// progress edits each posted prompt of slot whose check-in count changed
// since it was last shown. Called once a minute at most by the wake-ups, so
// a group sees far fewer edits than Telegram's 20 per minute.
func (s *Scheduler) progress(ctx context.Context, slot apel.Slot) error {
	sessions, err := s.sessionsOf(ctx, slot)
	if err != nil {
		return err
	}
	var errs []error
	for _, ss := range sessions {
		if ss.MessageID == 0 || ss.Closed {
			continue
		}
		t, err := s.tally(ctx, ss)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if t.Present == ss.Shown {
			continue
		}
		if err := s.cfg.Messenger.ShowProgress(ctx, ss, s.opds[ss.OPD], t); err != nil {
			errs = append(errs, fmt.Errorf("show progress of session %d: %w", ss.ID, err))
			continue
		}
		if err := s.cfg.Store.SetShown(ctx, ss.ID, t.Present); err != nil {
			errs = append(errs, fmt.Errorf("record progress: %w", err))
		}
	}
	return errors.Join(errs...)
}

// batchReminder is a Messenger that queues a session's reminders at once
// (one durable write for them all); the bot is one.
type batchReminder interface {
	RemindAll(ctx context.Context, es []apel.Employee, s apel.Session) error
}

// remind queues a private reminder, once per session, to every registered
// employee who has neither checked in nor been excused.
func (s *Scheduler) remind(ctx context.Context, slot apel.Slot, now time.Time) error {
	sessions, err := s.sessionsOf(ctx, slot)
	if err != nil {
		return err
	}
	var errs []error
	for _, ss := range sessions {
		if ss.Closed || ss.Reminded {
			continue
		}
		// Read, queue, then claim: anything failing leaves the session
		// unclaimed, and the next Tick queues again (each reminder is
		// delivered once whatever the number of times it was queued).
		r, err := s.roll(ctx, ss)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rows, _ := apel.Roll(ss, r.emps, r.cis, r.xs, r.cs)
		var due []apel.Employee
		for _, a := range rows {
			if a.Status == apel.StatusPending && a.Employee.Registered() {
				due = append(due, a.Employee)
			}
		}
		n, failed := 0, false
		if all, ok := s.cfg.Messenger.(batchReminder); ok && len(due) > 0 {
			if err := all.RemindAll(ctx, due, ss); err != nil {
				errs = append(errs, fmt.Errorf("remind session %d: %w", ss.ID, err))
				failed = true
			}
			n = len(due)
		} else {
			for _, e := range due {
				if err := s.cfg.Messenger.Remind(ctx, e, ss); err != nil {
					errs = append(errs, fmt.Errorf("remind employee %d: %w", e.ID, err))
					failed = true
					continue
				}
				n++
			}
		}
		if failed {
			continue
		}
		first, err := s.cfg.Store.MarkReminded(ctx, ss.ID, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("mark reminded: %w", err))
			continue
		}
		if first {
			zerolog.Ctx(ctx).Info().Str("job", "remind").Int64("session_id", ss.ID).Int("reminded", n).Msg("reminders queued")
		}
	}
	return errors.Join(errs...)
}

// close closes every open session of slot, after queuing the final state of
// its group prompt and the summary for each head of the OPD.
func (s *Scheduler) close(ctx context.Context, slot apel.Slot, now time.Time) error {
	sessions, err := s.sessionsOf(ctx, slot)
	if err != nil {
		return err
	}
	// After the day's last apel, the heads also learn who has not sent the
	// day's activity report.
	var activities map[int64][]apel.Activity
	if slots := s.cfg.Policy.Slots(slot.Date); len(slots) > 0 && slots[len(slots)-1].Kind == slot.Kind && len(sessions) > 0 {
		if activities, err = s.activities(ctx, slot.Date); err != nil {
			return err
		}
	}
	var errs []error
	for _, ss := range sessions {
		if ss.Closed {
			continue
		}
		// Read, queue, then claim: anything failing leaves the session open
		// for the next Tick, which queues again (each message is delivered
		// once whatever the number of times it was queued).
		d, wait, err := s.disruption(ctx, ss, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if wait {
			zerolog.Ctx(ctx).Info().Str("job", "close").Int64("session_id", ss.ID).Time("outage_from", d.From).
				Msg("close waits: outage going on or updates still to handle")
			continue
		}
		ss.Disruption = d
		r, err := s.roll(ctx, ss)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		emps := r.emps
		heads, err := s.cfg.Store.Heads(ctx, ss.OPD)
		if err != nil {
			errs = append(errs, fmt.Errorf("list heads of %s: %w", ss.OPD, err))
			continue
		}
		ss.Closed = true
		opd := s.opds[ss.OPD]
		sum := apel.Summarize(opd, ss, emps, r.cis, r.xs, r.cs)
		if activities != nil {
			if sum.NoActivity, err = s.noActivity(ctx, opd, ss.Date, emps, activities); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		var failed []error
		if ss.MessageID != 0 {
			if err := s.cfg.Messenger.ShowProgress(ctx, ss, opd, sum.Tally); err != nil {
				failed = append(failed, fmt.Errorf("show final progress of session %d: %w", ss.ID, err))
			}
		}
		for _, h := range heads {
			if !h.Registered() {
				continue
			}
			if err := s.cfg.Messenger.SendSummary(ctx, h, sum); err != nil {
				failed = append(failed, fmt.Errorf("send summary to employee %d: %w", h.ID, err))
			}
		}
		if len(failed) > 0 {
			errs = append(errs, failed...)
			continue
		}
		if err := s.cfg.Store.MarkDisrupted(ctx, ss.ID, d); err != nil {
			errs = append(errs, err)
			continue
		}
		first, err := s.cfg.Store.CloseSession(ctx, ss.ID, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("close session %d: %w", ss.ID, err))
			continue
		}
		if !first {
			continue
		}
		zerolog.Ctx(ctx).Info().Str("job", "close").Int64("session_id", ss.ID).
			Int("present", sum.Tally.Present).Int("absent", sum.Tally.Absent).
			Int("not_judged", sum.Tally.NotJudged).Bool("disrupted", ss.Disrupted()).Msg("session closed")
	}
	return errors.Join(errs...)
}

// disruption returns the outage that disrupted session ss, and whether its
// close must wait: while the outage is still going on, or updates fetched
// after it are still to be handled, on the session's own date, since a
// check-in sent in time may yet arrive and be judged. The summary then
// counts it; the messages the close queues could not go out meanwhile
// anyway. From the next day on it closes whatever the state.
func (s *Scheduler) disruption(ctx context.Context, ss apel.Session, now time.Time) (apel.Disruption, bool, error) {
	os, err := s.cfg.Store.Outages(ctx, ss.Opens, ss.Closes)
	if err != nil {
		return apel.Disruption{}, false, fmt.Errorf("outages of session %d: %w", ss.ID, err)
	}
	d := apel.Disrupt(ss.Opens, ss.Closes, os)
	if d.IsZero() || apel.DateOf(now, s.cfg.Policy.Location) != ss.Date {
		return d, false, nil
	}
	if d.To.IsZero() {
		return d, true, nil
	}
	n, err := s.cfg.Store.Backlog(ctx)
	if err != nil {
		return apel.Disruption{}, false, fmt.Errorf("update backlog: %w", err)
	}
	return d, n > 0, nil
}

// report queues the daily report of d once, after the day's last session
// has closed. A failure to queue is retried by the next Tick.
func (s *Scheduler) report(ctx context.Context, d apel.Date, now time.Time) error {
	key := "report:" + d.String()
	done, err := s.cfg.Store.Done(ctx, key)
	if err != nil || done {
		return err
	}
	// The plan of the date, from the records of its week so far: the
	// report shows it next to what the sessions saw.
	day, f, err := s.cfg.Store.DayAndFacts(ctx, d, s.cfg.OPDs)
	if err != nil {
		return fmt.Errorf("load day %s: %w", d, err)
	}
	r := apel.CompileDailyReport(s.cfg.Pemda, day).WithPlan(s.cfg.Policy, f).WithActivity(day, s.cfg.Policy, f).WithFlags(day)
	if err := s.cfg.Messenger.SendDailyReport(ctx, r, day); err != nil {
		return fmt.Errorf("send daily report %s: %w", d, err)
	}
	if _, err := s.cfg.Store.MarkDone(ctx, key, now); err != nil {
		return fmt.Errorf("mark report sent: %w", err)
	}
	zerolog.Ctx(ctx).Info().Str("job", "report").Msg("daily report queued")
	return nil
}

// activities returns the activity reports of d by employee ID, never nil.
func (s *Scheduler) activities(ctx context.Context, d apel.Date) (map[int64][]apel.Activity, error) {
	as, err := s.cfg.Store.Activities(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("list activity reports of %s: %w", d, err)
	}
	out := make(map[int64][]apel.Activity, len(as))
	for _, a := range as {
		out[a.EmployeeID] = append(out[a.EmployeeID], a)
	}
	return out, nil
}

// noActivity lists the staff of opd who owe the activity report of d (the
// plan has them off-site) and have not sent it.
func (s *Scheduler) noActivity(ctx context.Context, opd apel.OPD, d apel.Date, staff []apel.Employee, byEmployee map[int64][]apel.Activity) ([]apel.Employee, error) {
	f, err := s.cfg.Store.Facts(ctx, opd.Code, apel.MondayOf(d), d)
	if err != nil {
		return nil, fmt.Errorf("load plan records of %s: %w", opd.Code, err)
	}
	var acts []apel.Activity
	for _, e := range staff {
		acts = append(acts, byEmployee[e.ID]...)
	}
	missing, _ := apel.ActivityRoll(s.cfg.Policy.Plan(opd, d, f), staff, acts)
	return missing, nil
}
