package bot

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata") //nolint:gochecknoglobals // a test flag

// golden compares got with testdata/<name>.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./bot -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); a golden diff is a product change, accept it with go test ./bot -update:\n%s", path, diff)
	}
}

// fixtureDay is one Monday of the test pemda with every kind of outcome.
func fixtureDay(loc *time.Location) apel.Day {
	roster := testRoster()
	var emps []apel.Employee
	ids := map[string]int64{}
	for i, name := range []string{"kepala", "rina", "budi", "maruf", "kadinkes", "admin", "sari"} {
		e := roster[name]
		e.ID, e.Active = int64(i+1), true
		ids[name] = e.ID
		emps = append(emps, e)
	}
	p := testPolicy(loc)
	slot := func(k apel.SessionKind) apel.Slot { s, _ := p.Slot(monday, k); return s }
	sessions := []apel.Session{
		{ID: 1, OPD: "DISKOMINFO", Slot: slot(apel.Pagi), Closed: true},
		{ID: 2, OPD: "DISKOMINFO", Slot: slot(apel.Sore), Closed: true},
		{ID: 3, OPD: "DINKES", Slot: slot(apel.Pagi), Closed: true},
	}
	ci := func(session int64, name string, at apel.Clock, mode apel.Mode, place apel.Place, distance float64) apel.CheckIn {
		s := sessions[session-1]
		fix := apel.Fix{At: monday.At(at, loc)}
		v := apel.Verdict{Place: place, Distance: distance, InPlace: distance <= 100}
		if fix.At.After(s.LateFrom) {
			v.Late, v.LateBy = true, fix.At.Sub(s.LateFrom)
		}
		return apel.CheckIn{SessionID: session, EmployeeID: ids[name], Fix: fix, Mode: mode, Verdict: v}
	}
	return apel.Day{
		Date: monday, OPDs: testOPDs(), Employees: emps, Sessions: sessions,
		CheckIns: []apel.CheckIn{
			ci(1, "kepala", apel.Clock{Hour: 7, Minute: 20}, apel.WFO, apel.PlaceOffice, 12),
			ci(1, "rina", apel.Clock{Hour: 7, Minute: 42}, apel.WFO, apel.PlaceOffice, 30),
			ci(1, "budi", apel.Clock{Hour: 7, Minute: 25}, apel.WFH, apel.PlaceHome, 2002.4),
			ci(2, "kepala", apel.Clock{Hour: 15, Minute: 50}, apel.WFO, apel.PlaceOffice, 8),
			ci(2, "rina", apel.Clock{Hour: 15, Minute: 55}, apel.WFA, apel.PlaceAnywhere, 0),
			ci(3, "kadinkes", apel.Clock{Hour: 7, Minute: 18}, apel.WFO, apel.PlaceOffice, 5),
			ci(3, "sari", apel.Clock{Hour: 8, Minute: 20}, apel.WFO, apel.PlaceOffice, 350),
		},
		Excuses: []apel.Excuse{{EmployeeID: ids["admin"], Date: monday, Kind: apel.Sakit, By: ids["kadinkes"]}},
	}
}

func TestRenderDailyReportGolden(t *testing.T) {
	t.Parallel()
	loc := jayapura(t)
	cat := loadCatalog(t)
	r := apel.CompileDailyReport("Kota Jayapura", fixtureDay(loc))
	for _, lang := range []string{"id", "en"} {
		golden(t, "daily_report."+lang, RenderDailyReport(cat.Printer(lang), "BKPSDM <Kota> Jayapura", r))
	}
}

func TestRenderSummaryGolden(t *testing.T) {
	t.Parallel()
	loc := jayapura(t)
	cat := loadCatalog(t)
	d := fixtureDay(loc)
	staff := d.Employees[:4] // DISKOMINFO
	extra := apel.Employee{ID: 99, NIP: "199306062019032008", Name: "Yakoba Wenda", OPD: "DISKOMINFO", Active: true}
	excuses := append(d.Excuses, apel.Excuse{EmployeeID: 99, Date: monday, Kind: apel.DinasLuar})
	sum := apel.Summarize(d.OPDs[0], d.Sessions[0], append(staff, extra), d.CheckIns, excuses, nil)
	golden(t, "summary.id", RenderSummary(cat.Printer("id"), loc, sum))
	golden(t, "summary.en", RenderSummary(cat.Printer("en"), loc, sum))

	good := apel.Summarize(d.OPDs[0], d.Sessions[1], staff[:2], d.CheckIns, nil, nil)
	got := RenderSummary(cat.Printer("id"), loc, good)
	if !strings.HasSuffix(got, "\n\nSemua pegawai hadir tepat waktu di lokasi. 👍") {
		t.Errorf("summary of a perfect sore: got %q, want the all-good line", got)
	}
	golden(t, "summary_all_good.id", got)
}

func TestPromptAndReminderGolden(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, _ := postPrompt(t, h)
	var promptText string
	for _, c := range h.srv.History() {
		if c.Method == "sendMessage" && c.ChatID() == groupKominfo {
			promptText = c.Text()
		}
	}
	golden(t, "prompt.id", promptText)

	h.register("rina", "budi")
	rina := h.emp("rina")
	if err := h.bot.Remind(t.Context(), rina, s); err != nil {
		t.Fatalf("Remind: %v", err)
	}
	c := h.next()
	if c.ChatID() != userID("rina") || !strings.Contains(c.Params["reply_markup"], `"request_location":true`) {
		t.Errorf("reminder: got %v, want a private message with the location button", c)
	}
	golden(t, "remind.id", c.Text())
	// A reminder is queued once per person and session: asking again
	// sends nothing.
	if err := h.bot.Remind(t.Context(), rina, s); err != nil {
		t.Fatalf("Remind again: %v", err)
	}
	budi := h.emp("budi")
	budi.Lang = "en"
	if err := h.bot.Remind(t.Context(), budi, s); err != nil {
		t.Fatalf("Remind: %v", err)
	}
	c = h.next()
	if c.ChatID() != userID("budi") {
		t.Errorf("after a repeated reminder to Rina: got %v, want Budi's reminder", c)
	}
	golden(t, "remind.en", c.Text())
}

func TestSendDailyReport(t *testing.T) {
	t.Parallel()
	t.Run("to BKPSDM chat and recipients", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		h.start(func(c *Config) { c.Targets = Targets{BKPSDMChat: -1005, Recipients: []int64{8801, 8802}} })
		day := fixtureDay(h.loc)
		r := apel.CompileDailyReport("Kota Jayapura", day)
		if err := h.bot.SendDailyReport(t.Context(), r, day); err != nil {
			t.Fatalf("SendDailyReport: %v", err)
		}
		var chats []int64
		docs := map[string]telegramtest.Call{}
		for len(chats) < 3 || len(docs) < 2 {
			c := h.next()
			if c.Method == "sendDocument" {
				docs[c.Files["document"].Name] = c
				continue
			}
			if c.Text() != RenderDailyReport(h.id(), "BKPSDM Kota Jayapura", r) {
				t.Errorf("report text to %d differs from RenderDailyReport", c.ChatID())
			}
			chats = append(chats, c.ChatID())
		}
		slices.Sort(chats) // three chats: the order on the wire is not fixed
		if diff := cmp.Diff([]int64{-1005, 8801, 8802}, chats); diff != "" {
			t.Errorf("report recipients (-want +got):\n%s", diff)
		}
		// The BKPSDM chat, and only it, gets the report as XLSX and PDF.
		xlsx, pdf := docs["laporan-apel-2026-11-23.xlsx"], docs["laporan-apel-2026-11-23.pdf"]
		if xlsx.ChatID() != -1005 || !bytes.HasPrefix(xlsx.Files["document"].Data, []byte("PK")) ||
			xlsx.Text() != "📊 Laporan apel harian Senin, 23 November 2026 (XLSX)" {
			t.Errorf("XLSX document %v, want a workbook for the BKPSDM chat", xlsx)
		}
		if pdf.ChatID() != -1005 || !bytes.HasPrefix(pdf.Files["document"].Data, []byte("%PDF-")) {
			t.Errorf("PDF document %v, want a PDF for the BKPSDM chat", pdf)
		}
		if err := h.bot.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := h.drain(); len(got) != 0 {
			t.Errorf("after the report: more calls %v", got)
		}
		// Made again (a restart before the report was marked done, or a
		// new leader): the text is queued under the same keys and the
		// documents were sent already: nothing goes out twice.
		if err := h.bot.SendDailyReport(t.Context(), r, day); err != nil {
			t.Fatalf("SendDailyReport again: %v", err)
		}
		if err := h.bot.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := h.drain(); len(got) != 0 {
			t.Errorf("the report made again: calls %v, want none", got)
		}
	})
	t.Run("to registered admins when no BKPSDM chat", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.register("admin")
		h.srv.FailNext("sendMessage", 1, 403, "", 0)
		day := fixtureDay(h.loc)
		if err := h.bot.SendDailyReport(t.Context(), apel.CompileDailyReport("Kota Jayapura", day), day); err != nil {
			t.Fatalf("SendDailyReport: %v", err)
		}
		// The two documents go to the admin too, besides the text.
		var text []telegramtest.Call
		for docs := 0; len(text) < 1 || docs < 2; {
			c := h.next()
			if c.Method == "sendDocument" && c.ChatID() == userID("admin") {
				docs++
				continue
			}
			text = append(text, c)
		}
		if c := text[0]; c.ChatID() != userID("admin") || c.ErrorCode != 403 {
			t.Errorf("report: got %v, want one attempt to the admin", c)
		}
		if err := h.bot.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Blocked: not retried, and the admin is marked unreachable.
		if _, st, err := h.db.Outbound(t.Context(), "report:"+monday.String()+":"+itoa(userID("admin"))); err != nil || st != "failed" {
			t.Errorf("report to a blocked admin: state %q, %v; want failed", st, err)
		}
		if got := h.drain(); len(got) != 0 {
			t.Errorf("after a 403: calls %v, want no retry", got)
		}
		if un, err := h.db.Unreachable(t.Context(), "DINKES"); err != nil || len(un) != 1 || un[0].ID != h.emp("admin").ID {
			t.Errorf("unreachable of DINKES: got %v, %v; want the admin", un, err)
		}
	})
}

func TestDailyReportTotalsAccountForEveryone(t *testing.T) {
	t.Parallel()
	// DINKES held no apel sore: its three people are neither present,
	// excused nor absent, yet the pemda-wide sore line counts them as
	// expected ("hadir 2/7 (28,6%) ... izin 0 · TK 2").
	r := apel.CompileDailyReport("Kota Jayapura", fixtureDay(jayapura(t)))
	check := func(name string, tl apel.Tally) {
		if tl.Held && tl.Present+tl.Excused+tl.Absent+tl.Pending != tl.Headcount {
			t.Errorf("%s: present %d + excused %d + TK %d + pending %d != headcount %d", name,
				tl.Present, tl.Excused, tl.Absent, tl.Pending, tl.Headcount)
		}
	}
	for _, o := range r.OPDs {
		check(o.OPD.Code+" pagi", o.Pagi)
		check(o.OPD.Code+" sore", o.Sore)
	}
	check("total pagi", r.Pagi)
	if r.Sore.Present+r.Sore.Excused+r.Sore.Absent+r.Sore.Pending != r.Sore.Headcount {
	}
}
