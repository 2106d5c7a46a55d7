package export

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// The flagged check-ins of the day (apel.DailyReport.WithFlags): a sheet
// of the workbook and a section of the PDF, both only when something was
// flagged. They name the person, the apel, the flags and the review; the
// coordinates stay in the bot's evidence view (/bukti).

// FlagNames is the short names of fs' kinds, joined: "akurasi rendah, di
// luar radius". The bot's views use it too.
func FlagNames(p locales.Printer, fs []apel.Flag) string {
	seen := map[apel.FlagKind]bool{}
	var names []string
	for _, f := range fs {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			names = append(names, p.T("flag.short."+string(f.Kind)))
		}
	}
	return strings.Join(names, ", ")
}

// reviewName is the review status of a flagged line, with the reason of a
// rejection.
func reviewName(p locales.Printer, r *apel.Review) string {
	if r == nil {
		return p.T("flags.status.pending")
	}
	s := p.T("flags.status." + string(r.Decision))
	if r.Note != "" {
		s += ": " + r.Note
	}
	return s
}

// flagsSheetName is the flags sheet's name, made unique among names.
func flagsSheetName(p locales.Printer, names []string) string {
	name := p.T("export.sheet.flags")
	for taken := true; taken; {
		taken = false
		for _, n := range names {
			if strings.EqualFold(n, name) {
				name += "~"
				taken = true
			}
		}
	}
	return name
}

// writeFlagsSheet adds the sheet of flagged check-ins, when there are any.
func writeFlagsSheet(f *excelize.File, st xlsxStyles, p locales.Printer, names []string, page pageSetup, zone string, loc *time.Location, r apel.DailyReport) error {
	if len(r.Flagged) == 0 {
		return nil
	}
	name := flagsSheetName(p, names)
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	titles := []string{p.T("export.col.no"), p.T("export.col.opd_code"), p.T("export.col.nip"), p.T("export.col.name"),
		p.T("export.col.apel"), p.T("export.col.time", zone), p.T("export.col.flags"), p.T("export.col.review")}
	sw, err := startSheet(f, name, page, p.T("export.pdf.flags_title"), true, 4, []float64{5, 16, 21, 30, 8, 12, 40, 40})
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	for i, l := range r.Flagged {
		at := l.CheckIn.Fix.At.In(loc)
		row := []any{
			excelize.Cell{StyleID: st.numCenter, Value: i + 1},
			excelize.Cell{StyleID: st.center, Value: l.OPD.Code},
			excelize.Cell{StyleID: st.nip, Value: l.Employee.NIP},
			excelize.Cell{StyleID: st.text, Value: l.Employee.Name},
			excelize.Cell{StyleID: st.center, Value: p.T("report.session." + string(l.Kind))},
			excelize.Cell{StyleID: st.clock, Value: float64(at.Hour()*3600+at.Minute()*60+at.Second()) / 86400},
			excelize.Cell{StyleID: st.text, Value: FlagNames(p, l.Flags)},
			excelize.Cell{StyleID: st.text, Value: reviewName(p, l.Review)},
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// flags writes the section of flagged check-ins, when there are any: the
// pemda's counts, then one row per check-in.
func (doc *pdfDoc) flags() {
	r, p, f := doc.d.Report, doc.p, doc.f
	if len(r.Flagged) == 0 {
		return
	}
	const size = 8
	f.Ln(4)
	if !doc.room(10 + rowHeight(2)) {
		f.AddPage()
	}
	doc.font(true, 10, rgb{})
	f.MultiCell(0, 5, p.T("export.pdf.flags_title"), "", "L", false)
	doc.font(false, 8.5, rgb{})
	t := r.Flags
	f.MultiCell(0, 4.5, strings.TrimPrefix(p.T("report.flags", t.Flagged, t.Accepted, t.Rejected, t.Open()), "⚑ "), "", "L", false)
	f.Ln(1)
	cols := []float64{8, 24, 58, 14, 40, 36}
	header := doc.c.header
	heads := []string{p.T("export.col.no"), p.T("export.col.opd_code"), p.T("export.col.name"), p.T("export.col.apel"),
		p.T("export.col.flags"), p.T("export.col.review")}
	var hc []cell
	for i, h := range heads {
		hc = append(hc, cell{w: cols[i], lines: doc.split(h, cols[i], true, size), align: "C", fill: &header, fit: true})
	}
	doc.row(hc, rowHeight(1), true, size)
	for i, l := range r.Flagged {
		var fill *rgb
		if i%2 == 1 {
			zebra := doc.c.zebra
			fill = &zebra
		}
		who := doc.split(l.Employee.Name+" ("+l.Employee.NIP+")", cols[2], false, size)
		flags := doc.split(FlagNames(p, l.Flags), cols[4], false, size)
		review := doc.split(reviewName(p, l.Review), cols[5], false, size)
		h := rowHeight(max(len(who), len(flags), len(review)))
		if !doc.room(h) {
			f.AddPage()
			doc.row(hc, rowHeight(1), true, size)
		}
		doc.row([]cell{
			{w: cols[0], lines: []string{strconv.Itoa(i + 1)}, align: "R", fill: fill},
			{w: cols[1], lines: doc.split(l.OPD.Code, cols[1], false, size), align: "L", fill: fill},
			{w: cols[2], lines: who, align: "L", fill: fill},
			{w: cols[3], lines: []string{p.T("report.session." + string(l.Kind))}, align: "C", fill: fill},
			{w: cols[4], lines: flags, align: "L", fill: fill},
			{w: cols[5], lines: review, align: "L", fill: fill},
		}, h, false, size)
	}
}
