package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// awaitingHome marks a person whose next location is their home point.
const awaitingHome = "home"

// homeWait is how long /domisili waits for the location.
const homeWait = 15 * time.Minute

// askHome starts registering a home point (titik domisili): the next
// location the person sends within homeWait is their home.
func (b *Bot) askHome(ctx context.Context, emp apel.Employee) {
	p := b.printerFor(emp)
	if err := b.cfg.Store.SetAwaiting(ctx, emp.TelegramID, awaitingHome, b.cfg.Now().Add(homeWait)); err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	b.sendText(ctx, emp.TelegramID, p.T("home.ask"), locationKeyboard(p.T("home.button_location")))
}

// homeLocation records a proposed home point and asks the approvers.
func (b *Bot) homeLocation(ctx context.Context, emp apel.Employee, m *models.Message) {
	p := b.printerFor(emp)
	fix := fixOf(m)
	if err := fix.Check(); err != nil {
		b.refuse(ctx, m.Chat.ID, p, err)
		return
	}
	hp, err := b.cfg.Store.ProposeHomePoint(ctx, emp.ID, fix.Point, fix.Accuracy, b.cfg.Now())
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	if err := b.cfg.Store.SetAwaiting(ctx, emp.TelegramID, "", time.Time{}); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("clear awaiting")
	}
	zerolog.Ctx(ctx).Info().Int64("home_point_id", hp.ID).Msg("home point proposed")
	approvers, err := b.homeApprovers(ctx, emp)
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	sent := 0
	for _, a := range approvers {
		ap := b.printerFor(a)
		text := ap.T("home.review", esc(emp.Name), esc(emp.NIP), esc(b.opdName(emp.OPD)), mapLink(hp.Point), int(hp.Accuracy))
		kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: ap.T("home.approve"), CallbackData: "hp:a:" + itoa(hp.ID)},
			{Text: ap.T("home.reject"), CallbackData: "hp:r:" + itoa(hp.ID)},
		}}}
		if _, err := b.send(ctx, a.TelegramID, text, kb); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Int64("approver_id", a.ID).Msg("send home point review")
			continue
		}
		sent++
	}
	key := "home.sent"
	if sent == 0 {
		key = "home.sent_no_approver"
	}
	b.sendText(ctx, m.Chat.ID, p.T(key), removeKeyboard())
}

// homeApprovers returns the registered people who may approve emp's home
// point under the configured rule. Under the head rule, the BKPSDM admins
// stand in when no head of the OPD has registered yet, so a request is
// never sent to nobody.
func (b *Bot) homeApprovers(ctx context.Context, emp apel.Employee) ([]apel.Employee, error) {
	eligible := func(cands []apel.Employee) []apel.Employee {
		var out []apel.Employee
		for _, c := range cands {
			if c.Registered() && apel.CanApproveHome(b.cfg.HomeApprover, c, emp) {
				out = append(out, c)
			}
		}
		return out
	}
	if b.cfg.HomeApprover != apel.ApproveByBKPSDM {
		heads, err := b.cfg.Store.Heads(ctx, emp.OPD)
		if err != nil {
			return nil, fmt.Errorf("list heads: %w", err)
		}
		if out := eligible(heads); len(out) > 0 {
			return out, nil
		}
	}
	admins, err := b.cfg.Store.Admins(ctx)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	return eligible(admins), nil
}

// decideHome handles the approve/reject buttons: "hp:a:<id>", "hp:r:<id>".
// The approver is checked here, on the server, whatever the button says.
func (b *Bot) decideHome(ctx context.Context, q *models.CallbackQuery, data string) {
	approve := strings.HasPrefix(data, "hp:a:")
	id, err := strconv.ParseInt(data[len("hp:a:"):], 10, 64)
	approver, aerr := b.cfg.Store.EmployeeByTelegram(ctx, q.From.ID)
	p := b.printer(q.From.LanguageCode)
	if aerr == nil {
		p = b.printerFor(approver)
	}
	if err != nil || aerr != nil {
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	hp, err := b.cfg.Store.HomePoint(ctx, id)
	if err != nil {
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	owner, err := b.cfg.Store.Employee(ctx, hp.EmployeeID)
	if err != nil || !apel.CanApproveHome(b.cfg.HomeApprover, approver, owner) {
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	hp, err = b.cfg.Store.DecideHomePoint(ctx, id, approve, approver.ID, b.cfg.Now())
	if reason, ok := apel.ReasonOf(err); ok {
		b.answer(ctx, q.ID, p.T("reason."+string(reason)), "")
		return
	}
	if err != nil {
		b.answer(ctx, q.ID, p.T("common.error"), "")
		zerolog.Ctx(ctx).Error().Err(err).Msg("decide home point")
		return
	}
	key := "home.rejected"
	if approve {
		key = "home.approved"
	}
	b.answer(ctx, q.ID, p.T(key+"_toast"), "")
	if q.Message.Message != nil {
		text := p.T(key+"_by", esc(owner.Name), esc(approver.Name))
		if err := b.edit(ctx, prioReply, q.Message.Message.Chat.ID, q.Message.Message.ID, text, nil); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("edit review message")
		}
	}
	if owner.Registered() {
		op := b.printerFor(owner)
		b.sendText(ctx, owner.TelegramID, op.T(key+"_owner"), nil)
	}
	zerolog.Ctx(ctx).Info().Int64("home_point_id", hp.ID).Bool("approved", approve).Msg("home point decided")
}

// mapLink is a link that opens a point on a map.
func mapLink(pt apel.Point) string {
	return fmt.Sprintf("https://maps.google.com/?q=%.6f,%.6f", pt.Lat, pt.Lon)
}
