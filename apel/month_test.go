package apel_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// jan returns a date in January 2026.
func jan(day int) apel.Date { return apel.Date{Year: 2026, Month: time.January, Day: day} }

// daySpec is one OPD's apel on one date: a letter per staff member for
// pagi and for sore ("" when that session was not held): o on time, l late,
// x on time but out of place, a absent (TK), e excused (the excuse is
// recorded once per date, from pagi).
type daySpec struct {
	opd        string
	pagi, sore string
}

// monthInput builds the input of January 2026 for two OPDs: DISKOMINFO
// (staff 1-3, the weekday plan of byWeekday) and DINKES (direct service,
// staff 4-5, always WFO). Check-ins carry the planned mode. activities lists
// who sent an activity report, by date.
func monthInput(t *testing.T, days map[apel.Date][]daySpec, activities map[apel.Date][]int64) apel.EvaluationInput {
	t.Helper()
	opds := []apel.OPD{{Code: "DISKOMINFO", Name: "Diskominfo"}, {Code: "DINKES", Name: "Dinkes", DirectService: true}}
	staff := map[string][]int64{"DISKOMINFO": {1, 2, 3}, "DINKES": {4, 5}}
	var emps []apel.Employee
	for _, o := range opds {
		for _, id := range staff[o.Code] {
			emps = append(emps, apel.Employee{ID: id, Name: string(rune('A' + id)), OPD: o.Code, Role: apel.RoleStaff, Active: true})
		}
	}
	gone := apel.Employee{ID: 9, Name: "Gone", OPD: "DISKOMINFO", Active: false}
	emps = append(emps, gone)
	var sid, cid int64
	in := apel.EvaluationInput{Pemda: "Kota Ternate", From: jan(1), To: jan(31), OPDs: opds, Planner: weekdayPlanner{}, Threshold: 0.85}
	for date, specs := range days {
		day := apel.Day{Date: date, OPDs: opds, Employees: emps}
		for _, sp := range specs {
			o := opds[0]
			if sp.opd == "DINKES" {
				o = opds[1]
			}
			for k, marks := range map[apel.SessionKind]string{apel.Pagi: sp.pagi, apel.Sore: sp.sore} {
				if marks == "" {
					continue
				}
				sid++
				day.Sessions = append(day.Sessions, apel.Session{ID: sid, OPD: o.Code, Slot: apel.Slot{Date: date, Kind: k}, Closed: true})
				if len(marks) != len(staff[o.Code]) {
					t.Fatalf("spec %s %s %s: %d marks for %d staff", date, o.Code, k, len(marks), len(staff[o.Code]))
				}
				for i, m := range marks {
					id := staff[o.Code][i]
					mode := modeOn(o, date)
					v := apel.Verdict{Place: apel.PlaceOf(mode), InPlace: true}
					switch m {
					case 'a':
						continue
					case 'e':
						if k == apel.Pagi {
							day.Excuses = append(day.Excuses, apel.Excuse{EmployeeID: id, Date: date, Kind: apel.Sakit})
						}
						continue
					case 'l':
						v.Late, v.LateBy = true, 4*time.Minute
					case 'x':
						v.InPlace = false
					}
					cid++
					day.CheckIns = append(day.CheckIns, apel.CheckIn{ID: cid, SessionID: sid, EmployeeID: id, Mode: mode, Verdict: v})
				}
			}
		}
		for _, id := range activities[date] {
			day.Activities = append(day.Activities, apel.Activity{EmployeeID: id, Date: date, Text: "kerja"})
		}
		in.Days = append(in.Days, day)
		in.Facts.Excuses = append(in.Facts.Excuses, day.Excuses...)
	}
	in.Facts.Staff = emps
	return in
}

// januaryInput is the fixture of TestEvaluate; the expected numbers are
// worked out in the test.
func januaryInput(t *testing.T) apel.EvaluationInput {
	t.Helper()
	in := monthInput(t, map[apel.Date][]daySpec{
		jan(12): {{"DISKOMINFO", "ool", "ooa"}, {"DINKES", "oo", "oo"}}, // Monday, WFO
		jan(13): {{"DISKOMINFO", "oea", "oea"}, {"DINKES", "ox", ""}},   // Tuesday, WFH; DINKES sore not held
		jan(15): {{"DISKOMINFO", "lll", "ooo"}, {"DINKES", "oa", "oa"}}, // Thursday, WFA
		jan(19): {{"DISKOMINFO", "ooo", "ooo"}, {"DINKES", "aa", "aa"}}, // Monday, WFO
		jan(14): nil,                                                    // no session held: no line
		{Year: 2026, Month: time.February, Day: 2}: {{"DISKOMINFO", "aaa", "aaa"}}, // outside the period
	}, map[apel.Date][]int64{
		jan(13): {1, 4},    // DINKES staff owe none, their report is not counted
		jan(15): {1, 2},    //
		jan(19): {1},       // a WFO day: nobody owes one
		jan(14): {1, 2, 3}, // no apel that day
	})
	// An excuse on a date without apel is not counted.
	for i := range in.Days {
		if in.Days[i].Date == jan(14) {
			in.Days[i].Excuses = []apel.Excuse{{EmployeeID: 1, Date: jan(14), Kind: apel.Cuti}}
		}
	}
	approved := func(id, emp int64, k apel.RequestKind, from, to apel.Date) apel.Request {
		return apel.Request{ID: id, EmployeeID: emp, Kind: k, From: from, To: to, Status: apel.RequestApproved}
	}
	in.Facts.Requests = []apel.Request{
		approved(1, 1, apel.RequestWFH, jan(13), jan(13)),
		approved(2, 2, apel.RequestWFA, apel.Date{Year: 2026, Month: time.February, Day: 2}, apel.Date{Year: 2026, Month: time.February, Day: 3}),
		approved(3, 3, apel.RequestCuti, jan(19), jan(19)), // an excuse: in force, not a WFH/WFA request
	}
	return in
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	e := apel.Evaluate(januaryInput(t))

	tally := func(head, present, late, oop, wfo, wfh, wfa, excused, absent int) apel.Tally {
		return apel.Tally{Held: true, Headcount: head, Present: present, Late: late, OutOfPlace: oop, WFO: wfo, WFH: wfh, WFA: wfa, Excused: excused, Absent: absent}
	}
	// DISKOMINFO: 8 sessions of 3; present 3+2, 1+1, 3+3, 3+3 = 19; late 1+3;
	// Citra... excused 2 (sick on the 13th, both sessions); TK 1+1+1 = 3.
	kominfo := tally(24, 19, 4, 0, 11, 2, 6, 2, 3)
	// DINKES: 7 sessions of 2 (sore of the 13th not held); present
	// 2+2, 2, 1+1, 0+0 = 8; one out of place; TK 6.
	dinkes := tally(14, 8, 0, 1, 8, 0, 0, 0, 6)
	wantOPDs := []apel.OPDEval{
		{OPD: apel.OPD{Code: "DISKOMINFO", Name: "Diskominfo"}, Headcount: 3, Days: 4, Total: kominfo,
			Pagi: tally(12, 10, 4, 0, 6, 1, 3, 1, 1), Sore: tally(12, 9, 0, 0, 5, 1, 3, 1, 2),
			Excuses: apel.ExcuseCount{Sakit: 1}, Activity: apel.ActivityTally{Due: 5, Reported: 3},
			// WFH on the 13th, WFA on the 15th: 3 allowed each day, 2 and 3 off-site.
			Requests: apel.RequestUse{Approved: 1, InForce: 2, QuotaDays: 6, OffSite: 5}},
		{OPD: apel.OPD{Code: "DINKES", Name: "Dinkes", DirectService: true}, Headcount: 2, Days: 4, Total: dinkes,
			Pagi: tally(8, 5, 0, 1, 5, 0, 0, 0, 3), Sore: tally(6, 3, 0, 0, 3, 0, 0, 0, 3), Below: true},
	}
	if diff := cmp.Diff(wantOPDs, e.OPDs); diff != "" {
		t.Errorf("Evaluate OPDs (-want +got):\n%s", diff)
	}
	if got, want := e.Total, kominfo.Add(dinkes); got != want {
		t.Errorf("Total = %+v, want %+v", got, want)
	}
	if got, want := e.Pagi.Add(e.Sore), e.Total; got != want {
		t.Errorf("Pagi + Sore = %+v, want the total %+v", got, want)
	}
	if e.Headcount != 5 {
		t.Errorf("Headcount = %d, want 5 (the inactive person left out)", e.Headcount)
	}
	if math.Abs(e.Total.Rate()-27.0/36) > 1e-12 || math.Abs(e.Total.LateRate()-4.0/27) > 1e-12 {
		t.Errorf("Rate, LateRate = %v, %v; want 27/36, 4/27", e.Total.Rate(), e.Total.LateRate())
	}

	// Modes: the mode of the check-in, else the plan. WFO: DISKOMINFO on
	// the two Mondays and all of DINKES. The excused have no mode.
	wantModes := []apel.ModeEval{
		{Mode: apel.WFO, Tally: tally(26, 19, 1, 1, 19, 0, 0, 0, 7)},
		{Mode: apel.WFH, Tally: tally(4, 2, 0, 0, 0, 2, 0, 0, 2)}, // the sick have no mode
		{Mode: apel.WFA, Tally: tally(6, 6, 3, 0, 0, 0, 6, 0, 0)},
	}
	if diff := cmp.Diff(wantModes, e.Modes); diff != "" {
		t.Errorf("Evaluate modes (-want +got):\n%s", diff)
	}

	wantDays := []apel.DayEval{
		{Date: jan(12), Total: tally(10, 9, 1, 0, 9, 0, 0, 0, 1)},
		{Date: jan(13), Total: tally(8, 4, 0, 1, 2, 2, 0, 2, 2), Activity: apel.ActivityTally{Due: 2, Reported: 1}},
		{Date: jan(15), Total: tally(10, 8, 3, 0, 2, 0, 6, 0, 2), Activity: apel.ActivityTally{Due: 3, Reported: 2}},
		{Date: jan(19), Total: tally(10, 6, 0, 0, 6, 0, 0, 0, 4)},
	}
	if diff := cmp.Diff(wantDays, e.Days); diff != "" {
		t.Errorf("Evaluate days (-want +got):\n%s", diff)
	}
	wantWeeks := []apel.WeekEval{
		{Year: 2026, Week: 3, From: jan(12), To: jan(18), Days: 3, Total: wantDays[0].Total.Add(wantDays[1].Total).Add(wantDays[2].Total)},
		{Year: 2026, Week: 4, From: jan(19), To: jan(25), Days: 1, Total: wantDays[3].Total},
	}
	if diff := cmp.Diff(wantWeeks, e.Weeks); diff != "" {
		t.Errorf("Evaluate weeks (-want +got):\n%s", diff)
	}
	if want := (apel.ExcuseCount{Sakit: 1}); e.Excuses != want || e.Excuses.Total() != 1 {
		t.Errorf("Excuses = %+v, want %+v (the cuti of a day without apel not counted)", e.Excuses, want)
	}
	if want := (apel.ActivityTally{Due: 5, Reported: 3}); e.Activity != want {
		t.Errorf("Activity = %+v, want %+v", e.Activity, want)
	}
	if want := (apel.RequestUse{Approved: 1, InForce: 2, QuotaDays: 6, OffSite: 5}); e.Requests != want || e.Requests.QuotaRate() != 5.0/6 {
		t.Errorf("Requests = %+v (quota rate %v), want %+v", e.Requests, e.Requests.QuotaRate(), want)
	}
	if below := e.Below(); len(below) != 1 || below[0].OPD.Code != "DINKES" {
		t.Errorf("Below() = %+v, want DINKES only", below)
	}
}

func TestEvaluateThreshold(t *testing.T) {
	t.Parallel()
	in := januaryInput(t)
	// DISKOMINFO's rate is exactly 19/22.
	tests := []struct {
		name      string
		threshold float64
		want      bool
	}{
		{"a rate equal to the threshold is not below", 19.0 / 22, false},
		{"a rate just under the threshold is below", 19.0/22 + 1e-9, true},
		{"threshold 0 flags nobody", 0, false},
	}
	for _, tt := range tests {
		in.Threshold = tt.threshold
		if got := apel.Evaluate(in).OPDs[0].Below; got != tt.want {
			t.Errorf("%s: DISKOMINFO Below at threshold %v = %v, want %v", tt.name, tt.threshold, got, tt.want)
		}
	}
}

func TestEvaluateEmpty(t *testing.T) {
	t.Parallel()
	in := januaryInput(t)
	in.Days = nil
	e := apel.Evaluate(in)
	if len(e.OPDs) != 2 || e.OPDs[0].Total.Held || e.OPDs[0].Below || len(e.Days) != 0 || len(e.Weeks) != 0 || e.Total.Held {
		t.Errorf("Evaluate of no days = %+v, want two OPDs with nothing held and nothing flagged", e)
	}
	if len(e.Modes) != 3 || e.Modes[1].Mode != apel.WFH || e.Modes[1].Tally.Held {
		t.Errorf("Evaluate of no days: modes %+v, want WFO, WFH, WFA, none held", e.Modes)
	}
}

func TestEvaluateWeeksAcrossTheYear(t *testing.T) {
	t.Parallel()
	// 1 January 2026 is a Thursday in ISO week 1 of 2026; 31 December
	// 2025 is in the same week. A period starting on the 1st cuts the week.
	in := monthInput(t, map[apel.Date][]daySpec{
		jan(2): {{"DISKOMINFO", "ooo", "ooo"}},
		jan(5): {{"DISKOMINFO", "ooo", "ooo"}},
	}, nil)
	e := apel.Evaluate(in)
	if len(e.Weeks) != 2 || e.Weeks[0].Week != 1 || e.Weeks[0].From != jan(1) || e.Weeks[0].To != jan(4) ||
		e.Weeks[1].Week != 2 || e.Weeks[1].From != jan(5) || e.Weeks[1].To != jan(11) {
		t.Errorf("weeks = %+v, want week 1 (1-4 Jan) and week 2 (5-11 Jan)", e.Weeks)
	}
	in.To = jan(7)
	if e := apel.Evaluate(in); e.Weeks[1].To != jan(7) {
		t.Errorf("a period ending on the 7th: last week ends %s, want 2026-01-07", e.Weeks[1].To)
	}
}

func TestParseMonth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		from, to apel.Date
		ok       bool
	}{
		{"2026-01", jan(1), jan(31), true},
		{"2024-02", apel.Date{Year: 2024, Month: time.February, Day: 1}, apel.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{"2026-02", apel.Date{Year: 2026, Month: time.February, Day: 1}, apel.Date{Year: 2026, Month: time.February, Day: 28}, true},
		{"2025-12", apel.Date{Year: 2025, Month: time.December, Day: 1}, apel.Date{Year: 2025, Month: time.December, Day: 31}, true},
		{"2026-13", apel.Date{}, apel.Date{}, false},
		{"2026-1", apel.Date{}, apel.Date{}, false},
		{"Januari", apel.Date{}, apel.Date{}, false},
		{"2026-01-05", apel.Date{}, apel.Date{}, false},
	}
	for _, tt := range tests {
		from, to, err := apel.ParseMonth(tt.in)
		if (err == nil) != tt.ok || from != tt.from || to != tt.to {
			t.Errorf("ParseMonth(%q) = %s, %s, %v; want %s, %s, ok %v", tt.in, from, to, err, tt.from, tt.to, tt.ok)
		}
	}
	if from, to := apel.MonthOf(jan(17)); from != jan(1) || to != jan(31) {
		t.Errorf("MonthOf(2026-01-17) = %s, %s; want 2026-01-01, 2026-01-31", from, to)
	}
}

func TestLateRate(t *testing.T) {
	t.Parallel()
	if r := (apel.Tally{Present: 8, Late: 2}).LateRate(); r != 0.25 {
		t.Errorf("LateRate of 2 late of 8 present = %v, want 0.25", r)
	}
	if r := (apel.Tally{Headcount: 3, Absent: 3}).LateRate(); r != 0 {
		t.Errorf("LateRate with nobody present = %v, want 0", r)
	}
}

// dayByDay hides PlanWeek: the evaluation then plans each date on its own.
type dayByDay struct{ apel.Planner }

func TestEvaluatePlansWeeksLikeDays(t *testing.T) {
	t.Parallel()
	in := syntheticMonth(t, 12, 9)
	in.Facts.Requests = []apel.Request{{ID: 1, EmployeeID: 20, Kind: apel.RequestWFA, From: jan(5), To: jan(9), Status: apel.RequestApproved}}
	weekly := apel.Evaluate(in)
	in.Planner = dayByDay{in.Planner}
	daily := apel.Evaluate(in)
	if diff := cmp.Diff(daily, weekly); diff != "" {
		t.Errorf("Evaluate with PlanWeek differs from planning date by date (-daily +weekly):\n%s", diff)
	}
	if weekly.Requests.QuotaDays == 0 || weekly.Requests.OffSite == 0 || weekly.Requests.Approved != 1 {
		t.Errorf("Requests = %+v, want quotas used and the one approved request", weekly.Requests)
	}
}
