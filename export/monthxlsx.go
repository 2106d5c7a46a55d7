package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// MonthXLSX writes the evaluation as a workbook, every count a number,
// every rate a number from 0 to 1 shown as a percentage, every date an
// Excel date:
//
//   - a summary sheet (export.sheet.summary, "Ringkasan"): one indicator per
//     row, its value, and a note (the OPDs below the threshold);
//   - "Per mode": attendance by the mode people worked in (WFO, WFH, WFA);
//   - "Per OPD": each OPD's headcount, days with apel, expected, present,
//     rate (and pagi and sore), late, out of place, excused person-days,
//     TK, activity reports owed and sent, quota and off-site person-days,
//     and whether it is below the threshold; a totals row;
//   - "Per minggu": each ISO week, its dates, days with apel and tallies;
//   - "Per hari": each date with apel: the lateness trend.
//
// Header rows are bold, frozen, and repeat on printed pages.
func MonthXLSX(w io.Writer, p locales.Printer, m Month) error {
	if err := writeMonthXLSX(w, p, m); err != nil {
		return fmt.Errorf("write month xlsx: %w", err)
	}
	return nil
}

// monthStyles are the workbook's styles beyond the daily ones.
type monthStyles struct {
	xlsxStyles
	date, alertText, alertPct int
}

func newMonthStyles(f *excelize.File) (monthStyles, error) {
	base, err := newXLSXStyles(f)
	if err != nil {
		return monthStyles{}, err
	}
	s := monthStyles{xlsxStyles: base}
	date, pct := "d mmm yyyy", "0.0%"
	alert := &excelize.Font{Bold: true, Color: "C0392B"}
	for _, d := range []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.date, excelize.Style{CustomNumFmt: &date, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.alertText, excelize.Style{Font: alert}},
		{&s.alertPct, excelize.Style{Font: alert, CustomNumFmt: &pct}},
	} {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return monthStyles{}, fmt.Errorf("style: %w", err)
		}
		*d.dst = id
	}
	return s, nil
}

// monthSheet is one sheet being written row by row.
type monthSheet struct {
	sw  *excelize.StreamWriter
	row int
}

// put writes cells as the next row.
func (s *monthSheet) put(cells ...any) error {
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, cells)
}

func writeMonthXLSX(w io.Writer, p locales.Printer, m Month) error {
	e := m.Eval
	f := excelize.NewFile()
	defer f.Close()
	st, err := newMonthStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    monthTitle(p, e),
		Subject:  e.Pemda,
		Creator:  m.BKPSDM,
		Language: p.Lang(),
		Created:  e.To.String() + "T00:00:00Z", // a stable file for a given period
		Modified: e.To.String() + "T00:00:00Z",
	}); err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	names := []string{p.T("export.sheet.summary"), p.T("export.month.sheet.mode"), p.T("export.month.sheet.opd"),
		p.T("export.month.sheet.week"), p.T("export.month.sheet.day")}
	if err := f.SetSheetName("Sheet1", names[0]); err != nil {
		return fmt.Errorf("sheet %s: %w", names[0], err)
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return fmt.Errorf("sheet %s: %w", n, err)
		}
	}
	page := printHeader(e.Pemda, monthName(p, e.From, e.To))
	writers := []func(*excelize.File, monthStyles, locales.Printer, string, pageSetup, apel.Evaluation) error{
		writeMonthSummary, writeMonthModes, writeMonthOPDs, writeMonthWeeks, writeMonthDays,
	}
	for i, write := range writers {
		if err := write(f, st, p, names[i], page, e); err != nil {
			return fmt.Errorf("sheet %s: %w", names[i], err)
		}
	}
	return f.Write(w)
}

// numCell, pctCell and textCell are cells of the usual styles.
func numCell(st monthStyles, v int) excelize.Cell { return excelize.Cell{StyleID: st.num, Value: v} }
func pctCell(st monthStyles, v float64) excelize.Cell {
	return excelize.Cell{StyleID: st.pct, Value: v}
}
func textCell(style int, v string) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// rateCell is a tally's rate, empty when nothing was held.
func rateCell(st monthStyles, t apel.Tally, rate func(apel.Tally) float64) excelize.Cell {
	if !t.Held {
		return excelize.Cell{StyleID: st.pct}
	}
	return pctCell(st, rate(t))
}

func writeMonthSummary(f *excelize.File, st monthStyles, p locales.Printer, name string, page pageSetup, e apel.Evaluation) error {
	sw, err := startSheet(f, name, page, p.T("export.month.title"), true, 1, []float64{46, 16, 60})
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, []string{p.T("export.month.col.indicator"), p.T("export.month.col.value"), p.T("export.col.notes")}); err != nil {
		return err
	}
	s := &monthSheet{sw: sw, row: 1}
	row := func(key string, value excelize.Cell, note ...string) error {
		return s.put(textCell(st.text, p.T("export.month.row."+key)), value, textCell(st.notes, strings.Join(note, "")))
	}
	var below []string
	for _, o := range e.Below() {
		below = append(below, o.OPD.Code+" ("+p.Percent(100*o.Total.Rate())+")")
	}
	t, x, a, r := e.Total, e.Excuses, e.Activity, e.Requests
	rows := []struct {
		key  string
		cell excelize.Cell
		note string
	}{
		{"pemda", textCell(st.text, e.Pemda), ""},
		{"period", textCell(st.text, letterDate(p, e.From)+" – "+letterDate(p, e.To)), ""},
		{"days", numCell(st, len(e.Days)), ""},
		{"headcount", numCell(st, e.Headcount), ""},
		{"expected", numCell(st, t.Expected()), p.T("export.month.note.person_sessions")},
		{"present", numCell(st, t.Present), ""},
		{"rate", rateCell(st, t, apel.Tally.Rate), ""},
		{"rate_pagi", rateCell(st, e.Pagi, apel.Tally.Rate), ""},
		{"rate_sore", rateCell(st, e.Sore, apel.Tally.Rate), ""},
		{"late", numCell(st, t.Late), ""},
		{"late_rate", rateCell(st, t, apel.Tally.LateRate), p.T("export.month.note.late_rate")},
		{"out_of_place", numCell(st, t.OutOfPlace), ""},
		{"absent", numCell(st, t.Absent+t.Pending), ""},
		{"izin", numCell(st, x.Izin), ""},
		{"sakit", numCell(st, x.Sakit), ""},
		{"cuti", numCell(st, x.Cuti), ""},
		{"dinas_luar", numCell(st, x.DinasLuar), ""},
		{"activity_due", numCell(st, a.Due), ""},
		{"activity_sent", numCell(st, a.Reported), ""},
		{"activity_rate", pctCell(st, a.Rate()), ""},
		{"requests_approved", numCell(st, r.Approved), ""},
		{"requests_in_force", numCell(st, r.InForce), ""},
		{"quota_days", numCell(st, r.QuotaDays), ""},
		{"off_site", numCell(st, r.OffSite), ""},
		{"quota_rate", pctCell(st, r.QuotaRate()), ""},
		{"threshold", pctCell(st, e.Threshold), ""},
		{"below", numCell(st, len(below)), strings.Join(below, ", ")},
	}
	for _, x := range rows {
		if err := row(x.key, x.cell, x.note); err != nil {
			return err
		}
	}
	s.row++
	if err := s.put(textCell(st.notes, p.T("export.month.legend"))); err != nil {
		return err
	}
	return sw.Flush()
}

// tallyCells are the columns every tally sheet shares: expected, present,
// rate, late, late rate, out of place, TK.
func tallyCells(st monthStyles, t apel.Tally) []any {
	return []any{numCell(st, t.Expected()), numCell(st, t.Present), rateCell(st, t, apel.Tally.Rate), numCell(st, t.Late),
		rateCell(st, t, apel.Tally.LateRate), numCell(st, t.OutOfPlace), numCell(st, t.Absent+t.Pending)}
}

// tallyTitles are the titles of tallyCells.
func tallyTitles(p locales.Printer) []string {
	return []string{p.T("export.col.expected"), p.T("export.col.present"), p.T("export.col.rate"), p.T("export.col.late"),
		p.T("export.month.col.late_rate"), p.T("export.month.col.out_of_place"), p.T("export.col.absent")}
}

// tallyWidths are the widths of tallyCells.
func tallyWidths() []float64 { return []float64{11, 11, 12, 11, 13, 11, 9} }

func writeMonthModes(f *excelize.File, st monthStyles, p locales.Printer, name string, page pageSetup, e apel.Evaluation) error {
	sw, err := startSheet(f, name, page, p.T("export.month.sheet.mode"), true, 1, append([]float64{34}, tallyWidths()...))
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, append([]string{p.T("export.month.col.mode")}, tallyTitles(p)...)); err != nil {
		return err
	}
	s := &monthSheet{sw: sw, row: 1}
	for _, m := range e.Modes {
		if err := s.put(append([]any{textCell(st.text, modeName(p, m.Mode))}, tallyCells(st, m.Tally)...)...); err != nil {
			return err
		}
	}
	s.row++
	if err := s.put(textCell(st.notes, p.T("export.month.note.modes"))); err != nil {
		return err
	}
	return sw.Flush()
}

func writeMonthOPDs(f *excelize.File, st monthStyles, p locales.Printer, name string, page pageSetup, e apel.Evaluation) error {
	titles := []string{p.T("export.col.opd_code"), p.T("export.col.opd_name"), p.T("export.col.headcount"), p.T("export.month.col.days")}
	titles = append(titles, tallyTitles(p)...)
	titles = append(titles, sessionTitle(p, apel.Pagi, "export.col.rate"), sessionTitle(p, apel.Sore, "export.col.rate"),
		p.T("export.month.col.excused_days"), p.T("export.month.col.activity_due"), p.T("export.month.col.activity_sent"),
		p.T("export.month.col.activity_rate"), p.T("export.month.col.quota_days"), p.T("export.month.col.off_site"),
		p.T("export.month.col.below"))
	widths := append([]float64{16, 46, 10, 9}, tallyWidths()...)
	widths = append(widths, 11, 11, 14, 12, 12, 12, 14, 14, 11)
	sw, err := startSheet(f, name, page, p.T("export.month.sheet.opd"), true, 2, widths)
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	s := &monthSheet{sw: sw, row: 1}
	yes, no := p.T("export.yes"), p.T("export.no")
	for _, o := range e.OPDs {
		code, flag := textCell(st.text, o.OPD.Code), textCell(st.center, no)
		if o.Below {
			code, flag = textCell(st.alertText, o.OPD.Code), textCell(st.alertText, yes)
		}
		cells := []any{code, textCell(st.text, o.OPD.Name), numCell(st, o.Headcount), numCell(st, o.Days)}
		cells = append(cells, tallyCells(st, o.Total)...)
		if o.Below {
			cells[6] = excelize.Cell{StyleID: st.alertPct, Value: o.Total.Rate()}
		}
		cells = append(cells, rateCell(st, o.Pagi, apel.Tally.Rate), rateCell(st, o.Sore, apel.Tally.Rate),
			numCell(st, o.Excuses.Total()), numCell(st, o.Activity.Due), numCell(st, o.Activity.Reported), pctCell(st, o.Activity.Rate()),
			numCell(st, o.Requests.QuotaDays), numCell(st, o.Requests.OffSite), flag)
		if err := s.put(cells...); err != nil {
			return err
		}
	}
	total := func(v any, style int) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }
	t := e.Total
	rate := func(r float64, held bool) excelize.Cell {
		if !held {
			return total(nil, st.totalPct)
		}
		return total(r, st.totalPct)
	}
	return flushAfter(sw, s.put(total(p.T("export.total"), st.totalText), total("", st.totalText), total(e.Headcount, st.totalNum),
		total(len(e.Days), st.totalNum), total(t.Expected(), st.totalNum), total(t.Present, st.totalNum), rate(t.Rate(), t.Held),
		total(t.Late, st.totalNum), rate(t.LateRate(), t.Held), total(t.OutOfPlace, st.totalNum), total(t.Absent+t.Pending, st.totalNum),
		rate(e.Pagi.Rate(), e.Pagi.Held), rate(e.Sore.Rate(), e.Sore.Held), total(e.Excuses.Total(), st.totalNum),
		total(e.Activity.Due, st.totalNum), total(e.Activity.Reported, st.totalNum), total(e.Activity.Rate(), st.totalPct),
		total(e.Requests.QuotaDays, st.totalNum), total(e.Requests.OffSite, st.totalNum), total(len(e.Below()), st.totalNum)))
}

// flushAfter flushes sw unless err, the last write, failed.
func flushAfter(sw *excelize.StreamWriter, err error) error {
	if err != nil {
		return err
	}
	return sw.Flush()
}

func writeMonthWeeks(f *excelize.File, st monthStyles, p locales.Printer, name string, page pageSetup, e apel.Evaluation) error {
	titles := append([]string{p.T("export.month.col.week"), p.T("export.month.col.from"), p.T("export.month.col.to"), p.T("export.month.col.days")},
		tallyTitles(p)...)
	sw, err := startSheet(f, name, page, p.T("export.month.sheet.week"), true, 1, append([]float64{13, 14, 14, 9}, tallyWidths()...))
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	s := &monthSheet{sw: sw, row: 1}
	for _, w := range e.Weeks {
		cells := []any{textCell(st.text, weekLabel(p, w)), excelize.Cell{StyleID: st.date, Value: excelDate(w.From)},
			excelize.Cell{StyleID: st.date, Value: excelDate(w.To)}, numCell(st, w.Days)}
		if err := s.put(append(cells, tallyCells(st, w.Total)...)...); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func writeMonthDays(f *excelize.File, st monthStyles, p locales.Printer, name string, page pageSetup, e apel.Evaluation) error {
	titles := append([]string{p.T("export.month.col.date"), p.T("export.month.col.weekday")}, tallyTitles(p)...)
	titles = append(titles, p.T("export.month.col.activity_due"), p.T("export.month.col.activity_sent"))
	widths := append(append([]float64{14, 10}, tallyWidths()...), 12, 12)
	sw, err := startSheet(f, name, page, p.T("export.month.sheet.day"), true, 1, widths)
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	s := &monthSheet{sw: sw, row: 1}
	for _, d := range e.Days {
		cells := []any{excelize.Cell{StyleID: st.date, Value: excelDate(d.Date)}, textCell(st.text, p.T(fmt.Sprintf("weekday.%d", d.Date.Weekday())))}
		cells = append(cells, tallyCells(st, d.Total)...)
		cells = append(cells, numCell(st, d.Activity.Due), numCell(st, d.Activity.Reported))
		if err := s.put(cells...); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// modeName is the localized name of a work mode: "WFH (bekerja dari rumah)".
func modeName(p locales.Printer, m apel.Mode) string {
	return p.T("mode." + strings.ToLower(string(m)))
}
