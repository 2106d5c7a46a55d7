package export

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// auditFixture is the fixture with a correction of DISKOMINFO's apel pagi
// (Dewi forgot to check in) and an outage over its apel sore.
func auditFixture(t *testing.T) Detail {
	t.Helper()
	d := fixture(t)
	loc := d.Location
	at := func(h, m int) time.Time { return time.Date(2026, time.January, 15, h, m, 0, 0, loc) }
	day := d.Day
	day.Sessions = append([]apel.Session(nil), day.Sessions...)
	day.Sessions[1].Disruption = apel.Disruption{From: at(16, 40), To: at(17, 5)}
	day.Corrections = []apel.Correction{{ID: 1, SessionID: 11, EmployeeID: 4, Date: day.Date, Kind: apel.Pagi,
		Before: apel.StatusAbsent, After: apel.StatusOnTime, Mode: apel.WFO, Reason: apel.CorrectForgot,
		Note: "ikut rapat di kantor wali kota", By: 1, ByTelegram: 5001, At: at(9, 10)}}
	d.Day = day
	d.Report = apel.CompileDailyReport("Kota Makassar", day)
	return d
}

func TestCSVAudit(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := CSV(&buf, auditFixture(t)); err != nil {
		t.Fatalf("CSV: %v", err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	pick := func(r []string, names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, r[col[n]])
		}
		return out
	}
	names := []string{"session", "name", "status", "corrections", "original_status", "correction_reason", "correction_note", "outage_from", "outage_to"}
	want := map[int][]string{
		4: {"pagi", "Dewi Lestari", "on_time", "1", "absent", "forgot", "ikut rapat di kantor wali kota", "", ""},
		6: {"sore", "Besse Nurhayati", "not_judged", "0", "", "", "", "2026-01-15T16:40:00+08:00", "2026-01-15T17:05:00+08:00"},
		9: {"pagi", "Erwin Saputra", "on_time", "0", "", "", "", "", ""},
	}
	for row, w := range want {
		if diff := cmp.Diff(w, pick(recs[row], names...)); diff != "" {
			t.Errorf("CSV row %d (-want +got):\n%s", row, diff)
		}
	}
}

func TestXLSXAudit(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, "id", auditFixture(t))
	if diff := cmp.Diff([]string{"Ringkasan", "DISKOMINFO", "DINKES", "BAPPEDA", "Koreksi dan gangguan"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, err := f.GetRows("Koreksi dan gangguan")
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"No.", "Apel", "Kode OPD", "NIP", "Nama", "Sebelum", "Sesudah", "Alasan", "Catatan",
		"Dikoreksi oleh", "NIP pengoreksi", "ID Telegram pengoreksi", "Waktu koreksi (WITA)"}
	wantRow := []string{"1", "pagi", "DISKOMINFO", "199205172019022004", "Dewi Lestari", "TK",
		"tepat waktu", "lupa absen", "ikut rapat di kantor wali kota", "Andi Pratama",
		"198503122010011002", "5001", "2026-01-15 09:10"}
	if len(rows) < 6 {
		t.Fatalf("audit sheet rows = %q, want the header, a correction and the outage", rows)
	}
	if diff := cmp.Diff(wantHead, rows[0]); diff != "" {
		t.Errorf("audit header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRow, rows[1]); diff != "" {
		t.Errorf("audit correction row (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "sore", "DISKOMINFO", "2026-01-15 16:40", "2026-01-15 17:05"}, rows[4]); diff != "" {
		t.Errorf("audit outage row (-want +got):\n%s", diff)
	}
	opd, err := f.GetRows("DISKOMINFO")
	if err != nil {
		t.Fatal(err)
	}
	if got := opd[4][4]; got != "tepat waktu (dikoreksi)" {
		t.Errorf("Dewi's pagi status = %q, want the corrected value, marked", got)
	}
	if got := opd[2][10]; got != "tidak dinilai (gangguan)" {
		t.Errorf("Besse's sore status = %q, want not judged", got)
	}
	summary, _ := f.GetRows("Ringkasan")
	if got := summary[1][len(summary[1])-1]; got != "pagi: dikoreksi 1; sore: tidak dinilai 2 (gangguan sistem)" {
		t.Errorf("DISKOMINFO notes = %q", got)
	}
	// Without corrections or outages there is no audit sheet.
	if n := len(openXLSX(t, "id", fixture(t)).GetSheetList()); n != 4 {
		t.Errorf("plain day: %d sheets, want 4", n)
	}
}

func TestPDFAudit(t *testing.T) {
	t.Parallel()
	var plain bytes.Buffer
	if err := writePDF(&plain, printer(t, "id"), auditFixture(t), pdfOptions{}); err != nil {
		t.Fatalf("writePDF: %v", err)
	}
	for _, want := range []string{"Gangguan sistem", "Koreksi (1)", "DISKOMINFO", "16.40–17.05", "lupa absen", "Andi Pratama"} {
		if !drawn(plain.Bytes(), want) {
			t.Errorf("PDF does not draw %q", want)
		}
	}
}
