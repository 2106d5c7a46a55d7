package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// judgement is what DayTallied reads of check-in c.
func judgement(c apel.CheckIn) apel.CheckIn {
	return apel.CheckIn{ID: c.ID, SessionID: c.SessionID, EmployeeID: c.EmployeeID, Fix: apel.Fix{At: c.Fix.At},
		Mode: c.Mode, Verdict: apel.Verdict{Late: c.Late, LateBy: c.LateBy, InPlace: c.InPlace}}
}

func TestDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	budi, ani, cahyo := emps[testRoster()[0].NIP], emps[testRoster()[1].NIP], emps[testRoster()[2].NIP]
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	dinkes := mustOpenSession(t, db, "DINKES", apel.Pagi)
	c1, err := db.RecordCheckIn(ctx, checkIn(pagi.ID, budi.ID))
	if err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	late := checkIn(dinkes.ID, cahyo.ID)
	late.Fix.At, late.Mode, late.Late, late.LateBy = at(7, 47), apel.WFH, true, 17*time.Minute
	late.Place, late.InPlace, late.Distance = apel.PlaceHome, false, 840
	c2, err := db.RecordCheckIn(ctx, late)
	if err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	x := apel.Excuse{EmployeeID: ani.ID, Date: day1(), Kind: apel.Izin, By: budi.ID}
	if err := db.RecordExcuse(ctx, x, at(7, 5)); err != nil {
		t.Fatalf("RecordExcuse: %v", err)
	}
	x.Kind = apel.Sakit // upsert: the later excuse replaces the earlier one
	if err := db.RecordExcuse(ctx, x, at(7, 6)); err != nil {
		t.Fatalf("RecordExcuse(replace): %v", err)
	}
	other := apel.Excuse{EmployeeID: budi.ID, Date: day1().AddDays(1), Kind: apel.Cuti, By: budi.ID}
	if err := db.RecordExcuse(ctx, other, at(7, 7)); err != nil {
		t.Fatalf("RecordExcuse(other date): %v", err)
	}
	// Budi leaves the roster: his check-in stays, he is no longer active.
	if _, err := db.ImportRoster(ctx, testRoster()[1:], at(9, 0)); err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	budi.Active = false

	got, err := db.Day(ctx, day1(), testOPDs())
	if err != nil {
		t.Fatalf("Day(%s): %v", day1(), err)
	}
	want := apel.Day{
		Date:      day1(),
		OPDs:      testOPDs(),
		Employees: []apel.Employee{cahyo, emps[testRoster()[3].NIP], ani},
		Sessions:  []apel.Session{dinkes, pagi},
		CheckIns:  []apel.CheckIn{c1, c2},
		Excuses:   []apel.Excuse{x},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Day(%s) (-want +got):\n%s", day1(), diff)
	}
	// DayAndFacts reads both in one snapshot, the staff once.
	wantFacts, err := db.Facts(ctx, "", apel.MondayOf(day1()), day1())
	if err != nil {
		t.Fatalf("Facts: %v", err)
	}
	gotDay, gotFacts, err := db.DayAndFacts(ctx, day1(), testOPDs())
	if err != nil {
		t.Fatalf("DayAndFacts(%s): %v", day1(), err)
	}
	if diff := cmp.Diff(want, gotDay); diff != "" {
		t.Errorf("DayAndFacts(%s): the day (-want +got):\n%s", day1(), diff)
	}
	if diff := cmp.Diff(wantFacts, gotFacts); diff != "" {
		t.Errorf("DayAndFacts(%s): the facts (-Facts +got):\n%s", day1(), diff)
	}
	if len(gotFacts.Staff) != 3 || len(gotFacts.Excuses) != 1 {
		t.Errorf("DayAndFacts(%s): %d staff and %d excuses, want 3 and 1", day1(), len(gotFacts.Staff), len(gotFacts.Excuses))
	}
	// DayTallied reads the same, but of each check-in its judgement only.
	tallied, talliedFacts, err := db.DayTallied(ctx, day1(), testOPDs())
	if err != nil {
		t.Fatalf("DayTallied(%s): %v", day1(), err)
	}
	want.CheckIns = []apel.CheckIn{judgement(c1), judgement(c2)}
	if diff := cmp.Diff(want, tallied); diff != "" {
		t.Errorf("DayTallied(%s): the day (-want +got):\n%s", day1(), diff)
	}
	if diff := cmp.Diff(wantFacts, talliedFacts); diff != "" {
		t.Errorf("DayTallied(%s): the facts (-Facts +got):\n%s", day1(), diff)
	}
	full := apel.CompileDailyReport("Uji", gotDay).WithFlags(gotDay)
	if diff := cmp.Diff(full, apel.CompileDailyReport("Uji", tallied).WithFlags(tallied)); diff != "" {
		t.Errorf("the daily report of DayTallied differs from DayAndFacts' (-full +tallied):\n%s", diff)
	}
	if xs, err := db.Excuses(ctx, day1()); err != nil || !cmp.Equal(xs, []apel.Excuse{x}) {
		t.Errorf("Excuses(%s): got %+v, %v; want %+v", day1(), xs, err, x)
	}
}
