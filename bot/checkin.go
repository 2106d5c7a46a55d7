package bot

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// askLocation asks for the person's location with a request-location
// button (such buttons work in private chats only).
func (b *Bot) askLocation(ctx context.Context, emp apel.Employee) {
	p := b.printerFor(emp)
	now := b.cfg.Now()
	d := apel.DateOf(now, b.cfg.Policy.Location)
	a, _, err := b.assignment(ctx, emp, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	if a.Excused() { // nothing to ask of someone excused
		b.sendText(ctx, emp.TelegramID, p.T("reason.excused"), nil)
		return
	}
	mode := a.Mode
	if mode == "" { // no apel today: the answer to the location will say so
		mode = apel.WFO
	}
	b.sendText(ctx, emp.TelegramID, p.T("checkin.ask", modeName(p, mode), p.T("place."+string(apel.PlaceOf(mode)))), locationKeyboard(p.T("checkin.button_location")))
}

// location handles a location in the private chat: a home point when the
// person asked to register one, else a check-in.
func (b *Bot) location(ctx context.Context, emp apel.Employee, m *models.Message, updateID int64) {
	what, err := b.cfg.Store.Awaiting(ctx, emp.TelegramID, b.cfg.Now())
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	if what == awaitingHome {
		b.homeLocation(ctx, emp, m)
		return
	}
	b.checkIn(ctx, emp, m, updateID)
}

// fixOf reads a location message as a Fix. The time is the Telegram message
// time, so a late delivery does not make anyone late.
func fixOf(m *models.Message) apel.Fix {
	l := m.Location
	return apel.Fix{
		Point:     apel.Point{Lat: l.Latitude, Lon: l.Longitude},
		Accuracy:  l.HorizontalAccuracy,
		At:        time.Unix(int64(m.Date), 0),
		Live:      l.LivePeriod > 0,
		Forwarded: m.ForwardOrigin != nil,
		Venue:     m.Venue != nil,
	}
}

// checkIn records a check-in: find the open session of the person's OPD,
// judge the fix against the mode of the day, save, confirm.
func (b *Bot) checkIn(ctx context.Context, emp apel.Employee, m *models.Message, updateID int64) {
	p := b.printerFor(emp)
	fix := fixOf(m)
	if err := fix.Check(); err != nil {
		b.refuse(ctx, m.Chat.ID, p, err)
		return
	}
	sess, err := b.cfg.Store.SessionAt(ctx, emp.OPD, fix.At)
	if errors.Is(err, apel.ErrNotFound) {
		b.noSession(ctx, emp, fix)
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	loc := b.cfg.Policy.Location
	if prev, err := b.cfg.Store.CheckIn(ctx, sess.ID, emp.ID); err == nil {
		b.sendText(ctx, m.Chat.ID, p.T("reason.already_checked_in", p.Time(prev.Fix.At.In(loc))), removeKeyboard())
		return
	} else if !errors.Is(err, apel.ErrNotFound) {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	// The mode is the policy engine's plan of the session's date, the same
	// plan /status, /jadwal and the reports show.
	opd := b.opds[emp.OPD]
	a, _, err := b.assignment(ctx, emp, sess.Date)
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	if a.Excused() {
		b.sendText(ctx, m.Chat.ID, p.T("reason.excused"), removeKeyboard())
		return
	}
	if a.Mode == "" { // the session opened before the date became a day off
		a.Mode, a.Reason = apel.WFO, apel.ModeByDayOff
	}
	// The approved home point: where WFH is judged, and how a WFO check-in
	// from home is recognised.
	var home apel.Point
	if a.Mode != apel.WFA {
		hp, err := b.cfg.Store.ApprovedHome(ctx, emp.ID)
		if err != nil && !errors.Is(err, apel.ErrNotFound) {
			b.fail(ctx, m.Chat.ID, emp.Lang, err)
			return
		}
		home = hp.Point
	}
	v, err := apel.Judge(apel.Judgement{Session: sess, Mode: a.Mode, Office: opd.Office, Home: home, RadiusM: b.cfg.Policy.RadiusM, Fix: fix})
	if err != nil {
		if reason, _ := apel.ReasonOf(err); reason == apel.ReasonSessionClosed || reason == apel.ReasonSessionNotOpen {
			b.sendText(ctx, m.Chat.ID, p.T("reason."+string(reason), p.Time(sess.Opens.In(loc)), p.Time(sess.Closes.In(loc))), removeKeyboard())
			return
		}
		b.refuse(ctx, m.Chat.ID, p, err)
		return
	}
	ci, err := b.cfg.Store.RecordCheckIn(ctx, apel.CheckIn{
		SessionID: sess.ID, EmployeeID: emp.ID, Fix: fix, RecordedAt: b.cfg.Now(),
		Mode: a.Mode, ModeReason: a.Reason, Verdict: v, UpdateID: updateID,
	})
	if errors.Is(err, apel.ErrConflict) {
		prev, perr := b.cfg.Store.CheckIn(ctx, sess.ID, emp.ID)
		if perr != nil {
			b.fail(ctx, m.Chat.ID, emp.Lang, perr)
			return
		}
		b.sendText(ctx, m.Chat.ID, p.T("reason.already_checked_in", p.Time(prev.Fix.At.In(loc))), removeKeyboard())
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("session_id", sess.ID).Int64("employee_id", emp.ID).Bool("late", v.Late).Bool("in_place", v.InPlace).Msg("check-in recorded")
	b.sendText(ctx, m.Chat.ID, b.renderCheckIn(p, sess, ci), removeKeyboard())
}

// noSession answers a location sent when no session of the person's OPD has
// opened: "not open yet" with the window when one opens later that day,
// else "no apel now".
func (b *Bot) noSession(ctx context.Context, emp apel.Employee, fix apel.Fix) {
	p := b.printerFor(emp)
	loc := b.cfg.Policy.Location
	d := apel.DateOf(fix.At, loc)
	if slot, ok := nextSlot(b.cfg.Policy.Slots(d), fix.At); ok {
		b.sendText(ctx, emp.TelegramID, p.T("reason.session_not_open", p.Time(slot.Opens.In(loc)), p.Time(slot.Closes.In(loc))), removeKeyboard())
		return
	}
	b.sendText(ctx, emp.TelegramID, p.T("reason.no_session"), removeKeyboard())
}

// nextSlot returns the first slot that opens after t, unless t falls in a
// slot's window (that apel is simply not being held).
func nextSlot(slots []apel.Slot, t time.Time) (apel.Slot, bool) {
	for _, s := range slots {
		if s.Opens.After(t) {
			return s, true
		}
		if !t.After(s.Closes) {
			return apel.Slot{}, false
		}
	}
	return apel.Slot{}, false
}

// renderCheckIn is the confirmation a person gets for a recorded check-in.
func (b *Bot) renderCheckIn(p locales.Printer, s apel.Session, ci apel.CheckIn) string {
	loc := b.cfg.Policy.Location
	text := p.T("checkin.accepted", p.T("session."+string(s.Kind)), p.DateTime(ci.Fix.At.In(loc)), modeName(p, ci.Mode))
	if ci.Late {
		text += "\n" + p.T("checkin.late", int(ci.LateBy.Minutes()))
	} else {
		text += "\n" + p.T("checkin.on_time")
	}
	switch {
	case ci.Place == apel.PlaceAnywhere:
		text += "\n" + p.T("checkin.anywhere")
	case ci.InPlace:
		text += "\n" + p.T("checkin.in_place", int(math.Round(ci.Distance)), p.T("place."+string(ci.Place)))
	default:
		text += "\n" + p.T("checkin.out_of_place", int(math.Round(ci.Distance)), p.T("place."+string(ci.Place)), int(b.cfg.Policy.RadiusM))
	}
	if ci.Note != "" {
		text += "\n" + p.T("note."+string(ci.Note))
	}
	return text
}

// locationKeyboard is a one-button reply keyboard that sends the location.
func locationKeyboard(label string) models.ReplyMarkup {
	return &models.ReplyKeyboardMarkup{
		Keyboard:        [][]models.KeyboardButton{{{Text: label, RequestLocation: true}}},
		ResizeKeyboard:  true,
		OneTimeKeyboard: true,
	}
}

// removeKeyboard hides the location keyboard once it has served.
func removeKeyboard() models.ReplyMarkup { return &models.ReplyKeyboardRemove{RemoveKeyboard: true} }
