package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

func TestLeaseOneHolderAtATime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	const ttl = 15 * time.Second
	t0 := at(7, 0)

	a, ok, err := db.AcquireLease(ctx, "scheduler", "a", t0, ttl)
	if err != nil || !ok || a.Token != 1 || a.Holder != "a" {
		t.Fatalf("first acquire: %+v, %v, %v; want a's term 1", a, ok, err)
	}
	// b waits while a's term runs, even a millisecond before it ends.
	cur, ok, err := db.AcquireLease(ctx, "scheduler", "b", t0.Add(ttl-time.Millisecond), ttl)
	if err != nil || ok || cur.Holder != "a" || cur.Token != 1 {
		t.Fatalf("acquire during a's term: %+v, %v, %v; want refused, a's term 1", cur, ok, err)
	}
	// a renews; b still cannot take it at the old expiry.
	if a, err = db.RenewLease(ctx, a, t0.Add(10*time.Second), ttl); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.AcquireLease(ctx, "scheduler", "b", t0.Add(ttl), ttl); ok {
		t.Fatal("b took a lease a had renewed")
	}
	// a stops renewing: b takes over once the term has expired, with a new token.
	b, ok, err := db.AcquireLease(ctx, "scheduler", "b", t0.Add(25*time.Second), ttl)
	if err != nil || !ok || b.Token != 2 || b.Holder != "b" {
		t.Fatalf("acquire after expiry: %+v, %v, %v; want b's term 2", b, ok, err)
	}
	// a comes back: its renewal fails, it cannot take the lease back while
	// b's term runs.
	if _, err := db.RenewLease(ctx, a, t0.Add(26*time.Second), ttl); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("stale renew: %v, want ErrNotLeader", err)
	}
	if _, ok, _ := db.AcquireLease(ctx, "scheduler", "a", t0.Add(26*time.Second), ttl); ok {
		t.Fatal("a took the lease back during b's term")
	}
	// A release hands over at once; a stale release changes nothing.
	if err := db.ReleaseLease(ctx, a); err != nil {
		t.Fatal(err)
	}
	if cur, _ := db.CurrentLease(ctx, "scheduler"); cur.Holder != "b" || cur.Expires.IsZero() || cur.Expires.Unix() == 0 {
		t.Fatalf("after a stale release: %+v, want b's running term", cur)
	}
	if err := db.ReleaseLease(ctx, b); err != nil {
		t.Fatal(err)
	}
	c, ok, err := db.AcquireLease(ctx, "scheduler", "c", t0.Add(27*time.Second), ttl)
	if err != nil || !ok || c.Token != 3 {
		t.Fatalf("acquire after release: %+v, %v, %v; want c's term 3", c, ok, err)
	}
	// Leases are independent by name.
	if _, ok, err := db.AcquireLease(ctx, "other", "a", t0.Add(27*time.Second), ttl); err != nil || !ok {
		t.Fatalf("another lease: %v, %v", ok, err)
	}
	if _, err := db.CurrentLease(ctx, "never"); !errors.Is(err, apel.ErrNotFound) {
		t.Fatalf("CurrentLease of a lease never held: %v, want ErrNotFound", err)
	}
}

// Two processes on one database file race for the lease from many
// goroutines each: exactly one acquisition wins per term.
func TestLeaseRaceAcrossConnections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "apelbot.db")
	dbs := []*store.DB{mustOpenAt(t, path), mustOpenAt(t, path)}
	t0 := at(7, 0)
	for round := range 5 {
		now := t0.Add(time.Duration(round) * time.Minute)
		wins := make(chan store.Lease, 20)
		errs := make(chan error, 20)
		for i := range 20 {
			go func() {
				l, ok, err := dbs[i%2].AcquireLease(ctx, "scheduler", string(rune('a'+i)), now, 15*time.Second)
				if err != nil {
					errs <- err
					return
				}
				if ok {
					wins <- l
				}
				errs <- nil
			}()
		}
		for range 20 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		close(wins)
		var got []store.Lease
		for l := range wins {
			got = append(got, l)
		}
		if len(got) != 1 || got[0].Token != int64(round+1) {
			t.Fatalf("round %d: winners %+v, want exactly one with token %d", round, got, round+1)
		}
	}
}

func TestOutboundTriedFencedByLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	const ttl = 15 * time.Second
	t0 := at(7, 0)
	if _, err := db.QueueOutbound(ctx, apel.Outbound{Key: "reply:1", ChatID: 42, Text: "ok"}, t0); err != nil {
		t.Fatal(err)
	}
	o, _, err := db.Outbound(ctx, "reply:1")
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := db.AcquireLease(ctx, "sender", "a", t0, ttl)
	if err := db.MarkOutboundTriedAsLeader(ctx, o.ID, t0, a); err != nil {
		t.Fatalf("leader's claim: %v", err)
	}
	// a stalls past its term; b takes over and settles the message.
	b, ok, _ := db.AcquireLease(ctx, "sender", "b", t0.Add(time.Minute), ttl)
	if !ok {
		t.Fatal("b could not take an expired lease")
	}
	if err := db.MarkOutboundTriedAsLeader(ctx, o.ID, t0.Add(time.Minute), a); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("stale leader's claim: %v, want ErrNotLeader", err)
	}
	if err := db.MarkOutboundTriedAsLeader(ctx, o.ID, t0.Add(time.Minute), b); err != nil {
		t.Fatalf("new leader's claim: %v", err)
	}
	if err := db.MarkOutboundSent(ctx, o.ID, 7, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A sent message cannot be claimed again, by anyone.
	if err := db.MarkOutboundTriedAsLeader(ctx, o.ID, t0.Add(time.Minute), b); !errors.Is(err, apel.ErrNotFound) {
		t.Fatalf("claim of a sent message: %v, want ErrNotFound", err)
	}
	if err := db.MarkOutboundTriedAsLeader(ctx, o.ID, t0.Add(time.Minute), a); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("stale claim of a sent message: %v, want ErrNotLeader", err)
	}
}

func TestClaimUpdateOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	t0 := at(7, 0)
	u := store.Update{ID: 9, Raw: []byte(`{"update_id":9}`)}
	claim := func(holder string, now time.Time) bool {
		t.Helper()
		ok, err := db.ClaimUpdate(ctx, u, holder, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("a", t0) {
		t.Fatal("a could not claim a new update")
	}
	if ups, _ := db.PendingUpdates(ctx, 0); len(ups) != 1 || string(ups[0].Raw) != string(u.Raw) {
		t.Fatalf("inbox after the claim: %+v, want the update saved", ups)
	}
	if claim("b", t0.Add(time.Second)) {
		t.Fatal("b claimed an update a is handling")
	}
	if claim("a", t0.Add(time.Second)) {
		t.Fatal("a claimed again an update it is handling (a redelivery in hand twice)")
	}
	// a died: its claim runs out and b may handle the update.
	if !claim("b", t0.Add(time.Minute)) {
		t.Fatal("b could not claim after a's claim ran out")
	}
	if err := db.MarkUpdateDone(ctx, 9, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if claim("c", t0.Add(3*time.Minute)) {
		t.Fatal("c claimed a done update")
	}
}
