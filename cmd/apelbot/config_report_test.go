package main

import (
	"strings"
	"testing"
)

func TestConfigThreshold(t *testing.T) {
	t.Parallel()
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	with := func(line string) string {
		return strings.Replace(string(raw), "report:\n", "report:\n  "+line+"\n", 1)
	}
	tests := []struct {
		name, yaml string
		want       float64
		err        string
	}{
		{"left out: 85%", string(raw), 0.85, ""},
		{"a number", with("threshold: 80"), 0.80, ""},
		{"with a percent sign", with(`threshold: "92.5%"`), 0.925, ""},
		{"100 is allowed", with("threshold: 100"), 1, ""},
		{"zero is refused", with("threshold: 0"), 0, "report.threshold: 0%: want more than 0 and at most 100"},
		{"over 100 is refused", with("threshold: 120"), 0, "report.threshold: 120%: want more than 0 and at most 100"},
		{"a word is refused", with("threshold: tinggi"), 0, `report.threshold: invalid number "tinggi"`},
	}
	for _, tt := range tests {
		cfg, err := ParseConfig([]byte(tt.yaml), nil)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: ParseConfig error %v, want one containing %q", tt.name, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%s: ParseConfig: %v", tt.name, err)
		case tt.err == "" && cfg.Report.EvaluationThreshold() != tt.want:
			t.Errorf("%s: threshold %v, want %v", tt.name, cfg.Report.EvaluationThreshold(), tt.want)
		}
	}
}
