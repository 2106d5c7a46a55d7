package bot

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// The methods in this file implement scheduler.Messenger. Except for the
// progress of an open session, which the next tick redraws anyway, they
// queue the message in the durable outbox and return: a restart resends
// what was left, and queuing the same message again (same session, person
// or chat) sends it once.

// PostPrompt queues the roll-call prompt of s for its OPD group (s.ChatID),
// with the "Hadir" button. It expires when s closes. Once it is sent the
// store records its message id on s, so the scheduler can edit it.
func (b *Bot) PostPrompt(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error {
	p := b.printer(b.cfg.Language)
	err := b.enqueue(ctx, apel.Outbound{
		Key: "prompt:" + itoa(s.ID), Priority: int(prioPrompt), ChatID: s.ChatID,
		Text: b.renderPrompt(p, s, opd, t), Markup: markup(b.promptKeyboard(p, s)),
		SessionID: s.ID, AtMostOnce: true, Expires: s.Closes,
	})
	if err != nil {
		return fmt.Errorf("queue prompt: %w", err)
	}
	return nil
}

// ShowProgress edits the group prompt of s with the tally. While s is open
// the edit is made now (a failure is for the next tick to redraw); once s
// is closed the button goes, the prompt says so, and that last edit is
// queued in the outbox.
func (b *Bot) ShowProgress(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error {
	p := b.printer(b.cfg.Language)
	if s.Closed {
		err := b.enqueue(ctx, apel.Outbound{
			Key: "final:" + itoa(s.ID), Priority: int(prioPrompt), ChatID: s.ChatID, EditID: s.MessageID,
			Text: b.renderPrompt(p, s, opd, t),
		})
		if err != nil {
			return fmt.Errorf("queue final prompt: %w", err)
		}
		return nil
	}
	if err := b.edit(ctx, prioPrompt, s.ChatID, s.MessageID, b.renderPrompt(p, s, opd, t), b.promptKeyboard(p, s)); err != nil {
		return fmt.Errorf("edit prompt: %w", err)
	}
	return nil
}

// Remind queues a private reminder to e that s closes soon, with the
// location button ready, so checking in is one tap. It expires when s
// closes.
func (b *Bot) Remind(ctx context.Context, e apel.Employee, s apel.Session) error {
	p := b.printerFor(e)
	text := p.T("remind.text", p.T("session."+string(s.Kind)), p.Time(s.Closes.In(b.cfg.Policy.Location)))
	err := b.enqueue(ctx, apel.Outbound{
		Key: "remind:" + itoa(s.ID) + ":" + itoa(e.ID), Priority: int(prioReminder), ChatID: e.TelegramID,
		Text: text, Markup: markup(locationKeyboard(p.T("checkin.button_location"))), Expires: s.Closes,
	})
	if err != nil {
		return fmt.Errorf("queue reminder: %w", err)
	}
	return nil
}

// SendSummary queues for an OPD head the summary of a closed session, with
// a warning line for the staff the bot cannot reach and for a group it
// lost.
func (b *Bot) SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error {
	p := b.printerFor(head)
	text := RenderSummary(p, b.cfg.Policy.Location, sum)
	warn, err := b.reachWarnings(ctx, p, sum.OPD.Code)
	if err != nil {
		return fmt.Errorf("summary warnings: %w", err)
	}
	err = b.enqueue(ctx, apel.Outbound{
		Key: "summary:" + itoa(sum.Session.ID) + ":" + itoa(head.ID), Priority: int(prioReport),
		ChatID: head.TelegramID, Text: text + warn,
	})
	if err != nil {
		return fmt.Errorf("queue summary: %w", err)
	}
	return nil
}

// SendDailyReport queues the daily report for the BKPSDM chat and every
// recipient, or for each registered admin when no BKPSDM chat is set.
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
	for _, c := range chats {
		err := b.enqueue(ctx, apel.Outbound{
			Key: "report:" + r.Date.String() + ":" + itoa(c), Priority: int(prioReport), ChatID: c, Text: text,
		})
		if err != nil {
			return fmt.Errorf("queue daily report for chat %d: %w", c, err)
		}
	}
	return nil
}

// promptKeyboard is the group prompt's single "Hadir" button.
func (b *Bot) promptKeyboard(p locales.Printer, s apel.Session) models.ReplyMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: p.T("prompt.button"), CallbackData: "ci:" + itoa(s.ID)},
	}}}
}
