package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// shiftPolicy is the test policy with Tuesday mixed: half of each OPD at
// home by rotation, heads in office.
func shiftPolicy(loc *time.Location) apel.Policy {
	p := requestPolicy(loc)
	tue := p.Days[time.Tuesday]
	tue.Shift = true
	p.Days[time.Tuesday] = tue
	p.HeadsInOffice = true
	return p
}

func TestScheduleWeekOfStaff(t *testing.T) {
	t.Parallel()
	h := startWith(t, shiftPolicy)
	h.register("rina")
	h.setTime(monday, 19, 0)
	got := reply(t, h.text(user("rina"), "/jadwal"), userID("rina"))
	for _, want := range []string{
		"🗓 <b>Jadwal kerja Rina Marasabessy</b> — Dinas Komunikasi dan Informatika",
		"• Senin, 23 November 2026: <b>WFO (bekerja dari kantor)</b> (jadwal hari ini)",
		"(giliran)", // Tuesday, office or home by the rotation
		"• Rabu, 25 November 2026: <b>WFA (bekerja dari mana saja)</b> (jadwal hari ini)",
		"• Jumat, 27 November 2026: Libur nasional: Hari Uji",
		"• Sabtu, 28 November 2026: Tidak ada apel pada hari ini menurut jadwal (akhir pekan).",
		"Ajukan WFH/WFA, izin, sakit, cuti atau dinas luar dengan /ajukan.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/jadwal lacks %q:\n%s", want, got)
		}
	}
	if got := reply(t, h.text(user("rina"), "/jadwal kapan-kapan"), userID("rina")); !strings.HasPrefix(got, "Cara pakai: /jadwal") {
		t.Errorf("/jadwal with a bad date = %q, want the usage", got)
	}
	// A staff member cannot see another OPD's day.
	if got := reply(t, h.text(user("rina"), "/jadwal DINKES"), userID("rina")); !strings.Contains(got, "Jadwal kerja Rina Marasabessy") {
		t.Errorf("/jadwal DINKES by staff = %q, want their own week", got)
	}
}

func TestScheduleDayOfAgencyAndShiftChange(t *testing.T) {
	t.Parallel()
	h := startWith(t, shiftPolicy)
	h.register("rina", "budi", "maruf", "kepala", "sari", "admin")
	h.setTime(monday, 19, 0)
	got := reply(t, h.text(user("kepala"), "/jadwal 2026-11-24"), userID("kepala"))
	for _, want := range []string{
		"🗓 <b>Jadwal Dinas Komunikasi dan Informatika</b>\nSelasa, 24 November 2026",
		"Aturan: WFO dan WFH (bekerja dari rumah) bergiliran — jadwal hari ini",
		"WFO 2 · WFH 2 · WFA 0 · izin 0 · di luar kantor 2 dari kuota 2",
		"• Yohanis Kaiway — kepala OPD tetap di kantor",
		"Ma&#39;ruf &lt;Ucok&gt; &amp; Co — giliran",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/jadwal of the agency lacks %q:\n%s", want, got)
		}
	}

	// A direct-service OPD's day says it stays in office.
	got = reply(t, h.text(user("admin"), "/jadwal DINKES 2026-11-24"), userID("admin"))
	if !strings.Contains(got, "Aturan: WFO (bekerja dari kantor) — OPD layanan langsung selalu WFO") {
		t.Errorf("/jadwal DINKES by an admin:\n%s", got)
	}

	// Who is at home on Tuesday by the rotation?
	f, err := h.db.Facts(t.Context(), "DISKOMINFO", monday, monday.AddDays(6))
	if err != nil {
		t.Fatal(err)
	}
	kominfo := h.opds[0]
	plan := h.policy.Plan(kominfo, tuesday, f)
	var home, office []apel.Employee
	for _, name := range []string{"rina", "budi", "maruf"} {
		e := h.emp(name)
		if a, _ := plan.Of(e.ID); a.Mode == apel.WFH {
			home = append(home, e)
		} else {
			office = append(office, e)
		}
	}
	if len(home) != 2 || len(office) != 1 {
		t.Fatalf("Tuesday rotation: %d at home, %d in office; want 2 and 1", len(home), len(office))
	}
	nameOf := map[int64]string{h.emp("rina").ID: "rina", h.emp("budi").ID: "budi", h.emp("maruf").ID: "maruf"}

	// The head keeps one of those at home in the office; that person is told.
	keep := home[0]
	calls := h.text(user("kepala"), "/giliran 2026-11-24 "+keep.NIP+" wfo")
	want := "✅ Giliran diatur: " + esc(keep.Name) + " pada Selasa, 24 November 2026: <b>WFO (bekerja dari kantor)</b> (giliran diatur kepala OPD)."
	if got := sent(calls, userID("kepala")); len(got) != 1 || got[0] != want {
		t.Errorf("/giliran: head got %q, want [%q]", got, want)
	}
	told := "🗓 Pada Selasa, 24 November 2026 Anda <b>WFO (bekerja dari kantor)</b> (diatur oleh Yohanis Kaiway). Lihat /jadwal."
	if got := sent(calls, userID(nameOf[keep.ID])); len(got) != 1 || got[0] != told {
		t.Errorf("/giliran: the person got %q, want [%q]", got, told)
	}
	f, _ = h.db.Facts(t.Context(), "DISKOMINFO", monday, monday.AddDays(6))
	plan = h.policy.Plan(kominfo, tuesday, f)
	if plan.OffSite != 2 {
		t.Errorf("after the change %d at home, want the rotation to keep 2", plan.OffSite)
	}

	// Sending both of the others home explicitly fills the quota; a third
	// is refused.
	for _, e := range []apel.Employee{home[1], office[0]} {
		h.text(user("kepala"), "/giliran 2026-11-24 "+e.NIP+" wfh")
	}
	calls = h.text(user("kepala"), "/giliran 2026-11-24 "+keep.NIP+" wfh")
	if got := sent(calls, userID("kepala")); len(got) != 1 || !strings.Contains(got[0], "Kuota pegawai yang bekerja di luar kantor") {
		t.Errorf("/giliran over the quota: got %q, want quota full", got)
	}
	// auto gives someone back to the rotation.
	calls = h.text(user("kepala"), "/giliran 2026-11-24 "+office[0].NIP+" auto")
	if got := sent(calls, userID("kepala")); len(got) != 1 || !strings.Contains(got[0], "(giliran)") {
		t.Errorf("/giliran auto: got %q, want the rotation's reason", got)
	}

	for _, tt := range []struct{ who, text, want string }{
		{"rina", "/giliran 2026-11-24 " + h.emp("budi").NIP + " wfo", "Maaf, Anda tidak berwenang"},
		{"kepala", "/giliran 2026-11-23 " + h.emp("budi").NIP + " wfo", "Tidak ada pembagian giliran"},
		{"kepala", "/giliran 2026-11-24 " + h.emp("budi").NIP + " wfa", "Mode kerja itu tidak dapat diajukan"},
		{"kepala", "/giliran 2026-11-24 " + h.emp("sari").NIP + " wfo", "Maaf, Anda tidak berwenang"}, // another OPD
		{"kepala", "/giliran 2026-11-24 " + h.emp("budi").NIP, "Cara pakai: /giliran"},
		{"kepala", "/giliran 2026-11-28 " + h.emp("budi").NIP + " wfo", "Tidak ada apel pada tanggal tersebut"},
	} {
		got := sent(h.text(user(tt.who), tt.text), userID(tt.who))
		if len(got) != 1 || !strings.Contains(got[0], tt.want) {
			t.Errorf("%s %q: got %q, want %q", tt.who, tt.text, got, tt.want)
		}
	}
}

func TestPromptShowsTheRotation(t *testing.T) {
	t.Parallel()
	h := startWith(t, shiftPolicy)
	p := h.id()
	tue, _ := h.policy.Slot(tuesday, apel.Pagi)
	got := h.bot.renderPrompt(p, apel.Session{OPD: "DISKOMINFO", Slot: tue}, h.opds[0], apel.Tally{Headcount: 4})
	if !strings.Contains(got, "Mode hari ini: <b>WFO dan WFH (bekerja dari rumah) bergiliran (lihat /jadwal)</b>") {
		t.Errorf("prompt on a mixed day:\n%s", got)
	}
	got = h.bot.renderPrompt(p, apel.Session{OPD: "DINKES", Slot: tue}, h.opds[1], apel.Tally{Headcount: 3})
	if !strings.Contains(got, "Mode hari ini: <b>WFO (bekerja dari kantor)</b>") {
		t.Errorf("prompt of a direct-service OPD on a mixed day:\n%s", got)
	}
	thu, _ := h.policy.Slot(thursday, apel.Pagi)
	got = h.bot.renderPrompt(p, apel.Session{OPD: "DISKOMINFO", Slot: thu}, h.opds[0], apel.Tally{Headcount: 4})
	if !strings.Contains(got, "Mode hari ini: <b>WFO (bekerja dari kantor) (WFH/WFA dengan pengajuan yang disetujui)</b>") {
		t.Errorf("prompt on a day taking requests:\n%s", got)
	}
}

func TestStatusOnAHoliday(t *testing.T) {
	t.Parallel()
	h := startWith(t, requestPolicy)
	h.register("rina")
	h.setTime(monday.AddDays(4), 8, 0)
	want := "<b>Rina Marasabessy</b> — Dinas Komunikasi dan Informatika\nJumat, 27 November 2026\nHari ini tidak ada apel.\nLibur nasional: Hari Uji"
	if got := reply(t, h.text(user("rina"), "/status"), userID("rina")); got != want {
		t.Errorf("/status on a holiday = %q, want %q", got, want)
	}
}

func TestWFOCheckInFromHomeIsFlagged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	h.setTime(monday, 6, 0)
	home := north(h.office("DISKOMINFO"), 3000)
	_, msgID, id := proposeHome(t, h, home)
	h.tap(user("kepala"), userID("kepala"), msgID, "hp:a:"+itoa(id))
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	got := reply(t, h.location(user("rina"), north(home, 20), 5), userID("rina"))
	for _, want := range []string{"Mode hari ini: WFO (bekerja dari kantor)", "Di luar lokasi", "⚠️ Hari ini Anda WFO, tetapi lokasi Anda ada di titik domisili (rumah)."} {
		if !strings.Contains(got, want) {
			t.Errorf("WFO check-in at home lacks %q:\n%s", want, got)
		}
	}
	s, err := h.db.SessionAt(t.Context(), "DISKOMINFO", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	ci, err := h.db.CheckIn(t.Context(), s.ID, h.emp("rina").ID)
	if err != nil || ci.InPlace || ci.Note != apel.ReasonAtHome || ci.Mode != apel.WFO {
		t.Errorf("stored check-in = %+v, %v; want WFO, out of place, noted at home", ci.Verdict, err)
	}
	// The head's summary says where they were.
	sum := apel.Summarize(h.opds[0], s, []apel.Employee{h.emp("rina")}, []apel.CheckIn{ci}, nil, nil)
	if text := RenderSummary(h.id(), h.loc, sum); !strings.Contains(text, "dari kantor, dari rumah pada hari WFO") {
		t.Errorf("summary lacks the at-home flag:\n%s", text)
	}
}
