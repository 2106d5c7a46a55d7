package apel

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// CorrectionReason is why a status was corrected. Codes are locale keys
// ("correct.reason.<code>"), so they never change once shipped.
type CorrectionReason string

// Correction reasons: the fixed list a head or BKPSDM picks from.
const (
	CorrectGPSError  CorrectionReason = "gps_error"  // the phone's location was wrong
	CorrectOutage    CorrectionReason = "outage"     // the bot, Telegram or the network was down
	CorrectForgot    CorrectionReason = "forgot"     // present, but forgot to check in
	CorrectWrongMode CorrectionReason = "wrong_mode" // judged against the wrong mode or place
	CorrectOther     CorrectionReason = "other"      // anything else: the note says what
)

// CorrectionReasons lists the reasons in the order the bot offers them.
func CorrectionReasons() []CorrectionReason {
	return []CorrectionReason{CorrectGPSError, CorrectOutage, CorrectForgot, CorrectWrongMode, CorrectOther}
}

// Validate reports whether r is one of the fixed reasons.
func (r CorrectionReason) Validate() error {
	for _, x := range CorrectionReasons() {
		if r == x {
			return nil
		}
	}
	return fmt.Errorf("unknown correction reason %q", string(r))
}

// Correction is one audit entry: a change of an employee's status in one
// session, made by an OPD head or a BKPSDM admin. Corrections are only ever
// added: the original check-in (or its absence) stays as recorded, and the
// effective status of a line is the original one with its corrections
// applied in order (see Apply).
type Correction struct {
	ID         int64
	SessionID  int64 // the session corrected
	EmployeeID int64 // whose status
	Date       Date  // the session's date
	Kind       SessionKind
	// Before is the effective status when the correction was made, with
	// its excuse kind when excused; After is the status it sets.
	Before       Status
	BeforeExcuse ExcuseKind
	After        Status
	Excuse       ExcuseKind // the kind when After is StatusExcused
	// Mode is the work mode a line corrected to present counts under when
	// it has no check-in (the planned mode of the day); "" counts as WFO.
	Mode       Mode
	Reason     CorrectionReason
	Note       string    // free text, may be empty (required for CorrectOther)
	By         int64     // employee id of the corrector
	ByTelegram int64     // the Telegram account that sent the correction
	At         time.Time // when it was recorded
}

// MaxCorrectionNote is the longest note kept, in runes.
const MaxCorrectionNote = 500

// CorrectionTargets lists the statuses a correction may set, in the order
// the bot offers them (excused comes once per ExcuseKind).
func CorrectionTargets() []Status {
	return []Status{StatusOnTime, StatusLate, StatusExcused, StatusAbsent}
}

// Validate checks c's own fields: a known session and employee, a status a
// correction may set (with an excuse kind exactly when excused), a reason
// from the list, a note for "other", and a note of bounded length.
func (c Correction) Validate() error {
	switch {
	case c.SessionID == 0 || c.EmployeeID == 0:
		return fmt.Errorf("correction: session and employee required")
	case c.Kind != Pagi && c.Kind != Sore:
		return fmt.Errorf("correction: unknown session kind %q", c.Kind)
	case c.Date.IsZero():
		return fmt.Errorf("correction: date required")
	case c.By == 0:
		return fmt.Errorf("correction: corrector required")
	}
	switch c.After {
	case StatusOnTime, StatusLate, StatusAbsent:
		if c.Excuse != "" {
			return fmt.Errorf("correction: excuse kind given for status %s", c.After)
		}
	case StatusExcused:
		if _, err := ParseExcuseKind(string(c.Excuse)); err != nil || c.Excuse == "" {
			return fmt.Errorf("correction: excused needs an excuse kind, got %q", c.Excuse)
		}
	default:
		return fmt.Errorf("correction: a correction cannot set status %q", c.After)
	}
	if err := c.Reason.Validate(); err != nil {
		return fmt.Errorf("correction: %w", err)
	}
	if c.Reason == CorrectOther && strings.TrimSpace(c.Note) == "" {
		return Refuse(ReasonCorrectionNote)
	}
	if len([]rune(c.Note)) > MaxCorrectionNote {
		return fmt.Errorf("correction: note longer than %d characters", MaxCorrectionNote)
	}
	return nil
}

// Changes reports whether c sets something other than what it found.
func (c Correction) Changes() bool {
	return c.Before != c.After || c.BeforeExcuse != c.Excuse
}

// CanCorrect decides whether by may correct target's status on date d,
// today being the current date in the pemda's zone. Refusals:
// ReasonNotAllowed for staff (or anyone inactive), ReasonCorrectOtherOPD
// for a head correcting another OPD's staff, ReasonCorrectFuture for a
// date after today. A BKPSDM admin may correct anyone.
func CanCorrect(by, target Employee, d, today Date) error {
	switch {
	case !by.Active || (by.Role != RoleHead && by.Role != RoleAdmin):
		return Refuse(ReasonNotAllowed)
	case by.Role == RoleHead && target.OPD != by.OPD:
		return Refuse(ReasonCorrectOtherOPD)
	case today.Before(d):
		return Refuse(ReasonCorrectFuture)
	}
	return nil
}

// correctionKey identifies one line: an employee in a session.
type correctionKey struct{ session, employee int64 }

// corrections indexes cs by line, each line's corrections in order.
type corrections map[correctionKey][]Correction

func indexCorrections(cs []Correction) corrections {
	if len(cs) == 0 {
		return nil
	}
	ix := make(corrections)
	for _, c := range cs {
		k := correctionKey{c.SessionID, c.EmployeeID}
		ix[k] = append(ix[k], c)
	}
	for _, l := range ix {
		sort.SliceStable(l, func(i, j int) bool { return correctionBefore(l[i], l[j]) })
	}
	return ix
}

func correctionBefore(a, b Correction) bool {
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	return a.ID < b.ID
}

// of returns the corrections of one line, in order.
func (ix corrections) of(session, employee int64) []Correction {
	if ix == nil {
		return nil
	}
	return ix[correctionKey{session, employee}]
}

// Apply returns a with cs applied in order: the last correction sets the
// status (and excuse kind), and the line is marked corrected. The check-in
// stays attached as the evidence it was.
func (a Attendance) Apply(cs []Correction) Attendance {
	if len(cs) == 0 {
		return a
	}
	last := cs[len(cs)-1]
	a.Status, a.Excuse = last.After, last.Excuse
	a.Corrections = cs
	a.Forgiven = false
	return a
}

// Corrected reports whether the line's status was set by a correction.
func (a Attendance) Corrected() bool { return len(a.Corrections) > 0 }

// mode is the mode a present line counts under: the check-in's, else the
// mode the last correction gives, else WFO.
func (a Attendance) mode() Mode {
	if a.CheckIn != nil {
		return a.CheckIn.Mode
	}
	if n := len(a.Corrections); n > 0 && a.Corrections[n-1].Mode != "" {
		return a.Corrections[n-1].Mode
	}
	return WFO
}

// outOfPlace reports whether a present line counts as out of place: its
// check-in was outside the fence and no correction has ruled on it since.
func (a Attendance) outOfPlace() bool {
	return a.CheckIn != nil && !a.CheckIn.InPlace && !a.Corrected() &&
		(a.Status == StatusOnTime || a.Status == StatusLate)
}

// Correct completes c as a correction of line a: Before is the line's
// effective status now. It refuses with ReasonCorrectNoChange a correction
// that sets the status already in force, unless the line is present but out
// of place (then the correction rules that the place was right: a GPS
// error). The result is checked with Validate.
func (a Attendance) Correct(c Correction) (Correction, error) {
	c.Before, c.BeforeExcuse = a.Status, ""
	if a.Status == StatusExcused {
		c.BeforeExcuse = a.Excuse
	}
	if !c.Changes() && !a.outOfPlace() {
		return Correction{}, Refuse(ReasonCorrectNoChange)
	}
	if err := c.Validate(); err != nil {
		return Correction{}, err
	}
	return c, nil
}
