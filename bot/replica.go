package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// Several replicas (webhook mode behind a load balancer) share one store.
// Any replica may receive any update: the inbox, keyed by update id, and
// the claim each replica takes before handling one (Store.ClaimUpdate)
// make it handled once wherever it arrives, however often Telegram sends
// it. What a handler needs to remember between updates (conversations,
// plans) lives in the store. Replies to check-ins, prompts, reminders,
// summaries, reports and the text replies to commands go through the
// durable outbox, which only the leader delivers (RunOutbox), so that
// Telegram's limits hold across replicas. A few answers are still sent by
// the replica that handled the update: callback answers (not limited),
// the edits of a message whose button was tapped, the forms sent to an
// approver and the monthly evaluation with its documents (a handful a
// day).

// claimFor is how long a replica keeps an update it is handling from the
// others: longer than a handler may run, so that a slow handling is not
// repeated elsewhere, and short enough that the update of a replica that
// died is handled soon by another (Telegram sends it again).
const claimFor = handleTimeout + handleTimeout/2

// claim returns the updates of ups this replica now holds a claim on,
// leaving out those done meanwhile or in hand on another replica.
func (b *Bot) claim(ctx context.Context, ups []apel.Inbound) ([]apel.Inbound, error) {
	now := b.cfg.Now()
	out := ups[:0:0]
	for _, u := range ups {
		ok, err := b.cfg.Store.ClaimUpdate(ctx, u, b.cfg.Replicas.ID, now, now.Add(claimFor))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// queueText queues a text reply in the outbox under a key of its own, and
// logs a failure as sendText does.
func (b *Bot) queueText(ctx context.Context, chatID int64, text string, mk models.ReplyMarkup) {
	o := apel.Outbound{Key: "text:" + b.cfg.Replicas.ID + ":" + randomID(), Priority: int(prioReply), ChatID: chatID,
		Text: text, Markup: markup(mk)}
	if err := b.enqueue(ctx, o); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Int64("to_chat", chatID).Msg("queue reply")
	}
}

// randomID returns a random replica id.
func randomID() string {
	var p [6]byte
	_, _ = rand.Read(p[:]) // never fails (crypto/rand)
	return hex.EncodeToString(p[:])
}
