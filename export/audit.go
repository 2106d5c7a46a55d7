package export

import (
	"strings"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// auditLines are the outages and corrections of a daily report as plain
// lines: one per outage and session (with the OPDs it hit), then one per
// correction. None when the day had neither.
func auditLines(p locales.Printer, d Detail) (outages, corrections []string) {
	r, loc := d.Report, d.Location
	clock := func(s apel.Disruption) string {
		if s.To.IsZero() {
			return p.T("outage.since", p.Clock(s.From.In(loc)))
		}
		return p.T("outage.period", p.Clock(s.From.In(loc)), p.Clock(s.To.In(loc)))
	}
	type key struct {
		kind apel.SessionKind
		d    apel.Disruption
	}
	var order []key
	opds := map[key][]string{}
	for _, s := range r.Disrupted {
		k := key{s.Kind, s.Disruption}
		if opds[k] == nil {
			order = append(order, k)
		}
		opds[k] = append(opds[k], s.OPD)
	}
	for _, k := range order {
		outages = append(outages, p.T("export.pdf.outage_line", p.T("session."+string(k.kind)), clock(k.d),
			strings.Join(opds[k], ", ")))
	}
	status := func(s apel.Status, x apel.ExcuseKind) string {
		return statusName(p, apel.Attendance{Status: s, Excuse: x})
	}
	for _, c := range r.Corrections {
		who, by := r.People[c.EmployeeID], r.People[c.By]
		line := p.T("export.pdf.correction_line", who.Name, who.NIP, who.OPD, p.T("session."+string(c.Kind)),
			status(c.Before, c.BeforeExcuse), status(c.After, c.Excuse), p.T("correct.reason."+string(c.Reason)),
			by.Name, p.Clock(c.At.In(loc)))
		if c.Note != "" {
			line += " — " + c.Note
		}
		corrections = append(corrections, line)
	}
	return outages, corrections
}

// audit writes, under the legend, the outages that disrupted sessions and
// the corrections of the day; nothing when there were none.
func (doc *pdfDoc) audit() {
	outages, corrections := auditLines(doc.p, doc.d)
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		doc.f.Ln(2)
		if !doc.room(8) {
			doc.f.AddPage()
		}
		doc.font(true, 8, rgb{})
		doc.f.MultiCell(0, 4, title, "", "L", false)
		doc.font(false, 7.5, rgb{})
		for _, l := range lines {
			if !doc.room(4) {
				doc.f.AddPage()
			}
			doc.f.MultiCell(0, 3.6, "• "+l, "", "L", false)
		}
	}
	if len(outages) > 0 {
		section(doc.p.T("export.pdf.outages"), append(outages, doc.p.T("report.outage_rule")))
	}
	section(doc.p.T("export.pdf.corrections", len(corrections)), corrections)
}
