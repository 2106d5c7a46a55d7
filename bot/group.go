package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// bindGroup binds the group the command was sent in to an OPD: "/ikat" by
// an OPD head binds it to their own OPD, "/ikat KODE" by an admin (or the
// head of KODE) to KODE. Anyone else is refused.
func (b *Bot) bindGroup(ctx context.Context, m *models.Message, cmd command) {
	p := b.printer(b.cfg.Language)
	emp, err := b.cfg.Store.EmployeeByTelegram(ctx, m.From.ID)
	if errors.Is(err, apel.ErrNotFound) {
		b.sendText(ctx, m.Chat.ID, p.T("group.not_registered", b.deepLink("daftar")), nil)
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, b.cfg.Language, err)
		return
	}
	code := emp.OPD
	if len(cmd.Args) > 0 {
		code = strings.ToUpper(cmd.Args[0])
	} else if emp.Role == apel.RoleAdmin {
		b.sendText(ctx, m.Chat.ID, p.T("group.bind_usage"), nil)
		return
	}
	opd, ok := b.opds[code]
	if !ok {
		b.sendText(ctx, m.Chat.ID, p.T("reason.unknown_opd", esc(code)), nil)
		return
	}
	if !emp.CanManage(code) {
		zerolog.Ctx(ctx).Warn().Int64("employee_id", emp.ID).Str("opd", code).Msg("group binding refused")
		b.sendText(ctx, m.Chat.ID, p.T("reason.not_allowed"), nil)
		return
	}
	err = b.cfg.Store.BindGroup(ctx, code, m.Chat.ID, emp.ID, b.cfg.Now())
	if errors.Is(err, apel.ErrConflict) {
		b.sendText(ctx, m.Chat.ID, p.T("group.bound_elsewhere"), nil)
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, b.cfg.Language, err)
		return
	}
	zerolog.Ctx(ctx).Info().Str("opd", code).Msg("group bound")
	b.sendText(ctx, m.Chat.ID, p.T("group.bound", esc(opd.Name)), nil)
}

// migrate follows a group that Telegram upgraded to a supergroup.
func (b *Bot) migrate(ctx context.Context, oldID, newID int64) {
	if err := b.cfg.Store.MigrateChat(ctx, oldID, newID); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("migrate chat")
		return
	}
	zerolog.Ctx(ctx).Info().Int64("new_chat_id", newID).Msg("group migrated to supergroup")
}
