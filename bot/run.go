package bot

import (
	"context"
	"sync"
	"time"
)

// defaultShutdownTimeout is Config.ShutdownTimeout when unset.
const defaultShutdownTimeout = 20 * time.Second

// housekeepEvery is how often Run purges what it no longer needs.
const housekeepEvery = time.Hour

// inboxRetention is how long handled updates stay in the inbox, and finished
// messages in the outbox. They hold message text, names and coordinates, so
// they are kept only as long as replays and investigations need them; the
// check-ins themselves are kept.
const inboxRetention = 7 * 24 * time.Hour

// Run takes updates from Telegram (long polling, or the webhook when
// Config.Webhook is set) and delivers the outbox, until ctx is done.
//
// Updates are saved in the store before Telegram is told they arrived, then
// handled, then marked done; updates left undone by a crash are handled
// again on the next start. Handlers are idempotent (check-ins are unique per
// session and person), so a replay changes nothing. Queued messages left by
// an earlier run are delivered.
//
// On shutdown Run stops taking updates, lets the updates in hand finish and
// the messages on the wire be answered, leaves queued messages in the
// outbox for the next start, and returns within Config.ShutdownTimeout:
// whatever is still running then is cut off.
func (b *Bot) Run(parent context.Context) error {
	// ctx ends with parent, or when taking updates fails: the outbox stops
	// then too.
	ctx, stop := context.WithCancel(parent)
	defer stop()
	// hard outlives ctx by the shutdown timeout: handlers and sends under
	// way run under it.
	hard, cut := context.WithCancel(context.WithoutCancel(ctx))
	defer cut()
	stopCut := context.AfterFunc(ctx, func() {
		b.cfg.Logger.Info().Dur("timeout", b.cfg.ShutdownTimeout).Msg("shutting down")
		time.AfterFunc(b.cfg.ShutdownTimeout, cut)
	})
	defer stopCut()

	qctx, stopQueue := context.WithCancel(hard)
	var queueDone, others sync.WaitGroup
	queueDone.Add(1)
	go func() { defer queueDone.Done(); b.queue.run(qctx) }()
	others.Add(1)
	go func() { defer others.Done(); b.housekeep(ctx) }()
	stopEvidence := make(chan struct{})
	var evidenceDone sync.WaitGroup
	evidenceDone.Add(1)
	go func() { defer evidenceDone.Done(); b.runEvidence(hard, stopEvidence) }()
	if !b.cfg.Replicas.Enabled {
		others.Add(1)
		go func() { defer others.Done(); _ = b.runOutbox(ctx, hard) }() // no lease: never fenced
	}

	b.reflag(hard) // reflag.go

	var err error
	if b.cfg.Webhook.URL != "" {
		err = b.serveWebhook(ctx, hard)
	} else {
		err = b.poll(ctx, hard)
	}
	stop()
	close(stopEvidence) // the batches recorded keep their flags, under hard
	evidenceDone.Wait()
	others.Wait() // deliveries on the wire are answered, under hard
	stopQueue()
	queueDone.Wait()
	return err
}

// housekeep purges, every hour until ctx is done, the handled updates and
// finished messages older than inboxRetention.
func (b *Bot) housekeep(ctx context.Context) {
	t := time.NewTicker(housekeepEvery)
	defer t.Stop()
	for {
		before := b.cfg.Now().Add(-inboxRetention)
		if n, err := b.cfg.Store.PurgeUpdates(ctx, before); err != nil && ctx.Err() == nil {
			b.cfg.Logger.Error().Err(err).Msg("purge handled updates")
		} else if n > 0 {
			b.cfg.Logger.Info().Int("updates", n).Msg("handled updates purged")
		}
		if n, err := b.cfg.Store.PurgeOutbound(ctx, before); err != nil && ctx.Err() == nil {
			b.cfg.Logger.Error().Err(err).Msg("purge finished messages")
		} else if n > 0 {
			b.cfg.Logger.Info().Int("messages", n).Msg("finished messages purged")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
