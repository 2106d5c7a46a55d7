package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// schedule handles /jadwal: staff see their own week; heads and admins see
// their agency's day, and "/jadwal saya" their own week. A date (YYYY-MM-DD,
// besok) picks the week or the day; an admin may name an OPD code.
func (b *Bot) schedule(ctx context.Context, emp apel.Employee, cmd command) {
	p := b.printerFor(emp)
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	d, code, own := today, emp.OPD, emp.Role == apel.RoleStaff
	for _, arg := range cmd.Args {
		switch up := strings.ToUpper(arg); {
		case strings.EqualFold(arg, "saya") || strings.EqualFold(arg, "me"):
			own = true
		case b.opds[up].Code != "":
			code = up
		default:
			x, err := parseDay(arg, today)
			if err != nil {
				b.sendText(ctx, emp.TelegramID, p.T("schedule.usage"), nil)
				return
			}
			d = x
		}
	}
	if own {
		b.sendWeek(ctx, emp, d)
		return
	}
	if !emp.CanManage(code) {
		b.sendText(ctx, emp.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	dp, f, err := b.planFacts(ctx, code, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	b.sendText(ctx, emp.TelegramID, b.renderAgencyDay(p, dp, f.Staff), nil)
}

// sendWeek sends emp their plan from Monday to Sunday of d's week.
func (b *Bot) sendWeek(ctx context.Context, emp apel.Employee, d apel.Date) {
	p := b.printerFor(emp)
	week, err := b.weekOf(ctx, emp.OPD, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	var sb strings.Builder
	sb.WriteString(p.T("schedule.week_title", esc(emp.Name), esc(b.opdName(emp.OPD))))
	for _, dp := range week {
		day := p.Date(b.dateAt(dp.Date))
		if dp.Off != "" {
			sb.WriteString("\n" + p.T("schedule.week_off", day, dayOffText(p, dp.DayInfo)))
			continue
		}
		a, ok := dp.Of(emp.ID)
		if !ok {
			continue
		}
		sb.WriteString("\n" + p.T("schedule.week_day", day, modeOrExcuse(p, a), reasonText(p, a, true)))
	}
	// The person's requests that touch the week, with where they stand.
	rs, err := b.cfg.Store.RequestsOf(ctx, emp.ID, week[0].Date)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	for _, r := range rs {
		if r.From.Before(week[0].Date.AddDays(7)) {
			sb.WriteString("\n" + p.T("schedule.request", p.T("request.status."+string(r.Status)), describeRequest(p, b, r)))
		}
	}
	sb.WriteString("\n\n" + p.T("schedule.week_hint"))
	b.sendText(ctx, emp.TelegramID, sb.String(), nil)
}

// renderAgencyDay is an OPD's plan of one date, by mode, with the rule in
// force and the quota used.
func (b *Bot) renderAgencyDay(p locales.Printer, dp apel.DayPlan, people []apel.Employee) string {
	var sb strings.Builder
	sb.WriteString(p.T("schedule.day_title", esc(b.opdName(dp.OPD)), p.Date(b.dateAt(dp.Date))))
	if dp.Off != "" {
		sb.WriteString("\n" + dayOffText(p, dp.DayInfo))
		return sb.String()
	}
	sb.WriteString("\n" + p.T("schedule.rule", ruleText(p, b.opds[dp.OPD], dp.DayInfo)))
	sb.WriteString("\n" + p.T("schedule.counts", dp.Count(apel.WFO), dp.Count(apel.WFH), dp.Count(apel.WFA), dp.Excused(), dp.OffSite, dp.Limit))
	staff := make(map[int64]apel.Employee, len(people))
	for _, e := range people {
		staff[e.ID] = e
	}
	groups := []struct {
		title string
		keep  func(apel.Assignment) bool
	}{
		{modeName(p, apel.WFO), func(a apel.Assignment) bool { return a.Mode == apel.WFO }},
		{modeName(p, apel.WFH), func(a apel.Assignment) bool { return a.Mode == apel.WFH }},
		{modeName(p, apel.WFA), func(a apel.Assignment) bool { return a.Mode == apel.WFA }},
		{p.T("schedule.excused"), apel.Assignment.Excused},
	}
	for _, g := range groups {
		var lines []string
		for _, a := range dp.People {
			if g.keep(a) {
				lines = append(lines, "• "+esc(staff[a.EmployeeID].Name)+" — "+reasonText(p, a, false))
			}
		}
		if len(lines) > 0 {
			sb.WriteString("\n\n<b>" + g.title + "</b> (" + itoa(int64(len(lines))) + ")\n" + strings.Join(lines, "\n"))
		}
	}
	return sb.String()
}

// ruleText is the day's rule for opd in words: the mode, whether it
// rotates or takes requests, and the circular in force. A direct-service
// OPD without a share of the quota works from office whatever the day says.
func ruleText(p locales.Printer, opd apel.OPD, info apel.DayInfo) string {
	w := info.Work
	text := modeName(p, w.Mode)
	reason := info.Reason
	switch {
	case opd.DirectService && !info.Quota.DirectJoins && w.OffSite():
		text, reason = modeName(p, apel.WFO), apel.ModeByDirectService
	case w.Shift:
		text = p.T("schedule.rule_shift", modeName(p, w.Mode))
	case w.Mode == apel.WFO && len(w.Requests) > 0:
		var ms []string
		for _, m := range w.Requests {
			ms = append(ms, string(m))
		}
		text = p.T("schedule.rule_requests", strings.Join(ms, "/"))
	}
	text += " — " + p.T("mode_reason."+string(reason))
	if info.Reference != "" {
		text += "; " + esc(info.Reference)
	}
	return text
}

// setShift handles "/giliran DATE NIP wfo|wfh|wfa|auto": an OPD head puts a
// person of their OPD in office or off-site on a mixed day, or gives them
// back to the rotation (auto). The policy checks the quota and the weekly
// cap inside the store's transaction.
func (b *Bot) setShift(ctx context.Context, by apel.Employee, cmd command) {
	p := b.printerFor(by)
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	if len(cmd.Args) < 3 {
		b.sendText(ctx, by.TelegramID, p.T("shift.usage"), nil)
		return
	}
	d, err := parseDay(cmd.Args[0], today)
	word := strings.ToLower(cmd.Args[len(cmd.Args)-1])
	mode, merr := apel.ParseMode(word)
	if err != nil || (merr != nil && word != "auto") {
		b.sendText(ctx, by.TelegramID, p.T("shift.usage"), nil)
		return
	}
	emp, err := b.cfg.Store.EmployeeByNIP(ctx, apel.NormalizeNIP(strings.Join(cmd.Args[1:len(cmd.Args)-1], "")))
	if errors.Is(err, apel.ErrNotFound) || (err == nil && !emp.Active) {
		b.sendText(ctx, by.TelegramID, p.T("reason.unknown_nip"), nil)
		return
	}
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	if !by.CanManage(emp.OPD) {
		b.sendText(ctx, by.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	if d.Before(today) {
		b.sendText(ctx, by.TelegramID, p.T("reason.request_dates"), nil)
		return
	}
	if word == "auto" {
		err = b.cfg.Store.ClearShift(ctx, emp.ID, d)
	} else {
		opd := b.opds[emp.OPD]
		s := apel.Shift{OPD: emp.OPD, Date: d, EmployeeID: emp.ID, Mode: mode, By: by.ID, At: b.cfg.Now()}
		err = b.cfg.Store.SetShift(ctx, s, func(f apel.Facts) error { return b.cfg.Policy.CheckShift(opd, emp, s, f) })
	}
	if err != nil {
		b.refuse(ctx, by.TelegramID, p, err)
		return
	}
	a, _, err := b.assignment(ctx, emp, d)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("employee_id", emp.ID).Str("date", d.String()).Str("mode", string(a.Mode)).Msg("rotation changed")
	b.sendText(ctx, by.TelegramID, p.T("shift.set", esc(emp.Name), p.Date(b.dateAt(d)), modeOrExcuse(p, a), reasonText(p, a, false)), nil)
	if emp.Registered() && emp.ID != by.ID {
		ep := b.printerFor(emp)
		b.sendText(ctx, emp.TelegramID, ep.T("shift.told", ep.Date(b.dateAt(d)), modeOrExcuse(ep, a), esc(by.Name)), nil)
	}
}
