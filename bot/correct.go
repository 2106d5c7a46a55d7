package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// The correction flow (/koreksi): the command names the person and the
// date, buttons pick the session, the new status and the reason, the next
// message is the note, and a last button saves. The buttons carry the
// choices so far ("kx:<step>:<employee>:<yyyymmdd>:<session>:<status>:
// <reason>"); the note waits in the awaiting state. Every step checks the
// sender's rights again, so forged data corrects nothing.
const (
	awaitCorrectNote = "koreksi:"    // + choices: the note is awaited
	awaitCorrectOK   = "koreksi-ok:" // + choices + ":" + note: the save button is awaited
	correctWait      = 15 * time.Minute
)

// correctChoice is what the flow has gathered so far.
type correctChoice struct {
	Employee int64
	Date     apel.Date
	Sessions string // "p", "s" or "b" (both); "" not yet chosen
	Status   string // a code of correctStatuses; "" not yet chosen
	Reason   int    // index into apel.CorrectionReasons; -1 not yet chosen
}

// correctStatuses are the statuses a correction may set, by button code.
func correctStatuses() []struct {
	Code   string
	Status apel.Status
	Excuse apel.ExcuseKind
} {
	return []struct {
		Code   string
		Status apel.Status
		Excuse apel.ExcuseKind
	}{
		{"h", apel.StatusOnTime, ""}, {"t", apel.StatusLate, ""},
		{"i", apel.StatusExcused, apel.Izin}, {"s", apel.StatusExcused, apel.Sakit},
		{"c", apel.StatusExcused, apel.Cuti}, {"d", apel.StatusExcused, apel.DinasLuar},
		{"k", apel.StatusAbsent, ""},
	}
}

func (c correctChoice) encode() string {
	s := itoa(c.Employee) + ":" + fmt.Sprintf("%04d%02d%02d", c.Date.Year, c.Date.Month, c.Date.Day) + ":" + c.Sessions + ":" + c.Status
	if c.Reason >= 0 {
		s += ":" + strconv.Itoa(c.Reason)
	}
	return s
}

// parseChoice reads what encode wrote, with or without the reason.
func parseChoice(s string) (correctChoice, bool) {
	f := strings.Split(s, ":")
	if len(f) < 4 || len(f) > 5 || len(f[1]) != 8 {
		return correctChoice{}, false
	}
	c := correctChoice{Sessions: f[2], Status: f[3], Reason: -1}
	var err error
	if c.Employee, err = strconv.ParseInt(f[0], 10, 64); err != nil {
		return correctChoice{}, false
	}
	if c.Date, err = apel.ParseDate(f[1][:4] + "-" + f[1][4:6] + "-" + f[1][6:]); err != nil {
		return correctChoice{}, false
	}
	if c.Sessions != "" && c.Sessions != "p" && c.Sessions != "s" && c.Sessions != "b" {
		return correctChoice{}, false
	}
	if len(f) == 5 {
		if c.Reason, err = strconv.Atoi(f[4]); err != nil || c.Reason < 0 || c.Reason >= len(apel.CorrectionReasons()) {
			return correctChoice{}, false
		}
	}
	return c, true
}

// kinds are the session kinds the choice covers.
func (c correctChoice) kinds() []apel.SessionKind {
	switch c.Sessions {
	case "p":
		return []apel.SessionKind{apel.Pagi}
	case "s":
		return []apel.SessionKind{apel.Sore}
	}
	return []apel.SessionKind{apel.Pagi, apel.Sore}
}

// correctLines is the state of one person on one date for a correction:
// the person, their sessions of the date and their line in each.
type correctLines struct {
	Employee apel.Employee
	Sessions []apel.Session
	Lines    []apel.Attendance // by Sessions
}

// correct handles "/koreksi NIP [tanggal] [pagi|sore|semua]".
func (b *Bot) correct(ctx context.Context, by apel.Employee, cmd command) {
	p := b.printerFor(by)
	if by.Role != apel.RoleHead && by.Role != apel.RoleAdmin {
		b.sendText(ctx, by.TelegramID, p.T("correct.staff_refused"), nil)
		return
	}
	if len(cmd.Args) == 0 {
		b.sendText(ctx, by.TelegramID, p.T("correct.usage"), nil)
		return
	}
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	c := correctChoice{Date: today, Reason: -1}
	var nip []string
	for _, a := range cmd.Args {
		switch w := strings.ToLower(a); {
		case w == "pagi":
			c.Sessions = "p"
		case w == "sore":
			c.Sessions = "s"
		case w == "semua" || w == "both" || w == "keduanya":
			c.Sessions = "b"
		case w == "kemarin" || w == "yesterday":
			c.Date = today.AddDays(-1)
		case w == "hari-ini" || w == "today":
		case strings.ContainsAny(w, "-/") && len(w) >= 8:
			d, err := parseCorrectDate(w)
			if err != nil {
				b.sendText(ctx, by.TelegramID, p.T("correct.bad_date", esc(a)), nil)
				return
			}
			c.Date = d
		default:
			nip = append(nip, a)
		}
	}
	emp, err := b.cfg.Store.EmployeeByNIP(ctx, apel.NormalizeNIP(strings.Join(nip, "")))
	if errors.Is(err, apel.ErrNotFound) || (err == nil && !emp.Active) {
		b.sendText(ctx, by.TelegramID, p.T("reason.unknown_nip"), nil)
		return
	}
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return
	}
	c.Employee = emp.ID
	cl, ok := b.correctState(ctx, by, p, c)
	if !ok {
		return
	}
	text, kb := b.correctStep(p, cl, c)
	b.sendText(ctx, by.TelegramID, text, kb)
}

// parseCorrectDate reads 2026-01-13, 13-01-2026 or 13/01/2026.
func parseCorrectDate(s string) (apel.Date, error) {
	s = strings.ReplaceAll(s, "/", "-")
	if d, err := apel.ParseDate(s); err == nil {
		return d, nil
	}
	if f := strings.Split(s, "-"); len(f) == 3 && len(f[2]) == 4 {
		return apel.ParseDate(f[2] + "-" + pad2(f[1]) + "-" + pad2(f[0]))
	}
	return apel.Date{}, fmt.Errorf("invalid date %q", s)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// correctState checks that by may correct c's person on c's date and
// reads the person's sessions of that date and lines in them; it answers
// the refusal itself and returns false.
func (b *Bot) correctState(ctx context.Context, by apel.Employee, p locales.Printer, c correctChoice) (correctLines, bool) {
	emp, err := b.cfg.Store.Employee(ctx, c.Employee)
	if errors.Is(err, apel.ErrNotFound) {
		b.sendText(ctx, by.TelegramID, p.T("reason.unknown_nip"), nil)
		return correctLines{}, false
	}
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return correctLines{}, false
	}
	today := apel.DateOf(b.cfg.Now(), b.cfg.Policy.Location)
	if err := apel.CanCorrect(by, emp, c.Date, today); err != nil {
		if r, _ := apel.ReasonOf(err); r == apel.ReasonNotAllowed {
			b.sendText(ctx, by.TelegramID, p.T("correct.staff_refused"), nil)
			return correctLines{}, false
		}
		b.refuse(ctx, by.TelegramID, p, err)
		return correctLines{}, false
	}
	sessions, err := b.cfg.Store.Sessions(ctx, c.Date)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return correctLines{}, false
	}
	xs, err := b.cfg.Store.Excuses(ctx, c.Date)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return correctLines{}, false
	}
	cs, err := b.cfg.Store.Corrections(ctx, c.Date)
	if err != nil {
		b.fail(ctx, by.TelegramID, by.Lang, err)
		return correctLines{}, false
	}
	cl := correctLines{Employee: emp}
	for _, s := range sessions {
		if s.OPD != emp.OPD {
			continue
		}
		var cis []apel.CheckIn
		switch ci, err := b.cfg.Store.CheckIn(ctx, s.ID, emp.ID); {
		case err == nil:
			cis = append(cis, ci)
		case !errors.Is(err, apel.ErrNotFound):
			b.fail(ctx, by.TelegramID, by.Lang, err)
			return correctLines{}, false
		}
		rows, _ := apel.Roll(s, []apel.Employee{emp}, cis, xs, cs)
		cl.Sessions = append(cl.Sessions, s)
		cl.Lines = append(cl.Lines, rows[0])
	}
	held := false
	for _, s := range cl.Sessions {
		held = held || wants(c.kinds(), s.Kind)
	}
	if !held {
		b.sendText(ctx, by.TelegramID, p.T("correct.no_session", esc(emp.Name), p.Date(c.Date.At(apel.Clock{Hour: 12}, b.cfg.Policy.Location))), nil)
		return correctLines{}, false
	}
	return cl, true
}
