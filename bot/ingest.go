package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// The check-in path. At 07.30 a whole pemda sends its location within
// minutes, so the locations of a batch of updates are handled together:
// the records they need are read with one query per kind, each person is
// judged, and the check-ins, the replies (in the durable outbox) and the
// inbox updates marked done are written in one transaction: one durable
// commit for the batch instead of one per person (group commit). A
// location update on its own (the webhook, or one that had to wait behind
// an earlier update of its sender) takes the same path as a batch of one.

// location is a location message of a registered person that the check-in
// path handles.
type location struct {
	updateID int64
	m        *models.Message
	emp      apel.Employee
	log      zerolog.Logger
}

// batchable returns the location message of u that the batch path may
// take: a location sent in a private chat. Everything else goes through
// the router.
func batchable(u *models.Update) *models.Message {
	m := u.Message
	if m == nil || m.Location == nil || m.From == nil || m.Chat.Type != models.ChatTypePrivate || m.MigrateToChatID != 0 {
		return nil
	}
	return m
}

// checkInWork is the check-in path's part of a batch: its locations,
// judged and ready to record.
type checkInWork struct {
	locs  []*location
	vs    []verdict
	taken []decoded // the updates of locs
	now   time.Time
}

// judgeBatch judges the location updates of a batch (at most one per
// sender, each the first of its sender's updates) and returns the work of
// recording them, nil when it takes none, and the updates it leaves to the
// router: unregistered senders, people whose next location is their home
// point, and all of them when what they need could not be read.
func (b *Bot) judgeBatch(ctx context.Context, ups []decoded) (w *checkInWork, rest []decoded) {
	defer func() {
		if r := recover(); r != nil {
			b.cfg.Logger.Error().Err(fmt.Errorf("panic: %v", r)).Bytes("stack", debug.Stack()).Msg("check-in batch panicked")
			w, rest = nil, ups // the router's recover middleware answers each one
		}
	}()
	now := b.cfg.Now()
	ids := make([]int64, len(ups))
	for i, u := range ups {
		ids[i] = u.upd.Message.From.ID
	}
	var emps map[int64]apel.Employee
	var awaiting map[int64]string
	err := parallel(
		func() (err error) { emps, err = b.cfg.Store.EmployeesByTelegram(ctx, ids); return err },
		func() (err error) { awaiting, err = b.cfg.Store.AwaitingOf(ctx, ids, now); return err },
	)
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("check-in batch: load employees")
		return nil, ups
	}
	w = &checkInWork{now: now}
	for _, u := range ups {
		m := u.upd.Message
		emp, ok := emps[m.From.ID]
		if !ok || awaiting[m.From.ID] == awaitingHome {
			rest = append(rest, u)
			continue
		}
		w.taken = append(w.taken, u)
		w.locs = append(w.locs, &location{updateID: u.in.ID, m: m, emp: emp, log: b.updateLogger(u.upd)})
	}
	if len(w.locs) == 0 {
		return nil, rest
	}
	if w.vs, err = b.judgeLocations(ctx, w.locs, now); err != nil {
		b.cfg.Logger.Error().Err(err).Int("updates", len(w.locs)).Msg("check-in batch not judged: handling its updates one by one")
		return nil, append(rest, w.taken...)
	}
	return w, rest
}

// recordBatch records the work of judgeBatch and returns the updates it
// leaves to the router: all of them when the batch could not be recorded,
// to be handled one by one.
func (b *Bot) recordBatch(ctx context.Context, w *checkInWork) (rest []decoded) {
	defer func() {
		if r := recover(); r != nil {
			b.cfg.Logger.Error().Err(fmt.Errorf("panic: %v", r)).Bytes("stack", debug.Stack()).Msg("check-in batch panicked")
			rest = w.taken
		}
	}()
	b.reachableAll(ctx, w.locs)
	if err := b.record(ctx, w.vs, w.now); err != nil {
		b.cfg.Logger.Error().Err(err).Int("updates", len(w.locs)).Msg("check-in batch not recorded: handling its updates one by one")
		return w.taken
	}
	return nil
}

// updateLogger is the per-update logger the router's middleware attaches.
func (b *Bot) updateLogger(u *models.Update) zerolog.Logger {
	return b.cfg.Logger.With().Int64("update_id", u.ID).Int64("chat_id", chatOf(u)).Int64("user_id", userOf(u)).Logger()
}

// reachableAll clears the unreachable mark of everyone in locs: they wrote
// to the bot.
func (b *Bot) reachableAll(ctx context.Context, locs []*location) {
	ids := make([]int64, len(locs))
	byID := make(map[int64]*location, len(locs))
	for i, l := range locs {
		ids[i] = l.emp.TelegramID
		byID[l.emp.TelegramID] = l
	}
	back, err := b.cfg.Store.MarkReachableAll(ctx, ids)
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("mark people reachable")
		return
	}
	for _, id := range back {
		byID[id].log.Info().Msg("person reachable again")
	}
}

// checkIn records the check-in of one location message: the check-in path
// with a batch of one.
func (b *Bot) checkIn(ctx context.Context, emp apel.Employee, m *models.Message, updateID int64) {
	l := &location{updateID: updateID, m: m, emp: emp, log: *zerolog.Ctx(ctx)}
	if err := b.recordLocations(ctx, []*location{l}, b.cfg.Now()); err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
	}
}

// verdict is what the check-in path decided for one location: a check-in
// to record (and confirm), or only a reply.
type verdict struct {
	loc    *location
	p      locales.Printer
	sess   apel.Session
	record *apel.CheckIn
	ref    string // the legal reference of the rule that set the mode
	text   string // the reply, when record is nil
	markup models.ReplyMarkup
}

// recordLocations judges locs and records the check-ins with their replies
// and the updates done, in one transaction. Nothing is written when it
// returns an error.
func (b *Bot) recordLocations(ctx context.Context, locs []*location, now time.Time) error {
	vs, err := b.judgeLocations(ctx, locs, now)
	if err != nil {
		return err
	}
	return b.record(ctx, vs, now)
}

// record writes what vs decided in one transaction: the check-ins, their
// replies (in the outbox) and their updates done.
func (b *Bot) record(ctx context.Context, vs []verdict, now time.Time) error {
	batch := apel.CheckInBatch{At: now, Done: make([]int64, 0, len(vs))}
	for _, v := range vs {
		batch.Done = append(batch.Done, v.loc.updateID)
		if v.record != nil {
			batch.CheckIns = append(batch.CheckIns, *v.record)
		}
	}
	loc := b.cfg.Policy.Location
	recs, err := b.cfg.Store.RecordCheckIns(ctx, batch, func(recs []apel.Recorded) []apel.Outbound {
		out := make([]apel.Outbound, 0, len(vs))
		k := 0
		for _, v := range vs {
			text, mk := v.text, v.markup
			if v.record != nil {
				r := recs[k]
				k++
				if r.Duplicate {
					text = v.p.T("reason.already_checked_in", v.p.Time(r.CheckIn.Fix.At.In(loc)))
				} else {
					text = b.renderCheckIn(v.p, v.sess, r.CheckIn)
				}
				mk = removeKeyboard()
			}
			out = append(out, apel.Outbound{Key: "reply:" + itoa(v.loc.updateID), Priority: int(prioReply),
				ChatID: v.loc.m.Chat.ID, Text: text, Markup: markup(mk)})
		}
		return out
	})
	if err != nil {
		return err
	}
	k := 0
	var stored []storedCheckIn
	for _, v := range vs {
		if v.record == nil {
			continue
		}
		r := recs[k]
		k++
		if !r.Duplicate {
			v.loc.log.Info().Int64("session_id", r.CheckIn.SessionID).Int64("employee_id", r.CheckIn.EmployeeID).
				Bool("late", r.CheckIn.Late).Bool("in_place", r.CheckIn.InPlace).Msg("check-in recorded")
			stored = append(stored, storedCheckIn{c: r.CheckIn, v: v})
		}
	}
	b.outbox.wake(int(prioReply))
	b.queueEvidence(ctx, stored, now) // evidenceq.go
	return nil
}

// judgeLocations reads what the check-ins of locs need (the session open
// at each location's time, the plan of each OPD, the approved home
// points) and decides each one.
func (b *Bot) judgeLocations(ctx context.Context, locs []*location, now time.Time) ([]verdict, error) {
	vs := make([]verdict, len(locs))
	fixes := make([]apel.Fix, len(locs))
	var opds []string
	var ts []time.Time
	var pending []int // locs still to judge after the fix check
	for i, l := range locs {
		vs[i] = verdict{loc: l, p: b.printerFor(l.emp)}
		fixes[i] = fixOf(l.m)
		if err := fixes[i].Check(); err != nil {
			vs[i].text = b.refusal(vs[i].p, err)
			continue
		}
		if err := b.cfg.Live.Check(fixes[i]); err != nil { // a static location where live is required
			vs[i].text, vs[i].markup = b.refusal(vs[i].p, err), removeKeyboard()
			continue
		}
		pending = append(pending, i)
		opds, ts = append(opds, l.emp.OPD), append(ts, fixes[i].At)
	}
	// The home points of everyone: most need theirs, and reading them
	// goes alongside the sessions.
	empIDs := make([]int64, len(locs))
	for i, l := range locs {
		empIDs[i] = l.emp.ID
	}
	var sessions []apel.Session
	var homes map[int64]apel.HomePoint
	err := parallel(
		func() (err error) { sessions, err = b.cfg.Store.SessionsAt(ctx, opds, ts); return err },
		func() (err error) { homes, err = b.cfg.Store.ApprovedHomes(ctx, empIDs); return err },
	)
	if err != nil {
		return nil, err
	}
	var keys []planKey
	open := pending[:0:0]
	for j, i := range pending {
		s := sessions[j]
		if s.ID == 0 {
			vs[i].text, vs[i].markup = b.noSessionText(vs[i].p, fixes[i]), removeKeyboard()
			continue
		}
		vs[i].sess = s
		keys = append(keys, planKey{opd: locs[i].emp.OPD, date: s.Date})
		open = append(open, i)
	}
	plans, err := b.plansOf(ctx, keys)
	if err != nil {
		return nil, err
	}
	loc := b.cfg.Policy.Location
	for _, i := range open {
		l, v := locs[i], &vs[i]
		a := plans[planKey{opd: l.emp.OPD, date: v.sess.Date}].assignment(l.emp)
		if a.Excused() {
			v.text, v.markup = v.p.T("reason.excused"), removeKeyboard()
			continue
		}
		if a.Mode == "" { // the session opened before the date became a day off
			a.Mode, a.Reason = apel.WFO, apel.ModeByDayOff
		}
		var home apel.Point
		if a.Mode != apel.WFA {
			home = homes[l.emp.ID].Point
		}
		verdict, err := apel.Judge(apel.Judgement{Session: v.sess, Mode: a.Mode, Office: b.opds[l.emp.OPD].Office, Home: home,
			RadiusM: b.cfg.Policy.RadiusM, Fix: fixes[i]})
		if err != nil {
			reason, _ := apel.ReasonOf(err)
			// Late and early locations are visible to the operator in the log.
			b.cfg.Logger.Info().Int64("update_id", l.updateID).Int64("employee_id", l.emp.ID).
				Int64("session_id", v.sess.ID).Str("reason", string(reason)).Msg("check-in refused")
			if reason == apel.ReasonSessionClosed || reason == apel.ReasonSessionNotOpen {
				v.text = v.p.T("reason."+string(reason), v.p.Time(v.sess.Opens.In(loc)), v.p.Time(v.sess.Closes.In(loc)))
				v.markup = removeKeyboard()
				continue
			}
			v.text = b.refusal(v.p, err)
			continue
		}
		v.record = &apel.CheckIn{SessionID: v.sess.ID, EmployeeID: l.emp.ID, Fix: fixes[i], RecordedAt: now,
			Mode: a.Mode, ModeReason: a.Reason, Verdict: verdict, UpdateID: l.updateID}
		v.ref = a.Reference
	}
	return vs, nil
}

// refusal is the reply to a location refused for a reason; any other error
// gets the generic apology.
func (b *Bot) refusal(p locales.Printer, err error) string {
	if reason, ok := apel.ReasonOf(err); ok {
		return p.T("reason." + string(reason))
	}
	return p.T("common.error")
}

// parallel runs fs at once (reads on the store's reader pool) and returns
// the first error.
func parallel(fs ...func() error) error {
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f() }()
	}
	wg.Wait()
	return errors.Join(errs...)
}
