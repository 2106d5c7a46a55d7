package bot

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// rekap handles /rekap [minggu] [KODE]: an OPD head's view of their
// agency's day (each apel with the names that need attention, and who has
// not sent an activity report) or, with "minggu", of the week so far. Heads
// see their own OPD; BKPSDM admins any OPD, by code.
func (b *Bot) rekap(ctx context.Context, emp apel.Employee, cmd command) {
	p := b.printerFor(emp)
	week, code := false, emp.OPD
	for _, a := range cmd.Args {
		switch strings.ToLower(a) {
		case "minggu", "pekan", "week":
			week = true
		default:
			code = strings.ToUpper(a)
		}
	}
	opd, ok := b.opds[code]
	if !ok {
		b.sendText(ctx, emp.TelegramID, p.T("reason.unknown_opd", esc(code)), nil)
		return
	}
	if !emp.CanManage(code) {
		b.sendText(ctx, emp.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	var text string
	var err error
	if week {
		text, err = b.rekapWeek(ctx, p, opd, today)
	} else {
		text, err = b.rekapDay(ctx, p, opd, today)
	}
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	b.sendText(ctx, emp.TelegramID, text, nil)
}

// rekapDay renders opd's day d: the mode of the day, each apel (held:
// the tally and the names; ahead: its time), and the activity reports.
func (b *Bot) rekapDay(ctx context.Context, p locales.Printer, opd apel.OPD, d apel.Date) (string, error) {
	loc := b.cfg.Policy.Location
	var sb strings.Builder
	sb.WriteString(p.T("rekap.title", esc(opd.Name)))
	sb.WriteString("\n" + p.Date(d.At(apel.Clock{Hour: 12}, loc)))
	dp, err := b.planOf(ctx, opd.Code, d)
	if err != nil {
		return "", err
	}
	if dp.Off != "" {
		sb.WriteString("\n" + p.T("status.day_off"))
		return sb.String(), nil
	}
	sb.WriteString("\n" + p.T("rekap.plan", dp.Count(apel.WFO), dp.Count(apel.WFH), dp.Count(apel.WFA), dp.Excused()))
	day, err := b.cfg.Store.Day(ctx, d, []apel.OPD{opd})
	if err != nil {
		return "", err
	}
	var staff []apel.Employee
	for _, e := range day.Employees {
		if e.OPD == opd.Code {
			staff = append(staff, e)
		}
	}
	held := map[apel.SessionKind]apel.Session{}
	for _, s := range day.Sessions {
		if s.OPD == opd.Code {
			held[s.Kind] = s
		}
	}
	for _, slot := range b.cfg.Policy.Slots(d) {
		name := p.T("report.session." + string(slot.Kind))
		s, ok := held[slot.Kind]
		if !ok {
			sb.WriteString("\n\n" + p.T("rekap.session_ahead", name, p.Time(slot.Apel.In(loc))))
			continue
		}
		sum := apel.Summarize(opd, s, staff, day.CheckIns, day.Excuses, day.Corrections)
		state := p.T("rekap.closed")
		if !s.Closed {
			state = p.T("rekap.open", p.Time(s.Closes.In(loc)))
		}
		sb.WriteString("\n\n" + p.T("rekap.session", name, state))
		sb.WriteString("\n" + tallyLine(p, sum.Tally))
		absent := "summary.absent"
		if !s.Closed {
			absent = "rekap.pending"
		}
		sb.WriteString(summarySections(p, loc, sum, absent))
	}
	missing, t := apel.ActivityRoll(dp, staff, day.Activities)
	if t.Due > 0 {
		sb.WriteString("\n\n" + p.T("rekap.activity", t.Reported, t.Due))
		sb.WriteString(nameList(p, "rekap.activity_missing", missing))
	}
	sb.WriteString(rekapFlags(p, opd, day)) // flagrender.go
	return sb.String(), nil
}

// rekapWeek renders opd's week up to d: for each date from Monday with
// apel, the pagi and sore rates, lateness and activity reports, then the
// week's totals.
func (b *Bot) rekapWeek(ctx context.Context, p locales.Printer, opd apel.OPD, d apel.Date) (string, error) {
	monday := apel.MondayOf(d)
	days, err := b.cfg.Store.Month(ctx, monday, d, []apel.OPD{opd})
	if err != nil {
		return "", err
	}
	f, err := b.cfg.Store.Facts(ctx, opd.Code, monday, monday.AddDays(6))
	if err != nil {
		return "", err
	}
	byDate := map[apel.Date]apel.Day{}
	for _, day := range days {
		byDate[day.Date] = day
	}
	var sb strings.Builder
	sb.WriteString(p.T("rekap.week_title", esc(opd.Name)))
	sb.WriteString("\n" + periodName(p, monday, monday.AddDays(6)))
	var total apel.Tally
	var act apel.ActivityTally
	for date := monday; !d.Before(date); date = date.AddDays(1) {
		dp := b.cfg.Planner.Plan(opd, date, f)
		if dp.Off != "" {
			continue
		}
		day, ok := byDate[date]
		line := apel.OPDDay{OPD: opd}
		if ok {
			r := apel.CompileDailyReport(b.cfg.Pemda, day)
			line = r.OPDs[0]
			_, line.Activity = apel.ActivityRoll(dp, nil, day.Activities)
		}
		if !line.Pagi.Held && !line.Sore.Held {
			if date != d { // today's apel may be ahead still
				sb.WriteString("\n" + p.T("rekap.week_none", weekdayShort(p, date), shortDay(date)))
			}
			continue
		}
		var t apel.Tally // the sessions held; someone not in yet is not TK yet
		for _, s := range []apel.Tally{line.Pagi, line.Sore} {
			if s.Held {
				t = t.Add(s)
			}
		}
		total, act = total.Add(t), act.Add(line.Activity)
		sb.WriteString("\n" + p.T("rekap.week_day", weekdayShort(p, date), shortDay(date), rateOf(p, line.Pagi), rateOf(p, line.Sore),
			t.Late, t.Absent, line.Activity.Reported, line.Activity.Due))
	}
	if total.Held {
		sb.WriteString("\n\n" + p.T("rekap.week_total", total.Present, total.Expected(), rateOf(p, total), total.Late,
			total.Absent, act.Reported, act.Due))
	}
	return sb.String(), nil
}

// summarySections lists the names of a session summary that need
// attention: absent (under the key absent), late, out of place, excused.
func summarySections(p locales.Printer, loc *time.Location, sum apel.Summary, absent string) string {
	var sb strings.Builder
	section := func(key string, rows []apel.Attendance, detail func(apel.Attendance) string) {
		if len(rows) == 0 {
			return
		}
		sb.WriteString("\n" + p.T(key, len(rows)))
		for _, a := range rows {
			sb.WriteString("\n• " + esc(a.Employee.Name))
			if d := detail(a); d != "" {
				sb.WriteString(" — " + d)
			}
		}
	}
	section(absent, sum.Absent, func(apel.Attendance) string { return "" })
	section("summary.late", sum.Late, func(a apel.Attendance) string {
		return p.T("summary.late_detail", p.Clock(a.CheckIn.Fix.At.In(loc)), int(a.CheckIn.LateBy.Minutes()))
	})
	section("summary.out_of_place", sum.OutOfPlace, func(a apel.Attendance) string {
		return p.T("summary.out_of_place_detail", int(math.Round(a.CheckIn.Distance)), p.T("place."+string(a.CheckIn.Place)))
	})
	section("summary.excused", sum.Excused, func(a apel.Attendance) string { return p.T("excuse." + string(a.Excuse)) })
	return sb.String()
}

// nameList is a titled list of names, "" when there is nobody.
func nameList(p locales.Printer, key string, people []apel.Employee) string {
	if len(people) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n" + p.T(key, len(people)))
	for _, e := range people {
		sb.WriteString("\n• " + esc(e.Name))
	}
	return sb.String()
}
