package apel

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by the adapters. The store wraps them; callers match
// them with errors.Is.
var (
	// ErrNotFound is returned when a looked-up record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a write would break a uniqueness rule,
	// such as a second check-in for the same session.
	ErrConflict = errors.New("conflict")
	// ErrNotLeader is returned for work fenced by a lease (see store
	// leases) when the caller no longer holds it: another replica has
	// taken over, and the work is theirs now.
	ErrNotLeader = errors.New("not the leader")
)

// Reason is the stable code of a rule refusal or a judgement note. Codes are
// used as locale keys ("reason.<code>"), so they never change once shipped.
type Reason string

// Reason codes.
const (
	ReasonForwardedLocation Reason = "forwarded_location"
	ReasonVenueLocation     Reason = "venue_location"
	ReasonLiveOnly          Reason = "live_only"
	ReasonInvalidLocation   Reason = "invalid_location"
	ReasonNoSession         Reason = "no_session"
	ReasonSessionNotOpen    Reason = "session_not_open"
	ReasonSessionClosed     Reason = "session_closed"
	ReasonAlreadyCheckedIn  Reason = "already_checked_in"
	ReasonNotRegistered     Reason = "not_registered"
	ReasonExcused           Reason = "excused"
	ReasonNotAllowed        Reason = "not_allowed"
	ReasonNIPTaken          Reason = "nip_taken"
	ReasonAccountBound      Reason = "account_bound"
	ReasonUnknownNIP        Reason = "unknown_nip"
	ReasonInvalidNIP        Reason = "invalid_nip"
	ReasonUnknownOPD        Reason = "unknown_opd"
	ReasonNoHomePoint       Reason = "no_home_point"
	ReasonAlreadyDecided    Reason = "already_decided"
	ReasonAtHome            Reason = "at_home"             // note: a WFO check-in from the approved home point
	ReasonRequestIncomplete Reason = "request_incomplete"  // a request without its reason, work plan or place
	ReasonRequestDates      Reason = "request_dates"       // dates in the past, reversed or too long
	ReasonRequestNotAllowed Reason = "request_not_allowed" // the day's rule does not let anyone ask for that mode
	ReasonRequestOverlap    Reason = "request_overlap"     // another request of the person covers a date
	ReasonFlexibleOff       Reason = "flexible_off"        // the pemda switched flexible work off
	ReasonNotEligible       Reason = "not_eligible"        // new employee or disciplinary process
	ReasonQuotaFull         Reason = "quota_full"          // the OPD's off-site quota of a date is used up
	ReasonWeeklyCap         Reason = "weekly_cap"          // the person would exceed the off-site days of a week
	ReasonNoApelDay         Reason = "no_apel_day"         // none of the dates has apel
	ReasonNotShiftDay       Reason = "not_shift_day"       // the date has no rotation to change
	ReasonCorrectOtherOPD   Reason = "correct_other_opd"   // a head correcting another OPD's staff
	ReasonCorrectFuture     Reason = "correct_future"      // a correction of a date still to come
	ReasonCorrectNoChange   Reason = "correct_no_change"   // the correction sets the status already in force
	ReasonCorrectionNote    Reason = "correction_note"     // reason "other" needs a note
	ReasonReviewNoReason    Reason = "review_no_reason"    // a flag review rejecting without a reason, or with too long a one
)

// Reasons lists every reason code, so that adapters can check that each one
// has a message.
func Reasons() []Reason {
	return []Reason{
		ReasonForwardedLocation, ReasonVenueLocation, ReasonLiveOnly, ReasonInvalidLocation,
		ReasonNoSession, ReasonSessionNotOpen, ReasonSessionClosed, ReasonAlreadyCheckedIn,
		ReasonNotRegistered, ReasonExcused, ReasonNotAllowed, ReasonNIPTaken, ReasonAccountBound,
		ReasonUnknownNIP, ReasonInvalidNIP, ReasonUnknownOPD, ReasonNoHomePoint, ReasonAlreadyDecided,
		ReasonAtHome, ReasonRequestIncomplete, ReasonRequestDates, ReasonRequestNotAllowed, ReasonRequestOverlap,
		ReasonFlexibleOff, ReasonNotEligible, ReasonQuotaFull, ReasonWeeklyCap, ReasonNoApelDay, ReasonNotShiftDay,
		ReasonCorrectOtherOPD, ReasonCorrectFuture, ReasonCorrectNoChange, ReasonCorrectionNote,
		ReasonReviewNoReason,
	}
}

// Refusal is a rule saying no. It carries a stable Reason that adapters
// translate into a sentence for the user.
type Refusal struct {
	Reason Reason
	Detail string // optional, for logs; never shown to users
}

// Error implements error.
func (r *Refusal) Error() string {
	if r.Detail == "" {
		return "refused: " + string(r.Reason)
	}
	return fmt.Sprintf("refused: %s: %s", r.Reason, r.Detail)
}

// Refuse returns a *Refusal for reason.
func Refuse(reason Reason) error { return &Refusal{Reason: reason} }

// ReasonOf returns the reason code of err when it is (or wraps) a *Refusal.
func ReasonOf(err error) (Reason, bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Reason, true
	}
	return "", false
}
