package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/export"
)

// demoReport runs the demo into a temp database and returns the
// configuration file and the database to report from.
func demoReport(t *testing.T) (cfgPath, db string) {
	t.Helper()
	cfg := testConfig(t)
	if err := cmdDemo(context.Background(), []string{"-quiet", "-db", cfg.Database}, io.Discard, io.Discard); err != nil {
		t.Fatalf("demo: %v", err)
	}
	return demoConfigFile(t, func(s string) string { return s }), cfg.Database
}

// report runs `apelbot report` on the demo day with more arguments.
func report(t *testing.T, cfgPath, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"report", "-config", cfgPath, "-db", db, "-date", "2026-01-13"}, args...)
	err = dispatch(context.Background(), args, &out, &errOut, env(nil))
	return out.String(), errOut.String(), err
}

// TestReportFiles writes the demo day as CSV, XLSX and PDF files and reads
// them back.
func TestReportFiles(t *testing.T) {
	t.Parallel()
	cfgPath, db := demoReport(t)
	dir := t.TempDir()

	// CSV: the documented header, one row per active employee per session.
	path := filepath.Join(dir, "laporan.csv")
	stdout, stderr, err := report(t, cfgPath, db, "-format", "csv", "-o", path)
	if err != nil {
		t.Fatalf("report -format csv: %v\n%s", err, stderr)
	}
	if strings.TrimSpace(stdout) != path {
		t.Errorf("report -o %s printed %q, want the file name", path, stdout)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if diff := cmp.Diff(export.CSVHeader(), recs[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	count := map[string]int{}
	for _, r := range recs[1:] {
		if r[0] != "2026-01-13" {
			t.Errorf("CSV row dated %s, want 2026-01-13: %q", r[0], r)
		}
		count[r[1]+" "+r[6]]++
	}
	// The demo's pagi: 24 present of 26 expected (one of them by a
	// correction), 1 excused, 2 TK, 27 staff.
	pagi := count["pagi on_time"] + count["pagi late"]
	if pagi != 24 || count["pagi excused"] != 1 || count["pagi absent"] != 2 {
		t.Errorf("CSV pagi statuses %v, want 24 present, 1 excused, 2 absent", count)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("report file mode = %v, %v; want 0600 (names and NIPs)", info.Mode().Perm(), err)
	}

	// XLSX: summary and one sheet per OPD; totals as numbers.
	path = filepath.Join(dir, "laporan.xlsx")
	if _, stderr, err := report(t, cfgPath, db, "-format", "xlsx", "-o", path); err != nil {
		t.Fatalf("report -format xlsx: %v\n%s", err, stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the XLSX: %v", err)
	}
	defer f.Close()
	// The demo's flagged check-ins (Arman at home, Dewi 2 km away on an
	// office day) have their sheet.
	if diff := cmp.Diff([]string{"Ringkasan", "DISKOMINFO", "BAPPEDA", "DINKES", "BKPSDM", "Koreksi dan gangguan", "Tanda"}, f.GetSheetList()); diff != "" {
		t.Errorf("XLSX sheets (-want +got):\n%s", diff)
	}
	if flagged, err := f.GetRows("Tanda"); err != nil || len(flagged) != 4 {
		t.Errorf("Tanda sheet: %q, %v; want the header and 3 rows (Arman pagi and sore, Dewi pagi)", flagged, err)
	}
	rows, err := f.GetRows("Ringkasan")
	if err != nil {
		t.Fatal(err)
	}
	total := rows[5] // header, four OPDs, totals
	if total[0] != "Jumlah" || total[2] != "27" || total[3] != "24" || total[10] != "92.3%" {
		t.Errorf("XLSX totals row = %q, want Jumlah, 27 staff, 24 present, 92.3%%", total)
	}
	if v, _ := f.GetCellValue("Ringkasan", "K6", excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "0.923076") {
		t.Errorf("Ringkasan!K6 raw = %q, want the rate 24/26 as a number", v)
	}
	if audit, err := f.GetRows("Koreksi dan gangguan"); err != nil || len(audit) != 2 || audit[1][4] != "Kamaruddin Usman" {
		t.Errorf("audit sheet: %q, %v; want the header and Kamaruddin's correction", audit, err)
	}

	// PDF: a PDF with a page or two.
	path = filepath.Join(dir, "laporan.pdf")
	if _, stderr, err := report(t, cfgPath, db, "-format", "pdf", "-o", path); err != nil {
		t.Fatalf("report -format pdf: %v\n%s", err, stderr)
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(raw, -1))
	if !bytes.HasPrefix(raw, []byte("%PDF-")) || pages < 1 || pages > 2 {
		t.Errorf("report -format pdf wrote %d bytes starting %q with %d pages, want a PDF of 1 or 2 pages", len(raw), raw[:min(8, len(raw))], pages)
	}

	// The extension chooses the format when -format is left out.
	path = filepath.Join(dir, "auto.xlsx")
	if _, stderr, err := report(t, cfgPath, db, "-o", path); err != nil {
		t.Fatalf("report -o %s: %v\n%s", path, err, stderr)
	}
	if raw, _ := os.ReadFile(path); !bytes.HasPrefix(raw, []byte("PK")) {
		t.Errorf("report -o auto.xlsx did not write a workbook (starts %q)", raw[:min(4, len(raw))])
	}
	// "-o -" sends a binary format to standard output on purpose.
	stdout, stderr, err = report(t, cfgPath, db, "-format", "pdf", "-o", "-")
	if err != nil || !strings.HasPrefix(stdout, "%PDF-") {
		t.Errorf("report -format pdf -o -: err %v, output starts %q; want the PDF on stdout\n%s", err, stdout[:min(8, len(stdout))], stderr)
	}
	// No temporary files are left beside the reports.
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestReportText is the text report, unchanged by the formats.
func TestReportText(t *testing.T) {
	t.Parallel()
	cfgPath, db := demoReport(t)
	stdout, _, err := report(t, cfgPath, db)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadWithDB(cfgPath, db, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	d := apel.Date{Year: 2026, Month: 1, Day: 13}
	text, err := dailyReportText(context.Background(), cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != text+"\n" {
		t.Errorf("report printed:\n%s\nwant dailyReportText:\n%s", stdout, text)
	}
	var buf bytes.Buffer
	if err := writeDailyReport(context.Background(), cfg, d, "text", &buf); err != nil || buf.String() != stdout {
		t.Errorf("writeDailyReport text = %q, %v; want what report prints", buf.String(), err)
	}
	if err := writeDailyReport(context.Background(), cfg, d, "docx", io.Discard); err == nil {
		t.Error("writeDailyReport docx: err = nil, want unknown format")
	}
}

// TestReportRefuses refuses a binary format on the terminal, unknown
// formats and a format that contradicts the file name, before touching the
// database.
func TestReportRefuses(t *testing.T) {
	t.Parallel()
	cfgPath := demoConfigFile(t, func(s string) string { return s })
	db := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-format", "xlsx"}, "-format xlsx is a binary file: give -o FILE.xlsx"},
		{[]string{"-format", "pdf"}, "-format pdf is a binary file: give -o FILE.pdf"},
		{[]string{"-format", "docx", "-o", "x.docx"}, "-format docx: want text, csv, xlsx, pdf"},
		{[]string{"-format", "csv", "-o", "x.xlsx"}, "-format csv does not match -o x.xlsx"},
	}
	for _, tt := range tests {
		stdout, stderr, err := report(t, cfgPath, db, tt.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("report %q: err %v, stderr %q, stdout %d bytes; want usage error %q and no output", tt.args, err, stderr, len(stdout), tt.want)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused report created the database %s (err %v)", db, err)
	}
}

func TestReportFormat(t *testing.T) {
	t.Parallel()
	tests := []struct{ format, out, want string }{
		{"", "", "text"},
		{"", "r.txt", "text"},
		{"", "r.CSV", "csv"},
		{"", "laporan.xlsx", "xlsx"},
		{"PDF", "laporan.pdf", "pdf"},
		{"csv", "", "csv"},
		{"text", "r.log", "text"},
		{"pdf", "-", "pdf"},
	}
	for _, tt := range tests {
		if got, err := reportFormat(tt.format, tt.out); err != nil || got != tt.want {
			t.Errorf("reportFormat(%q, %q) = %q, %v; want %q", tt.format, tt.out, got, err, tt.want)
		}
	}
}
