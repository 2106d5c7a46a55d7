package apel

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Flags are signals for review, not accusations: a flagged check-in still
// counts as present, and the OPD head (or BKPSDM) looks at the evidence and
// accepts or rejects it.

// FlagKind is the stable code of a flag; adapters use it as a locale key
// ("flag.<code>").
type FlagKind string

// Flag kinds.
const (
	// FlagPoorAccuracy: the fix's horizontal accuracy is worse than the
	// configured threshold, or the client gave none.
	FlagPoorAccuracy FlagKind = "poor_accuracy"
	// FlagOutsideRadius: the fix is outside the fence of the point the
	// check-in was judged against.
	FlagOutsideRadius FlagKind = "outside_radius"
	// FlagSharedCoordinates: another person sent exactly the same
	// coordinates within minutes. Real GPS jitters, so identical positions
	// of two people suggest one phone checking in for both.
	FlagSharedCoordinates FlagKind = "shared_coordinates"
	// FlagImpossibleTravel: the person's apel pagi and apel sore fixes of
	// the same day are further apart than anyone could travel in between.
	FlagImpossibleTravel FlagKind = "impossible_travel"
	// FlagForeignAccount: a Telegram account that is not the person's bound
	// one (its claim on the person's NIP was refused because the NIP is
	// bound to another account) sent a location during this apel.
	FlagForeignAccount FlagKind = "foreign_account"
)

// FlagKinds lists every flag kind, so that adapters can check that each has
// a message.
func FlagKinds() []FlagKind {
	return []FlagKind{FlagPoorAccuracy, FlagOutsideRadius, FlagSharedCoordinates, FlagImpossibleTravel, FlagForeignAccount}
}

// Flag is one signal raised on one check-in.
type Flag struct {
	CheckInID int64
	Kind      FlagKind
	// Other is what the flag points at: the other check-in for shared
	// coordinates and impossible travel, the foreign location for a foreign
	// account; 0 otherwise.
	Other int64
	// Value measures the signal: the accuracy in metres (0 = none given),
	// the distance in metres outside the radius, the minutes between the
	// shared fixes, the speed in km/h; 0 for a foreign account.
	Value float64
	At    time.Time // when the flag was raised
}

// Default flag thresholds.
const (
	DefaultMaxAccuracyM  = 100
	DefaultSharedWindow  = 10 * time.Minute
	DefaultMaxSpeedKmh   = 150
	DefaultForeignWindow = 30 * 24 * time.Hour
)

// FlagRules are the thresholds of the flags, from configuration.
type FlagRules struct {
	// MaxAccuracyM flags fixes whose horizontal accuracy is worse (larger)
	// than this many metres, and fixes without accuracy.
	MaxAccuracyM float64
	// SharedWindow is how close in time two people's identical coordinates
	// must be to be flagged.
	SharedWindow time.Duration
	// MaxSpeedKmh is the highest believable speed between a person's apel
	// pagi and apel sore fixes.
	MaxSpeedKmh float64
	// ForeignWindow is how long after a refused claim on a NIP the
	// claiming account's locations are recorded against that NIP.
	ForeignWindow time.Duration
}

// DefaultFlagRules returns the default thresholds.
func DefaultFlagRules() FlagRules {
	return FlagRules{MaxAccuracyM: DefaultMaxAccuracyM, SharedWindow: DefaultSharedWindow,
		MaxSpeedKmh: DefaultMaxSpeedKmh, ForeignWindow: DefaultForeignWindow}
}

// WithDefaults returns r with its zero fields set to the defaults.
func (r FlagRules) WithDefaults() FlagRules {
	d := DefaultFlagRules()
	if r.MaxAccuracyM == 0 {
		r.MaxAccuracyM = d.MaxAccuracyM
	}
	if r.SharedWindow == 0 {
		r.SharedWindow = d.SharedWindow
	}
	if r.MaxSpeedKmh == 0 {
		r.MaxSpeedKmh = d.MaxSpeedKmh
	}
	if r.ForeignWindow == 0 {
		r.ForeignWindow = d.ForeignWindow
	}
	return r
}

// Validate checks the thresholds (zero fields mean the defaults).
func (r FlagRules) Validate() error {
	switch {
	case math.IsNaN(r.MaxAccuracyM) || r.MaxAccuracyM < 0:
		return fmt.Errorf("max_accuracy_m %v: want more than 0", r.MaxAccuracyM)
	case r.SharedWindow < 0 || r.SharedWindow > 24*time.Hour:
		return fmt.Errorf("shared_window %v: want more than 0 and at most 24h", r.SharedWindow)
	case math.IsNaN(r.MaxSpeedKmh) || r.MaxSpeedKmh < 0:
		return fmt.Errorf("max_speed_kmh %v: want more than 0", r.MaxSpeedKmh)
	case r.ForeignWindow < 0:
		return errors.New("foreign_window: want more than 0")
	}
	return nil
}

// Own returns the flags a check-in raises on its own: poor accuracy and
// outside the radius. at is when they are raised.
func (r FlagRules) Own(c CheckIn, at time.Time) []Flag {
	r = r.WithDefaults()
	var fs []Flag
	if !(c.Fix.Accuracy > 0 && c.Fix.Accuracy <= r.MaxAccuracyM) {
		acc := c.Fix.Accuracy
		if !(acc > 0) { // none given, or nonsense
			acc = 0
		}
		fs = append(fs, Flag{CheckInID: c.ID, Kind: FlagPoorAccuracy, Value: acc, At: at})
	}
	if c.Place != PlaceAnywhere && !c.InPlace {
		fs = append(fs, Flag{CheckInID: c.ID, Kind: FlagOutsideRadius, Value: math.Round(c.Distance), At: at})
	}
	return fs
}

// sameCoordinates reports whether two fixes carry the same coordinates, to
// the 6 decimals (about 0.1 m) Telegram clients send.
func sameCoordinates(a, b Point) bool {
	return math.Round(a.Lat*1e6) == math.Round(b.Lat*1e6) && math.Round(a.Lon*1e6) == math.Round(b.Lon*1e6)
}

// Shared returns the shared-coordinates flags between c and others: when
// another person's check-in has the same coordinates within SharedWindow
// of c, one flag on c and one on that other check-in, each pointing at the
// other, with the minutes between them. Of several such check-ins, only the
// closest in time (then the lowest id) is paired with c, so that a crowd
// sending one position raises one pair per arrival, not one per pair of
// people: every member of the crowd still ends up flagged. others may
// include c itself and check-ins of c's person; both are skipped.
func (r FlagRules) Shared(c CheckIn, others []CheckIn, at time.Time) []Flag {
	r = r.WithDefaults()
	var best *CheckIn
	var bestGap time.Duration
	for i, o := range others {
		if o.ID == c.ID || o.EmployeeID == c.EmployeeID || !sameCoordinates(c.Fix.Point, o.Fix.Point) {
			continue
		}
		gap := c.Fix.At.Sub(o.Fix.At).Abs()
		if gap > r.SharedWindow {
			continue
		}
		if best == nil || gap < bestGap || (gap == bestGap && o.ID < best.ID) {
			best, bestGap = &others[i], gap
		}
	}
	if best == nil {
		return nil
	}
	minutes := math.Round(bestGap.Minutes())
	return []Flag{
		{CheckInID: c.ID, Kind: FlagSharedCoordinates, Other: best.ID, Value: minutes, At: at},
		{CheckInID: best.ID, Kind: FlagSharedCoordinates, Other: c.ID, Value: minutes, At: at},
	}
}

// Speed returns the speed in km/h needed to go from fix a to fix b, +Inf
// when they are at the same instant but apart.
func Speed(a, b Fix) float64 {
	d := Distance(a.Point, b.Point)
	dt := b.At.Sub(a.At).Abs().Hours()
	if dt == 0 {
		if d == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return d / 1000 / dt
}

// Travel returns the impossible-travel flags between c and the person's
// check-ins of other sessions of the same day (sameDay; check-ins of other
// people, of c's own session and c itself are skipped): when the speed
// between the two fixes exceeds MaxSpeedKmh, one flag on each, pointing at
// the other, with the speed (capped at 99,999 km/h).
func (r FlagRules) Travel(c CheckIn, sameDay []CheckIn, at time.Time) []Flag {
	r = r.WithDefaults()
	var fs []Flag
	for _, o := range sameDay {
		if o.ID == c.ID || o.EmployeeID != c.EmployeeID || o.SessionID == c.SessionID {
			continue
		}
		v := Speed(o.Fix, c.Fix)
		if v <= r.MaxSpeedKmh {
			continue
		}
		v = math.Round(math.Min(v, 99999))
		fs = append(fs,
			Flag{CheckInID: c.ID, Kind: FlagImpossibleTravel, Other: o.ID, Value: v, At: at},
			Flag{CheckInID: o.ID, Kind: FlagImpossibleTravel, Other: c.ID, Value: v, At: at})
	}
	return fs
}

// ForeignFix is a location sent for apel by a Telegram account that is not
// the person's bound one: the account claimed the person's NIP and was
// refused because the NIP is bound to another account.
type ForeignFix struct {
	ID         int64
	EmployeeID int64 // whose NIP the account claimed
	TelegramID int64 // the claiming account
	SessionID  int64 // the person's session open at the fix's time
	Fix        Fix
	RecordedAt time.Time
}

// Claim is a refused claim of a Telegram account on a NIP bound to another
// account.
type Claim struct {
	EmployeeID int64
	TelegramID int64
	At         time.Time
}

// Active reports whether the claim still ties the account's locations to
// the person at t: within ForeignWindow after the claim.
func (r FlagRules) Active(c Claim, t time.Time) bool {
	r = r.WithDefaults()
	return !t.Before(c.At) && t.Sub(c.At) <= r.ForeignWindow
}

// Foreign returns the foreign-account flags of c: one for each foreign
// location of c's person in c's session.
func Foreign(c CheckIn, fs []ForeignFix, at time.Time) []Flag {
	var out []Flag
	for _, f := range fs {
		if f.EmployeeID == c.EmployeeID && f.SessionID == c.SessionID {
			out = append(out, Flag{CheckInID: c.ID, Kind: FlagForeignAccount, Other: f.ID, At: at})
		}
	}
	return out
}

// ReviewDecision is what the OPD head (or BKPSDM) decided on a flagged
// check-in. A rejection is also a status correction: the line becomes
// absent (TK), with an audit entry (see RejectionCorrection).
type ReviewDecision string

// Review decisions.
const (
	ReviewAccept ReviewDecision = "accept" // the flags were looked at; the check-in stands
	ReviewReject ReviewDecision = "reject" // the check-in is not accepted as evidence of presence
)

// Review is the decision on all the flags of one check-in, with who took it,
// when and why.
type Review struct {
	CheckInID int64
	Decision  ReviewDecision
	By        int64 // employee id of the reviewer
	At        time.Time
	Note      string // why; required for a rejection
	// CorrectionID is the status correction a rejection made (the audit
	// entry setting the line to absent), 0 for an acceptance.
	CorrectionID int64
}

// MaxReviewNote is the longest review note, in bytes.
const MaxReviewNote = 500

// Validate checks a review: a known decision, a reviewer, and a reason for
// a rejection.
func (r Review) Validate() error {
	switch {
	case r.Decision != ReviewAccept && r.Decision != ReviewReject:
		return fmt.Errorf("review decision %q: want accept or reject", r.Decision)
	case r.By == 0:
		return errors.New("review: no reviewer")
	case r.Decision == ReviewReject && r.Note == "":
		return Refuse(ReasonReviewNoReason)
	case len(r.Note) > MaxReviewNote:
		return Refuse(ReasonReviewNoReason)
	}
	return nil
}

// CanReview reports whether viewer may decide on the flags of subject's
// check-in: the head of subject's OPD or BKPSDM, never on their own.
func CanReview(viewer, subject Employee) bool {
	return viewer.ID != subject.ID && viewer.CanManage(subject.OPD)
}

// CanSeeEvidence reports whether viewer may see the evidence of subject's
// check-ins: subject themselves, the head of subject's OPD, and BKPSDM.
func CanSeeEvidence(viewer, subject Employee) bool {
	return viewer.Active && (viewer.ID == subject.ID || viewer.CanManage(subject.OPD))
}

// RejectionCorrection is the status correction a rejection makes: the
// line's effective status before (before, with its excuse kind) becomes
// absent, for reason "other" with the review's note, by the reviewer.
func RejectionCorrection(c CheckIn, r Review, before Status, beforeExcuse ExcuseKind, byTelegram int64) Correction {
	return Correction{SessionID: c.SessionID, EmployeeID: c.EmployeeID, Before: before, BeforeExcuse: beforeExcuse,
		After: StatusAbsent, Reason: CorrectOther, Note: r.Note, By: r.By, ByTelegram: byTelegram, At: r.At}
}
