package bot

import (
	"context"
	"math"
	"time"

	"github.com/go-telegram/bot/models"

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

// noSessionText answers a location sent when no session of the person's OPD has
// opened: "not open yet" with the window when one opens later that day,
// else "no apel now".
func (b *Bot) noSessionText(p locales.Printer, fix apel.Fix) string {
	loc := b.cfg.Policy.Location
	d := apel.DateOf(fix.At, loc)
	if slot, ok := nextSlot(b.cfg.Policy.Slots(d), fix.At); ok {
		return p.T("reason.session_not_open", p.Time(slot.Opens.In(loc)), p.Time(slot.Closes.In(loc)))
	}
	return p.T("reason.no_session")
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
