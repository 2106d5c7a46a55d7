package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// request handles "/ajukan KIND DATE[..DATE] reason | work plan | place":
// an ASN asks to work from home or anywhere (wfh, wfa, wfa-ln for WFA
// abroad), or to be excused (izin, sakit, cuti, dl), on a date or a range.
// The policy checks it; the approvers get it with buttons.
func (b *Bot) request(ctx context.Context, emp apel.Employee, cmd command) {
	p := b.printerFor(emp)
	loc := b.cfg.Policy.Location
	now := b.cfg.Now()
	today := apel.DateOf(now, loc)
	if len(cmd.Args) < 2 {
		b.sendText(ctx, emp.TelegramID, p.T("request.usage"), nil)
		return
	}
	kind, abroad, err := apel.ParseRequestKind(cmd.Args[0])
	if err != nil {
		b.sendText(ctx, emp.TelegramID, p.T("request.usage"), nil)
		return
	}
	from, to, err := parseRange(cmd.Args[1], today)
	if err != nil {
		b.sendText(ctx, emp.TelegramID, p.T("reason.request_dates"), nil)
		return
	}
	parts := strings.Split(strings.Join(cmd.Args[2:], " "), "|")
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	r := apel.Request{EmployeeID: emp.ID, Kind: kind, From: from, To: to, Abroad: abroad,
		Reason: strings.TrimSpace(parts[0]), Plan: strings.TrimSpace(parts[1]), Place: strings.TrimSpace(strings.Join(parts[2:], "|"))}
	if kind.Mode() == "" { // an excuse has no work plan: everything is the reason
		r.Reason, r.Plan, r.Place = strings.TrimSpace(strings.Join(cmd.Args[2:], " ")), "", ""
	}
	if err := b.cfg.Policy.CheckRequest(b.opds[emp.OPD], emp, r, today); err != nil {
		b.refuse(ctx, emp.TelegramID, p, err)
		return
	}
	r, err = b.cfg.Store.CreateRequest(ctx, r, now)
	if err != nil {
		b.refuse(ctx, emp.TelegramID, p, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("request_id", r.ID).Str("kind", string(r.Kind)).Msg("request made")
	sent := b.askApprovers(ctx, r, emp)
	key := "request.sent"
	if sent == 0 {
		key = "request.sent_no_approver"
	}
	b.sendText(ctx, emp.TelegramID, p.T(key, describeRequest(p, b, r)), nil)
}

// askApprovers sends r to whoever decides it at its stage, with the
// approve and reject buttons, and returns how many got it.
func (b *Bot) askApprovers(ctx context.Context, r apel.Request, owner apel.Employee) int {
	approvers, err := b.requestApprovers(ctx, r, owner)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("list request approvers")
		return 0
	}
	sent := 0
	for _, a := range approvers {
		ap := b.printerFor(a)
		key := "request.review"
		if r.Status == apel.RequestPendingPPK {
			key = "request.review_ppk"
		}
		text := ap.T(key, esc(owner.Name), esc(owner.NIP), esc(b.opdName(owner.OPD)), describeRequest(ap, b, r))
		kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: ap.T("request.approve"), CallbackData: "rq:a:" + itoa(r.ID)},
			{Text: ap.T("request.reject"), CallbackData: "rq:r:" + itoa(r.ID)},
		}}}
		if _, err := b.send(ctx, a.TelegramID, text, kb); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Int64("approver_id", a.ID).Msg("send request review")
			continue
		}
		sent++
	}
	return sent
}

// requestApprovers returns the registered people who may decide r now: the
// heads of the owner's OPD (the admins when none has registered) while it
// is pending, and the PPK's approvers (the admins when none is named) once
// the head has passed it on.
func (b *Bot) requestApprovers(ctx context.Context, r apel.Request, owner apel.Employee) ([]apel.Employee, error) {
	escal := b.cfg.Policy.Escalation
	var cands []apel.Employee
	if r.Status == apel.RequestPending {
		heads, err := b.cfg.Store.Heads(ctx, owner.OPD)
		if err != nil {
			return nil, fmt.Errorf("list heads: %w", err)
		}
		cands = heads
	} else {
		for _, nip := range escal.NIPs {
			e, err := b.cfg.Store.EmployeeByNIP(ctx, nip)
			if errors.Is(err, apel.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("approver by nip: %w", err)
			}
			cands = append(cands, e)
		}
	}
	var out []apel.Employee
	for _, c := range cands {
		if c.Registered() && apel.CanDecideRequest(escal, r, c, owner) {
			out = append(out, c)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	admins, err := b.cfg.Store.Admins(ctx)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	// The admins stand in for a missing head, and for the PPK when the
	// policy names nobody; never for named PPK approvers who have not
	// registered (CanDecideRequest refuses them).
	for _, a := range admins {
		if a.Registered() && apel.CanDecideRequest(escal, r, a, owner) {
			out = append(out, a)
		}
	}
	return out, nil
}

// decideRequest handles the approve and reject buttons: "rq:a:<id>",
// "rq:r:<id>". Who may decide is checked here, from the sender, whatever
// the button says; an approval is checked against the quota and the weekly
// cap inside the store's transaction.
func (b *Bot) decideRequest(ctx context.Context, q *models.CallbackQuery, data string) {
	approve := strings.HasPrefix(data, "rq:a:")
	id, err := strconv.ParseInt(data[len("rq:a:"):], 10, 64)
	approver, aerr := b.cfg.Store.EmployeeByTelegram(ctx, q.From.ID)
	p := b.printer(q.From.LanguageCode)
	if aerr == nil {
		p = b.printerFor(approver)
	}
	if err != nil || aerr != nil {
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	r, err := b.cfg.Store.Request(ctx, id)
	if err != nil {
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	owner, err := b.cfg.Store.Employee(ctx, r.EmployeeID)
	escal := b.cfg.Policy.Escalation
	if err != nil || !apel.CanDecideRequest(escal, r, approver, owner) {
		if r.Status == apel.RequestApproved || r.Status == apel.RequestRejected {
			b.answer(ctx, q.ID, p.T("reason.already_decided"), "")
			return
		}
		b.answer(ctx, q.ID, p.T("reason.not_allowed"), "")
		return
	}
	d := apel.Decision{RequestID: r.ID, From: r.Status, To: apel.RequestRejected, By: approver.ID, At: b.cfg.Now()}
	var check func(apel.Request, apel.Facts) error
	if approve {
		d.To = apel.NextStatus(escal, r)
		if d.To == apel.RequestApproved {
			opd := b.opds[owner.OPD]
			check = func(r apel.Request, f apel.Facts) error { return b.cfg.Policy.CheckApproval(opd, r, f) }
		}
	}
	r, err = b.cfg.Store.DecideRequest(ctx, d, check)
	if reason, ok := apel.ReasonOf(err); ok {
		b.answer(ctx, q.ID, p.T("reason."+string(reason)), "")
		return
	}
	if err != nil {
		b.answer(ctx, q.ID, p.T("common.error"), "")
		zerolog.Ctx(ctx).Error().Err(err).Msg("decide request")
		return
	}
	zerolog.Ctx(ctx).Info().Int64("request_id", r.ID).Str("status", string(r.Status)).Msg("request decided")
	key := "request." + string(r.Status)
	b.answer(ctx, q.ID, p.T(key+"_toast"), "")
	if q.Message.Message != nil {
		text := p.T(key+"_by", esc(owner.Name), describeRequest(p, b, r), esc(approver.Name))
		if err := b.edit(ctx, prioReply, q.Message.Message.Chat.ID, q.Message.Message.ID, text, nil); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("edit request review")
		}
	}
	if r.Status == apel.RequestPendingPPK {
		b.askApprovers(ctx, r, owner)
	}
	if owner.Registered() {
		op := b.printerFor(owner)
		b.sendText(ctx, owner.TelegramID, op.T(key+"_owner", describeRequest(op, b, r), esc(approver.Name)), nil)
	}
}

// describeRequest is a request in one or a few lines: kind, dates, reason,
// work plan, place.
func describeRequest(p locales.Printer, b *Bot, r apel.Request) string {
	dates := p.Date(b.dateAt(r.From))
	if r.To != r.From {
		dates = p.T("request.range", p.Date(b.dateAt(r.From)), p.Date(b.dateAt(r.To)))
	}
	kind := p.T("request.kind." + string(r.Kind))
	if r.Abroad {
		kind = p.T("request.kind.wfa_abroad")
	}
	text := p.T("request.line", kind, dates, esc(r.Reason))
	if r.Plan != "" {
		text += "\n" + p.T("request.plan", esc(r.Plan))
	}
	if r.Place != "" {
		text += "\n" + p.T("request.place", esc(r.Place))
	}
	return text
}
