package apel_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestDailyReportWithFlags(t *testing.T) {
	d := apel.Date{Year: 2026, Month: time.January, Day: 12}
	opds := []apel.OPD{{Code: "A", Name: "Dinas A"}, {Code: "B", Name: "Dinas B"}}
	emps := []apel.Employee{
		{ID: 1, Name: "Ani", OPD: "A", Active: true}, {ID: 2, Name: "Budi", OPD: "B", Active: true},
		{ID: 3, Name: "Cici", OPD: "B", Active: true},
	}
	slot := apel.Slot{Date: d, Kind: apel.Pagi}
	sore := apel.Slot{Date: d, Kind: apel.Sore}
	sessions := []apel.Session{{ID: 10, OPD: "A", Slot: slot}, {ID: 20, OPD: "B", Slot: slot}, {ID: 21, OPD: "B", Slot: sore}}
	ci := func(id, session, emp int64, min int) apel.CheckIn {
		return apel.CheckIn{ID: id, SessionID: session, EmployeeID: emp, Fix: apel.Fix{At: flagAt.Add(time.Duration(min) * time.Minute)}}
	}
	flag := func(id int64, k apel.FlagKind) apel.Flag { return apel.Flag{CheckInID: id, Kind: k} }
	day := apel.Day{Date: d, OPDs: opds, Employees: emps, Sessions: sessions,
		Flagged: []apel.Flagged{
			{CheckIn: ci(5, 21, 2, 500), Flags: []apel.Flag{flag(5, apel.FlagImpossibleTravel)}},
			{CheckIn: ci(4, 20, 3, 3), Flags: []apel.Flag{flag(4, apel.FlagSharedCoordinates)},
				Review: &apel.Review{Decision: apel.ReviewReject}},
			{CheckIn: ci(3, 20, 2, 1), Flags: []apel.Flag{flag(3, apel.FlagSharedCoordinates), flag(3, apel.FlagImpossibleTravel)},
				Review: &apel.Review{Decision: apel.ReviewAccept}},
			{CheckIn: ci(2, 10, 1, 2), Flags: []apel.Flag{flag(2, apel.FlagPoorAccuracy)}},
			{CheckIn: ci(9, 99, 1, 2), Flags: []apel.Flag{flag(9, apel.FlagPoorAccuracy)}}, // a session d does not hold
		}}
	r := apel.CompileDailyReport("Kota", day).WithFlags(day)
	wantTotal := apel.FlagTally{Flagged: 4, Accepted: 1, Rejected: 1,
		ByKind: map[apel.FlagKind]int{apel.FlagPoorAccuracy: 1, apel.FlagSharedCoordinates: 2, apel.FlagImpossibleTravel: 2}}
	if diff := cmp.Diff(wantTotal, r.Flags); diff != "" || r.Flags.Open() != 2 {
		t.Errorf("pemda flags (-want +got):\n%s open %d, want 2", diff, r.Flags.Open())
	}
	if r.OPDs[0].Flags.Flagged != 1 || r.OPDs[1].Flags.Flagged != 3 || r.OPDs[1].Flags.Accepted != 1 {
		t.Errorf("per OPD: A %+v, B %+v; want 1 and 3 (1 accepted)", r.OPDs[0].Flags, r.OPDs[1].Flags)
	}
	var order []int64
	for _, l := range r.Flagged {
		order = append(order, l.CheckIn.ID)
	}
	// OPD order, pagi before sore, then time.
	if want := []int64{2, 3, 4, 5}; !cmp.Equal(order, want) {
		t.Errorf("flagged lines %v, want %v", order, want)
	}
	if l := r.Flagged[1]; l.Employee.Name != "Budi" || l.OPD.Code != "B" || l.Kind != apel.Pagi {
		t.Errorf("line 2: %+v, want Budi of B, pagi", l)
	}
	if again := r.WithFlags(day); again.Flags.Flagged != 4 || len(again.Flagged) != 4 || again.OPDs[1].Flags.Flagged != 3 || r.OPDs[1].Flags.Flagged != 3 {
		t.Errorf("WithFlags twice: %d flagged, %d lines, B %d (first report's B %d); want 4, 4, 3, 3 (not doubled)",
			again.Flags.Flagged, len(again.Flagged), again.OPDs[1].Flags.Flagged, r.OPDs[1].Flags.Flagged)
	}
}
