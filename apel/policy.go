package apel

import (
	"errors"
	"fmt"
	"time"
)

// SessionKind is apel pagi or apel sore.
type SessionKind string

// Session kinds, in the order they happen in a day.
const (
	Pagi SessionKind = "pagi"
	Sore SessionKind = "sore"
)

// Window sets the check-in window around each apel time.
type Window struct {
	OpenBefore   time.Duration // the prompt goes out this long before apel time
	LateAfter    time.Duration // grace: a check-in up to apel time + LateAfter is on time
	CloseAfter   time.Duration // the window closes at apel time + CloseAfter
	RemindBefore time.Duration // unchecked people are reminded this long before close
}

// Validate checks that the window's parts are ordered.
func (w Window) Validate() error {
	switch {
	case w.OpenBefore < 0 || w.LateAfter < 0 || w.CloseAfter <= 0 || w.RemindBefore < 0:
		return errors.New("window: durations must not be negative and close_after must be positive")
	case w.LateAfter > w.CloseAfter:
		return fmt.Errorf("window: late_after %v is after close_after %v", w.LateAfter, w.CloseAfter)
	case w.RemindBefore >= w.OpenBefore+w.CloseAfter:
		return fmt.Errorf("window: remind_before %v is not inside the window", w.RemindBefore)
	}
	return nil
}

// DayRule is the plan of one weekday: the apel times and the mode.
type DayRule struct {
	Pagi, Sore Clock
	Mode       Mode
}

// Policy is the pemda's working-day policy: its time zone, its weekday table,
// the check-in window and the geofence radius.
type Policy struct {
	Location      *time.Location
	Days          map[time.Weekday]DayRule // a weekday missing here is a day off
	Window        Window
	RadiusM       float64 // geofence radius, metres
	OffDays       map[Date]string
	HeadsInOffice bool // OPD heads always work from office
}

// Validate checks the policy.
func (p Policy) Validate() error {
	if p.Location == nil {
		return errors.New("timezone: missing")
	}
	if err := p.Window.Validate(); err != nil {
		return err
	}
	if !(p.RadiusM > 0 && p.RadiusM <= 100000) { // also refuses NaN
		return fmt.Errorf("radius %v m: want more than 0 and at most 100000", p.RadiusM)
	}
	for wd, r := range p.Days {
		if err := r.Pagi.Validate(); err != nil {
			return fmt.Errorf("%s pagi: %w", wd, err)
		}
		if err := r.Sore.Validate(); err != nil {
			return fmt.Errorf("%s sore: %w", wd, err)
		}
		if m, err := ParseMode(string(r.Mode)); err != nil || m != r.Mode {
			return fmt.Errorf("%s: unknown mode %q: want WFO, WFH or WFA", wd, r.Mode)
		}
		pagi := time.Duration(r.Pagi.Hour)*time.Hour + time.Duration(r.Pagi.Minute)*time.Minute
		sore := time.Duration(r.Sore.Hour)*time.Hour + time.Duration(r.Sore.Minute)*time.Minute
		if pagi+p.Window.CloseAfter > sore-p.Window.OpenBefore {
			return fmt.Errorf("%s: apel pagi window (until %s + %v) overlaps apel sore (%s - %v)", wd, r.Pagi, p.Window.CloseAfter, r.Sore, p.Window.OpenBefore)
		}
		if sore+p.Window.CloseAfter > 24*time.Hour {
			return fmt.Errorf("%s: apel sore window runs past midnight", wd)
		}
		if pagi < p.Window.OpenBefore {
			return fmt.Errorf("%s: apel pagi window starts before midnight", wd)
		}
	}
	return nil
}

// WorkingDay reports whether d has apel: a weekday in the table and not a
// day off.
func (p Policy) WorkingDay(d Date) bool {
	if _, ok := p.Days[d.Weekday()]; !ok {
		return false
	}
	_, off := p.OffDays[d]
	return !off
}

// ModeOf implements Planner with the weekday table: direct-service OPDs and,
// when HeadsInOffice is set, OPD heads always work from office.
func (p Policy) ModeOf(opd OPD, e Employee, d Date) Assignment {
	if opd.DirectService {
		return Assignment{WFO, ModeByDirectService}
	}
	if p.HeadsInOffice && e.Role == RoleHead {
		return Assignment{WFO, ModeByRole}
	}
	r, ok := p.Days[d.Weekday()]
	if !ok || r.Mode == "" {
		return Assignment{WFO, ModeByWeekday}
	}
	return Assignment{r.Mode, ModeByWeekday}
}

// Slot is the timing of one apel session on one date.
type Slot struct {
	Date     Date
	Kind     SessionKind
	Apel     time.Time // the apel time itself
	Opens    time.Time // prompt goes out, check-ins accepted from here
	LateFrom time.Time // a check-in after this instant is late
	RemindAt time.Time
	Closes   time.Time // check-ins after this instant are refused
}

// Slots returns the sessions of d in order (pagi, sore), or none on a day off.
func (p Policy) Slots(d Date) []Slot {
	if !p.WorkingDay(d) {
		return nil
	}
	r := p.Days[d.Weekday()]
	mk := func(k SessionKind, c Clock) Slot {
		at := d.At(c, p.Location)
		closes := at.Add(p.Window.CloseAfter)
		return Slot{
			Date: d, Kind: k, Apel: at,
			Opens:    at.Add(-p.Window.OpenBefore),
			LateFrom: at.Add(p.Window.LateAfter),
			RemindAt: closes.Add(-p.Window.RemindBefore),
			Closes:   closes,
		}
	}
	return []Slot{mk(Pagi, r.Pagi), mk(Sore, r.Sore)}
}

// Slot returns the slot of kind k on d.
func (p Policy) Slot(d Date, k SessionKind) (Slot, bool) {
	for _, s := range p.Slots(d) {
		if s.Kind == k {
			return s, true
		}
	}
	return Slot{}, false
}
