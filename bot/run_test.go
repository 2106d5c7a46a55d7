package bot

import (
	"strings"
	"testing"
	"time"
)

// waitSaved waits until update id is in the inbox.
func (h *harness) waitSaved(id int64) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		last, err := h.db.LastUpdateID(h.t.Context())
		if err == nil && last >= id {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("update %d not saved after 10s", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestShutdownFinishesWorkInHand: a reply slower than a stop but within
// the shutdown timeout is still delivered, and its update marked done.
func TestShutdownFinishesWorkInHand(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.ShutdownTimeout = 10 * time.Second })
	h.srv.DelayNext("sendMessage", 1, 300*time.Millisecond)
	id := h.srv.SendText(stranger(), stranger().ID, h.clock.Now(), "/start")
	h.waitSaved(id)
	start := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stop took %v with 300ms of work in hand", d)
	}
	if got := sent(h.drain(), stranger().ID); len(got) != 1 {
		t.Errorf("reply in hand at the stop: got %q, want it delivered", got)
	}
	if p := pending(t, h); len(p) != 0 {
		t.Errorf("pending after a graceful stop: %d, want 0", len(p))
	}
}

// TestShutdownIsBounded: a reply that hangs does not hold the stop beyond
// the shutdown timeout; its update stays in the inbox and is handled at
// the next start.
func TestShutdownIsBounded(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) { c.ShutdownTimeout = 300 * time.Millisecond; c.CallTimeout = time.Minute })
	h.srv.DelayNext("sendMessage", 1, time.Hour)
	id := h.srv.SendText(stranger(), stranger().ID, h.clock.Now(), "/start")
	h.waitSaved(id)
	start := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stop took %v with a 300ms shutdown timeout", d)
	}
	if p := pending(t, h); len(p) != 1 {
		t.Fatalf("pending after a cut-off stop: %d, want the update", len(p))
	}
	if !strings.Contains(h.logs.String(), `"message":"shutting down"`) {
		t.Errorf("no shutting down line in the logs")
	}
	h.start(nil)
	if got := sent(h.handled(id), stranger().ID); len(got) != 1 {
		t.Errorf("after the restart: got %q, want the reply", got)
	}
}
