package apel_test

import (
	"math"
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestOPDValidate(t *testing.T) {
	t.Parallel()
	office := apel.Point{Lat: 0.7900, Lon: 127.3800}
	tests := []struct {
		name    string
		in      apel.OPD
		wantErr bool
	}{
		{"a well-formed OPD", apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: office}, false},
		{"code with digits, dash and underscore", apel.OPD{Code: "KEC_TERNATE-2", Name: "Kecamatan", Office: office}, false},
		{"one-character code", apel.OPD{Code: "A", Name: "A", Office: office}, false},
		{"32-character code", apel.OPD{Code: strings.Repeat("A", 32), Name: "A", Office: office}, false},
		{"33-character code", apel.OPD{Code: strings.Repeat("A", 33), Name: "A", Office: office}, true},
		{"lower-case code", apel.OPD{Code: "diskominfo", Name: "D", Office: office}, true},
		{"empty code", apel.OPD{Code: "", Name: "D", Office: office}, true},
		{"code with a space", apel.OPD{Code: "DINAS KESEHATAN", Name: "D", Office: office}, true},
		{"code starting with a dash", apel.OPD{Code: "-DINKES", Name: "D", Office: office}, true},
		{"empty name", apel.OPD{Code: "DINKES", Office: office}, true},
		{"no office point", apel.OPD{Code: "DINKES", Name: "D"}, true},
		{"office point not a number", apel.OPD{Code: "DINKES", Name: "D", Office: apel.Point{Lat: math.NaN(), Lon: 127}}, true},
		{"office latitude out of range", apel.OPD{Code: "DINKES", Name: "D", Office: apel.Point{Lat: 91, Lon: 127}}, true},
	}
	for _, tt := range tests {
		if err := tt.in.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%s: %+v.Validate() = %v, want error %v", tt.name, tt.in, err, tt.wantErr)
		}
	}
}
