package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// handleTimeout bounds the handling of one update, detached from shutdown.
const handleTimeout = 30 * time.Second

// poll long-polls Telegram until ctx is done. Each batch of updates is saved
// in the store before it is confirmed to Telegram (the next getUpdates
// offset), then handled under hard, then marked done. On shutdown it stops
// polling and lets the batch in hand finish.
func (b *Bot) poll(ctx, hard context.Context) error {
	log := b.cfg.Logger
	if err := b.replay(ctx, hard); err != nil {
		return err
	}
	last, err := b.cfg.Store.LastUpdateID(ctx)
	if err != nil {
		return fmt.Errorf("read last update id: %w", err)
	}
	backoff := 100 * time.Millisecond
	webhookDeleted := false
	log.Info().Str("bot", b.username).Msg("polling started")
	for ctx.Err() == nil {
		ups, err := b.getUpdates(ctx, last+1)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, errWebhookActive) && !webhookDeleted {
				// Left over from webhook mode: polling gets 409 until it goes.
				webhookDeleted = true
				b.deleteWebhook(ctx)
				continue
			}
			log.Warn().Err(err).Dur("backoff", backoff).Msg("get updates")
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if len(ups) == 0 {
			continue
		}
		if err := b.cfg.Store.SaveUpdates(hard, ups, b.cfg.Now()); err != nil {
			// Not confirmed: Telegram will send them again.
			log.Error().Err(err).Dur("backoff", backoff).Msg("save updates")
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		last = ups[len(ups)-1].ID
		b.handleBatch(hard, ups)
	}
	log.Info().Msg("polling stopped")
	return nil
}

// replay handles updates saved by an earlier run but never marked done.
// Updates that cannot be marked done are left for the next start rather
// than handled again and again.
func (b *Bot) replay(ctx, hard context.Context) error {
	var last int64
	for ctx.Err() == nil {
		ups, err := b.cfg.Store.PendingUpdates(ctx, 500)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("load pending updates: %w", err)
		}
		for len(ups) > 0 && ups[0].ID <= last {
			ups = ups[1:] // handled in an earlier pass but not marked done
		}
		if len(ups) == 0 {
			return nil
		}
		b.cfg.Logger.Info().Int("updates", len(ups)).Msg("replaying updates saved before a stop")
		b.handleBatch(hard, ups)
		last = ups[len(ups)-1].ID
	}
	return nil
}

// decoded is a saved update and its decoding; upd is nil when the update
// cannot be decoded.
type decoded struct {
	in  apel.Inbound
	upd *models.Update
}

// handleBatch handles a batch under hard: updates of the same user (or
// chat) in order, different users concurrently. The location each sender
// starts with goes through the check-in path together with the others
// (ingest.go); the rest through the router.
func (b *Bot) handleBatch(hard context.Context, ups []apel.Inbound) {
	queues := map[int64][]decoded{}
	var order []int64
	for _, in := range ups {
		d := decoded{in: in}
		var upd models.Update
		if err := json.Unmarshal(in.Raw, &upd); err == nil {
			d.upd = &upd
		}
		k := senderKey(d.upd)
		if _, ok := queues[k]; !ok {
			order = append(order, k)
		}
		queues[k] = append(queues[k], d)
	}
	var locs []decoded
	for _, k := range order {
		if q := queues[k]; q[0].upd != nil && batchable(q[0].upd) != nil {
			locs = append(locs, q[0])
			queues[k] = q[1:]
		}
	}
	if len(locs) > 0 {
		bctx, cancel := context.WithTimeout(hard, handleTimeout)
		rest := b.checkInBatch(bctx, locs)
		cancel()
		for _, d := range rest { // back to the front of their sender's queue
			k := senderKey(d.upd)
			queues[k] = append([]decoded{d}, queues[k]...)
		}
	}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, k := range order {
		if len(queues[k]) == 0 {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(q []decoded) {
			defer func() { <-sem; wg.Done() }()
			for _, d := range q {
				_ = b.handleDecoded(hard, d) // logged; the update stays pending for the next start
			}
		}(queues[k])
	}
	wg.Wait()
}

// handle processes one saved update under hard (which outlives shutdown by
// the shutdown timeout) and marks it done. The error is that of marking it
// done, already logged.
func (b *Bot) handle(hard context.Context, u apel.Inbound) error {
	d := decoded{in: u}
	var upd models.Update
	if err := json.Unmarshal(u.Raw, &upd); err == nil {
		d.upd = &upd
	}
	return b.handleDecoded(hard, d)
}

// handleDecoded is handle with the update decoded.
func (b *Bot) handleDecoded(hard context.Context, d decoded) error {
	hctx, cancel := context.WithTimeout(hard, handleTimeout)
	defer cancel()
	if d.upd == nil {
		b.cfg.Logger.Error().Int64("update_id", d.in.ID).Msg("undecodable update dropped")
	} else {
		b.tg.ProcessUpdate(hctx, d.upd)
	}
	if err := b.cfg.Store.MarkUpdateDone(hctx, d.in.ID, b.cfg.Now()); err != nil {
		b.cfg.Logger.Error().Err(err).Int64("update_id", d.in.ID).Msg("mark update done")
		return err
	}
	return nil
}

// senderKey returns the user (or chat) an update comes from, to keep one
// person's updates in order; 0 for an undecodable update.
func senderKey(u *models.Update) int64 {
	switch {
	case u == nil:
		return 0
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	}
	return 0
}

// getUpdates long-polls Telegram from offset. The library's poller is not
// used because it confirms updates before they are handled.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]apel.Inbound, error) {
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int((b.cfg.PollTimeout - time.Second).Seconds()),
		"allowed_updates": allowedUpdates(),
	})
	url := b.cfg.ServerURL + "/bot" + b.cfg.Token + "/getUpdates"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("build getUpdates request") // the URL holds the token: never wrap it
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", redact(err, b.cfg.Token))
	}
	defer resp.Body.Close()
	var r struct {
		OK          bool              `json:"ok"`
		Description string            `json:"description"`
		Result      []json.RawMessage `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("getUpdates: decode: %w", err)
	}
	if !r.OK {
		// Telegram tells a leftover webhook from a second poller only in
		// the description of its 409.
		if resp.StatusCode == http.StatusConflict && strings.Contains(r.Description, "webhook") {
			return nil, fmt.Errorf("getUpdates: %w: %s", errWebhookActive, r.Description)
		}
		return nil, fmt.Errorf("getUpdates: %d %s", resp.StatusCode, r.Description)
	}
	ups := make([]apel.Inbound, 0, len(r.Result))
	for _, raw := range r.Result {
		var id struct {
			UpdateID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil || id.UpdateID == 0 {
			zerolog.Ctx(ctx).Warn().Msg("update without id skipped")
			continue
		}
		ups = append(ups, apel.Inbound{ID: id.UpdateID, Raw: raw})
	}
	return ups, nil
}

// redact hides the token in an error's text (url.Error quotes the URL).
func redact(err error, token string) error {
	if token == "" {
		return err
	}
	return redactedError{msg: string(bytes.ReplaceAll([]byte(err.Error()), []byte(token), []byte("***"))), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// itoa formats an int64 for callback data and logs.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
