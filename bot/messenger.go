package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// The methods in this file implement scheduler.Messenger.

// PostPrompt posts the roll-call prompt of s into its OPD group, with the
// "Hadir" button, and returns the message id.
func (b *Bot) PostPrompt(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) (int, error) {
	p := b.printer(b.cfg.Language)
	id, err := b.send(ctx, s.ChatID, b.renderPrompt(p, s, opd, t), b.promptKeyboard(p, s))
	if err != nil {
		return 0, fmt.Errorf("post prompt: %w", err)
	}
	return id, nil
}

// ShowProgress edits the group prompt of s with the tally; once s is
// closed the button goes and the prompt says so.
func (b *Bot) ShowProgress(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error {
	p := b.printer(b.cfg.Language)
	var kb models.ReplyMarkup
	if !s.Closed {
		kb = b.promptKeyboard(p, s)
	}
	if err := b.edit(ctx, s.ChatID, s.MessageID, b.renderPrompt(p, s, opd, t), kb); err != nil {
		return fmt.Errorf("edit prompt: %w", err)
	}
	return nil
}

// Remind tells e privately that s closes soon, with the location button
// ready, so checking in is one tap.
func (b *Bot) Remind(ctx context.Context, e apel.Employee, s apel.Session) error {
	p := b.printerFor(e)
	text := p.T("remind.text", p.T("session."+string(s.Kind)), p.Time(s.Closes.In(b.cfg.Policy.Location)))
	if _, err := b.send(ctx, e.TelegramID, text, locationKeyboard(p.T("checkin.button_location"))); err != nil {
		return fmt.Errorf("send reminder: %w", err)
	}
	return nil
}

// SendSummary sends an OPD head the summary of a closed session.
func (b *Bot) SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error {
	p := b.printerFor(head)
	if _, err := b.send(ctx, head.TelegramID, RenderSummary(p, b.cfg.Policy.Location, sum), nil); err != nil {
		return fmt.Errorf("send summary: %w", err)
	}
	return nil
}

// SendDailyReport sends the daily report to the BKPSDM chat and every
// recipient, or to each registered admin when no BKPSDM chat is set.
func (b *Bot) SendDailyReport(ctx context.Context, r apel.DailyReport) error {
	p := b.printer(b.cfg.Language)
	text := RenderDailyReport(p, b.cfg.BKPSDM, r)
	chats := append([]int64(nil), b.cfg.Targets.Recipients...)
	if b.cfg.Targets.BKPSDMChat != 0 {
		chats = append([]int64{b.cfg.Targets.BKPSDMChat}, chats...)
	} else {
		admins, err := b.cfg.Store.Admins(ctx)
		if err != nil {
			return fmt.Errorf("list admins: %w", err)
		}
		for _, a := range admins {
			if a.Registered() {
				chats = append(chats, a.TelegramID)
			}
		}
	}
	var errs []error
	for _, c := range chats {
		if _, err := b.send(ctx, c, text, nil); err != nil {
			errs = append(errs, fmt.Errorf("send daily report to chat %d: %w", c, err))
		}
	}
	return errors.Join(errs...)
}

// promptKeyboard is the group prompt's single "Hadir" button.
func (b *Bot) promptKeyboard(p locales.Printer, s apel.Session) models.ReplyMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: p.T("prompt.button"), CallbackData: "ci:" + itoa(s.ID)},
	}}}
}
