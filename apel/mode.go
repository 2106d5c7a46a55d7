package apel

import (
	"fmt"
	"strings"
)

// Mode is where an ASN works on a day.
type Mode string

// Work modes.
const (
	WFO Mode = "WFO" // work from office: judged against the office point
	WFH Mode = "WFH" // work from home: judged against the approved home point
	WFA Mode = "WFA" // work from anywhere: recorded as is
)

// ParseMode accepts "WFO", "WFH" or "WFA" in any case.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToUpper(strings.TrimSpace(s))); m {
	case WFO, WFH, WFA:
		return m, nil
	}
	return "", fmt.Errorf("unknown mode %q: want WFO, WFH or WFA", s)
}

// ModeReason says which rule set a person's mode (or excused them, or
// left them without apel). Reasons are locale keys ("mode_reason.<code>"),
// so they never change once shipped.
type ModeReason string

// Mode reasons.
const (
	ModeByWeekday       ModeReason = "weekday"        // the policy's weekday table
	ModeByOverride      ModeReason = "override"       // a dated override (circular) in force
	ModeByDirectService ModeReason = "direct_service" // the OPD serves the public directly
	ModeByRole          ModeReason = "role"           // heads stay in office
	ModeByFlexibleOff   ModeReason = "flexible_off"   // the pemda switched flexible work off
	ModeByNotListed     ModeReason = "not_listed"     // the override in force leaves the OPD out of flexible work
	ModeByEligibility   ModeReason = "not_eligible"   // a new employee or one under a disciplinary process
	ModeByWeeklyCap     ModeReason = "weekly_cap"     // the person had their off-site days this week
	ModeByShift         ModeReason = "shift"          // the rotation of a mixed (or quota-capped) day
	ModeByShiftOverride ModeReason = "shift_override" // the OPD head set it for the date
	ModeByRequest       ModeReason = "request"        // an approved request
	ModeByExcuse        ModeReason = "excused"        // izin, sakit, cuti or dinas luar
	ModeByDayOff        ModeReason = "day_off"        // no apel: weekend, holiday, cuti bersama, pemda day off
)

// ModeReasons lists every mode reason, so that adapters can check that each
// one has a message.
func ModeReasons() []ModeReason {
	return []ModeReason{ModeByWeekday, ModeByOverride, ModeByDirectService, ModeByRole, ModeByFlexibleOff,
		ModeByNotListed, ModeByEligibility, ModeByWeeklyCap, ModeByShift, ModeByShiftOverride, ModeByRequest,
		ModeByExcuse, ModeByDayOff}
}

// DayOff says why a date has no apel.
type DayOff string

// Days without apel.
const (
	OffWeekend     DayOff = "weekend"      // a weekday missing from the table
	OffHoliday     DayOff = "libur"        // a national holiday
	OffCutiBersama DayOff = "cuti_bersama" // collective leave
	OffPemda       DayOff = "off_day"      // a day the pemda marks off
)

// DayOffs lists every kind of day off.
func DayOffs() []DayOff { return []DayOff{OffWeekend, OffHoliday, OffCutiBersama, OffPemda} }

// Assignment is one person's place on one date and the rule that put them
// there. Mode is empty when they are excused or the date has no apel.
type Assignment struct {
	EmployeeID int64
	Mode       Mode
	Reason     ModeReason
	Excuse     ExcuseKind // set when Reason is ModeByExcuse
	Reference  string     // the legal reference of the override in force, if any
	RequestID  int64      // the approved request, when Reason is ModeByRequest
}

// Excused reports whether a excuses the person from apel.
func (a Assignment) Excused() bool { return a.Reason == ModeByExcuse }

// OffSite reports whether a works from home or anywhere.
func (a Assignment) OffSite() bool { return a.Mode == WFH || a.Mode == WFA }

// Planner decides where everyone works. Policy implements it; the bot and
// the scheduler plan through it, with the person records the store holds.
type Planner interface {
	// Plan returns the plan of opd on d.
	Plan(opd OPD, d Date, f Facts) DayPlan
}
