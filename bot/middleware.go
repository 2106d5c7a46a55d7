package bot

import (
	"context"
	"fmt"
	"runtime/debug"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// recoverMiddleware turns a handler panic into a logged error and an apology,
// so no update can crash the process (the library recovers nothing).
func (b *Bot) recoverMiddleware(next tg.HandlerFunc) tg.HandlerFunc {
	return func(ctx context.Context, c *tg.Bot, u *models.Update) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			zerolog.Ctx(ctx).Error().Err(fmt.Errorf("panic: %v", r)).Bytes("stack", debug.Stack()).Msg("handler panicked")
			if chat := chatOf(u); chat != 0 {
				b.sendText(ctx, chat, b.printer(langOf(u)).T("common.error"), nil)
			}
			if u.CallbackQuery != nil {
				b.answer(ctx, u.CallbackQuery.ID, b.printer(langOf(u)).T("common.error"), "")
			}
		}()
		next(ctx, c, u)
	}
}

// logMiddleware attaches the per-update logger: ids only, never names,
// NIPs, coordinates or message text.
func (b *Bot) logMiddleware(next tg.HandlerFunc) tg.HandlerFunc {
	return func(ctx context.Context, c *tg.Bot, u *models.Update) {
		l := b.cfg.Logger.With().Int64("update_id", u.ID).Int64("chat_id", chatOf(u)).Int64("user_id", userOf(u)).Logger()
		ctx = l.WithContext(ctx)
		next(ctx, c, u)
	}
}

// chatOf returns the chat an update happened in, 0 when none.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		return u.CallbackQuery.Message.Message.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// userOf returns the Telegram user who caused an update, 0 when none.
func userOf(u *models.Update) int64 {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.ID
	case u.EditedMessage != nil && u.EditedMessage.From != nil:
		return u.EditedMessage.From.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.From.ID
	}
	return 0
}

// langOf returns the sender's Telegram language code, "" when none.
func langOf(u *models.Update) string {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.LanguageCode
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.LanguageCode
	}
	return ""
}
