package bot

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// photo sends a photo from u in the private chat, with a caption, and
// returns the calls the bot made for it. Telegram gives a photo in several
// sizes, largest last.
func (h *harness) photo(u telegramtest.User, fileID, caption string) []telegramtest.Call {
	h.t.Helper()
	from := models.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: u.LanguageCode}
	id := h.srv.Push(models.Update{Message: &models.Message{
		ID: int(h.clock.Now().Unix() % 100000), From: &from, Date: int(h.clock.Now().Unix()), Caption: caption,
		Chat:  models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName},
		Photo: []models.PhotoSize{{FileID: fileID + "-s", Width: 90, Height: 67}, {FileID: fileID, Width: 1280, Height: 960}},
	}})
	return h.handled(id)
}

func TestEveryActivityReasonHasMessage(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, r := range apel.ActivityReasons() {
		keys = append(keys, "reason."+string(r))
	}
	requireKeys(t, loadCatalog(t), "apel.ActivityReasons", keys)
}

// TestActivityReport is the laporan kegiatan of a WFH day: sent with the
// command, replaced, sent after a bare /laporan, with a photo, and kept in
// every version.
func TestActivityReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	rina := user("rina")
	h.setTime(tuesday, 10, 15) // WFH

	got := reply(t, h.text(rina, "/laporan Menyusun draf SOP layanan"), rina.ID)
	if want := "✅ Laporan kegiatan Anda untuk Selasa, 24 November 2026 tercatat. Terima kasih."; got != want {
		t.Errorf("/laporan with text: got %q, want %q", got, want)
	}
	a, err := h.db.Activity(t.Context(), h.emp("rina").ID, tuesday)
	if err != nil || a.Text != "Menyusun draf SOP layanan" || a.Mode != apel.WFH || a.Versions != 1 {
		t.Errorf("stored report %+v, %v; want the text, WFH, version 1", a, err)
	}

	// A second report replaces the first; line breaks are kept.
	h.setTime(tuesday, 15, 30)
	got = reply(t, h.text(rina, "/laporan Menyusun draf SOP layanan\nRapat daring dengan Bappeda"), rina.ID)
	if want := "✅ Laporan kegiatan Anda untuk Selasa, 24 November 2026 diperbarui (versi 2). Versi sebelumnya tetap tersimpan."; got != want {
		t.Errorf("/laporan again: got %q, want %q", got, want)
	}

	// /laporan alone waits for the next message.
	if got := reply(t, h.text(rina, "/laporan"), rina.ID); got != h.id().T("activity.ask") {
		t.Errorf("/laporan alone: got %q, want the question", got)
	}
	got = reply(t, h.text(rina, "Mengolah data kehadiran <minggu> ini & rapat"), rina.ID)
	if !strings.Contains(got, "diperbarui (versi 3)") {
		t.Errorf("the awaited report: got %q, want version 3", got)
	}
	// Nothing is awaited any more: plain text gets the help.
	if got := reply(t, h.text(rina, "halo"), rina.ID); got != h.id().T("help.text") {
		t.Errorf("plain text after the report: got %q, want the help", got)
	}

	// A photo whose caption is the command.
	got = reply(t, h.photo(rina, "AgACAgUAAx-foto1", "/laporan Dokumentasi rapat daring"), rina.ID)
	if !strings.Contains(got, "diperbarui (versi 4)") {
		t.Errorf("a photo captioned /laporan: got %q, want version 4", got)
	}
	// A photo after /laporan: the caption is the report; without one it is refused.
	reply(t, h.text(rina, "/laporan"), rina.ID)
	if got := reply(t, h.photo(rina, "AgACAgUAAx-foto2", ""), rina.ID); got != h.id().T("reason.activity_empty") {
		t.Errorf("a photo without a caption: got %q, want activity_empty", got)
	}
	if got := reply(t, h.photo(rina, "AgACAgUAAx-foto2", "Foto hasil kerja"), rina.ID); !strings.Contains(got, "(versi 5)") {
		t.Errorf("a captioned photo after /laporan: got %q, want version 5", got)
	}

	versions, err := h.db.ActivityVersions(t.Context(), h.emp("rina").ID, tuesday)
	if err != nil || len(versions) != 5 {
		t.Fatalf("ActivityVersions = %d, %v; want 5", len(versions), err)
	}
	want := []struct{ text, photo string }{
		{"Menyusun draf SOP layanan", ""},
		{"Menyusun draf SOP layanan\nRapat daring dengan Bappeda", ""},
		{"Mengolah data kehadiran <minggu> ini & rapat", ""},
		{"Dokumentasi rapat daring", "AgACAgUAAx-foto1"},
		{"Foto hasil kerja", "AgACAgUAAx-foto2"},
	}
	for i, v := range versions {
		if v.Text != want[i].text || v.PhotoID != want[i].photo {
			t.Errorf("version %d = %q, photo %q; want %q, %q", i+1, v.Text, v.PhotoID, want[i].text, want[i].photo)
		}
	}
}

// TestActivityReportRefused refuses reports from people working in the
// office, on days without apel, and reports that are too long.
func TestActivityReportRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "sari")
	h.setTime(monday, 10, 0) // WFO
	if got := reply(t, h.text(user("rina"), "/laporan Rapat"), userID("rina")); got != h.id().T("reason.not_off_site") {
		t.Errorf("/laporan on a WFO day: got %q, want not_off_site", got)
	}
	h.setTime(tuesday, 10, 0) // WFH, but DINKES serves the public directly
	if got := reply(t, h.text(user("sari"), "/laporan Pelayanan"), userID("sari")); got != h.id().T("reason.not_off_site") {
		t.Errorf("/laporan from direct service on a WFH day: got %q, want not_off_site", got)
	}
	long := "/laporan " + strings.Repeat("kerja ", apel.MaxActivityText/6+1)
	if got := reply(t, h.text(user("rina"), long), userID("rina")); got != h.id().T("reason.activity_too_long") {
		t.Errorf("/laporan too long: got %q, want activity_too_long", got)
	}
	h.setTime(monday.AddDays(5), 10, 0) // Saturday
	if got := reply(t, h.text(user("rina"), "/laporan Lembur"), userID("rina")); got != h.id().T("reason.no_work_today") {
		t.Errorf("/laporan on Saturday: got %q, want no_work_today", got)
	}
	if got := reply(t, h.text(stranger(), "/laporan Kerja"), stranger().ID); got != h.id().T("register.needed") {
		t.Errorf("/laporan from a stranger: got %q, want register.needed", got)
	}
	for _, d := range []apel.Date{monday, tuesday, monday.AddDays(5)} {
		if as, err := h.db.Activities(t.Context(), d); err != nil || len(as) != 0 {
			t.Errorf("Activities(%s) = %v, %v; want none stored", d, as, err)
		}
	}
	// The message time decides the date, not when the bot handles it.
	h.setTime(wednesday, 0, 5)
	id := h.srv.SendText(user("rina"), userID("rina"), tuesday.At(apel.Clock{Hour: 23, Minute: 58}, h.loc), "/laporan Laporan larut malam")
	if got := reply(t, h.handled(id), userID("rina")); !strings.Contains(got, "Selasa, 24 November 2026 tercatat") {
		t.Errorf("a report sent at 23.58 and handled after midnight: got %q, want Tuesday's", got)
	}
}
