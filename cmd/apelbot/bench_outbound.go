package main

import (
	"context"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// telegramRate is the overall rate the theoretical minimums assume:
// Telegram's 30 messages per second.
const telegramRate = 30.0

// deliveryResult is the delivery of n messages of one kind.
type deliveryResult struct {
	Kind      string
	Want      int           // messages expected
	Delivered int           // delivered before the deadline
	Elapsed   time.Duration // from the start to the last one delivered
	Minimum   time.Duration // what Telegram's limits allow: Want/30 s
	Refused   int           // 429 answers during the phase
	Other     map[string]int
}

// Over returns how far Elapsed is above Minimum, in percent.
func (r deliveryResult) Over() float64 {
	if r.Minimum <= 0 {
		return 0
	}
	return (r.Elapsed.Seconds()/r.Minimum.Seconds() - 1) * 100
}

func (r deliveryResult) String() string {
	return fmt.Sprintf("%d/%d %s in %.1f s (minimum %.1f s, %+.1f%%), %d refused with 429", r.Delivered, r.Want, r.Kind,
		r.Elapsed.Seconds(), r.Minimum.Seconds(), r.Over(), r.Refused)
}

// awaitDelivery waits until want successful calls of kind (to chats
// accepted by to, when set) are answered after since, and returns the
// result, with the other kinds delivered meanwhile.
func (b *benchApp) awaitDelivery(ctx context.Context, kind string, want int, since time.Time, refusedBefore int, to func(int64) bool) deliveryResult {
	deadline := time.Duration(float64(want)/telegramRate*2*float64(time.Second)) + time.Minute
	count := func(calls []benchCall) (int, time.Time) {
		n, last := 0, time.Time{}
		for _, c := range calls {
			if c.kind == kind && c.code == 0 && !c.at.Before(since) && (to == nil || to(c.chat)) {
				n++
				last = c.at
			}
		}
		return n, last
	}
	b.calls.waitFor(ctx, deadline, func(calls []benchCall) bool { n, _ := count(calls); return n >= want })
	calls := b.calls.snapshot()
	n, last := count(calls)
	r := deliveryResult{Kind: kind, Want: want, Delivered: n, Minimum: time.Duration(float64(want) / telegramRate * float64(time.Second)),
		Refused: b.srv.Refused() - refusedBefore, Other: map[string]int{}}
	if n > 0 {
		r.Elapsed = last.Sub(since)
	}
	for _, c := range calls {
		if c.code == 0 && c.kind != kind && !c.at.Before(since) && !c.at.After(last) {
			r.Other[c.kind]++
		}
	}
	return r
}

// outboundResult is the outbound run.
type outboundResult struct {
	OpenTick      time.Duration // the scheduler tick that opens 1,000 sessions
	Prompts       deliveryResult
	RemindTick    time.Duration // the tick that queues a reminder for everyone
	Reminders     int
	Summaries     int // heads' summaries queued with the reminders
	Confirmations deliveryResult
}

// outbound measures, on one run: posting apel pagi to every OPD group;
// then, with a reminder queued for everyone and a summary for every head,
// confirming confirm check-ins, which must overtake both.
func (b *benchApp) outbound(ctx context.Context, confirm int) (outboundResult, error) {
	var r outboundResult
	start := time.Now()
	d, err := b.tick(ctx, b.at(7, 15))
	if err != nil {
		return r, fmt.Errorf("open tick: %w", err)
	}
	r.OpenTick = d
	r.Prompts = b.awaitDelivery(ctx, "prompt", len(b.cfg.OPDs), start, 0, nil)

	if r.RemindTick, err = b.tick(ctx, b.at(8, 15)); err != nil {
		return r, fmt.Errorf("remind tick: %w", err)
	}
	r.Reminders = len(b.p.people)
	sessions, err := b.app.db.Sessions(ctx, benchDay)
	if err != nil {
		return r, err
	}
	opds := map[string]apel.OPD{}
	for _, o := range b.cfg.OPDs {
		opds[o.Code] = o
	}
	for _, ss := range sessions {
		heads, err := b.app.db.Heads(ctx, ss.OPD)
		if err != nil {
			return r, err
		}
		sum := apel.Summarize(opds[ss.OPD], ss, nil, nil, nil, nil)
		for _, h := range heads {
			if err := b.app.bot.SendSummary(ctx, h, sum); err != nil {
				return r, err
			}
			r.Summaries++
		}
	}

	// Staff spread over every OPD check in; their confirmations must go
	// before the reminders and summaries already waiting.
	var people []benchPerson
	step := max(len(b.p.people)/confirm, 1)
	for i := 1; i < len(b.p.people) && len(people) < confirm; i += step {
		if !b.p.people[i].Head {
			people = append(people, b.p.people[i])
		}
	}
	chats := map[int64]bool{}
	for _, ps := range people {
		chats[ps.User] = true
	}
	refused := b.srv.Refused()
	release := b.srv.Hold()
	b.pushLocations(people, b.at(8, 16))
	start = time.Now()
	release()
	r.Confirmations = b.awaitDelivery(ctx, "reply", len(people), start, refused, func(c int64) bool { return chats[c] })
	return r, nil
}
