package apel

import (
	"fmt"
	"math"
)

// earthRadiusM is the mean Earth radius (IUGG), in metres.
const earthRadiusM = 6371008.8

// Point is a WGS84 position.
type Point struct {
	Lat, Lon float64
}

// Validate reports whether p is a position on Earth.
func (p Point) Validate() error {
	if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || math.IsInf(p.Lat, 0) || math.IsInf(p.Lon, 0) {
		return fmt.Errorf("invalid coordinates: not a number")
	}
	if p.Lat < -90 || p.Lat > 90 {
		return fmt.Errorf("invalid latitude %v: want -90 to 90", p.Lat)
	}
	if p.Lon < -180 || p.Lon > 180 {
		return fmt.Errorf("invalid longitude %v: want -180 to 180", p.Lon)
	}
	return nil
}

// IsZero reports whether p is the zero point, used for "not set".
func (p Point) IsZero() bool { return p == Point{} }

// Distance returns the great-circle distance between a and b in metres
// (haversine formula).
func Distance(a, b Point) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// maxAccuracyCreditM caps how much of a fix's reported horizontal accuracy
// counts in its favour, so that a fix claiming ±5 km cannot pass any fence.
const maxAccuracyCreditM = 50

// WithinFence reports whether a fix at p with the given horizontal accuracy
// (metres, 0 when unknown) may be inside the circle of radius metres around
// centre, and the distance between p and centre. The fix is given the benefit
// of its accuracy, up to maxAccuracyCreditM: d - min(acc, cap) <= radius.
func WithinFence(p Point, accuracy float64, centre Point, radius float64) (bool, float64) {
	d := Distance(p, centre)
	credit := 0.0
	if accuracy > 0 { // NaN and negative accuracies earn no credit
		credit = math.Min(accuracy, maxAccuracyCreditM)
	}
	return d-credit <= radius, d
}
