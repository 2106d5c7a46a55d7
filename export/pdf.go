package export

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// PDF writes the daily report on A4 paper, to print, sign and file: the
// pemda and BKPSDM at the top, the title and date, a table of every OPD
// with pagi and sore present over expected and the rate (the header
// repeats on every page), the totals, the legend, the chart of [Chart]
// (left out, with a note, beyond MaxChartOPDs), and a signature block for
// the head of BKPSDM with a blank for the place.
//
// The Go fonts are embedded (subset), so the file prints the same on any
// machine and shows any name Unicode can spell. The output is the same for
// the same input: the PDF dates are set to the report date.
func PDF(w io.Writer, p locales.Printer, d Detail) error {
	if err := writePDF(w, p, d, pdfOptions{compress: true}); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// pdfOptions are knobs for tests: an uncompressed file lets them find the
// text in the content streams.
type pdfOptions struct {
	compress bool
}

// Page geometry of the PDF, in millimetres.
const (
	pdfMargin    = 15.0
	pdfBottom    = 18.0 // room for the footer
	pdfRowLine   = 4.0  // line height of table text
	pdfCellPad   = 1.2  // vertical padding inside a table cell
	pdfChartH    = 90.0 // ChartHeight/ChartWidth of the 180 mm text width
	pdfSignature = 52.0 // height of the signature block
	pdfFont      = "go"
)

// pdfColumns are the widths of the OPD table, 180 mm in all: No., code,
// name, headcount, then present/expected and rate of pagi and of sore.
func pdfColumns() []float64 { return []float64{8, 27, 55, 16, 19, 18, 19, 18} }

// rgb is a colour for fpdf.
type rgb struct{ r, g, b int }

// pdfPalette are the colours of the PDF.
type pdfPalette struct{ header, zebra, total, grey, rule, alert, alertFill rgb }

func newPDFPalette() pdfPalette {
	return pdfPalette{
		header: rgb{0xDD, 0xE6, 0xF2}, zebra: rgb{0xF5, 0xF7, 0xFA}, total: rgb{0xE8, 0xE8, 0xE8},
		grey: rgb{0x59, 0x59, 0x59}, rule: rgb{0x7F, 0x7F, 0x7F},
		alert: rgb{0xC0, 0x39, 0x2B}, alertFill: rgb{0xFB, 0xE9, 0xE7},
	}
}

// pdfDoc is one PDF being written.
type pdfDoc struct {
	f    *fpdf.Fpdf
	p    locales.Printer
	d    Detail // the daily report's; zero for other documents
	date string // the date (or period) under the title
	c    pdfPalette
	head pdfHead
}

// pdfHead is what the letterhead, footer and signature name.
type pdfHead struct {
	pemda, bkpsdm string
	title         string    // the document's title, e.g. export.title
	signed        apel.Date // the date of the signature block
}

func writePDF(w io.Writer, p locales.Printer, d Detail, opt pdfOptions) error {
	r := d.Report
	doc := newPDFDoc(p, pdfHead{pemda: r.Pemda, bkpsdm: d.BKPSDM, title: p.T("export.title"), signed: r.Date},
		p.Date(noon(r.Date)), opt)
	doc.d = d
	f := doc.f
	f.AddPage()
	doc.letterhead()
	doc.table()
	doc.legend()
	doc.audit()
	doc.flags() // flags.go
	if err := doc.chart(); err != nil {
		return err
	}
	doc.signature()
	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

// newPDFDoc starts an A4 document with the Go fonts embedded, the
// properties of h (dated h.signed, so that the same input gives the same
// bytes) and the running footer; date is the line under the title.
func newPDFDoc(p locales.Printer, h pdfHead, date string, opt pdfOptions) *pdfDoc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(opt.compress)
	f.SetCatalogSort(true) // same input, same bytes
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfBottom) // tables break their own pages
	f.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	doc := &pdfDoc{f: f, p: p, date: date, c: newPDFPalette(), head: h}
	f.SetTitle(h.title+" — "+h.pemda+" — "+date, true)
	f.SetSubject(h.pemda, true)
	f.SetAuthor(h.bkpsdm, true)
	f.SetCreator("apelbot", true)
	f.SetLang(p.Lang())
	f.SetCreationDate(noon(h.signed))
	f.SetModificationDate(noon(h.signed))
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(doc.footer)
	return doc
}

func (doc *pdfDoc) font(bold bool, size float64, c rgb) {
	style := ""
	if bold {
		style = "B"
	}
	doc.f.SetFont(pdfFont, style, size)
	doc.f.SetTextColor(c.r, c.g, c.b)
}

// room reports whether h millimetres fit above the bottom margin.
func (doc *pdfDoc) room(h float64) bool {
	_, pageH := doc.f.GetPageSize()
	return doc.f.GetY()+h <= pageH-pdfBottom
}

// letterhead writes the pemda, BKPSDM, a double rule, the title and the date.
func (doc *pdfDoc) letterhead() {
	f, h := doc.f, doc.head
	black := rgb{}
	doc.font(true, 15, black)
	f.MultiCell(0, 7, h.pemda, "", "C", false)
	if h.bkpsdm != "" {
		doc.font(true, 12, black)
		f.MultiCell(0, 6, h.bkpsdm, "", "C", false)
	}
	pageW, _ := f.GetPageSize()
	y := f.GetY() + 2
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.8)
	f.Line(pdfMargin, y, pageW-pdfMargin, y)
	f.SetLineWidth(0.2)
	f.Line(pdfMargin, y+1.2, pageW-pdfMargin, y+1.2)
	f.SetY(y + 5)
	doc.font(true, 13, black)
	f.MultiCell(0, 6.5, strings.ToUpper(h.title), "", "C", false)
	doc.font(false, 11, doc.c.grey)
	f.MultiCell(0, 6, doc.date, "", "C", false)
	f.Ln(4)
}

// footer writes the running footer: what this is on the left, the page
// number of the total on the right.
func (doc *pdfDoc) footer() {
	f := doc.f
	pageW, pageH := f.GetPageSize()
	f.SetDrawColor(doc.c.rule.r, doc.c.rule.g, doc.c.rule.b)
	f.SetLineWidth(0.2)
	f.Line(pdfMargin, pageH-pdfBottom+5, pageW-pdfMargin, pageH-pdfBottom+5)
	doc.font(false, 7.5, doc.c.grey)
	f.SetXY(pdfMargin, pageH-pdfBottom+6)
	left := doc.head.pemda + " · " + doc.head.title + " · " + doc.date
	f.CellFormat(pageW-2*pdfMargin-35, 5, left, "", 0, "L", false, 0, "")
	f.CellFormat(35, 5, doc.p.T("export.pdf.page", f.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
}

// cell is one cell of a table row: its text lines and how to draw them.
type cell struct {
	w     float64
	lines []string
	align string
	fill  *rgb
	grey  bool
	alert bool // in the alert colour (a rate under the threshold)
	fit   bool // shrink the font until every line fits the width
}

// row draws cells side by side from the left margin at the current y, all
// of height h, and moves below them.
func (doc *pdfDoc) row(cells []cell, h float64, bold bool, size float64) {
	y := doc.f.GetY()
	doc.cellsAt(pdfMargin, y, cells, h, bold, size)
	doc.f.SetXY(pdfMargin, y+h)
}

// cellsAt draws cells side by side from (x, y), all of height h, with
// borders, their lines centred vertically.
func (doc *pdfDoc) cellsAt(x, y float64, cells []cell, h float64, bold bool, size float64) {
	f := doc.f
	f.SetDrawColor(doc.c.rule.r, doc.c.rule.g, doc.c.rule.b)
	f.SetLineWidth(0.2)
	for _, c := range cells {
		style := "D"
		if c.fill != nil {
			f.SetFillColor(c.fill.r, c.fill.g, c.fill.b)
			style = "FD"
		}
		f.Rect(x, y, c.w, h, style)
		color := rgb{}
		if c.grey {
			color = doc.c.grey
		}
		if c.alert {
			color = doc.c.alert
		}
		doc.font(bold, size, color)
		if c.fit {
			doc.fitFont(c, bold, size, color)
		}
		ty := y + (h-float64(len(c.lines))*pdfRowLine)/2
		for _, l := range c.lines {
			f.SetXY(x, ty)
			f.CellFormat(c.w, pdfRowLine, l, "", 0, c.align, false, 0, "")
			ty += pdfRowLine
		}
		x += c.w
	}
}

// fitFont sets the largest font size, from size down to 5 pt, at which
// every line of c fits its width: a header in a long language stays in its
// column instead of running into the next.
func (doc *pdfDoc) fitFont(c cell, bold bool, size float64, color rgb) {
	const pad = 2 // fpdf's cell margin, both sides
	for ; size > 5; size -= 0.25 {
		doc.font(bold, size, color)
		fits := true
		for _, l := range c.lines {
			fits = fits && doc.f.GetStringWidth(l)+pad <= c.w
		}
		if fits {
			return
		}
	}
}

// split wraps s to width w in the given font.
func (doc *pdfDoc) split(s string, w float64, bold bool, size float64) []string {
	doc.font(bold, size, rgb{})
	lines := doc.f.SplitText(s, w)
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// rowHeight is the height of a row whose tallest cell has n lines.
func rowHeight(n int) float64 { return float64(n)*pdfRowLine + 2*pdfCellPad }

// tableHeader draws the two header rows of the OPD table.
func (doc *pdfDoc) tableHeader() {
	f, p := doc.f, doc.p
	header := doc.c.header
	cols := pdfColumns()
	const size = 8
	span := func(k apel.SessionKind) string { return p.T("export.pdf.session", p.T("report.session."+string(k))) }
	// Row one: the four plain columns span both rows; each session spans
	// its two columns.
	tall := []string{p.T("export.col.no"), p.T("export.col.opd_code"), p.T("export.col.opd_name"), p.T("export.col.headcount")}
	n := 1
	for i, t := range tall {
		n = max(n, len(doc.split(t, cols[i], true, size)))
	}
	h := rowHeight(max(n, 2)) // two lines, whatever the language
	top := h / 2
	y := f.GetY()
	cells := make([]cell, 0, len(cols))
	for i, t := range tall {
		cells = append(cells, cell{w: cols[i], lines: doc.split(t, cols[i], true, size), align: "C", fill: &header})
	}
	doc.row(cells, h, true, size)
	x := pdfMargin
	for _, w := range cols[:4] {
		x += w
	}
	for i, k := range sessionKinds() {
		w := cols[4+2*i] + cols[5+2*i]
		doc.cellsAt(x, y, []cell{{w: w, lines: []string{span(k)}, align: "C", fill: &header, fit: true}}, top, true, size)
		doc.cellsAt(x, y+top, []cell{
			{w: cols[4+2*i], lines: []string{p.T("export.col.present_expected")}, align: "C", fill: &header, fit: true},
			{w: cols[5+2*i], lines: []string{p.T("export.col.rate")}, align: "C", fill: &header, fit: true},
		}, h-top, true, size)
		x += w
	}
	f.SetXY(pdfMargin, y+h)
}

// table draws the OPD table, breaking pages between rows and repeating the
// header on each page, then the totals row.
func (doc *pdfDoc) table() {
	p, r := doc.p, doc.d.Report
	zebra, total := doc.c.zebra, doc.c.total
	cols := pdfColumns()
	const size = 8.5
	doc.tableHeader()
	sessionCells := func(t apel.Tally, fill *rgb, i int) []cell {
		w := cols[4+2*i] + cols[5+2*i]
		if !t.Held {
			return []cell{{w: w, lines: []string{p.T("export.status.not_held")}, align: "C", fill: fill, grey: true}}
		}
		return []cell{
			{w: cols[4+2*i], lines: []string{strconv.Itoa(t.Present) + "/" + strconv.Itoa(t.Expected())}, align: "C", fill: fill},
			{w: cols[5+2*i], lines: []string{p.Percent(100 * t.Rate())}, align: "R", fill: fill},
		}
	}
	for i, o := range r.OPDs {
		var fill *rgb
		if i%2 == 1 {
			fill = &zebra
		}
		code := doc.split(o.OPD.Code, cols[1], false, size)
		name := doc.split(o.OPD.Name, cols[2], false, size)
		h := rowHeight(max(len(code), len(name)))
		if !doc.room(h) {
			doc.f.AddPage()
			doc.tableHeader()
		}
		cells := []cell{
			{w: cols[0], lines: []string{strconv.Itoa(i + 1)}, align: "R", fill: fill},
			{w: cols[1], lines: code, align: "L", fill: fill},
			{w: cols[2], lines: name, align: "L", fill: fill},
			{w: cols[3], lines: []string{p.Number(o.Pagi.Headcount)}, align: "R", fill: fill},
		}
		cells = append(cells, sessionCells(o.Pagi, fill, 0)...)
		cells = append(cells, sessionCells(o.Sore, fill, 1)...)
		doc.row(cells, h, false, size)
	}
	h := rowHeight(1)
	if !doc.room(h) {
		doc.f.AddPage()
		doc.tableHeader()
	}
	cells := []cell{
		{w: cols[0] + cols[1] + cols[2], lines: []string{p.T("export.total")}, align: "L", fill: &total},
		{w: cols[3], lines: []string{p.Number(r.Headcount)}, align: "R", fill: &total},
	}
	cells = append(cells, sessionCells(r.Pagi, &total, 0)...)
	cells = append(cells, sessionCells(r.Sore, &total, 1)...)
	doc.row(cells, h, true, size)
}

// legend explains the rate and TK under the table.
func (doc *pdfDoc) legend() {
	doc.f.Ln(2)
	doc.font(false, 7.5, doc.c.grey)
	lines := doc.f.SplitText(doc.p.T("report.legend"), 180)
	if !doc.room(float64(len(lines)) * 3.6) {
		doc.f.AddPage()
	}
	doc.f.MultiCell(0, 3.6, doc.p.T("report.legend"), "", "L", false)
}

// chart embeds the PNG of Chart at the text width, on a new page when it
// does not fit; beyond MaxChartOPDs it writes a note instead.
func (doc *pdfDoc) chart() error {
	f, r := doc.f, doc.d.Report
	f.Ln(5)
	if len(r.OPDs) == 0 {
		return nil
	}
	if len(r.OPDs) > MaxChartOPDs {
		doc.font(false, 8, doc.c.grey)
		f.MultiCell(0, 4, doc.p.T("export.pdf.chart_omitted", len(r.OPDs)), "", "L", false)
		return nil
	}
	var png bytes.Buffer
	if err := Chart(&png, doc.p, r); err != nil {
		return err
	}
	if !doc.room(pdfChartH) {
		f.AddPage()
	}
	f.RegisterImageOptionsReader("chart", fpdf.ImageOptions{ImageType: "PNG"}, &png)
	pageW, _ := f.GetPageSize()
	y := f.GetY()
	f.ImageOptions("chart", pdfMargin, y, pageW-2*pdfMargin, pdfChartH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	f.SetY(y + pdfChartH)
	return nil
}

// signature writes the block the head of BKPSDM signs, on the right half:
// place (a blank to fill in by hand) and date, title, room to sign, a line
// for the name and the NIP.
func (doc *pdfDoc) signature() {
	f, p := doc.f, doc.p
	f.Ln(6)
	if !doc.room(pdfSignature) {
		f.AddPage()
	}
	pageW, _ := f.GetPageSize()
	const w = 80.0
	x := pageW - pdfMargin - w
	f.SetLeftMargin(x)
	f.SetX(x)
	doc.font(false, 10, rgb{})
	f.MultiCell(w, 5, p.T("export.pdf.place_date", "..................", letterDate(p, doc.head.signed)), "", "L", false)
	bkpsdm := doc.head.bkpsdm
	if bkpsdm == "" {
		bkpsdm = "BKPSDM"
	}
	f.MultiCell(w, 5, p.T("export.pdf.signature", bkpsdm), "", "L", false)
	y := f.GetY() + 24
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.3)
	f.Line(x, y, x+65, y)
	f.SetY(y + 1)
	f.SetX(x)
	f.MultiCell(w, 5, p.T("export.pdf.nip"), "", "L", false)
	f.SetLeftMargin(pdfMargin)
}

// letterDate is d as a letter dates itself, without the weekday of
// Printer.Date: "15 Januari 2026". The month names are the catalogue's.
func letterDate(p locales.Printer, d apel.Date) string {
	return strconv.Itoa(d.Day) + " " + p.T("month."+strconv.Itoa(int(d.Month))) + " " + strconv.Itoa(d.Year)
}
