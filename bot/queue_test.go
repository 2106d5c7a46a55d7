package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/google/go-cmp/cmp"
)

// runQueue runs q until the test ends.
func runQueue(t *testing.T, q *queue) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waiting returns how many calls wait in q.
func (q *queue) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// fast returns limits that never make a test wait.
func fast() Limits { return Limits{Global: 1e6, Private: 1e6, Group: 1e6} }

func TestQueueOrdersByPriorityThenArrival(t *testing.T) {
	t.Parallel()
	q := newQueue(fast(), time.Second)
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	jobs := []struct {
		name string
		prio priority
	}{
		{"report", prioReport}, {"remind 1", prioReminder}, {"reply 1", prioReply},
		{"prompt", prioPrompt}, {"remind 2", prioReminder}, {"reply 2", prioReply},
	}
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := q.call(t.Context(), t.Context(), 42, j.prio, "sendMessage", func(context.Context) error {
				mu.Lock()
				order = append(order, j.name)
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Errorf("call %s: %v", j.name, err)
			}
		}()
		for q.waiting() != i+1 { // queued in this order before the queue runs
			time.Sleep(time.Millisecond)
		}
	}
	runQueue(t, q)
	wg.Wait()
	want := []string{"reply 1", "reply 2", "prompt", "remind 1", "remind 2", "report"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("calls to one chat, queued as %v: order (-want +got):\n%s", jobs, diff)
	}
}

func TestQueuePerChatLimit(t *testing.T) {
	t.Parallel()
	// 10 messages per second in a private chat, 5 per second in a group.
	q := newQueue(Limits{Global: 1e6, Private: 10, Group: 5}, time.Second)
	runQueue(t, q)
	send := func(chat int64, n int) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := q.call(t.Context(), t.Context(), chat, prioReply, "sendMessage", func(context.Context) error { return nil }); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	var private, group, other time.Duration
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); private = send(7, 6) }()
	go func() { defer wg.Done(); group = send(-100, 3) }()
	go func() { defer wg.Done(); other = send(8, 2) }()
	wg.Wait()
	// Private: a burst of 2, then 4 more at 100 ms: at least 400 ms.
	if private < 380*time.Millisecond {
		t.Errorf("6 messages to one private chat at 10/s took %v, want at least 400ms", private)
	}
	// Group: 1, then 2 more at 200 ms: at least 400 ms.
	if group < 380*time.Millisecond {
		t.Errorf("3 messages to one group at 5/s took %v, want at least 400ms", group)
	}
	// Another chat within its burst is not held back by the busy ones.
	if other > private/2 {
		t.Errorf("2 messages to another chat took %v while 6 to a limited one took %v, want no wait", other, private)
	}
}

func TestQueueGlobalLimit(t *testing.T) {
	t.Parallel()
	q := newQueue(Limits{Global: 50, Private: 1e6, Group: 1e6}, time.Second)
	runQueue(t, q)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 15 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := q.call(t.Context(), t.Context(), int64(i+1), prioReply, "sendMessage", func(context.Context) error { return nil }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// A burst of 3, then 12 more at 20 ms each.
	if d := time.Since(start); d < 180*time.Millisecond {
		t.Errorf("15 calls to 15 chats at 50/s took %v, want at least 200ms", d)
	}
}

func TestQueueHonoursRetryAfterForTheChat(t *testing.T) {
	t.Parallel()
	q := newQueue(fast(), time.Second)
	runQueue(t, q)
	var attempts []time.Time
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		done <- q.call(t.Context(), t.Context(), 7, prioReply, "sendMessage", func(context.Context) error {
			attempts = append(attempts, time.Now())
			if len(attempts) == 1 {
				return &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 1}
			}
			return nil
		})
	}()
	for q.waiting() == 0 && len(done) == 0 { // the 429 put it back
		time.Sleep(time.Millisecond)
	}
	// Another chat goes at once; the limited one waits retry_after.
	if err := q.call(t.Context(), t.Context(), 8, prioReply, "sendMessage", func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("a call to another chat waited %v behind a 429, want no wait", d)
	}
	if err := <-done; err != nil {
		t.Fatalf("call after a 429: %v, want success on the retry", err)
	}
	if len(attempts) != 2 || attempts[1].Sub(attempts[0]) < 950*time.Millisecond {
		t.Errorf("attempts %v: want 2, at least retry_after (1s) apart", attempts)
	}
}

func TestQueueRetries(t *testing.T) {
	t.Parallel()
	errServer := errors.New("error response from telegram for method sendMessage, 502 Bad Gateway")
	for _, tc := range []struct {
		name     string
		errs     []error // returned by the attempts in turn; then success
		attempts int
		want     error // errors.Is
	}{
		{"server errors then success", []error{errServer, errServer}, 3, nil},
		{"server errors throughout", []error{errServer, errServer, errServer, errServer, errServer}, maxAttempts, errServer},
		{"blocked: no retry", []error{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden)}, 1, tg.ErrorForbidden},
		{"bad request: no retry", []error{fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)}, 1, tg.ErrorBadRequest},
		{"migrated: no retry here", []error{&tg.MigrateError{Message: "bad request", MigrateToChatID: -100}}, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := newQueue(fast(), time.Second)
			runQueue(t, q)
			n := 0
			err := q.call(t.Context(), t.Context(), 7, prioReply, "sendMessage", func(context.Context) error {
				n++
				if n <= len(tc.errs) {
					return tc.errs[n-1]
				}
				return nil
			})
			if n != tc.attempts {
				t.Errorf("attempts: got %d, want %d", n, tc.attempts)
			}
			var mig *tg.MigrateError
			switch {
			case tc.name == "migrated: no retry here":
				if !errors.As(err, &mig) {
					t.Errorf("error: got %v, want the *tg.MigrateError", err)
				}
			case tc.want == nil && err != nil:
				t.Errorf("error: got %v, want nil", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("error: got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestQueueRetriesTimeouts(t *testing.T) {
	t.Parallel()
	q := newQueue(fast(), 50*time.Millisecond)
	runQueue(t, q)
	n := 0
	err := q.call(t.Context(), t.Context(), 7, prioReply, "sendMessage", func(ctx context.Context) error {
		n++
		if n == 1 {
			<-ctx.Done() // a Bot API that does not answer
			return ctx.Err()
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Errorf("a call that timed out once: got %v after %d attempts, want success after 2", err, n)
	}
}

func TestQueueOneCallPerChatOnTheWire(t *testing.T) {
	t.Parallel()
	q := newQueue(fast(), time.Second)
	runQueue(t, q)
	var mu sync.Mutex
	onWire, most := map[int64]int{}, map[int64]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		chat := int64(i%4 + 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = q.call(t.Context(), t.Context(), chat, prioReply, "sendMessage", func(context.Context) error {
				mu.Lock()
				onWire[chat]++
				most[chat] = max(most[chat], onWire[chat])
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
				mu.Lock()
				onWire[chat]--
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	for chat, n := range most {
		if n != 1 {
			t.Errorf("chat %d had %d calls on the wire at once, want 1", chat, n)
		}
	}
}

func TestQueueCallerGivesUp(t *testing.T) {
	t.Parallel()
	q := newQueue(fast(), time.Second) // not running: every call waits
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	err := q.call(ctx, ctx, 7, prioReply, "sendMessage", func(context.Context) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) || q.waiting() != 0 {
		t.Errorf("call whose caller gave up: got %v with %d still waiting, want the deadline and none", err, q.waiting())
	}
}

func TestQueueStop(t *testing.T) {
	t.Parallel()
	q := newQueue(Limits{Global: 1e6, Private: 0.001, Group: 1e6}, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.run(ctx); close(done) }()
	ok := func(context.Context) error { return nil }
	for range privateBurst { // use up chat 7's burst
		if err := q.call(t.Context(), t.Context(), 7, prioReply, "sendMessage", ok); err != nil {
			t.Fatal(err)
		}
	}
	waited := make(chan error, 1)
	go func() { waited <- q.call(t.Context(), t.Context(), 7, prioReply, "sendMessage", ok) }()
	for q.waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if err := <-waited; !errors.Is(err, errQueueStopped) {
		t.Errorf("call waiting at stop: got %v, want errQueueStopped", err)
	}
	if err := q.call(t.Context(), t.Context(), 8, prioReply, "sendMessage", ok); !errors.Is(err, errQueueStopped) {
		t.Errorf("call after stop: got %v, want errQueueStopped", err)
	}
}

// TestQueueWindowHoldsWhateverTheArrival checks the global window: Telegram
// counts a call somewhere between its start and its answer, so a call may
// start only while fewer than Global others started before it were on the
// wire or answered less than a second ago. Calls here take a varying time,
// as on a loaded machine; the check is on the recorded instants, not on
// how fast the machine is.
func TestQueueWindowHoldsWhateverTheArrival(t *testing.T) {
	t.Parallel()
	const window, calls = 4, 10
	q := newQueue(Limits{Global: window, Private: 1e6, Group: 1e6}, time.Second)
	runQueue(t, q)
	type span struct{ start, end time.Time }
	var mu sync.Mutex
	var spans []span
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := q.call(t.Context(), t.Context(), int64(i+1), prioReply, "sendMessage", func(context.Context) error {
				start := time.Now()
				time.Sleep(time.Duration(i%3) * 15 * time.Millisecond)
				mu.Lock()
				spans = append(spans, span{start, time.Now()})
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, l := range spans {
		held := 0
		for _, x := range spans {
			if x.start.Before(l.start) && x.end.Add(time.Second).After(l.start) {
				held++
			}
		}
		if held >= window {
			t.Errorf("a call started at %v with %d earlier calls on the wire or answered within the last second, want fewer than %d",
				l.start.Sub(spans[0].start), held, window)
		}
	}
}
