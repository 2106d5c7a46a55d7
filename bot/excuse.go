package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// excuse records that someone is excused from today's apel: "/izin NIP
// izin|sakit|cuti|dl", by the head of that person's OPD or an admin.
func (b *Bot) excuse(ctx context.Context, by apel.Employee, cmd command) {
	p := b.printerFor(by)
	if len(cmd.Args) < 2 {
		b.sendText(ctx, by.TelegramID, p.T("excuse.usage"), nil)
		return
	}
	// The kind is the last word; the NIP may be typed with spaces.
	kind, err := apel.ParseExcuseKind(cmd.Args[len(cmd.Args)-1])
	if err != nil {
		b.sendText(ctx, by.TelegramID, p.T("excuse.usage"), nil)
		return
	}
	emp, err := b.cfg.Store.EmployeeByNIP(ctx, apel.NormalizeNIP(strings.Join(cmd.Args[:len(cmd.Args)-1], "")))
	if errors.Is(err, apel.ErrNotFound) || (err == nil && !emp.Active) {
		b.sendText(ctx, by.TelegramID, p.T("reason.unknown_nip"), nil)
		return
	}
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	if !by.CanManage(emp.OPD) {
		b.sendText(ctx, by.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	now := b.cfg.Now()
	d := apel.DateOf(now, b.cfg.Policy.Location)
	if err := b.cfg.Store.RecordExcuse(ctx, apel.Excuse{EmployeeID: emp.ID, Date: d, Kind: kind, By: by.ID}, now); err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("employee_id", emp.ID).Str("kind", string(kind)).Msg("excuse recorded")
	b.sendText(ctx, by.TelegramID, p.T("excuse.recorded", esc(emp.Name), p.T("excuse."+string(kind)), p.Date(now.In(b.cfg.Policy.Location))), nil)
}
