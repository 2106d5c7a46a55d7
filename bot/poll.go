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

// Polling pipeline tuning: fetching and judging run ahead of recording by
// a batch at most, so that an update waits little behind others.
const (
	fetchAhead = 0   // batches fetched and saved beyond the one in hand (the channel's capacity)
	mergeMax   = 300 // updates handled together at most
)

// poll long-polls Telegram until ctx is done. Each batch of updates is saved
// in the store before it is confirmed to Telegram (the next getUpdates
// offset), then handled under hard, then marked done. Fetching runs ahead
// of handling: while one batch is handled the next one is fetched and
// saved, and batches waiting when handling is free are handled together
// (their check-ins in one transaction). On shutdown it stops polling and
// lets the batches in hand finish.
func (b *Bot) poll(ctx, hard context.Context) error {
	log := b.cfg.Logger
	if err := b.replay(ctx, hard); err != nil {
		return err
	}
	last, err := b.cfg.Store.LastUpdateID(ctx)
	if err != nil {
		return fmt.Errorf("read last update id: %w", err)
	}
	log.Info().Str("bot", b.username).Msg("polling started")
	batches := make(chan []apel.Inbound, fetchAhead)
	go b.fetch(ctx, hard, last, batches)
	// Two stages: while one batch is finished (its check-ins recorded, its
	// other updates handled), the next one is taken apart and its
	// check-ins judged.
	var prev *work
	finished := make(chan struct{})
	close(finished)
	for ups := range batches {
	merge:
		for len(ups) < mergeMax {
			select {
			case more, ok := <-batches:
				if !ok {
					break merge
				}
				ups = append(ups, more...)
			default:
				break merge
			}
		}
		// A sender the router may still be handling in the previous batch
		// waits for it: their location goes to the router too.
		busy := map[int64]bool{}
		if prev != nil {
			busy = prev.routed
		}
		w := b.takeApart(hard, ups, busy)
		<-finished
		finished = make(chan struct{})
		go func(w *work, done chan struct{}) { defer close(done); b.finish(hard, w) }(w, finished)
		prev = w
	}
	<-finished
	log.Info().Msg("polling stopped")
	return nil
}

// fetch long-polls Telegram for the updates after last until ctx is done,
// saves each batch in the store and passes it on; it closes batches when
// it stops.
func (b *Bot) fetch(ctx, hard context.Context, last int64, batches chan<- []apel.Inbound) {
	defer close(batches)
	log := b.cfg.Logger
	backoff := 100 * time.Millisecond
	webhookDeleted := false
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
			b.failure(hard, b.cfg.Now())
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if len(ups) == 0 {
			b.contact(hard, b.cfg.Now())
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
		// Contact, after the batch is saved: an outage ends only once what
		// Telegram kept meanwhile is in the inbox, so a session waiting to
		// close sees it as backlog.
		b.contact(hard, b.cfg.Now())
		batches <- ups // saved and confirmed: handled even when ctx ends meanwhile
	}
}

// replay handles updates saved by an earlier run but never marked done;
// with several replicas, those that no other replica has in hand.
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
		last = ups[len(ups)-1].ID
		// One process: whatever is pending was left by its last run. With
		// replicas, another may have it in hand.
		if b.cfg.Replicas.Enabled {
			ups, err = b.claim(ctx, ups)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("claim pending updates: %w", err)
		}
		if len(ups) == 0 {
			continue
		}
		b.cfg.Logger.Info().Int("updates", len(ups)).Msg("replaying updates saved before a stop")
		b.handleBatch(hard, ups)
	}
	return nil
}

// decoded is a saved update and its decoding; upd is nil when the update
// cannot be decoded.
type decoded struct {
	in  apel.Inbound
	upd *models.Update
}

// work is a batch of updates taken apart: its check-ins judged and ready
// to record, and the updates left to the router, by sender.
type work struct {
	checkIns *checkInWork
	queues   map[int64][]decoded
	order    []int64
	routed   map[int64]bool // senders with updates for the router
}

// handleBatch handles a batch under hard: updates of the same user (or
// chat) in order, different users concurrently. The location each sender
// starts with goes through the check-in path together with the others
// (ingest.go); the rest through the router.
func (b *Bot) handleBatch(hard context.Context, ups []apel.Inbound) {
	b.finish(hard, b.takeApart(hard, ups, nil))
}

// takeApart decodes a batch, queues its updates by sender and judges the
// location each sender starts with on the check-in path, except for the
// senders in busy, whose earlier updates the router may still be handling:
// theirs wait in the router's queue.
func (b *Bot) takeApart(hard context.Context, ups []apel.Inbound, busy map[int64]bool) *work {
	w := &work{queues: map[int64][]decoded{}, routed: map[int64]bool{}}
	for _, in := range ups {
		d := decoded{in: in}
		var upd models.Update
		if err := json.Unmarshal(in.Raw, &upd); err == nil {
			d.upd = &upd
		}
		k := senderKey(d.upd)
		if _, ok := w.queues[k]; !ok {
			w.order = append(w.order, k)
		}
		w.queues[k] = append(w.queues[k], d)
	}
	var locs []decoded
	for _, k := range w.order {
		if q := w.queues[k]; !busy[k] && q[0].upd != nil && batchable(q[0].upd) != nil {
			locs = append(locs, q[0])
			w.queues[k] = q[1:]
		}
	}
	if len(locs) > 0 {
		ctx, cancel := context.WithTimeout(hard, handleTimeout)
		var rest []decoded
		w.checkIns, rest = b.judgeBatch(ctx, locs)
		cancel()
		w.requeue(rest)
	}
	for k, q := range w.queues {
		if len(q) > 0 {
			w.routed[k] = true
		}
	}
	return w
}

// requeue puts updates back at the front of their sender's queue.
func (w *work) requeue(ds []decoded) {
	for _, d := range ds {
		k := senderKey(d.upd)
		w.queues[k] = append([]decoded{d}, w.queues[k]...)
	}
}

// finish records the check-ins of w, then handles the updates left to the
// router: those of one sender in order, different senders concurrently.
func (b *Bot) finish(hard context.Context, w *work) {
	if w.checkIns != nil {
		ctx, cancel := context.WithTimeout(hard, handleTimeout)
		w.requeue(b.recordBatch(ctx, w.checkIns))
		cancel()
	}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, k := range w.order {
		if len(w.queues[k]) == 0 {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(q []decoded) {
			defer func() { <-sem; wg.Done() }()
			for _, d := range q {
				_ = b.handleDecoded(hard, d) // logged; the update stays pending for the next start
			}
		}(w.queues[k])
	}
	wg.Wait()
	if len(w.order) > 0 {
		last := int64(0)
		for _, q := range w.queues {
			for _, d := range q {
				last = max(last, d.in.ID)
			}
		}
		if w.checkIns != nil {
			for _, d := range w.checkIns.taken {
				last = max(last, d.in.ID)
			}
		}
		b.noteHandled(last)
	}
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
	err := b.handleDecoded(hard, d)
	b.noteHandled(u.ID)
	return err
}

// handledMark is the highest update id handled so far, for WaitHandled.
type handledMark struct {
	mu   sync.Mutex
	id   int64
	wake chan struct{} // closed and replaced when id moves
}

// noteHandled records that the updates up to id are handled.
func (b *Bot) noteHandled(id int64) {
	h := &b.handled
	h.mu.Lock()
	defer h.mu.Unlock()
	if id <= h.id {
		return
	}
	h.id = id
	if h.wake != nil {
		close(h.wake)
		h.wake = nil
	}
}

// WaitHandled waits until update id has been handled: its batch is
// finished (the bot fetches and saves the next batch meanwhile, so
// Telegram's confirmation of an update says only that it is saved). For
// tests and the offline demo; replies queued in the outbox may still be on
// their way (see Flush).
func (b *Bot) WaitHandled(ctx context.Context, id int64) error {
	h := &b.handled
	for {
		h.mu.Lock()
		if h.id >= id {
			h.mu.Unlock()
			return nil
		}
		if h.wake == nil {
			h.wake = make(chan struct{})
		}
		wake := h.wake
		h.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
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
