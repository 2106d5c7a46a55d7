package main

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// testLeader is a leader on db named holder.
func testLeader(db *store.DB, holder string, ttl, renew time.Duration) *leader {
	return &leader{db: db, holder: holder, ttl: ttl, renew: renew, now: time.Now, log: zerolog.Nop()}
}

// Two replicas on one database file (two pools, as two processes): one
// leads at a time; when it stops, the other takes over; the work never
// runs on both at once.
func TestLeaderOneAtATime(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "apelbot.db")
	open := func() *store.DB {
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	var running, most atomic.Int32
	leading := make(chan string, 4)
	work := func(name string) func(context.Context) error {
		return func(ctx context.Context) error {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			leading <- name
			<-ctx.Done()
			running.Add(-1)
			return nil
		}
	}
	a := testLeader(dbA, "a", 10*time.Second, 100*time.Millisecond)
	b := testLeader(dbB, "b", 10*time.Second, 100*time.Millisecond)
	ctxA, stopA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { doneA <- a.run(ctxA, work("a")) }()
	wait := func() string {
		t.Helper()
		select {
		case name := <-leading:
			return name
		case <-time.After(30 * time.Second):
			t.Fatal("no leader 30s on")
			return ""
		}
	}
	if got := wait(); got != "a" {
		t.Fatalf("first leader %s, want a (alone)", got)
	}
	ctxB, stopB := context.WithCancel(context.Background())
	doneB := make(chan error, 1)
	go func() { doneB <- b.run(ctxB, work("b")) }()
	// b keeps trying while a renews; a stops (and releases the lease): b
	// leads.
	stopA()
	if err := <-doneA; err != nil {
		t.Fatalf("a: %v", err)
	}
	if got := wait(); got != "b" {
		t.Fatalf("second leader %s, want b", got)
	}
	if term, ok := b.current(); !ok || term.Token != 2 {
		t.Errorf("b's term %+v, want token 2", term)
	}
	stopB()
	if err := <-doneB; err != nil {
		t.Fatalf("b: %v", err)
	}
	if m := most.Load(); m != 1 {
		t.Errorf("work ran on %d replicas at once, want 1", m)
	}
}

// A leader that stalled while another took the lease over is fenced in
// the database: its send claims are refused at once, before it notices;
// its next renewal stops its work.
func TestLeaderFencedAfterTakeover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "apelbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	if _, err := db.QueueOutbound(ctx, apel.Outbound{Key: "reply:1", ChatID: 42, Text: "x"}, now); err != nil {
		t.Fatal(err)
	}
	o, _, err := db.Outbound(ctx, "reply:1")
	if err != nil {
		t.Fatal(err)
	}

	a := testLeader(db, "a", time.Hour, time.Minute)
	fa := fencedStore{Store: db, db: db, leader: a}
	if err := fa.MarkOutboundTried(ctx, o.ID, now); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("claim before leading: %v, want ErrNotLeader", err)
	}
	term, ok, err := db.AcquireLease(ctx, leaderLease, "a", now, a.ttl)
	if err != nil || !ok {
		t.Fatalf("a's term: %v, %v", ok, err)
	}
	started, stopped := make(chan struct{}), make(chan struct{})
	ticks := make(chan time.Time)
	done := make(chan error, 1)
	go func() {
		done <- a.lead(ctx, term, now, func(wctx context.Context) error {
			close(started)
			<-wctx.Done()
			close(stopped)
			return nil
		}, ticks)
	}()
	<-started
	if err := fa.MarkOutboundTried(ctx, o.ID, now); err != nil {
		t.Fatalf("leader's claim: %v", err)
	}
	// The term ends behind a's back (as if it had expired while a was
	// stalled) and b takes the lease.
	cur, _ := a.current()
	if err := db.ReleaseLease(ctx, cur); err != nil {
		t.Fatal(err)
	}
	if bt, ok, err := db.AcquireLease(ctx, leaderLease, "b", time.Now(), time.Minute); err != nil || !ok || bt.Token != term.Token+1 {
		t.Fatalf("b's takeover: %+v, %v, %v", bt, ok, err)
	}
	// a still thinks it leads: the database refuses its claim anyway.
	if _, ok := a.current(); !ok {
		t.Fatal("a stopped leading before it renewed")
	}
	if err := fa.MarkOutboundTried(ctx, o.ID, time.Now()); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("stalled leader's claim: %v, want ErrNotLeader", err)
	}
	// Its next renewal is refused: its work stops, and it leads no more.
	select {
	case ticks <- time.Now():
	case <-stopped:
		t.Fatal("a stopped without renewing")
	}
	<-stopped
	if err := <-done; err != nil {
		t.Fatalf("lead: %v", err)
	}
	if _, ok := a.current(); ok {
		t.Error("a still leads after losing the lease")
	}
}

// A leader whose renewals fail (the database is away) stops its work
// once ttl-renew has passed since its last renewal, before any other
// replica may take over.
func TestLeaderStopsWhenItCannotRenew(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "apelbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	a := testLeader(db, "a", time.Hour, time.Minute)
	now := time.Now()
	term, ok, err := db.AcquireLease(ctx, leaderLease, "a", now, a.ttl)
	if err != nil || !ok {
		t.Fatalf("a's term: %v, %v", ok, err)
	}
	db.Close() // every renewal fails from now on
	stopped := make(chan struct{})
	ticks := make(chan time.Time)
	done := make(chan error, 1)
	// The term was acquired a whole ttl ago: no renewal can be in time.
	go func() {
		done <- a.lead(ctx, term, now.Add(-a.ttl), func(wctx context.Context) error {
			<-wctx.Done()
			close(stopped)
			return nil
		}, ticks)
	}()
	ticks <- time.Now()
	<-stopped
	if err := <-done; err != nil {
		t.Fatalf("lead: %v", err)
	}
}
