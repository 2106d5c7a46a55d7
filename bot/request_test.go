package bot

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// thursday of the test week takes WFH and WFA requests within a 25% quota
// (one of DISKOMINFO's four) in requestPolicy.
var thursday = monday.AddDays(3) //nolint:gochecknoglobals // a constant date

// requestPolicy is the test policy with requests on Thursday, a 25% quota,
// a weekly cap of three (Tuesday and Wednesday are off-site days already),
// WFA abroad passed on to the admin for the PPK, and a national holiday on
// Friday.
func requestPolicy(loc *time.Location) apel.Policy {
	p := testPolicy(loc)
	days := make(map[time.Weekday]apel.DayRule, len(p.Days))
	for wd, r := range p.Days {
		days[wd] = r
	}
	thu := days[time.Thursday]
	thu.Requests, thu.Quota = []apel.Mode{apel.WFH, apel.WFA}, &apel.Quota{Percent: 25}
	days[time.Thursday] = thu
	p.Days = days
	p.WeeklyCap = 3
	p.Escalation = apel.Escalation{Abroad: true, NIPs: []string{testRoster()["admin"].NIP}}
	fri := monday.AddDays(4)
	p.Holidays = map[apel.Date]apel.Holiday{fri: {Date: fri, Name: "Hari Uji", Kind: apel.NationalHoliday, Source: "test"}}
	return p
}

// startWith starts the harness's bot with policy.
func startWith(t *testing.T, policy func(*time.Location) apel.Policy) *harness {
	t.Helper()
	h := setup(t)
	h.policy = policy(h.loc)
	h.start(func(c *Config) { c.Policy, c.Planner = h.policy, h.policy })
	return h
}

// review returns the request review sent to chat among calls and its
// approve and reject data.
func review(t *testing.T, calls []telegramtest.Call, chat int64) (telegramtest.Call, string, string) {
	t.Helper()
	for _, c := range calls {
		if c.Method == "sendMessage" && c.ChatID() == chat && strings.Contains(c.Params["reply_markup"], "rq:a:") {
			data := buttons(t, c)
			if len(data) != 2 || !strings.HasPrefix(data[0], "rq:a:") || data[1] != "rq:r:"+strings.TrimPrefix(data[0], "rq:a:") {
				t.Fatalf("review buttons %q, want approve and reject of one request", data)
			}
			return c, data[0], data[1]
		}
	}
	t.Fatalf("no request review to %d in %v", chat, calls)
	return telegramtest.Call{}, "", ""
}

func requestID(t *testing.T, data string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(data[len("rq:a:"):], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRequestApprovedByHeadWithinQuota(t *testing.T) {
	t.Parallel()
	h := startWith(t, requestPolicy)
	h.register("rina", "budi", "kepala")
	h.setTime(monday, 19, 0)

	calls := h.text(user("rina"), "/ajukan wfh 2026-11-26 anak sakit | menyusun laporan <triwulan>")
	want := "📨 Pengajuan Anda terkirim ke atasan untuk disetujui:\n<b>WFH</b>, Kamis, 26 November 2026 — alasan: anak sakit\nRencana kerja: menyusun laporan &lt;triwulan&gt;"
	if got := sent(calls, userID("rina")); len(got) != 1 || got[0] != want {
		t.Errorf("/ajukan: owner got %q, want [%q]", got, want)
	}
	if got := reply(t, h.text(user("rina"), "/jadwal"), userID("rina")); !strings.Contains(got,
		"📝 Menunggu persetujuan kepala OPD: <b>WFH</b>, Kamis, 26 November 2026 — alasan: anak sakit") {
		t.Errorf("/jadwal with a pending request lacks it:\n%s", got)
	}
	rev, approve, _ := review(t, calls, userID("kepala"))
	wantReview := "📝 <b>Pengajuan</b>\nRina Marasabessy (NIP 198503122010012002), Dinas Komunikasi dan Informatika\n" +
		"<b>WFH</b>, Kamis, 26 November 2026 — alasan: anak sakit\nRencana kerja: menyusun laporan &lt;triwulan&gt;"
	if diff := cmp.Diff(wantReview, rev.Text()); diff != "" {
		t.Errorf("review (-want +got):\n%s", diff)
	}
	msgID := sentMessage(t, rev).ID

	// Server-side authorization: a colleague pressing the head's button
	// (forged or forwarded) decides nothing.
	if a := answer(t, h.tap(user("budi"), userID("budi"), msgID, approve)); a.Params["text"] != "Maaf, Anda tidak berwenang melakukan ini." {
		t.Errorf("colleague's approval: toast %q, want not allowed", a.Params["text"])
	}
	h.setTime(monday, 20, 0)
	calls = h.tap(user("kepala"), userID("kepala"), msgID, approve)
	if a := answer(t, calls); a.Params["text"] != "Disetujui" {
		t.Errorf("approval: toast %q, want Disetujui", a.Params["text"])
	}
	var edited string
	for _, c := range calls {
		if c.Method == "editMessageText" && c.Params["message_id"] == strconv.Itoa(msgID) {
			edited = c.Text()
		}
	}
	if !strings.HasPrefix(edited, "✅ Pengajuan Rina Marasabessy disetujui:") || !strings.HasSuffix(edited, "Oleh: Yohanis Kaiway") {
		t.Errorf("review after approval = %q, want approved by the head", edited)
	}
	if got := sent(calls, userID("rina")); len(got) != 1 || !strings.HasPrefix(got[0], "✅ Pengajuan Anda disetujui:") {
		t.Errorf("owner after approval got %q", got)
	}

	// The audit trail: who asked, who decided, when.
	id := requestID(t, approve)
	events, err := h.db.RequestEvents(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	wantEvents := []apel.RequestEvent{
		{RequestID: id, At: monday.At(apel.Clock{Hour: 19}, h.loc).UTC(), By: h.emp("rina").ID, Action: apel.ActionRequested},
		{RequestID: id, At: monday.At(apel.Clock{Hour: 20}, h.loc).UTC(), By: h.emp("kepala").ID, Action: apel.ActionApproved},
	}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("audit trail (-want +got):\n%s", diff)
	}

	// Thursday: Rina works from home by the approved request, and her
	// check-in is judged at home (no home point yet: against the office).
	h.setTime(thursday, 6, 0)
	got := reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if !strings.Contains(got, "Mode kerja: <b>WFH (bekerja dari rumah)</b> (pengajuan disetujui)") {
		t.Errorf("/status on Thursday = %q, want WFH by the approved request", got)
	}

	// The quota (25% of four) is used: Budi's request is made, but its
	// approval is refused and it stays pending.
	h.setTime(monday, 20, 30)
	calls = h.text(user("budi"), "/ajukan wfa 2026-11-26 urusan keluarga | rekap data | Sentani")
	rev, approve, _ = review(t, calls, userID("kepala"))
	calls = h.tap(user("kepala"), userID("kepala"), sentMessage(t, rev).ID, approve)
	if a := answer(t, calls); a.Params["text"] != "Kuota pegawai yang bekerja di luar kantor pada tanggal tersebut sudah penuh." {
		t.Errorf("second approval: toast %q, want quota full", a.Params["text"])
	}
	if r, _ := h.db.Request(t.Context(), requestID(t, approve)); r.Status != apel.RequestPending {
		t.Errorf("refused approval left the request %q, want pending", r.Status)
	}
}

func TestRequestAbroadGoesOnToThePPK(t *testing.T) {
	t.Parallel()
	h := startWith(t, requestPolicy)
	h.register("rina", "kepala", "admin")
	h.setTime(monday, 19, 0)
	calls := h.text(user("rina"), "/ajukan wfa-ln 2026-11-26 konferensi | presentasi sistem | Singapura")
	rev, approve, _ := review(t, calls, userID("kepala"))
	if strings.Contains(rev.Text(), "PPK") || !strings.Contains(rev.Text(), "<b>WFA di luar negeri</b>") || !strings.Contains(rev.Text(), "Tempat: Singapura") {
		t.Errorf("head's review = %q, want WFA abroad with its place", rev.Text())
	}
	calls = h.tap(user("kepala"), userID("kepala"), sentMessage(t, rev).ID, approve)
	if a := answer(t, calls); a.Params["text"] != "Diteruskan ke PPK" {
		t.Errorf("head's approval: toast %q, want passed on", a.Params["text"])
	}
	ppk, approve2, _ := review(t, calls, userID("admin"))
	if !strings.HasPrefix(ppk.Text(), "📝 <b>Pengajuan yang perlu persetujuan PPK</b>") {
		t.Errorf("PPK review = %q", ppk.Text())
	}
	if approve2 != approve {
		t.Errorf("PPK button %q, want the same request %q", approve2, approve)
	}
	// The head cannot take the second stage.
	if a := answer(t, h.tap(user("kepala"), userID("kepala"), sentMessage(t, rev).ID, approve)); a.Params["text"] != "Maaf, Anda tidak berwenang melakukan ini." {
		t.Errorf("head at the PPK stage: toast %q, want not allowed", a.Params["text"])
	}
	calls = h.tap(user("admin"), userID("admin"), sentMessage(t, ppk).ID, approve2)
	if a := answer(t, calls); a.Params["text"] != "Disetujui" {
		t.Errorf("PPK approval: toast %q", a.Params["text"])
	}
	id := requestID(t, approve)
	events, err := h.db.RequestEvents(t.Context(), id)
	if err != nil || len(events) != 3 || events[1].Action != apel.ActionForwarded || events[1].By != h.emp("kepala").ID ||
		events[2].Action != apel.ActionApproved || events[2].By != h.emp("admin").ID {
		t.Errorf("audit trail = %+v, %v; want requested, forwarded by the head, approved by the PPK's approver", events, err)
	}
}

func TestLeaveRequestExcusesTheApel(t *testing.T) {
	t.Parallel()
	h := startWith(t, requestPolicy)
	h.register("rina", "kepala")
	h.setTime(monday, 19, 0)
	calls := h.text(user("rina"), "/ajukan cuti 2026-11-25..2026-11-26 menikah")
	rev, approve, _ := review(t, calls, userID("kepala"))
	if !strings.Contains(rev.Text(), "<b>Cuti</b>, Rabu, 25 November 2026 s.d. Kamis, 26 November 2026 — alasan: menikah") {
		t.Errorf("review = %q", rev.Text())
	}
	h.tap(user("kepala"), userID("kepala"), sentMessage(t, rev).ID, approve)
	for _, d := range []apel.Date{wednesday, thursday} {
		xs, err := h.db.Excuses(t.Context(), d)
		if err != nil || len(xs) != 1 || xs[0].Kind != apel.Cuti || xs[0].EmployeeID != h.emp("rina").ID {
			t.Errorf("excuses of %s = %+v, %v; want Rina's cuti", d, xs, err)
		}
	}
	// Excused: not asked for a location, and a location is refused.
	h.setTime(wednesday, 7, 0)
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(wednesday, 7, 20)
	want := "Anda tercatat izin/sakit/cuti/dinas luar hari ini, jadi tidak perlu ikut apel."
	if got := reply(t, h.text(user("rina"), "/hadir"), userID("rina")); got != want {
		t.Errorf("/hadir while on leave = %q, want %q", got, want)
	}
	if got := reply(t, h.location(user("rina"), h.office("DISKOMINFO"), 5), userID("rina")); got != want {
		t.Errorf("location while on leave = %q, want %q", got, want)
	}
}

func TestRequestRefusals(t *testing.T) {
	t.Parallel()
	h := startWith(t, requestPolicy)
	h.register("rina", "kepala", "sari")
	h.setTime(monday, 19, 0)
	tests := []struct {
		who, text, want string
	}{
		{"rina", "/ajukan", "Cara pakai: /ajukan JENIS TANGGAL"},
		{"rina", "/ajukan wfo 2026-11-26 x | y", "Cara pakai: /ajukan JENIS TANGGAL"},
		{"rina", "/ajukan wfh kemarin x | y", "Tanggal pengajuan tidak valid"},
		{"rina", "/ajukan wfh 2026-11-20 x | y", "Tanggal pengajuan tidak valid"},
		{"rina", "/ajukan wfh 2026-11-24 anak sakit | laporan", "Mode kerja itu tidak dapat diajukan"}, // Tuesday takes none
		{"rina", "/ajukan wfh 2026-11-26 anak sakit", "Pengajuan belum lengkap"},
		{"rina", "/ajukan wfa 2026-11-26 mudik | laporan", "Pengajuan belum lengkap"},
		{"rina", "/ajukan izin 2026-11-28..2026-11-29 acara keluarga", "Tidak ada apel pada tanggal tersebut"},
		{"rina", "/ajukan izin 2026-11-27 acara keluarga", "Tidak ada apel pada tanggal tersebut"}, // the holiday
		{"sari", "/ajukan wfh 2026-11-26 x | y", "Mode kerja itu tidak dapat diajukan"},            // direct service
		{"kepala", "/ajukan wfh 2026-11-26 x | y", ""},                                             // heads may ask unless kept in office
	}
	for _, tt := range tests {
		got := sent(h.text(user(tt.who), tt.text), userID(tt.who))
		if tt.want == "" {
			if len(got) != 1 || !strings.HasPrefix(got[0], "📨") && !strings.HasPrefix(got[0], "Pengajuan Anda tercatat") {
				t.Errorf("%s %q: got %q, want it made", tt.who, tt.text, got)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0], tt.want) {
			t.Errorf("%s %q: got %q, want %q", tt.who, tt.text, got, tt.want)
		}
	}
	// A second request over the same date.
	h.text(user("rina"), "/ajukan wfh 2026-11-26 anak sakit | laporan")
	if got := sent(h.text(user("rina"), "/ajukan izin 2026-11-26 x"), userID("rina")); len(got) != 1 || !strings.Contains(got[0], "sudah punya pengajuan lain") {
		t.Errorf("overlapping request: got %q, want refused", got)
	}
}

func TestRequestOverTheWeeklyCap(t *testing.T) {
	t.Parallel()
	h := startWith(t, func(loc *time.Location) apel.Policy {
		p := requestPolicy(loc)
		p.WeeklyCap = 2 // the national rule: Tuesday WFH and Wednesday WFA use it up
		return p
	})
	h.register("rina", "kepala")
	h.setTime(monday, 19, 0)
	rev, approve, _ := review(t, h.text(user("rina"), "/ajukan wfh 2026-11-26 anak sakit | laporan"), userID("kepala"))
	calls := h.tap(user("kepala"), userID("kepala"), sentMessage(t, rev).ID, approve)
	if a := answer(t, calls); a.Params["text"] != "Batas hari bekerja di luar kantor dalam satu minggu sudah tercapai." {
		t.Errorf("approval over the cap: toast %q, want the weekly cap", a.Params["text"])
	}
}
