package bot

import (
	"context"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// start answers /start, with the deep-link payloads "daftar" (register) and
// "hadir" (check in, from the group prompt's button).
func (b *Bot) start(ctx context.Context, m *models.Message, emp apel.Employee, registered bool, cmd command) {
	if !registered {
		b.sendText(ctx, m.Chat.ID, b.printer(m.From.LanguageCode).T("register.welcome", esc(b.cfg.Pemda)), nil)
		return
	}
	if len(cmd.Args) > 0 && cmd.Args[0] == "hadir" {
		b.askLocation(ctx, emp)
		return
	}
	p := b.printerFor(emp)
	b.sendText(ctx, m.Chat.ID, p.T("register.welcome_back", esc(emp.Name)), nil)
	b.status(ctx, emp)
}

// register binds the sender's Telegram account to the NIP they sent.
func (b *Bot) register(ctx context.Context, m *models.Message, text string) {
	p := b.printer(m.From.LanguageCode)
	nip := apel.NormalizeNIP(text)
	if apel.CheckNIP(nip) != "" {
		b.sendText(ctx, m.Chat.ID, p.T("reason.invalid_nip"), nil)
		return
	}
	emp, err := b.cfg.Store.BindTelegram(ctx, nip, m.From.ID, b.cfg.Now())
	if reason, ok := apel.ReasonOf(err); ok {
		b.sendText(ctx, m.Chat.ID, p.T("reason."+string(reason)), nil)
		if reason == apel.ReasonNIPTaken {
			b.warnHeads(ctx, emp)
			// The account's locations are now tied to emp for review (foreign.go).
			if err := b.cfg.Store.RecordClaim(ctx, apel.Claim{EmployeeID: emp.ID, TelegramID: m.From.ID, At: b.cfg.Now()}); err != nil {
				zerolog.Ctx(ctx).Error().Err(err).Msg("record refused claim")
			}
		}
		zerolog.Ctx(ctx).Info().Str("reason", string(reason)).Msg("registration refused")
		return
	}
	if err != nil {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("employee_id", emp.ID).Msg("telegram account bound")
	p = b.printerFor(emp)
	b.sendText(ctx, m.Chat.ID, p.T("register.done", esc(emp.Name), esc(b.opdName(emp.OPD))), nil)
	b.help(ctx, m.Chat.ID, p, true)
}

// warnHeads tells the heads of emp's OPD that someone else tried to claim
// emp's NIP.
func (b *Bot) warnHeads(ctx context.Context, emp apel.Employee) {
	heads, err := b.cfg.Store.Heads(ctx, emp.OPD)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("list heads")
		return
	}
	for _, h := range heads {
		if h.Registered() && h.ID != emp.ID {
			p := b.printerFor(h)
			b.sendText(ctx, h.TelegramID, p.T("register.claim_warning", esc(emp.Name), esc(emp.NIP), p.DateTime(b.cfg.Now().In(b.cfg.Policy.Location))), nil)
		}
	}
}

// help lists the commands.
func (b *Bot) help(ctx context.Context, chatID int64, p locales.Printer, registered bool) {
	if !registered {
		b.sendText(ctx, chatID, p.T("register.needed"), nil)
		return
	}
	b.sendText(ctx, chatID, p.T("help.text"), nil)
}

// language sets the person's language: /bahasa id|en.
func (b *Bot) language(ctx context.Context, emp apel.Employee, cmd command) {
	p := b.printerFor(emp)
	if len(cmd.Args) != 1 || !b.cfg.Catalog.Has(cmd.Args[0]) {
		b.sendText(ctx, emp.TelegramID, p.T("language.usage"), nil)
		return
	}
	if err := b.cfg.Store.SetLanguage(ctx, emp.ID, cmd.Args[0]); err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	emp.Lang = cmd.Args[0]
	b.sendText(ctx, emp.TelegramID, b.printerFor(emp).T("language.set"), nil)
}

// opdName returns the name of an OPD by code.
func (b *Bot) opdName(code string) string {
	if o, ok := b.opds[code]; ok {
		return o.Name
	}
	return code
}

// refuse tells the user why a rule said no, or apologizes for anything else.
func (b *Bot) refuse(ctx context.Context, chatID int64, p locales.Printer, err error) {
	if reason, ok := apel.ReasonOf(err); ok {
		b.sendText(ctx, chatID, p.T("reason."+string(reason)), nil)
		return
	}
	b.fail(ctx, chatID, p.Lang(), err)
}
