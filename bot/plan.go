package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// planStore is the part of Store the policy engine's flows need: the
// person records a plan reads, the requests with their audit trail, and the
// heads' changes to the rotation.
type planStore interface {
	Facts(ctx context.Context, opd string, from, to apel.Date) (apel.Facts, error)
	CreateRequest(ctx context.Context, r apel.Request, at time.Time) (apel.Request, error)
	Request(ctx context.Context, id int64) (apel.Request, error)
	DecideRequest(ctx context.Context, d apel.Decision, check func(apel.Request, apel.Facts) error) (apel.Request, error)
	SetShift(ctx context.Context, s apel.Shift, check func(apel.Facts) error) error
	ClearShift(ctx context.Context, employeeID int64, d apel.Date) error
	RequestsOf(ctx context.Context, employeeID int64, since apel.Date) ([]apel.Request, error)
}

// planOf returns the plan of OPD code on d, from the records of d's week.
func (b *Bot) planOf(ctx context.Context, code string, d apel.Date) (apel.DayPlan, error) {
	dp, _, err := b.planFacts(ctx, code, d)
	return dp, err
}

// planFacts is planOf with the records it planned from.
func (b *Bot) planFacts(ctx context.Context, code string, d apel.Date) (apel.DayPlan, apel.Facts, error) {
	m := apel.MondayOf(d)
	f, err := b.cfg.Store.Facts(ctx, code, m, m.AddDays(6))
	if err != nil {
		return apel.DayPlan{}, apel.Facts{}, fmt.Errorf("plan %s %s: %w", code, d, err)
	}
	return b.cfg.Planner.Plan(b.opds[code], d, f), f, nil
}

// weekOf returns the plans of OPD code from Monday to Sunday of d's week.
func (b *Bot) weekOf(ctx context.Context, code string, d apel.Date) ([]apel.DayPlan, error) {
	m := apel.MondayOf(d)
	f, err := b.cfg.Store.Facts(ctx, code, m, m.AddDays(6))
	if err != nil {
		return nil, fmt.Errorf("plan week %s %s: %w", code, m, err)
	}
	out := make([]apel.DayPlan, 7)
	for i := range out {
		out[i] = b.cfg.Planner.Plan(b.opds[code], m.AddDays(i), f)
	}
	return out, nil
}

// assignment returns where emp works on d and the plan of their OPD. A
// person missing from the plan (inactive) gets the day's rule.
func (b *Bot) assignment(ctx context.Context, emp apel.Employee, d apel.Date) (apel.Assignment, apel.DayPlan, error) {
	dp, err := b.planOf(ctx, emp.OPD, d)
	if err != nil {
		return apel.Assignment{}, apel.DayPlan{}, err
	}
	a, ok := dp.Of(emp.ID)
	if !ok {
		a = apel.Assignment{EmployeeID: emp.ID, Mode: dp.Work.Mode, Reason: dp.Reason, Reference: dp.Reference}
		if dp.Off != "" {
			a.Mode = ""
		}
	}
	return a, dp, nil
}

// reasonText is why a person works where they do: the reason, or the
// excuse kind, and the circular in force when withRef is set.
func reasonText(p locales.Printer, a apel.Assignment, withRef bool) string {
	text := p.T("mode_reason." + string(a.Reason))
	if a.Excused() {
		text = p.T("excuse." + string(a.Excuse))
	}
	if withRef && a.Reference != "" && a.Reason != apel.ModeByExcuse && a.Reason != apel.ModeByDayOff {
		text += "; " + esc(a.Reference)
	}
	return text
}

// dayOffText is why d has no apel: the holiday's name, or the weekend.
func dayOffText(p locales.Printer, info apel.DayInfo) string {
	if info.OffName != "" {
		return p.T("dayoff."+string(info.Off), esc(info.OffName))
	}
	return p.T("dayoff." + string(info.Off))
}

// modeOrExcuse names a's mode, or the excuse.
func modeOrExcuse(p locales.Printer, a apel.Assignment) string {
	if a.Excused() {
		return p.T("excuse." + string(a.Excuse))
	}
	if a.Mode == "" {
		return p.T("mode_reason." + string(apel.ModeByDayOff))
	}
	return modeName(p, a.Mode)
}

// dateAt returns d as an instant at midday in the pemda's zone, for the
// printer's date formats.
func (b *Bot) dateAt(d apel.Date) time.Time {
	return d.At(apel.Clock{Hour: 12}, b.cfg.Policy.Location)
}

// parseDay reads a date a person types: YYYY-MM-DD, "hari-ini"/"today",
// "besok"/"tomorrow".
func parseDay(s string, today apel.Date) (apel.Date, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "hari-ini", "hariini", "today", "sekarang":
		return today, nil
	case "besok", "tomorrow":
		return today.AddDays(1), nil
	case "lusa":
		return today.AddDays(2), nil
	}
	return apel.ParseDate(s)
}

// parseRange reads a date or a range "FROM..TO".
func parseRange(s string, today apel.Date) (from, to apel.Date, err error) {
	a, c, isRange := strings.Cut(s, "..")
	if from, err = parseDay(a, today); err != nil {
		return apel.Date{}, apel.Date{}, err
	}
	if !isRange {
		return from, from, nil
	}
	to, err = parseDay(c, today)
	return from, to, err
}
