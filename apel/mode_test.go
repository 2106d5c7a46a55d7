package apel_test

import (
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// Policy is the Planner the adapters use.
var _ apel.Planner = apel.Policy{}

func TestParseMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    apel.Mode
		wantErr bool
	}{
		{in: "WFO", want: apel.WFO},
		{in: "wfh", want: apel.WFH},
		{in: " Wfa ", want: apel.WFA},
		{in: "", wantErr: true},
		{in: "home", wantErr: true},
		{in: "WFX", wantErr: true},
	}
	for _, tt := range tests {
		got, err := apel.ParseMode(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseMode(%q) = %q, nil; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}
