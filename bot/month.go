package bot

import (
	"strconv"
	"strings"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// RenderEvaluation is the monthly evaluation as a chat message, and as
// what `apelbot report -month` prints: the pemda's figures, attendance by
// work mode, by ISO week, the lateness trend by date, every OPD, and the
// OPDs below the threshold.
func RenderEvaluation(p locales.Printer, bkpsdm string, e apel.Evaluation) string {
	var sb strings.Builder
	t := e.Total
	sb.WriteString(p.T("eval.title"))
	sb.WriteString("\n" + esc(e.Pemda))
	if bkpsdm != "" {
		sb.WriteString(" · " + esc(bkpsdm))
	}
	sb.WriteString("\n" + p.T("eval.period", periodName(p, e.From, e.To), len(e.Days)))
	sb.WriteString("\n\n" + p.T("eval.total", e.Headcount))
	if !t.Held {
		sb.WriteString("\n" + p.T("eval.not_held"))
	} else {
		sb.WriteString("\n" + p.T("eval.rates", rateOf(p, t), t.Present, t.Expected(), rateOf(p, e.Pagi), rateOf(p, e.Sore)))
		sb.WriteString("\n" + p.T("eval.late_line", t.Late, p.Percent(100*t.LateRate()), t.OutOfPlace, t.Absent+t.Pending))
		if t.Corrected > 0 || t.NotJudged > 0 || t.Forgiven > 0 {
			sb.WriteString("\n" + p.T("eval.audit_line", t.Corrected, t.NotJudged, t.Forgiven))
		}
	}
	x := e.Excuses
	sb.WriteString("\n" + p.T("eval.excuses", x.Izin, x.Sakit, x.Cuti, x.DinasLuar))
	a := e.Activity
	sb.WriteString("\n" + p.T("eval.activity", a.Reported, a.Due, p.Percent(100*a.Rate())))
	r := e.Requests
	sb.WriteString("\n" + p.T("eval.requests", r.Approved, r.OffSite, r.QuotaDays, p.Percent(100*r.QuotaRate())))

	sb.WriteString("\n\n" + p.T("eval.modes"))
	for _, m := range e.Modes {
		sb.WriteString("\n" + p.T("eval.mode_line", string(m.Mode), tallyRate(p, m.Tally)))
	}
	if len(e.Weeks) > 0 {
		sb.WriteString("\n\n" + p.T("eval.weeks"))
		for _, w := range e.Weeks {
			sb.WriteString("\n" + p.T("eval.week_line", w.Week, shortDay(w.From), shortDay(w.To), w.Days, tallyRate(p, w.Total)))
		}
	}
	if len(e.Days) > 0 {
		sb.WriteString("\n\n" + p.T("eval.days"))
		for _, d := range e.Days {
			sb.WriteString("\n" + p.T("eval.day_line", weekdayShort(p, d.Date), shortDay(d.Date), d.Total.Late,
				p.Percent(100*d.Total.LateRate()), rateOf(p, d.Total)))
		}
	}
	sb.WriteString("\n\n" + p.T("eval.opds"))
	for i, o := range e.OPDs {
		mark := ""
		if o.Below {
			mark = "⚠️ "
		}
		line := p.T("eval.not_held")
		if o.Total.Held {
			line = tallyRate(p, o.Total)
		}
		sb.WriteString("\n" + p.T("eval.opd_line", i+1, mark+esc(o.OPD.Code), line, o.Activity.Reported, o.Activity.Due))
	}
	below := e.Below()
	if len(below) == 0 {
		sb.WriteString("\n\n" + p.T("eval.none_below", p.Percent(100*e.Threshold)))
	} else {
		names := make([]string, len(below))
		for i, o := range below {
			names[i] = esc(o.OPD.Code) + " (" + p.Percent(100*o.Total.Rate()) + ")"
		}
		sb.WriteString("\n\n" + p.T("eval.below", p.Percent(100*e.Threshold), len(below), strings.Join(names, ", ")))
	}
	sb.WriteString("\n\n" + p.T("eval.legend"))
	return sb.String()
}

// rateOf is a tally's attendance rate, "–" when nothing was held.
func rateOf(p locales.Printer, t apel.Tally) string {
	if !t.Held {
		return "–"
	}
	return p.Percent(100 * t.Rate())
}

// tallyRate is a tally in a few words: rate, present of expected, late
// rate.
func tallyRate(p locales.Printer, t apel.Tally) string {
	if !t.Held {
		return p.T("eval.not_held")
	}
	return p.T("eval.tally", rateOf(p, t), t.Present, t.Expected(), p.Percent(100*t.LateRate()))
}

// periodName names the period: the month ("Januari 2026") when it is a
// whole calendar month, else "1–15 Januari 2026" style dates.
func periodName(p locales.Printer, from, to apel.Date) string {
	monthYear := func(d apel.Date) string {
		// weekday.* and month.* are keys every catalogue must have
		// (locales checks them on load).
		key := "month." + strconv.Itoa(int(d.Month))
		return p.T(key) + " " + strconv.Itoa(d.Year)
	}
	if first, last := apel.MonthOf(from); from == first && to == last {
		return monthYear(from)
	}
	if from.Year == to.Year && from.Month == to.Month {
		return strconv.Itoa(from.Day) + "–" + strconv.Itoa(to.Day) + " " + monthYear(from)
	}
	return strconv.Itoa(from.Day) + " " + monthYear(from) + " – " + strconv.Itoa(to.Day) + " " + monthYear(to)
}

// shortDay is "5/1": day and month.
func shortDay(d apel.Date) string { return strconv.Itoa(d.Day) + "/" + strconv.Itoa(int(d.Month)) }

// weekdayShort is the weekday's name cut to three letters: "Sel".
func weekdayShort(p locales.Printer, d apel.Date) string {
	key := "weekday." + strconv.Itoa(int(d.Weekday())) // a key locales requires
	name := []rune(p.T(key))
	return string(name[:min(3, len(name))])
}
