package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// monthReport runs `apelbot report -month` with more arguments.
func monthReport(t *testing.T, cfgPath, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"report", "-config", cfgPath, "-db", db}, args...)
	err = dispatch(context.Background(), args, &out, &errOut, env(nil))
	return out.String(), errOut.String(), err
}

// TestReportMonth evaluates the demo's month (one day of apel) as text,
// XLSX and PDF.
func TestReportMonth(t *testing.T) {
	t.Parallel()
	cfgPath, db := demoReport(t)
	stdout, stderr, err := monthReport(t, cfgPath, db, "-month", "2026-01")
	if err != nil {
		t.Fatalf("report -month 2026-01: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"EVALUASI BULANAN APEL\nKota Ternate (demo) · BKPSDM Kota Ternate\nJanuari 2026 · 1 hari apel",
		"Seluruh OPD (27 pegawai)\nKehadiran 88,5% (46/52) · pagi 92,3% · sore 84,6%",
		"WFH: 84,4% (27/32)",
		"Sel 13/1: terlambat 5 (10,9%)",
		"Dikoreksi 1 · tidak dinilai karena gangguan sistem 0", // the demo's /koreksi
		"Di bawah ambang 85,0% (2): BAPPEDA (83,3%), BKPSDM (80,0%)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report -month text lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "<b>") || strings.Contains(stdout, "%!") {
		t.Errorf("report -month text has markup or a formatting error:\n%s", stdout)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "evaluasi.xlsx")
	if _, stderr, err := monthReport(t, cfgPath, db, "-month", "2026-01", "-o", path); err != nil {
		t.Fatalf("report -month -o %s: %v\n%s", path, err, stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the XLSX: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Ringkasan,Per mode,Per OPD,Per minggu,Per hari" {
		t.Errorf("XLSX sheets %q", got)
	}
	if v, _ := f.GetCellValue("Per OPD", "G3", excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "0.8333") {
		t.Errorf("Per OPD!G3 (BAPPEDA's rate) raw = %q, want 10/12 as a number", v)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("report file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}

	path = filepath.Join(dir, "evaluasi.pdf")
	if _, stderr, err := monthReport(t, cfgPath, db, "-month", "2026-01", "-format", "pdf", "-o", path); err != nil {
		t.Fatalf("report -month -format pdf: %v\n%s", err, stderr)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(raw, -1))
	if !bytes.HasPrefix(raw, []byte("%PDF-")) || pages < 1 || pages > 3 || bytes.Count(raw, []byte("/Subtype /Image")) != 2 {
		t.Errorf("report -month pdf: %d bytes, %d pages; want a PDF of 1 to 3 pages with two charts", len(raw), pages)
	}

	// A month without apel is an evaluation of nothing, not an error.
	stdout, _, err = monthReport(t, cfgPath, db, "-month", "2026-03")
	if err != nil || !strings.Contains(stdout, "Maret 2026 · 0 hari apel") {
		t.Errorf("report -month 2026-03 = %q, %v; want an empty evaluation", stdout, err)
	}
}

func TestReportMonthRefuses(t *testing.T) {
	t.Parallel()
	cfgPath := demoConfigFile(t, func(s string) string { return s })
	db := filepath.Join(t.TempDir(), "none.db")
	for _, args := range [][]string{
		{"-month", "2026-01", "-format", "csv", "-o", "x.csv"},
		{"-month", "2026-01", "-date", "2026-01-13"},
		{"-month", "2026-01", "-format", "xlsx"},
	} {
		_, stderr, err := monthReport(t, cfgPath, db, args...)
		if !errors.Is(err, errUsage) || stderr == "" {
			t.Errorf("report %q: err %v, stderr %q; want a usage error", args, err, stderr)
		}
	}
	if _, _, err := monthReport(t, cfgPath, db, "-month", "Januari"); err == nil || !strings.Contains(err.Error(), "want YYYY-MM") {
		t.Errorf("report -month Januari: err %v, want YYYY-MM", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused report created the database %s (err %v)", db, err)
	}
}
