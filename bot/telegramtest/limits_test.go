package telegramtest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// retryAfter returns the retry_after of a 429, or -1 when err is not one.
func retryAfter(err error) int {
	var tmr *tg.TooManyRequestsError
	if errors.As(err, &tmr) {
		return tmr.RetryAfter
	}
	return -1
}

func TestEnforceLimits(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	clock := &fakeClock{now: at}
	srv.EnforceLimits(telegramtest.Limits{Now: clock.Now})
	b := newClient(t, srv)
	ctx := context.Background()
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: "x"})
		return err
	}

	// A private chat: a burst of two, then one per second.
	for i := range 2 {
		if err := send(501); err != nil {
			t.Fatalf("private message %d: %v, want it sent", i+1, err)
		}
	}
	if got := retryAfter(send(501)); got != 1 {
		t.Errorf("third private message at once: retry_after %d, want 1", got)
	}
	clock.Add(time.Second)
	if err := send(501); err != nil {
		t.Errorf("private message a second later: %v, want it sent", err)
	}

	// A group: 20 a minute.
	clock.Add(time.Minute)
	for i := range 20 {
		if err := send(-100); err != nil {
			t.Fatalf("group message %d: %v, want it sent", i+1, err)
		}
		clock.Add(time.Second)
	}
	// The first went 20 s ago: the window frees up in 40 s.
	if got := retryAfter(send(-100)); got != 40 {
		t.Errorf("21st group message in a minute: retry_after %d, want 40", got)
	}
	clock.Add(40 * time.Second)
	if err := send(-100); err != nil {
		t.Errorf("group message once the minute passed: %v, want it sent", err)
	}

	// 30 a second over all chats; callback answers do not count.
	clock.Add(time.Minute)
	for i := range 30 {
		if err := send(int64(1000 + i)); err != nil {
			t.Fatalf("message %d of the second: %v, want it sent", i+1, err)
		}
	}
	if got := retryAfter(send(2000)); got != 1 {
		t.Errorf("31st message in a second: retry_after %d, want 1", got)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: "q1"}); err != nil {
		t.Errorf("callback answer past the limit: %v, want it answered", err)
	}
	clock.Add(time.Second)
	if err := send(2000); err != nil {
		t.Errorf("message in the next second: %v, want it sent", err)
	}

	if got := srv.Refused(); got != 3 {
		t.Errorf("Refused() = %d, want 3", got)
	}
	refused := 0
	for _, c := range srv.History() {
		if c.ErrorCode == 429 {
			refused++
		}
	}
	if refused != 3 {
		t.Errorf("history holds %d calls answered 429, want 3", refused)
	}
}

func TestServedAtAndKeepHistory(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := srv.SendText(ani, ani.ID, at, "halo")
	if _, ok := srv.ServedAt(id); ok {
		t.Errorf("ServedAt(%d) before any getUpdates: ok, want not served", id)
	}
	b := newClient(t, srv)
	srv.KeepHistory(false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: ani.ID, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if c, err := srv.Next(ctx); err != nil || c.Method != "sendMessage" || c.At.IsZero() {
		t.Errorf("Next = %v, %v; want the sendMessage with its time", c, err)
	}
	if h := srv.History(); len(h) != 0 {
		t.Errorf("History() with KeepHistory(false) = %v, want empty", h)
	}
	release := srv.Hold()
	_, updates := startBot(t, srv, nil)
	second := srv.SendText(ani, ani.ID, at, "lagi")
	release()
	got := map[int64]bool{}
	for range 2 {
		select {
		case u := <-updates:
			got[u.ID] = true
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	if !got[id] || !got[second] {
		t.Errorf("after the hold the bot got updates %v, want %d and %d", got, id, second)
	}
	if _, ok := srv.ServedAt(id); !ok {
		t.Errorf("ServedAt(%d) after the bot confirmed it: not served", id)
	}
}

// newClient builds the real client against srv, without polling.
func newClient(t *testing.T, srv *telegramtest.Server) *tg.Bot {
	t.Helper()
	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatalf("tg.New: %v", err)
	}
	return b
}
