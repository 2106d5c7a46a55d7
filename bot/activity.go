package bot

import (
	"context"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// reportStore is the part of Store that the reports read and write: daily
// activity reports (activity.go), the head's view (rekap.go) and the
// monthly evaluation (bulanan.go).
type reportStore interface {
	RecordActivity(ctx context.Context, a apel.Activity, updateID int64, at time.Time) (apel.Activity, error)
	Day(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, error)
	Month(ctx context.Context, from, to apel.Date, opds []apel.OPD) ([]apel.Day, error)
}

// awaitingActivity marks a person whose next text (or captioned photo) is
// the day's activity report.
const awaitingActivity = "activity"

// activityWait is how long /laporan waits for the report.
const activityWait = 30 * time.Minute

// activity handles /laporan: with text (or as the caption of a photo) it
// records the day's activity report; alone it waits for the report in the
// next message.
func (b *Bot) activity(ctx context.Context, emp apel.Employee, m *models.Message, updateID int64) {
	// Everything after the command word, the writer's line breaks kept.
	text := ""
	if i := strings.IndexAny(strings.TrimSpace(commandText(m)), " \n"); i >= 0 {
		text = strings.TrimSpace(strings.TrimSpace(commandText(m))[i:])
	}
	if text != "" || len(m.Photo) > 0 {
		b.recordActivity(ctx, emp, m, text, updateID)
		return
	}
	p := b.printerFor(emp)
	if err := b.cfg.Store.SetAwaiting(ctx, emp.TelegramID, awaitingActivity, b.cfg.Now().Add(activityWait)); err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	b.sendText(ctx, emp.TelegramID, p.T("activity.ask"), nil)
}

// freeText handles a message that is not a command from a registered
// person: the activity report they were asked for, else the help.
func (b *Bot) freeText(ctx context.Context, emp apel.Employee, m *models.Message, updateID int64) {
	what, err := b.cfg.Store.Awaiting(ctx, emp.TelegramID, b.cfg.Now())
	if err != nil {
		b.fail(ctx, m.Chat.ID, emp.Lang, err)
		return
	}
	if what == awaitingActivity {
		b.recordActivity(ctx, emp, m, strings.TrimSpace(m.Text+m.Caption), updateID)
		return
	}
	if strings.HasPrefix(what, awaitCorrectNote) {
		b.correctNote(ctx, emp, m, what)
		return
	}
	b.help(ctx, m.Chat.ID, b.printerFor(emp), true)
}

// recordActivity records text (and the photo of m, if any) as emp's
// activity report of the message's date, when the plan has them working
// off-site that day.
func (b *Bot) recordActivity(ctx context.Context, emp apel.Employee, m *models.Message, text string, updateID int64) {
	p := b.printerFor(emp)
	loc := b.cfg.Policy.Location
	sent := time.Unix(int64(m.Date), 0)
	d := apel.DateOf(sent, loc)
	dp, err := b.planOf(ctx, emp.OPD, d)
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	a, _ := dp.Of(emp.ID)
	if err := apel.CheckActivity(dp.Off == "", a, text); err != nil {
		b.refuse(ctx, emp.TelegramID, p, err)
		return
	}
	stored, err := b.cfg.Store.RecordActivity(ctx, apel.Activity{
		EmployeeID: emp.ID, Date: d, Text: text, PhotoID: photoID(m), Mode: a.Mode, UpdatedAt: sent,
	}, updateID, b.cfg.Now())
	if err != nil {
		b.fail(ctx, emp.TelegramID, emp.Lang, err)
		return
	}
	if err := b.cfg.Store.SetAwaiting(ctx, emp.TelegramID, "", time.Time{}); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("clear awaiting")
	}
	zerolog.Ctx(ctx).Info().Int64("employee_id", emp.ID).Int("version", stored.Versions).Msg("activity report recorded")
	date := p.Date(d.At(apel.Clock{Hour: 12}, loc))
	if stored.Versions > 1 {
		b.sendText(ctx, emp.TelegramID, p.T("activity.updated", date, stored.Versions), nil)
		return
	}
	b.sendText(ctx, emp.TelegramID, p.T("activity.recorded", date), nil)
}

// photoID is the file id of the largest size of m's photo, "" for none.
// The photo stays at Telegram; the id fetches it again.
func photoID(m *models.Message) string {
	if len(m.Photo) == 0 {
		return ""
	}
	return m.Photo[len(m.Photo)-1].FileID
}

// commandText is where a message's command is: its text, or the caption
// of a photo.
func commandText(m *models.Message) string {
	if m.Text != "" {
		return m.Text
	}
	return m.Caption
}
