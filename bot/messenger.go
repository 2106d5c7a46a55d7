package bot

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/export"
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
	if err := b.enqueue(ctx, b.reminder(e, s)); err != nil {
		return fmt.Errorf("queue reminder: %w", err)
	}
	return nil
}

// RemindAll is Remind for everyone in es, queued in one transaction: the
// reminders of a whole pemda are one durable commit per session, not one
// per person.
func (b *Bot) RemindAll(ctx context.Context, es []apel.Employee, s apel.Session) error {
	os := make([]apel.Outbound, len(es))
	for i, e := range es {
		os[i] = b.reminder(e, s)
	}
	if err := b.cfg.Store.QueueOutbounds(ctx, os, b.cfg.Now()); err != nil {
		return fmt.Errorf("queue reminders: %w", err)
	}
	b.outbox.wake(int(prioReminder))
	return nil
}

// reminder is the outbox message of Remind.
func (b *Bot) reminder(e apel.Employee, s apel.Session) apel.Outbound {
	p := b.printerFor(e)
	text := p.T("remind.text", p.T("session."+string(s.Kind)), p.Time(s.Closes.In(b.cfg.Policy.Location)))
	return apel.Outbound{
		Key: "remind:" + itoa(s.ID) + ":" + itoa(e.ID), Priority: int(prioReminder), ChatID: e.TelegramID,
		Text: text, Markup: markup(locationKeyboard(p.T("checkin.button_location"))), Expires: s.Closes,
	}
}

// SendSummary queues for an OPD head the summary of a closed session, with
// a warning line for the staff the bot cannot reach and for a group it
// lost.
func (b *Bot) SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error {
	p := b.printerFor(head)
	text := RenderSummary(p, b.cfg.Policy.Location, sum) + b.summaryFlags(ctx, p, sum)
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
// recipient, or for each registered admin when no BKPSDM chat is set; then
// it sends the same chats of BKPSDM (not the recipients) the report as XLSX
// and PDF documents made from day, the records r was compiled from.
//
// The documents are sent now, not queued (the outbox keeps text): each is
// retried as every call is, and one that still fails is logged and left
// out rather than failing the report, whose text the outbox delivers. The
// files can be made again with `apelbot report -format xlsx|pdf`. They are
// sent at most once per date.
func (b *Bot) SendDailyReport(ctx context.Context, r apel.DailyReport, day apel.Day) error {
	p := b.printer(b.cfg.Language)
	if r.Zone == nil {
		r.Zone = b.cfg.Policy.Location
	}
	text := RenderDailyReport(p, b.cfg.BKPSDM, r)
	chats := append([]int64(nil), b.cfg.Targets.Recipients...)
	var bkpsdm []int64 // the chats that also get the documents
	if b.cfg.Targets.BKPSDMChat != 0 {
		bkpsdm = []int64{b.cfg.Targets.BKPSDMChat}
		chats = append(bkpsdm, chats...)
	} else {
		admins, err := b.cfg.Store.Admins(ctx)
		if err != nil {
			return fmt.Errorf("list admins: %w", err)
		}
		for _, a := range admins {
			if a.Registered() {
				bkpsdm = append(bkpsdm, a.TelegramID)
			}
		}
		chats = append(chats, bkpsdm...)
	}
	for _, c := range chats {
		err := b.enqueue(ctx, apel.Outbound{
			Key: "report:" + r.Date.String() + ":" + itoa(c), Priority: int(prioReport), ChatID: c, Text: text,
		})
		if err != nil {
			return fmt.Errorf("queue daily report for chat %d: %w", c, err)
		}
	}
	// The documents go out at most once, whichever replica or run makes
	// the report: a crash (or a takeover) between their sending and the
	// report's being marked done must not send them again.
	first, err := b.cfg.Store.MarkDone(ctx, "report-documents:"+r.Date.String(), b.cfg.Now())
	if err != nil {
		return fmt.Errorf("mark daily report documents: %w", err)
	}
	if first {
		b.sendReportDocuments(ctx, p, r, day, bkpsdm)
	}
	return nil
}

// sendReportDocuments sends chats the daily report as XLSX and PDF,
// logging what fails.
func (b *Bot) sendReportDocuments(ctx context.Context, p locales.Printer, r apel.DailyReport, day apel.Day, chats []int64) {
	if len(chats) == 0 {
		return
	}
	log := zerolog.Ctx(ctx)
	d := export.Detail{Report: r, Day: day, BKPSDM: b.cfg.BKPSDM, Location: b.cfg.Policy.Location}
	date := p.Date(r.Date.At(apel.Clock{Hour: 12}, time.UTC))
	base := p.T("report.file") + "-" + r.Date.String()
	var xlsx, pdf bytes.Buffer
	var docs []document
	if err := export.XLSX(&xlsx, p, d); err != nil {
		log.Error().Err(err).Msg("daily report xlsx")
	} else {
		docs = append(docs, document{name: base + ".xlsx", data: xlsx.Bytes(), caption: p.T("report.document_xlsx", date)})
	}
	if err := export.PDF(&pdf, p, d); err != nil {
		log.Error().Err(err).Msg("daily report pdf")
	} else {
		docs = append(docs, document{name: base + ".pdf", data: pdf.Bytes(), caption: p.T("report.document_pdf", date)})
	}
	for _, c := range chats {
		for _, doc := range docs {
			if err := b.sendDocument(ctx, prioReport, c, doc); err != nil {
				log.Error().Err(err).Int64("to_chat", c).Str("file", doc.name).Msg("send daily report document")
			}
		}
	}
}

// promptKeyboard is the group prompt's single "Hadir" button.
func (b *Bot) promptKeyboard(p locales.Printer, s apel.Session) models.ReplyMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: p.T("prompt.button"), CallbackData: "ci:" + itoa(s.ID)},
	}}}
}
