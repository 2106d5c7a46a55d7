package export

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
)

// openXLSX writes d as XLSX in lang and reads it back.
func openXLSX(t *testing.T, lang string, d Detail) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := XLSX(&buf, printer(t, lang), d); err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	keepFile(t, "daily-"+lang+".xlsx", buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("OpenReader of the written XLSX: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// number returns the raw value of a cell that must be a number.
func number(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, perr := strconv.ParseFloat(raw, 64)
	if perr != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Errorf("%s!%s = %q of type %v, want a number", sheet, cell, raw, typ)
	}
	return v
}

// text returns the value of a cell that must be a string.
func text(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s has type %v, want a string", sheet, cell, typ)
	}
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestXLSXSummary(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, "id", fixture(t))
	if diff := cmp.Diff([]string{"Ringkasan", "DISKOMINFO", "DINKES", "BAPPEDA"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	const s = "Ringkasan"
	rows, err := f.GetRows(s)
	if err != nil {
		t.Fatal(err)
	}
	// Formatted as a spreadsheet shows them; blanks are sessions not held.
	want := [][]string{
		{"Kode OPD", "Nama OPD", "Jumlah pegawai",
			"Pagi: hadir", "Pagi: terlambat", "Pagi: WFO", "Pagi: WFH", "Pagi: WFA", "Pagi: izin/sakit/cuti/DL", "Pagi: TK", "Pagi: persentase",
			"Sore: hadir", "Sore: terlambat", "Sore: WFO", "Sore: WFH", "Sore: WFA", "Sore: izin/sakit/cuti/DL", "Sore: TK", "Sore: persentase",
			"Keterangan"},
		{"DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", "4", "3", "1", "1", "1", "1", "0", "1", "75.0%", "2", "0", "1", "0", "1", "0", "2", "50.0%"},
		{"DINKES", "Dinas Kesehatan", "3", "3", "0", "3", "0", "0", "0", "0", "100.0%", "", "", "", "", "", "", "", "", "apel sore tidak terlaksana"},
		{"BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "2", "1", "0", "1", "0", "0", "1", "0", "100.0%", "1", "0", "1", "0", "0", "1", "0", "100.0%"},
		// The sore totals leave out DINKES, whose sore was not held: 3 of 6-1.
		{"Jumlah", "", "9", "7", "1", "5", "1", "1", "1", "1", "87.5%", "3", "0", "2", "0", "1", "1", "2", "60.0%"},
		nil,
		{"Keterangan: persentase = hadir dibagi pegawai yang wajib apel (tidak termasuk izin/sakit/cuti/DL). TK = tanpa keterangan."},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("summary rows (-want +got):\n%s", diff)
	}

	// Types: counts and rates are numbers, rates from 0 to 1.
	for cell, want := range map[string]float64{"C2": 4, "D2": 3, "J2": 1, "K2": 0.75, "S2": 0.5, "C5": 9, "K5": 0.875, "S5": 0.6} {
		if got := number(t, f, s, cell); got != want {
			t.Errorf("%s!%s = %v, want %v", s, cell, got, want)
		}
	}
	if got := text(t, f, s, "A2"); got != "DISKOMINFO" {
		t.Errorf("%s!A2 = %q, want DISKOMINFO", s, got)
	}
	checkStyle(t, f, s, "K2", func(st *excelize.Style) bool { return st.CustomNumFmt != nil && *st.CustomNumFmt == "0.0%" }, "a 0.0% format")
	checkStyle(t, f, s, "A1", func(st *excelize.Style) bool { return st.Font != nil && st.Font.Bold }, "bold")
	checkStyle(t, f, s, "A5", func(st *excelize.Style) bool { return st.Font != nil && st.Font.Bold }, "bold (totals)")
	checkFrozen(t, f, s, 2)
	if w, err := f.GetColWidth(s, "B"); err != nil || w != 46 {
		t.Errorf("%s column B width = %v, %v; want 46", s, w, err)
	}
}

func TestXLSXOPDSheets(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, "id", fixture(t))
	const s = "DISKOMINFO"
	rows, err := f.GetRows(s)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"No.", "NIP", "Nama", "Jabatan",
			"Pagi: status", "Pagi: mode", "Pagi: jam hadir (WITA)", "Pagi: terlambat (menit)", "Pagi: jarak (m)", "Pagi: di lokasi",
			"Sore: status", "Sore: mode", "Sore: jam hadir (WITA)", "Sore: terlambat (menit)", "Sore: jarak (m)", "Sore: di lokasi"},
		{"1", "198503122010011002", "Andi Pratama", "Analis", "tepat waktu", "WFO", "07:21", "", "12", "ya", "tepat waktu", "WFO", "16:20", "", "20", "ya"},
		{"2", "199001012015032001", "Besse Nurhayati", "Analis", "terlambat", "WFH", "07:42", "7", "36", "ya", "TK"},
		{"3", "198712242011011003", "Chandra Wijaya", "Analis", "tepat waktu", "WFA", "07:33", "", "", "ya", "tepat waktu", "WFA", "16:25", "", "", "ya"},
		{"4", "199205172019022004", "Dewi Lestari", "Analis", "TK", "", "", "", "", "", "TK"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("%s rows (-want +got):\n%s", s, diff)
	}
	// The NIP is text with the text format, so its 18 digits survive
	// editing; times are numbers (fractions of a day).
	if got := text(t, f, s, "B2"); len(got) != 18 || got != "198503122010011002" {
		t.Errorf("%s!B2 = %q, want the 18-digit NIP as text", s, got)
	}
	checkStyle(t, f, s, "B2", func(st *excelize.Style) bool { return st.NumFmt == 49 }, "the text format @")
	if got, want := number(t, f, s, "G2"), (7*60+21)/1440.0; got != want {
		t.Errorf("%s!G2 = %v, want %v (07:21)", s, got, want)
	}
	if got := number(t, f, s, "I3"); got != 36 {
		t.Errorf("%s!I3 = %v, want 36 (metres, rounded)", s, got)
	}
	checkFrozen(t, f, s, 3)

	others := map[string][][]string{
		"DINKES": {
			{"1", "197804102005011005", "Erwin Saputra", "Analis", "tepat waktu", "WFO", "07:18", "", "5", "ya", "tidak terlaksana"},
			{"2", "198102282006042006", "Fitriani Ahmad", "Analis", "tepat waktu", "WFO", "07:19", "", "2003", "tidak", "tidak terlaksana"},
			{"3", "199308082020121007", "Gusti Made Ñoman", "Analis", "tepat waktu", "WFO", "07:25", "", "48", "ya", "tidak terlaksana"},
		},
		"BAPPEDA": {
			{"1", "198911112014031008", "Hasanuddin, S.Kom.", "Analis", "tepat waktu", "WFO", "07:30", "", "61", "ya", "tepat waktu", "WFO", "16:31", "", "70", "ya"},
			{"2", "197512312000032009", "Intan \"Ita\" Permata", "Analis", "sakit", "", "", "", "", "", "sakit"},
		},
	}
	for sheet, want := range others {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, rows[1:]); diff != "" {
			t.Errorf("%s rows (-want +got):\n%s", sheet, diff)
		}
	}
}

func TestXLSXEnglish(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, "en", fixture(t))
	if got := f.GetSheetList()[0]; got != "Summary" {
		t.Errorf("first sheet = %q, want Summary", got)
	}
	for cell, want := range map[string]string{"A1": "Agency code", "D1": "Morning: present", "A5": "Total", "T3": "afternoon apel not held"} {
		if got, _ := f.GetCellValue("Summary", cell); got != want {
			t.Errorf("Summary!%s = %q, want %q", cell, got, want)
		}
	}
	if got, _ := f.GetCellValue("DISKOMINFO", "E3"); got != "late" {
		t.Errorf("DISKOMINFO!E3 = %q, want late", got)
	}
}

func TestXLSXNeedsLocation(t *testing.T) {
	t.Parallel()
	d := fixture(t)
	d.Location = nil
	if err := XLSX(&bytes.Buffer{}, printer(t, "id"), d); err == nil {
		t.Error("XLSX without a Location: err = nil, want an error")
	}
}

func TestSheetNames(t *testing.T) {
	t.Parallel()
	long := "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" // 33 characters
	opds := func(codes ...string) []apel.OPDDay {
		var out []apel.OPDDay
		for _, c := range codes {
			out = append(out, apel.OPDDay{OPD: apel.OPD{Code: c}})
		}
		return out
	}
	got := sheetNames("Ringkasan", opds("DINKES", "RINGKASAN", "HISTORY", long, long[:31]+"X", "dinkes"))
	want := []string{"DINKES", "RINGKASAN~2", "HISTORY~2", long[:31], long[:29] + "~2", "dinkes~2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheetNames (-want +got):\n%s", diff)
	}
	for _, n := range got {
		if len(n) > 31 {
			t.Errorf("sheet name %q is %d characters, want at most 31", n, len(n))
		}
	}
}

// checkStyle reports whether the style of sheet!cell satisfies ok.
func checkStyle(t *testing.T, f *excelize.File, sheet, cell string, ok func(*excelize.Style) bool, want string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok(st) {
		t.Errorf("%s!%s style = %+v, want %s", sheet, cell, st, want)
	}
}

// checkFrozen checks that sheet has its first row and cols columns frozen.
func checkFrozen(t *testing.T, f *excelize.File, sheet string, cols int) {
	t.Helper()
	p, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	topLeft, _ := excelize.CoordinatesToCellName(cols+1, 2)
	if !p.Freeze || p.YSplit != 1 || p.XSplit != cols || p.TopLeftCell != topLeft {
		t.Errorf("%s panes = %+v, want row 1 and %d columns frozen at %s", sheet, p, cols, topLeft)
	}
}
