package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// postPrompt opens DISKOMINFO's pagi on Monday, posts its prompt into the
// group and returns the session and the prompt's message id.
func postPrompt(t *testing.T, h *harness) (apel.Session, int) {
	t.Helper()
	h.setTime(monday, 7, 15)
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	if err := h.bot.PostPrompt(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Pending: 4}); err != nil {
		t.Fatalf("PostPrompt: %v", err)
	}
	c := h.next()
	if c.Method != "sendMessage" || c.ChatID() != groupKominfo {
		t.Fatalf("prompt: got %v, want sendMessage to the group", c)
	}
	msgID := sentMessage(t, c).ID
	if err := h.bot.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, err := h.db.Session(t.Context(), s.ID); err != nil || got.MessageID != msgID {
		t.Fatalf("session after the prompt: message %d, %v; want %d recorded", got.MessageID, err, msgID)
	}
	if diff := cmp.Diff([]string{"ci:" + itoa(s.ID)}, buttons(t, c)); diff != "" {
		t.Errorf("prompt buttons (-want +got):\n%s", diff)
	}
	return s, msgID
}

func TestPromptTap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		who       telegramtest.User
		checkedIn bool
		own       bool   // tap the prompt's own button
		data      string // else send this callback data
		wantText  string
		wantURL   string
	}{
		{name: "unregistered", who: stranger(), own: true, wantURL: "https://t.me/apel_test_bot?start=daftar"},
		{name: "registered", who: user("rina"), own: true, wantURL: "https://t.me/apel_test_bot?start=hadir"},
		{name: "already checked in", who: user("rina"), own: true, checkedIn: true, wantText: "Anda sudah tercatat hadir pukul 07.20 WIT. Tidak perlu mengirim lagi."},
		{name: "other OPD", who: user("sari"), own: true, wantText: "Apel ini untuk pegawai Dinas Komunikasi dan Informatika. Silakan hadir di apel OPD Anda sendiri."},
		{name: "not a number", who: user("rina"), data: "ci:abc", wantText: "Saat ini tidak ada apel yang sedang berlangsung untuk OPD Anda. Ketik /status untuk melihat jadwal hari ini."},
		{name: "no such session", who: user("rina"), data: "ci:999", wantText: "Saat ini tidak ada apel yang sedang berlangsung untuk OPD Anda. Ketik /status untuk melihat jadwal hari ini."},
		{name: "empty id", who: user("rina"), data: "ci:", wantText: "Saat ini tidak ada apel yang sedang berlangsung untuk OPD Anda. Ketik /status untuk melihat jadwal hari ini."},
		{name: "unknown data", who: user("rina"), data: "zz", wantText: "Maaf, Anda tidak berwenang melakukan ini."},
		{name: "empty data", who: user("rina"), data: "", wantText: "Maaf, Anda tidak berwenang melakukan ini."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.register("rina", "sari")
			s, msgID := postPrompt(t, h)
			if tt.checkedIn {
				h.setTime(monday, 7, 20)
				reply(t, h.location(user("rina"), h.office("DISKOMINFO"), 5), userID("rina"))
			}
			data := tt.data
			if tt.own {
				data = "ci:" + itoa(s.ID)
			}
			h.setTime(monday, 7, 22)
			calls := h.tap(tt.who, groupKominfo, msgID, data)
			if len(calls) != 1 {
				t.Fatalf("tap %q: got calls %v, want only the callback answer", data, calls)
			}
			a := answer(t, calls)
			if a.Params["text"] != tt.wantText || a.Params["url"] != tt.wantURL {
				t.Errorf("%s taps %q: got text %q url %q, want text %q url %q",
					tt.who.FirstName, data, a.Params["text"], a.Params["url"], tt.wantText, tt.wantURL)
			}
		})
	}
}

func TestPromptTapAfterClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	s, msgID := postPrompt(t, h)
	h.setTime(monday, 8, 45)
	a := answer(t, h.tap(user("rina"), groupKominfo, msgID, "ci:"+itoa(s.ID)))
	want := "Apel ini sudah ditutup (dibuka 07.15 WIT sampai 08.30 WIT). Kehadiran tidak dapat dicatat lagi; hubungi atasan Anda bila ada kendala."
	if a.Params["text"] != want || a.Params["url"] != "" {
		t.Errorf("tap after close: got text %q url %q, want %q", a.Params["text"], a.Params["url"], want)
	}
}

func TestShowProgressEditsPrompt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, msgID := postPrompt(t, h)
	if err := h.db.SetPrompt(t.Context(), s.ID, groupKominfo, msgID); err != nil {
		t.Fatal(err)
	}
	s.MessageID = msgID
	if err := h.bot.ShowProgress(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Present: 1, Pending: 3}); err != nil {
		t.Fatalf("ShowProgress: %v", err)
	}
	c := h.next()
	if c.Method != "editMessageText" || !strings.Contains(c.Text(), "Sudah hadir: <b>1/4</b>") || len(buttons(t, c)) != 1 {
		t.Errorf("progress: got %v, want the prompt edited to 1/4 with its button", c)
	}
	// The same tally again is "not modified" for Telegram, and no error here.
	if err := h.bot.ShowProgress(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Present: 1, Pending: 3}); err != nil {
		t.Errorf("ShowProgress unchanged: %v, want nil", err)
	}
	h.next()
	s.Closed = true
	if err := h.bot.ShowProgress(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Present: 3, Absent: 1}); err != nil {
		t.Fatalf("ShowProgress closed: %v", err)
	}
	c = h.next()
	if !strings.Contains(c.Text(), "Apel ditutup. Hadir 3 dari 4 pegawai (75,0%).") || c.Params["reply_markup"] != "" {
		t.Errorf("closed prompt: got %v, want the closing line and no button", c)
	}
}
