package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// flagList handles /tanda [tanggal] [KODE]: the flagged check-ins of a
// date (today by default) of the head's OPD, or of any OPD for BKPSDM,
// with how to review each one.
func (b *Bot) flagList(ctx context.Context, viewer apel.Employee, cmd command) {
	p := b.printerFor(viewer)
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	d, code := today, viewer.OPD
	for _, a := range cmd.Args {
		if dd, err := parseDay(a, today); err == nil {
			d = dd
			continue
		}
		code = strings.ToUpper(a)
	}
	opd, ok := b.opds[code]
	if !ok {
		b.sendText(ctx, viewer.TelegramID, p.T("reason.unknown_opd", esc(code)), nil)
		return
	}
	if !viewer.CanManage(code) {
		b.sendText(ctx, viewer.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	flagged, err := b.flaggedOf(ctx, code, d)
	if err != nil {
		b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
		return
	}
	loc := b.cfg.Policy.Location
	var sb strings.Builder
	sb.WriteString(p.T("flags.title", esc(opd.Name), p.Date(b.dateAt(d))))
	if len(flagged) == 0 {
		sb.WriteString("\n\n" + p.T("flags.none"))
		b.sendText(ctx, viewer.TelegramID, sb.String(), nil)
		return
	}
	for _, f := range flagged {
		s, err := b.cfg.Store.Session(ctx, f.CheckIn.SessionID)
		if err != nil {
			b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
			return
		}
		sb.WriteString("\n\n" + p.T("flags.item", f.CheckIn.ID, esc(f.emp.Name), esc(f.emp.NIP),
			p.T("session."+string(s.Kind)), p.Time(f.CheckIn.Fix.At.In(loc))))
		for _, fl := range f.Flags {
			sb.WriteString("\n⚑ " + b.flagText(ctx, p, viewer, fl))
		}
		sb.WriteString("\n" + b.reviewText(ctx, p, f.Review))
	}
	sb.WriteString("\n\n" + p.T("flags.how"))
	b.sendText(ctx, viewer.TelegramID, sb.String(), acceptButtons(p, viewer, flagged))
}

// maxAcceptButtons caps the accept buttons under /tanda; the rest are
// reviewed with /tinjau.
const maxAcceptButtons = 20

// acceptButtons are one-tap acceptances of the listed check-ins the viewer
// may still decide on; a rejection needs a reason, so it stays a command.
func acceptButtons(p locales.Printer, viewer apel.Employee, flagged []flaggedPerson) models.ReplyMarkup {
	var rows [][]models.InlineKeyboardButton
	for _, f := range flagged {
		if f.Review != nil || !apel.CanReview(viewer, f.emp) || len(rows) == maxAcceptButtons {
			continue
		}
		rows = append(rows, []models.InlineKeyboardButton{{Text: p.T("flags.button_accept", f.CheckIn.ID),
			CallbackData: "fl:a:" + strconv.FormatInt(f.CheckIn.ID, 10)}})
	}
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// acceptFlagsTap handles the accept button of /tanda: the same decision
// as /tinjau NOMOR terima, checked the same way against the sender.
func (b *Bot) acceptFlagsTap(ctx context.Context, q *models.CallbackQuery, arg string) {
	b.answer(ctx, q.ID, "", "")
	emp, err := b.cfg.Store.EmployeeByTelegram(ctx, q.From.ID)
	if err != nil {
		if !errors.Is(err, apel.ErrNotFound) {
			zerolog.Ctx(ctx).Error().Err(err).Msg("load employee")
		}
		return
	}
	b.review(ctx, emp, command{Name: "tinjau", Args: []string{arg, "terima"}})
}

// flaggedPerson is a flagged check-in with its person.
type flaggedPerson struct {
	apel.Flagged
	emp apel.Employee
}

// flaggedOf returns the flagged check-ins of date d of OPD code.
func (b *Bot) flaggedOf(ctx context.Context, code string, d apel.Date) ([]flaggedPerson, error) {
	all, err := b.cfg.Store.FlaggedOn(ctx, d)
	if err != nil {
		return nil, err
	}
	var out []flaggedPerson
	for _, f := range all {
		e, err := b.cfg.Store.Employee(ctx, f.CheckIn.EmployeeID)
		if err != nil {
			return nil, err
		}
		if e.OPD == code {
			out = append(out, flaggedPerson{Flagged: f, emp: e})
		}
	}
	return out, nil
}

// review handles /tinjau <nomor> terima|tolak [alasan]: the head of the
// person's OPD (or BKPSDM) decides on a flagged check-in. Accepting keeps
// it as present; rejecting records that it is not accepted as evidence,
// with the reason, and tells the person. A decision is final.
func (b *Bot) review(ctx context.Context, viewer apel.Employee, cmd command) {
	p := b.printerFor(viewer)
	if len(cmd.Args) < 2 {
		b.sendText(ctx, viewer.TelegramID, p.T("review.usage"), nil)
		return
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(cmd.Args[0], "#"), 10, 64)
	var decision apel.ReviewDecision
	switch strings.ToLower(cmd.Args[1]) {
	case "terima", "accept", "ok":
		decision = apel.ReviewAccept
	case "tolak", "reject":
		decision = apel.ReviewReject
	}
	if err != nil || decision == "" {
		b.sendText(ctx, viewer.TelegramID, p.T("review.usage"), nil)
		return
	}
	note := strings.TrimSpace(strings.Join(cmd.Args[2:], " "))
	ev, err := b.cfg.Store.Evidence(ctx, id)
	if errors.Is(err, apel.ErrNotFound) {
		b.sendText(ctx, viewer.TelegramID, p.T("review.unknown", id), nil)
		return
	}
	if err != nil {
		b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
		return
	}
	subject, err := b.cfg.Store.Employee(ctx, ev.CheckIn.EmployeeID)
	if err != nil {
		b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
		return
	}
	if !apel.CanReview(viewer, subject) {
		b.sendText(ctx, viewer.TelegramID, p.T("reason.not_allowed"), nil)
		return
	}
	if len(ev.Flags) == 0 {
		b.sendText(ctx, viewer.TelegramID, p.T("review.no_flags", id), nil)
		return
	}
	s, err := b.cfg.Store.Session(ctx, ev.CheckIn.SessionID)
	if err != nil {
		b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
		return
	}
	r := apel.Review{CheckInID: id, Decision: decision, By: viewer.ID, At: b.cfg.Now(), Note: note}
	var corr *apel.Correction
	if decision == apel.ReviewReject {
		if err := r.Validate(); err != nil { // before reading the corrections
			b.refuse(ctx, viewer.TelegramID, p, err)
			return
		}
		c, err := b.rejection(ctx, ev.CheckIn, s, r, viewer.TelegramID)
		if err != nil {
			b.fail(ctx, viewer.TelegramID, viewer.Lang, err)
			return
		}
		corr = &c
	}
	cid, err := b.cfg.Store.Review(ctx, r, corr)
	if err != nil {
		b.refuse(ctx, viewer.TelegramID, p, err)
		return
	}
	zerolog.Ctx(ctx).Info().Int64("check_in_id", id).Str("decision", string(decision)).Int64("by", viewer.ID).
		Int64("correction_id", cid).Msg("flags reviewed")
	when := p.T("session."+string(s.Kind)) + ", " + p.Date(b.dateAt(s.Date))
	if decision == apel.ReviewAccept {
		b.sendText(ctx, viewer.TelegramID, p.T("review.accepted", esc(subject.Name), when), nil)
		return
	}
	b.sendText(ctx, viewer.TelegramID, p.T("review.rejected", esc(subject.Name), when), nil)
	if subject.Registered() {
		sp := b.printerFor(subject)
		b.sendText(ctx, subject.TelegramID, sp.T("review.rejected_notice", sp.T("session."+string(s.Kind))+", "+sp.Date(b.dateAt(s.Date)), esc(note)), nil)
	}
}

// rejection is the status correction rejecting check-in c makes: from the
// line's effective status now (the check-in's, or the last correction's)
// to absent.
func (b *Bot) rejection(ctx context.Context, c apel.CheckIn, s apel.Session, r apel.Review, byTelegram int64) (apel.Correction, error) {
	cs, err := b.cfg.Store.Corrections(ctx, s.Date)
	if err != nil {
		return apel.Correction{}, err
	}
	line := apel.Attendance{Status: apel.StatusOnTime, CheckIn: &c}
	if c.Late {
		line.Status = apel.StatusLate
	}
	var mine []apel.Correction
	for _, x := range cs {
		if x.SessionID == c.SessionID && x.EmployeeID == c.EmployeeID {
			mine = append(mine, x)
		}
	}
	line = line.Apply(mine)
	return apel.RejectionCorrection(c, r, line.Status, line.Excuse, byTelegram), nil
}
