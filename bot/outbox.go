package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// Outbox delivery tuning.
const (
	outboxBatch     = 200              // messages taken from the store per pass
	outboxRounds    = 8                // delivery rounds before a message is given up
	outboxFirstWait = time.Minute      // before the second round, doubling
	outboxMaxWait   = 30 * time.Minute // between rounds at most
	outboxIdlePoll  = time.Minute      // look at the store at least this often
	outboxStock     = outboxBatch / 2  // deliveries on their way that need no refill
)

// outbox is the state of the outbox deliverer (runOutbox): which messages
// are on their way, and the passes it made, for Flush.
type outbox struct {
	kick   chan struct{} // capacity 1: look at the store now
	ended  chan struct{} // capacity 1: a delivery ended
	fenced chan struct{} // capacity 1: a send claim was refused: another replica leads

	mu       sync.Mutex
	inFlight map[int64]bool
	// chats are the priorities of the deliveries under way to each chat
	// (with their counts): a chat's messages of one priority go one after
	// the other, in the order they were queued, and a more urgent one does
	// not wait behind a less urgent one (a confirmation behind a reminder
	// that waits for every other confirmation): the queue sends it first.
	chats map[int64]map[int]int
	// ended holds, for a delivery that ended, the number of passes started
	// by then: a pass up to that number may have read the message before
	// its outcome was recorded, and must not start it again.
	endedAt  map[int64]uint64
	passes   uint64 // passes started
	idlePass uint64 // the latest pass that found nothing to do
	// stocked says the latest pass left nothing waiting behind a delivery
	// (see runOutbox).
	stocked bool
	// kicked is the most urgent priority queued since the latest pass
	// started (math.MaxInt: none; -1: Flush).
	kicked int
	// prios counts the deliveries under way by priority.
	prios map[int]int
	// unread is the most urgent priority the latest pass may have left
	// unread (it read a full batch, in order of priority): math.MaxInt when
	// it read every due message.
	unread  int
	passEnd chan struct{} // closed and replaced when a pass ends
}

func newOutbox() *outbox {
	return &outbox{kick: make(chan struct{}, 1), ended: make(chan struct{}, 1), fenced: make(chan struct{}, 1),
		inFlight: map[int64]bool{}, chats: map[int64]map[int]int{}, endedAt: map[int64]uint64{}, passEnd: make(chan struct{}),
		kicked: math.MaxInt, prios: map[int]int{}, unread: math.MaxInt}
}

// wake asks the deliverer for a pass: a message of priority prio was
// queued (-1 forces a pass).
func (o *outbox) wake(prio int) {
	o.mu.Lock()
	o.kicked = min(o.kicked, prio)
	o.mu.Unlock()
	poke(o.kick)
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// enqueue saves o in the outbox (nothing happens when its key was queued
// before) and wakes the deliverer.
func (b *Bot) enqueue(ctx context.Context, o apel.Outbound) error {
	if _, err := b.cfg.Store.QueueOutbound(ctx, o, b.cfg.Now()); err != nil {
		return err
	}
	b.outbox.wake(o.Priority)
	return nil
}

// markup encodes a reply markup for the outbox.
func markup(m models.ReplyMarkup) []byte {
	if m == nil {
		return nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil // our own keyboard structs always encode
	}
	return raw
}

// runOutbox delivers the outbox until ctx is done, then waits for the
// deliveries under way, which run under hard. At start it settles the
// messages a crash left in doubt. It stops, returning an error wrapping
// apel.ErrNotLeader, as soon as a send claim is refused because another
// replica has taken the sender over (Config.Replicas); otherwise it
// returns nil.
func (b *Bot) runOutbox(ctx, hard context.Context) error {
	log := b.cfg.Logger
	if resent, doubt, err := b.cfg.Store.RecoverOutbound(ctx, b.cfg.Now()); err != nil {
		log.Error().Err(err).Msg("recover outbox")
	} else if resent+doubt > 0 {
		// A message in doubt may or may not have reached its chat; it is an
		// at-most-once message (a prompt), so it is not sent again.
		log.Warn().Int("resend", resent).Int("in_doubt", doubt).Msg("outbox messages interrupted by a stop")
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		timer.Reset(b.outboxPass(ctx, hard, &wg))
		for pass := false; !pass; {
			select {
			case <-b.outbox.kick:
				pass = !b.outbox.isStocked(true)
			case <-b.outbox.ended:
				pass = !b.outbox.isStocked(false)
			case <-timer.C:
				pass = true
			case <-b.outbox.fenced:
				log.Warn().Msg("outbox sender stopped: another replica leads")
				return fmt.Errorf("deliver outbox: %w", apel.ErrNotLeader)
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// RunOutbox delivers the durable outbox until ctx is done, for a bot that
// shares its store with other replicas (Config.Replicas): the caller runs
// it only while this replica holds the sender's lease, and ends ctx as soon
// as it may have lost it. Run must be running: deliveries go through its
// outbound queue. Sends already on the wire are answered, within the
// shutdown timeout, before RunOutbox returns. It returns nil when ctx
// ends, and an error wrapping apel.ErrNotLeader when the store refused a
// send claim because the lease is another replica's (the caller's lease
// loop has not noticed yet).
func (b *Bot) RunOutbox(ctx context.Context) error {
	hard, cut := context.WithCancel(context.WithoutCancel(ctx))
	defer cut()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(b.cfg.ShutdownTimeout, cut) })
	defer stop()
	return b.runOutbox(ctx, hard)
}

// isStocked reports whether a wake-up can be left without a pass: the
// latest pass held nothing back, enough deliveries at least as urgent as
// any message it left unread are still on their way that the queue is not
// about to run out of them (reminders waiting in the queue behind
// confirmations do not count while confirmations are left unread), and
// (for a kick) nothing was queued since that is more urgent than every
// delivery under way, so nothing new could go before them. A confirmation queued behind waiting
// reminders still gets its pass at once. Without this, every delivery
// ending (30 a second) and every batch of check-ins re-read a batch of rows
// mostly on their way already: during a 50,000-person check-in burst that
// cost about as much CPU as recording the check-ins.
func (o *outbox) isStocked(kick bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.stocked {
		return false
	}
	n := 0
	for prio, c := range o.prios {
		if prio <= o.unread {
			n += c
		}
	}
	if n < outboxStock {
		return false
	}
	if !kick {
		return true
	}
	for prio, n := range o.prios {
		if n > 0 && prio > o.kicked {
			return false
		}
	}
	return true
}

// outboxPass starts the delivery of every due message not on its way yet,
// marks expired ones, and returns how long to wait for the next pass.
func (b *Bot) outboxPass(ctx, hard context.Context, wg *sync.WaitGroup) time.Duration {
	o := b.outbox
	o.mu.Lock()
	o.passes++
	pass := o.passes
	o.kicked = math.MaxInt
	o.mu.Unlock()

	now := b.cfg.Now()
	due, err := b.cfg.Store.DueOutbound(ctx, now, outboxBatch)
	if err != nil && ctx.Err() == nil {
		b.cfg.Logger.Error().Err(err).Msg("read outbox")
	}
	started, stale := 0, 0
	// held are the chats with a message this pass left waiting, by the
	// lowest priority of those: a later message of the chat read in this
	// pass waits too, even when the delivery in its way ends meanwhile.
	held := map[int64]int{}
	for _, m := range due {
		if !m.Expires.IsZero() && !now.Before(m.Expires) {
			b.settle(hard, m, errExpired)
			continue
		}
		o.mu.Lock()
		h, isHeld := held[m.ChatID]
		busy, old := o.inFlight[m.ID] || o.chatBusy(m) || (isHeld && h <= m.Priority), o.endedAt[m.ID] >= pass
		if busy && !o.inFlight[m.ID] && (!isHeld || m.Priority < h) {
			held[m.ChatID] = m.Priority
		}
		if !busy && !old {
			o.inFlight[m.ID] = true
			if o.chats[m.ChatID] == nil {
				o.chats[m.ChatID] = map[int]int{}
			}
			o.chats[m.ChatID][m.Priority]++
			o.prios[m.Priority]++
		}
		o.mu.Unlock()
		if old {
			stale++ // read before its last delivery ended: the next pass decides
		}
		if busy || old {
			continue
		}
		started++
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.deliver(ctx, hard, m)
			o.mu.Lock()
			delete(o.inFlight, m.ID)
			o.prios[m.Priority]--
			if o.chats[m.ChatID][m.Priority]--; o.chats[m.ChatID][m.Priority] == 0 {
				delete(o.chats[m.ChatID], m.Priority)
			}
			if len(o.chats[m.ChatID]) == 0 {
				delete(o.chats, m.ChatID)
			}
			o.endedAt[m.ID] = o.passes
			o.mu.Unlock()
			poke(o.ended)
		}()
	}

	o.mu.Lock()
	for id, p := range o.endedAt {
		if p < pass { // this pass read after that delivery ended
			delete(o.endedAt, id)
		}
	}
	// A pass that held a message back is not idle, even when the delivery
	// in its way has ended by now.
	if err == nil && started == 0 && stale == 0 && len(held) == 0 && len(o.inFlight) == 0 && len(due) < outboxBatch {
		o.idlePass = pass
	}
	o.stocked = err == nil && stale == 0 && len(held) == 0
	o.unread = math.MaxInt
	if len(due) == outboxBatch {
		o.unread = due[len(due)-1].Priority
	}
	close(o.passEnd)
	o.passEnd = make(chan struct{})
	o.mu.Unlock()

	poll := b.cfg.Replicas.OutboxPoll
	next, err := b.cfg.Store.NextOutbound(ctx)
	if err != nil || next.IsZero() || !next.After(now) {
		return poll // a delivery ending, or a new message queued here, wakes the loop
	}
	return min(next.Sub(now), poll)
}

// chatBusy reports whether a delivery of the same or a higher priority than
// m is under way to m's chat. Callers hold o.mu.
func (o *outbox) chatBusy(m apel.Outbound) bool {
	for prio := range o.chats[m.ChatID] {
		if prio <= m.Priority {
			return true
		}
	}
	return false
}

// Flush waits until the evidence of the check-ins recorded so far (their
// flags) is kept and the outbox has nothing due: every message queued so
// far (and due by the bot's clock) is sent, failed or waiting for a later
// round. It is for tests and the offline demo, which need the messages of
// a scheduler Tick to have gone out; Run must be running.
func (b *Bot) Flush(ctx context.Context) error {
	if err := b.evq.wait(ctx); err != nil { // evidenceq.go
		return err
	}
	o := b.outbox
	for {
		o.mu.Lock()
		after, end := o.passes, o.passEnd
		o.mu.Unlock()
		o.wake(-1)
		select {
		case <-end:
		case <-ctx.Done():
			return ctx.Err()
		}
		o.mu.Lock()
		idle := o.idlePass > after
		o.mu.Unlock()
		if idle {
			return nil
		}
	}
}

// errExpired settles a message whose time passed before it could be sent.
var errExpired = errors.New("expired")

// deliver sends one outbox message and records the outcome. Waiting for a
// turn stops with ctx; the sends themselves run under hard, so a shutdown
// never leaves a send half done.
func (b *Bot) deliver(ctx, hard context.Context, m apel.Outbound) {
	l := b.cfg.Logger.With().Str("outbox", m.Key).Int64("to_chat", m.ChatID).Logger()
	ctx, hard = l.WithContext(ctx), l.WithContext(hard)
	tried := func(actx context.Context) error { return b.cfg.Store.MarkOutboundTried(actx, m.ID, b.cfg.Now()) }
	var mk models.ReplyMarkup
	if len(m.Markup) > 0 {
		mk = json.RawMessage(m.Markup)
	}
	prio := priority(m.Priority)
	var msgID int
	var err error
	if m.EditID != 0 {
		msgID = m.EditID
		err = b.editWith(ctx, sendOpts{prio: prio, attempt: hard, before: tried}, m.ChatID, m.EditID, m.Text, mk)
	} else {
		all := split(m.Text, maxMessage)
		done := min(m.PartsSent, len(all)-1)
		parts := all[done:]
		msgID, err = b.sendWith(ctx, sendOpts{prio: prio, attempt: hard, before: tried}, m.ChatID, parts, mk,
			func(n int) error {
				if n == len(parts) {
					return nil // the last part is recorded with MarkOutboundSent
				}
				return b.cfg.Store.MarkOutboundPartSent(hard, m.ID, done+n)
			})
	}
	if errors.Is(err, apel.ErrNotLeader) {
		// Another replica took the sender over before this send started:
		// the message is theirs now, and was not sent from here.
		l.Warn().Msg("outbox message left to the new leader")
		poke(b.outbox.fenced)
		return
	}
	if err == nil {
		if err := b.cfg.Store.MarkOutboundSent(hard, m.ID, msgID, b.cfg.Now()); err != nil {
			l.Error().Err(err).Msg("mark outbox message sent")
		} else {
			l.Debug().Msg("outbox message sent")
		}
		return
	}
	if ctx.Err() != nil && hard.Err() == nil && !permanent(err) {
		// Shutdown while waiting: the next start sends it.
		if err := b.cfg.Store.RetryOutbound(hard, m.ID, b.cfg.Now(), "interrupted"); err != nil {
			l.Error().Err(err).Msg("put back outbox message")
		}
		return
	}
	b.settle(hard, m, err)
}

// settle records a failed delivery round: given up for errors that will not
// change (403, 400) and after outboxRounds rounds, else retried later with
// growing pauses.
func (b *Bot) settle(ctx context.Context, m apel.Outbound, err error) {
	l := zerolog.Ctx(ctx)
	if l.GetLevel() == zerolog.Disabled {
		ll := b.cfg.Logger.With().Str("outbox", m.Key).Int64("to_chat", m.ChatID).Logger()
		l = &ll
	}
	now := b.cfg.Now()
	reason := errorReason(err)
	var serr error
	switch {
	case errors.Is(err, errExpired):
		l.Warn().Msg("outbox message expired unsent")
		serr = b.cfg.Store.FinishOutbound(ctx, m.ID, statusExpired, reason, now)
	case permanent(err) || m.Attempts+1 >= outboxRounds:
		l.Error().Err(err).Int("rounds", m.Attempts+1).Msg("outbox message given up")
		serr = b.cfg.Store.FinishOutbound(ctx, m.ID, statusFailed, reason, now)
	default:
		wait := min(outboxFirstWait<<min(m.Attempts, 10), outboxMaxWait)
		l.Warn().Err(err).Dur("retry_in", wait).Msg("outbox message retried later")
		serr = b.cfg.Store.RetryOutbound(ctx, m.ID, now.Add(wait), reason)
	}
	if serr != nil {
		l.Error().Err(serr).Msg("record outbox outcome")
	}
}

// Outbox end states, as the store names them.
const (
	statusFailed  = "failed"
	statusExpired = "expired"
)

// permanent reports whether err will not go away by trying again: the chat
// refuses the bot, or the request itself is wrong.
func permanent(err error) bool {
	var mig *tg.MigrateError
	return errors.Is(err, tg.ErrorForbidden) || errors.Is(err, tg.ErrorBadRequest) || errors.As(err, &mig) ||
		errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound)
}

// errorReason is the short code of err kept in the outbox: never text a
// person wrote.
func errorReason(err error) string {
	var tmr *tg.TooManyRequestsError
	switch {
	case errors.Is(err, errExpired):
		return "expired"
	case errors.Is(err, tg.ErrorForbidden):
		return fmt.Sprint(http.StatusForbidden)
	case errors.Is(err, tg.ErrorBadRequest):
		return fmt.Sprint(http.StatusBadRequest)
	case errors.As(err, &tmr):
		return fmt.Sprint(http.StatusTooManyRequests)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, errQueueStopped), errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return "error"
}
