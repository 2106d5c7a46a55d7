package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestConfigCheckIn(t *testing.T) {
	t.Parallel()
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	with := func(block string) string { return string(raw) + "\ncheckin:\n" + block + "\n" }
	defaults := CheckInConfig{Live: apel.LiveRules{Window: 10 * time.Minute, MaxPoints: 30}, Flags: apel.DefaultFlagRules()}
	all := defaults
	all.Live = apel.LiveRules{Require: true, Window: 5 * time.Minute, MaxPoints: 12}
	all.Flags = apel.FlagRules{MaxAccuracyM: 50, SharedWindow: 3 * time.Minute, MaxSpeedKmh: 90, ForeignWindow: 7 * 24 * time.Hour}
	tests := []struct {
		name, yaml string
		want       CheckInConfig
		err        string
	}{
		{"left out: defaults", string(raw), defaults, ""},
		{"every key", with("  require_live: true\n  trail_window: 5m\n  trail_max_points: 12\n  flags:\n    max_accuracy_m: 50\n    shared_window: 3m\n    max_speed_kmh: 90\n    foreign_window: 7d"), all, ""},
		{"require_live not a boolean", with("  require_live: kadang"), CheckInConfig{}, "checkin.require_live"},
		{"trail window too long", with("  trail_window: 9h"), CheckInConfig{}, "checkin.trail_window: 9h0m0s: want between 1m0s and 8h0m0s"},
		{"trail points zero", with("  trail_max_points: 0"), CheckInConfig{}, "checkin.trail_max_points"},
		{"accuracy negative", with("  flags:\n    max_accuracy_m: -5"), CheckInConfig{}, "checkin.flags.max_accuracy_m"},
		{"shared window a word", with("  flags:\n    shared_window: sebentar"), CheckInConfig{}, `checkin.flags.shared_window: invalid duration "sebentar"`},
		{"speed zero", with("  flags:\n    max_speed_kmh: 0"), CheckInConfig{}, "checkin.flags.max_speed_kmh"},
		{"unknown key", with("  require_lve: true"), CheckInConfig{}, "require_lve"},
	}
	for _, tt := range tests {
		cfg, err := ParseConfig([]byte(tt.yaml), nil)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: ParseConfig error %v, want one containing %q", tt.name, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%s: ParseConfig: %v", tt.name, err)
		case tt.err == "":
			if diff := cmp.Diff(tt.want, cfg.CheckIn); diff != "" {
				t.Errorf("%s: CheckIn (-want +got):\n%s", tt.name, diff)
			}
		}
	}
}
