package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/apelbot/apelbot/apel"
)

// Webhook is webhook mode: Telegram posts each update to URL, and the bot
// answers only once the update is saved and handled, so Telegram keeps
// retrying an update until it is.
type Webhook struct {
	// URL is the public HTTPS address Telegram posts to (ports 443, 80, 88
	// or 8443); the handler serves its path. Empty means long polling.
	URL string
	// Listen is the local address to serve on, e.g. ":8443"; empty means
	// the caller serves WebhookHandler itself.
	Listen string
	// Secret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token with
	// every update; requests without it are refused. 1-256 characters
	// A-Z, a-z, 0-9, _ and -.
	Secret string
}

// Webhook tuning.
const (
	maxUpdateBytes   = 1 << 20 // an update is a few kilobytes; a photo caption at most
	webhookReadLimit = 30 * time.Second
)

// errWebhookActive is getUpdates' 409 while a webhook is set.
var errWebhookActive = errors.New("a webhook is set")

// allowedUpdates are the update kinds the bot asks Telegram for.
func allowedUpdates() []string {
	return []string{"message", "edited_message", "callback_query", "my_chat_member"}
}

// deleteWebhook removes a webhook left from webhook mode, keeping the updates
// Telegram holds, so polling can take them.
func (b *Bot) deleteWebhook(ctx context.Context) {
	_, err := call(ctx, b, 0, sendOpts{prio: prioReply}, "deleteWebhook", func(ctx context.Context) (bool, error) {
		return b.tg.DeleteWebhook(ctx, &tg.DeleteWebhookParams{DropPendingUpdates: false})
	})
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("delete webhook")
		return
	}
	b.cfg.Logger.Warn().Msg("webhook deleted: polling instead")
}

// serveWebhook runs webhook mode until ctx is done: it handles the updates
// an earlier run saved but did not finish, sets the webhook, and serves it
// on Config.Webhook.Listen (when set). On shutdown it stops accepting
// updates and waits, under hard, for those in hand. The webhook stays set,
// so Telegram keeps new updates until the bot is back.
func (b *Bot) serveWebhook(ctx, hard context.Context) error {
	log := b.cfg.Logger
	wh := b.cfg.Webhook
	if err := b.replay(ctx, hard); err != nil {
		return err
	}
	_, err := call(ctx, b, 0, sendOpts{prio: prioReply}, "setWebhook", func(ctx context.Context) (bool, error) {
		return b.tg.SetWebhook(ctx, &tg.SetWebhookParams{URL: wh.URL, SecretToken: wh.Secret, AllowedUpdates: allowedUpdates()})
	})
	if err != nil {
		return fmt.Errorf("set webhook: %w", err)
	}
	log.Info().Str("bot", b.username).Msg("webhook set")
	// Updates come only when someone writes, so quiet is no sign of an
	// outage: the process notes it is alive and serving instead, and the
	// time it was down shows at the next start.
	go b.heartbeat(ctx)
	if wh.Listen == "" {
		<-ctx.Done()
		return nil
	}
	ln, err := net.Listen("tcp", wh.Listen)
	if err != nil {
		return fmt.Errorf("webhook listen: %w", err)
	}
	srv := &http.Server{Handler: b.WebhookHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: webhookReadLimit,
		WriteTimeout: handleTimeout + webhookReadLimit}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info().Str("listen", ln.Addr().String()).Msg("webhook serving")
	select {
	case err := <-served:
		return fmt.Errorf("webhook serve: %w", err)
	case <-ctx.Done():
	}
	if err := srv.Shutdown(hard); err != nil {
		log.Error().Err(err).Msg("webhook shutdown")
	}
	log.Info().Msg("webhook stopped")
	return nil
}

// WebhookHandler is the webhook endpoint. It refuses requests without the
// secret token (compared in constant time), saves the update in the inbox
// and claims it for this replica (Store.ClaimUpdate), handles it, marks it
// done, and only then answers 200. When the update cannot be saved or
// marked done it answers 500, so Telegram sends it again; an update
// already done is answered 200 at once, and one that this or another
// replica has in hand 503, so that it is handled once and Telegram asks
// again later. Run must be
// running (in either mode): replies go through its outbound queue.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := b.cfg.Logger
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if b.cfg.Webhook.Secret == "" || subtle.ConstantTimeCompare(got, []byte(b.cfg.Webhook.Secret)) != 1 {
			log.Warn().Str("remote", r.RemoteAddr).Msg("webhook request without the secret token refused")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		if err != nil {
			log.Warn().Err(err).Msg("webhook body unreadable")
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var id struct {
			UpdateID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil || id.UpdateID == 0 {
			// Telegram would retry a refusal for ever; the poller skips these too.
			log.Warn().Msg("update without id skipped")
			w.WriteHeader(http.StatusOK)
			return
		}
		// The handling outlives Telegram hanging up, like a polled update.
		ctx := context.WithoutCancel(r.Context())
		u := apel.Inbound{ID: id.UpdateID, Raw: raw}
		now := b.cfg.Now()
		claimed, err := b.cfg.Store.ClaimUpdate(ctx, u, b.cfg.Replicas.ID, now, now.Add(claimFor))
		if err != nil {
			log.Error().Err(err).Int64("update_id", u.ID).Msg("save updates")
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		if !claimed {
			// Done, or in hand here or on another replica (a redelivery
			// that overtook the first delivery): handled once either way.
			done, err := b.cfg.Store.UpdateDone(ctx, u.ID)
			if err != nil {
				log.Error().Err(err).Int64("update_id", u.ID).Msg("read update state")
				http.Error(w, "try again", http.StatusInternalServerError)
				return
			}
			if !done {
				log.Info().Int64("update_id", u.ID).Msg("update in hand elsewhere: asked to retry later")
				http.Error(w, "in hand", http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
			return
		}
		if b.handle(ctx, u) != nil {
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
