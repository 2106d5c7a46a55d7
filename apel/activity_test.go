package apel_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// modeOn is the plan of the tests: WFO on Monday and Friday, WFH on
// Tuesday and Wednesday, WFA on Thursday; direct-service OPDs always WFO.
func modeOn(o apel.OPD, d apel.Date) apel.Mode {
	if o.DirectService {
		return apel.WFO
	}
	switch d.Weekday() {
	case time.Tuesday, time.Wednesday:
		return apel.WFH
	case time.Thursday:
		return apel.WFA
	}
	return apel.WFO
}

// weekdayPlanner plans with modeOn: a Planner whose rules the tests
// control. Each active staff member of the OPD in the facts gets modeOn,
// except that an excuse of the date excuses them (no mode). The plan counts
// the approved requests covering the date, a limit of the whole headcount
// on off-site days, and who is off-site.
type weekdayPlanner struct{}

func (weekdayPlanner) Plan(o apel.OPD, d apel.Date, f apel.Facts) apel.DayPlan {
	dp := apel.DayPlan{DayInfo: apel.DayInfo{Date: d, Work: apel.Work{Mode: modeOn(o, d)}, Reason: apel.ModeByWeekday}, OPD: o.Code}
	for _, e := range f.Staff {
		if e.OPD != o.Code || !e.Active {
			continue
		}
		a := apel.Assignment{EmployeeID: e.ID, Mode: modeOn(o, d), Reason: apel.ModeByWeekday}
		for _, x := range f.Excuses {
			if x.EmployeeID == e.ID && x.Date == d {
				a = apel.Assignment{EmployeeID: e.ID, Reason: apel.ModeByExcuse, Excuse: x.Kind}
			}
		}
		for _, r := range f.Requests {
			if r.EmployeeID == e.ID && r.Covers(d) {
				dp.Requests++
			}
		}
		dp.People = append(dp.People, a)
		dp.Headcount++
		if a.Mode.OffSite() {
			dp.OffSite++
		}
	}
	if modeOn(o, d).OffSite() {
		dp.Limit = dp.Headcount
	}
	return dp
}

func (p weekdayPlanner) ModeOf(o apel.OPD, e apel.Employee, d apel.Date) apel.Assignment {
	return apel.Assignment{EmployeeID: e.ID, Mode: modeOn(o, d), Reason: apel.ModeByWeekday}
}

// factsOf returns the facts of a Day: its roster and excuses.
func factsOf(d apel.Day) apel.Facts {
	return apel.Facts{Staff: d.Employees, Excuses: d.Excuses}
}

func TestCheckActivity(t *testing.T) {
	t.Parallel()
	wfh := apel.Assignment{Mode: apel.WFH, Reason: apel.ModeByWeekday}
	tests := []struct {
		name    string
		working bool
		a       apel.Assignment
		text    string
		want    apel.Reason // "" when accepted
	}{
		{"WFH staff with text may report", true, wfh, "Menyusun draf SOP", ""},
		{"WFA staff may report", true, apel.Assignment{Mode: apel.WFA}, "Rapat daring", ""},
		{"WFO staff owe no report and may not send one", true, apel.Assignment{Mode: apel.WFO}, "Rapat", apel.ReasonNotOffSite},
		{"an unset mode is WFO", true, apel.Assignment{}, "Rapat", apel.ReasonNotOffSite},
		{"no report on a day without apel", false, wfh, "Lembur", apel.ReasonNoWorkToday},
		{"the day off wins over the mode", false, apel.Assignment{Mode: apel.WFO}, "x", apel.ReasonNoWorkToday},
		{"blank text is refused", true, wfh, " \n\t ", apel.ReasonActivityEmpty},
		{"exactly the longest text is accepted", true, wfh, strings.Repeat("é", apel.MaxActivityText), ""},
		{"one character over is refused", true, wfh, strings.Repeat("é", apel.MaxActivityText+1), apel.ReasonActivityTooLong},
	}
	for _, tt := range tests {
		err := apel.CheckActivity(tt.working, tt.a, tt.text)
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (tt.want == "") != (err == nil) {
			t.Errorf("%s: CheckActivity(%v, %s, %d chars) = %v, want reason %q", tt.name, tt.working, tt.a.Mode, len([]rune(tt.text)), err, tt.want)
		}
	}
}

// activityDay is Tuesday 13 January 2026 (WFH) for two OPDs: DISKOMINFO
// (Ani reported, Budi did not, Citra is sick, Dedi inactive) and DINKES
// (direct service: WFO, owes nothing). Both held apel pagi.
func activityDay() apel.Day {
	d := apel.Date{Year: 2026, Month: time.January, Day: 13}
	emp := func(id int64, name, opd string) apel.Employee {
		return apel.Employee{ID: id, Name: name, OPD: opd, Role: apel.RoleStaff, Active: true}
	}
	dedi := emp(4, "Dedi", "DISKOMINFO")
	dedi.Active = false
	return apel.Day{
		Date: d,
		OPDs: []apel.OPD{{Code: "DISKOMINFO", Name: "Diskominfo"}, {Code: "DINKES", Name: "Dinkes", DirectService: true}},
		Employees: []apel.Employee{
			emp(1, "Ani", "DISKOMINFO"), emp(2, "Budi", "DISKOMINFO"), emp(3, "Citra", "DISKOMINFO"), dedi,
			emp(5, "Eka", "DINKES"),
		},
		Sessions: []apel.Session{
			{ID: 1, OPD: "DISKOMINFO", Slot: apel.Slot{Date: d, Kind: apel.Pagi}, Closed: true},
			{ID: 2, OPD: "DINKES", Slot: apel.Slot{Date: d, Kind: apel.Pagi}, Closed: true},
		},
		Excuses: []apel.Excuse{
			{EmployeeID: 3, Date: d, Kind: apel.Sakit},
			{EmployeeID: 2, Date: d.AddDays(1), Kind: apel.Cuti}, // another date
		},
		Activities: []apel.Activity{
			{EmployeeID: 1, Date: d, Text: "Menyusun SOP", Mode: apel.WFH},
			{EmployeeID: 2, Date: d.AddDays(-1), Text: "kemarin", Mode: apel.WFH}, // another date
			{EmployeeID: 4, Date: d, Text: "sudah pensiun", Mode: apel.WFH},
			{EmployeeID: 5, Date: d, Text: "dinkes tidak wajib", Mode: apel.WFO},
		},
	}
}

func TestActivityRoll(t *testing.T) {
	t.Parallel()
	d := activityDay()
	p := weekdayPlanner{}
	missing, got := apel.ActivityRoll(p.Plan(d.OPDs[0], d.Date, factsOf(d)), d.Employees, d.Activities)
	if want := (apel.ActivityTally{Due: 2, Reported: 1}); got != want {
		t.Errorf("ActivityRoll(DISKOMINFO) tally = %+v, want %+v (Ani and Budi owe one, Citra is sick, Dedi inactive)", got, want)
	}
	if len(missing) != 1 || missing[0].Name != "Budi" {
		t.Errorf("ActivityRoll(DISKOMINFO) missing = %+v, want Budi", missing)
	}
	if got.Missing() != 1 || got.Rate() != 0.5 {
		t.Errorf("Missing, Rate = %d, %v; want 1, 0.5", got.Missing(), got.Rate())
	}
	_, dinkes := apel.ActivityRoll(p.Plan(d.OPDs[1], d.Date, factsOf(d)), d.Employees, d.Activities)
	if dinkes != (apel.ActivityTally{}) {
		t.Errorf("ActivityRoll(DINKES, direct service) = %+v, want nobody due (a report sent anyway is not counted)", dinkes)
	}
	if r := (apel.ActivityTally{}).Rate(); r != 0 {
		t.Errorf("Rate of nobody due = %v, want 0", r)
	}
	// Without names, the tally alone.
	if missing, got := apel.ActivityRoll(p.Plan(d.OPDs[0], d.Date, factsOf(d)), nil, d.Activities); len(missing) != 0 || got.Due != 2 {
		t.Errorf("ActivityRoll without staff = %v, %+v; want no names and 2 due", missing, got)
	}
}

func TestWithActivity(t *testing.T) {
	t.Parallel()
	d := activityDay()
	r := apel.CompileDailyReport("Kota Ternate", d)
	got := r.WithActivity(d, weekdayPlanner{}, factsOf(d))
	if want := (apel.ActivityTally{Due: 2, Reported: 1}); got.Activity != want {
		t.Errorf("WithActivity total = %+v, want %+v", got.Activity, want)
	}
	wantOPDs := []apel.ActivityTally{{Due: 2, Reported: 1}, {}}
	for i, o := range got.OPDs {
		if o.Activity != wantOPDs[i] {
			t.Errorf("WithActivity %s = %+v, want %+v", o.OPD.Code, o.Activity, wantOPDs[i])
		}
	}
	if r.OPDs[0].Activity != (apel.ActivityTally{}) {
		t.Error("WithActivity changed the report it was called on")
	}
	// The tallies other than activity are untouched.
	if diff := cmp.Diff(r.Pagi, got.Pagi); diff != "" {
		t.Errorf("WithActivity changed the pagi tally (-want +got):\n%s", diff)
	}
	// A day without sessions owes no report.
	d.Sessions = nil
	if got := apel.CompileDailyReport("Kota Ternate", d).WithActivity(d, weekdayPlanner{}, factsOf(d)); got.Activity != (apel.ActivityTally{}) {
		t.Errorf("WithActivity of a day without apel = %+v, want zero", got.Activity)
	}
}

func TestFactsByOPD(t *testing.T) {
	t.Parallel()
	d := activityDay()
	f := factsOf(d)
	f.Requests = []apel.Request{{ID: 1, EmployeeID: 5}, {ID: 2, EmployeeID: 99}}
	f.Shifts = []apel.Shift{{OPD: "DISKOMINFO", EmployeeID: 1}}
	got := apel.FactsByOPD(f)
	if k := got["DISKOMINFO"]; len(k.Staff) != 4 || len(k.Excuses) != 2 || len(k.Requests) != 0 || len(k.Shifts) != 1 {
		t.Errorf("FactsByOPD DISKOMINFO = %+v, want 4 staff, 2 excuses, 1 shift", k)
	}
	if k := got["DINKES"]; len(k.Staff) != 1 || len(k.Excuses) != 0 || len(k.Requests) != 1 {
		t.Errorf("FactsByOPD DINKES = %+v, want 1 staff and the request of Eka", k)
	}
}

func TestOffSite(t *testing.T) {
	t.Parallel()
	for m, want := range map[apel.Mode]bool{apel.WFO: false, apel.WFH: true, apel.WFA: true, "": false} {
		if got := m.OffSite(); got != want {
			t.Errorf("OffSite(%q) = %v, want %v", m, got, want)
		}
	}
}

func TestActivityReasonsAreNew(t *testing.T) {
	t.Parallel()
	known := map[apel.Reason]bool{}
	for _, r := range apel.Reasons() {
		known[r] = true
	}
	for _, r := range apel.ActivityReasons() {
		if known[r] {
			t.Errorf("activity reason %q is also in Reasons(): list it once", r)
		}
		known[r] = true
	}
}
