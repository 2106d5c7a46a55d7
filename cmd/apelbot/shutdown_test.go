package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store"
)

// TestServeShutdownIsBounded: a SIGTERM while a reply hangs on a Bot API
// that does not answer still ends serve within shutdown_timeout, and the
// update cut off stays in the inbox for the next start.
func TestServeShutdownIsBounded(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "apelbot.db")
	cfg := e2eConfig(t, "Asia/Jakarta", "07:30", "16:00", "shutdown_timeout: 1s\ntelegram:\n  poll_timeout: 2s\n")
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token(), "TELEGRAM_API_URL": srv.URL(), "APELBOT_DB": dbPath,
		"APELBOT_LOG_LEVEL": "disabled"}
	// The reply to Ani hangs; the daily report the scheduler may send
	// at start (after the day's report time) does not take the delay.
	srv.DelayNextTo("sendMessage", 42, 1, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- dispatch(ctx, []string{"serve", "-config", cfg}, &bytes.Buffer{}, &bytes.Buffer{}, env(vars))
	}()

	id := srv.SendText(telegramtest.User{ID: 42, FirstName: "Ani"}, 42, time.Now(), "/start")
	deadline := time.Now().Add(20 * time.Second)
	for saved := false; !saved; {
		if time.Now().After(deadline) {
			t.Fatal("update not saved within 20s")
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended before the update was saved: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if _, err := os.Stat(dbPath); err != nil {
			continue // serve creates it: the test must not
		}
		db, err := store.Open(context.Background(), dbPath)
		if err != nil {
			continue // serve may still be creating it
		}
		last, err := db.LastUpdateID(context.Background())
		db.Close()
		saved = err == nil && last >= id
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after a stop with a reply hanging: %v, want nil", err)
		}
		if d := time.Since(start); d > 1*time.Second+3*time.Second {
			t.Errorf("serve took %v to stop with shutdown_timeout 1s", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop 30s after its context was cancelled")
	}
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := db.PendingUpdates(context.Background(), 0); err != nil || len(p) != 1 || p[0].ID != id {
		t.Errorf("pending updates after the cut-off stop: %v, %v; want update %d", p, err, id)
	}
}

// TestServeFailsWhenWebhookCannotListen: serve returns the error instead of
// running the scheduler without a way to take updates.
func TestServeFailsWhenWebhookCannotListen(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	defer srv.Close()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := e2eConfig(t, "Asia/Jakarta", "07:30", "16:00",
		"telegram:\n  webhook: { url: \"https://apel.example.go.id/tg\", listen: \""+taken.Addr().String()+"\" }\n")
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token(), "TELEGRAM_API_URL": srv.URL(),
		"APELBOT_DB": filepath.Join(t.TempDir(), "apelbot.db"), "APELBOT_LOG_LEVEL": "disabled", "TELEGRAM_WEBHOOK_SECRET": "s3cret"}
	done := make(chan error, 1)
	go func() {
		done <- dispatch(context.Background(), []string{"serve", "-config", cfg}, &bytes.Buffer{}, &bytes.Buffer{}, env(vars))
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "webhook listen") {
			t.Errorf("serve with the webhook port taken: %v, want the listen error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve kept running with the webhook port taken")
	}
	if calls := srv.History(); len(calls) == 0 || calls[0].Method != "setWebhook" || calls[0].Params["secret_token"] != "s3cret" {
		t.Errorf("calls %v, want setWebhook with the secret first", calls)
	}
}
