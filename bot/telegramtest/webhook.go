package telegramtest

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// webhook is the state of webhook delivery (DeliverWebhook).
type webhook struct {
	target    string // where deliveries go; empty: webhook delivery is off
	conns     int
	url       string // as given to setWebhook; empty: no webhook set
	secret    string
	started   bool
	inFlight  map[int64]bool
	delivered map[int64]bool
	retryAt   map[int64]time.Time
	attempts  int // deliveries made
	refused   int // deliveries answered with anything but 2xx, or not answered
}

// webhookRetry is how long the fake waits before delivering again an
// update whose delivery failed (Telegram waits longer, growing).
const webhookRetry = 100 * time.Millisecond

// DeliverWebhook makes the server deliver updates as Telegram does in
// webhook mode, once the bot has called setWebhook: each queued update is
// POSTed as JSON, with the secret token of setWebhook in
// X-Telegram-Bot-Api-Secret-Token, to target (the address the webhook URL
// leads to: the bot, or the load balancer in front of several), by up to
// conns deliveries at a time (Telegram's max_connections; default 40).
// An update answered 2xx is delivered and confirmed (WaitConfirmed); any
// other answer, or none, makes the server deliver it again a little later.
// deleteWebhook stops the deliveries. Without DeliverWebhook, setWebhook is
// only recorded.
func (s *Server) DeliverWebhook(target string, conns int) {
	if conns <= 0 {
		conns = 40
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook.target, s.hook.conns = target, conns
	s.hook.inFlight, s.hook.delivered, s.hook.retryAt = map[int64]bool{}, map[int64]bool{}, map[int64]time.Time{}
	s.startWebhookLocked()
}

// WebhookDeliveries returns how many webhook deliveries were made, and how
// many of them were not answered 2xx.
func (s *Server) WebhookDeliveries() (attempts, refused int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.attempts, s.hook.refused
}

func (s *Server) setWebhook(req request) (any, *apiError) {
	if req.params["url"] == "" {
		return nil, badRequest("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook.url, s.hook.secret = req.params["url"], req.params["secret_token"]
	s.startWebhookLocked()
	return true, nil
}

func (s *Server) deleteWebhook(request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook.url = ""
	s.broadcastLocked()
	return true, nil
}

// startWebhookLocked starts the delivery workers once both DeliverWebhook
// and setWebhook were called.
func (s *Server) startWebhookLocked() {
	if s.hook.started || s.hook.target == "" || s.hook.url == "" {
		return
	}
	s.hook.started = true
	for range s.hook.conns {
		go s.webhookWorker()
	}
}

// webhookWorker delivers updates one at a time until the server closes.
func (s *Server) webhookWorker() {
	client := &http.Client{Timeout: 60 * time.Second}
	for {
		s.mu.Lock()
		q, ok := s.nextDeliveryLocked(time.Now())
		wake, target, secret := s.wake, s.hook.target, s.hook.secret
		s.mu.Unlock()
		if !ok {
			t := time.NewTimer(webhookRetry)
			select {
			case <-wake:
			case <-t.C:
			case <-s.done:
				t.Stop()
				return
			}
			t.Stop()
			continue
		}
		ok = post(client, s.done, target, secret, q.raw)
		s.mu.Lock()
		delete(s.hook.inFlight, q.id)
		s.hook.attempts++
		if ok {
			s.hook.delivered[q.id] = true
			s.confirmDeliveredLocked()
		} else {
			s.hook.refused++
			s.hook.retryAt[q.id] = time.Now().Add(webhookRetry)
		}
		s.broadcastLocked()
		s.mu.Unlock()
	}
}

// nextDeliveryLocked takes the first queued update that is neither on its
// way, delivered, nor waiting to be retried.
func (s *Server) nextDeliveryLocked(now time.Time) (queuedUpdate, bool) {
	if s.hook.url == "" || s.held {
		return queuedUpdate{}, false
	}
	for _, q := range s.queue {
		if s.hook.inFlight[q.id] || s.hook.delivered[q.id] || now.Before(s.hook.retryAt[q.id]) {
			continue
		}
		s.hook.inFlight[q.id] = true
		if _, ok := s.served[q.id]; !ok {
			s.served[q.id] = now
		}
		return q, true
	}
	return queuedUpdate{}, false
}

// confirmDeliveredLocked forgets the delivered updates at the head of the
// queue, so that WaitConfirmed and Confirmed speak of webhook deliveries as
// of getUpdates confirmations.
func (s *Server) confirmDeliveredLocked() {
	i := 0
	for i < len(s.queue) && s.hook.delivered[s.queue[i].id] {
		delete(s.hook.delivered, s.queue[i].id)
		delete(s.hook.retryAt, s.queue[i].id)
		i++
	}
	if i > 0 {
		s.offset = s.queue[i-1].id + 1
		s.queue = s.queue[i:]
	}
}

// post makes one delivery and reports whether it was answered 2xx.
func post(client *http.Client, done <-chan struct{}, target, secret string, raw []byte) bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-done:
			cancel()
		case <-stop:
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}
