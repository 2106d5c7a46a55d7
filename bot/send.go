package bot

import (
	"context"
	"errors"
	"html"
	"strings"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// maxMessage is Telegram's limit on a message's text, in characters.
const maxMessage = 4096

// sendOpts say how an outbound call waits and runs.
type sendOpts struct {
	prio priority
	// attempt is the parent of each attempt; nil means the call's ctx. The
	// outbox gives a context that outlives shutdown, so a send on the wire
	// is answered while sends still waiting are dropped.
	attempt context.Context
	// before runs at the start of each attempt; an error fails the attempt
	// (the outbox records that a send is under way).
	before func(context.Context) error
}

// call makes one Bot API call through the outbound queue: it waits for its
// turn under Telegram's limits (chat 0 means no chat limit applies), and is
// retried after a 429's retry_after and with backoff after server errors
// and timeouts. Forbidden (blocked, kicked) and bad requests are not
// retried. The token never appears in the error.
func call[T any](ctx context.Context, b *Bot, chat int64, o sendOpts, method string, f func(context.Context) (T, error)) (T, error) {
	var v T
	attempt := o.attempt
	if attempt == nil {
		attempt = ctx
	}
	err := b.queue.call(ctx, attempt, chat, o.prio, method, func(ctx context.Context) error {
		if o.before != nil {
			if err := o.before(ctx); err != nil {
				return err
			}
		}
		var err error
		if v, err = f(ctx); err != nil {
			return redact(err, b.cfg.Token)
		}
		return nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// send sends a reply: an HTML message, split under Telegram's length limit,
// with the markup on the last part. It returns the id of the last message.
func (b *Bot) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) (int, error) {
	return b.sendWith(ctx, sendOpts{prio: prioReply}, chatID, split(text, maxMessage), markup, nil)
}

// sendWith sends parts in order, the markup on the last one, and returns
// the last message's id. sent, when set, is told after each part how many
// have gone. A group upgraded to a supergroup is followed; a chat that
// refuses the bot (403) is recorded.
func (b *Bot) sendWith(ctx context.Context, o sendOpts, chatID int64, parts []string, markup models.ReplyMarkup, sent func(n int) error) (int, error) {
	id := 0
	for i, p := range parts {
		params := &tg.SendMessageParams{ChatID: chatID, Text: p, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
		if i == len(parts)-1 {
			params.ReplyMarkup = markup
		}
		m, err := call(ctx, b, chatID, o, "sendMessage", func(ctx context.Context) (*models.Message, error) {
			return b.tg.SendMessage(ctx, params)
		})
		var mig *tg.MigrateError
		if errors.As(err, &mig) && mig.MigrateToChatID != 0 {
			// The group became a supergroup: follow it and send there.
			to := int64(mig.MigrateToChatID)
			b.migrate(ctx, chatID, to)
			chatID, params.ChatID = to, to
			m, err = call(ctx, b, chatID, o, "sendMessage", func(ctx context.Context) (*models.Message, error) {
				return b.tg.SendMessage(ctx, params)
			})
		}
		if err != nil {
			b.noteRefusal(ctx, chatID, err)
			return 0, err
		}
		id = m.ID
		if sent != nil {
			if err := sent(i + 1); err != nil {
				return id, err
			}
		}
	}
	return id, nil
}

// sendText sends a message and logs a failure: for replies, whose failure
// the user cannot be told about anyway. With replicas it queues the
// message in the durable outbox instead, for the leader to send: the
// replicas' replies then keep to Telegram's limits together (see
// replica.go).
func (b *Bot) sendText(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
	if b.cfg.Replicas.Enabled {
		b.queueText(ctx, chatID, text, markup)
		return
	}
	if _, err := b.send(ctx, chatID, text, markup); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Int64("to_chat", chatID).Msg("send reply")
	}
}

// edit replaces the text (and inline keyboard) of a message, at prio.
func (b *Bot) edit(ctx context.Context, prio priority, chatID int64, msgID int, text string, markup models.ReplyMarkup) error {
	return b.editWith(ctx, sendOpts{prio: prio}, chatID, msgID, text, markup)
}

// editWith is edit with the options of an outbox delivery.
func (b *Bot) editWith(ctx context.Context, o sendOpts, chatID int64, msgID int, text string, markup models.ReplyMarkup) error {
	_, err := call(ctx, b, chatID, o, "editMessageText", func(ctx context.Context) (*models.Message, error) {
		return b.tg.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: chatID, MessageID: msgID, Text: text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	})
	// Telegram has no error code for this harmless case, only the text.
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	if err != nil {
		b.noteRefusal(ctx, chatID, err)
	}
	return err
}

// answer answers a callback query: a toast with text, or opening url (a
// t.me link to the bot's private chat).
func (b *Bot) answer(ctx context.Context, queryID, text, url string) {
	_, err := call(ctx, b, 0, sendOpts{prio: prioReply}, "answerCallbackQuery", func(ctx context.Context) (bool, error) {
		return b.tg.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text, URL: url, ShowAlert: false})
	})
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("answer callback")
	}
}

// esc escapes user-supplied text for HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// split cuts text into parts of at most limit characters, at line breaks
// where possible, so a long report reads cleanly on a phone.
// Lengths are counted in UTF-16 units, as Telegram counts them (an emoji
// is two). No part is empty.
func split(text string, limit int) []string {
	var parts []string
	for utf16Len(text) > limit {
		cut := byteIndexOfUnit(text, limit)
		if nl := strings.LastIndex(text[:cut], "\n"); nl > 0 {
			cut = nl + 1
		}
		if p := strings.TrimRight(text[:cut], "\n"); strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
		text = text[cut:]
	}
	if strings.TrimSpace(text) != "" || len(parts) == 0 {
		parts = append(parts, text)
	}
	return parts
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// byteIndexOfUnit returns the byte offset in s where its first n UTF-16
// units end, never inside a character.
func byteIndexOfUnit(s string, n int) int {
	units := 0
	for pos, r := range s {
		if units+utf16.RuneLen(r) > n {
			return pos
		}
		units += utf16.RuneLen(r)
	}
	return len(s)
}
