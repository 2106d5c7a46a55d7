package main

import (
	"strings"

	"github.com/apelbot/apelbot/apel"
)

// threshold reads report.threshold: the attendance rate under which the
// monthly evaluation flags an OPD, written as a percentage ("85" or
// "85%"), more than 0 and at most 100. Left out, it is 0: see
// ReportConfig.EvaluationThreshold.
func (v *configValidator) threshold(raw yamlText) float64 {
	if raw == "" {
		return 0
	}
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(raw)), "%"))
	pct, ok := v.number("report.threshold", yamlText(s))
	if !ok {
		return 0
	}
	if pct <= 0 || pct > 100 {
		v.fail("report.threshold: %v%%: want more than 0 and at most 100 (a percentage, e.g. 85)", pct)
		return 0
	}
	return pct / 100
}

// EvaluationThreshold is the threshold of the monthly evaluation:
// Threshold, or apel.DefaultThreshold (85%) when the file sets none.
func (r ReportConfig) EvaluationThreshold() float64 {
	if r.Threshold <= 0 {
		return apel.DefaultThreshold
	}
	return r.Threshold
}
