package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
)

const webhookSecret = "s3cret-Token_1"

// webhookHarness runs a bot in webhook mode behind an httptest server that
// serves its handler.
func webhookHarness(t *testing.T, edit func(*Config)) (*harness, *httptest.Server) {
	t.Helper()
	h := setup(t)
	h.start(func(c *Config) {
		c.Webhook = Webhook{URL: "https://apel.example.go.id/telegram", Secret: webhookSecret}
		if edit != nil {
			edit(c)
		}
	})
	ts := httptest.NewServer(h.bot.WebhookHandler())
	t.Cleanup(ts.Close)
	return h, ts
}

// post sends update u to the webhook with secret and returns the status.
func post(t *testing.T, ts *httptest.Server, secret string, u models.Update) int {
	t.Helper()
	body, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// start is a /start message from a stranger as update id.
func startUpdate(id int64, at time.Time) models.Update {
	u := stranger()
	from := models.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: "id"}
	return models.Update{ID: id, Message: &models.Message{ID: int(id), From: &from, Date: int(at.Unix()),
		Chat: models.Chat{ID: u.ID, Type: models.ChatTypePrivate}, Text: "/start",
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 6}}}}
}

func TestWebhookSetAtStart(t *testing.T) {
	t.Parallel()
	h, _ := webhookHarness(t, nil)
	c := h.next()
	if c.Method != "setWebhook" || c.Params["url"] != "https://apel.example.go.id/telegram" || c.Params["secret_token"] != webhookSecret {
		t.Errorf("first call: got %v, want setWebhook with the URL and the secret", c)
	}
}

func TestWebhookHandlesBeforeAnswering(t *testing.T) {
	t.Parallel()
	h, ts := webhookHarness(t, nil)
	h.next() // setWebhook
	if code := post(t, ts, webhookSecret, startUpdate(501, h.clock.Now())); code != http.StatusOK {
		t.Fatalf("update with the secret: status %d, want 200", code)
	}
	// Answered 200 only after handling: the reply is already recorded.
	if got := sent(h.drain(), stranger().ID); len(got) != 1 {
		t.Fatalf("reply when the webhook answered: got %q, want the welcome", got)
	}
	if done, err := h.db.UpdateDone(t.Context(), 501); err != nil || !done {
		t.Errorf("update 501: done %v, %v; want done", done, err)
	}
	// Telegram redelivers it (our 200 got lost): answered, not handled again.
	if code := post(t, ts, webhookSecret, startUpdate(501, h.clock.Now())); code != http.StatusOK {
		t.Errorf("redelivered update: status %d, want 200", code)
	}
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("redelivered update: calls %v, want none", calls)
	}
}

func TestWebhookRefusesWithoutSecret(t *testing.T) {
	t.Parallel()
	h, ts := webhookHarness(t, nil)
	h.next() // setWebhook
	for _, secret := range []string{"", "wrong", webhookSecret + "x", webhookSecret[:5]} {
		if code := post(t, ts, secret, startUpdate(502, h.clock.Now())); code != http.StatusForbidden {
			t.Errorf("secret %q: status %d, want 403", secret, code)
		}
	}
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("refused updates: calls %v, want none", calls)
	}
	if last, _ := h.db.LastUpdateID(t.Context()); last != 0 {
		t.Errorf("refused updates were saved: last id %d", last)
	}
	resp, err := ts.Client().Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}

// unsavingStore cannot save updates.
type unsavingStore struct{ Store }

func (unsavingStore) SaveUpdates(context.Context, []apel.Inbound, time.Time) error {
	return errors.New("disk full")
}

func (unsavingStore) ClaimUpdate(context.Context, apel.Inbound, string, time.Time, time.Time) (bool, error) {
	return false, errors.New("disk full")
}

func TestWebhookAsksForRetryWhenItCannotSave(t *testing.T) {
	t.Parallel()
	h, ts := webhookHarness(t, func(c *Config) { c.Store = unsavingStore{c.Store} })
	h.next() // setWebhook
	if code := post(t, ts, webhookSecret, startUpdate(503, h.clock.Now())); code != http.StatusInternalServerError {
		t.Errorf("update that cannot be saved: status %d, want 500 (Telegram retries)", code)
	}
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("unsaved update: calls %v, want none (not handled)", calls)
	}
}

func TestWebhookServesOnListen(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.start(func(c *Config) {
		c.Webhook = Webhook{URL: "https://apel.example.go.id/telegram", Listen: "127.0.0.1:0", Secret: webhookSecret}
	})
	h.next() // setWebhook
	if err := h.stop(); err != nil {
		t.Errorf("Run in webhook mode after stop: %v", err)
	}
	for _, line := range []string{`"message":"webhook serving"`, `"message":"webhook stopped"`} {
		if !strings.Contains(h.logs.String(), line) {
			t.Errorf("logs lack %s", line)
		}
	}
}

func TestPollingDeletesLeftoverWebhook(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.srv.FailNext("getUpdates", 1, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
	h.start(nil)
	if c := h.next(); c.Method != "deleteWebhook" || c.Params["drop_pending_updates"] == "true" {
		t.Errorf("after a 409 for a webhook: got %v, want deleteWebhook keeping the pending updates", c)
	}
	if got := sent(h.text(stranger(), "/start"), stranger().ID); len(got) != 1 {
		t.Errorf("polling after the webhook went: got %q, want the welcome", got)
	}
}
