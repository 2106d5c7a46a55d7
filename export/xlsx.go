package export

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// XLSX writes the day as a workbook:
//
//   - a summary sheet (export.sheet.summary, "Ringkasan") with one row per
//     OPD: code, name, headcount, then for pagi and for sore the number
//     present, late, WFO, WFH, WFA, excused, TK (absent, plus still pending
//     as in the chat report) and the rate present over expected; a totals
//     row; a note for a session not held, whose cells stay empty;
//   - one sheet per OPD, named after its code (made unique and at most 31
//     characters, as Excel requires), with every active employee: NIP, name,
//     position, and for pagi and sore the status, mode, check-in time in the
//     pemda's zone, minutes late, distance in metres and whether in place.
//
// The header row of every sheet is bold and frozen and repeats on printed
// pages (on OPD sheets only up to maxPrintTitles OPDs), columns have widths, counts are numbers, rates are numbers from 0
// to 1 shown as percentages, check-in times are Excel times of day, and the
// NIP is text so that its 18 digits survive.
func XLSX(w io.Writer, p locales.Printer, d Detail) error {
	if d.Location == nil {
		return errNoLocation
	}
	if err := writeXLSX(w, p, d); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// xlsxStyles are the cell styles of the workbook.
type xlsxStyles struct {
	header, text, nip, num, pct, clock   int
	totalText, totalNum, totalPct, notes int
	center, numCenter                    int // short codes and the row number
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	pct, clock := "0.0%", "hh:mm"
	border := []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}}
	defs := []excelize.Style{
		{},
		{NumFmt: 49}, // "@": text
		{NumFmt: 1},  // "0"
		{CustomNumFmt: &pct},
		{CustomNumFmt: &clock},
		{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "top", Color: "7F7F7F", Style: 1}}},
		{Font: &excelize.Font{Bold: true}, NumFmt: 1, Border: []excelize.Border{{Type: "top", Color: "7F7F7F", Style: 1}}},
		{Font: &excelize.Font{Bold: true}, CustomNumFmt: &pct, Border: []excelize.Border{{Type: "top", Color: "7F7F7F", Style: 1}}},
		{Font: &excelize.Font{Italic: true, Color: "595959"}},
		{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F2"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Border:    border,
		},
	}
	centered := &excelize.Alignment{Horizontal: "center"}
	defs = append(defs, excelize.Style{Alignment: centered}, excelize.Style{NumFmt: 1, Alignment: centered})
	var s xlsxStyles
	ids := []*int{&s.text, &s.nip, &s.num, &s.pct, &s.clock, &s.totalText, &s.totalNum, &s.totalPct, &s.notes, &s.header,
		&s.center, &s.numCenter}
	for i := range defs {
		id, err := f.NewStyle(&defs[i])
		if err != nil {
			return xlsxStyles{}, fmt.Errorf("style: %w", err)
		}
		*ids[i] = id
	}
	return s, nil
}

func writeXLSX(w io.Writer, p locales.Printer, d Detail) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	r := d.Report
	date := p.Date(noon(r.Date))
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    p.T("export.title") + " — " + r.Pemda + " — " + date,
		Subject:  r.Pemda,
		Creator:  d.BKPSDM,
		Language: p.Lang(),
		Created:  r.Date.String() + "T00:00:00Z", // a stable file for a given day
		Modified: r.Date.String() + "T00:00:00Z",
	}); err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	summary := p.T("export.sheet.summary")
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return fmt.Errorf("sheet %s: %w", summary, err)
	}
	rollsByCode := make(map[string]opdRoll, len(r.OPDs))
	for _, o := range rolls(d.Day) {
		rollsByCode[o.OPD.Code] = o
	}
	names := sheetNames(summary, r.OPDs)
	for _, name := range names {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	page := printHeader(r.Pemda, date)
	if err := writeSummarySheet(f, st, p, summary, page, r); err != nil {
		return fmt.Errorf("sheet %s: %w", summary, err)
	}
	zone := zoneName(r.Date, d.Location)
	for i, o := range r.OPDs {
		if err := writeOPDSheet(f, st, p, names[i], page, len(r.OPDs) <= maxPrintTitles, zone, d.Location, rollsByCode[o.OPD.Code]); err != nil {
			return fmt.Errorf("sheet %s: %w", names[i], err)
		}
	}
	if len(r.Corrections) > 0 || len(r.Disrupted) > 0 {
		// The name has spaces, which OPD codes never have: no clash.
		audit := p.T("export.sheet.audit")
		if _, err := f.NewSheet(audit); err != nil {
			return fmt.Errorf("sheet %s: %w", audit, err)
		}
		if err := writeAuditSheet(f, st, p, audit, page, zone, d.Location, r); err != nil {
			return fmt.Errorf("sheet %s: %w", audit, err)
		}
	}
	if err := writeFlagsSheet(f, st, p, append(names, summary), page, zone, d.Location, r); err != nil { // flags.go
		return fmt.Errorf("sheet %s: %w", p.T("export.sheet.flags"), err)
	}
	return f.Write(w) // the summary, created first, is the active sheet
}

// sheetNames returns a sheet name for each OPD: its code, cut to Excel's 31
// characters and made unique (sheet names compare without case in Excel,
// and "History" is reserved) with a "~2", "~3"... suffix.
func sheetNames(summary string, opds []apel.OPDDay) []string {
	used := map[string]bool{strings.ToLower(summary): true, "history": true}
	names := make([]string, len(opds))
	for i, o := range opds {
		base := o.OPD.Code
		if base == "" {
			base = "OPD"
		}
		name := cut(base, excelize.MaxSheetNameLength)
		for n := 2; used[strings.ToLower(name)]; n++ {
			sfx := "~" + strconv.Itoa(n)
			name = cut(base, excelize.MaxSheetNameLength-len(sfx)) + sfx
		}
		used[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// cut returns s cut to at most n runes.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// pageSetup is what every sheet prints with: A4 landscape, one page wide,
// the pemda and date in the page header, page numbers in the footer.
type pageSetup struct{ header, footer string }

func printHeader(pemda, date string) pageSetup {
	esc := func(s string) string { return strings.ReplaceAll(s, "&", "&&") }
	return pageSetup{header: "&L" + esc(pemda) + "&R" + esc(date), footer: "&C&P / &N"}
}

// maxPrintTitles is the most sheets that get print titles (the header row
// repeated on every printed page). excelize checks every defined name
// against the sheet list when adding one, so n sheets cost n³: 1,000 OPD
// sheets would take 15 s instead of 1.4 s. Real pemdas have 30 to 80 OPDs.
const maxPrintTitles = 200

// startSheet applies the page setup (and print titles when asked) of sheet
// name and returns a stream writer with the top row and the first
// frozenCols columns frozen and the given column widths.
func startSheet(f *excelize.File, name string, page pageSetup, title string, printTitles bool, frozenCols int, widths []float64) (*excelize.StreamWriter, error) {
	size, landscape, one, zero, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddHeader: page.header + "&C" + strings.ReplaceAll(title, "&", "&&"), OddFooter: page.footer}); err != nil {
		return nil, err
	}
	if printTitles {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name}); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	topLeft, _ := excelize.CoordinatesToCellName(frozenCols+1, 2)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: frozenCols, YSplit: 1, TopLeftCell: topLeft, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}}); err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	return sw, nil
}

// headerRow writes the header cells in row 1.
func headerRow(sw *excelize.StreamWriter, style int, titles []string) error {
	cells := make([]any, len(titles))
	for i, t := range titles {
		cells[i] = excelize.Cell{StyleID: style, Value: t}
	}
	return sw.SetRow("A1", cells, excelize.RowOpts{Height: 45}) // three lines of a wrapped title
}

// sessionTitle is a column title of session k: "Pagi: hadir".
func sessionTitle(p locales.Printer, k apel.SessionKind, key string, args ...any) string {
	return p.T("export.col.session", p.T("report.session."+string(k)), p.T(key, args...))
}

// summaryMetrics are the per-session columns of the summary sheet.
const summaryMetrics = 8

func writeSummarySheet(f *excelize.File, st xlsxStyles, p locales.Printer, name string, page pageSetup, r apel.DailyReport) error {
	titles := []string{p.T("export.col.opd_code"), p.T("export.col.opd_name"), p.T("export.col.headcount")}
	widths := []float64{16, 46, 10}
	for _, k := range sessionKinds() {
		for _, key := range []string{"export.col.present", "export.col.late"} {
			titles = append(titles, sessionTitle(p, k, key))
		}
		for _, m := range []apel.Mode{apel.WFO, apel.WFH, apel.WFA} {
			titles = append(titles, p.T("export.col.session", p.T("report.session."+string(k)), string(m)))
		}
		for _, key := range []string{"export.col.excused", "export.col.absent", "export.col.rate"} {
			titles = append(titles, sessionTitle(p, k, key))
		}
		widths = append(widths, 10, 11, 9, 9, 9, 18, 9, 11)
	}
	titles = append(titles, p.T("export.col.notes"))
	widths = append(widths, 34)
	sw, err := startSheet(f, name, page, p.T("export.title"), true, 2, widths)
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	row := make([]any, len(titles))
	put := func(rowNum int, label, opdName string, head int, pagi, sore apel.Tally, total bool) error {
		clear(row)
		text, num, pct := st.text, st.num, st.pct
		if total {
			text, num, pct = st.totalText, st.totalNum, st.totalPct
		}
		row[0], row[1], row[2] = excelize.Cell{StyleID: text, Value: label}, excelize.Cell{StyleID: text, Value: opdName}, excelize.Cell{StyleID: num, Value: head}
		var notes []string
		for i, t := range []apel.Tally{pagi, sore} {
			col := 3 + i*summaryMetrics
			if !t.Held {
				for j := range summaryMetrics {
					row[col+j] = excelize.Cell{StyleID: num} // keeps the totals row's border
				}
				notes = append(notes, p.T("export.note.not_held", p.T("session."+string(sessionKinds()[i]))))
				continue
			}
			for j, v := range []int{t.Present, t.Late, t.WFO, t.WFH, t.WFA, t.Excused, t.Absent + t.Pending} {
				row[col+j] = excelize.Cell{StyleID: num, Value: v}
			}
			row[col+7] = excelize.Cell{StyleID: pct, Value: t.Rate()}
			name := p.T("session." + string(sessionKinds()[i]))
			if t.NotJudged > 0 {
				notes = append(notes, p.T("export.note.not_judged", name, t.NotJudged))
			}
			if t.Corrected > 0 {
				notes = append(notes, p.T("export.note.corrected", name, t.Corrected))
			}
		}
		notesStyle := st.notes
		if total {
			notesStyle = st.totalText
		}
		row[len(row)-1] = excelize.Cell{StyleID: notesStyle, Value: strings.Join(notes, "; ")}
		cell, _ := excelize.CoordinatesToCellName(1, rowNum)
		return sw.SetRow(cell, row)
	}
	for i, o := range r.OPDs {
		if err := put(i+2, o.OPD.Code, o.OPD.Name, o.Pagi.Headcount, o.Pagi, o.Sore, false); err != nil {
			return err
		}
	}
	last := len(r.OPDs) + 2
	if err := put(last, p.T("export.total"), "", r.Headcount, r.Pagi, r.Sore, true); err != nil {
		return err
	}
	cell, _ := excelize.CoordinatesToCellName(1, last+2)
	if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: st.notes, Value: p.T("report.legend")}}); err != nil {
		return err
	}
	return sw.Flush()
}

// opdMetrics are the per-session columns of an OPD sheet.
const opdMetrics = 6

func writeOPDSheet(f *excelize.File, st xlsxStyles, p locales.Printer, name string, page pageSetup, printTitles bool, zone string, loc *time.Location, o opdRoll) error {
	titles := []string{p.T("export.col.no"), p.T("export.col.nip"), p.T("export.col.name"), p.T("export.col.position")}
	widths := []float64{5, 21, 30, 32}
	for _, k := range sessionKinds() {
		titles = append(titles,
			sessionTitle(p, k, "export.col.status"), sessionTitle(p, k, "export.col.mode"),
			sessionTitle(p, k, "export.col.checkin_time", zone), sessionTitle(p, k, "export.col.late_minutes"),
			sessionTitle(p, k, "export.col.distance"), sessionTitle(p, k, "export.col.in_place"))
		widths = append(widths, 15, 8, 12, 12, 10, 9)
	}
	sw, err := startSheet(f, name, page, o.OPD.Name, printTitles, 3, widths)
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	yes, no := p.T("export.yes"), p.T("export.no")
	row := make([]any, len(titles))
	for i, e := range o.Staff {
		clear(row)
		row[0] = excelize.Cell{StyleID: st.numCenter, Value: i + 1}
		row[1] = excelize.Cell{StyleID: st.nip, Value: e.NIP}
		row[2] = excelize.Cell{StyleID: st.text, Value: e.Name}
		row[3] = excelize.Cell{StyleID: st.text, Value: e.Position}
		for j, k := range sessionKinds() {
			col := 4 + j*opdMetrics
			lines := o.session(k)
			if lines == nil {
				row[col] = excelize.Cell{StyleID: st.notes, Value: p.T("export.status.not_held")}
				continue
			}
			a := lines[i] // Roll keeps the order of o.Staff
			row[col] = excelize.Cell{StyleID: st.text, Value: statusName(p, a)}
			c := a.CheckIn
			if c == nil {
				continue
			}
			at := c.Fix.At.In(loc)
			row[col+1] = excelize.Cell{StyleID: st.center, Value: string(c.Mode)}
			row[col+2] = excelize.Cell{StyleID: st.clock, Value: float64(at.Hour()*3600+at.Minute()*60+at.Second()) / 86400}
			if c.Late {
				row[col+3] = excelize.Cell{StyleID: st.num, Value: int(c.LateBy / time.Minute)}
			}
			if c.Place != apel.PlaceAnywhere {
				row[col+4] = excelize.Cell{StyleID: st.num, Value: int(math.Round(c.Distance))}
			}
			row[col+5] = excelize.Cell{StyleID: st.center, Value: no}
			if c.InPlace {
				row[col+5] = excelize.Cell{StyleID: st.center, Value: yes}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// statusName is the localized status of a line; an excused line shows the
// kind of excuse ("sakit").
func statusName(p locales.Printer, a apel.Attendance) string {
	name := p.T("export.status." + string(a.Status))
	if a.Status == apel.StatusExcused {
		name = p.T("excuse." + string(a.Excuse))
	}
	if a.Corrected() {
		name += p.T("export.status.corrected_mark")
	}
	return name
}

// writeAuditSheet lists every correction of the day (the audit trail: who
// was corrected, from what to what, why, by whom and when) and then every
// session an outage disrupted.
func writeAuditSheet(f *excelize.File, st xlsxStyles, p locales.Printer, name string, page pageSetup, zone string, loc *time.Location, r apel.DailyReport) error {
	titles := []string{p.T("export.col.no"), p.T("export.col.session_kind"), p.T("export.col.opd_code"),
		p.T("export.col.nip"), p.T("export.col.name"), p.T("export.col.before"), p.T("export.col.after"),
		p.T("export.col.reason"), p.T("export.col.note"), p.T("export.col.corrected_by"),
		p.T("export.col.corrected_by_nip"), p.T("export.col.telegram_id"), p.T("export.col.corrected_at", zone)}
	widths := []float64{5, 8, 16, 21, 30, 16, 16, 18, 40, 30, 21, 14, 14}
	sw, err := startSheet(f, name, page, p.T("export.sheet.audit"), true, 0, widths)
	if err != nil {
		return err
	}
	if err := headerRow(sw, st.header, titles); err != nil {
		return err
	}
	status := func(s apel.Status, x apel.ExcuseKind) string {
		return statusName(p, apel.Attendance{Status: s, Excuse: x})
	}
	line := 2
	for i, c := range r.Corrections {
		who, by := r.People[c.EmployeeID], r.People[c.By]
		at := c.At.In(loc)
		row := []any{
			excelize.Cell{StyleID: st.numCenter, Value: i + 1},
			excelize.Cell{StyleID: st.text, Value: p.T("session." + string(c.Kind))},
			excelize.Cell{StyleID: st.text, Value: who.OPD},
			excelize.Cell{StyleID: st.nip, Value: who.NIP},
			excelize.Cell{StyleID: st.text, Value: who.Name},
			excelize.Cell{StyleID: st.text, Value: status(c.Before, c.BeforeExcuse)},
			excelize.Cell{StyleID: st.text, Value: status(c.After, c.Excuse)},
			excelize.Cell{StyleID: st.text, Value: p.T("correct.reason." + string(c.Reason))},
			excelize.Cell{StyleID: st.text, Value: c.Note},
			excelize.Cell{StyleID: st.text, Value: by.Name},
			excelize.Cell{StyleID: st.nip, Value: by.NIP},
			excelize.Cell{StyleID: st.nip, Value: strconv.FormatInt(c.ByTelegram, 10)},
			excelize.Cell{StyleID: st.text, Value: at.Format("2006-01-02 15:04")},
		}
		cell, _ := excelize.CoordinatesToCellName(1, line)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
		line++
	}
	if len(r.Disrupted) > 0 {
		line++
		cell, _ := excelize.CoordinatesToCellName(1, line)
		if err := sw.SetRow(cell, []any{nil, excelize.Cell{StyleID: st.header, Value: p.T("export.col.session_kind")},
			excelize.Cell{StyleID: st.header, Value: p.T("export.col.opd_code")},
			excelize.Cell{StyleID: st.header, Value: p.T("export.col.outage_from", zone)},
			excelize.Cell{StyleID: st.header, Value: p.T("export.col.outage_to", zone)}}); err != nil {
			return err
		}
		line++
		for _, s := range r.Disrupted {
			to := p.T("export.outage_ongoing")
			if !s.Disruption.To.IsZero() {
				to = s.Disruption.To.In(loc).Format("2006-01-02 15:04")
			}
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, []any{nil, excelize.Cell{StyleID: st.text, Value: p.T("session." + string(s.Kind))},
				excelize.Cell{StyleID: st.text, Value: s.OPD},
				excelize.Cell{StyleID: st.text, Value: s.Disruption.From.In(loc).Format("2006-01-02 15:04")},
				excelize.Cell{StyleID: st.text, Value: to}}); err != nil {
				return err
			}
			line++
		}
		cell, _ = excelize.CoordinatesToCellName(1, line+1)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: st.notes, Value: p.T("report.outage_rule")}}); err != nil {
			return err
		}
	}
	return sw.Flush()
}
