package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store"
)

// TestApelThroughAnOutage runs apel pagi through an outage of Telegram:
// getUpdates fails from 07.38 (the last contact was at 07.20) until after
// closing time. Locations sent at 07.45 and 07.50 (late by the clock)
// wait at Telegram; the close waits for contact to come back, the waiting
// locations are then judged on their message time (inside the window) and
// counted on time, and nobody without a check-in is TK: the heads'
// summaries and the daily report say "not judged: system outage" with the
// outage's period. A head then corrects one of them through /koreksi and
// the daily report lists the correction.
func TestApelThroughAnOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end outage test: seconds of real polling backoff")
	}
	t.Parallel()
	ctx := context.Background()
	srv := telegramtest.New()
	defer srv.Close()
	people := e2ePeople(8) // two OPDs, four each; people[0] and [1] are heads
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
	cfg.Telegram.PollTimeout = time.Second
	loc := cfg.Policy.Location
	clock := &simClock{}
	at := func(hh, mm int) time.Time {
		clock.Set(faultDay().At(apel.Clock{Hour: hh, Minute: mm}, loc))
		return clock.Now()
	}
	at(6, 0)
	srv.SetClock(clock.Now)
	srv.KeepHistory(true)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	a, err := newApp(ctx, cfg, options{Now: clock.Now, Logger: &log, NoCron: true,
		Limits: bot.Limits{Global: 1e6, Private: 1e6, Group: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = a.run(runCtx, true) }()
	defer func() { stop(); <-done; a.Close() }()

	wait := func(id int64) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := a.bot.WaitHandled(wctx, id); err != nil {
			t.Fatalf("update %d not handled: %v", id, err)
		}
		if err := a.bot.Flush(wctx); err != nil {
			t.Fatalf("flush: %v", err)
		}
	}
	tick := func() {
		t.Helper()
		if err := a.sched.Tick(ctx); err != nil {
			t.Fatalf("Tick at %v: %v", clock.Now(), err)
		}
		fctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := a.bot.Flush(fctx); err != nil {
			t.Fatalf("Flush: %v", err)
		}
	}
	send := func(p e2ePerson) int64 {
		lat, lon := p.office()
		return srv.SendLocation(p.User, clock.Now(), lat, lon, 10)
	}

	// The evening before: everyone registers, the heads bind their groups.
	at(19, 0)
	clock.Set(clock.Now().AddDate(0, 0, -1))
	var last int64
	for _, p := range people {
		last = srv.SendText(p.User, p.User.ID, clock.Now(), p.NIP)
	}
	wait(last)
	for _, p := range people[:2] {
		wait(srv.SendText(p.User, e2eOPDs()[p.I].Group, clock.Now(), "/ikat"))
	}

	at(7, 15)
	tick() // apel pagi opens
	at(7, 20)
	wait(send(people[2])) // on time, before the outage
	wait(send(people[3]))

	// Telegram fails every getUpdates from here; the bot notices once the
	// calls have failed for longer than the threshold (3 minutes).
	srv.FailNext("getUpdates", 1_000_000, 502, "", 0)
	at(7, 38)
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		os, err := db.Outages(ctx, at(7, 0), at(9, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(os) == 1 && os[0].Ongoing() {
			if want := faultDay().At(apel.Clock{Hour: 7, Minute: 20}, loc); !os[0].From.Equal(want) {
				t.Fatalf("ongoing outage from %v, want the last contact %v", os[0].From, want)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ongoing outage recorded while getUpdates fails: %+v", os)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Locations sent during the outage, late by the clock: they wait at
	// Telegram.
	at(7, 45)
	late1 := send(people[4])
	at(7, 50)
	late2 := send(people[5])

	// Closing time passes: the close waits for contact.
	at(8, 31)
	tick()
	for _, h := range people[:2] {
		if n := len(delivered(srv.History(), "sendMessage", h.User.ID, "Rekap apel")); n != 0 {
			t.Fatalf("head %d got a summary while the outage was going on", h.I)
		}
	}
	// Telegram is back: the waiting locations arrive and are judged.
	srv.ClearFaults("getUpdates")
	wait(late1)
	wait(late2)
	for _, p := range people[4:6] {
		if n := len(delivered(srv.History(), "sendMessage", p.User.ID, "Kehadiran tercatat")); n != 1 {
			t.Errorf("person %d: %d confirmations of a location sent at 07.45/07.50 and handled at 08.31, want 1", p.I, n)
		}
	}
	at(8, 32)
	tick()

	// The summaries: nobody TK, the late ones on time, the outage named.
	for _, h := range people[:2] {
		sums := delivered(srv.History(), "sendMessage", h.User.ID, "Rekap apel")
		if len(sums) != 1 {
			t.Fatalf("head %d: %d summaries, want 1", h.I, len(sums))
		}
		text := sums[0].Text()
		for _, want := range []string{"Gangguan sistem 07.20–08.31", "TK 0", "terlambat 0", "Tidak dinilai karena gangguan sistem"} {
			if !strings.Contains(text, want) {
				t.Errorf("head %d summary lacks %q:\n%s", h.I, want, text)
			}
		}
	}
	sessions, err := db.Sessions(ctx, faultDay())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		if s.Kind == apel.Pagi && (!s.Closed || !s.Disrupted()) {
			t.Errorf("%s pagi: closed %v, disruption %+v; want closed and disrupted", s.OPD, s.Closed, s.Disruption)
		}
	}

	// Person 7 (no check-in) sees that apel pagi did not judge them.
	wait(srv.SendText(people[7].User, people[7].User.ID, clock.Now(), "/status"))
	if st := lastTo(t, srv.History(), people[7].User.ID).Text(); !strings.Contains(st, "Apel pagi: ⚠️ tidak dinilai karena gangguan sistem") {
		t.Errorf("/status of a person not judged:\n%s", st)
	}
	// Person 4's location, sent late during the outage, counts on time.
	wait(srv.SendText(people[4].User, people[4].User.ID, clock.Now(), "/status"))
	if st := lastTo(t, srv.History(), people[4].User.ID).Text(); !strings.Contains(st, "Apel pagi: ✅ hadir pukul 07.45") {
		t.Errorf("/status of a late location forgiven:\n%s", st)
	}

	// A head corrects person 6 (no check-in, not judged): dinas luar.
	head, p6 := people[0], people[6]
	cmd := srv.SendText(head.User, head.User.ID, clock.Now(), "/koreksi "+p6.NIP+" pagi")
	wait(cmd)
	ask := lastTo(t, srv.History(), head.User.ID)
	msg := messageID(t, ask)
	wait(srv.Tap(head.User, head.User.ID, msg, pick(t, ask, ":d"), clock.Now()))
	step := lastTo(t, srv.History(), head.User.ID)
	wait(srv.Tap(head.User, head.User.ID, msg, pick(t, step, ":d:1"), clock.Now())) // reason: outage
	wait(srv.SendText(head.User, head.User.ID, clock.Now(), "SPT dinas luar no. 800/12"))
	confirm := lastTo(t, srv.History(), head.User.ID)
	wait(srv.Tap(head.User, head.User.ID, messageID(t, confirm), "kx:ok", clock.Now()))

	// Apel sore runs normally; then the daily report.
	at(15, 45)
	tick()
	at(15, 50)
	for _, p := range people {
		last = send(p)
	}
	wait(last)
	at(17, 0)
	tick()
	reports := delivered(srv.History(), "sendMessage", e2eBKPSDMChat, "LAPORAN APEL HARIAN")
	if len(reports) != 1 {
		t.Fatalf("daily reports: %d, want 1", len(reports))
	}
	t.Logf("daily report:\n%s", reports[0].Text())
	for _, want := range []string{
		"Pagi: hadir 4/4", // four checked in; three not judged, one corrected to dinas luar
		"tidak dinilai 3", "dikoreksi 1", "<b>Gangguan sistem</b>", "Apel pagi, 07.20–08.31: 2 OPD",
		"<b>Koreksi (1)</b>", "tidak dinilai → dinas luar, gangguan sistem: SPT dinas luar no. 800/12",
		"Sore: hadir 8/8",
	} {
		if !strings.Contains(reports[0].Text(), want) {
			t.Errorf("daily report lacks %q:\n%s", want, reports[0].Text())
		}
	}
	// The printed report says the same.
	text, err := dailyReportText(ctx, cfg, faultDay())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Koreksi (1)") || !strings.Contains(text, "Gangguan sistem") {
		t.Errorf("apelbot report lacks the correction or the outage:\n%s", text)
	}
	if err := srv.Err(); err != nil {
		t.Errorf("fake Bot API: %v", err)
	}
}

// lastTo returns the last successful sendMessage or editMessageText to chat.
func lastTo(t *testing.T, calls []telegramtest.Call, chat int64) telegramtest.Call {
	t.Helper()
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		if c.OK() && c.ChatID() == chat && (c.Method == "sendMessage" || c.Method == "editMessageText") {
			return c
		}
	}
	t.Fatalf("no message to %d", chat)
	return telegramtest.Call{}
}

// messageID is the id of the message a call sent or edited.
func messageID(t *testing.T, c telegramtest.Call) int {
	t.Helper()
	var m models.Message
	if err := json.Unmarshal(c.Result, &m); err != nil {
		t.Fatalf("result of %v: %v", c, err)
	}
	return m.ID
}

// pick returns the callback data of the button of c ending in suffix.
func pick(t *testing.T, c telegramtest.Call, suffix string) string {
	t.Helper()
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(c.Params["reply_markup"]), &kb); err != nil {
		t.Fatalf("reply_markup of %v: %v", c, err)
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.HasSuffix(b.CallbackData, suffix) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button ending in %q in %v", suffix, c)
	return ""
}
