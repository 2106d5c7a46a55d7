package apel_test

import (
	"math"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// Reference points. Distances were computed independently with the
// equirectangular approximation on the same sphere (R = 6371008.8 m), which
// agrees with haversine to well under a millimetre at these ranges. They are
// functions, not package variables, so the test package has no globals.
func monas() apel.Point      { return apel.Point{Lat: -6.175392, Lon: 106.827153} } // Monumen Nasional, Jakarta
func bundaranHI() apel.Point { return apel.Point{Lat: -6.194941, Lon: 106.823036} } // Bundaran Hotel Indonesia
func ternateA() apel.Point   { return apel.Point{Lat: 0.7900, Lon: 127.3800} }
func ternateB() apel.Point   { return apel.Point{Lat: 0.79115, Lon: 127.3810} } // 169.45 m from ternateA

// metrePerDeg is the length of one degree of a great circle.
const metrePerDeg = 6371008.8 * math.Pi / 180

func TestPointValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      apel.Point
		wantErr bool
	}{
		{"an office in Ternate", ternateA(), false},
		{"the zero point is a position (IsZero says unset)", apel.Point{}, false},
		{"north pole", apel.Point{Lat: 90, Lon: 0}, false},
		{"south pole", apel.Point{Lat: -90, Lon: 0}, false},
		{"date line east", apel.Point{Lat: 0, Lon: 180}, false},
		{"date line west", apel.Point{Lat: 0, Lon: -180}, false},
		{"latitude just past the pole", apel.Point{Lat: 90.000001, Lon: 0}, true},
		{"latitude below the south pole", apel.Point{Lat: -90.5, Lon: 0}, true},
		{"longitude past 180", apel.Point{Lat: 0, Lon: 180.000001}, true},
		{"longitude below -180", apel.Point{Lat: 0, Lon: -181}, true},
		{"latitude and longitude swapped", apel.Point{Lat: 127.38, Lon: 0.79}, true},
		{"NaN latitude", apel.Point{Lat: math.NaN(), Lon: 127}, true},
		{"NaN longitude", apel.Point{Lat: 0.79, Lon: math.NaN()}, true},
		{"infinite latitude", apel.Point{Lat: math.Inf(1), Lon: 127}, true},
		{"infinite longitude", apel.Point{Lat: 0.79, Lon: math.Inf(-1)}, true},
	}
	for _, tt := range tests {
		if err := tt.in.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%s: %v.Validate() = %v, want error %v", tt.name, tt.in, err, tt.wantErr)
		}
	}
}

func TestPointIsZero(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   apel.Point
		want bool
	}{
		{apel.Point{}, true},
		{apel.Point{Lat: 0, Lon: 0.0001}, false},
		{apel.Point{Lat: -0.0001, Lon: 0}, false},
		{ternateA(), false},
	}
	for _, tt := range tests {
		if got := tt.in.IsZero(); got != tt.want {
			t.Errorf("%v.IsZero() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b apel.Point
		want float64
		tol  float64
	}{
		{"same point is zero", ternateA(), ternateA(), 0, 1e-9},
		{"Monas to Bundaran HI is about 2.2 km", monas(), bundaranHI(), 2220.887, 1},
		{"a 169 m pair in Ternate to the metre", ternateA(), ternateB(), 169.452, 1},
		{"one degree along a meridian", apel.Point{Lat: 0, Lon: 120}, apel.Point{Lat: 1, Lon: 120}, metrePerDeg, 1e-6},
		{"one degree along the equator", apel.Point{Lat: 0, Lon: 120}, apel.Point{Lat: 0, Lon: 121}, metrePerDeg, 1e-6},
		{"one degree of longitude at 60 degrees south is half as long", apel.Point{Lat: -60, Lon: 0}, apel.Point{Lat: -60, Lon: 1}, 55596.9, 1},
		{"across the date line takes the short way", apel.Point{Lat: 0, Lon: 179.5}, apel.Point{Lat: 0, Lon: -179.5}, metrePerDeg, 1e-6},
		{"antipodes are half the circumference", apel.Point{Lat: 0, Lon: 0}, apel.Point{Lat: 0, Lon: 180}, math.Pi * 6371008.8, 1e-6},
		{"pole to pole", apel.Point{Lat: 90, Lon: 0}, apel.Point{Lat: -90, Lon: 0}, math.Pi * 6371008.8, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := apel.Distance(tt.a, tt.b)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Distance(%v, %v) = %.3f m, want %.3f ± %v m", tt.a, tt.b, got, tt.want, tt.tol)
			}
			if back := apel.Distance(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
				t.Errorf("Distance(%v, %v) = %.6f m, want the same as the other way round, %.6f m", tt.b, tt.a, back, got)
			}
		})
	}
}

func TestDistanceOfNaNIsNaN(t *testing.T) {
	t.Parallel()
	bad := apel.Point{Lat: math.NaN(), Lon: 127}
	if got := apel.Distance(bad, ternateA()); !math.IsNaN(got) {
		t.Errorf("Distance(%v, %v) = %v, want NaN", bad, ternateA(), got)
	}
}

func TestWithinFence(t *testing.T) {
	t.Parallel()
	d := apel.Distance(ternateB(), ternateA()) // ≈ 169.45 m
	tests := []struct {
		name     string
		p        apel.Point
		accuracy float64
		radius   float64
		want     bool
	}{
		{"at the centre is inside", ternateA(), 0, 100, true},
		{"exactly on the radius is inside", ternateB(), 0, d, true},
		{"one metre beyond the radius is outside", ternateB(), 0, d - 1, false},
		{"a 169 m fix against a 100 m fence is outside", ternateB(), 0, 100, false},
		{"a 169 m fix against a 200 m fence is inside", ternateB(), 0, 200, true},
		{"accuracy credit brings a near miss inside", ternateB(), 20, d - 20, true},
		{"accuracy credit is not more than the accuracy", ternateB(), 20, d - 20.5, false},
		{"accuracy credit of exactly 50 m", ternateB(), 50, d - 50, true},
		{"accuracy credit is capped at 50 m", ternateB(), 5000, d - 50, true},
		{"a fix claiming 5 km accuracy gets no more than 50 m", ternateB(), 5000, d - 51, false},
		{"negative accuracy gives no credit and no penalty", ternateB(), -100, d, true},
		{"negative accuracy gives no credit", ternateB(), -100, d - 1, false},
		{"infinite accuracy is capped at 50 m", ternateB(), math.Inf(1), d - 50, true},
		{"NaN position is never inside", apel.Point{Lat: math.NaN(), Lon: 127.38}, 0, 1e6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, dist := apel.WithinFence(tt.p, tt.accuracy, ternateA(), tt.radius)
			if got != tt.want {
				t.Errorf("WithinFence(%v, acc %v, %v, radius %.3f) = %v (distance %.3f), want %v", tt.p, tt.accuracy, ternateA(), tt.radius, got, dist, tt.want)
			}
			if want := apel.Distance(tt.p, ternateA()); dist != want && !(math.IsNaN(dist) && math.IsNaN(want)) {
				t.Errorf("WithinFence(%v, ...) distance = %v, want Distance = %v (without accuracy credit)", tt.p, dist, want)
			}
		})
	}
}
