package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// rekapDay plays Tuesday 24 November (WFH) in DISKOMINFO: pagi with Rina
// on time, Budi late, Ma'ruf and the head absent, then closed; Rina sends
// her activity report; sore is ahead.
func rekapDay(t *testing.T, h *harness) {
	t.Helper()
	h.register("kepala", "rina", "budi", "maruf", "kadinkes", "admin", "sari")
	h.setTime(tuesday, 7, 15)
	pagi := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.open("DINKES", apel.Pagi, groupDinkes)
	h.setTime(tuesday, 7, 20)
	reply(t, h.location(user("rina"), h.office("DISKOMINFO"), 5), userID("rina"))
	h.setTime(tuesday, 7, 42)
	reply(t, h.location(user("budi"), north(h.office("DISKOMINFO"), 30), 5), userID("budi"))
	reply(t, h.location(user("sari"), h.office("DINKES"), 5), userID("sari"))
	h.setTime(tuesday, 8, 40)
	if _, err := h.db.CloseSession(t.Context(), pagi.ID, h.clock.Now()); err != nil {
		t.Fatalf("CloseSession: %v", err)
	}
	h.setTime(tuesday, 10, 0)
	reply(t, h.text(user("rina"), "/laporan Menyusun draf SOP"), userID("rina"))
}

func TestRekapDay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rekapDay(t, h)
	got := reply(t, h.text(user("kepala"), "/rekap"), userID("kepala"))
	want := "📊 <b>Rekap hari ini — Dinas Komunikasi dan Informatika</b>" +
		"\nSelasa, 24 November 2026" +
		"\nRencana kerja hari ini: WFO 0 · WFH 4 · WFA 0 · izin/sakit/cuti/DL 0" +
		"\n\n<b>Apel Pagi</b> (ditutup)" +
		"\nhadir 2/4 (50,0%) · WFO 0 · WFH 2 · WFA 0 · terlambat 1 · di luar lokasi 0 · izin 0 · TK 2" +
		"\n<b>Tanpa keterangan (2):</b>\n• Ma&#39;ruf &lt;Ucok&gt; &amp; Co\n• Yohanis Kaiway" +
		"\n<b>Terlambat (1):</b>\n• Budi Santoso — pukul 07.42, 7 menit" +
		"\n\n<b>Apel Sore</b>: pukul 16.00 WIT" +
		"\n\n<b>Laporan kegiatan (WFH/WFA):</b> 1 dari 4 masuk" +
		"\n<b>Belum mengirim laporan kegiatan (3):</b>\n• Budi Santoso\n• Ma&#39;ruf &lt;Ucok&gt; &amp; Co\n• Yohanis Kaiway"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/rekap by the head (-want +got):\n%s", diff)
	}

	// An admin sees any OPD by code; a session still open lists who has
	// not checked in yet.
	got = reply(t, h.text(user("admin"), "/rekap dinkes"), userID("admin"))
	for _, w := range []string{"Rekap hari ini — Dinas Kesehatan", "Rencana kerja hari ini: WFO 3 · WFH 0 · WFA 0 · izin/sakit/cuti/DL 0",
		"<b>Apel Pagi</b> (dibuka sampai 08.30 WIT)", "<b>Belum hadir (2):</b>\n• Agus Admin\n• Maria Rumbiak"} {
		if !strings.Contains(got, w) {
			t.Errorf("/rekap dinkes by the admin lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "Laporan kegiatan") {
		t.Errorf("a WFO OPD owes no activity report, but /rekap shows them:\n%s", got)
	}
}

func TestRekapRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "rina", "kadinkes", "admin")
	h.setTime(tuesday, 9, 0)
	for _, tt := range []struct{ who, text, want string }{
		{"rina", "/rekap", h.id().T("reason.not_allowed")},
		{"rina", "/rekap minggu", h.id().T("reason.not_allowed")},
		{"kadinkes", "/rekap DISKOMINFO", h.id().T("reason.not_allowed")},
		{"kepala", "/rekap minggu DINKES", h.id().T("reason.not_allowed")},
		{"admin", "/rekap NOPE", h.id().T("reason.unknown_opd", "NOPE")},
		{"kepala", "/rekap <b>", h.id().T("reason.unknown_opd", "&lt;B&gt;")},
	} {
		if got := reply(t, h.text(user(tt.who), tt.text), userID(tt.who)); got != tt.want {
			t.Errorf("%s sends %q: got %q, want %q", tt.who, tt.text, got, tt.want)
		}
	}
	h.setTime(monday.AddDays(6), 9, 0) // Sunday
	if got := reply(t, h.text(user("kepala"), "/rekap"), userID("kepala")); !strings.HasSuffix(got, "\n"+h.id().T("status.day_off")) {
		t.Errorf("/rekap on Sunday: got %q, want no apel today", got)
	}
}

func TestRekapWeek(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "rina", "budi", "maruf")
	// Monday: pagi and sore held, everyone on time at pagi, nobody at sore.
	h.setTime(monday, 7, 15)
	pagi := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 20)
	for _, n := range []string{"kepala", "rina", "budi", "maruf"} {
		reply(t, h.location(user(n), h.office("DISKOMINFO"), 5), userID(n))
	}
	h.setTime(monday, 15, 45)
	sore := h.open("DISKOMINFO", apel.Sore, groupKominfo)
	for _, s := range []apel.Session{pagi, sore} {
		if _, err := h.db.CloseSession(t.Context(), s.ID, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// Tuesday: nothing held (the bot was down). Wednesday: today, the
	// day of rekapDay's kind, with Rina's report.
	h.setTime(wednesday, 7, 15)
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(wednesday, 7, 20)
	reply(t, h.location(user("rina"), h.office("DISKOMINFO"), 5), userID("rina"))
	h.setTime(wednesday, 9, 0)
	reply(t, h.text(user("rina"), "/laporan Rapat"), userID("rina"))

	got := reply(t, h.text(user("kepala"), "/rekap minggu"), userID("kepala"))
	want := "📅 <b>Rekap minggu ini — Dinas Komunikasi dan Informatika</b>" +
		"\n23–29 November 2026" +
		"\nSen 23/11: pagi 100,0% · sore 0,0% · terlambat 0 · TK 4 · laporan kegiatan 0/0" +
		"\nSel 24/11: apel tidak terlaksana" +
		"\nRab 25/11: pagi 25,0% · sore – · terlambat 0 · TK 0 · laporan kegiatan 1/4" +
		"\n\n<b>Minggu ini:</b> hadir 5/12 (41,7%) · terlambat 0 · TK 4 · laporan kegiatan 1/4"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/rekap minggu (-want +got):\n%s", diff)
	}
}
