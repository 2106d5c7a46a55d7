package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/apelbot/apelbot/apel"
)

// status tells a person their mode today and what became of today's apel.
func (b *Bot) status(ctx context.Context, emp apel.Employee) {
	p := b.printerFor(emp)
	loc := b.cfg.Policy.Location
	now := b.cfg.Now().In(loc)
	d := apel.DateOf(now, loc)
	var sb strings.Builder
	sb.WriteString(p.T("status.header", esc(emp.Name), esc(b.opdName(emp.OPD)), p.Date(now)))
	a, dp, err := b.assignment(ctx, emp, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	if dp.Off != "" {
		sb.WriteString("\n" + p.T("status.day_off"))
		if dp.OffName != "" {
			sb.WriteString("\n" + dayOffText(p, dp.DayInfo))
		}
		b.sendText(ctx, emp.TelegramID, sb.String(), nil)
		return
	}
	if a.Excused() {
		sb.WriteString("\n" + p.T("status.excused"))
	} else {
		sb.WriteString("\n" + p.T("status.mode", modeName(p, a.Mode), reasonText(p, a, true)))
	}
	sessions, err := b.cfg.Store.Sessions(ctx, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	// Corrections and outages change what a session's line says.
	xs, err := b.cfg.Store.Excuses(ctx, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	cs, err := b.cfg.Store.Corrections(ctx, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	byKind := map[apel.SessionKind]apel.Session{}
	for _, s := range sessions {
		if s.OPD == emp.OPD {
			byKind[s.Kind] = s
		}
	}
	for _, slot := range b.cfg.Policy.Slots(d) {
		name := p.T("session." + string(slot.Kind))
		s, held := byKind[slot.Kind]
		if !held {
			sb.WriteString("\n" + p.T("status.session_ahead", name, p.Time(slot.Apel.In(loc))))
			continue
		}
		ci, err := b.cfg.Store.CheckIn(ctx, s.ID, emp.ID)
		var cis []apel.CheckIn
		if err == nil {
			cis = []apel.CheckIn{ci}
		}
		if err == nil || errors.Is(err, apel.ErrNotFound) {
			rows, _ := apel.Roll(s, []apel.Employee{emp}, cis, xs, cs)
			switch line := rows[0]; {
			case line.Corrected():
				sb.WriteString("\n" + p.T("status.session_corrected", name, statusWord(p, line.Status, line.Excuse),
					correctionText(p, line.Corrections[len(line.Corrections)-1])))
				continue
			case line.Status == apel.StatusNotJudged:
				sb.WriteString("\n" + p.T("status.session_not_judged", name))
				continue
			case line.Forgiven:
				sb.WriteString("\n" + p.T("status.session_done", name, p.Time(ci.Fix.At.In(loc))))
				continue
			}
		}
		switch {
		case err == nil && ci.Late:
			sb.WriteString("\n" + p.T("status.session_late", name, p.Time(ci.Fix.At.In(loc))))
		case err == nil:
			sb.WriteString("\n" + p.T("status.session_done", name, p.Time(ci.Fix.At.In(loc))))
		case !errors.Is(err, apel.ErrNotFound):
			b.fail(ctx, emp.TelegramID, emp.Lang, err)
			return
		case s.Closed || now.After(s.Closes):
			sb.WriteString("\n" + p.T("status.session_missed", name))
		default:
			sb.WriteString("\n" + p.T("status.session_open", name, p.Time(s.Closes.In(loc))))
		}
	}
	if a.Mode == apel.WFH {
		if _, err := b.cfg.Store.ApprovedHome(ctx, emp.ID); errors.Is(err, apel.ErrNotFound) {
			sb.WriteString("\n" + p.T("status.no_home"))
		}
	}
	b.sendText(ctx, emp.TelegramID, sb.String(), nil)
}
