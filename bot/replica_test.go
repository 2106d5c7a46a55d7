package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// replica starts a second bot in webhook mode on h's store and fake server,
// as another replica behind the same load balancer, and returns its
// webhook endpoint.
func (h *harness) replica(id string, edit func(*Config)) (*Bot, *httptest.Server) {
	h.t.Helper()
	rw := &readyWriter{ready: make(chan struct{})}
	b := h.build(rw, func(c *Config) {
		c.Webhook = Webhook{URL: "https://apel.example.go.id/telegram", Secret: webhookSecret}
		c.Replicas = Replicas{Enabled: true, ID: id}
		if edit != nil {
			edit(c)
		}
	})
	stop := h.stop
	done := h.run(b)
	h.stop = stop
	select {
	case <-rw.ready:
	case err := <-done:
		h.t.Fatalf("replica %s: Run returned: %v", id, err)
	case <-time.After(10 * time.Second):
		h.t.Fatalf("replica %s: webhook not set 10s after start", id)
	}
	ts := httptest.NewServer(b.WebhookHandler())
	h.t.Cleanup(ts.Close)
	return b, ts
}

// An update delivered to two replicas, one after the other or while the
// first has it in hand, is handled once: the inbox and the claims are in
// the store, not in either process.
func TestWebhookUpdateHandledOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	h, tsA := webhookHarness(t, func(c *Config) { c.Replicas = Replicas{Enabled: true, ID: "a"} })
	_, tsB := h.replica("b", nil)
	for _, c := range h.drain() {
		if c.Method != "setWebhook" {
			t.Fatalf("call before any update: %v", c)
		}
	}
	// a leads: it delivers the replies both queue in the outbox.
	ctx, cancel := context.WithCancel(context.Background())
	outboxDone := make(chan error, 1)
	go func() { outboxDone <- h.bot.RunOutbox(ctx) }()
	defer func() { cancel(); <-outboxDone }()
	drain := func() []telegramtest.Call {
		t.Helper()
		fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
		defer fcancel()
		if err := h.bot.Flush(fctx); err != nil {
			t.Fatal(err)
		}
		return h.drain()
	}

	// Delivered to a, then again to b (a's 200 was lost).
	if code := post(t, tsA, webhookSecret, startUpdate(601, h.clock.Now())); code != http.StatusOK {
		t.Fatalf("update 601 at a: status %d, want 200", code)
	}
	if got := sent(drain(), stranger().ID); len(got) != 1 {
		t.Fatalf("update 601: replies %q, want the welcome once", got)
	}
	if code := post(t, tsB, webhookSecret, startUpdate(601, h.clock.Now())); code != http.StatusOK {
		t.Fatalf("update 601 again at b: status %d, want 200", code)
	}
	if calls := drain(); len(calls) != 0 {
		t.Fatalf("update 601 again at b: calls %v, want none", calls)
	}

	// Update 602 is in hand on a third replica (its claim runs): a and b
	// ask Telegram to come back later, and do nothing.
	u := startUpdate(602, h.clock.Now())
	raw, _ := json.Marshal(u)
	if ok, err := h.db.ClaimUpdate(t.Context(), apel.Inbound{ID: 602, Raw: raw}, "c", h.clock.Now(), h.clock.Now().Add(time.Minute)); err != nil || !ok {
		t.Fatalf("c's claim: %v, %v", ok, err)
	}
	for name, ts := range map[string]*httptest.Server{"a": tsA, "b": tsB} {
		if code := post(t, ts, webhookSecret, u); code != http.StatusServiceUnavailable {
			t.Errorf("update 602 in hand elsewhere, at %s: status %d, want 503", name, code)
		}
	}
	if calls := drain(); len(calls) != 0 {
		t.Fatalf("update 602 in hand elsewhere: calls %v, want none", calls)
	}
	// c died: once its claim has run out, the next delivery is handled.
	h.clock.Set(h.clock.Now().Add(time.Minute))
	if code := post(t, tsB, webhookSecret, u); code != http.StatusOK {
		t.Fatalf("update 602 after c's claim ran out: status %d, want 200", code)
	}
	if got := sent(drain(), stranger().ID); len(got) != 1 {
		t.Fatalf("update 602: replies %q, want the welcome once", got)
	}
}

// With replicas, Run delivers no outbox message: the leader's RunOutbox
// does, and it finds a message another replica queued within
// Replicas.OutboxPoll, with nobody to wake it.
func TestReplicaOutboxDeliveredByTheLeader(t *testing.T) {
	t.Parallel()
	h, _ := webhookHarness(t, func(c *Config) { c.Replicas = Replicas{Enabled: true, ID: "a"} })
	leader, _ := h.replica("b", func(c *Config) { c.Replicas.OutboxPoll = 20 * time.Millisecond })
	h.drain()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- leader.RunOutbox(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunOutbox: %v", err)
		}
	}()
	fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer fcancel()
	if err := leader.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	// Queued by a replica that is not the leader (straight in the store:
	// nothing in the leader's process hears of it).
	chat := stranger().ID
	if _, err := h.db.QueueOutbound(t.Context(), apel.Outbound{Key: "reply:1", Priority: int(prioReply), ChatID: chat, Text: "queued elsewhere"}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if c := h.next(); c.Method != "sendMessage" || c.ChatID() != chat || c.Text() != "queued elsewhere" {
		t.Fatalf("after queuing elsewhere: %v, want the message", c)
	}
	if err := leader.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	if _, st, _ := h.db.Outbound(t.Context(), "reply:1"); st != "sent" {
		t.Errorf("message status %q, want sent", st)
	}
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("after the delivery: calls %v, want none (each message once)", calls)
	}
}

// fencedStore is the store of a replica that has lost the sender's lease:
// every send claim is refused.
type fencedStore struct{ Store }

func (fencedStore) MarkOutboundTried(context.Context, int64, time.Time) error {
	return apel.ErrNotLeader
}

// A leader that lost its lease (it stalled, another took over) starts no
// send, leaves the message as it was for the new leader (not retried, not
// failed), and stops its sender.
func TestOutboxLeftToTheNewLeader(t *testing.T) {
	t.Parallel()
	h, _ := webhookHarness(t, func(c *Config) {
		c.Replicas = Replicas{Enabled: true, ID: "a"}
		c.Store = fencedStore{c.Store}
	})
	h.drain()
	chat := stranger().ID
	if _, err := h.db.QueueOutbound(t.Context(), apel.Outbound{Key: "reply:1", Priority: int(prioReply), ChatID: chat, Text: "x"}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.bot.RunOutbox(ctx); !errors.Is(err, apel.ErrNotLeader) {
		t.Fatalf("RunOutbox of a fenced replica: %v, want ErrNotLeader", err)
	}
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("fenced sender: calls %v, want none", calls)
	}
	o, st, err := h.db.Outbound(t.Context(), "reply:1")
	if err != nil || st != "pending" || o.Attempts != 0 {
		t.Errorf("fenced message: %q, %d attempts, %v; want pending, untouched", st, o.Attempts, err)
	}
}
