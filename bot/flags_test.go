package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// flagsOfCheckIn returns the kinds of the flags stored on the check-in of
// a person in a session, and the evidence.
func (h *harness) evidenceOf(s apel.Session, name string) apel.Evidence {
	h.t.Helper()
	c, err := h.db.CheckIn(h.t.Context(), s.ID, h.emp(name).ID)
	if err != nil {
		h.t.Fatalf("check-in of %s: %v", name, err)
	}
	ev, err := h.db.Evidence(h.t.Context(), c.ID)
	if err != nil {
		h.t.Fatalf("evidence of %s: %v", name, err)
	}
	return ev
}

func flagKinds(fs []apel.Flag) []apel.FlagKind {
	var out []apel.FlagKind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

// mustContain fails unless text contains every one of want.
func mustContain(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: got\n%s\nwant it to contain %q", what, text, w)
		}
	}
}

func TestFlagPoorAccuracy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	got := reply(t, h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 250), userID("rina"))
	mustContain(t, "confirmation", got, "Kehadiran tercatat") // a flag never refuses a check-in
	h.location(user("budi"), north(h.office("DISKOMINFO"), 30), 15)
	if got := flagKinds(h.evidenceOf(s, "rina").Flags); !cmp.Equal(got, []apel.FlagKind{apel.FlagPoorAccuracy}) {
		t.Errorf("rina, accuracy 250 m (threshold 100): flags %v, want [poor_accuracy]", got)
	}
	if got := h.evidenceOf(s, "budi").Flags; len(got) != 0 {
		t.Errorf("budi, accuracy 15 m: flags %v, want none", got)
	}
	list := reply(t, h.text(user("kepala"), "/tanda"), userID("kepala"))
	mustContain(t, "/tanda", list, "Rina Marasabessy", "Akurasi GPS rendah: ±250 m (batas 100 m)", "belum ditinjau")
	if strings.Contains(list, "Budi") {
		t.Errorf("/tanda lists budi, who has no flag:\n%s", list)
	}
}

func TestFlagPoorAccuracyThresholdFromConfig(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.Flags.MaxAccuracyM = 300 })
	h.register("rina")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 250)
	if got := h.evidenceOf(s, "rina").Flags; len(got) != 0 {
		t.Errorf("accuracy 250 m, threshold 300 m: flags %v, want none", got)
	}
}

func TestFlagOutsideRadius(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 400), 10)
	ev := h.evidenceOf(s, "rina")
	if len(ev.Flags) != 1 || ev.Flags[0].Kind != apel.FlagOutsideRadius || ev.Flags[0].Value != 400 {
		t.Errorf("400 m from the office: flags %+v, want outside_radius 400", ev.Flags)
	}
	got := reply(t, h.text(user("kepala"), "/bukti "+h.emp("rina").NIP), userID("kepala"))
	mustContain(t, "/bukti", got, "Jarak ke kantor: 400 m (di luar radius 100 m)", "Di luar radius: 400 m")
}

func TestFlagSharedCoordinates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "maruf", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	p := north(h.office("DISKOMINFO"), 12)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), p, 8)
	if got := h.evidenceOf(s, "rina").Flags; len(got) != 0 {
		t.Fatalf("rina alone: flags %v, want none", got)
	}
	h.setTime(monday, 7, 28)
	h.location(user("budi"), p, 8) // the very same coordinates, 3 minutes later
	h.location(user("maruf"), north(p, 2), 8)
	rina, budi := h.evidenceOf(s, "rina"), h.evidenceOf(s, "budi")
	if len(rina.Flags) != 1 || rina.Flags[0].Kind != apel.FlagSharedCoordinates || rina.Flags[0].Other != budi.CheckIn.ID {
		t.Errorf("rina's earlier check-in: flags %+v, want shared_coordinates pointing at budi's %d", rina.Flags, budi.CheckIn.ID)
	}
	if len(budi.Flags) != 1 || budi.Flags[0].Kind != apel.FlagSharedCoordinates || budi.Flags[0].Other != rina.CheckIn.ID || budi.Flags[0].Value != 3 {
		t.Errorf("budi: flags %+v, want shared_coordinates pointing at rina's %d, 3 minutes", budi.Flags, rina.CheckIn.ID)
	}
	if got := h.evidenceOf(s, "maruf").Flags; len(got) != 0 {
		t.Errorf("maruf, 2 m away (real jitter): flags %v, want none", got)
	}
	// The head sees who; the person only "another civil servant".
	got := reply(t, h.text(user("kepala"), "/bukti "+h.emp("budi").NIP), userID("kepala"))
	mustContain(t, "head's /bukti", got, "Koordinat sama persis dengan kiriman Rina Marasabessy (selisih 3 menit)")
	got = reply(t, h.text(user("budi"), "/bukti"), userID("budi"))
	mustContain(t, "own /bukti", got, "Koordinat sama persis dengan kiriman ASN lain (selisih 3 menit)")
	if strings.Contains(got, "Rina") {
		t.Errorf("budi's own evidence names rina:\n%s", got)
	}
}

func TestFlagImpossibleTravel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi")
	h.setTime(monday, 7, 20)
	pagi := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 10), 10)
	h.location(user("budi"), north(h.office("DISKOMINFO"), 30), 10)
	h.setTime(monday, 15, 50)
	sore := h.open("DISKOMINFO", apel.Sore, groupKominfo)
	h.setTime(monday, 15, 55)
	h.location(user("rina"), apel.Point{Lat: -6.2, Lon: 106.8}, 10)    // Jakarta, ~3,800 km away
	h.location(user("budi"), north(h.office("DISKOMINFO"), 15000), 10) // 15 km: an ordinary commute
	rp, rs := h.evidenceOf(pagi, "rina"), h.evidenceOf(sore, "rina")
	var travel []apel.Flag
	for _, f := range append(rp.Flags, rs.Flags...) {
		if f.Kind == apel.FlagImpossibleTravel {
			travel = append(travel, f)
		}
	}
	if len(travel) != 2 || travel[0].CheckInID != rp.CheckIn.ID || travel[0].Other != rs.CheckIn.ID ||
		travel[1].CheckInID != rs.CheckIn.ID || travel[1].Other != rp.CheckIn.ID || travel[0].Value < 300 {
		t.Errorf("rina Jayapura 07.25 then Jakarta 15.55: travel flags %+v, want one on each pointing at the other, hundreds of km/h", travel)
	}
	for _, f := range append(h.evidenceOf(pagi, "budi").Flags, h.evidenceOf(sore, "budi").Flags...) {
		if f.Kind == apel.FlagImpossibleTravel {
			t.Errorf("budi 15 km in 8.5 hours: flag %+v, want none", f)
		}
	}
}

func TestFlagForeignAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	other := stranger()
	// Another account claims rina's NIP: refused, the head warned.
	calls := h.text(other, h.emp("rina").NIP)
	if got := sent(calls, other.ID); len(got) != 1 || !strings.Contains(got[0], "sudah terhubung dengan akun Telegram lain") {
		t.Fatalf("claim of a bound NIP: got %q, want the nip_taken refusal", got)
	}
	// An account with no claim gets the registration answer.
	nobody := telegramtest.User{ID: 9002, FirstName: "Lain", LanguageCode: "id"}
	h.setTime(monday, 7, 24)
	if got := reply(t, h.location(nobody, h.office("DISKOMINFO"), 5), nobody.ID); !strings.Contains(got, "belum terdaftar") {
		t.Errorf("location from an unknown account: got %q, want the registration answer", got)
	}
	// The claiming account sends a location during rina's apel: not
	// counted, recorded for review.
	h.setTime(monday, 7, 25)
	got := reply(t, h.location(other, north(h.office("DISKOMINFO"), 5), 5), other.ID)
	mustContain(t, "foreign location", got, "<b>tidak</b> dicatat sebagai kehadiran")
	// rina checks in after it: her check-in carries the flag.
	h.setTime(monday, 7, 27)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 10)
	if got := flagKinds(h.evidenceOf(s, "rina").Flags); !cmp.Equal(got, []apel.FlagKind{apel.FlagForeignAccount}) {
		t.Errorf("rina after the foreign location: flags %v, want [foreign_account]", got)
	}
	// budi checked in first; an account that claimed his NIP sends a
	// location afterwards: the flag is added to his check-in.
	h.location(user("budi"), north(h.office("DISKOMINFO"), 25), 10)
	third := telegramtest.User{ID: 9003, FirstName: "Ketiga", LanguageCode: "id"}
	h.text(third, h.emp("budi").NIP)
	h.setTime(monday, 7, 29)
	h.location(third, north(h.office("DISKOMINFO"), 25), 10)
	if got := flagKinds(h.evidenceOf(s, "budi").Flags); !cmp.Equal(got, []apel.FlagKind{apel.FlagForeignAccount}) {
		t.Errorf("budi before the foreign location: flags %v, want [foreign_account]", got)
	}
	list := reply(t, h.text(user("kepala"), "/tanda"), userID("kepala"))
	mustContain(t, "/tanda", list, "Akun Telegram lain yang pernah mencoba mendaftar dengan NIP ini mengirim lokasi pada apel ini")
}

func TestLiveLocationTrail(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.Live = apel.LiveRules{Window: 10 * time.Minute, MaxPoints: 4} })
	h.register("rina", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	start := h.setTime(monday, 7, 25)
	p := north(h.office("DISKOMINFO"), 10)
	id, msg := h.srv.SendLiveLocation(user("rina"), start, p.Lat, p.Lon, 12, 15*time.Minute)
	got := reply(t, h.handled(id), userID("rina"))
	mustContain(t, "live check-in", got, "Kehadiran tercatat", "07.25 WIT")
	edit := func(after time.Duration, metres float64, message int) []string {
		h.clock.Set(start.Add(after))
		q := north(p, metres)
		return sent(h.handled(h.srv.EditLiveLocation(user("rina"), message, start, start.Add(after), q.Lat, q.Lon, 6, 15*time.Minute)), userID("rina"))
	}
	for _, e := range []struct {
		after  time.Duration
		metres float64
	}{{time.Minute, 3}, {2 * time.Minute, 8}} {
		if got := edit(e.after, e.metres, msg); len(got) != 0 {
			t.Errorf("edit at +%v: replies %q, want none", e.after, got)
		}
	}
	edit(11*time.Minute, 50, msg) // after the 10-minute window: ignored
	edit(3*time.Minute, 900, msg+50)
	edit(4*time.Minute, 9, msg) // the 4th point: the cap
	edit(5*time.Minute, 9, msg) // over the cap: ignored
	ev := h.evidenceOf(s, "rina")
	if !ev.CheckIn.Fix.Live || ev.MessageID != int64(msg) || !ev.LiveUntil.Equal(start.Add(10*time.Minute)) {
		t.Errorf("evidence: live %v, message %d, until %v; want live, message %d, until 07.35", ev.CheckIn.Fix.Live, ev.MessageID, ev.LiveUntil, msg)
	}
	var at []time.Duration
	for _, tp := range ev.Trail {
		at = append(at, tp.At.Sub(start))
	}
	if want := []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute}; !cmp.Equal(at, want) {
		t.Errorf("trail times after 07.25: %v, want %v (first fix, 2 edits, cap 4; the late and the unknown edits ignored)", at, want)
	}
	if !ev.CheckIn.Fix.At.Equal(start) || ev.CheckIn.Late {
		t.Errorf("check-in judged at %v, late %v; want the first message's time 07.25, on time", ev.CheckIn.Fix.At, ev.CheckIn.Late)
	}
	got = reply(t, h.text(user("rina"), "/bukti"), userID("rina"))
	mustContain(t, "/bukti", got, "lokasi terkini (live location)", "Jejak: 4 titik selama 4 menit, bergeser paling jauh 9 m, akurasi ±6 m terbaik")
	// An edited text message is logged and ignored.
	h.handled(h.srv.Push(editedText(user("rina"))))
}

// editedText is an edited_message update with text only.
func editedText(u telegramtest.User) models.Update {
	m := &models.Message{ID: 999, From: &models.User{ID: u.ID, FirstName: u.FirstName}, Chat: models.Chat{ID: u.ID, Type: models.ChatTypePrivate},
		Date: 1, EditDate: 2, Text: "diubah"}
	return models.Update{EditedMessage: m}
}

func TestLiveLocationRequired(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.Live.Require = true })
	h.register("rina")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	at := h.setTime(monday, 7, 25)
	p := north(h.office("DISKOMINFO"), 10)
	got := reply(t, h.location(user("rina"), p, 10), userID("rina"))
	mustContain(t, "static location when live is required", got, "lokasi terkini (live location)", "Bagikan lokasi terkini")
	if _, err := h.db.CheckIn(t.Context(), s.ID, h.emp("rina").ID); err == nil {
		t.Fatalf("static location recorded although live is required")
	}
	id, _ := h.srv.SendLiveLocation(user("rina"), at, p.Lat, p.Lon, 10, 15*time.Minute)
	mustContain(t, "live location", reply(t, h.handled(id), userID("rina")), "Kehadiran tercatat")
	if ev := h.evidenceOf(s, "rina"); !ev.CheckIn.Fix.Live || len(ev.Trail) != 1 {
		t.Errorf("live check-in: live %v, trail %d points; want live with its first point", ev.CheckIn.Fix.Live, len(ev.Trail))
	}
}

func TestEvidencePrivacy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala", "kadinkes", "admin")
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 10)
	nip := h.emp("rina").NIP
	const refused = "Maaf, bukti kehadiran hanya dapat dilihat oleh ASN yang bersangkutan, kepala OPD-nya, dan BKPSDM."
	for _, tt := range []struct {
		who  string
		cmd  string
		want string
	}{
		{"rina", "/bukti", "Rina Marasabessy (NIP " + nip + ")"},
		{"rina", "/bukti " + nip + " hari-ini", "Waktu pesan Telegram: 07.25 WIT"},
		{"kepala", "/bukti " + nip, "Diproses bot: 07.25 WIT"},
		{"admin", "/bukti " + nip + " " + monday.String(), "Mode hari itu: WFO (bekerja dari kantor), dasar: jadwal hari ini"},
		{"budi", "/bukti " + nip, refused},
		{"kadinkes", "/bukti " + nip, refused},
		{"budi", "/bukti 199912312020121009", refused}, // a staff member does not learn whether a NIP exists
		{"kepala", "/bukti 199912312020121009", "NIP tidak ditemukan"},
		{"rina", "/bukti kemarin-lusa", "Cara pakai: /bukti"},
	} {
		got := reply(t, h.text(user(tt.who), tt.cmd), userID(tt.who))
		mustContain(t, tt.who+" "+tt.cmd, got, tt.want)
		if tt.want == refused && strings.Contains(got, "Koordinat") {
			t.Errorf("%s %s: evidence shown:\n%s", tt.who, tt.cmd, got)
		}
	}
	got := reply(t, h.text(stranger(), "/bukti "+nip), stranger().ID)
	mustContain(t, "stranger /bukti", got, "belum terdaftar")
	got = reply(t, h.text(user("budi"), "/tanda"), userID("budi"))
	mustContain(t, "staff /tanda", got, "tidak berwenang")
}

func TestReviewFlags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala", "admin", "kadinkes")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 500), 10) // outside the radius
	h.location(user("budi"), north(h.office("DISKOMINFO"), 10), 10)  // no flag
	h.location(user("kepala"), north(h.office("DISKOMINFO"), 700), 10)
	rina, budi, kepala := h.evidenceOf(s, "rina").CheckIn.ID, h.evidenceOf(s, "budi").CheckIn.ID, h.evidenceOf(s, "kepala").CheckIn.ID
	id := func(n int64) string { return itoa(n) }
	h.setTime(monday, 9, 0)
	for _, tt := range []struct {
		who, cmd, want string
	}{
		{"budi", "/tinjau " + id(rina) + " terima", "tidak berwenang"},
		{"kadinkes", "/tinjau " + id(rina) + " terima", "tidak berwenang"},
		{"kepala", "/tinjau " + id(kepala) + " terima", "tidak berwenang"}, // not on their own check-in
		{"kepala", "/tinjau " + id(budi) + " terima", "tidak memiliki tanda"},
		{"kepala", "/tinjau 99999 terima", "tidak ditemukan"},
		{"kepala", "/tinjau " + id(rina), "Cara pakai: /tinjau"},
		{"kepala", "/tinjau " + id(rina) + " tolak", "Tulis alasan penolakan"},
		{"admin", "/tinjau " + id(kepala) + " terima", "sudah ditinjau dan diterima"},
	} {
		got := reply(t, h.text(user(tt.who), tt.cmd), userID(tt.who))
		mustContain(t, tt.who+" "+tt.cmd, got, tt.want)
	}
	calls := h.text(user("kepala"), "/tinjau "+id(rina)+" tolak lokasi dikirim dari rumah")
	mustContain(t, "rejection", strings.Join(sent(calls, userID("kepala")), "\n"), "ditolak")
	mustContain(t, "notice to rina", strings.Join(sent(calls, userID("rina")), "\n"), "ditolak oleh atasan", "lokasi dikirim dari rumah")
	got := reply(t, h.text(user("admin"), "/tinjau "+id(rina)+" terima"), userID("admin"))
	mustContain(t, "second decision", got, "sudah diputuskan")
	ev := h.evidenceOf(s, "rina")
	if ev.Review == nil || ev.Review.Decision != apel.ReviewReject || ev.Review.By != h.emp("kepala").ID || ev.Review.Note != "lokasi dikirim dari rumah" {
		t.Errorf("review stored: %+v, want rejected by kepala with the reason", ev.Review)
	}
	// The rejection is a status correction with its audit entry.
	cs, err := h.db.Corrections(t.Context(), monday)
	if err != nil || len(cs) != 1 || cs[0].EmployeeID != h.emp("rina").ID || cs[0].Before != apel.StatusOnTime ||
		cs[0].After != apel.StatusAbsent || cs[0].By != h.emp("kepala").ID || cs[0].ByTelegram != userID("kepala") ||
		cs[0].Note != "lokasi dikirim dari rumah" || cs[0].ID != ev.Review.CorrectionID {
		t.Errorf("corrections after the rejection: %+v, %v; want rina on time -> absent by kepala, linked to the review", cs, err)
	}
	list := reply(t, h.text(user("kepala"), "/tanda"), userID("kepala"))
	mustContain(t, "/tanda after review", list, "Status: ditolak oleh Yohanis Kaiway", "Alasan: lokasi dikirim dari rumah")
	// BKPSDM lists another OPD's flags by code and date.
	list = reply(t, h.text(user("admin"), "/tanda "+monday.String()+" DISKOMINFO"), userID("admin"))
	mustContain(t, "admin /tanda", list, "Rina Marasabessy", "Status: diterima oleh Agus Admin")
}

func TestFlagsInRekapSummaryAndDailyReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 20), 250)
	h.location(user("budi"), north(h.office("DISKOMINFO"), 35), 10)
	got := reply(t, h.text(user("kepala"), "/rekap"), userID("kepala"))
	mustContain(t, "/rekap", got, "Kehadiran bertanda</b>: 1 (belum ditinjau 1)", "• Rina Marasabessy (apel pagi): akurasi rendah — belum ditinjau")
	// The head's summary of the session.
	day, err := h.db.Day(t.Context(), monday, h.opds)
	if err != nil {
		t.Fatal(err)
	}
	sum := apel.Summarize(h.opds[0], s, nil, nil, nil, nil)
	if err := h.bot.SendSummary(t.Context(), h.emp("kepala"), sum); err != nil {
		t.Fatalf("SendSummary: %v", err)
	}
	if err := h.bot.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "summary", strings.Join(sent(h.drain(), userID("kepala")), "\n"), "Kehadiran bertanda pada apel ini: 1")
	// The daily report counts them per OPD and lists them.
	r := apel.CompileDailyReport("Kota Jayapura", day).WithFlags(day)
	text := RenderDailyReport(h.id(), "BKPSDM", r)
	mustContain(t, "daily report", text, "⚑ Bertanda: 1 (diterima 0, ditolak 0, belum ditinjau 1)",
		"1. DISKOMINFO · Rina Marasabessy (NIP "+h.emp("rina").NIP+"), apel pagi: akurasi rendah — belum ditinjau")
	if strings.Contains(text, "-2.53") {
		t.Errorf("the daily report shows coordinates:\n%s", text)
	}
}

func TestFlagsRaisedAgainAtStart(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.register("rina")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	at := h.setTime(monday, 7, 25)
	// A check-in recorded just before a crash, its evidence never kept.
	c, err := h.db.RecordCheckIn(t.Context(), apel.CheckIn{SessionID: s.ID, EmployeeID: h.emp("rina").ID,
		Fix: apel.Fix{Point: north(h.office("DISKOMINFO"), 10), Accuracy: 400, At: at}, RecordedAt: at,
		Mode: apel.WFO, ModeReason: apel.ModeByWeekday, Verdict: apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Distance: 10}})
	if err != nil {
		t.Fatal(err)
	}
	h.start(nil)
	ev, err := h.db.Evidence(t.Context(), c.ID)
	if err != nil || !cmp.Equal(flagKinds(ev.Flags), []apel.FlagKind{apel.FlagPoorAccuracy}) {
		t.Errorf("after a restart: flags %v, %v; want [poor_accuracy]", flagKinds(ev.Flags), err)
	}
}

func TestAcceptFlagsButton(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi", "kepala")
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 25)
	h.location(user("rina"), north(h.office("DISKOMINFO"), 600), 10)
	id := h.evidenceOf(s, "rina").CheckIn.ID
	calls := h.text(user("kepala"), "/tanda")
	if len(calls) != 1 {
		t.Fatalf("/tanda: calls %v, want one message", calls)
	}
	m := sentMessage(t, calls[0])
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) != 1 || m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "fl:a:"+itoa(id) {
		t.Fatalf("/tanda keyboard: %+v, want one accept button for check-in %d", m.ReplyMarkup, id)
	}
	// A staff member forging the button decides nothing.
	got := sent(h.tap(user("budi"), userID("budi"), m.ID, "fl:a:"+itoa(id)), userID("budi"))
	if len(got) != 1 || !strings.Contains(got[0], "tidak berwenang") {
		t.Errorf("staff tapping accept: %q, want the refusal", got)
	}
	got = sent(h.tap(user("kepala"), userID("kepala"), m.ID, "fl:a:"+itoa(id)), userID("kepala"))
	if len(got) != 1 || !strings.Contains(got[0], "sudah ditinjau dan diterima") {
		t.Errorf("head tapping accept: %q, want the acceptance", got)
	}
	if ev := h.evidenceOf(s, "rina"); ev.Review == nil || ev.Review.Decision != apel.ReviewAccept || ev.Review.By != h.emp("kepala").ID {
		t.Errorf("review after the tap: %+v, want accepted by kepala", ev.Review)
	}
	// Decided: no button any more.
	if m := sentMessage(t, h.text(user("kepala"), "/tanda")[0]); m.ReplyMarkup != nil && len(m.ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("/tanda after the decision: keyboard %+v, want none", m.ReplyMarkup)
	}
}
