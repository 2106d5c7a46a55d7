package bot

import (
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// maxReportCorrections is how many corrections the daily report's message
// lists; the XLSX has them all.
const maxReportCorrections = 30

// statusWord is the short localized name of a status, the excuse kind for
// an excused one.
func statusWord(p locales.Printer, s apel.Status, x apel.ExcuseKind) string {
	if s == apel.StatusExcused && x != "" {
		return p.T("excuse." + string(x))
	}
	return p.T("attendance." + string(s))
}

// correctionText is "before → after, reason: note".
func correctionText(p locales.Printer, c apel.Correction) string {
	t := p.T("correct.change", statusWord(p, c.Before, c.BeforeExcuse), statusWord(p, c.After, c.Excuse),
		p.T("correct.reason."+string(c.Reason)))
	if c.Note != "" {
		t += ": " + esc(c.Note)
	}
	return t
}

// period is "07.40–08.40", or "since 07.40" for an outage still going on.
func period(p locales.Printer, loc *time.Location, d apel.Disruption) string {
	if d.To.IsZero() {
		return p.T("outage.since", p.Clock(d.From.In(loc)))
	}
	return p.T("outage.period", p.Clock(d.From.In(loc)), p.Clock(d.To.In(loc)))
}

// disruptionNote is the summary's paragraph on the outage that disrupted
// its session, "" when none did.
func disruptionNote(p locales.Printer, loc *time.Location, sum apel.Summary) string {
	if !sum.Session.Disrupted() {
		return ""
	}
	return "\n\n" + p.T("summary.outage", period(p, loc, sum.Session.Disruption), sum.Tally.NotJudged, sum.Tally.Forgiven)
}

// reportAudit is the daily report's section on outages and corrections,
// "" when there were none.
func reportAudit(p locales.Printer, r apel.DailyReport) string {
	loc := r.Zone
	if loc == nil {
		loc = time.UTC
	}
	var sb strings.Builder
	if len(r.Disrupted) > 0 {
		// One line per outage and session, not per OPD: an outage is
		// usually pemda-wide.
		type key struct {
			kind apel.SessionKind
			d    apel.Disruption
		}
		var order []key
		count := map[key]int{}
		for _, s := range r.Disrupted {
			k := key{s.Kind, s.Disruption}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
		sb.WriteString("\n\n" + p.T("report.outages"))
		for _, k := range order {
			sb.WriteString("\n• " + p.T("report.outage_line", p.T("session."+string(k.kind)), period(p, loc, k.d), count[k]))
		}
		sb.WriteString("\n" + p.T("report.outage_rule"))
	}
	if n := len(r.Corrections); n > 0 {
		sb.WriteString("\n\n" + p.T("report.corrections", n))
		for i, c := range r.Corrections {
			if i == maxReportCorrections {
				sb.WriteString("\n" + p.T("report.corrections_more", n-i))
				break
			}
			who, by := r.People[c.EmployeeID], r.People[c.By]
			sb.WriteString("\n• " + p.T("report.correction_line", esc(who.Name), esc(who.NIP), esc(who.OPD),
				p.T("session."+string(c.Kind)), correctionText(p, c), esc(by.Name), p.Clock(c.At.In(loc))))
		}
	}
	return sb.String()
}
