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

// DayRule is the plan of one weekday: the apel times and how the day's work
// is allocated (see Work).
type DayRule struct {
	Pagi, Sore Clock
	Mode       Mode   // WFO, or the off-site mode of the day (WFH, WFA)
	Shift      bool   // a mixed day: part of the staff off-site by rotation, the rest WFO
	Quota      *Quota // nil: the policy's quota
	Requests   []Mode // off-site modes an ASN may ask for on this weekday
}

// work returns the allocation part of r.
func (r DayRule) work() Work {
	return Work{Mode: r.Mode, Shift: r.Shift, Quota: r.Quota, Requests: r.Requests}
}

// Policy is the pemda's working-day policy: its time zone, its weekday table,
// the check-in window, the geofence radius, the days without apel, and the
// rules that decide where each person works (see Plan).
type Policy struct {
	Location      *time.Location
	Days          map[time.Weekday]DayRule // a weekday missing here is a day off
	Window        Window
	RadiusM       float64          // geofence radius, metres
	OffDays       map[Date]string  // days off the pemda declares, by name
	Holidays      map[Date]Holiday // national holidays and cuti bersama, with the operator's additions
	HeadsInOffice bool             // OPD heads always work from office
	// NoFlexibleWork switches flexible work off: everyone works from office
	// and nobody may ask otherwise (Kota Batu).
	NoFlexibleWork bool
	// WeeklyCap is the most days a person may work off-site in one week,
	// Monday to Sunday; 0 means no cap. The national rule is two.
	WeeklyCap int
	// Quota is the off-site quota of days whose rule sets none; nil means
	// 100% (50% on shift days).
	Quota *Quota
	// Overrides are the dated changes, by circular (SE); their windows
	// never overlap.
	Overrides []Override
	// Escalation names the requests that also need the PPK's approval.
	Escalation Escalation
}

// Validate checks the policy. Errors name the part: a weekday, "quota",
// "weekly_cap", "overrides[i]", "holidays <date>".
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
	for _, wd := range weekdays() {
		r, ok := p.Days[wd]
		if !ok {
			continue
		}
		if err := r.Pagi.Validate(); err != nil {
			return fmt.Errorf("%s pagi: %w", wd, err)
		}
		if err := r.Sore.Validate(); err != nil {
			return fmt.Errorf("%s sore: %w", wd, err)
		}
		if err := r.work().validate(wd.String()); err != nil {
			return err
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
	if p.Quota != nil {
		if err := p.Quota.Validate(); err != nil {
			return fmt.Errorf("quota: %w", err)
		}
	}
	if p.WeeklyCap < 0 || p.WeeklyCap > 7 {
		return fmt.Errorf("weekly_cap %d: want 0 (no cap) to 7", p.WeeklyCap)
	}
	for i, o := range p.Overrides {
		if err := o.validate(i); err != nil {
			return err
		}
		for j := range i {
			if o.overlaps(p.Overrides[j]) {
				return fmt.Errorf("overrides[%d]: %s overlaps overrides[%d] (%s)", i, o.window(), j, p.Overrides[j].window())
			}
		}
	}
	for d, h := range p.Holidays {
		if h.Date != d {
			return fmt.Errorf("holidays %s: filed under %s", h.Date, d)
		}
		if h.Kind != NationalHoliday && h.Kind != CutiBersama {
			return fmt.Errorf("holidays %s: kind %q: want %s or %s", d, h.Kind, NationalHoliday, CutiBersama)
		}
	}
	return nil
}

// ValidateFor is Validate, and checks that every OPD an override names is
// one of opds.
func (p Policy) ValidateFor(opds []OPD) error {
	if err := p.Validate(); err != nil {
		return err
	}
	known := make(map[string]bool, len(opds))
	for _, o := range opds {
		known[o.Code] = true
	}
	for i, o := range p.Overrides {
		for j, code := range o.OPDs {
			if !known[code] {
				return fmt.Errorf("overrides[%d].opds[%d]: unknown OPD %q", i, j, code)
			}
		}
	}
	return nil
}

// WorkingDay reports whether d has apel: a weekday in the table, not a
// national holiday or cuti bersama, and not a day the pemda marks off.
func (p Policy) WorkingDay(d Date) bool {
	return p.DayOff(d) == ""
}

// DayOff says why d has no apel, and "" when it has.
func (p Policy) DayOff(d Date) DayOff {
	if _, ok := p.Days[d.Weekday()]; !ok {
		return OffWeekend
	}
	if h, ok := p.Holidays[d]; ok {
		if h.Kind == CutiBersama {
			return OffCutiBersama
		}
		return OffHoliday
	}
	if _, ok := p.OffDays[d]; ok {
		return OffPemda
	}
	return ""
}

// DayOffName is the name of the holiday or pemda day off on d, "" when it
// has none.
func (p Policy) DayOffName(d Date) string {
	if h, ok := p.Holidays[d]; ok {
		return h.Name
	}
	return p.OffDays[d]
}

// Override returns the override in force on d.
func (p Policy) Override(d Date) (Override, bool) {
	for _, o := range p.Overrides {
		if o.Covers(d) {
			return o, true
		}
	}
	return Override{}, false
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
