package export

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestChart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Detail
		lang string
	}{
		{"fixture id", fixture(t), "id"},
		{"fixture en", fixture(t), "en"},
		{"45 OPDs", synthetic(t, 45, 3), "id"},
		{"200 OPDs", synthetic(t, 200, 1), "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Chart(&buf, printer(t, tt.lang), tt.d.Report); err != nil {
				t.Fatalf("Chart(%s): %v", tt.name, err)
			}
			keepFile(t, "chart-"+tt.name+".png", buf.Bytes())
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("Chart(%s) wrote no PNG: %v", tt.name, err)
			}
			if b := img.Bounds(); b.Dx() != ChartWidth || b.Dy() != ChartHeight {
				t.Errorf("Chart(%s) is %dx%d, want %dx%d", tt.name, b.Dx(), b.Dy(), ChartWidth, ChartHeight)
			}
		})
	}
}

func TestChartNoOPD(t *testing.T) {
	t.Parallel()
	if err := Chart(&bytes.Buffer{}, printer(t, "id"), apel.DailyReport{Pemda: "Kota Kosong"}); err == nil {
		t.Error("Chart of a report without OPDs: err = nil, want an error")
	}
}
