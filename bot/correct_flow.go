package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// correctStep is the message of the flow's next step: the person's lines
// of the date, then the buttons for what is still to choose (the session,
// the new status, the reason). A date with one session held skips the
// session's choice.
func (b *Bot) correctStep(p locales.Printer, cl correctLines, c correctChoice) (string, models.ReplyMarkup) {
	if c.Sessions == "" && len(cl.Sessions) == 1 {
		c.Sessions = map[apel.SessionKind]string{apel.Pagi: "p", apel.Sore: "s"}[cl.Sessions[0].Kind]
	}
	text := b.correctHeader(p, cl, c)
	var rows [][]models.InlineKeyboardButton
	switch {
	case c.Sessions == "":
		text += "\n\n" + p.T("correct.pick_session")
		var row []models.InlineKeyboardButton
		for _, s := range cl.Sessions {
			code := map[apel.SessionKind]string{apel.Pagi: "p", apel.Sore: "s"}[s.Kind]
			c2 := c
			c2.Sessions = code
			row = append(row, models.InlineKeyboardButton{Text: p.T("correct.session." + code), CallbackData: "kx:s:" + c2.encode()})
		}
		c2 := c
		c2.Sessions = "b"
		row = append(row, models.InlineKeyboardButton{Text: p.T("correct.session.b"), CallbackData: "kx:s:" + c2.encode()})
		rows = append(rows, row)
	case c.Status == "":
		text += "\n\n" + p.T("correct.pick_status")
		var row []models.InlineKeyboardButton
		for i, st := range correctStatuses() {
			c2 := c
			c2.Status = st.Code
			row = append(row, models.InlineKeyboardButton{Text: statusWord(p, st.Status, st.Excuse), CallbackData: "kx:t:" + c2.encode()})
			if i%4 == 3 {
				rows, row = append(rows, row), nil
			}
		}
		rows = append(rows, row)
	default:
		text += "\n\n" + p.T("correct.pick_reason", b.correctTarget(p, c))
		for i, r := range apel.CorrectionReasons() {
			c2 := c
			c2.Reason = i
			rows = append(rows, []models.InlineKeyboardButton{{Text: p.T("correct.reason." + string(r)), CallbackData: "kx:r:" + c2.encode()}})
		}
	}
	rows = append(rows, []models.InlineKeyboardButton{{Text: p.T("correct.cancel"), CallbackData: "kx:no"}})
	return text, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// correctHeader names the person and date and lists their lines.
func (b *Bot) correctHeader(p locales.Printer, cl correctLines, c correctChoice) string {
	loc := b.cfg.Policy.Location
	e := cl.Employee
	text := p.T("correct.header", esc(e.Name), esc(e.NIP), esc(e.OPD), p.Date(c.Date.At(apel.Clock{Hour: 12}, loc)))
	for i, s := range cl.Sessions {
		a := cl.Lines[i]
		line := p.T("correct.line", p.T("session."+string(s.Kind)), statusWord(p, a.Status, a.Excuse))
		if a.CheckIn != nil {
			line += p.T("correct.line_checkin", p.Clock(a.CheckIn.Fix.At.In(loc)))
		}
		if a.Corrected() {
			line += p.T("correct.line_corrected", len(a.Corrections))
		}
		text += "\n" + line
	}
	return text
}

// correctTarget is the new status of c, in words.
func (b *Bot) correctTarget(p locales.Printer, c correctChoice) string {
	for _, st := range correctStatuses() {
		if st.Code == c.Status {
			return statusWord(p, st.Status, st.Excuse)
		}
	}
	return ""
}

// correctCallback handles the flow's buttons.
func (b *Bot) correctCallback(ctx context.Context, q *models.CallbackQuery) {
	b.answer(ctx, q.ID, "", "")
	by, err := b.cfg.Store.EmployeeByTelegram(ctx, q.From.ID)
	if err != nil {
		b.sendText(ctx, q.From.ID, b.printer(q.From.LanguageCode).T("correct.staff_refused"), nil)
		return
	}
	p := b.printerFor(by)
	switch data := q.Data; {
	case data == "kx:no":
		b.clearCorrection(ctx, by)
		b.correctReply(ctx, q, p.T("correct.cancelled"), nil)
	case data == "kx:ok":
		b.saveCorrection(ctx, q, by)
	case len(data) > 5 && strings.HasPrefix(data, "kx:") && data[4] == ':':
		c, ok := parseChoice(data[5:])
		if !ok || (c.Status != "" && b.correctTarget(p, c) == "") {
			b.sendText(ctx, by.TelegramID, p.T("correct.usage"), nil)
			return
		}
		cl, ok := b.correctState(ctx, by, p, c)
		if !ok {
			return
		}
		if data[3] != 'r' {
			text, kb := b.correctStep(p, cl, c)
			b.correctReply(ctx, q, text, kb)
			return
		}
		if err := b.cfg.Store.SetAwaiting(ctx, by.TelegramID, awaitCorrectNote+c.encode(), b.cfg.Now().Add(correctWait)); err != nil {
			b.fail(ctx, by.TelegramID, by.Lang, err)
			return
		}
		b.correctReply(ctx, q, b.correctHeader(p, cl, c)+"\n\n"+p.T("correct.ask_note",
			b.correctTarget(p, c), p.T("correct.reason."+string(apel.CorrectionReasons()[c.Reason]))), nil)
	default:
		b.sendText(ctx, by.TelegramID, p.T("correct.usage"), nil)
	}
}

// correctReply edits the message whose button was pressed, or sends a new
// one when that message is out of reach.
func (b *Bot) correctReply(ctx context.Context, q *models.CallbackQuery, text string, kb models.ReplyMarkup) {
	if q.Message.Type == models.MaybeInaccessibleMessageTypeMessage && q.Message.Message != nil {
		if err := b.edit(ctx, prioReply, q.Message.Message.Chat.ID, q.Message.Message.ID, text, kb); err == nil {
			return
		}
	}
	b.sendText(ctx, q.From.ID, text, kb)
}

// correctNote takes the note of an awaited correction (what is the
// awaiting state) and asks to confirm.
func (b *Bot) correctNote(ctx context.Context, by apel.Employee, m *models.Message, what string) {
	p := b.printerFor(by)
	c, ok := parseChoice(strings.TrimPrefix(what, awaitCorrectNote))
	if !ok || c.Reason < 0 {
		b.clearCorrection(ctx, by)
		b.sendText(ctx, by.TelegramID, p.T("correct.usage"), nil)
		return
	}
	note := strings.TrimSpace(m.Text)
	if note == "-" {
		note = ""
	}
	reason := apel.CorrectionReasons()[c.Reason]
	switch {
	case reason == apel.CorrectOther && note == "":
		b.sendText(ctx, by.TelegramID, p.T("reason.correction_note"), nil)
		return
	case len([]rune(note)) > apel.MaxCorrectionNote:
		b.sendText(ctx, by.TelegramID, p.T("correct.note_too_long", apel.MaxCorrectionNote), nil)
		return
	}
	cl, ok := b.correctState(ctx, by, p, c)
	if !ok {
		b.clearCorrection(ctx, by)
		return
	}
	if err := b.cfg.Store.SetAwaiting(ctx, by.TelegramID, awaitCorrectOK+c.encode()+":"+note, b.cfg.Now().Add(correctWait)); err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	text := b.correctHeader(p, cl, c) + "\n\n" + p.T("correct.confirm", b.correctTarget(p, c),
		p.T("correct.session."+c.Sessions), p.T("correct.reason."+string(reason)))
	if note != "" {
		text += "\n" + p.T("correct.confirm_note", esc(note))
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: p.T("correct.save"), CallbackData: "kx:ok"}, {Text: p.T("correct.cancel"), CallbackData: "kx:no"},
	}}}
	b.sendText(ctx, by.TelegramID, text, kb)
}

// saveCorrection records the confirmed correction: one audit entry per
// session it covers whose status it changes.
func (b *Bot) saveCorrection(ctx context.Context, q *models.CallbackQuery, by apel.Employee) {
	p := b.printerFor(by)
	now := b.cfg.Now()
	what, err := b.cfg.Store.Awaiting(ctx, by.TelegramID, now)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	parts := strings.SplitN(strings.TrimPrefix(what, awaitCorrectOK), ":", 6)
	if !strings.HasPrefix(what, awaitCorrectOK) || len(parts) != 6 {
		b.correctReply(ctx, q, p.T("correct.expired"), nil)
		return
	}
	c, ok := parseChoice(strings.Join(parts[:5], ":"))
	if !ok || c.Reason < 0 {
		b.correctReply(ctx, q, p.T("correct.expired"), nil)
		return
	}
	note := parts[5]
	cl, ok := b.correctState(ctx, by, p, c)
	if !ok {
		b.clearCorrection(ctx, by)
		return
	}
	var target struct {
		Status apel.Status
		Excuse apel.ExcuseKind
	}
	for _, st := range correctStatuses() {
		if st.Code == c.Status {
			target.Status, target.Excuse = st.Status, st.Excuse
		}
	}
	mode := apel.Mode("")
	if dp, err := b.planOf(ctx, cl.Employee.OPD, c.Date); err == nil {
		if a, ok := dp.Of(cl.Employee.ID); ok {
			mode = a.Mode
		}
	}
	var cs []apel.Correction
	var kinds []string
	for i, s := range cl.Sessions {
		if !wants(c.kinds(), s.Kind) {
			continue
		}
		corr, err := cl.Lines[i].Correct(apel.Correction{SessionID: s.ID, EmployeeID: cl.Employee.ID, Date: s.Date, Kind: s.Kind,
			After: target.Status, Excuse: target.Excuse, Mode: mode, Reason: apel.CorrectionReasons()[c.Reason], Note: note,
			By: by.ID, ByTelegram: by.TelegramID, At: now})
		if err != nil {
			continue // this session already has that status
		}
		cs = append(cs, corr)
		kinds = append(kinds, p.T("session."+string(s.Kind)))
	}
	if len(cs) == 0 {
		b.clearCorrection(ctx, by)
		b.correctReply(ctx, q, p.T("reason.correct_no_change"), nil)
		return
	}
	ids, err := b.cfg.Store.RecordCorrections(ctx, cs)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	b.clearCorrection(ctx, by)
	zerolog.Ctx(ctx).Info().Int64("employee_id", cl.Employee.ID).Int64("by", by.ID).Ints64("corrections", ids).
		Str("reason", string(cs[0].Reason)).Msg("status corrected")
	date := p.Date(c.Date.At(apel.Clock{Hour: 12}, b.cfg.Policy.Location))
	b.correctReply(ctx, q, p.T("correct.saved", esc(cl.Employee.Name), strings.Join(kinds, ", "), date,
		correctionText(p, cs[0])), nil)
	if e := cl.Employee; e.Registered() && e.ID != by.ID {
		ep := b.printerFor(e)
		b.sendText(ctx, e.TelegramID, ep.T("correct.notice", strings.Join(kinds, ", "), ep.Date(c.Date.At(apel.Clock{Hour: 12}, b.cfg.Policy.Location)),
			esc(by.Name), correctionText(ep, cs[0])), nil)
	}
}

func wants(kinds []apel.SessionKind, k apel.SessionKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// clearCorrection drops an awaited correction.
func (b *Bot) clearCorrection(ctx context.Context, by apel.Employee) {
	what, err := b.cfg.Store.Awaiting(ctx, by.TelegramID, b.cfg.Now())
	if err != nil || !(strings.HasPrefix(what, awaitCorrectNote) || strings.HasPrefix(what, awaitCorrectOK)) {
		return
	}
	if err := b.cfg.Store.SetAwaiting(ctx, by.TelegramID, "", time.Time{}); err != nil && !errors.Is(err, context.Canceled) {
		zerolog.Ctx(ctx).Error().Err(err).Msg("clear awaiting")
	}
}
