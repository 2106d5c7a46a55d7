package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	h.setTime(monday, 6, 30)
	got := reply(t, h.text(user("rina"), "/status"), userID("rina"))
	want := "<b>Rina Marasabessy</b> — Dinas Komunikasi dan Informatika\nSenin, 23 November 2026" +
		"\nMode kerja: <b>WFO (bekerja dari kantor)</b> (jadwal hari ini)" +
		"\nApel pagi: pukul 07.30 WIT\nApel sore: pukul 16.00 WIT"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/status before the day (-want +got):\n%s", diff)
	}

	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 20)
	reply(t, h.location(user("rina"), h.office("DISKOMINFO"), 5), userID("rina"))
	h.setTime(monday, 15, 50)
	h.open("DISKOMINFO", apel.Sore, groupKominfo)
	got = reply(t, h.text(user("rina"), "/status"), userID("rina"))
	want = "<b>Rina Marasabessy</b> — Dinas Komunikasi dan Informatika\nSenin, 23 November 2026" +
		"\nMode kerja: <b>WFO (bekerja dari kantor)</b> (jadwal hari ini)" +
		"\nApel pagi: ✅ hadir pukul 07.20 WIT\nApel sore: sedang dibuka sampai 17.00 WIT — kirim lokasi dengan /hadir"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/status during sore (-want +got):\n%s", diff)
	}

	h.setTime(monday, 18, 0)
	got = reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if !strings.HasSuffix(got, "\nApel sore: ❌ tidak tercatat hadir") {
		t.Errorf("/status after sore closed: got %q, want sore missed", got)
	}
}

func TestStatusWFHAndDayOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "sari")
	h.setTime(tuesday, 6, 0)
	got := reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if !strings.Contains(got, "Mode kerja: <b>WFH (bekerja dari rumah)</b> (jadwal hari ini)") ||
		!strings.HasSuffix(got, "\nℹ️ Titik domisili Anda belum disetujui. Daftarkan dengan /domisili.") {
		t.Errorf("/status on a WFH day without home: got %q", got)
	}
	got = reply(t, h.text(user("sari"), "/status"), userID("sari"))
	if !strings.Contains(got, "Mode kerja: <b>WFO (bekerja dari kantor)</b> (OPD layanan langsung selalu WFO)") {
		t.Errorf("/status of direct-service staff on a WFH day: got %q", got)
	}
	h.setTime(monday.AddDays(5), 9, 0) // Saturday
	got = reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if want := "<b>Rina Marasabessy</b> — Dinas Komunikasi dan Informatika\nSabtu, 28 November 2026\nHari ini tidak ada apel."; got != want {
		t.Errorf("/status on Saturday: got %q, want %q", got, want)
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	if got := reply(t, h.text(user("rina"), "/bahasa fr"), userID("rina")); got != "Cara pakai: /bahasa id atau /bahasa en" {
		t.Errorf("/bahasa fr: got %q, want the usage", got)
	}
	if got := reply(t, h.text(user("rina"), "/bahasa en"), userID("rina")); got != "Language changed to English." {
		t.Errorf("/bahasa en: got %q, want the English confirmation", got)
	}
	if e := h.emp("rina"); e.Lang != "en" {
		t.Errorf("stored language %q, want en", e.Lang)
	}
	// The Telegram client still says "id": the stored choice wins.
	h.setTime(monday, 7, 0)
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 40)
	got := reply(t, h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 5), userID("rina"))
	want := "✅ <b>Attendance recorded</b>\nApel (morning), Monday, 23 November 2026 at 07:40 WIT\nToday's mode: WFO (work from office)" +
		"\n⏰ Late by 5 minutes.\n📍 In place: 20 m from the office."
	if got != want {
		t.Errorf("check-in in English: got %q, want %q", got, want)
	}
	if got := reply(t, h.text(user("rina"), "/bahasa id"), userID("rina")); got != "Bahasa diubah ke Bahasa Indonesia." {
		t.Errorf("/bahasa id: got %q", got)
	}
}

func TestUnregisteredEnglishClientGetsEnglish(t *testing.T) {
	t.Parallel()
	h0 := newHarness(t)
	if got := reply(t, h0.text(telegramtest.User{ID: 8300, LanguageCode: "en"}, "/start"), 8300); got != h0.cat.T("en", "register.welcome", "Kota Jayapura") {
		t.Errorf("/start from an en client: got %q, want the English welcome", got)
	}
	h := newHarness(t)
	u := stranger()
	u.LanguageCode = "en-US"
	got := reply(t, h.text(u, "/start"), u.ID)
	if got != h.cat.T("en", "register.welcome", "Kota Jayapura") {
		t.Errorf("/start from an en-US client: got %q, want the English welcome", got)
	}
}

func TestExcuse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "budi", "rina", "kadinkes")
	h.setTime(monday, 6, 45)
	got := reply(t, h.text(user("kepala"), "/izin 199002022015021003 sakit"), userID("kepala"))
	if want := "Tercatat: Budi Santoso sakit pada Senin, 23 November 2026. Yang bersangkutan tidak dihitung tanpa keterangan."; got != want {
		t.Errorf("/izin by the head: got %q, want %q", got, want)
	}
	xs, err := h.db.Excuses(t.Context(), monday)
	if err != nil || len(xs) != 1 || xs[0].EmployeeID != h.emp("budi").ID || xs[0].Kind != apel.Sakit {
		t.Errorf("stored excuses %+v (err %v), want budi sakit", xs, err)
	}

	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	got = reply(t, h.location(user("budi"), h.office("DISKOMINFO"), 5), userID("budi"))
	if want := "Anda tercatat izin/sakit/cuti/dinas luar hari ini, jadi tidak perlu ikut apel."; got != want {
		t.Errorf("excused person sends a location: got %q, want %q", got, want)
	}

	refusals := []struct{ who, text, want string }{
		{"rina", "/izin 199002022015021003 izin", "Maaf, Anda tidak berwenang melakukan ini."},
		{"kadinkes", "/izin 199002022015021003 cuti", "Maaf, Anda tidak berwenang melakukan ini."},
		{"kepala", "/izin 199002022015021003 liburan", h.id().T("excuse.usage")},
		{"kepala", "/izin 199002022015021003", h.id().T("excuse.usage")},
		{"kepala", "/izin 198807072012011099 dl", "NIP tidak ditemukan di daftar pegawai. Periksa kembali, atau hubungi BKPSDM agar data Anda dimasukkan."},
	}
	for _, r := range refusals {
		if got := reply(t, h.text(user(r.who), r.text), userID(r.who)); got != r.want {
			t.Errorf("%s sends %q: got %q, want %q", r.who, r.text, got, r.want)
		}
	}
	got = reply(t, h.text(user("kepala"), "/izin 199002022015021003 dl"), userID("kepala"))
	if !strings.Contains(got, "Budi Santoso dinas luar pada") {
		t.Errorf("/izin dl: got %q, want dinas luar", got)
	}
}
