package export

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// MonthPDF writes the evaluation on A4 paper, to print, sign and file, in
// the layout of [PDF]: the pemda and BKPSDM at the top, the title and the
// period; the key figures; attendance by work mode; by ISO week; every OPD
// with its rate, lateness and activity reports, the ones under the
// threshold in red; the chart of [RateChart] (left out, with a note,
// beyond MaxChartOPDs) and of [LateChart]; the legend; and the signature
// block of the head of BKPSDM. Tables repeat their header on every page.
// The output is the same for the same input.
func MonthPDF(w io.Writer, p locales.Printer, m Month) error {
	if err := writeMonthPDF(w, p, m, pdfOptions{compress: true}); err != nil {
		return fmt.Errorf("write month pdf: %w", err)
	}
	return nil
}

func writeMonthPDF(w io.Writer, p locales.Printer, m Month, opt pdfOptions) error {
	e := m.Eval
	doc := newPDFDoc(p, pdfHead{pemda: e.Pemda, bkpsdm: m.BKPSDM, title: p.T("export.month.title"), signed: e.To},
		monthName(p, e.From, e.To), opt)
	f := doc.f
	f.AddPage()
	doc.letterhead()
	doc.monthFigures(e)
	doc.monthModes(e)
	doc.monthWeeks(e)
	doc.monthOPDs(e)
	if err := doc.monthCharts(e); err != nil {
		return err
	}
	doc.note(p.T("export.month.legend"))
	doc.signature()
	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

// gridRow is one row of a grid: its cells' text, and how to draw it.
type gridRow struct {
	cells []string
	bold  bool
	fill  *rgb
	alert []bool // per cell: in the alert colour
}

// grid draws a table of cols (widths, summing to the text width) and
// aligns: the header row (wrapped to fit, bold, shaded), then rows with
// zebra stripes, breaking pages between rows and repeating the header.
func (doc *pdfDoc) grid(cols []float64, aligns []string, header []string, rows []gridRow) {
	const size = 8
	head := func() {
		n := 1
		lines := make([][]string, len(header))
		for i, t := range header {
			lines[i] = doc.wrapWords(t, cols[i]-2, true, size)
			n = max(n, len(lines[i]))
		}
		cells := make([]cell, len(header))
		for i := range header {
			// A word wider than its column shrinks the font, never breaks.
			cells[i] = cell{w: cols[i], lines: lines[i], align: "C", fill: &doc.c.header, fit: true}
		}
		doc.row(cells, rowHeight(n), true, size)
	}
	if !doc.room(2 * rowHeight(2)) {
		doc.f.AddPage()
	}
	head()
	for i, r := range rows {
		fill := r.fill
		if fill == nil && i%2 == 1 {
			fill = &doc.c.zebra
		}
		n := 1
		lines := make([][]string, len(r.cells))
		for j, t := range r.cells {
			lines[j] = doc.split(t, cols[j]-2, r.bold, size)
			n = max(n, len(lines[j]))
		}
		h := rowHeight(n)
		if !doc.room(h) {
			doc.f.AddPage()
			head()
		}
		cells := make([]cell, len(r.cells))
		for j := range r.cells {
			cells[j] = cell{w: cols[j], lines: lines[j], align: aligns[j], fill: fill, alert: j < len(r.alert) && r.alert[j]}
		}
		doc.row(cells, h, r.bold, size)
	}
	doc.f.Ln(3)
}

// wrapWords wraps s to width w in the given font at spaces only: a word
// wider than w gets a line of its own.
func (doc *pdfDoc) wrapWords(s string, w float64, bold bool, size float64) []string {
	doc.font(bold, size, rgb{})
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && doc.f.GetStringWidth(line+" "+word) > w {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

// heading writes a section heading, on a new page when it would be left
// alone at the bottom.
func (doc *pdfDoc) heading(s string) {
	if !doc.room(30) {
		doc.f.AddPage()
	}
	doc.font(true, 10.5, rgb{})
	doc.f.MultiCell(0, 6, s, "", "L", false)
	doc.f.Ln(1)
}

// note writes a small grey paragraph.
func (doc *pdfDoc) note(s string) {
	doc.font(false, 7.5, doc.c.grey)
	lines := doc.f.SplitText(s, 180)
	if !doc.room(float64(len(lines)) * 3.6) {
		doc.f.AddPage()
	}
	doc.font(false, 7.5, doc.c.grey)
	doc.f.MultiCell(0, 3.6, s, "", "L", false)
	doc.f.Ln(2)
}

// rate formats a tally's rate, a dash when nothing was held.
func (doc *pdfDoc) rate(t apel.Tally, r func(apel.Tally) float64) string {
	if !t.Held {
		return "–"
	}
	return doc.p.Percent(100 * r(t))
}

// monthFigures writes the key figures, two to a row.
func (doc *pdfDoc) monthFigures(e apel.Evaluation) {
	p := doc.p
	t, x, a, r := e.Total, e.Excuses, e.Activity, e.Requests
	row := func(key string) string { return p.T("export.month.row." + key) }
	figures := [][2]string{
		{row("days"), p.Number(len(e.Days))},
		{row("headcount"), p.Number(e.Headcount)},
		{row("rate"), doc.rate(t, apel.Tally.Rate) + " (" + p.Number(t.Present) + "/" + p.Number(t.Expected()) + ")"},
		{row("late_rate"), doc.rate(t, apel.Tally.LateRate) + " (" + p.Number(t.Late) + ")"},
		{row("rate_pagi"), doc.rate(e.Pagi, apel.Tally.Rate)},
		{row("rate_sore"), doc.rate(e.Sore, apel.Tally.Rate)},
		{row("out_of_place"), p.Number(t.OutOfPlace)},
		{row("absent"), p.Number(t.Absent + t.Pending)},
		{p.T("export.month.col.excused_days"), p.Number(x.Total())},
		{row("activity_rate"), p.Percent(100*a.Rate()) + " (" + p.Number(a.Reported) + "/" + p.Number(a.Due) + ")"},
		{row("requests_approved"), p.Number(r.Approved)},
		{row("quota_rate"), p.Percent(100*r.QuotaRate()) + " (" + p.Number(r.OffSite) + "/" + p.Number(r.QuotaDays) + ")"},
		{row("threshold"), p.Percent(100 * e.Threshold)},
		{row("below"), p.Number(len(e.Below()))},
	}
	doc.heading(p.T("export.month.pdf.figures"))
	var rows []gridRow
	for i := 0; i < len(figures); i += 2 {
		r := gridRow{cells: []string{figures[i][0], figures[i][1], "", ""}}
		if i+1 < len(figures) {
			r.cells[2], r.cells[3] = figures[i+1][0], figures[i+1][1]
		}
		rows = append(rows, r)
	}
	doc.grid([]float64{58, 32, 58, 32}, []string{"L", "R", "L", "R"},
		[]string{p.T("export.month.col.indicator"), p.T("export.month.col.value"), p.T("export.month.col.indicator"), p.T("export.month.col.value")}, rows)
	ex := p.T("export.month.pdf.excuses", p.Number(x.Izin), p.Number(x.Sakit), p.Number(x.Cuti), p.Number(x.DinasLuar))
	if below := e.Below(); len(below) > 0 {
		var names []string
		for _, o := range below {
			names = append(names, o.OPD.Code+" "+p.Percent(100*o.Total.Rate()))
		}
		ex += " " + p.T("export.month.pdf.below", p.Percent(100*e.Threshold), strings.Join(names, ", "))
	}
	doc.note(ex)
}

// tallyRow is a grid row of a tally: present/expected, rate, late, late
// rate, out of place, TK.
func (doc *pdfDoc) tallyRow(first []string, t apel.Tally) gridRow {
	p := doc.p
	return gridRow{cells: append(first, p.Number(t.Present)+"/"+p.Number(t.Expected()), doc.rate(t, apel.Tally.Rate),
		p.Number(t.Late), doc.rate(t, apel.Tally.LateRate), p.Number(t.OutOfPlace), p.Number(t.Absent+t.Pending))}
}

// tallyHeader are the titles of tallyRow's cells.
func (doc *pdfDoc) tallyHeader(first ...string) []string {
	p := doc.p
	return append(first, p.T("export.col.present_expected"), p.T("export.col.rate"), p.T("export.col.late"),
		p.T("export.month.col.late_rate"), p.T("export.month.col.out_of_place"), p.T("export.col.absent"))
}

// tallyCols are the widths of tallyRow's cells, 100 mm.
func tallyCols() []float64 { return []float64{22, 18, 16, 20, 14, 10} }

func (doc *pdfDoc) monthModes(e apel.Evaluation) {
	p := doc.p
	doc.heading(p.T("export.month.pdf.modes"))
	var rows []gridRow
	for _, m := range e.Modes {
		rows = append(rows, doc.tallyRow([]string{modeName(p, m.Mode)}, m.Tally))
	}
	doc.grid(append([]float64{80}, tallyCols()...), []string{"L", "C", "R", "R", "R", "R", "R"},
		doc.tallyHeader(p.T("export.month.col.mode")), rows)
}

func (doc *pdfDoc) monthWeeks(e apel.Evaluation) {
	p := doc.p
	doc.heading(p.T("export.month.pdf.weeks"))
	var rows []gridRow
	for _, w := range e.Weeks {
		rows = append(rows, doc.tallyRow([]string{weekLabel(p, w), shortDate(p, w.From) + " – " + shortDate(p, w.To), strconv.Itoa(w.Days)}, w.Total))
	}
	doc.grid(append([]float64{24, 40, 16}, tallyCols()...), []string{"L", "L", "R", "C", "R", "R", "R", "R", "R"},
		doc.tallyHeader(p.T("export.month.col.week"), p.T("export.month.pdf.dates"), p.T("export.month.col.days")), rows)
}

func (doc *pdfDoc) monthOPDs(e apel.Evaluation) {
	p := doc.p
	doc.heading(p.T("export.month.pdf.opds"))
	var rows []gridRow
	for i, o := range e.OPDs {
		r := doc.tallyRow([]string{strconv.Itoa(i + 1), o.OPD.Code, o.OPD.Name, p.Number(o.Headcount)}, o.Total)
		r.cells = append(r.cells[:6], r.cells[7], p.Percent(100*o.Activity.Rate()))
		if o.Below {
			r.alert = []bool{false, true, false, false, false, true}
		}
		rows = append(rows, r)
	}
	t := e.Total
	total := gridRow{cells: []string{"", p.T("export.total"), "", p.Number(e.Headcount), p.Number(t.Present) + "/" + p.Number(t.Expected()),
		doc.rate(t, apel.Tally.Rate), doc.rate(t, apel.Tally.LateRate), p.Percent(100 * e.Activity.Rate())}, bold: true, fill: &doc.c.total}
	rows = append(rows, total)
	doc.grid([]float64{8, 27, 60, 15, 20, 16, 17, 17}, []string{"R", "L", "L", "R", "C", "R", "R", "R"},
		[]string{p.T("export.col.no"), p.T("export.col.opd_code"), p.T("export.col.opd_name"), p.T("export.col.headcount"),
			p.T("export.col.present_expected"), p.T("export.col.rate"), p.T("export.month.col.late_rate"), p.T("export.month.pdf.activity")}, rows)
}

// monthCharts embeds the rate chart (or a note beyond MaxChartOPDs) and the
// lateness trend, each on a new page when it does not fit.
func (doc *pdfDoc) monthCharts(e apel.Evaluation) error {
	p := doc.p
	var png bytes.Buffer
	switch {
	case len(e.OPDs) > MaxChartOPDs:
		doc.note(p.T("export.pdf.chart_omitted", len(e.OPDs)))
	case len(e.OPDs) > 0:
		if err := RateChart(&png, p, e); err != nil {
			return err
		}
		doc.image("rate", &png)
	}
	if len(e.Days) > 0 {
		var late bytes.Buffer
		if err := LateChart(&late, p, e); err != nil {
			return err
		}
		doc.image("late", &late)
	}
	return nil
}

// image embeds a ChartWidth by ChartHeight PNG at the text width.
func (doc *pdfDoc) image(name string, png io.Reader) {
	f := doc.f
	if !doc.room(pdfChartH) {
		f.AddPage()
	}
	f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, png)
	pageW, _ := f.GetPageSize()
	y := f.GetY()
	f.ImageOptions(name, pdfMargin, y, pageW-2*pdfMargin, pdfChartH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	f.SetY(y + pdfChartH + 4)
}
