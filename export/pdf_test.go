package export

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// What the PDF tests can and cannot see. fpdf writes text set in an
// embedded UTF-8 font as UTF-16BE strings inside the page content streams,
// which PDF compresses. With compression off (writePDF's test option; the
// layout code is the same) a test can find a string by its UTF-16BE bytes,
// which proves it was drawn, not where or how it looks. Page objects are
// never compressed, so "/Type /Page" counts pages in either file. When
// poppler's pdftotext is installed the tests also extract the text of each
// page of the real, compressed file; without it that part is skipped. The
// layout itself was checked by eye (pdftoppm) and is not asserted.

// pages counts the page objects of a PDF.
func pages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1))
}

// drawn reports whether s was drawn in the uncompressed pdf with an
// embedded font, that is, appears as escaped UTF-16BE.
func drawn(pdf []byte, s string) bool {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		hi, lo := byte(u>>8), byte(u)
		for _, c := range []byte{hi, lo} {
			switch c {
			case '\\', '(', ')':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\r':
				b.WriteString(`\r`)
			default:
				b.WriteByte(c)
			}
		}
	}
	return bytes.Contains(pdf, []byte(b.String()))
}

// pdfText extracts the text of each page with pdftotext, or skips.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed: text extraction not checked")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f"), "\f")
}

func TestPDF(t *testing.T) {
	t.Parallel()
	d := fixture(t)
	p := printer(t, "id")
	var buf bytes.Buffer
	if err := PDF(&buf, p, d); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	pdf := buf.Bytes()
	keepFile(t, "daily-id.pdf", pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("PDF starts with %q, want %%PDF-", pdf[:min(len(pdf), 8)])
	}
	if n := pages(pdf); n != 1 {
		t.Errorf("the fixture's PDF has %d pages, want 1", n)
	}
	for _, want := range [][]byte{[]byte("/FontFile2"), []byte("/Title"), []byte("/Subtype /Image")} {
		if !bytes.Contains(pdf, want) {
			t.Errorf("PDF lacks %s (embedded font, title, chart image)", want)
		}
	}
	var again bytes.Buffer
	if err := PDF(&again, p, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, again.Bytes()) {
		t.Error("two PDFs of the same day differ, want the same bytes")
	}

	var plain bytes.Buffer
	if err := writePDF(&plain, p, d, pdfOptions{}); err != nil {
		t.Fatalf("writePDF uncompressed: %v", err)
	}
	for _, want := range []string{
		"Kota Makassar", "BKPSDM Kota Makassar", "LAPORAN APEL HARIAN", "Kamis, 15 Januari 2026",
		"Kode OPD", "Apel Pagi", "Apel Sore", "hadir/wajib", "persentase",
		"DISKOMINFO", "Dinas Komunikasi, Informatika dan", "3/4", "75,0%", "2/4", "50,0%",
		"tidak terlaksana", // DINKES sore
		"Jumlah", "7/8", "87,5%", "3/5", "60,0%",
		"Kepala BKPSDM Kota Makassar", ".................., 15 Januari 2026", "NIP.",
		"Halaman 1 dari 1",
	} {
		if !drawn(plain.Bytes(), want) {
			t.Errorf("uncompressed PDF does not draw %q", want)
		}
	}

	text := pdfText(t, pdf)
	for _, want := range []string{"LAPORAN APEL HARIAN", "DISKOMINFO", "87,5%", "Kepala BKPSDM Kota Makassar", "Halaman 1 dari 1"} {
		if !strings.Contains(text[0], want) {
			t.Errorf("pdftotext of page 1 lacks %q:\n%s", want, text[0])
		}
	}
}

// TestPDFPages breaks a long table over pages and repeats its header.
func TestPDFPages(t *testing.T) {
	t.Parallel()
	d := synthetic(t, 120, 2)
	p := printer(t, "id")
	var buf bytes.Buffer
	if err := PDF(&buf, p, d); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	pdf := buf.Bytes()
	keepFile(t, "daily-120.pdf", pdf)
	n := pages(pdf)
	if n < 3 {
		t.Fatalf("120 OPDs fit on %d pages, want the table to break over at least 3", n)
	}
	var plain bytes.Buffer
	if err := writePDF(&plain, p, d, pdfOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := bytes.Count(plain.Bytes(), []byte(utf16be("hadir/wajib"))); got < 2*(n-1) {
		t.Errorf("table header drawn %d times over %d pages, want it on every page of the table", got/2, n)
	}
	if !drawn(plain.Bytes(), "OPD0120") || !drawn(plain.Bytes(), "Halaman 3 dari ") {
		t.Error("the last OPD or the page numbers are missing")
	}
	text := pdfText(t, pdf)
	if len(text) != n {
		t.Errorf("pdftotext found %d pages, the page objects say %d", len(text), n)
	}
	for i, page := range text[:len(text)-1] {
		if !strings.Contains(page, "hadir/wajib") {
			t.Errorf("page %d has no table header:\n%s", i+1, page)
		}
	}
}

// TestPDFTooManyForAChart leaves the chart out with a note.
func TestPDFTooManyForAChart(t *testing.T) {
	t.Parallel()
	d := synthetic(t, MaxChartOPDs+1, 1)
	var plain bytes.Buffer
	if err := writePDF(&plain, printer(t, "id"), d, pdfOptions{}); err != nil {
		t.Fatalf("writePDF: %v", err)
	}
	if bytes.Contains(plain.Bytes(), []byte("/Subtype /Image")) {
		t.Error("PDF of 201 OPDs embeds a chart, want a note instead")
	}
	if !drawn(plain.Bytes(), "Grafik tidak ditampilkan: 201 OPD") {
		t.Error("PDF of 201 OPDs lacks the note about the chart")
	}
}

func utf16be(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.String()
}
