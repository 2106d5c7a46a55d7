package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// callback handles inline-button presses. Every query is answered, with a
// toast or a link into the private chat. Callback data only names records;
// who may act is decided here from the sender, so forged data acts for no
// one.
func (b *Bot) callback(ctx context.Context, q *models.CallbackQuery) {
	switch data := q.Data; {
	case strings.HasPrefix(data, "ci:"):
		b.tapCheckIn(ctx, q, strings.TrimPrefix(data, "ci:"))
	case strings.HasPrefix(data, "hp:a:"), strings.HasPrefix(data, "hp:r:"):
		b.decideHome(ctx, q, data)
	case strings.HasPrefix(data, "rq:a:"), strings.HasPrefix(data, "rq:r:"):
		b.decideRequest(ctx, q, data)
	case strings.HasPrefix(data, "kx:"):
		b.correctCallback(ctx, q)
	case strings.HasPrefix(data, "fl:a:"):
		b.acceptFlagsTap(ctx, q, strings.TrimPrefix(data, "fl:a:")) // review.go
	default:
		zerolog.Ctx(ctx).Warn().Msg("unknown callback data")
		b.answer(ctx, q.ID, b.printer(q.From.LanguageCode).T("reason.not_allowed"), "")
	}
}

// tapCheckIn answers a tap on a group prompt's "Hadir" button: unregistered
// people are sent to register, people of another OPD are told so, people
// already checked in see their time, and everyone else is taken into the
// private chat, where the location can be asked for.
func (b *Bot) tapCheckIn(ctx context.Context, q *models.CallbackQuery, arg string) {
	p := b.printer(q.From.LanguageCode)
	emp, err := b.cfg.Store.EmployeeByTelegram(ctx, q.From.ID)
	if errors.Is(err, apel.ErrNotFound) {
		b.answer(ctx, q.ID, "", b.deepLink("daftar"))
		return
	}
	if err != nil {
		b.answer(ctx, q.ID, p.T("common.error"), "")
		zerolog.Ctx(ctx).Error().Err(err).Msg("load employee")
		return
	}
	p = b.printerFor(emp)
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		b.answer(ctx, q.ID, p.T("reason.no_session"), "")
		return
	}
	sess, err := b.cfg.Store.Session(ctx, id)
	if err != nil {
		b.answer(ctx, q.ID, p.T("reason.no_session"), "")
		return
	}
	loc := b.cfg.Policy.Location
	switch prev, err := b.cfg.Store.CheckIn(ctx, sess.ID, emp.ID); {
	case sess.OPD != emp.OPD:
		b.answer(ctx, q.ID, p.T("checkin.other_opd", b.opdName(sess.OPD)), "")
	case err == nil:
		b.answer(ctx, q.ID, p.T("reason.already_checked_in", p.Time(prev.Fix.At.In(loc))), "")
	case sess.Closed || b.cfg.Now().After(sess.Closes):
		b.answer(ctx, q.ID, p.T("reason.session_closed", p.Time(sess.Opens.In(loc)), p.Time(sess.Closes.In(loc))), "")
	default:
		b.answer(ctx, q.ID, "", b.deepLink("hadir"))
	}
}
