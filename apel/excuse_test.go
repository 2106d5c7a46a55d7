package apel_test

import (
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestParseExcuseKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    apel.ExcuseKind
		wantErr bool
	}{
		{in: "izin", want: apel.Izin},
		{in: "Sakit", want: apel.Sakit},
		{in: " CUTI ", want: apel.Cuti},
		{in: "dinas_luar", want: apel.DinasLuar},
		{in: "DL", want: apel.DinasLuar},
		{in: "dinas-luar", want: apel.DinasLuar},
		{in: "dinasluar", want: apel.DinasLuar},
		{in: "", wantErr: true},
		{in: "tk", wantErr: true}, // absent without notice is not an excuse
		{in: "libur", wantErr: true},
	}
	for _, tt := range tests {
		got, err := apel.ParseExcuseKind(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseExcuseKind(%q) = %q, nil; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseExcuseKind(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}
