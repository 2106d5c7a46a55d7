package bot

import (
	"context"
	"errors"
	"html"
	"strings"
	"time"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// maxMessage is Telegram's limit on a message's text, in characters.
const maxMessage = 4096

// maxAttempts bounds retries of one outbound call (429, 5xx, timeouts).
const maxAttempts = 4

// call runs one outbound Bot API call under the global rate limit, retrying
// after a 429's retry_after and with backoff after server errors. Forbidden
// (blocked, kicked) and bad requests are not retried.
func call[T any](ctx context.Context, b *Bot, method string, f func(context.Context) (T, error)) (T, error) {
	var zero T
	backoff := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		if err := b.limiter.Wait(ctx); err != nil {
			return zero, err
		}
		v, err := f(ctx)
		if err == nil {
			return v, nil
		}
		err = redact(err, b.cfg.Token)
		var tmr *tg.TooManyRequestsError
		var wait time.Duration
		switch {
		case errors.As(err, &tmr):
			wait = time.Duration(tmr.RetryAfter) * time.Second
		case errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorBadRequest),
			errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound), errors.Is(err, tg.ErrorConflict):
			return zero, err
		default:
			wait, backoff = backoff, backoff*2
		}
		if attempt == maxAttempts {
			return zero, err
		}
		zerolog.Ctx(ctx).Warn().Err(err).Str("method", method).Dur("retry_in", wait).Msg("telegram call retried")
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// send sends an HTML message, split under Telegram's length limit; the
// markup goes on the last part. It returns the id of the last message.
func (b *Bot) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) (int, error) {
	parts := split(text, maxMessage)
	id := 0
	for i, p := range parts {
		params := &tg.SendMessageParams{ChatID: chatID, Text: p, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
		if i == len(parts)-1 {
			params.ReplyMarkup = markup
		}
		m, err := call(ctx, b, "sendMessage", func(ctx context.Context) (*models.Message, error) {
			return b.tg.SendMessage(ctx, params)
		})
		var mig *tg.MigrateError
		if errors.As(err, &mig) && mig.MigrateToChatID != 0 {
			// The group became a supergroup: follow it and send there.
			to := int64(mig.MigrateToChatID)
			b.migrate(ctx, chatID, to)
			chatID, params.ChatID = to, to
			m, err = call(ctx, b, "sendMessage", func(ctx context.Context) (*models.Message, error) {
				return b.tg.SendMessage(ctx, params)
			})
		}
		if err != nil {
			return 0, err
		}
		id = m.ID
	}
	return id, nil
}

// sendText sends a message and logs a failure: for replies, whose failure
// the user cannot be told about anyway.
func (b *Bot) sendText(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
	if _, err := b.send(ctx, chatID, text, markup); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Int64("to_chat", chatID).Msg("send reply")
	}
}

// edit replaces the text (and inline keyboard) of a message.
func (b *Bot) edit(ctx context.Context, chatID int64, msgID int, text string, markup models.ReplyMarkup) error {
	_, err := call(ctx, b, "editMessageText", func(ctx context.Context) (*models.Message, error) {
		return b.tg.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: chatID, MessageID: msgID, Text: text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	return err
}

// answer answers a callback query: a toast with text, or opening url (a
// t.me link to the bot's private chat).
func (b *Bot) answer(ctx context.Context, queryID, text, url string) {
	_, err := call(ctx, b, "answerCallbackQuery", func(ctx context.Context) (bool, error) {
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
