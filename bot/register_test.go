package bot

import (
	"errors"
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

func TestStartUnregisteredWelcomes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := reply(t, h.text(stranger(), "/start"), stranger().ID)
	want := "Selamat datang di bot apel virtual Kota Jayapura.\nUntuk mendaftar, kirim NIP Anda (18 angka), contoh: 198503122010011002"
	if got != want {
		t.Errorf("/start from a stranger: got %q, want %q", got, want)
	}
}

func TestStartRegisteredGreetsAndShowsStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	calls := h.text(user("rina"), "/start")
	got := sent(calls, userID("rina"))
	if len(got) != 2 || got[0] != "Halo, Rina Marasabessy." || !strings.HasPrefix(got[1], "<b>Rina Marasabessy</b> — Dinas Komunikasi dan Informatika") {
		t.Errorf("/start from rina: got %q, want a greeting then the status", got)
	}
}

func TestRegisterWithNIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
	}{
		{"plain", "198503122010012002"},
		{"with spaces", "19850312 201001 2 002"},
		{"with dots", "19850312.201001.2.002"},
		{"command", "/daftar 19850312 201001 2 002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			u := telegramtest.User{ID: 8100, FirstName: "Rina", LanguageCode: "id"}
			got := sent(h.text(u, tt.text), u.ID)
			want0 := "✅ Terima kasih, <b>Rina Marasabessy</b> (Dinas Komunikasi dan Informatika). Akun Telegram Anda sudah terhubung."
			if len(got) != 2 || got[0] != want0 || got[1] != h.id().T("help.text") {
				t.Fatalf("text %q: got %q, want [%q, help]", tt.text, got, want0)
			}
			if e := h.emp("rina"); e.TelegramID != u.ID {
				t.Errorf("text %q: stored telegram id %d, want %d", tt.text, e.TelegramID, u.ID)
			}
		})
	}
}

func TestRegisterEscapesNames(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := telegramtest.User{ID: 8200, FirstName: "M", LanguageCode: "id"}
	got := sent(h.text(u, testRoster()["maruf"].NIP), u.ID)
	if len(got) == 0 || !strings.Contains(got[0], "<b>Ma&#39;ruf &lt;Ucok&gt; &amp; Co</b>") {
		t.Errorf("register maruf: got %q, want the name HTML-escaped", got)
	}
}

func TestRegisterRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{"invalid birth month", "198513122010012002", "NIP tidak valid. NIP terdiri dari 18 angka, misalnya 198503122010011002. Silakan kirim ulang."},
		{"appointed at ten", "198503121995012002", "NIP tidak valid. NIP terdiri dari 18 angka, misalnya 198503122010011002. Silakan kirim ulang."},
		{"too short via command", "/daftar 1985031220100120", "NIP tidak valid. NIP terdiri dari 18 angka, misalnya 198503122010011002. Silakan kirim ulang."},
		{"not on roster", "198807072012011099", "NIP tidak ditemukan di daftar pegawai. Periksa kembali, atau hubungi BKPSDM agar data Anda dimasukkan."},
		{"daftar without NIP", "/daftar", "Cara pakai: /daftar NIP, contoh: /daftar 198503122010011002"},
		{"plain text", "halo pak", "Anda belum terdaftar di bot apel. Kirim NIP Anda (18 angka) di chat ini, contoh: 198503122010011002"},
		{"command needing registration", "/status", "Anda belum terdaftar di bot apel. Kirim NIP Anda (18 angka) di chat ini, contoh: 198503122010011002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			got := reply(t, h.text(stranger(), tt.text), stranger().ID)
			if got != tt.want {
				t.Errorf("text %q: got %q, want %q", tt.text, got, tt.want)
			}
			if _, err := h.db.EmployeeByTelegram(t.Context(), stranger().ID); !errors.Is(err, apel.ErrNotFound) {
				t.Errorf("text %q: stranger bound to someone (err %v)", tt.text, err)
			}
		})
	}
}

func TestRegisterTakenNIPWarnsHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	h.setTime(monday, 21, 5)
	calls := h.text(stranger(), testRoster()["rina"].NIP)

	got := sent(calls, stranger().ID)
	want := "NIP ini sudah terhubung dengan akun Telegram lain. Kepala OPD Anda sudah diberi tahu; hubungi beliau atau BKPSDM bila ini akun Anda."
	if len(got) != 1 || got[0] != want {
		t.Errorf("impostor: got %q, want [%q]", got, want)
	}
	warning := sent(calls, userID("kepala"))
	wantWarning := "⚠️ Ada percobaan mendaftarkan NIP milik Rina Marasabessy (198503122010012002) dari akun Telegram lain pada Senin, 23 November 2026 pukul 21.05 WIT. Permintaan ditolak. Mohon dicek."
	if len(warning) != 1 || warning[0] != wantWarning {
		t.Errorf("head: got %q, want [%q]", warning, wantWarning)
	}
	if len(calls) != 2 {
		t.Errorf("got %d calls %v, want 2 (nobody else is told)", len(calls), calls)
	}
	if e := h.emp("rina"); e.TelegramID != userID("rina") {
		t.Errorf("rina's binding changed to %d", e.TelegramID)
	}
}

func TestRegisterBoundAccountCannotClaimAnother(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	got := reply(t, h.text(user("rina"), "/daftar "+testRoster()["budi"].NIP), userID("rina"))
	want := "Akun Telegram ini sudah terhubung dengan NIP lain. Hubungi BKPSDM bila ada kekeliruan."
	if got != want {
		t.Errorf("rina claims budi's NIP: got %q, want %q", got, want)
	}
	if e := h.emp("budi"); e.Registered() {
		t.Errorf("budi got bound to %d", e.TelegramID)
	}
}

func TestRegisteredPlainTextGetsHelp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	for _, text := range []string{"selamat pagi", "/help", "/bantuan"} {
		got := reply(t, h.text(user("rina"), text), userID("rina"))
		if got != h.id().T("help.text") {
			t.Errorf("text %q: got %q, want help.text", text, got)
		}
	}
	got := reply(t, h.text(user("rina"), "/apaini"), userID("rina"))
	if want := "Perintah tidak dikenal. Ketik /help untuk melihat daftar perintah."; got != want {
		t.Errorf("unknown command: got %q, want %q", got, want)
	}
}
