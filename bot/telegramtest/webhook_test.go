package telegramtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	tg "github.com/go-telegram/bot"
)

// With DeliverWebhook, setWebhook makes the fake POST every update to the
// target with the secret, again after a refusal, and count it confirmed
// once answered 2xx.
func TestWebhookDelivery(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var mu sync.Mutex
	got := map[int64]int{}
	refused := false
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "hush" {
			t.Errorf("delivery without the secret: %q", r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		}
		body, _ := io.ReadAll(r.Body)
		var u struct {
			ID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(body, &u); err != nil {
			t.Errorf("delivery body: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if u.ID == 2 && !refused {
			refused = true
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		got[u.ID]++
	}))
	defer target.Close()
	srv.DeliverWebhook(target.URL, 2)
	for range 3 {
		srv.SendText(ani, ani.ID, at, "halo")
	}
	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetWebhook(timeout(t), &tg.SetWebhookParams{URL: "https://apel.example.go.id/tg", SecretToken: "hush"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConfirmed(timeout(t), 3); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got[1] != 1 || got[2] != 1 || got[3] != 1 || !refused {
		t.Errorf("deliveries answered 200 by update: %v (refused once: %v), want each once", got, refused)
	}
	if attempts, nok := srv.WebhookDeliveries(); attempts != 4 || nok != 1 {
		t.Errorf("deliveries: %d made, %d refused; want 4 and 1", attempts, nok)
	}
	if srv.Pending() != 0 {
		t.Errorf("pending after delivery: %d", srv.Pending())
	}
}
