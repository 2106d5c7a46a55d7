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

// ModeReason says which rule set a person's mode.
type ModeReason string

// Mode reasons.
const (
	ModeByWeekday       ModeReason = "weekday"        // the policy's weekday table
	ModeByDirectService ModeReason = "direct_service" // the OPD serves the public directly
	ModeByRole          ModeReason = "role"           // heads stay in office
)

// Assignment is a person's mode on a date and the rule that set it.
type Assignment struct {
	Mode   Mode
	Reason ModeReason
}

// Planner decides the mode of an employee on a date. Policy implements it
// with the weekday table; a fuller policy engine can replace it without the
// adapters changing.
type Planner interface {
	ModeOf(opd OPD, e Employee, d Date) Assignment
}
