package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestTraceTrailFlagsReviewRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani, budi := emps[testRoster()[1].NIP], emps[testRoster()[0].NIP]
	c, err := db.RecordCheckIn(ctx, checkIn(s.ID, ani.ID))
	if err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	until := c.Fix.At.Add(10 * time.Minute)
	tr := apel.Trace{CheckInID: c.ID, ModeRef: "SE 800/12/2026", ChatID: 42, MessageID: 7, LiveUntil: until}
	if err := db.KeepEvidence(ctx, []apel.Trace{tr}, map[int64]apel.Fix{c.ID: c.Fix}, nil); err != nil {
		t.Fatalf("KeepEvidence: %v", err)
	}
	if err := db.KeepEvidence(ctx, []apel.Trace{tr}, map[int64]apel.Fix{c.ID: c.Fix}, nil); err != nil {
		t.Fatalf("KeepEvidence again: %v", err)
	}
	rules := apel.LiveRules{MaxPoints: 3}
	follow := func(p apel.TrailPoint) func(start, until time.Time, n int) bool {
		return func(start, until time.Time, n int) bool { return rules.Follow(p, start, until, n) }
	}
	p1 := apel.TrailPoint{Point: apel.Point{Lat: -6.91751, Lon: 107.61911}, Accuracy: 8, At: c.Fix.At.Add(time.Minute)}
	p2 := apel.TrailPoint{Point: apel.Point{Lat: -6.91752, Lon: 107.61912}, Accuracy: 6, At: c.Fix.At.Add(2 * time.Minute)}
	p3 := apel.TrailPoint{Point: apel.Point{Lat: -6.91753, Lon: 107.61913}, Accuracy: 6, At: c.Fix.At.Add(3 * time.Minute)}
	late := apel.TrailPoint{Point: apel.Point{Lat: -6.9, Lon: 107.6}, At: until.Add(time.Second)}
	for _, tt := range []struct {
		name  string
		msg   int64
		p     apel.TrailPoint
		added bool
	}{
		{"first edit", 7, p1, true}, {"after the window", 7, late, false}, {"second edit", 7, p2, true},
		{"over the cap of 3 (first fix included)", 7, p3, false},
	} {
		id, added, err := db.FollowLive(ctx, 42, tt.msg, tt.p, follow(tt.p))
		if err != nil || id != c.ID || added != tt.added {
			t.Errorf("%s: FollowLive = %d, %v, %v; want %d, %v, nil", tt.name, id, added, err, c.ID, tt.added)
		}
	}
	if _, _, err := db.FollowLive(ctx, 42, 8, p1, follow(p1)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("FollowLive of an unknown message: %v, want ErrNotFound", err)
	}
	flags := []apel.Flag{
		{CheckInID: c.ID, Kind: apel.FlagPoorAccuracy, Value: 0, At: at(7, 21)},
		{CheckInID: c.ID, Kind: apel.FlagSharedCoordinates, Other: 99, Value: 2, At: at(7, 21)},
	}
	if err := db.KeepEvidence(ctx, nil, nil, flags); err != nil {
		t.Fatalf("KeepEvidence of flags: %v", err)
	}
	if err := db.AddFlags(ctx, flags[:1]); err != nil {
		t.Fatalf("AddFlags again: %v", err)
	}
	if err := db.AddFlags(ctx, []apel.Flag{{CheckInID: 12345, Kind: apel.FlagPoorAccuracy, At: at(7, 21)}}); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("AddFlags on an unknown check-in: %v, want ErrNotFound", err)
	}
	rv := apel.Review{CheckInID: c.ID, Decision: apel.ReviewReject, By: budi.ID, At: at(9, 0), Note: "satu HP untuk dua orang"}
	corr := apel.RejectionCorrection(c, rv, apel.StatusOnTime, "", 7001)
	if rv.CorrectionID, err = db.Review(ctx, rv, &corr); err != nil || rv.CorrectionID == 0 {
		t.Fatalf("Review: %d, %v; want a correction id", rv.CorrectionID, err)
	}
	_, err = db.Review(ctx, apel.Review{CheckInID: c.ID, Decision: apel.ReviewAccept, By: budi.ID, At: at(9, 5)}, nil)
	if r, ok := apel.ReasonOf(err); !ok || r != apel.ReasonAlreadyDecided {
		t.Errorf("second Review: %v, want refusal already_decided", err)
	}
	// A refused second rejection leaves no second correction behind.
	_, err = db.Review(ctx, rv, &corr)
	if r, ok := apel.ReasonOf(err); !ok || r != apel.ReasonAlreadyDecided {
		t.Errorf("second rejection: %v, want refusal already_decided", err)
	}
	cs, err := db.Corrections(ctx, day1())
	if err != nil || len(cs) != 1 || cs[0].ID != rv.CorrectionID || cs[0].Before != apel.StatusOnTime || cs[0].After != apel.StatusAbsent ||
		cs[0].Reason != apel.CorrectOther || cs[0].Note != rv.Note || cs[0].By != budi.ID {
		t.Errorf("Corrections after the rejection: %+v, %v; want one entry on time -> absent by budi with the note", cs, err)
	}
	ev, err := db.Evidence(ctx, c.ID)
	if err != nil {
		t.Fatalf("Evidence: %v", err)
	}
	want := apel.Evidence{CheckIn: c, ModeRef: tr.ModeRef, ChatID: 42, MessageID: 7, LiveUntil: until,
		Trail: []apel.TrailPoint{{Point: c.Fix.Point, Accuracy: c.Fix.Accuracy, At: c.Fix.At}, p1, p2},
		Flags: flags, Review: &rv}
	if diff := cmp.Diff(want, ev); diff != "" {
		t.Errorf("Evidence round trip (-want +got):\n%s", diff)
	}
	fl, err := db.FlaggedOn(ctx, day1())
	if err != nil || len(fl) != 1 || fl[0].CheckIn.ID != c.ID || len(fl[0].Flags) != 2 || fl[0].Review == nil {
		t.Errorf("FlaggedOn(%s) = %+v, %v; want the one check-in with 2 flags and its review", day1(), fl, err)
	}
	day, err := db.Day(ctx, day1(), testOPDs())
	if err != nil || len(day.Flagged) != 1 || day.Flagged[0].CheckIn.ID != c.ID || len(day.Flagged[0].Flags) != 2 {
		t.Errorf("Day(%s).Flagged = %+v, %v; want the one flagged check-in", day1(), day.Flagged, err)
	}
	// Day builds its flagged check-ins from the day's check-ins, FlaggedOn
	// reads them: both give the same, flags and review included.
	if diff := cmp.Diff(fl, day.Flagged); diff != "" {
		t.Errorf("Day(%s).Flagged differs from FlaggedOn (-FlaggedOn +Day):\n%s", day1(), diff)
	}
	if diff := cmp.Diff(want.Flags, fl[0].Flags); diff != "" {
		t.Errorf("FlaggedOn flags (-want +got):\n%s", diff)
	}
	if fl, err := db.FlaggedOn(ctx, day1().AddDays(1)); err != nil || len(fl) != 0 {
		t.Errorf("FlaggedOn(next day) = %+v, %v; want none", fl, err)
	}
}

func TestSameCoordinatesAndDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	ani, budi := emps[testRoster()[1].NIP], emps[testRoster()[0].NIP]
	a := checkIn(pagi.ID, ani.ID)
	b := checkIn(pagi.ID, budi.ID)
	b.Fix.At = a.Fix.At.Add(4 * time.Minute)
	b.Fix.Lat += 1e-7 // the same to 6 decimals
	as := checkIn(sore.ID, ani.ID)
	as.Fix.At = at(16, 0)
	var ids []int64
	for _, c := range []apel.CheckIn{a, b, as} {
		r, err := db.RecordCheckIn(ctx, c)
		if err != nil {
			t.Fatalf("RecordCheckIn: %v", err)
		}
		ids = append(ids, r.ID)
	}
	got, err := db.SameCoordinates(ctx, a.Fix.Point, a.Fix.At, 5*time.Minute)
	if err != nil {
		t.Fatalf("SameCoordinates: %v", err)
	}
	var gotIDs []int64
	for _, c := range got {
		gotIDs = append(gotIDs, c.ID)
	}
	if diff := cmp.Diff(ids[:2], gotIDs); diff != "" {
		t.Errorf("SameCoordinates within 5m (-want +got):\n%s", diff)
	}
	if got, _ := db.SameCoordinates(ctx, apel.Point{Lat: a.Fix.Lat + 1e-5, Lon: a.Fix.Lon}, a.Fix.At, 5*time.Minute); len(got) != 0 {
		t.Errorf("SameCoordinates a metre away: %d check-ins, want 0", len(got))
	}
	if other, err := db.CheckInsOfEmployee(ctx, ani.ID, "DINKES", day1()); err != nil || len(other) != 0 {
		t.Errorf("CheckInsOfEmployee of another OPD = %+v, %v; want none", other, err)
	}
	day, err := db.CheckInsOfEmployee(ctx, ani.ID, "DISKOMINFO", day1())
	if err != nil || len(day) != 2 || day[0].ID != ids[0] || day[1].ID != ids[2] {
		t.Errorf("CheckInsOfEmployee = %+v, %v; want pagi then sore", day, err)
	}
}

func TestClaimsAndForeignFixes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps[testRoster()[1].NIP]
	for _, at := range []time.Time{at(6, 0), at(6, 30)} {
		if err := db.RecordClaim(ctx, apel.Claim{EmployeeID: ani.ID, TelegramID: 777, At: at}); err != nil {
			t.Fatalf("RecordClaim: %v", err)
		}
	}
	claims, err := db.ClaimsBy(ctx, 777)
	if diff := cmp.Diff([]apel.Claim{{EmployeeID: ani.ID, TelegramID: 777, At: at(6, 30).UTC()}}, claims); err != nil || diff != "" {
		t.Errorf("ClaimsBy(777): %v (-want +got):\n%s", err, diff)
	}
	f := apel.ForeignFix{EmployeeID: ani.ID, TelegramID: 777, SessionID: s.ID,
		Fix: apel.Fix{Point: apel.Point{Lat: -6.9, Lon: 107.6}, Accuracy: 5, At: at(7, 25).UTC()}, RecordedAt: at(7, 25).UTC()}
	first, err := db.RecordForeignFix(ctx, f, 55)
	if err != nil || first.ID == 0 {
		t.Fatalf("RecordForeignFix: %+v, %v", first, err)
	}
	again, err := db.RecordForeignFix(ctx, f, 55)
	if err != nil || again.ID != first.ID {
		t.Errorf("RecordForeignFix of the same update: %+v, %v; want id %d", again, err, first.ID)
	}
	got, err := db.ForeignFixes(ctx, s.ID, ani.ID)
	if diff := cmp.Diff([]apel.ForeignFix{first}, got); err != nil || diff != "" {
		t.Errorf("ForeignFixes: %v (-want +got):\n%s", err, diff)
	}
}

// TestPurgeForeignLocations: the locations of refused accounts recorded
// before the cut are deleted, later ones stay; the flag they raised is not
// theirs to take.
func TestPurgeForeignLocations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps[testRoster()[1].NIP]
	for i, rec := range []time.Time{at(7, 20), at(7, 40)} {
		f := apel.ForeignFix{EmployeeID: ani.ID, TelegramID: 777, SessionID: s.ID,
			Fix: apel.Fix{Point: apel.Point{Lat: -6.9, Lon: 107.6}, Accuracy: 5, At: rec.UTC()}, RecordedAt: rec.UTC()}
		if _, err := db.RecordForeignFix(ctx, f, int64(60+i)); err != nil {
			t.Fatalf("RecordForeignFix: %v", err)
		}
	}
	if n, err := db.PurgeForeignLocations(ctx, at(7, 30)); err != nil || n != 1 {
		t.Errorf("PurgeForeignLocations: got %d, %v; want 1", n, err)
	}
	got, err := db.ForeignFixes(ctx, s.ID, ani.ID)
	if err != nil || len(got) != 1 || !got[0].RecordedAt.Equal(at(7, 40)) {
		t.Errorf("ForeignFixes after the purge: %+v, %v; want the 07.40 one", got, err)
	}
	if n, err := db.PurgeForeignLocations(ctx, at(7, 30)); err != nil || n != 0 {
		t.Errorf("PurgeForeignLocations again: got %d, %v; want 0", n, err)
	}
}
