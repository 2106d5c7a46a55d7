package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store"
)

// faultDay is the simulated working day of the fault test, a Monday.
func faultDay() apel.Date { return apel.Date{Year: 2026, Month: time.November, Day: 23} }

// TestApelUnderTelegramFaults runs a whole apel day, pagi and sore, through
// the real bot, scheduler and store while the fake Bot API answers 5xx,
// 429 with retry_after and too slowly (timeouts) at every step: prompts,
// check-in replies, reminders, summaries and the daily report. Every
// check-in is recorded once, every person is told once, and every message
// the scheduler queued is delivered exactly once.
func TestApelUnderTelegramFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end fault test: seconds of real retries")
	}
	t.Parallel()
	ctx := context.Background()
	srv := telegramtest.New()
	defer srv.Close()
	people := e2ePeople(20)
	absent := map[int]bool{5: true, 8: true} // miss apel pagi
	dbPath := writeFile(t, "unused", "") + ".db"
	cfgPath := e2eConfig(t, "Asia/Jakarta", "07:30", "16:00", "")
	var out bytes.Buffer
	if err := dispatch(ctx, []string{"import", "-config", cfgPath, "-db", dbPath, e2eRoster(t, people)}, &out, &out, env(nil)); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	cfg, err := LoadConfig(cfgPath, env(map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token(), "TELEGRAM_API_URL": srv.URL(), "APELBOT_DB": dbPath}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Telegram.PollTimeout = 2 * time.Second
	loc := cfg.Policy.Location
	clock := &simClock{}
	at := func(hh, mm int) { clock.Set(faultDay().At(apel.Clock{Hour: hh, Minute: mm}, loc)) }
	at(6, 0)
	srv.SetClock(clock.Now)
	logs := &lockedBuffer{}
	log := zerolog.New(io.MultiWriter(logs, zerolog.NewTestWriter(t))).Level(zerolog.WarnLevel)
	a, err := newApp(ctx, cfg, options{Now: clock.Now, Logger: &log, NoCron: true,
		Limits: bot.Limits{Global: 1e6, Private: 1e6, Group: 1e6}, CallTimeout: time.Second}) // well above a loaded CI machine's round trip: a call the fake answers after the client gave up would be delivered twice
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = a.run(runCtx, true) }()
	defer func() { stop(); wg.Wait(); a.Close() }()

	wait := func(id int64) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := a.bot.WaitHandled(wctx, id); err != nil {
			t.Fatalf("update %d not handled: %v", id, err)
		}
	}
	tick := func(hh, mm int) {
		t.Helper()
		at(hh, mm)
		if err := a.sched.Tick(ctx); err != nil {
			t.Fatalf("Tick at %02d:%02d: %v", hh, mm, err)
		}
		fctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := a.bot.Flush(fctx); err != nil {
			t.Fatalf("Flush at %02d:%02d: %v", hh, mm, err)
		}
	}
	checkIns := func(skip map[int]bool) {
		t.Helper()
		var last int64
		for _, p := range people {
			if !skip[p.I] {
				lat, lon := p.office()
				last = srv.SendLocation(p.User, clock.Now(), lat, lon, 10)
			}
		}
		wait(last)
	}

	// The evening before: everyone registers, the heads bind their groups.
	at(19, 0)
	var last int64
	for _, p := range people {
		last = srv.SendText(p.User, p.User.ID, clock.Now(), p.NIP)
	}
	wait(last)
	for _, p := range people[:2] {
		wait(srv.SendText(p.User, e2eOPDs()[p.I].Group, clock.Now(), "/ikat"))
	}

	// Apel pagi opens: the prompts meet two 502s and a 429.
	srv.FailNext("sendMessage", 2, 502, "", 0)
	srv.FailNext("sendMessage", 1, 429, "", 1)
	tick(7, 15)
	// Check-ins while replies meet a 502, a timeout and a 429 (at most
	// three failed attempts for any one reply, under the retry limit).
	srv.FailNext("sendMessage", 1, 502, "", 0)
	srv.DelayNext("sendMessage", 1, 3*time.Second)
	srv.FailNext("sendMessage", 1, 429, "", 1)
	at(7, 20)
	checkIns(absent)
	// Reminders: both meet a 503 on every attempt of their first round and
	// go out in the next round, a minute later.
	srv.FailNext("sendMessage", 8, 503, "", 0)
	tick(8, 15)
	tick(8, 16)
	// Closing: the final prompt edits and the summaries meet faults.
	srv.FailNext("editMessageText", 2, 502, "", 0)
	srv.DelayNext("sendMessage", 1, 3*time.Second)
	srv.FailNext("sendMessage", 1, 429, "", 1)
	tick(8, 30)

	// Apel sore: everyone; the summaries and the daily report meet a
	// timeout and a 503.
	tick(15, 45)
	at(15, 50)
	checkIns(nil)
	srv.DelayNext("sendMessage", 1, 3*time.Second)
	srv.FailNext("sendMessage", 1, 503, "", 0)
	tick(17, 0)

	// Every check-in once, in the database.
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cis, err := db.CheckIns(ctx, faultDay())
	if err != nil {
		t.Fatal(err)
	}
	perSession := map[int64]int{}
	for _, c := range cis {
		perSession[c.SessionID]++
	}
	sessions, _ := db.Sessions(ctx, faultDay())
	pagi, sore := 0, 0
	for _, s := range sessions {
		if s.Kind == apel.Pagi {
			pagi += perSession[s.ID]
		} else {
			sore += perSession[s.ID]
		}
	}
	if pagi != len(people)-len(absent) || sore != len(people) {
		t.Errorf("check-ins: pagi %d, sore %d; want %d and %d", pagi, sore, len(people)-len(absent), len(people))
	}

	// What people saw, exactly once each.
	calls := srv.History()
	for _, p := range people {
		want := 2
		if absent[p.I] {
			want = 1
			if n := len(delivered(calls, "sendMessage", p.User.ID, "belum tercatat hadir")); n != 1 {
				t.Errorf("person %d (absent in pagi): %d reminders delivered, want 1", p.I, n)
			}
		}
		if n := len(delivered(calls, "sendMessage", p.User.ID, "Kehadiran tercatat")); n != want {
			t.Errorf("person %d: %d check-in confirmations delivered, want %d", p.I, n, want)
		}
	}
	for _, o := range e2eOPDs() {
		if n := len(delivered(calls, "sendMessage", o.Group, "Sudah hadir")); n != 2 {
			t.Errorf("group %s: %d prompts delivered, want 2 (pagi and sore)", o.Code, n)
		}
		if n := len(delivered(calls, "editMessageText", o.Group, "ditutup")); n < 2 {
			t.Errorf("group %s: %d closing edits delivered, want one per session", o.Code, n)
		}
	}
	for _, h := range people[:2] {
		if n := len(delivered(calls, "sendMessage", h.User.ID, "Rekap apel")); n != 2 {
			t.Errorf("head %d: %d summaries delivered, want 2", h.I, n)
		}
	}
	reports := delivered(calls, "sendMessage", e2eBKPSDMChat, "LAPORAN APEL HARIAN")
	if len(reports) != 1 {
		t.Fatalf("daily reports delivered: %d, want 1", len(reports))
	}
	for _, want := range []string{"Pagi: hadir 18/20", "Sore: hadir 20/20"} {
		if !strings.Contains(reports[0].Text(), want) {
			t.Errorf("daily report lacks %q:\n%s", want, reports[0].Text())
		}
	}
	var failed int
	for _, c := range calls {
		if !c.OK() {
			failed++
		}
	}
	if failed < 10 {
		t.Errorf("only %d failed calls: the faults did not bite", failed)
	}
	if err := srv.Err(); err != nil {
		t.Errorf("fake Bot API: %v", err)
	}
	if strings.Contains(logs.String(), "given up") {
		t.Errorf("a message was given up:\n%s", logs.String())
	}
}

// lockedBuffer collects log lines from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
