package bot

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// proposeHome runs /domisili and a location for rina and returns the review
// message the head got, with its message id and point id.
func proposeHome(t *testing.T, h *harness, home apel.Point) (review telegramtest.Call, msgID int, pointID int64) {
	t.Helper()
	calls := h.text(user("rina"), "/domisili")
	got := reply(t, calls, userID("rina"))
	if want := "Kirim lokasi rumah Anda (titik domisili) dengan tombol di bawah, saat Anda berada di rumah. Titik ini akan ditinjau atasan Anda."; got != want {
		t.Errorf("/domisili: got %q, want %q", got, want)
	}
	if mk := calls[0].Params["reply_markup"]; !strings.Contains(mk, `"request_location":true`) || !strings.Contains(mk, "🏠 Kirim lokasi rumah") {
		t.Errorf("/domisili: reply_markup %s, want a home location button", mk)
	}
	calls = h.location(user("rina"), home, 12)
	if got := sent(calls, userID("rina")); len(got) != 1 || got[0] != "Titik domisili Anda sudah dikirim dan menunggu persetujuan atasan." {
		t.Errorf("home location: owner got %q, want the sent notice", got)
	}
	reviews := 0
	for _, c := range calls {
		if c.Method == "sendMessage" && c.ChatID() == userID("kepala") {
			review, reviews = c, reviews+1
		}
	}
	if reviews != 1 || len(calls) != 2 {
		t.Fatalf("home location: got calls %v, want one review to the head and one notice", calls)
	}
	data := buttons(t, review)
	if len(data) != 2 || !strings.HasPrefix(data[0], "hp:a:") || data[1] != "hp:r:"+strings.TrimPrefix(data[0], "hp:a:") {
		t.Fatalf("review buttons: got %q, want approve and reject of one point", data)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(data[0], "hp:a:"), 10, 64)
	if err != nil {
		t.Fatalf("review button %q: %v", data[0], err)
	}
	return review, sentMessage(t, review).ID, id
}

func TestHomePointApprovedThenWFHJudgedAtHome(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	h.setTime(monday, 19, 0)
	home := north(h.office("DISKOMINFO"), 3000)
	review, msgID, id := proposeHome(t, h, home)

	wantReview := fmt.Sprintf("🏠 <b>Pengajuan titik domisili</b>\nRina Marasabessy (NIP 198503122010012002), Dinas Komunikasi dan Informatika\n"+
		"Lokasi: https://maps.google.com/?q=%.6f,%.6f\nAkurasi: ±12 m\nSetujui titik ini sebagai tempat absensi WFH?", home.Lat, home.Lon)
	if diff := cmp.Diff(wantReview, review.Text()); diff != "" {
		t.Errorf("review text (-want +got):\n%s", diff)
	}

	calls := h.tap(user("kepala"), userID("kepala"), msgID, "hp:a:"+strconv.FormatInt(id, 10))
	if a := answer(t, calls); a.Params["text"] != "Disetujui" {
		t.Errorf("approve: toast %q, want %q", a.Params["text"], "Disetujui")
	}
	var edited string
	for _, c := range calls {
		if c.Method == "editMessageText" && c.ChatID() == userID("kepala") && c.Params["message_id"] == strconv.Itoa(msgID) {
			edited = c.Text()
		}
	}
	if want := "✅ Titik domisili Rina Marasabessy disetujui oleh Yohanis Kaiway."; edited != want {
		t.Errorf("review after approval: got %q, want %q (calls %v)", edited, want, calls)
	}
	if got := sent(calls, userID("rina")); len(got) != 1 || got[0] != "✅ Titik domisili Anda sudah disetujui. Absensi WFH akan dinilai terhadap titik ini." {
		t.Errorf("owner: got %q, want the approval notice", got)
	}
	hp, err := h.db.HomePoint(t.Context(), id)
	if err != nil || hp.Status != apel.HomeApproved || hp.DecidedBy != h.emp("kepala").ID {
		t.Errorf("stored point: %+v (err %v), want approved by the head", hp, err)
	}

	// A second tap on the same button changes nothing.
	calls = h.tap(user("kepala"), userID("kepala"), msgID, "hp:r:"+strconv.FormatInt(id, 10))
	if a := answer(t, calls); a.Params["text"] != "Pengajuan ini sudah diputuskan sebelumnya." || len(calls) != 1 {
		t.Errorf("second decision: got calls %v, want only the already-decided toast", calls)
	}

	// Tuesday is WFH: the check-in is judged against the approved home.
	h.setTime(tuesday, 7, 0)
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(tuesday, 7, 26)
	got := reply(t, h.location(user("rina"), north(home, 30), 5), userID("rina"))
	want := "✅ <b>Kehadiran tercatat</b>\nApel pagi, Selasa, 24 November 2026 pukul 07.26 WIT\nMode hari ini: WFH (bekerja dari rumah)" +
		"\n⏱ Tepat waktu.\n📍 Di lokasi: 30 m dari titik domisili."
	if got != want {
		t.Errorf("WFH check-in at home: got\n%q\nwant\n%q", got, want)
	}
}

func TestHomePointRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	_, msgID, id := proposeHome(t, h, north(h.office("DISKOMINFO"), 3000))
	calls := h.tap(user("kepala"), userID("kepala"), msgID, "hp:r:"+strconv.FormatInt(id, 10))
	if a := answer(t, calls); a.Params["text"] != "Ditolak" {
		t.Errorf("reject: toast %q, want Ditolak", a.Params["text"])
	}
	want := "❌ Titik domisili Anda ditolak. Kirim ulang dengan /domisili saat berada di rumah, atau hubungi atasan Anda."
	if got := sent(calls, userID("rina")); len(got) != 1 || got[0] != want {
		t.Errorf("owner: got %q, want [%q]", got, want)
	}
	if hp, _ := h.db.HomePoint(t.Context(), id); hp.Status != apel.HomeRejected {
		t.Errorf("stored status %q, want rejected", hp.Status)
	}
}

func TestHomePointForgedDecisionRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, who, data string }{
		{"staff approves", "budi", "hp:a:%d"},
		{"staff rejects", "budi", "hp:r:%d"},
		{"owner approves own point", "rina", "hp:a:%d"},
		{"head of another OPD", "kadinkes", "hp:a:%d"},
		{"unregistered", "maruf", "hp:a:%d"},
		{"no such point", "kepala", "hp:a:%d99"},
		{"malformed id", "kepala", "hp:a:x%d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.register("rina", "kepala", "budi", "kadinkes")
			_, _, id := proposeHome(t, h, north(h.office("DISKOMINFO"), 3000))
			data := fmt.Sprintf(tt.data, id)
			u := user(tt.who)
			calls := h.tap(u, u.ID, 1, data)
			if len(calls) != 1 || answer(t, calls).Params["text"] != "Maaf, Anda tidak berwenang melakukan ini." {
				t.Errorf("%s taps %q: got calls %v, want only the not-allowed toast", tt.who, data, calls)
			}
			if hp, _ := h.db.HomePoint(t.Context(), id); hp.Status != apel.HomePending {
				t.Errorf("%s taps %q: point is %q, want still pending", tt.who, data, hp.Status)
			}
		})
	}
}

func TestHomePointWithoutApprover(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina") // neither the head nor any admin is registered
	reply(t, h.text(user("rina"), "/domisili"), userID("rina"))
	got := reply(t, h.location(user("rina"), north(h.office("DISKOMINFO"), 3000), 10), userID("rina"))
	if want := "Titik domisili Anda tersimpan, tetapi belum ada atasan terdaftar yang dapat menyetujuinya. Hubungi kepala OPD atau BKPSDM."; got != want {
		t.Errorf("no approver: got %q, want %q", got, want)
	}
}

func TestHomePointGoesToAdminWhenHeadUnregistered(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "admin") // the head of DISKOMINFO never registered
	reply(t, h.text(user("rina"), "/domisili"), userID("rina"))
	calls := h.location(user("rina"), north(h.office("DISKOMINFO"), 3000), 10)
	if got := sent(calls, userID("rina")); len(got) != 1 || got[0] != "Titik domisili Anda sudah dikirim dan menunggu persetujuan atasan." {
		t.Errorf("owner: got %q, want the sent notice", got)
	}
	if got := sent(calls, userID("admin")); len(got) != 1 || !strings.HasPrefix(got[0], "🏠 <b>Pengajuan titik domisili</b>") {
		t.Errorf("registered admin: got %q, want the review (admins may approve under the head rule)", got)
	}
}

func TestHomeDecisionOnInaccessibleMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	_, _, id := proposeHome(t, h, north(h.office("DISKOMINFO"), 3000))
	// The review was deleted: Telegram sends the query with an inaccessible
	// message (date 0) and no message body.
	q := &models.CallbackQuery{ID: "q-old", From: models.User{ID: userID("kepala"), FirstName: "kepala"},
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: userID("kepala"), Type: models.ChatTypePrivate}, MessageID: 3}},
		Data: "hp:a:" + strconv.FormatInt(id, 10)}
	calls := h.handled(h.srv.Push(models.Update{CallbackQuery: q}))
	if a := answer(t, calls); a.Params["text"] != "Disetujui" {
		t.Errorf("approve from a deleted review: toast %q, want Disetujui", a.Params["text"])
	}
	if got := sent(calls, userID("rina")); len(got) != 1 {
		t.Errorf("owner: got %q, want the approval notice", got)
	}
	if hp, _ := h.db.HomePoint(t.Context(), id); hp.Status != apel.HomeApproved {
		t.Errorf("stored status %q, want approved", hp.Status)
	}
}

func TestHomeRequestExpires(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	h.setTime(monday, 19, 0)
	reply(t, h.text(user("rina"), "/domisili"), userID("rina"))
	h.setTime(monday, 19, 16) // 16 minutes later the location is a check-in again
	got := reply(t, h.location(user("rina"), north(h.office("DISKOMINFO"), 3000), 10), userID("rina"))
	if got != h.id().T("reason.no_session") {
		t.Errorf("location after the home request expired: got %q, want no_session", got)
	}
	if hps, err := h.db.HomePoints(t.Context(), h.emp("rina").ID); err != nil || len(hps) != 0 {
		t.Errorf("home points %+v (err %v), want none", hps, err)
	}
}
