package apel

import (
	"time"
)

// Fix is a location an ASN sent, as Telegram delivered it.
type Fix struct {
	Point
	Accuracy  float64   // horizontal accuracy in metres, 0 when the client gave none
	At        time.Time // the Telegram message time (not when the bot saw it)
	Live      bool      // a live location
	Forwarded bool      // forwarded from another chat: not the sender's own position
	Venue     bool      // a place picked on the map
}

// Check refuses a fix that is not evidence of where the sender is.
func (f Fix) Check() error {
	switch {
	case f.Forwarded:
		return Refuse(ReasonForwardedLocation)
	case f.Venue:
		return Refuse(ReasonVenueLocation)
	case f.Point.Validate() != nil || f.Point.IsZero():
		return Refuse(ReasonInvalidLocation)
	}
	return nil
}

// Place is the point a check-in was judged against.
type Place string

// Places.
const (
	PlaceOffice   Place = "office"
	PlaceHome     Place = "home"
	PlaceAnywhere Place = "anywhere"
)

// Verdict is the judgement of one check-in.
type Verdict struct {
	Late     bool
	LateBy   time.Duration // how far past the grace edge, 0 when on time
	Place    Place
	InPlace  bool    // inside the fence of Place (always true for anywhere)
	Distance float64 // metres from the point of Place; 0 for anywhere
	Note     Reason  // e.g. ReasonNoHomePoint when WFH had no approved home point
}

// Judgement is everything needed to judge one check-in.
type Judgement struct {
	Session Session
	Mode    Mode
	Office  Point
	Home    Point // the approved home point, zero when there is none (given for WFO too, to flag WFO from home)
	RadiusM float64
	Fix     Fix
}

// Judge decides whether a check-in counts and how: it refuses fixes that are
// not evidence or fall outside the session's window, then rules on time or
// late (Telegram message time against the grace edge) and in place or not
// (office for WFO, home for WFH, anywhere for WFA).
//
// A WFH check-in without an approved home point is accepted, judged against
// the office and marked with ReasonNoHomePoint, so the head sees why. A WFO
// check-in out of place but at the approved home point (Home, when given) is
// marked with ReasonAtHome: working from home on an office day.
func Judge(j Judgement) (Verdict, error) {
	if err := j.Fix.Check(); err != nil {
		return Verdict{}, err
	}
	if err := j.Session.Accepts(j.Fix); err != nil {
		return Verdict{}, err
	}
	var v Verdict
	if j.Fix.At.After(j.Session.LateFrom) {
		v.Late = true
		v.LateBy = j.Fix.At.Sub(j.Session.LateFrom).Truncate(time.Minute)
		if v.LateBy == 0 {
			v.LateBy = time.Minute
		}
	}
	switch j.Mode {
	case WFA:
		v.Place, v.InPlace = PlaceAnywhere, true
		return v, nil
	case WFH:
		if !j.Home.IsZero() {
			v.Place = PlaceHome
			v.InPlace, v.Distance = WithinFence(j.Fix.Point, j.Fix.Accuracy, j.Home, j.RadiusM)
			return v, nil
		}
		v.Note = ReasonNoHomePoint
	}
	v.Place = PlaceOffice
	v.InPlace, v.Distance = WithinFence(j.Fix.Point, j.Fix.Accuracy, j.Office, j.RadiusM)
	if j.Mode == WFO && !v.InPlace && !j.Home.IsZero() {
		if atHome, _ := WithinFence(j.Fix.Point, j.Fix.Accuracy, j.Home, j.RadiusM); atHome {
			v.Note = ReasonAtHome
		}
	}
	return v, nil
}

// CheckIn is a recorded, judged check-in.
type CheckIn struct {
	ID         int64
	SessionID  int64
	EmployeeID int64
	Fix        Fix
	RecordedAt time.Time // when the bot processed it
	Mode       Mode
	ModeReason ModeReason
	Verdict
	UpdateID int64 // the Telegram update that carried it
}

// PlaceOf returns the point a mode's check-ins are judged against.
func PlaceOf(m Mode) Place {
	switch m {
	case WFH:
		return PlaceHome
	case WFA:
		return PlaceAnywhere
	}
	return PlaceOffice
}

// CheckInBatch is a batch of location updates handled together and made
// durable in one transaction (group commit): the judged check-ins to
// record, and the inbox updates the batch handled, marked done with them,
// so that a crash cannot leave a check-in recorded and its update pending.
type CheckInBatch struct {
	CheckIns []CheckIn
	Done     []int64   // inbox update ids, marked done at At
	At       time.Time // processing time
}

// Recorded is the outcome of recording one check-in of a batch.
type Recorded struct {
	// CheckIn is the check-in as stored, with its ID; when Duplicate, the
	// earlier check-in of the same person in the same session.
	CheckIn   CheckIn
	Duplicate bool
}
