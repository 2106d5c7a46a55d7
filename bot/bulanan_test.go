package bot

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestBulanan is /bulanan for an admin: the evaluation as a message, then
// the XLSX and the PDF as documents in the same chat.
func TestBulanan(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.Threshold = 0.9 })
	rekapDay(t, h)                      // Tuesday 24 November: DISKOMINFO 2 of 4 at pagi, DINKES 1 of 3 still open
	h.setTime(monday.AddDays(9), 10, 0) // Wednesday 2 December
	calls := h.text(user("admin"), "/bulanan 2026-11")
	if len(calls) != 3 || calls[0].Method != "sendMessage" || calls[1].Method != "sendDocument" || calls[2].Method != "sendDocument" {
		t.Fatalf("/bulanan made calls %v, want a message and two documents", calls)
	}
	for _, c := range calls {
		if c.ChatID() != userID("admin") || !c.OK() {
			t.Errorf("%s to %d (ok %v), want to the admin's chat", c.Method, c.ChatID(), c.OK())
		}
	}
	text := calls[0].Text()
	for _, want := range []string{
		"📈 <b>EVALUASI BULANAN APEL</b>\nKota Jayapura · BKPSDM Kota Jayapura\nNovember 2026 · 1 hari apel",
		"Kehadiran 42,9% (3/7) · pagi 42,9% · sore –",
		"1. ⚠️ DISKOMINFO — 50,0% (2/4)",
		"⚠️ <b>Di bawah ambang 90,0% (2):</b> DISKOMINFO (50,0%), DINKES (33,3%)",
		"Laporan kegiatan: 1 dari 4 (25,0%)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/bulanan message lacks %q:\n%s", want, text)
		}
	}

	xlsx, pdf := calls[1].Files["document"], calls[2].Files["document"]
	if xlsx.Name != "evaluasi-apel-2026-11.xlsx" || pdf.Name != "evaluasi-apel-2026-11.pdf" {
		t.Errorf("documents named %q and %q, want evaluasi-apel-2026-11.xlsx and .pdf", xlsx.Name, pdf.Name)
	}
	if got := calls[1].Text(); got != "📊 Evaluasi bulanan apel November 2026 (XLSX)" {
		t.Errorf("XLSX caption %q", got)
	}
	if !bytes.HasPrefix(pdf.Data, []byte("%PDF-")) || !bytes.Contains(pdf.Data, []byte("/Subtype /Image")) {
		t.Errorf("the PDF document (%d bytes) is not a PDF with charts", len(pdf.Data))
	}
	zr, err := zip.NewReader(bytes.NewReader(xlsx.Data), int64(len(xlsx.Data)))
	if err != nil {
		t.Fatalf("the XLSX document is not a workbook: %v", err)
	}
	var workbook string
	for _, f := range zr.File {
		if f.Name == "xl/workbook.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			workbook = string(b)
		}
	}
	for _, sheet := range []string{"Ringkasan", "Per mode", "Per OPD", "Per minggu", "Per hari"} {
		if !strings.Contains(workbook, `name="`+sheet+`"`) {
			t.Errorf("the workbook lacks sheet %q: %s", sheet, workbook)
		}
	}

	// Without an argument: the current month so far, December, without apel.
	calls = h.text(user("admin"), "/bulanan")
	if len(calls) != 3 || !strings.Contains(calls[0].Text(), "Desember 2026 · 0 hari apel") {
		t.Errorf("/bulanan without a month: calls %v, want December's evaluation and its documents", calls)
	}
}

func TestBulananRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "rina", "admin")
	h.setTime(tuesday, 10, 0)
	for _, tt := range []struct{ who, text, want string }{
		{"kepala", "/bulanan", h.id().T("reason.not_allowed")},
		{"rina", "/bulanan 2026-11", h.id().T("reason.not_allowed")},
		{"admin", "/bulanan 2027-01", h.id().T("bulanan.future", "Januari 2027")},
		{"admin", "/bulanan November", h.id().T("bulanan.usage")},
		{"admin", "/bulanan 2026 11", h.id().T("bulanan.usage")},
	} {
		if got := reply(t, h.text(user(tt.who), tt.text), userID(tt.who)); got != tt.want {
			t.Errorf("%s sends %q: got %q, want %q", tt.who, tt.text, got, tt.want)
		}
	}
	if got := reply(t, h.text(stranger(), "/bulanan"), stranger().ID); got != h.id().T("register.needed") {
		t.Errorf("/bulanan from a stranger: got %q", got)
	}
}
