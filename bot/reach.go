package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// reachTimeout bounds the store write that records a chat refusing the bot,
// which may come after the request's own context ended.
const reachTimeout = 5 * time.Second

// noteRefusal records a chat that refused a message with 403: a person who
// blocked the bot becomes unreachable (until they write to it again), a
// group the bot was removed from is lost (no more prompts there). Both are
// logged and shown in the heads' summaries. Other errors are ignored.
func (b *Bot) noteRefusal(ctx context.Context, chat int64, err error) {
	if !errors.Is(err, tg.ErrorForbidden) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reachTimeout)
	defer cancel()
	b.lose(ctx, chat)
}

// lose marks chat unreachable (a private chat) or lost (a group).
func (b *Bot) lose(ctx context.Context, chat int64) {
	log := zerolog.Ctx(ctx)
	now := b.cfg.Now()
	if chat > 0 {
		changed, err := b.cfg.Store.MarkUnreachable(ctx, chat, now)
		if err != nil {
			log.Error().Err(err).Int64("to_chat", chat).Msg("mark person unreachable")
		} else if changed {
			log.Warn().Int64("to_chat", chat).Msg("person unreachable: the bot is blocked")
		}
		return
	}
	opd, changed, err := b.cfg.Store.LoseGroup(ctx, chat, now)
	switch {
	case errors.Is(err, apel.ErrNotFound):
		log.Warn().Int64("to_chat", chat).Msg("chat refuses the bot")
	case err != nil:
		log.Error().Err(err).Int64("to_chat", chat).Msg("mark group lost")
	case changed:
		log.Warn().Str("opd", opd).Int64("to_chat", chat).Msg("group lost: the bot was removed")
	}
}

// membership follows the bot's own membership: removed from (or left) a
// group marks the group lost, added back restores it; in a private chat,
// "kicked" means the person blocked the bot and "member" that they
// unblocked it.
func (b *Bot) membership(ctx context.Context, u *models.ChatMemberUpdated) {
	st := u.NewChatMember.Type
	log := zerolog.Ctx(ctx).With().Str("status", string(st)).Logger()
	ctx = log.WithContext(ctx)
	gone := st == models.ChatMemberTypeLeft || st == models.ChatMemberTypeBanned
	switch {
	case u.Chat.Type == models.ChatTypePrivate && gone:
		b.lose(ctx, u.Chat.ID)
	case u.Chat.Type == models.ChatTypePrivate:
		b.reachable(ctx, u.Chat.ID)
	case gone:
		b.lose(ctx, u.Chat.ID)
		log.Info().Msg("bot membership changed")
	default:
		opd, changed, err := b.cfg.Store.RestoreGroup(ctx, u.Chat.ID)
		switch {
		case err != nil && !errors.Is(err, apel.ErrNotFound):
			log.Error().Err(err).Msg("restore group")
		case changed:
			log.Info().Str("opd", opd).Msg("group restored: the bot is back")
		default:
			log.Info().Msg("bot membership changed")
		}
	}
}

// reachable clears a person's unreachable mark: they wrote to the bot, so
// they have not blocked it (any more).
func (b *Bot) reachable(ctx context.Context, telegramID int64) {
	changed, err := b.cfg.Store.MarkReachable(ctx, telegramID)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("mark person reachable")
	} else if changed {
		zerolog.Ctx(ctx).Info().Msg("person reachable again")
	}
}

// reachWarnings are the lines a head's summary ends with when the bot
// cannot reach some of the OPD's staff or lost the OPD's group; "" when
// all is well.
func (b *Bot) reachWarnings(ctx context.Context, p locales.Printer, opd string) (string, error) {
	var sb strings.Builder
	emps, err := b.cfg.Store.Unreachable(ctx, opd)
	if err != nil {
		return "", err
	}
	if len(emps) > 0 {
		sb.WriteString("\n\n" + p.T("summary.unreachable", len(emps)))
		for _, e := range emps {
			sb.WriteString("\n• " + esc(e.Name) + " (" + esc(e.NIP) + ")")
		}
		sb.WriteString("\n" + p.T("summary.unreachable_hint"))
	}
	lost, err := b.cfg.Store.GroupLost(ctx, opd)
	if err != nil {
		return "", err
	}
	if lost {
		sb.WriteString("\n\n" + p.T("summary.group_lost"))
	}
	return sb.String(), nil
}
