package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// benchClock is the bot's clock in an in-process run: it runs at the
// speed of time.Now from the instant it was last set.
type benchClock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
}

// Now returns the simulated time.
func (c *benchClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start))
}

// Set makes it t now.
func (c *benchClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.start = t, time.Now()
}

// commitLog notes when the check-in of each update was committed, by
// update id (the fake numbers updates from 1).
type commitLog struct {
	at []atomic.Int64 // Unix nanoseconds; 0 while not committed
	n  atomic.Int64
}

func newCommitLog(maxID int) *commitLog { return &commitLog{at: make([]atomic.Int64, maxID+1)} }

func (l *commitLog) note(updateID int64, t time.Time) {
	if updateID <= 0 || updateID >= int64(len(l.at)) {
		return
	}
	if l.at[updateID].CompareAndSwap(0, t.UnixNano()) {
		l.n.Add(1)
	}
}

// committed returns when update id's check-in was committed.
func (l *commitLog) committed(id int64) (time.Time, bool) {
	if id <= 0 || id >= int64(len(l.at)) {
		return time.Time{}, false
	}
	ns := l.at[id].Load()
	return time.Unix(0, ns), ns != 0
}

// timedStore is the bot's store with the commit of each check-in noted: a
// write method has committed when it returns without error.
type timedStore struct {
	bot.Store
	log *commitLog
}

func (s timedStore) RecordCheckIn(ctx context.Context, c apel.CheckIn) (apel.CheckIn, error) {
	ci, err := s.Store.RecordCheckIn(ctx, c)
	if err == nil {
		s.log.note(c.UpdateID, time.Now())
	}
	return ci, err
}

// benchCall is one call the fake answered, as the load test keeps it.
type benchCall struct {
	kind string // see callKind
	chat int64
	at   time.Time
	code int // 0, or the error code answered
}

func (s timedStore) RecordCheckIns(ctx context.Context, b apel.CheckInBatch, replies func([]apel.Recorded) []apel.Outbound) ([]apel.Recorded, error) {
	recs, err := s.Store.RecordCheckIns(ctx, b, replies)
	if err == nil {
		now := time.Now()
		for _, r := range recs {
			if !r.Duplicate {
				s.log.note(r.CheckIn.UpdateID, now)
			}
		}
	}
	return recs, err
}

// callKind sorts a call by what it carries: "prompt" (a group message with
// the Hadir button), "progress" (an edit), "reply" (a private message that
// removes the location keyboard: the answer to a location), "ask" (a
// private message with the location button: a reminder or the answer to
// /hadir), "report" (other private or group messages), "callback", or the
// method name.
func callKind(c telegramtest.Call) string {
	markup := c.Params["reply_markup"]
	switch {
	case c.Method == "answerCallbackQuery":
		return "callback"
	case c.Method == "editMessageText" || c.Method == "editMessageReplyMarkup":
		return "progress"
	case c.Method != "sendMessage":
		return c.Method
	case strings.Contains(markup, "inline_keyboard") && c.ChatID() < 0:
		return "prompt"
	case strings.Contains(markup, "remove_keyboard"):
		return "reply"
	case strings.Contains(markup, "request_location"):
		return "ask"
	}
	return "report"
}

// callLog collects every call the fake answers, read from its Calls
// channel as they come.
type callLog struct {
	mu    sync.Mutex
	calls []benchCall
	wake  chan struct{} // closed and replaced on every call
	done  chan struct{}
}

func collectCalls(srv *telegramtest.Server) *callLog {
	l := &callLog{wake: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for {
			c, err := srv.Next(context.Background())
			if err != nil {
				return
			}
			l.mu.Lock()
			l.calls = append(l.calls, benchCall{kind: callKind(c), chat: c.ChatID(), at: c.At, code: c.ErrorCode})
			close(l.wake)
			l.wake = make(chan struct{})
			l.mu.Unlock()
		}
	}()
	return l
}

// snapshot returns the calls so far.
func (l *callLog) snapshot() []benchCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]benchCall(nil), l.calls...)
}

// write saves the calls so far as CSV: seconds since the first, kind,
// chat, error code.
func (l *callLog) write(path string) error {
	calls := l.snapshot()
	var sb strings.Builder
	sb.WriteString("seconds,kind,chat,code\n")
	for _, c := range calls {
		fmt.Fprintf(&sb, "%.3f,%s,%d,%d\n", c.at.Sub(calls[0].at).Seconds(), c.kind, c.chat, c.code)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// waitFor waits until ok holds for the calls so far, or the deadline.
func (l *callLog) waitFor(ctx context.Context, deadline time.Duration, ok func([]benchCall) bool) bool {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	for {
		l.mu.Lock()
		calls, wake := l.calls, l.wake
		done := ok(calls)
		l.mu.Unlock()
		if done {
			return true
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return false
		}
	}
}

// benchApp is one in-process run: the fake Bot API enforcing Telegram's
// limits, the real bot, scheduler and store on a copy of the pemda's
// database, and a simulated clock.
type benchApp struct {
	p       *benchPemda
	cfg     Config
	srv     *telegramtest.Server
	clock   *benchClock
	app     *app
	commits *commitLog
	calls   *callLog
	cancel  context.CancelFunc
	done    chan error
}

// startBenchApp starts a run on database path (a copy of the pemda's), at
// sim time t. maxUpdates bounds the update ids whose commits are noted.
func startBenchApp(ctx context.Context, p *benchPemda, path, logPath string, t time.Time, maxUpdates int) (*benchApp, error) {
	srv := telegramtest.New()
	srv.EnforceLimits(telegramtest.Limits{})
	srv.KeepHistory(false)
	cfg := p.cfg
	cfg.Database = path
	cfg.Telegram.Token, cfg.Telegram.APIURL, cfg.Telegram.PollTimeout = srv.Token(), srv.URL(), 10*time.Second
	f, err := os.Create(logPath)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("bench: %w", err)
	}
	log := zerolog.New(f).Level(zerolog.InfoLevel).With().Timestamp().Str("app", "apelbot").Logger()
	clock := &benchClock{}
	clock.Set(t)
	b := &benchApp{p: p, cfg: cfg, srv: srv, clock: clock, commits: newCommitLog(maxUpdates), done: make(chan error, 1)}
	b.calls = collectCalls(srv)
	a, err := newApp(ctx, cfg, options{Now: clock.Now, Logger: &log, NoCron: true,
		BotStore: func(s bot.Store) bot.Store { return timedStore{Store: s, log: b.commits} }})
	if err != nil {
		srv.Close()
		f.Close()
		return nil, err
	}
	b.app = a
	rctx, cancel := context.WithCancel(ctx)
	b.cancel = cancel
	go func() {
		err := a.run(rctx, true)
		a.Close()
		f.Close()
		b.done <- err
	}()
	return b, nil
}

// stop stops the bot, closes the store and the fake.
func (b *benchApp) stop() error {
	b.cancel()
	err := <-b.done
	b.srv.Close()
	<-b.calls.done
	if perr := b.srv.Err(); perr != nil && err == nil {
		err = fmt.Errorf("fake Bot API: %w", perr)
	}
	return err
}

// tick runs the scheduler at sim time t and returns how long it took.
func (b *benchApp) tick(ctx context.Context, t time.Time) (time.Duration, error) {
	b.clock.Set(t)
	start := time.Now()
	err := b.app.sched.Tick(ctx)
	return time.Since(start), err
}

// at returns sim time h:m on the bench day.
func (b *benchApp) at(h, m int) time.Time {
	return benchDay.At(apel.Clock{Hour: h, Minute: m}, b.cfg.Policy.Location)
}

// pushLocations queues a location from each of people, sent at sim time
// t from their desks, and returns the update ids in order.
func (b *benchApp) pushLocations(people []benchPerson, t time.Time) []int64 {
	ids := make([]int64, len(people))
	for i, ps := range people {
		u := telegramtest.User{ID: ps.User, FirstName: "Uji", LanguageCode: "id"}
		lat, lon := ps.desk()
		ids[i] = b.srv.SendLocation(u, t, lat, lon, 10)
	}
	return ids
}

// desk is where the person sends their location from: a few metres from
// their office, the same place at every session. Each differs a little
// from their colleagues', as real GPS fixes do: identical ones would all
// be flagged as one phone checking in for everyone.
func (ps benchPerson) desk() (lat, lon float64) {
	dlat, dlon := jitter(int(ps.User - benchUserBase))
	return ps.Office.Lat + 0.0001 + dlat, ps.Office.Lon + dlon
}

// jitter is the i-th person's GPS noise in degrees, at most about 12 m
// each way, in steps of about 12 cm: no two of 9,409 consecutive people
// alike (an OPD's are consecutive).
func jitter(i int) (dlat, dlon float64) {
	return float64(i%97) * 1.1e-6, float64(i/97%97) * 1.1e-6
}
