package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/apelbot/apelbot/apel"
)

// priority orders outbound calls: lower goes first.
type priority int

// Priorities, from what a person is waiting for to what can wait.
const (
	prioReply    priority = iota // answers to what a person just did
	prioPrompt                   // group prompts and their progress
	prioReminder                 // private reminders
	prioReport                   // heads' summaries and the daily report
)

// Limits are the outbound rates the queue keeps to (Telegram's Bots FAQ).
// Zero fields take the defaults.
type Limits struct {
	// Global is the most calls over all chats in any one second; default
	// 30 (Telegram: about 30 messages per second).
	Global  float64
	Private float64 // messages per second to one private chat; default 1
	Group   float64 // messages per second to one group or channel; default 20 per minute
}

func (l Limits) withDefaults() Limits {
	if l.Global <= 0 {
		l.Global = 30
	}
	if l.Private <= 0 {
		l.Private = 1
	}
	if l.Group <= 0 {
		l.Group = 20.0 / 60
	}
	return l
}

// Queue tuning.
const (
	maxAttempts  = 4                      // tries of one call (429, 5xx, timeouts)
	firstBackoff = 500 * time.Millisecond // after a server error or timeout, doubling
	maxInFlight  = 16                     // calls on the wire at once
	privateBurst = 2                      // messages a private chat may get back to back
	// globalBurst is the pacing bucket's size: calls are spread at the
	// Global rate, with a few back to back to catch up after a late wake-up;
	// the one-second window (see queue) is what keeps under the limit.
	globalBurst   = 3
	defaultCallTO = 15 * time.Second // one attempt, unless Config.CallTimeout says otherwise
)

// errQueueStopped is returned for calls still waiting when the queue stops.
var errQueueStopped = errors.New("outbound queue stopped")

// queue is the one way out to Telegram: every call waits here for its
// turn. It takes the highest-priority call whose chat may receive now under
// the global and per-chat limits, keeps one call per chat on the wire so a
// chat's messages arrive in order, honours 429 retry_after for the chat
// (for every chat when the call has none), and retries server errors and
// timeouts with backoff. Forbidden and bad requests are not retried.
//
// Telegram counts a call when it arrives, somewhere between the moment the
// queue starts it and the moment the answer is back; the queue cannot see
// that instant. So a call holds its place in the global window from its
// start until one second after its answer: a call starts only while fewer
// than Global calls are on the wire or answered within the last second.
// Then any Global+1 calls arrive more than a second apart, however the
// network and the scheduler delay them, and a broadcast runs at Global per
// (one second plus a round trip) with no 429. The chat buckets are charged
// likewise at the answer, not at the start.
type queue struct {
	limits      Limits
	callTimeout time.Duration
	global      *rate.Limiter // paces starts at the Global rate
	window      int           // calls allowed in any one second: Global
	// recent are the instants, in order, at which calls answered within
	// the last second leave the window (answer + 1 s).
	recent []time.Time

	mu       sync.Mutex
	jobs     []*job
	seq      uint64
	inFlight int
	busy     map[int64]bool
	chats    map[int64]*rate.Limiter
	blocked  map[int64]time.Time // 429: no call to the chat (0: to any chat) before
	stopped  bool
	wake     chan struct{} // capacity 1
}

// job is one outbound call waiting for its turn.
type job struct {
	chat      int64 // 0: no chat limit (answerCallbackQuery)
	prio      priority
	seq       uint64
	method    string
	notBefore time.Time
	attempts  int
	ctx       context.Context // the caller's: gives up waiting when done
	attempt   context.Context // parent of each attempt
	do        func(context.Context) error
	done      chan error // capacity 1
}

func newQueue(l Limits, callTimeout time.Duration) *queue {
	l = l.withDefaults()
	if callTimeout <= 0 {
		callTimeout = defaultCallTO
	}
	return &queue{
		limits: l, callTimeout: callTimeout,
		global: rate.NewLimiter(rate.Limit(l.Global), globalBurst),
		window: max(int(l.Global), 1),
		busy:   map[int64]bool{}, chats: map[int64]*rate.Limiter{}, blocked: map[int64]time.Time{},
		wake: make(chan struct{}, 1),
	}
}

// call waits for a turn, then runs f (one attempt, with the call timeout)
// and retries as the error says. ctx bounds the whole wait; attempts run
// under attempt (usually ctx too), so that a shutdown can drop calls not yet
// started while letting one on the wire finish.
func (q *queue) call(ctx, attempt context.Context, chat int64, prio priority, method string, f func(context.Context) error) error {
	j := &job{chat: chat, prio: prio, method: method, ctx: ctx, attempt: attempt, do: f, done: make(chan error, 1)}
	if !q.push(j) {
		return errQueueStopped
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		if q.remove(j) {
			return ctx.Err()
		}
		return <-j.done // on the wire: its attempt context decides
	}
}

func (q *queue) push(j *job) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return false
	}
	q.seq++
	j.seq = q.seq
	q.jobs = append(q.jobs, j)
	q.signal()
	return true
}

// remove takes j out of the queue unless it has started.
func (q *queue) remove(j *job) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, x := range q.jobs {
		if x == j {
			q.jobs = append(q.jobs[:i], q.jobs[i+1:]...)
			return true
		}
	}
	return false
}

// signal wakes run; callers hold mu or need not.
func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run dispatches calls until ctx is done; then calls still waiting fail
// with errQueueStopped and run waits for those on the wire.
func (q *queue) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		j, wait := q.next(time.Now())
		if j != nil {
			wg.Add(1)
			go func() { defer wg.Done(); q.exec(j) }()
			continue
		}
		timer.Reset(wait)
		select {
		case <-q.wake:
		case <-timer.C:
		case <-ctx.Done():
			q.stop()
			return
		}
	}
}

func (q *queue) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopped = true
	for _, j := range q.jobs {
		j.done <- errQueueStopped
	}
	q.jobs = nil
}

// next takes the call to start now, or says how long to wait for one.
func (q *queue) next(now time.Time) (*job, time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	wait := time.Hour
	if q.inFlight >= maxInFlight {
		return nil, wait // exec signals when one ends
	}
	var best *job
	for _, j := range q.jobs {
		if j.chat != 0 && q.busy[j.chat] {
			continue // exec signals when the chat is free
		}
		ready := later(j.notBefore, q.blocked[0], q.blocked[j.chat])
		if j.chat != 0 {
			ready = later(ready, now.Add(delay(q.limiter(j.chat), now)))
		}
		if ready.After(now) {
			wait = min(wait, ready.Sub(now))
			continue
		}
		if best == nil || j.prio < best.prio || (j.prio == best.prio && j.seq < best.seq) {
			best = j
		}
	}
	if best == nil {
		return nil, wait
	}
	if d := q.windowWait(now); d > 0 {
		return nil, d
	}
	if d := delay(q.global, now); d > 0 {
		return nil, d
	}
	q.global.AllowN(now, 1)
	if best.chat != 0 {
		q.busy[best.chat] = true // its bucket is charged when it ends
	}
	for i, x := range q.jobs {
		if x == best {
			q.jobs = append(q.jobs[:i], q.jobs[i+1:]...)
			break
		}
	}
	q.inFlight++
	q.prune(now)
	return best, 0
}

// windowWait is how long until one more call fits in the global window at
// now: fewer than window calls on the wire or answered within the last
// second. time.Hour means when a call on the wire ends (exec signals).
// Callers hold mu.
func (q *queue) windowWait(now time.Time) time.Duration {
	i := 0
	for i < len(q.recent) && !q.recent[i].After(now) {
		i++
	}
	q.recent = q.recent[i:]
	over := q.inFlight + len(q.recent) - q.window + 1
	if over <= 0 {
		return 0
	}
	if over > len(q.recent) {
		return time.Hour
	}
	return q.recent[over-1].Sub(now)
}

// limiter returns the token bucket of chat: groups and channels (negative
// ids) get the group rate, private chats the private one. Callers hold mu.
func (q *queue) limiter(chat int64) *rate.Limiter {
	l, ok := q.chats[chat]
	if !ok {
		if chat < 0 {
			l = rate.NewLimiter(rate.Limit(q.limits.Group), 1)
		} else {
			l = rate.NewLimiter(rate.Limit(q.limits.Private), privateBurst)
		}
		q.chats[chat] = l
	}
	return l
}

// prune forgets the buckets of idle chats that are full again, and past
// blocks, so the maps stay small. Callers hold mu.
func (q *queue) prune(now time.Time) {
	if len(q.chats) < 1024 {
		return
	}
	waiting := map[int64]bool{}
	for _, j := range q.jobs {
		waiting[j.chat] = true
	}
	for chat, l := range q.chats {
		if !waiting[chat] && !q.busy[chat] && l.TokensAt(now) >= float64(l.Burst()) {
			delete(q.chats, chat)
		}
	}
	for chat, t := range q.blocked {
		if !t.After(now) {
			delete(q.blocked, chat)
		}
	}
}

// exec runs one attempt of j and settles it: done, or back in the queue.
func (q *queue) exec(j *job) {
	actx, cancel := context.WithTimeout(j.attempt, q.callTimeout)
	err := j.do(actx)
	cancel()
	j.attempts++
	wait, retry := q.verdict(j, err)

	q.mu.Lock()
	defer q.mu.Unlock()
	end := time.Now()
	q.inFlight--
	q.recent = append(q.recent, end.Add(time.Second))
	if j.chat != 0 {
		// Charged at the answer: Telegram counted the call no later.
		q.limiter(j.chat).ReserveN(end, 1)
	}
	delete(q.busy, j.chat)
	defer q.signal()
	if !retry {
		j.done <- err
		return
	}
	var tmr *tg.TooManyRequestsError
	if errors.As(err, &tmr) {
		q.blocked[j.chat] = later(q.blocked[j.chat], time.Now().Add(wait))
	}
	zerolog.Ctx(j.ctx).Warn().Err(err).Str("method", j.method).Int64("to_chat", j.chat).Dur("retry_in", wait).
		Msg("telegram call retried")
	j.notBefore = time.Now().Add(wait)
	if q.stopped {
		j.done <- errQueueStopped
		return
	}
	q.jobs = append(q.jobs, j)
}

// verdict says whether a failed attempt is retried, and after how long.
func (q *queue) verdict(j *job, err error) (time.Duration, bool) {
	if err == nil || j.attempts >= maxAttempts || j.ctx.Err() != nil || j.attempt.Err() != nil {
		return 0, false
	}
	var tmr *tg.TooManyRequestsError
	var mig *tg.MigrateError
	switch {
	case errors.As(err, &tmr):
		return time.Duration(max(tmr.RetryAfter, 1)) * time.Second, true
	case errors.As(err, &mig), errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorBadRequest),
		errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound), errors.Is(err, tg.ErrorConflict),
		errors.Is(err, apel.ErrNotLeader):
		return 0, false
	}
	// Server errors, timeouts, connection failures.
	return firstBackoff << (j.attempts - 1), true
}

// delay is how long until l has a token at now.
func delay(l *rate.Limiter, now time.Time) time.Duration {
	tokens := l.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	if l.Limit() <= 0 {
		return time.Hour
	}
	return time.Duration((1 - tokens) / float64(l.Limit()) * float64(time.Second))
}

// later returns the latest of ts.
func later(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
