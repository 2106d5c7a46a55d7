package export

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
)

// tally is a held tally with the given counts.
func tally(head, present, late, oop, excused, absent int) apel.Tally {
	return apel.Tally{Held: true, Headcount: head, Present: present, Late: late, OutOfPlace: oop, Excused: excused, Absent: absent, WFO: present}
}

// monthFixture is the evaluation of January 2026 in a WITA pemda with three
// OPDs: DISKOMINFO (90%), DINKES (direct service, 95%), and BAPPEDA (80%,
// below the 85% threshold), over three dates in two ISO weeks.
func monthFixture() Month {
	jan := func(d int) apel.Date { return apel.Date{Year: 2026, Month: time.January, Day: d} }
	kominfo, dinkes, bappeda := tally(60, 54, 6, 2, 0, 6), tally(40, 38, 1, 0, 0, 2), tally(32, 24, 4, 1, 2, 6)
	total := kominfo.Add(dinkes).Add(bappeda)
	half := func(t apel.Tally) apel.Tally {
		return tally(t.Headcount/2, t.Present/2, t.Late/2, t.OutOfPlace/2, t.Excused/2, t.Absent/2)
	}
	opd := func(code, name string, direct bool, head int, t apel.Tally, below bool) apel.OPDEval {
		return apel.OPDEval{OPD: apel.OPD{Code: code, Name: name, DirectService: direct}, Headcount: head, Days: 3, Total: t,
			Pagi: half(t), Sore: half(t), Excuses: apel.ExcuseCount{Sakit: t.Excused / 2}, Below: below,
			Activity: apel.ActivityTally{Due: head, Reported: head - 1}, Requests: apel.RequestUse{QuotaDays: head, OffSite: head - 1}}
	}
	day := func(d int, t apel.Tally) apel.DayEval {
		return apel.DayEval{Date: jan(d), Total: t, Activity: apel.ActivityTally{Due: 10, Reported: 8}}
	}
	d1 := tally(44, 40, 2, 1, 0, 4)
	d2 := tally(44, 38, 5, 1, 1, 5)
	d3 := total.Add(apel.Tally{Headcount: -88, Present: -78, Late: -7, OutOfPlace: -2, Excused: -1, Absent: -9})
	d3.Held = true
	return Month{BKPSDM: "BKPSDM Kota Makassar", Eval: apel.Evaluation{
		Pemda: "Kota Makassar", From: jan(1), To: jan(31), Threshold: 0.85, Headcount: 22,
		Total: total, Pagi: half(total), Sore: half(total),
		Modes: []apel.ModeEval{
			{Mode: apel.WFO, Tally: tally(80, 74, 3, 1, 0, 6)},
			{Mode: apel.WFH, Tally: tally(40, 34, 6, 2, 2, 4)},
			{Mode: apel.WFA, Tally: tally(12, 8, 2, 0, 0, 4)},
		},
		OPDs: []apel.OPDEval{
			opd("DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", false, 10, kominfo, false),
			opd("DINKES", "Dinas Kesehatan", true, 7, dinkes, false),
			opd("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", false, 5, bappeda, true),
		},
		Weeks: []apel.WeekEval{
			{Year: 2026, Week: 2, From: jan(5), To: jan(11), Days: 2, Total: d1.Add(d2)},
			{Year: 2026, Week: 3, From: jan(12), To: jan(18), Days: 1, Total: d3},
		},
		Days:     []apel.DayEval{day(6, d1), day(7, d2), day(13, d3)},
		Excuses:  apel.ExcuseCount{Izin: 1, Sakit: 2, Cuti: 3, DinasLuar: 4},
		Activity: apel.ActivityTally{Due: 30, Reported: 24},
		Requests: apel.RequestUse{Approved: 5, InForce: 12, QuotaDays: 40, OffSite: 30},
	}}
}

// syntheticMonth is an evaluation of opds OPDs over the 22 working days of
// January 2026, every fifth OPD below the threshold.
func syntheticMonth(opds int) Month {
	m := monthFixture()
	e := &m.Eval
	e.OPDs = nil
	for i := range opds {
		t := tally(440, 400-i%7*20, 12, 3, 10, 30+i%7*20)
		e.OPDs = append(e.OPDs, apel.OPDEval{OPD: apel.OPD{Code: fmt.Sprintf("OPD%04d", i+1), Name: fmt.Sprintf("Dinas Nomor %d Kota Contoh", i+1)},
			Headcount: 10, Days: 22, Total: t, Pagi: t, Sore: t, Below: t.Rate() < e.Threshold})
	}
	e.Days = nil
	for d := 1; d <= 31; d++ {
		date := apel.Date{Year: 2026, Month: time.January, Day: d}
		if wd := date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			e.Days = append(e.Days, apel.DayEval{Date: date, Total: tally(100, 90, d%9, 1, 2, 8)})
		}
	}
	return m
}

// openMonthXLSX writes m as XLSX in lang and reads it back.
func openMonthXLSX(t *testing.T, lang string, m Month) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := MonthXLSX(&buf, printer(t, lang), m); err != nil {
		t.Fatalf("MonthXLSX: %v", err)
	}
	keepFile(t, "month-"+lang+".xlsx", buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("OpenReader of the written XLSX: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestMonthXLSXSummary(t *testing.T) {
	t.Parallel()
	f := openMonthXLSX(t, "id", monthFixture())
	if diff := cmp.Diff([]string{"Ringkasan", "Per mode", "Per OPD", "Per minggu", "Per hari"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	const s = "Ringkasan"
	rows, err := f.GetRows(s)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Indikator", "Nilai", "Keterangan"},
		{"Pemerintah daerah", "Kota Makassar"},
		{"Periode", "1 Januari 2026 – 31 Januari 2026"},
		{"Hari apel", "3"},
		{"Jumlah pegawai", "22"},
		{"Wajib apel", "130", "dihitung per orang per apel yang terlaksana"},
		{"Hadir", "116"},
		{"Persentase kehadiran", "89.2%"},
		{"Persentase kehadiran apel pagi", "89.2%"},
		{"Persentase kehadiran apel sore", "89.2%"},
		{"Terlambat", "11"},
		{"Persentase terlambat", "9.5%", "dari yang hadir"},
		{"Di luar lokasi", "3"},
		{"TK (tanpa keterangan)", "14"},
		{"Izin (orang-hari)", "1"},
		{"Sakit (orang-hari)", "2"},
		{"Cuti (orang-hari)", "3"},
		{"Dinas luar (orang-hari)", "4"},
		{"Laporan kegiatan wajib (orang-hari)", "30"},
		{"Laporan kegiatan masuk", "24"},
		{"Persentase laporan kegiatan", "80.0%"},
		{"Permohonan WFH/WFA disetujui", "5"},
		{"Permohonan berlaku (orang-hari)", "12"},
		{"Kuota luar kantor (orang-hari)", "40"},
		{"Bekerja di luar kantor (orang-hari)", "30"},
		{"Pemakaian kuota luar kantor", "75.0%"},
		{"Ambang kehadiran", "85.0%"},
		{"OPD di bawah ambang", "1", "BAPPEDA (80,0%)"},
		nil,
		{printer(t, "id").T("export.month.legend")},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("summary rows (-want +got):\n%s", diff)
	}
	for cell, want := range map[string]float64{"B4": 3, "B6": 130, "B8": 116.0 / 130, "B12": 11.0 / 116, "B21": 0.8, "B27": 0.85, "B28": 1} {
		if got := number(t, f, s, cell); got != want {
			t.Errorf("%s!%s = %v, want %v", s, cell, got, want)
		}
	}
	checkStyle(t, f, s, "B8", func(st *excelize.Style) bool { return st.CustomNumFmt != nil && *st.CustomNumFmt == "0.0%" }, "a 0.0% format")
	checkStyle(t, f, s, "A1", func(st *excelize.Style) bool { return st.Font != nil && st.Font.Bold }, "bold")
	checkFrozen(t, f, s, 1)
}

func TestMonthXLSXSheets(t *testing.T) {
	t.Parallel()
	f := openMonthXLSX(t, "id", monthFixture())
	rows, err := f.GetRows("Per OPD")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Kode OPD", "Nama OPD", "Jumlah pegawai", "hari apel", "wajib apel", "hadir", "persentase", "terlambat",
			"persentase terlambat", "di luar lokasi", "TK", "Pagi: persentase", "Sore: persentase", "izin/sakit/cuti/DL (orang-hari)",
			"laporan kegiatan wajib", "laporan kegiatan masuk", "persentase laporan kegiatan", "kuota luar kantor (orang-hari)",
			"di luar kantor (orang-hari)", "di bawah ambang"},
		{"DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", "10", "3", "60", "54", "90.0%", "6", "11.1%", "2", "6", "90.0%", "90.0%", "0", "10", "9", "90.0%", "10", "9", "tidak"},
		{"DINKES", "Dinas Kesehatan", "7", "3", "40", "38", "95.0%", "1", "2.6%", "0", "2", "95.0%", "95.0%", "0", "7", "6", "85.7%", "7", "6", "tidak"},
		{"BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "5", "3", "30", "24", "80.0%", "4", "16.7%", "1", "6", "80.0%", "80.0%", "1", "5", "4", "80.0%", "5", "4", "ya"},
		{"Jumlah", "", "22", "3", "130", "116", "89.2%", "11", "9.5%", "3", "14", "89.2%", "89.2%", "10", "30", "24", "80.0%", "40", "30", "1"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Per OPD rows (-want +got):\n%s", diff)
	}
	if got := number(t, f, "Per OPD", "G4"); got != 0.8 {
		t.Errorf("Per OPD!G4 = %v, want 0.8", got)
	}
	checkStyle(t, f, "Per OPD", "A4", func(st *excelize.Style) bool { return st.Font != nil && st.Font.Color == "C0392B" }, "red (below the threshold)")
	checkFrozen(t, f, "Per OPD", 2)

	rows, err = f.GetRows("Per minggu")
	if err != nil {
		t.Fatal(err)
	}
	want = [][]string{
		{"Minggu", "dari", "sampai", "hari apel", "wajib apel", "hadir", "persentase", "terlambat", "persentase terlambat", "di luar lokasi", "TK"},
		{"Minggu 2", "5 Jan 2026", "11 Jan 2026", "2", "87", "78", "89.7%", "7", "9.0%", "2", "9"},
		{"Minggu 3", "12 Jan 2026", "18 Jan 2026", "1", "43", "38", "88.4%", "4", "10.5%", "1", "5"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Per minggu rows (-want +got):\n%s", diff)
	}
	// Dates are Excel dates: 5 January 2026 is day 46027.
	if got := number(t, f, "Per minggu", "B2"); got != 46027 {
		t.Errorf("Per minggu!B2 = %v, want 46027 (2026-01-05)", got)
	}

	rows, err = f.GetRows("Per hari")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][0] != "6 Jan 2026" || rows[1][1] != "Selasa" || rows[2][5] != "5" || rows[2][6] != "13.2%" || rows[3][10] != "8" {
		t.Errorf("Per hari rows = %q, want 3 dates with their lateness", rows)
	}
	rows, err = f.GetRows("Per mode")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[2][0] != "WFH (bekerja dari rumah)" || rows[2][3] != "89.5%" || !strings.HasPrefix(rows[5][0], "Mode kerja menurut check-in") {
		t.Errorf("Per mode rows = %q", rows)
	}
}

func TestMonthXLSXEnglish(t *testing.T) {
	t.Parallel()
	f := openMonthXLSX(t, "en", monthFixture())
	if diff := cmp.Diff([]string{"Summary", "By mode", "By agency", "By week", "By day"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if got, _ := f.GetCellValue("Summary", "A8"); got != "Attendance rate" {
		t.Errorf("Summary!A8 = %q, want Attendance rate", got)
	}
}

func TestMonthPDF(t *testing.T) {
	t.Parallel()
	m := monthFixture()
	p := printer(t, "id")
	var buf bytes.Buffer
	if err := MonthPDF(&buf, p, m); err != nil {
		t.Fatalf("MonthPDF: %v", err)
	}
	pdf := buf.Bytes()
	keepFile(t, "month-id.pdf", pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("MonthPDF starts with %q, want %%PDF-", pdf[:min(len(pdf), 8)])
	}
	if n := pages(pdf); n != 2 {
		t.Errorf("the fixture's monthly PDF has %d pages, want 2", n)
	}
	if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 2 {
		t.Errorf("monthly PDF embeds %d images, want the two charts", n)
	}
	var again bytes.Buffer
	if err := MonthPDF(&again, p, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, again.Bytes()) {
		t.Error("two PDFs of the same month differ, want the same bytes")
	}
	var plain bytes.Buffer
	if err := writeMonthPDF(&plain, p, m, pdfOptions{}); err != nil {
		t.Fatalf("writeMonthPDF uncompressed: %v", err)
	}
	for _, want := range []string{
		"Kota Makassar", "BKPSDM Kota Makassar", "EVALUASI BULANAN APEL", "Januari 2026",
		"Ringkasan", "Persentase kehadiran", "89,2% (116/130)", "Pemakaian kuota luar kantor", "75,0% (30/40)",
		"Kehadiran per mode kerja", "WFH (bekerja dari rumah)", "34/38",
		"Kehadiran per minggu", "Minggu 2", "5 Jan – 11 Jan",
		"Kehadiran per OPD", "DISKOMINFO", "BAPPEDA", "80,0%", "Jumlah",
		"OPD di bawah ambang 85,0%: BAPPEDA 80,0%.", "Izin 1, sakit 2, cuti 3, dinas luar 4 orang-hari.",
		"Kepala BKPSDM Kota Makassar", ".................., 31 Januari 2026", "Halaman 1 dari 2",
	} {
		if !drawn(plain.Bytes(), want) {
			t.Errorf("uncompressed monthly PDF does not draw %q", want)
		}
	}
	text := pdfText(t, pdf)
	if len(text) != 2 || !strings.Contains(text[0], "EVALUASI BULANAN APEL") || !strings.Contains(strings.Join(text, ""), "Halaman 2 dari 2") {
		t.Errorf("pdftotext of the monthly PDF:\n%s", strings.Join(text, "\f"))
	}
}

// TestMonthPDFLarge breaks the OPD table over pages and leaves the rate
// chart out beyond MaxChartOPDs.
func TestMonthPDFLarge(t *testing.T) {
	t.Parallel()
	m := syntheticMonth(MaxChartOPDs + 1)
	var plain bytes.Buffer
	if err := writeMonthPDF(&plain, printer(t, "id"), m, pdfOptions{}); err != nil {
		t.Fatalf("writeMonthPDF: %v", err)
	}
	pdf := plain.Bytes()
	if n := pages(pdf); n < 5 {
		t.Errorf("201 OPDs fit on %d pages, want the table to break over several", n)
	}
	if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 1 {
		t.Errorf("monthly PDF of 201 OPDs embeds %d images, want only the lateness trend", n)
	}
	if !drawn(pdf, "Grafik tidak ditampilkan: 201 OPD") || !drawn(pdf, "OPD0201") {
		t.Error("the note about the chart or the last OPD is missing")
	}
	if got := bytes.Count(pdf, []byte(utf16be("hadir/wajib"))); got < pages(pdf)-1 {
		t.Errorf("table header drawn %d times over %d pages, want it repeated on each page of the table", got, pages(pdf))
	}
}

func TestMonthCharts(t *testing.T) {
	t.Parallel()
	one := monthFixture()
	one.Eval.Days = one.Eval.Days[:1]
	tests := []struct {
		name  string
		chart func(*bytes.Buffer, Month) error
		m     Month
	}{
		{"rate id", func(b *bytes.Buffer, m Month) error { return RateChart(b, printer(t, "id"), m.Eval) }, monthFixture()},
		{"rate 200", func(b *bytes.Buffer, m Month) error { return RateChart(b, printer(t, "id"), m.Eval) }, syntheticMonth(200)},
		{"late id", func(b *bytes.Buffer, m Month) error { return LateChart(b, printer(t, "id"), m.Eval) }, monthFixture()},
		{"late en 22 days", func(b *bytes.Buffer, m Month) error { return LateChart(b, printer(t, "en"), m.Eval) }, syntheticMonth(3)},
		{"late one day", func(b *bytes.Buffer, m Month) error { return LateChart(b, printer(t, "id"), m.Eval) }, one},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := tt.chart(&buf, tt.m); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		keepFile(t, "month-chart-"+tt.name+".png", buf.Bytes())
		img, err := png.Decode(&buf)
		if err != nil {
			t.Errorf("%s wrote no PNG: %v", tt.name, err)
			continue
		}
		w, h := ChartWidth, ChartHeight
		if strings.HasPrefix(tt.name, "late") {
			w, h = LateChartWidth, LateChartHeight
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("%s is %dx%d, want %dx%d", tt.name, b.Dx(), b.Dy(), w, h)
		}
	}
	none := monthFixture()
	none.Eval.Days, none.Eval.OPDs = nil, nil
	if err := LateChart(&bytes.Buffer{}, printer(t, "id"), none.Eval); err == nil {
		t.Error("LateChart of no dates: err = nil, want an error")
	}
	if err := RateChart(&bytes.Buffer{}, printer(t, "id"), none.Eval); err == nil {
		t.Error("RateChart of no OPDs: err = nil, want an error")
	}
	// A month without apel still makes a PDF: a letterhead, zero figures,
	// no charts.
	var buf bytes.Buffer
	if err := MonthPDF(&buf, printer(t, "id"), none); err != nil || bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")) {
		t.Errorf("MonthPDF of an empty month: %v (images: %v), want a PDF without charts", err, bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")))
	}
}
