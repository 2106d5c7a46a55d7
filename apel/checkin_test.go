package apel_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestFixCheck(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, time.January, 12, 22, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		fix  apel.Fix
		want apel.Reason // "" when the fix is evidence
	}{
		{"a plain location is evidence", apel.Fix{Point: ternateA(), Accuracy: 12, At: at}, ""},
		{"a live location is evidence", apel.Fix{Point: ternateA(), At: at, Live: true}, ""},
		{"a location without accuracy is evidence", apel.Fix{Point: ternateA(), At: at}, ""},
		{"a forwarded location is refused", apel.Fix{Point: ternateA(), At: at, Forwarded: true}, apel.ReasonForwardedLocation},
		{"a venue picked on the map is refused", apel.Fix{Point: ternateA(), At: at, Venue: true}, apel.ReasonVenueLocation},
		{"forwarded wins over venue", apel.Fix{Point: ternateA(), At: at, Forwarded: true, Venue: true}, apel.ReasonForwardedLocation},
		{"a venue with a zero point is refused as venue", apel.Fix{At: at, Venue: true}, apel.ReasonVenueLocation},
		{"the zero point is refused", apel.Fix{At: at}, apel.ReasonInvalidLocation},
		{"NaN latitude is refused", apel.Fix{Point: apel.Point{Lat: math.NaN(), Lon: 127.38}, At: at}, apel.ReasonInvalidLocation},
		{"infinite longitude is refused", apel.Fix{Point: apel.Point{Lat: 0.79, Lon: math.Inf(1)}, At: at}, apel.ReasonInvalidLocation},
		{"latitude out of range is refused", apel.Fix{Point: apel.Point{Lat: 127.38, Lon: 0.79}, At: at}, apel.ReasonInvalidLocation},
		{"longitude out of range is refused", apel.Fix{Point: apel.Point{Lat: 0.79, Lon: 227.38}, At: at}, apel.ReasonInvalidLocation},
		{"a point near but not at 0,0 is evidence", apel.Fix{Point: apel.Point{Lat: 0, Lon: 0.0001}, At: at}, ""},
	}
	for _, tt := range tests {
		err := tt.fix.Check()
		got, isRefusal := apel.ReasonOf(err)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Check(%+v) = %v, want nil", tt.name, tt.fix, err)
		case tt.want != "" && (!isRefusal || got != tt.want):
			t.Errorf("%s: Check(%+v) = %v (reason %q), want reason %q", tt.name, tt.fix, err, got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	s := ternatePagi(t) // opens 22:00Z, apel 22:30Z, late from 22:45Z, closes 23:30Z
	office, home := ternateA(), ternateB()
	far := apel.Point{Lat: 0.8000, Lon: 127.3900} // about 1.5 km from both
	const radius = 100.0
	fix := func(p apel.Point, at time.Time) apel.Fix { return apel.Fix{Point: p, At: at, Accuracy: 5} }
	judgement := func(m apel.Mode, home apel.Point, f apel.Fix) apel.Judgement {
		return apel.Judgement{Session: s, Mode: m, Office: office, Home: home, RadiusM: radius, Fix: f}
	}
	atOffice := func(late time.Duration) apel.Verdict {
		return apel.Verdict{Late: late > 0, LateBy: late, Place: apel.PlaceOffice, InPlace: true, Distance: 0}
	}

	tests := []struct {
		name string
		in   apel.Judgement
		want apel.Verdict
	}{
		{"exactly on apel time is on time", judgement(apel.WFO, apel.Point{}, fix(office, s.Apel)), atOffice(0)},
		{"exactly when the window opens is on time", judgement(apel.WFO, apel.Point{}, fix(office, s.Opens)), atOffice(0)},
		{"exactly on the grace edge is on time", judgement(apel.WFO, apel.Point{}, fix(office, s.LateFrom)), atOffice(0)},
		{"one second before the grace edge is on time", judgement(apel.WFO, apel.Point{}, fix(office, s.LateFrom.Add(-time.Second))), atOffice(0)},
		{"one second after grace is late by one minute", judgement(apel.WFO, apel.Point{}, fix(office, s.LateFrom.Add(time.Second))), atOffice(time.Minute)},
		{"late by one minute after grace", judgement(apel.WFO, apel.Point{}, fix(office, s.LateFrom.Add(time.Minute))), atOffice(time.Minute)},
		{"late by five and a half minutes counts whole minutes", judgement(apel.WFO, apel.Point{}, fix(office, s.LateFrom.Add(5*time.Minute+30*time.Second))), atOffice(5 * time.Minute)},
		{"exactly when the window closes is late by the rest of the window", judgement(apel.WFO, apel.Point{}, fix(office, s.Closes)), atOffice(45 * time.Minute)},
		{"the message time counts, in whatever zone it is given", judgement(apel.WFO, apel.Point{},
			fix(office, time.Date(2026, time.January, 13, 7, 45, 0, 0, zone(t, wit)))), atOffice(0)},
		{"WFO 169 m from the office is outside a 100 m fence", judgement(apel.WFO, apel.Point{}, fix(home, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(home, office)}},
		{"WFO 169 m away with a 100 m fence and 50 m accuracy credit is still outside", judgement(apel.WFO, apel.Point{}, apel.Fix{Point: home, At: s.Apel, Accuracy: 80}),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(home, office)}},
		{"WFH at the approved home point is in place at home", judgement(apel.WFH, home, fix(home, s.Apel)),
			apel.Verdict{Place: apel.PlaceHome, InPlace: true}},
		{"WFH at the office instead of home is out of place", judgement(apel.WFH, home, fix(office, s.Apel)),
			apel.Verdict{Place: apel.PlaceHome, InPlace: false, Distance: apel.Distance(office, home)}},
		{"WFH late at home is late and in place", judgement(apel.WFH, home, fix(home, s.LateFrom.Add(10*time.Minute))),
			apel.Verdict{Late: true, LateBy: 10 * time.Minute, Place: apel.PlaceHome, InPlace: true}},
		{"WFH without approved home point judged at office with note", judgement(apel.WFH, apel.Point{}, fix(office, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Note: apel.ReasonNoHomePoint}},
		{"WFH without approved home point, at home, is out of place at office with note", judgement(apel.WFH, apel.Point{}, fix(home, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(home, office), Note: apel.ReasonNoHomePoint}},
		{"WFA far away is in place anywhere with no distance", judgement(apel.WFA, home, fix(far, s.Apel)),
			apel.Verdict{Place: apel.PlaceAnywhere, InPlace: true}},
		{"WFA late is still late", judgement(apel.WFA, apel.Point{}, fix(far, s.LateFrom.Add(2*time.Minute))),
			apel.Verdict{Late: true, LateBy: 2 * time.Minute, Place: apel.PlaceAnywhere, InPlace: true}},
		{"WFO from the approved home point is out of place and flagged at home", judgement(apel.WFO, home, fix(home, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(home, office), Note: apel.ReasonAtHome}},
		{"WFO out of place away from home is not flagged at home", judgement(apel.WFO, home, fix(far, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(far, office)}},
		{"WFO at the office is in place even with a home point", judgement(apel.WFO, home, fix(office, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Distance: 0}},
		{"WFO from home without an approved home point is only out of place", judgement(apel.WFO, apel.Point{}, fix(home, s.Apel)),
			apel.Verdict{Place: apel.PlaceOffice, InPlace: false, Distance: apel.Distance(home, office)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := apel.Judge(tt.in)
			if err != nil {
				t.Fatalf("Judge(%s at %v, fix %v at %v) error = %v, want %+v", tt.in.Mode, tt.in.Session.Apel.UTC(), tt.in.Fix.Point, tt.in.Fix.At.UTC(), err, tt.want)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Judge(%s, fix %v at %v) mismatch (-want +got):\n%s", tt.in.Mode, tt.in.Fix.Point, tt.in.Fix.At.UTC(), diff)
			}
		})
	}
}

func TestJudgeRefuses(t *testing.T) {
	t.Parallel()
	s := ternatePagi(t)
	office := ternateA()
	tests := []struct {
		name string
		fix  apel.Fix
		want apel.Reason
	}{
		{"one second before the window opens", apel.Fix{Point: office, At: s.Opens.Add(-time.Second)}, apel.ReasonSessionNotOpen},
		{"one second after the window closes", apel.Fix{Point: office, At: s.Closes.Add(time.Second)}, apel.ReasonSessionClosed},
		{"a forwarded location", apel.Fix{Point: office, At: s.Apel, Forwarded: true}, apel.ReasonForwardedLocation},
		{"a venue", apel.Fix{Point: office, At: s.Apel, Venue: true}, apel.ReasonVenueLocation},
		{"the zero point", apel.Fix{At: s.Apel}, apel.ReasonInvalidLocation},
		{"a forwarded location outside the window is refused for being forwarded", apel.Fix{Point: office, At: s.Closes.Add(time.Hour), Forwarded: true}, apel.ReasonForwardedLocation},
		{"a NaN point outside the window is refused for the point", apel.Fix{Point: apel.Point{Lat: math.NaN()}, At: s.Opens.Add(-time.Hour)}, apel.ReasonInvalidLocation},
	}
	for _, tt := range tests {
		for _, mode := range []apel.Mode{apel.WFO, apel.WFH, apel.WFA} {
			got, err := apel.Judge(apel.Judgement{Session: s, Mode: mode, Office: office, RadiusM: 100, Fix: tt.fix})
			reason, ok := apel.ReasonOf(err)
			if !ok || reason != tt.want {
				t.Errorf("%s (%s): Judge(fix %+v) = %+v, %v; want refusal %q", tt.name, mode, tt.fix, got, err, tt.want)
			}
			if diff := cmp.Diff(apel.Verdict{}, got); diff != "" {
				t.Errorf("%s (%s): Judge refused but returned a verdict (-want +got):\n%s", tt.name, mode, diff)
			}
		}
	}
}

func TestPlaceOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   apel.Mode
		want apel.Place
	}{
		{apel.WFO, apel.PlaceOffice},
		{apel.WFH, apel.PlaceHome},
		{apel.WFA, apel.PlaceAnywhere},
		{"", apel.PlaceOffice}, // an unset mode is judged at the office, as in ModeOf
	}
	for _, tt := range tests {
		if got := apel.PlaceOf(tt.in); got != tt.want {
			t.Errorf("PlaceOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
