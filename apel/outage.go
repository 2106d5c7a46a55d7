package apel

import (
	"time"
)

// Outage is a period in which the bot had no contact with Telegram: the
// process was down, or every call to the Bot API failed. It runs from the
// last successful contact before the gap to the first one after it; an
// outage still going on has a zero To.
type Outage struct {
	ID       int64
	From, To time.Time
}

// Ongoing reports whether the outage has not ended yet.
func (o Outage) Ongoing() bool { return o.To.IsZero() }

// Overlaps reports whether o overlaps the period [from, to]; an ongoing
// outage runs on forever.
func (o Outage) Overlaps(from, to time.Time) bool {
	if o.From.After(to) {
		return false
	}
	return o.Ongoing() || !o.To.Before(from)
}

// Liveness turns the times of successful contacts with Telegram into
// outages: a gap between two contacts longer than Threshold is one.
type Liveness struct {
	Threshold time.Duration
}

// DefaultOutageThreshold is the gap without contact that counts as an
// outage unless the pemda sets its own. The poller's long poll returns at
// least every poll timeout (30 s by default), so a healthy bot never has a
// gap near it.
const DefaultOutageThreshold = 3 * time.Minute

// Gap returns the outage between the previous contact last and a contact
// at now, and whether the gap is long enough to be one.
func (l Liveness) Gap(last, now time.Time) (Outage, bool) {
	if last.IsZero() || now.Sub(last) <= l.threshold() {
		return Outage{}, false
	}
	return Outage{From: last, To: now}, true
}

// Current returns the outage going on at now when the last contact was at
// last: the gap so far is longer than the threshold.
func (l Liveness) Current(last, now time.Time) (Outage, bool) {
	if last.IsZero() || now.Sub(last) <= l.threshold() {
		return Outage{}, false
	}
	return Outage{From: last}, true
}

func (l Liveness) threshold() time.Duration {
	if l.Threshold <= 0 {
		return DefaultOutageThreshold
	}
	return l.Threshold
}

// Disruption is the outage a session was disrupted by: its period cut to
// the session's window (To zero while still going on at close). A session
// with a zero Disruption ran normally.
type Disruption struct {
	From, To time.Time
}

// IsZero reports whether there was no disruption.
func (d Disruption) IsZero() bool { return d.From.IsZero() }

// Disrupt returns the disruption of a session with window [opens, closes]
// by the outages os: from the earliest outage overlapping the window to the
// latest end among them (zero To when one is ongoing), or a zero
// Disruption when none overlaps.
func Disrupt(opens, closes time.Time, os []Outage) Disruption {
	var d Disruption
	ongoing := false
	for _, o := range os {
		if !o.Overlaps(opens, closes) {
			continue
		}
		if d.From.IsZero() || o.From.Before(d.From) {
			d.From = o.From
		}
		if o.Ongoing() {
			ongoing = true
		} else if o.To.After(d.To) {
			d.To = o.To
		}
	}
	if ongoing {
		d.To = time.Time{}
	}
	return d
}
