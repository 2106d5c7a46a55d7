package apel

import (
	"fmt"
	"time"
)

// A live location is stronger evidence than a pin: the check-in is judged
// on its first fix (the Telegram message time), then the bot follows the
// location's updates for a few minutes and keeps that short trail.

// Default live-location limits.
const (
	DefaultTrailWindow    = 10 * time.Minute
	DefaultTrailMaxPoints = 30
)

// LiveRules is the live-location policy.
type LiveRules struct {
	// Require refuses static locations: the person must share a live
	// location.
	Require bool
	// Window is how long after the first fix the trail is followed (never
	// longer than the live period the person chose).
	Window time.Duration
	// MaxPoints caps the trail of one check-in, first fix included.
	MaxPoints int
}

// WithDefaults returns r with its zero limits set to the defaults.
func (r LiveRules) WithDefaults() LiveRules {
	if r.Window <= 0 {
		r.Window = DefaultTrailWindow
	}
	if r.MaxPoints <= 0 {
		r.MaxPoints = DefaultTrailMaxPoints
	}
	return r
}

// Validate checks the limits (zero means the default).
func (r LiveRules) Validate() error {
	if r.Window < 0 || r.Window > 8*time.Hour {
		return fmt.Errorf("trail_window %v: want more than 0 and at most 8h", r.Window)
	}
	if r.MaxPoints < 0 || r.MaxPoints > 1000 {
		return fmt.Errorf("trail_max_points %d: want 1 to 1000", r.MaxPoints)
	}
	return nil
}

// Check refuses a static location when live locations are required.
func (r LiveRules) Check(f Fix) error {
	if r.Require && !f.Live {
		return Refuse(ReasonLiveOnly)
	}
	return nil
}

// Until returns when the trail of a live fix stops being followed: Window
// after the fix, or the end of the live period when that is earlier.
func (r LiveRules) Until(f Fix, livePeriod time.Duration) time.Time {
	r = r.WithDefaults()
	w := r.Window
	if livePeriod > 0 && livePeriod < w {
		w = livePeriod
	}
	return f.At.Add(w)
}

// TrailPoint is one position of a live location.
type TrailPoint struct {
	Point
	Accuracy float64
	At       time.Time // the edit time Telegram gave
}

// Follow reports whether p extends a trail that started at start, is
// followed until until and already has n points: p must be a valid
// position, within [start, until], and the trail not full.
func (r LiveRules) Follow(p TrailPoint, start, until time.Time, n int) bool {
	r = r.WithDefaults()
	return p.Validate() == nil && !p.IsZero() && !p.At.Before(start) && !p.At.After(until) && n < r.MaxPoints
}

// TrailSummary condenses a trail for the evidence view.
type TrailSummary struct {
	Points   int
	Span     time.Duration // from the first point to the last
	MaxDrift float64       // the largest distance from the first point, metres
	BestAcc  float64       // the best (smallest) accuracy reported, 0 when none
}

// SummarizeTrail condenses a trail, in time order.
func SummarizeTrail(trail []TrailPoint) TrailSummary {
	s := TrailSummary{Points: len(trail)}
	if len(trail) == 0 {
		return s
	}
	first := trail[0]
	for _, p := range trail {
		if d := p.At.Sub(first.At); d > s.Span {
			s.Span = d
		}
		if d := Distance(first.Point, p.Point); d > s.MaxDrift {
			s.MaxDrift = d
		}
		if p.Accuracy > 0 && (s.BestAcc == 0 || p.Accuracy < s.BestAcc) {
			s.BestAcc = p.Accuracy
		}
	}
	return s
}
