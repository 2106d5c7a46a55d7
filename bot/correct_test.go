package bot

import (
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// button returns the callback data of the button of c whose data ends in
// suffix, failing the test when there is none.
func button(t *testing.T, c telegramtest.Call, suffix string) string {
	t.Helper()
	for _, d := range buttons(t, c) {
		if strings.HasSuffix(d, suffix) {
			return d
		}
	}
	t.Fatalf("no button ending in %q among %v", suffix, buttons(t, c))
	return ""
}

// only returns the one call of method to chat among calls.
func onlyCall(t *testing.T, calls []telegramtest.Call, method string, chat int64) telegramtest.Call {
	t.Helper()
	var out []telegramtest.Call
	for _, c := range calls {
		if c.Method == method && c.ChatID() == chat {
			out = append(out, c)
		}
	}
	if len(out) != 1 {
		t.Fatalf("got calls %v, want one %s to %d", calls, method, chat)
	}
	return out[0]
}

// correctionDay is a Monday whose DISKOMINFO apel pagi has closed: Rina
// checked in, Budi did not.
func correctionDay(t *testing.T) (*harness, apel.Session) {
	t.Helper()
	h := newHarness(t)
	h.setTime(monday, 7, 0)
	h.register("kepala", "rina", "budi", "kadinkes", "admin", "sari")
	s := h.open("DISKOMINFO", apel.Pagi, 0)
	h.setTime(monday, 7, 20)
	h.location(user("rina"), h.office("DISKOMINFO"), 10)
	h.setTime(monday, 9, 0)
	if _, err := h.db.CloseSession(t.Context(), s.ID, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	return h, s
}

func TestCorrectionByHead(t *testing.T) {
	t.Parallel()
	h, s := correctionDay(t)
	head, budi := user("kepala"), h.emp("budi")

	calls := h.text(head, "/koreksi "+budi.NIP+" pagi")
	checkTexts(t, calls)
	ask := onlyCall(t, calls, "sendMessage", head.ID)
	if !strings.Contains(ask.Text(), "Apel pagi: TK") {
		t.Errorf("first step %q does not show Budi's TK", ask.Text())
	}
	msg := sentMessage(t, ask).ID
	// New status: present on time; then the reason: forgot.
	calls = h.tap(head, head.ID, msg, button(t, ask, ":h"))
	step := onlyCall(t, calls, "editMessageText", head.ID)
	calls = h.tap(head, head.ID, msg, button(t, step, ":h:2"))
	if text := onlyCall(t, calls, "editMessageText", head.ID).Text(); !strings.Contains(text, "catatan") {
		t.Errorf("after the reason: %q, want the note asked for", text)
	}
	calls = h.text(head, "ikut rapat <koordinasi> di kantor wali kota")
	checkTexts(t, calls)
	confirm := onlyCall(t, calls, "sendMessage", head.ID)
	if !strings.Contains(confirm.Text(), "hadir") || !strings.Contains(confirm.Text(), "&lt;koordinasi&gt;") {
		t.Errorf("confirmation %q, want the new status and the escaped note", confirm.Text())
	}
	if got, err := h.db.Corrections(t.Context(), monday); err != nil || len(got) != 0 {
		t.Fatalf("before saving: corrections %v, %v; want none", got, err)
	}
	calls = h.tap(head, head.ID, sentMessage(t, confirm).ID, "kx:ok")
	checkTexts(t, calls)
	if text := onlyCall(t, calls, "editMessageText", head.ID).Text(); !strings.Contains(text, "Koreksi tersimpan") {
		t.Errorf("after saving: %q, want the saved message", text)
	}
	if text := onlyCall(t, calls, "sendMessage", userID("budi")).Text(); !strings.Contains(text, "dikoreksi oleh Yohanis Kaiway") {
		t.Errorf("notice to Budi: %q", text)
	}

	got, err := h.db.Corrections(t.Context(), monday)
	if err != nil || len(got) != 1 {
		t.Fatalf("corrections after saving: %v, %v; want one", got, err)
	}
	c := got[0]
	if c.SessionID != s.ID || c.EmployeeID != budi.ID || c.Before != apel.StatusAbsent || c.After != apel.StatusOnTime ||
		c.Reason != apel.CorrectForgot || c.Note != "ikut rapat <koordinasi> di kantor wali kota" ||
		c.By != h.emp("kepala").ID || c.ByTelegram != head.ID || !c.At.Equal(h.clock.Now()) {
		t.Errorf("audit entry %+v: want Budi's pagi, TK -> on time, forgot, the note, by the head (%d) at %v",
			c, head.ID, h.clock.Now())
	}
	// Budi's /status shows the corrected value.
	if text := reply(t, h.text(user("budi"), "/status"), userID("budi")); !strings.Contains(text, "Apel pagi: ✏️ hadir (dikoreksi: TK → hadir, lupa absen") {
		t.Errorf("Budi's /status after the correction:\n%s", text)
	}
	// Nothing was overwritten: there is still no check-in of Budi, and the
	// day's report counts him present, corrected.
	if _, err := h.db.CheckIn(t.Context(), s.ID, budi.ID); err == nil {
		t.Errorf("a check-in of Budi exists after the correction; corrections must not write check-ins")
	}
	day, err := h.db.Day(t.Context(), monday, h.opds)
	if err != nil {
		t.Fatal(err)
	}
	r := apel.CompileDailyReport("Kota", day)
	if t0 := r.OPDs[0].Pagi; t0.Present != 2 || t0.Corrected != 1 || t0.Absent != 2 {
		t.Errorf("report pagi of DISKOMINFO: %+v; want present 2 (Rina, Budi), corrected 1, TK 2 (the head, Ma'ruf)", t0)
	}
	// The same correction again changes nothing.
	calls = h.text(head, "/koreksi "+budi.NIP+" pagi")
	ask = onlyCall(t, calls, "sendMessage", head.ID)
	calls = h.tap(head, head.ID, sentMessage(t, ask).ID, button(t, ask, ":h"))
	calls = h.tap(head, head.ID, sentMessage(t, ask).ID, button(t, onlyCall(t, calls, "editMessageText", head.ID), ":h:1"))
	h.text(head, "-")
	calls = h.tap(head, head.ID, sentMessage(t, ask).ID, "kx:ok")
	if text := onlyCall(t, calls, "editMessageText", head.ID).Text(); text != h.id().T("reason.correct_no_change") {
		t.Errorf("a correction to the status in force: %q, want %q", text, h.id().T("reason.correct_no_change"))
	}
	if got, _ := h.db.Corrections(t.Context(), monday); len(got) != 1 {
		t.Errorf("after a no-change correction: %d entries, want still 1", len(got))
	}
}

func TestCorrectionByAdminNeedsANoteForOther(t *testing.T) {
	t.Parallel()
	h, _ := correctionDay(t)
	admin, rina := user("admin"), h.emp("rina")
	// The admin (of DINKES) corrects DISKOMINFO's Rina: allowed.
	ask := onlyCall(t, h.text(admin, "/koreksi "+rina.NIP), "sendMessage", admin.ID)
	msg := sentMessage(t, ask).ID
	step := onlyCall(t, h.tap(admin, admin.ID, msg, button(t, ask, ":s")), "editMessageText", admin.ID)
	h.tap(admin, admin.ID, msg, button(t, step, ":s:4")) // other
	if text := reply(t, h.text(admin, "-"), admin.ID); text != h.id().T("reason.correction_note") {
		t.Errorf("reason other without a note: %q, want %q", text, h.id().T("reason.correction_note"))
	}
	confirm := onlyCall(t, h.text(admin, "surat keterangan dokter"), "sendMessage", admin.ID)
	h.tap(admin, admin.ID, sentMessage(t, confirm).ID, "kx:ok")
	got, err := h.db.Corrections(t.Context(), monday)
	if err != nil || len(got) != 1 || got[0].Before != apel.StatusOnTime || got[0].After != apel.StatusExcused ||
		got[0].Excuse != apel.Sakit || got[0].By != h.emp("admin").ID || got[0].Note != "surat keterangan dokter" {
		t.Fatalf("corrections: %+v, %v; want Rina on time -> sakit by the admin, with the note", got, err)
	}
	// Rina's check-in is still there, as evidence.
	if _, err := h.db.CheckIn(t.Context(), got[0].SessionID, rina.ID); err != nil {
		t.Errorf("Rina's check-in after the correction: %v; want it kept", err)
	}
}

func TestCorrectionRefusals(t *testing.T) {
	t.Parallel()
	h, _ := correctionDay(t)
	budi := h.emp("budi")
	p := h.id()
	tomorrow := monday.AddDays(1).String()
	for _, tc := range []struct {
		name string
		who  telegramtest.User
		text string
		want string
	}{
		{"staff", user("sari"), "/koreksi " + budi.NIP, p.T("correct.staff_refused")},
		{"head of another OPD", user("kadinkes"), "/koreksi " + budi.NIP, p.T("reason.correct_other_opd")},
		{"a date to come", user("kepala"), "/koreksi " + budi.NIP + " " + tomorrow, p.T("reason.correct_future")},
		{"unknown NIP", user("kepala"), "/koreksi 199912312020121999", p.T("reason.unknown_nip")},
		{"no NIP", user("kepala"), "/koreksi", p.T("correct.usage")},
		{"bad date", user("kepala"), "/koreksi " + budi.NIP + " 31-02-2026", p.T("correct.bad_date", "31-02-2026")},
		{"a day without apel", user("kepala"), "/koreksi " + budi.NIP + " kemarin", ""},
		{"an apel not held that day", user("kepala"), "/koreksi " + budi.NIP + " sore", ""},
	} {
		calls := h.text(tc.who, tc.text)
		checkTexts(t, calls)
		got := reply(t, calls, tc.who.ID)
		if tc.want != "" && got != tc.want {
			t.Errorf("%s: %q -> %q, want %q", tc.name, tc.text, got, tc.want)
		}
		if tc.want == "" && !strings.Contains(got, "Tidak ada apel") {
			t.Errorf("%s: %q -> %q, want no session", tc.name, tc.text, got)
		}
	}
	// Forged buttons from staff and from another OPD's head save nothing.
	sari, kadinkes := user("sari"), user("kadinkes")
	forged := "kx:r:" + itoa(budi.ID) + ":20261123:p:h:2"
	if text := sent(h.tap(sari, sari.ID, 1, forged), sari.ID); len(text) != 1 || text[0] != p.T("correct.staff_refused") {
		t.Errorf("staff pressing a forged button: %v", text)
	}
	if text := sent(h.tap(kadinkes, kadinkes.ID, 1, forged), kadinkes.ID); len(text) != 1 || text[0] != p.T("reason.correct_other_opd") {
		t.Errorf("another OPD's head pressing a forged button: %v", text)
	}
	h.tap(kadinkes, kadinkes.ID, 1, "kx:ok")
	h.tap(sari, sari.ID, 1, "kx:zz:garbage")
	if got, _ := h.db.Corrections(t.Context(), monday); len(got) != 0 {
		t.Errorf("after refusals: %+v, want no correction", got)
	}
	// Cancelling drops the awaited note.
	head := user("kepala")
	ask := onlyCall(t, h.text(head, "/koreksi "+budi.NIP+" pagi"), "sendMessage", head.ID)
	step := onlyCall(t, h.tap(head, head.ID, sentMessage(t, ask).ID, button(t, ask, ":k")), "editMessageText", head.ID)
	h.tap(head, head.ID, sentMessage(t, ask).ID, button(t, step, ":k:0"))
	h.tap(head, head.ID, sentMessage(t, ask).ID, "kx:no")
	if what, _ := h.db.Awaiting(t.Context(), head.ID, h.clock.Now()); what != "" {
		t.Errorf("after cancelling, awaiting %q, want nothing", what)
	}
}
