package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// CheckInConfig is the evidence policy of check-ins (issue 7): whether a
// live location is required, how its trail is followed, and the
// thresholds of the review flags.
type CheckInConfig struct {
	// Live: file keys checkin.require_live (default false),
	// checkin.trail_window (default 10m) and checkin.trail_max_points
	// (default 30).
	Live apel.LiveRules
	// Flags: file keys checkin.flags.max_accuracy_m (default 100),
	// checkin.flags.shared_window (default 10m),
	// checkin.flags.max_speed_kmh (default 150) and
	// checkin.flags.foreign_window (default 30d).
	Flags apel.FlagRules
}

type fileCheckIn struct {
	RequireLive    yamlText      `yaml:"require_live"`
	TrailWindow    yamlText      `yaml:"trail_window"`
	TrailMaxPoints yamlText      `yaml:"trail_max_points"`
	Flags          fileCheckFlag `yaml:"flags"`
}

type fileCheckFlag struct {
	MaxAccuracyM  yamlText `yaml:"max_accuracy_m"`
	SharedWindow  yamlText `yaml:"shared_window"`
	MaxSpeedKmh   yamlText `yaml:"max_speed_kmh"`
	ForeignWindow yamlText `yaml:"foreign_window"`
}

// checkIn reads the checkin section; left-out keys take the defaults.
func (v *configValidator) checkIn(in fileCheckIn) CheckInConfig {
	c := CheckInConfig{Live: apel.LiveRules{}.WithDefaults(), Flags: apel.DefaultFlagRules()}
	if in.RequireLive != "" {
		c.Live.Require = v.boolean("checkin.require_live", in.RequireLive)
	}
	if d, ok := v.span("checkin.trail_window", in.TrailWindow, time.Minute, 8*time.Hour); ok {
		c.Live.Window = d
	}
	if in.TrailMaxPoints != "" {
		n, err := strconv.Atoi(strings.TrimSpace(string(in.TrailMaxPoints)))
		if err != nil || n < 1 || n > 1000 {
			v.fail("checkin.trail_max_points: %q: want a whole number from 1 to 1000", in.TrailMaxPoints)
		} else {
			c.Live.MaxPoints = n
		}
	}
	if in.Flags.MaxAccuracyM != "" {
		if m, ok := v.number("checkin.flags.max_accuracy_m", in.Flags.MaxAccuracyM); ok {
			if m <= 0 || m > 100000 {
				v.fail("checkin.flags.max_accuracy_m: %v: want more than 0 and at most 100000 metres", m)
			} else {
				c.Flags.MaxAccuracyM = m
			}
		}
	}
	if d, ok := v.span("checkin.flags.shared_window", in.Flags.SharedWindow, time.Second, 24*time.Hour); ok {
		c.Flags.SharedWindow = d
	}
	if in.Flags.MaxSpeedKmh != "" {
		if s, ok := v.number("checkin.flags.max_speed_kmh", in.Flags.MaxSpeedKmh); ok {
			if s <= 0 || s > 5000 {
				v.fail("checkin.flags.max_speed_kmh: %v: want more than 0 and at most 5000", s)
			} else {
				c.Flags.MaxSpeedKmh = s
			}
		}
	}
	if d, ok := v.span("checkin.flags.foreign_window", in.Flags.ForeignWindow, time.Hour, 366*24*time.Hour); ok {
		c.Flags.ForeignWindow = d
	}
	return c
}

// span reads an optional duration ("10m", "2h", or whole days "30d")
// between lo and hi; ok is false when it is left out or invalid.
func (v *configValidator) span(path string, raw yamlText, lo, hi time.Duration) (time.Duration, bool) {
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return 0, false
	}
	var d time.Duration
	var err error
	if days, isDays := strings.CutSuffix(s, "d"); isDays {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	switch {
	case err != nil:
		v.fail("%s: invalid duration %q: want e.g. 10m, 2h or 30d", path, s)
	case d < lo || d > hi:
		v.fail("%s: %v: want between %v and %v", path, d, lo, hi)
	default:
		return d, true
	}
	return 0, false
}
