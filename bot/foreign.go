package bot

import (
	"context"
	"errors"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// A check-in from an account that is not the bound one. Each NIP is bound
// to one Telegram account, so another account can never check in for a
// person; what it can do is try. An account whose claim on a NIP was
// refused because the NIP is bound to another account (register.go) stays
// tied to that person for FlagRules.ForeignWindow: a location it sends
// while the person's apel is held is recorded as a foreign location, not
// as attendance, and raises the foreign_account flag on the person's
// check-in of that apel (now, or when it arrives). Two phones around one
// NIP is exactly what the OPD head should look at.

// foreignLocation handles a location from an unregistered account.
func (b *Bot) foreignLocation(ctx context.Context, m *models.Message, updateID int64) {
	log := zerolog.Ctx(ctx)
	p := b.printer(m.From.LanguageCode)
	now := b.cfg.Now()
	claims, err := b.cfg.Store.ClaimsBy(ctx, m.From.ID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	var claim *apel.Claim
	for i := range claims {
		if b.cfg.Flags.Active(claims[i], now) {
			claim = &claims[i]
			break
		}
	}
	if claim == nil {
		b.sendText(ctx, m.Chat.ID, p.T("register.needed"), nil)
		return
	}
	fix := fixOf(m)
	if err := fix.Check(); err != nil {
		b.sendText(ctx, m.Chat.ID, b.refusal(p, err), nil)
		return
	}
	emp, err := b.cfg.Store.Employee(ctx, claim.EmployeeID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	s, err := b.cfg.Store.SessionAt(ctx, emp.OPD, fix.At)
	if errors.Is(err, apel.ErrNotFound) { // no apel to tie it to
		b.sendText(ctx, m.Chat.ID, p.T("foreign.not_counted"), removeKeyboard())
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	f, err := b.cfg.Store.RecordForeignFix(ctx, apel.ForeignFix{EmployeeID: emp.ID, TelegramID: m.From.ID, SessionID: s.ID,
		Fix: fix, RecordedAt: now}, updateID)
	if err != nil {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	log.Info().Int64("employee_id", emp.ID).Int64("session_id", s.ID).Int64("foreign_location_id", f.ID).Msg("location from a foreign account recorded")
	c, err := b.cfg.Store.CheckIn(ctx, s.ID, emp.ID)
	switch {
	case err == nil:
		if err := b.cfg.Store.AddFlags(ctx, apel.Foreign(c, []apel.ForeignFix{f}, now)); err != nil {
			log.Error().Err(err).Msg("record flags")
		}
	case !errors.Is(err, apel.ErrNotFound):
		log.Error().Err(err).Msg("check-in of the claimed person")
	}
	b.sendText(ctx, m.Chat.ID, p.T("foreign.not_counted"), removeKeyboard())
}
