package bot

import (
	"errors"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
)

func TestBindGroup(t *testing.T) {
	t.Parallel()
	const bound = "✅ Grup ini sekarang terhubung dengan <b>Dinas Komunikasi dan Informatika</b>. Ajakan apel pagi dan sore akan diposting di sini setiap hari kerja."
	tests := []struct {
		name, who, text string
		want            string // "" means no reply at all
		wantOPD         string // the OPD the group is bound to afterwards, "" for none
	}{
		{"head", "kepala", "/ikat@apel_test_bot", bound, "DISKOMINFO"},
		{"head without mention", "kepala", "/ikat", bound, "DISKOMINFO"},
		{"head names own OPD", "kepala", "/bind diskominfo", bound, "DISKOMINFO"},
		{"staff", "budi", "/ikat@apel_test_bot", "Maaf, Anda tidak berwenang melakukan ini.", ""},
		{"head of another OPD", "kadinkes", "/ikat DISKOMINFO", "Maaf, Anda tidak berwenang melakukan ini.", ""},
		{"admin without code", "admin", "/ikat@apel_test_bot", "Sebutkan kode OPD untuk grup ini, misalnya: /ikat DISKOMINFO", ""},
		{"admin with code", "admin", "/ikat DISKOMINFO", bound, "DISKOMINFO"},
		{"admin with unknown code", "admin", "/ikat DISHUB", "Kode OPD DISHUB tidak dikenal.", ""},
		{"unregistered", "rina", "/ikat", "Anda belum terdaftar di bot apel. Daftar dulu lewat chat pribadi: https://t.me/apel_test_bot?start=daftar", ""},
		{"other bot", "kepala", "/ikat@other_bot", "", ""},
		{"plain chatter", "kepala", "selamat pagi semua", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.register("kepala", "budi", "kadinkes", "admin")
			calls := h.groupText(user(tt.who), groupKominfo, tt.text)
			if tt.want == "" {
				if len(calls) != 0 {
					t.Errorf("%s sends %q: got calls %v, want none", tt.who, tt.text, calls)
				}
			} else if got := reply(t, calls, groupKominfo); got != tt.want {
				t.Errorf("%s sends %q: got %q, want %q", tt.who, tt.text, got, tt.want)
			}
			opd, err := h.db.OPDOfChat(t.Context(), groupKominfo)
			if tt.wantOPD == "" && !errors.Is(err, apel.ErrNotFound) {
				t.Errorf("%s sends %q: group bound to %q (err %v), want unbound", tt.who, tt.text, opd, err)
			}
			if tt.wantOPD != "" && opd != tt.wantOPD {
				t.Errorf("%s sends %q: group bound to %q (err %v), want %s", tt.who, tt.text, opd, err, tt.wantOPD)
			}
		})
	}
}

func TestBindGroupAlreadyBoundElsewhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "kadinkes")
	reply(t, h.groupText(user("kadinkes"), groupKominfo, "/ikat"), groupKominfo)
	got := reply(t, h.groupText(user("kepala"), groupKominfo, "/ikat"), groupKominfo)
	if want := "Grup ini sudah terhubung dengan OPD lain. Hubungi BKPSDM bila perlu dipindahkan."; got != want {
		t.Errorf("second OPD binds the group: got %q, want %q", got, want)
	}
	if opd, _ := h.db.OPDOfChat(t.Context(), groupKominfo); opd != "DINKES" {
		t.Errorf("group bound to %q, want DINKES kept", opd)
	}
}

func TestGroupCommandsPointToPrivateChat(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	for _, text := range []string{"/hadir@apel_test_bot", "/start", "/status@apel_test_bot"} {
		got := reply(t, h.groupText(user("rina"), groupKominfo, text), groupKominfo)
		if want := "Perintah ini dipakai di chat pribadi dengan bot: https://t.me/apel_test_bot?start=daftar"; got != want {
			t.Errorf("group %q: got %q, want %q", text, got, want)
		}
	}
}

func TestMigrateToSupergroupMovesBinding(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const oldChat, newChat int64 = -4001, -1009000000001
	if err := h.db.BindGroup(t.Context(), "DISKOMINFO", oldChat, 1, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	from := models.User{ID: userID("kepala"), FirstName: "kepala"}
	id := h.srv.Push(models.Update{Message: &models.Message{
		ID: 50, From: &from, Date: int(h.clock.Now().Unix()),
		Chat:            models.Chat{ID: oldChat, Type: models.ChatTypeGroup, Title: "Kominfo"},
		MigrateToChatID: newChat,
	}})
	if calls := h.handled(id); len(calls) != 0 {
		t.Errorf("migration notice: got calls %v, want none", calls)
	}
	if opd, err := h.db.OPDOfChat(t.Context(), newChat); opd != "DISKOMINFO" {
		t.Errorf("new chat %d: bound to %q (err %v), want DISKOMINFO", newChat, opd, err)
	}
	if _, err := h.db.OPDOfChat(t.Context(), oldChat); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("old chat %d: err %v, want not found", oldChat, err)
	}
}

func TestIgnoredUpdatesGetNoReply(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	now := int(h.clock.Now().Unix())
	rina := models.User{ID: userID("rina"), FirstName: "rina"}
	private := models.Chat{ID: userID("rina"), Type: models.ChatTypePrivate}
	group := models.Chat{ID: groupKominfo, Type: models.ChatTypeSupergroup, Title: "Kominfo"}
	bot := models.User{ID: 1000, IsBot: true, FirstName: "Apel Test", Username: "apel_test_bot"}
	updates := map[string]models.Update{
		"edited text": {EditedMessage: &models.Message{ID: 3, From: &rina, Chat: private, Date: now, EditDate: now, Text: "ralat"}},
		"live location edit": {EditedMessage: &models.Message{ID: 4, From: &rina, Chat: private, Date: now - 60, EditDate: now,
			Location: &models.Location{Latitude: -2.533, Longitude: 140.717, LivePeriod: 900}}},
		"bot added to group": {MyChatMember: &models.ChatMemberUpdated{Chat: group, From: rina, Date: now,
			OldChatMember: models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{User: &bot}},
			NewChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &bot}}}},
		"bot blocked": {MyChatMember: &models.ChatMemberUpdated{Chat: private, From: rina, Date: now,
			OldChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &bot}},
			NewChatMember: models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &bot, UntilDate: 0}}}},
		"message without sender": {Message: &models.Message{ID: 9, Chat: private, Date: now, Text: "/status"}},
	}
	for name, u := range updates {
		if calls := h.handled(h.srv.Push(u)); len(calls) != 0 {
			t.Errorf("%s: got calls %v, want none", name, calls)
		}
	}
	// The bot is still there.
	h.setTime(monday, 7, 0)
	if got := sent(h.text(user("rina"), "/status"), userID("rina")); len(got) != 1 {
		t.Errorf("/status after ignored updates: got %q, want one reply", got)
	}
}
