package apel_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

var flagAt = time.Date(2026, 1, 12, 22, 35, 0, 0, time.UTC) // 07.35 WIT

func checkInAt(id, emp, session int64, lat, lon, acc float64, at time.Time) apel.CheckIn {
	return apel.CheckIn{ID: id, EmployeeID: emp, SessionID: session,
		Fix:     apel.Fix{Point: apel.Point{Lat: lat, Lon: lon}, Accuracy: acc, At: at},
		Verdict: apel.Verdict{Place: apel.PlaceOffice, InPlace: true}}
}

func kinds(fs []apel.Flag) []apel.FlagKind {
	var out []apel.FlagKind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func TestOwnFlags(t *testing.T) {
	r := apel.FlagRules{MaxAccuracyM: 50}
	out := checkInAt(1, 1, 1, 0.79, 127.38, 20, flagAt)
	out.InPlace, out.Distance = false, 412.4
	wfa := checkInAt(1, 1, 1, 0.79, 127.38, 20, flagAt)
	wfa.Place, wfa.InPlace, wfa.Distance = apel.PlaceAnywhere, true, 0
	tests := []struct {
		name string
		c    apel.CheckIn
		want []apel.Flag
	}{
		{"good accuracy in place", checkInAt(1, 1, 1, 0.79, 127.38, 20, flagAt), nil},
		{"accuracy exactly at the threshold", checkInAt(1, 1, 1, 0.79, 127.38, 50, flagAt), nil},
		{"accuracy just above the threshold", checkInAt(1, 1, 1, 0.79, 127.38, 50.5, flagAt),
			[]apel.Flag{{CheckInID: 1, Kind: apel.FlagPoorAccuracy, Value: 50.5, At: flagAt}}},
		{"no accuracy given", checkInAt(1, 1, 1, 0.79, 127.38, 0, flagAt),
			[]apel.Flag{{CheckInID: 1, Kind: apel.FlagPoorAccuracy, Value: 0, At: flagAt}}},
		{"NaN accuracy", checkInAt(1, 1, 1, 0.79, 127.38, math.NaN(), flagAt),
			[]apel.Flag{{CheckInID: 1, Kind: apel.FlagPoorAccuracy, Value: 0, At: flagAt}}},
		{"outside the radius", out, []apel.Flag{{CheckInID: 1, Kind: apel.FlagOutsideRadius, Value: 412, At: flagAt}}},
		{"WFA is never outside", wfa, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Own(tt.c, flagAt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Own(%+v) (-want +got):\n%s", tt.c.Fix, diff)
			}
		})
	}
}

func TestOwnFlagsDefaultThreshold(t *testing.T) {
	c := checkInAt(1, 1, 1, 0.79, 127.38, apel.DefaultMaxAccuracyM+1, flagAt)
	if got := kinds(apel.FlagRules{}.Own(c, flagAt)); !cmp.Equal(got, []apel.FlagKind{apel.FlagPoorAccuracy}) {
		t.Errorf("zero rules, accuracy %v: got %v, want poor_accuracy (default %d m)", c.Fix.Accuracy, got, apel.DefaultMaxAccuracyM)
	}
}

func TestSharedCoordinates(t *testing.T) {
	r := apel.FlagRules{SharedWindow: 5 * time.Minute}
	c := checkInAt(10, 1, 1, 0.787123, 127.381234, 10, flagAt)
	tests := []struct {
		name  string
		other apel.CheckIn
		want  []apel.Flag
	}{
		{"another person, same coordinates, 3 minutes earlier", checkInAt(7, 2, 1, 0.787123, 127.381234, 10, flagAt.Add(-3*time.Minute)),
			[]apel.Flag{{CheckInID: 10, Kind: apel.FlagSharedCoordinates, Other: 7, Value: 3, At: flagAt},
				{CheckInID: 7, Kind: apel.FlagSharedCoordinates, Other: 10, Value: 3, At: flagAt}}},
		{"same coordinates exactly at the window edge", checkInAt(7, 2, 1, 0.787123, 127.381234, 10, flagAt.Add(5*time.Minute)),
			[]apel.Flag{{CheckInID: 10, Kind: apel.FlagSharedCoordinates, Other: 7, Value: 5, At: flagAt},
				{CheckInID: 7, Kind: apel.FlagSharedCoordinates, Other: 10, Value: 5, At: flagAt}}},
		{"same coordinates just past the window", checkInAt(7, 2, 1, 0.787123, 127.381234, 10, flagAt.Add(5*time.Minute+time.Second)), nil},
		{"real jitter: a metre apart", checkInAt(7, 2, 1, 0.787132, 127.381234, 10, flagAt), nil},
		{"the same person (another session)", checkInAt(7, 1, 2, 0.787123, 127.381234, 10, flagAt), nil},
		{"the check-in itself", c, nil},
		{"noise below the 6th decimal is the same", checkInAt(7, 2, 1, 0.7871230001, 127.3812339999, 10, flagAt),
			[]apel.Flag{{CheckInID: 10, Kind: apel.FlagSharedCoordinates, Other: 7, Value: 0, At: flagAt},
				{CheckInID: 7, Kind: apel.FlagSharedCoordinates, Other: 10, Value: 0, At: flagAt}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Shared(c, []apel.CheckIn{tt.other}, flagAt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Shared(%+v, %+v) (-want +got):\n%s", c.Fix, tt.other.Fix, diff)
			}
		})
	}
}

func TestSharedCoordinatesCrowd(t *testing.T) {
	r := apel.FlagRules{SharedWindow: 10 * time.Minute}
	// Three people already sent the same position; a fourth arrives: one
	// pair, with the closest in time.
	var crowd []apel.CheckIn
	for i := int64(1); i <= 3; i++ {
		crowd = append(crowd, checkInAt(i, i, 1, 0.5, 127.5, 10, flagAt.Add(time.Duration(i)*time.Minute)))
	}
	c := checkInAt(4, 4, 1, 0.5, 127.5, 10, flagAt.Add(5*time.Minute))
	want := []apel.Flag{
		{CheckInID: 4, Kind: apel.FlagSharedCoordinates, Other: 3, Value: 2, At: flagAt},
		{CheckInID: 3, Kind: apel.FlagSharedCoordinates, Other: 4, Value: 2, At: flagAt},
	}
	if diff := cmp.Diff(want, r.Shared(c, crowd, flagAt)); diff != "" {
		t.Errorf("fourth of a crowd (-want +got):\n%s", diff)
	}
	// Equally close: the lowest id.
	twins := []apel.CheckIn{checkInAt(9, 9, 1, 0.5, 127.5, 10, flagAt.Add(7*time.Minute)), checkInAt(8, 8, 1, 0.5, 127.5, 10, flagAt.Add(3*time.Minute))}
	if got := r.Shared(c, twins, flagAt); len(got) != 2 || got[0].Other != 8 {
		t.Errorf("two equally close: %+v, want the pair with check-in 8", got)
	}
}

func TestImpossibleTravel(t *testing.T) {
	r := apel.FlagRules{MaxSpeedKmh: 100}
	pagi := checkInAt(1, 1, 1, 0.7893, 127.3773, 10, flagAt) // Ternate
	sore := func(lat, lon float64, after time.Duration) apel.CheckIn {
		return checkInAt(2, 1, 2, lat, lon, 10, flagAt.Add(after))
	}
	// Ternate to Jakarta is about 2,400 km.
	if got := r.Travel(sore(-6.2, 106.8, 8*time.Hour), []apel.CheckIn{pagi}, flagAt); len(got) != 2 ||
		got[0].CheckInID != 2 || got[0].Other != 1 || got[1].CheckInID != 1 || got[1].Other != 2 || got[0].Value < 250 || got[0].Value > 350 {
		t.Errorf("Ternate 07.35, Jakarta 15.35: got %+v, want a flag on each at about 300 km/h", got)
	}
	// 100 km in 1 hour is exactly the limit: not flagged; just over is.
	oneDeg := 100 / (apel.Distance(apel.Point{Lat: 0, Lon: 0}, apel.Point{Lat: 0, Lon: 1}) / 1000) // degrees for 100 km
	atLimit := checkInAt(1, 1, 1, 0, 0, 10, flagAt)
	if got := r.Travel(sore(0, oneDeg*0.999, time.Hour), []apel.CheckIn{atLimit}, flagAt); len(got) != 0 {
		t.Errorf("99.9 km in an hour at a 100 km/h limit: got %+v, want no flag", got)
	}
	if got := r.Travel(sore(0, oneDeg*1.01, time.Hour), []apel.CheckIn{atLimit}, flagAt); len(got) != 2 {
		t.Errorf("101 km in an hour at a 100 km/h limit: got %+v, want a flag on each", got)
	}
	// Same instant, apart: infinite speed, capped.
	if got := r.Travel(sore(0.8, 127.4, 0), []apel.CheckIn{pagi}, flagAt); len(got) != 2 || got[0].Value != 99999 {
		t.Errorf("same instant, 3 km apart: got %+v, want flags at the cap 99999", got)
	}
	// Other people, the same session and the check-in itself are skipped.
	other := checkInAt(3, 2, 1, -6.2, 106.8, 10, flagAt)
	sameSession := checkInAt(4, 1, 2, -6.2, 106.8, 10, flagAt)
	s := sore(0.7893, 127.3773, 8*time.Hour)
	if got := r.Travel(s, []apel.CheckIn{other, sameSession, s}, flagAt); len(got) != 0 {
		t.Errorf("only others, same session, itself: got %+v, want none", got)
	}
	// Staying put: speed 0.
	if got := r.Travel(sore(0.7893, 127.3773, 8*time.Hour), []apel.CheckIn{pagi}, flagAt); len(got) != 0 {
		t.Errorf("same place morning and afternoon: got %+v, want none", got)
	}
}

func TestForeignAccount(t *testing.T) {
	c := checkInAt(5, 1, 9, 0.79, 127.38, 10, flagAt)
	fs := []apel.ForeignFix{
		{ID: 1, EmployeeID: 1, TelegramID: 777, SessionID: 9},
		{ID: 2, EmployeeID: 1, TelegramID: 777, SessionID: 8}, // another apel
		{ID: 3, EmployeeID: 2, TelegramID: 778, SessionID: 9}, // another person
	}
	want := []apel.Flag{{CheckInID: 5, Kind: apel.FlagForeignAccount, Other: 1, At: flagAt}}
	if diff := cmp.Diff(want, apel.Foreign(c, fs, flagAt)); diff != "" {
		t.Errorf("Foreign (-want +got):\n%s", diff)
	}
	r := apel.FlagRules{ForeignWindow: 24 * time.Hour}
	claim := apel.Claim{EmployeeID: 1, TelegramID: 777, At: flagAt}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{flagAt.Add(-time.Second), false}, {flagAt, true}, {flagAt.Add(24 * time.Hour), true}, {flagAt.Add(24*time.Hour + time.Second), false},
	} {
		if got := r.Active(claim, tt.at); got != tt.want {
			t.Errorf("claim at %v, window 24h, Active(%v) = %v, want %v", flagAt, tt.at, got, tt.want)
		}
	}
}

func TestFlagRulesValidate(t *testing.T) {
	if err := (apel.FlagRules{}).Validate(); err != nil {
		t.Errorf("zero rules: %v, want nil (defaults)", err)
	}
	for _, r := range []apel.FlagRules{{MaxAccuracyM: -1}, {MaxAccuracyM: math.NaN()}, {SharedWindow: -time.Minute},
		{SharedWindow: 25 * time.Hour}, {MaxSpeedKmh: -3}, {ForeignWindow: -1}} {
		if err := r.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", r)
		}
	}
	seen := map[apel.FlagKind]bool{}
	for _, k := range apel.FlagKinds() {
		if seen[k] {
			t.Errorf("flag kind %q listed twice", k)
		}
		seen[k] = true
	}
	if len(seen) != 5 {
		t.Errorf("FlagKinds() has %d kinds, want 5", len(seen))
	}
}

func TestReviewValidate(t *testing.T) {
	ok := []apel.Review{
		{CheckInID: 1, Decision: apel.ReviewAccept, By: 2},
		{CheckInID: 1, Decision: apel.ReviewReject, By: 2, Note: "GPS palsu"},
	}
	for _, r := range ok {
		if err := r.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", r, err)
		}
	}
	if err := (apel.Review{Decision: "maybe", By: 2}).Validate(); err == nil {
		t.Errorf("unknown decision: got nil, want an error")
	}
	if err := (apel.Review{Decision: apel.ReviewAccept}).Validate(); err == nil {
		t.Errorf("no reviewer: got nil, want an error")
	}
	var ref *apel.Refusal
	if err := (apel.Review{Decision: apel.ReviewReject, By: 2}).Validate(); !errors.As(err, &ref) || ref.Reason != apel.ReasonReviewNoReason {
		t.Errorf("rejection without reason: got %v, want refusal %s", err, apel.ReasonReviewNoReason)
	}
}

func TestWhoSeesEvidence(t *testing.T) {
	staff := apel.Employee{ID: 1, OPD: "DINKES", Role: apel.RoleStaff, Active: true}
	colleague := apel.Employee{ID: 2, OPD: "DINKES", Role: apel.RoleStaff, Active: true}
	head := apel.Employee{ID: 3, OPD: "DINKES", Role: apel.RoleHead, Active: true}
	otherHead := apel.Employee{ID: 4, OPD: "DISDIK", Role: apel.RoleHead, Active: true}
	admin := apel.Employee{ID: 5, OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}
	tests := []struct {
		name            string
		viewer          apel.Employee
		subject         apel.Employee
		wantSee, wantRv bool
	}{
		{name: "the person themselves", viewer: staff, subject: staff, wantSee: true},
		{name: "a colleague", viewer: colleague, subject: staff},
		{name: "their head", viewer: head, subject: staff, wantSee: true, wantRv: true},
		{name: "another OPD's head", viewer: otherHead, subject: staff},
		{name: "BKPSDM", viewer: admin, subject: staff, wantSee: true, wantRv: true},
		{name: "the head on their own check-in", viewer: head, subject: head, wantSee: true},
	}
	for _, tt := range tests {
		if got := apel.CanSeeEvidence(tt.viewer, tt.subject); got != tt.wantSee {
			t.Errorf("%s: CanSeeEvidence = %v, want %v", tt.name, got, tt.wantSee)
		}
		if got := apel.CanReview(tt.viewer, tt.subject); got != tt.wantRv {
			t.Errorf("%s: CanReview = %v, want %v", tt.name, got, tt.wantRv)
		}
	}
}

func TestLiveRules(t *testing.T) {
	static := apel.Fix{Point: apel.Point{Lat: 1, Lon: 1}, At: flagAt}
	live := static
	live.Live = true
	var ref *apel.Refusal
	if err := (apel.LiveRules{Require: true}).Check(static); !errors.As(err, &ref) || ref.Reason != apel.ReasonLiveOnly {
		t.Errorf("live required, static: got %v, want refusal live_only", err)
	}
	if err := (apel.LiveRules{Require: true}).Check(live); err != nil {
		t.Errorf("live required, live: got %v, want nil", err)
	}
	if err := (apel.LiveRules{}).Check(static); err != nil {
		t.Errorf("live not required, static: got %v, want nil", err)
	}
	r := apel.LiveRules{Window: 10 * time.Minute, MaxPoints: 3}
	if got := r.Until(live, 15*time.Minute); !got.Equal(flagAt.Add(10 * time.Minute)) {
		t.Errorf("Until, live period 15m, window 10m: %v, want +10m", got)
	}
	if got := r.Until(live, 5*time.Minute); !got.Equal(flagAt.Add(5 * time.Minute)) {
		t.Errorf("Until, live period 5m, window 10m: %v, want +5m", got)
	}
	until := flagAt.Add(10 * time.Minute)
	p := func(after time.Duration) apel.TrailPoint {
		return apel.TrailPoint{Point: apel.Point{Lat: 1, Lon: 1}, At: flagAt.Add(after)}
	}
	for _, tt := range []struct {
		name string
		p    apel.TrailPoint
		n    int
		want bool
	}{
		{"inside the window", p(time.Minute), 1, true},
		{"at the end of the window", p(10 * time.Minute), 1, true},
		{"after the window", p(10*time.Minute + time.Second), 1, false},
		{"before the first fix", p(-time.Second), 1, false},
		{"trail full", p(time.Minute), 3, false},
		{"zero point", apel.TrailPoint{At: flagAt.Add(time.Minute)}, 1, false},
		{"invalid point", apel.TrailPoint{Point: apel.Point{Lat: 91, Lon: 1}, At: flagAt.Add(time.Minute)}, 1, false},
	} {
		if got := r.Follow(tt.p, flagAt, until, tt.n); got != tt.want {
			t.Errorf("%s: Follow = %v, want %v", tt.name, got, tt.want)
		}
	}
	if err := (apel.LiveRules{Window: -1}).Validate(); err == nil {
		t.Errorf("negative window: Validate = nil, want an error")
	}
}

func TestSummarizeTrail(t *testing.T) {
	trail := []apel.TrailPoint{
		{Point: apel.Point{Lat: 0, Lon: 0}, Accuracy: 30, At: flagAt},
		{Point: apel.Point{Lat: 0, Lon: 0.0001}, Accuracy: 12, At: flagAt.Add(time.Minute)},
		{Point: apel.Point{Lat: 0, Lon: 0.00005}, At: flagAt.Add(3 * time.Minute)},
	}
	s := apel.SummarizeTrail(trail)
	if s.Points != 3 || s.Span != 3*time.Minute || s.BestAcc != 12 || math.Abs(s.MaxDrift-11.1) > 0.1 {
		t.Errorf("SummarizeTrail: got %+v, want 3 points over 3m, best 12 m, drift about 11.1 m", s)
	}
	if s := apel.SummarizeTrail(nil); s.Points != 0 {
		t.Errorf("SummarizeTrail(nil): got %+v, want zero", s)
	}
}
