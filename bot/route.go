package bot

import (
	"context"
	"errors"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// command is a parsed bot command: "/hadir@apel_bot arg1 arg2".
type command struct {
	Name string // lower-case, without "/" and "@bot"
	Args []string
}

// parseCommand reads a command at the start of text. It accepts the
// "/cmd@botname" form group menus send and refuses commands addressed to
// another bot. The library's own matcher handles neither (TECH-NOTES).
func (b *Bot) parseCommand(text string) (command, bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return command{}, false
	}
	fields := strings.Fields(text)
	name := strings.TrimPrefix(fields[0], "/")
	if at := strings.IndexByte(name, '@'); at >= 0 {
		if !strings.EqualFold(name[at+1:], b.username) {
			return command{}, false
		}
		name = name[:at]
	}
	if name == "" {
		return command{}, false
	}
	return command{Name: strings.ToLower(name), Args: fields[1:]}, true
}

// route is the single handler: it dispatches an update by its kind. Every
// update a person sends gets an answer; the rest is logged.
func (b *Bot) route(ctx context.Context, _ *tg.Bot, u *models.Update) {
	log := zerolog.Ctx(ctx)
	switch {
	case u.Message != nil && u.Message.MigrateToChatID != 0:
		b.migrate(ctx, u.Message.Chat.ID, u.Message.MigrateToChatID)
	case u.Message != nil && u.Message.Chat.Type == models.ChatTypePrivate:
		b.private(ctx, u.Message, u.ID)
	case u.Message != nil:
		b.group(ctx, u.Message)
	case u.CallbackQuery != nil:
		b.callback(ctx, u.CallbackQuery)
	case u.EditedMessage != nil:
		b.edited(ctx, u.EditedMessage) // live-location points (trail.go)
	case u.MyChatMember != nil:
		b.membership(ctx, u.MyChatMember)
	default:
		log.Debug().Msg("update kind not handled")
	}
}

// private handles a message in a private chat.
func (b *Bot) private(ctx context.Context, m *models.Message, updateID int64) {
	if m.From == nil {
		return
	}
	emp, err := b.cfg.Store.EmployeeByTelegram(ctx, m.From.ID)
	registered := err == nil
	if err != nil && !errors.Is(err, apel.ErrNotFound) {
		b.fail(ctx, m.Chat.ID, m.From.LanguageCode, err)
		return
	}
	p := b.printer(m.From.LanguageCode)
	if registered {
		p = b.printerFor(emp)
		b.reachable(ctx, m.From.ID) // writing to the bot undoes a block
	}
	if cmd, ok := b.parseCommand(commandText(m)); ok {
		switch cmd.Name {
		case "start":
			b.start(ctx, m, emp, registered, cmd)
			return
		case "daftar", "register":
			if len(cmd.Args) == 0 {
				b.sendText(ctx, m.Chat.ID, p.T("register.usage"), nil)
				return
			}
			b.register(ctx, m, strings.Join(cmd.Args, ""))
			return
		case "help", "bantuan":
			b.help(ctx, m.Chat.ID, p, registered)
			return
		}
		if !registered {
			b.sendText(ctx, m.Chat.ID, p.T("register.needed"), nil)
			return
		}
		switch cmd.Name {
		case "hadir", "checkin":
			b.askLocation(ctx, emp)
		case "status":
			b.status(ctx, emp)
		case "domisili", "home":
			b.askHome(ctx, emp)
		case "bahasa", "language":
			b.language(ctx, emp, cmd)
		case "izin", "excuse":
			b.excuse(ctx, emp, cmd)
		case "ajukan", "request":
			b.request(ctx, emp, cmd)
		case "jadwal", "schedule":
			b.schedule(ctx, emp, cmd)
		case "giliran", "shift":
			b.setShift(ctx, emp, cmd)
		case "laporan", "activity":
			b.activity(ctx, emp, m, updateID)
		case "rekap", "recap":
			b.rekap(ctx, emp, cmd)
		case "bulanan", "monthly":
			b.bulanan(ctx, emp, cmd)
		case "bukti", "evidence":
			b.evidence(ctx, emp, cmd)
		case "tanda", "flags":
			b.flagList(ctx, emp, cmd)
		case "tinjau", "review":
			b.review(ctx, emp, cmd)
		case "koreksi", "correct":
			b.correct(ctx, emp, cmd)
		default:
			b.sendText(ctx, m.Chat.ID, p.T("common.unknown_command"), nil)
		}
		return
	}
	switch {
	case m.Location != nil && registered:
		b.location(ctx, emp, m, updateID)
	case m.Location != nil:
		b.foreignLocation(ctx, m, updateID) // foreign.go
	case !registered && looksLikeNIP(m.Text):
		b.register(ctx, m, m.Text)
	case !registered:
		b.sendText(ctx, m.Chat.ID, p.T("register.needed"), nil)
	default:
		b.freeText(ctx, emp, m, updateID) // an awaited activity report, else the help
	}
}

// group handles a message in a group. With privacy mode on the bot sees only
// commands (and replies to it); plain chatter is never answered.
func (b *Bot) group(ctx context.Context, m *models.Message) {
	cmd, ok := b.parseCommand(m.Text)
	if !ok || m.From == nil {
		return
	}
	p := b.printer(b.cfg.Language)
	switch cmd.Name {
	case "ikat", "bind":
		b.bindGroup(ctx, m, cmd)
	case "start", "hadir", "help", "bantuan", "status", "daftar":
		b.sendText(ctx, m.Chat.ID, p.T("group.use_private", b.deepLink("daftar")), nil)
	}
}

// looksLikeNIP reports whether text is a NIP typed on its own: 18 digits,
// possibly with spaces or dots.
func looksLikeNIP(text string) bool {
	n := apel.NormalizeNIP(text)
	if len(n) < 15 || len(n) > 21 {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fail logs err and tells the user that something went wrong.
func (b *Bot) fail(ctx context.Context, chatID int64, lang string, err error) {
	zerolog.Ctx(ctx).Error().Err(err).Msg("handle update")
	b.sendText(ctx, chatID, b.printer(lang).T("common.error"), nil)
}
