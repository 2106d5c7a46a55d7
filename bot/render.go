package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// renderPrompt is the text of a group prompt: the apel, the mode of the
// day, the window and the progress.
func (b *Bot) renderPrompt(p locales.Printer, s apel.Session, opd apel.OPD, t apel.Tally) string {
	loc := b.cfg.Policy.Location
	info := b.cfg.Policy.Day(opd, s.Date)
	var sb strings.Builder
	sb.WriteString(p.T("prompt.title", p.T("session."+string(s.Kind)), esc(opd.Name)))
	sb.WriteString("\n" + p.DateTime(s.Apel.In(loc)))
	if s.Closed {
		sb.WriteString("\n\n" + p.T("prompt.closed", t.Present, t.Expected(), p.Percent(100*t.Rate())))
		return sb.String()
	}
	sb.WriteString("\n\n" + p.T("prompt.mode", promptMode(p, opd, info)))
	sb.WriteString("\n" + p.T("prompt.how"))
	sb.WriteString("\n" + p.T("prompt.window", p.Clock(s.Opens.In(loc)), p.Time(s.Closes.In(loc)), p.Time(s.LateFrom.In(loc))))
	sb.WriteString("\n\n" + p.T("prompt.progress", t.Present, t.Expected()))
	return sb.String()
}

// promptMode is the mode of the day as the group prompt shows it: the
// day's rule for staff (direct-service OPDs work from office unless the
// quota gives them a share); a mixed day says it rotates, a day open to
// requests says so.
func promptMode(p locales.Printer, opd apel.OPD, info apel.DayInfo) string {
	w := info.Work
	switch {
	case opd.DirectService && !info.Quota.DirectJoins, w.Mode == "":
		return modeName(p, apel.WFO)
	case w.Shift:
		return p.T("prompt.mode_shift", modeName(p, w.Mode))
	case w.Mode == apel.WFO && len(w.Requests) > 0:
		return p.T("prompt.mode_requests", modeName(p, apel.WFO))
	}
	return modeName(p, w.Mode)
}

// RenderSummary is the text an OPD head gets when a session closes.
// Times are shown in loc, the pemda's zone.
func RenderSummary(p locales.Printer, loc *time.Location, sum apel.Summary) string {
	var sb strings.Builder
	sb.WriteString(p.T("summary.title", p.T("session."+string(sum.Session.Kind)), esc(sum.OPD.Name)))
	sb.WriteString("\n" + p.Date(sum.Session.Apel.In(loc)))
	sb.WriteString("\n" + tallyLine(p, sum.Tally))
	sb.WriteString(disruptionNote(p, loc, sum))
	section := func(key string, rows []apel.Attendance, detail func(apel.Attendance) string) {
		if len(rows) == 0 {
			return
		}
		sb.WriteString("\n\n" + p.T(key, len(rows)))
		for _, a := range rows {
			sb.WriteString("\n• " + esc(a.Employee.Name) + " (" + esc(a.Employee.NIP) + ")")
			if d := detail(a); d != "" {
				sb.WriteString(" — " + d)
			}
		}
	}
	section("summary.absent", sum.Absent, func(apel.Attendance) string { return "" })
	section("summary.late", sum.Late, func(a apel.Attendance) string {
		return p.T("summary.late_detail", p.Clock(a.CheckIn.Fix.At.In(loc)), int(a.CheckIn.LateBy.Minutes()))
	})
	section("summary.out_of_place", sum.OutOfPlace, func(a apel.Attendance) string {
		d := p.T("summary.out_of_place_detail", int(math.Round(a.CheckIn.Distance)), p.T("place."+string(a.CheckIn.Place)))
		if a.CheckIn.Note == apel.ReasonAtHome {
			d += ", " + p.T("summary.at_home")
		}
		return d
	})
	section("summary.excused", sum.Excused, func(a apel.Attendance) string { return p.T("excuse." + string(a.Excuse)) })
	section("summary.not_judged", sum.NotJudged, func(apel.Attendance) string { return "" })
	section("summary.corrected", sum.Corrected, func(a apel.Attendance) string {
		return correctionText(p, a.Corrections[len(a.Corrections)-1])
	})
	if len(sum.NoActivity) > 0 {
		sb.WriteString("\n\n" + p.T("summary.no_activity", len(sum.NoActivity)))
		for _, e := range sum.NoActivity {
			sb.WriteString("\n• " + esc(e.Name) + " (" + esc(e.NIP) + ")")
		}
	}
	if sum.Tally.Absent == 0 && sum.Tally.Late == 0 && sum.Tally.OutOfPlace == 0 && sum.Tally.NotJudged == 0 {
		sb.WriteString("\n\n" + p.T("summary.all_good"))
	}
	return sb.String()
}

// RenderDailyReport is the pemda's daily report as a chat message, and as
// what `apelbot report` prints.
func RenderDailyReport(p locales.Printer, bkpsdm string, r apel.DailyReport) string {
	var sb strings.Builder
	sb.WriteString(p.T("report.title"))
	sb.WriteString("\n" + esc(r.Pemda))
	if bkpsdm != "" {
		sb.WriteString(" · " + esc(bkpsdm))
	}
	sb.WriteString("\n" + p.Date(r.Date.At(apel.Clock{Hour: 12}, time.UTC)))
	for _, ref := range r.References {
		sb.WriteString("\n" + p.T("report.reference", esc(ref)))
	}
	sb.WriteString("\n\n" + p.T("report.total", r.Headcount))
	sb.WriteString(planLine(p, r.Plan))
	sb.WriteString("\n" + sessionLine(p, apel.Pagi, r.Pagi))
	sb.WriteString("\n" + sessionLine(p, apel.Sore, r.Sore))
	sb.WriteString(activityLine(p, r.Activity))
	for i, o := range r.OPDs {
		sb.WriteString("\n\n" + p.T("report.opd", i+1, esc(o.OPD.Name), o.Pagi.Headcount))
		sb.WriteString(planLine(p, o.Plan))
		sb.WriteString("\n" + sessionLine(p, apel.Pagi, o.Pagi))
		sb.WriteString("\n" + sessionLine(p, apel.Sore, o.Sore))
		sb.WriteString(activityLine(p, o.Activity))
		if o.Flags.Flagged > 0 {
			sb.WriteString("\n" + flagTallyText(p, o.Flags))
		}
	}
	sb.WriteString(reportAudit(p, r))
	sb.WriteString(reportFlags(p, r)) // flagrender.go
	sb.WriteString("\n\n" + p.T("report.legend"))
	return sb.String()
}

// planLine is what the policy planned, as a line of the daily report to
// read the sessions' actual modes against: planned modes, excused, approved
// requests, off-site against the quota; "" when no plan is attached.
func planLine(p locales.Printer, t apel.PlanTally) string {
	if !t.Planned {
		return ""
	}
	return "\n" + p.T("report.plan", t.WFO, t.WFH, t.WFA, t.Excused, t.Requests, t.OffSite, t.Limit)
}

// activityLine counts the activity reports (laporan kegiatan) of the
// off-site staff, "" when nobody owed one.
func activityLine(p locales.Printer, t apel.ActivityTally) string {
	if t.Due == 0 {
		return ""
	}
	return "\n" + p.T("report.activity", t.Reported, t.Due)
}

// sessionLine is one session's tally in the daily report.
func sessionLine(p locales.Printer, k apel.SessionKind, t apel.Tally) string {
	name := p.T("report.session." + string(k))
	if !t.Held {
		return p.T("report.not_held", name)
	}
	return fmt.Sprintf("%s: %s", name, tallyLine(p, t))
}

// tallyLine is a tally in one line: present of expected, rate, modes,
// late, out of place, excused, absent.
func tallyLine(p locales.Printer, t apel.Tally) string {
	line := p.T("tally.line", t.Present, t.Expected(), p.Percent(100*t.Rate()), t.WFO, t.WFH, t.WFA, t.Late, t.OutOfPlace, t.Excused, t.Absent+t.Pending)
	if t.NotJudged > 0 {
		line += p.T("tally.not_judged", t.NotJudged)
	}
	if t.Corrected > 0 {
		line += p.T("tally.corrected", t.Corrected)
	}
	return line
}

// modeName is the localized name of a work mode.
func modeName(p locales.Printer, m apel.Mode) string {
	return p.T("mode." + strings.ToLower(string(m)))
}
