package apel_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// rollFixture is one DISKOMINFO apel pagi with a person in every state:
// on time in place, late in place (WFH), on time out of place, excused,
// nothing at all, late out of place, and someone excused who came anyway.
type rollFixture struct {
	session   apel.Session
	employees []apel.Employee
	checkIns  []apel.CheckIn
	excuses   []apel.Excuse
}

func newRollFixture(t *testing.T) rollFixture {
	t.Helper()
	s := ternatePagi(t)
	emp := func(id int64, name string) apel.Employee {
		return apel.Employee{ID: id, NIP: "19850312201001100" + string(rune('0'+id)), Name: name, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	}
	ci := func(id, emp int64, m apel.Mode, late, inPlace bool) apel.CheckIn {
		v := apel.Verdict{Late: late, Place: apel.PlaceOffice, InPlace: inPlace}
		if late {
			v.LateBy = 3 * time.Minute
		}
		return apel.CheckIn{ID: id, SessionID: s.ID, EmployeeID: emp, Mode: m, Verdict: v}
	}
	return rollFixture{
		session: s,
		employees: []apel.Employee{
			emp(1, "Ani"), emp(2, "Budi"), emp(3, "Citra"), emp(4, "Dedi"), emp(5, "Eka"), emp(6, "Fajar"), emp(7, "Gita"),
		},
		checkIns: []apel.CheckIn{
			ci(101, 1, apel.WFO, false, true),
			ci(102, 2, apel.WFH, true, true),
			ci(103, 3, apel.WFO, false, false),
			ci(106, 6, apel.WFO, true, false),
			ci(107, 7, apel.WFA, false, true),
			// Eka checked in to the sore session: not this one.
			{ID: 199, SessionID: s.ID + 1, EmployeeID: 5, Mode: apel.WFO, Verdict: apel.Verdict{InPlace: true}},
		},
		excuses: []apel.Excuse{
			{EmployeeID: 4, Date: s.Date, Kind: apel.Sakit, By: 20},
			// Gita had leave recorded but came anyway: the check-in counts.
			{EmployeeID: 7, Date: s.Date, Kind: apel.Cuti, By: 20},
			// Eka's excuse is for the next day.
			{EmployeeID: 5, Date: s.Date.AddDays(1), Kind: apel.Izin, By: 20},
		},
	}
}

func TestRoll(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	present := func(i int, st apel.Status) apel.Attendance {
		for j := range f.checkIns {
			if f.checkIns[j].EmployeeID == f.employees[i].ID && f.checkIns[j].SessionID == f.session.ID {
				ci := f.checkIns[j]
				return apel.Attendance{Employee: f.employees[i], Status: st, CheckIn: &ci}
			}
		}
		t.Fatalf("fixture: no check-in for %s", f.employees[i].Name)
		return apel.Attendance{}
	}
	tests := []struct {
		name      string
		closed    bool
		wantEka   apel.Status
		wantTally apel.Tally
	}{
		{"while the session is open, no check-in is pending", false, apel.StatusPending, apel.Tally{
			Held: true, Headcount: 7, Present: 5, Late: 2, OutOfPlace: 2, WFO: 3, WFH: 1, WFA: 1, Excused: 1, Pending: 1,
		}},
		{"once the session is closed, no check-in is absent", true, apel.StatusAbsent, apel.Tally{
			Held: true, Headcount: 7, Present: 5, Late: 2, OutOfPlace: 2, WFO: 3, WFH: 1, WFA: 1, Excused: 1, Absent: 1,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := f.session
			s.Closed = tt.closed
			rows, tally := apel.Roll(s, f.employees, f.checkIns, f.excuses, nil)
			want := []apel.Attendance{
				present(0, apel.StatusOnTime),
				present(1, apel.StatusLate),
				present(2, apel.StatusOnTime),
				{Employee: f.employees[3], Status: apel.StatusExcused, Excuse: apel.Sakit},
				{Employee: f.employees[4], Status: tt.wantEka},
				present(5, apel.StatusLate),
				present(6, apel.StatusOnTime),
			}
			if diff := cmp.Diff(want, rows); diff != "" {
				t.Errorf("Roll(closed=%v) rows mismatch (-want +got):\n%s", tt.closed, diff)
			}
			if diff := cmp.Diff(tt.wantTally, tally); diff != "" {
				t.Errorf("Roll(closed=%v) tally mismatch (-want +got):\n%s", tt.closed, diff)
			}
		})
	}
}

func TestRollOfNobody(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	rows, tally := apel.Roll(f.session, nil, f.checkIns, f.excuses, nil)
	if len(rows) != 0 {
		t.Errorf("Roll(no employees) rows = %+v, want none", rows)
	}
	if diff := cmp.Diff(apel.Tally{Held: true}, tally); diff != "" {
		t.Errorf("Roll(no employees) tally mismatch (-want +got):\n%s", diff)
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	opd := apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: ternateA()}
	names := func(as []apel.Attendance) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Employee.Name)
		}
		return out
	}
	tests := []struct {
		name       string
		closed     bool
		wantAbsent []string
		wantStatus apel.Status
	}{
		{"closed session lists the absent", true, []string{"Eka"}, apel.StatusAbsent},
		// While open, those not yet checked in are listed with the absent so
		// the head sees who is missing; the tally keeps them apart.
		{"open session lists the pending with the absent", false, []string{"Eka"}, apel.StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := f.session
			s.Closed = tt.closed
			got := apel.Summarize(opd, s, f.employees, f.checkIns, f.excuses, nil)
			if got.OPD != opd || got.Session.ID != s.ID || got.Session.Closed != tt.closed {
				t.Errorf("Summarize(closed=%v) = OPD %v session %d closed %v, want OPD %v session %d closed %v",
					tt.closed, got.OPD.Code, got.Session.ID, got.Session.Closed, opd.Code, s.ID, tt.closed)
			}
			_, wantTally := apel.Roll(s, f.employees, f.checkIns, f.excuses, nil)
			if diff := cmp.Diff(wantTally, got.Tally); diff != "" {
				t.Errorf("Summarize(closed=%v) tally mismatch (-want +got):\n%s", tt.closed, diff)
			}
			lists := map[string][]string{
				"absent": names(got.Absent), "late": names(got.Late), "out of place": names(got.OutOfPlace), "excused": names(got.Excused),
			}
			want := map[string][]string{
				"absent":       tt.wantAbsent,
				"late":         {"Budi", "Fajar"},
				"out of place": {"Citra", "Fajar"}, // on time or late, outside the fence
				"excused":      {"Dedi"},
			}
			if diff := cmp.Diff(want, lists); diff != "" {
				t.Errorf("Summarize(closed=%v) lists mismatch (-want +got):\n%s", tt.closed, diff)
			}
			if len(got.Absent) == 1 && got.Absent[0].Status != tt.wantStatus {
				t.Errorf("Summarize(closed=%v) Absent[0].Status = %q, want %q", tt.closed, got.Absent[0].Status, tt.wantStatus)
			}
			if len(got.Excused) == 1 && got.Excused[0].Excuse != apel.Sakit {
				t.Errorf("Summarize(closed=%v) Excused[0].Excuse = %q, want %q", tt.closed, got.Excused[0].Excuse, apel.Sakit)
			}
		})
	}
}

func TestTallyRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		in           apel.Tally
		wantExpected int
		wantRate     float64
	}{
		{"zero expected is 0, not NaN", apel.Tally{}, 0, 0},
		{"a whole OPD on leave is 0 expected and rate 0", apel.Tally{Headcount: 3, Excused: 3}, 0, 0},
		{"excused people are not expected", apel.Tally{Headcount: 5, Excused: 1, Present: 3, Absent: 1}, 4, 0.75},
		{"everyone present", apel.Tally{Headcount: 4, Present: 4}, 4, 1},
		{"nobody present", apel.Tally{Headcount: 4, Absent: 4}, 4, 0},
		{"more excused than headcount does not go negative", apel.Tally{Headcount: 1, Excused: 2}, -1, 0},
		{"late people count as present", apel.Tally{Headcount: 2, Present: 2, Late: 2}, 2, 1},
	}
	for _, tt := range tests {
		if got := tt.in.Expected(); got != tt.wantExpected {
			t.Errorf("%s: %+v.Expected() = %d, want %d", tt.name, tt.in, got, tt.wantExpected)
		}
		if got := tt.in.Rate(); math.Abs(got-tt.wantRate) > 1e-12 || math.IsNaN(got) {
			t.Errorf("%s: %+v.Rate() = %v, want %v", tt.name, tt.in, got, tt.wantRate)
		}
	}
}

func TestTallyAdd(t *testing.T) {
	t.Parallel()
	a := apel.Tally{Held: true, Headcount: 10, Present: 7, Late: 2, OutOfPlace: 1, WFO: 4, WFH: 2, WFA: 1, Excused: 1, Absent: 1, Pending: 1}
	b := apel.Tally{Held: false, Headcount: 5, Present: 3, Late: 1, OutOfPlace: 2, WFO: 1, WFH: 1, WFA: 1, Excused: 2, Absent: 0, Pending: 0}
	want := apel.Tally{Held: true, Headcount: 15, Present: 10, Late: 3, OutOfPlace: 3, WFO: 5, WFH: 3, WFA: 2, Excused: 3, Absent: 1, Pending: 1}
	if diff := cmp.Diff(want, a.Add(b)); diff != "" {
		t.Errorf("%+v.Add(%+v) mismatch (-want +got):\n%s", a, b, diff)
	}
	if diff := cmp.Diff(want, b.Add(a)); diff != "" {
		t.Errorf("%+v.Add(%+v) mismatch (-want +got):\n%s", b, a, diff)
	}
	if got := (apel.Tally{}).Add(apel.Tally{Headcount: 2}); got.Held {
		t.Errorf("Tally{}.Add(Tally{Headcount: 2}).Held = true, want false when neither was held")
	}
}

func TestCompileDailyReport(t *testing.T) {
	t.Parallel()
	p := ternatePolicy(t, wit)
	d := apel.Date{Year: 2026, Month: time.January, Day: 13}
	pagi, _ := p.Slot(d, apel.Pagi)
	sore, _ := p.Slot(d, apel.Sore)
	kominfo := apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: ternateA()}
	dinkes := apel.OPD{Code: "DINKES", Name: "Dinas Kesehatan", Office: ternateB(), DirectService: true}
	kelurahan := apel.OPD{Code: "KEL-GAMALAMA", Name: "Kelurahan Gamalama", Office: ternateA()}
	emp := func(id int64, opd, name string, active bool) apel.Employee {
		return apel.Employee{ID: id, Name: name, OPD: opd, Role: apel.RoleStaff, Active: active}
	}
	ci := func(id, session, emp int64, m apel.Mode, late, inPlace bool) apel.CheckIn {
		return apel.CheckIn{ID: id, SessionID: session, EmployeeID: emp, Mode: m, Verdict: apel.Verdict{Late: late, InPlace: inPlace}}
	}
	day := apel.Day{
		Date: d,
		OPDs: []apel.OPD{kominfo, dinkes, kelurahan},
		Employees: []apel.Employee{
			emp(1, "DISKOMINFO", "Citra", true),
			emp(2, "DISKOMINFO", "Ani", true),
			emp(3, "DISKOMINFO", "Budi", true),
			emp(4, "DISKOMINFO", "Dedi (retired)", false), // inactive: not counted
			emp(5, "DINKES", "Eka", true),
			emp(6, "DINKES", "Fajar", true),
			emp(7, "BAPPEDA", "Gita", true), // an OPD not in the report
		},
		Sessions: []apel.Session{
			{ID: 1, OPD: "DISKOMINFO", Slot: pagi, Closed: true},
			{ID: 2, OPD: "DISKOMINFO", Slot: sore, Closed: true},
			{ID: 3, OPD: "DINKES", Slot: pagi, Closed: true},
			// DINKES apel sore was never held (the bot was down).
			{ID: 4, OPD: "BAPPEDA", Slot: pagi, Closed: true},
		},
		CheckIns: []apel.CheckIn{
			ci(11, 1, 1, apel.WFH, false, true),
			ci(21, 2, 1, apel.WFH, false, true), // not in session order: any order counts the same
			ci(12, 1, 2, apel.WFH, true, false),
			ci(13, 1, 4, apel.WFH, false, true), // inactive person's check-in is ignored
			ci(31, 3, 5, apel.WFO, false, true),
			ci(32, 3, 6, apel.WFO, true, true),
			ci(41, 4, 7, apel.WFA, false, true),
		},
		Excuses: []apel.Excuse{
			{EmployeeID: 3, Date: d, Kind: apel.DinasLuar},
		},
	}

	got := apel.CompileDailyReport("Kota Ternate", day)

	want := apel.DailyReport{
		Pemda:     "Kota Ternate",
		Date:      d,
		Headcount: 5,
		OPDs: []apel.OPDDay{
			{OPD: kominfo,
				Pagi: apel.Tally{Held: true, Headcount: 3, Present: 2, Late: 1, OutOfPlace: 1, WFH: 2, Excused: 1},
				Sore: apel.Tally{Held: true, Headcount: 3, Present: 1, WFH: 1, Excused: 1, Absent: 1}},
			{OPD: dinkes,
				Pagi: apel.Tally{Held: true, Headcount: 2, Present: 2, Late: 1, WFO: 2},
				Sore: apel.Tally{Held: false, Headcount: 2}},
			{OPD: kelurahan,
				Pagi: apel.Tally{Held: false},
				Sore: apel.Tally{Held: false}},
		},
		Pagi: apel.Tally{Held: true, Headcount: 5, Present: 4, Late: 2, OutOfPlace: 1, WFO: 2, WFH: 2, Excused: 1},
		Sore: apel.Tally{Held: true, Headcount: 3, Present: 1, WFH: 1, Excused: 1, Absent: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CompileDailyReport(Kota Ternate, %v) mismatch (-want +got):\n%s", d, diff)
	}
	if r := got.OPDs[1].Sore.Rate(); r != 0 {
		t.Errorf("a never-held session's Rate() = %v, want 0 (not 100%%)", r)
	}
}

func TestCompileDailyReportWithNoSessions(t *testing.T) {
	t.Parallel()
	d := apel.Date{Year: 2026, Month: time.January, Day: 17}
	opd := apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: ternateA()}
	day := apel.Day{
		Date:      d,
		OPDs:      []apel.OPD{opd},
		Employees: []apel.Employee{{ID: 1, Name: "Ani", OPD: "DISKOMINFO", Active: true}},
	}
	got := apel.CompileDailyReport("Kota Ternate", day)
	want := apel.DailyReport{
		Pemda: "Kota Ternate", Date: d, Headcount: 1,
		OPDs: []apel.OPDDay{{OPD: opd, Pagi: apel.Tally{Headcount: 1}, Sore: apel.Tally{Headcount: 1}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CompileDailyReport(no sessions) mismatch (-want +got):\n%s", diff)
	}
	if empty := apel.CompileDailyReport("Kota Batu", apel.Day{Date: d}); len(empty.OPDs) != 0 || empty.Pagi != (apel.Tally{}) {
		t.Errorf("CompileDailyReport(empty day) = %+v, want no OPDs and zero totals", empty)
	}
}
