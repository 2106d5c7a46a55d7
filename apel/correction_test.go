package apel_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestCanCorrect(t *testing.T) {
	t.Parallel()
	today := apel.Date{Year: 2026, Month: time.January, Day: 13}
	head := apel.Employee{ID: 1, OPD: "DISKOMINFO", Role: apel.RoleHead, Active: true}
	admin := apel.Employee{ID: 2, OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}
	staff := apel.Employee{ID: 3, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	own := apel.Employee{ID: 4, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	other := apel.Employee{ID: 5, OPD: "DINKES", Role: apel.RoleStaff, Active: true}
	gone := head
	gone.Active = false
	tests := []struct {
		name      string
		by, whose apel.Employee
		date      apel.Date
		want      apel.Reason // "" when allowed
	}{
		{"a head corrects their own staff today", head, own, today, ""},
		{"a head corrects their own staff of last week", head, own, today.AddDays(-7), ""},
		{"a head may not correct another OPD's staff", head, other, today, apel.ReasonCorrectOtherOPD},
		{"an admin corrects anyone", admin, other, today, ""},
		{"staff may not correct", staff, own, today, apel.ReasonNotAllowed},
		{"a head no longer active may not correct", gone, own, today, apel.ReasonNotAllowed},
		{"tomorrow cannot be corrected", admin, own, today.AddDays(1), apel.ReasonCorrectFuture},
	}
	for _, tt := range tests {
		err := apel.CanCorrect(tt.by, tt.whose, tt.date, today)
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("%s: CanCorrect = %v, want reason %q", tt.name, err, tt.want)
		}
	}
}

func TestCorrectionValidate(t *testing.T) {
	t.Parallel()
	ok := apel.Correction{SessionID: 1, EmployeeID: 2, Date: apel.Date{Year: 2026, Month: 1, Day: 13}, Kind: apel.Pagi,
		Before: apel.StatusAbsent, After: apel.StatusOnTime, Reason: apel.CorrectGPSError, By: 3}
	tests := []struct {
		name   string
		change func(*apel.Correction)
		ok     bool
	}{
		{"a correction to present with a reason", func(*apel.Correction) {}, true},
		{"excused with a kind", func(c *apel.Correction) { c.After, c.Excuse = apel.StatusExcused, apel.Sakit }, true},
		{"excused without a kind", func(c *apel.Correction) { c.After = apel.StatusExcused }, false},
		{"a kind without excused", func(c *apel.Correction) { c.Excuse = apel.Izin }, false},
		{"pending cannot be set", func(c *apel.Correction) { c.After = apel.StatusPending }, false},
		{"not judged cannot be set", func(c *apel.Correction) { c.After = apel.StatusNotJudged }, false},
		{"an unknown reason", func(c *apel.Correction) { c.Reason = "lainnya" }, false},
		{"other with a note", func(c *apel.Correction) { c.Reason, c.Note = apel.CorrectOther, "rapat di kantor wali kota" }, true},
		{"other without a note", func(c *apel.Correction) { c.Reason, c.Note = apel.CorrectOther, "  " }, false},
		{"no corrector", func(c *apel.Correction) { c.By = 0 }, false},
		{"no session kind", func(c *apel.Correction) { c.Kind = "" }, false},
	}
	for _, tt := range tests {
		c := ok
		tt.change(&c)
		if err := c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate(%+v) = %v, want ok %v", tt.name, c, err, tt.ok)
		}
	}
	c := ok
	c.Reason = apel.CorrectOther
	if r, _ := apel.ReasonOf(c.Validate()); r != apel.ReasonCorrectionNote {
		t.Errorf("other without a note: reason %q, want %q", r, apel.ReasonCorrectionNote)
	}
}

func TestRollAppliesCorrections(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	s := f.session
	s.Closed = true
	at := func(m int) time.Time { return s.Closes.Add(time.Duration(m) * time.Minute) }
	fix := func(emp int64, m int, before, after apel.Status, mode apel.Mode) apel.Correction {
		return apel.Correction{ID: int64(900 + m), SessionID: s.ID, EmployeeID: emp, Date: s.Date, Kind: s.Kind,
			Before: before, After: after, Mode: mode, Reason: apel.CorrectGPSError, By: 20, At: at(m)}
	}
	cs := []apel.Correction{
		// Budi: corrected twice; given out of order, applied by time.
		fix(2, 20, apel.StatusAbsent, apel.StatusOnTime, ""),
		fix(2, 10, apel.StatusLate, apel.StatusAbsent, ""),
		// Citra, out of place: a GPS error, now present in place.
		fix(3, 5, apel.StatusOnTime, apel.StatusOnTime, ""),
		// Eka, TK: forgot to check in, worked from home.
		fix(5, 6, apel.StatusAbsent, apel.StatusOnTime, apel.WFH),
		// A correction of another session changes nothing here.
		{SessionID: s.ID + 1, EmployeeID: 1, After: apel.StatusAbsent, Reason: apel.CorrectOther, At: at(1)},
	}
	rows, tally := apel.Roll(s, f.employees, f.checkIns, f.excuses, cs)
	want := apel.Tally{Held: true, Headcount: 7, Present: 6, Late: 1, OutOfPlace: 1, WFO: 3, WFH: 2, WFA: 1,
		Excused: 1, Corrected: 3}
	if diff := cmp.Diff(want, tally); diff != "" {
		t.Errorf("Roll with corrections: tally (-want +got):\n%s", diff)
	}
	budi := rows[1]
	if budi.Status != apel.StatusOnTime || len(budi.Corrections) != 2 || budi.Corrections[1].ID != 920 || budi.CheckIn == nil {
		t.Errorf("Budi: status %s, corrections %+v, check-in %v; want on time after two corrections, check-in kept",
			budi.Status, budi.Corrections, budi.CheckIn)
	}
	if rows[0].Corrected() {
		t.Errorf("Ani: corrected by another session's correction")
	}
	sum := apel.Summarize(apel.OPD{Code: "DISKOMINFO"}, s, f.employees, f.checkIns, f.excuses, cs)
	if len(sum.Corrected) != 3 || len(sum.Absent) != 0 || len(sum.OutOfPlace) != 1 {
		t.Errorf("Summarize: corrected %d, absent %d, out of place %d; want 3, 0, 1",
			len(sum.Corrected), len(sum.Absent), len(sum.OutOfPlace))
	}
}

func TestRollDisrupted(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	s := f.session
	s.Closed = true
	s.Disruption = apel.Disruption{From: s.LateFrom.Add(5 * time.Minute), To: s.LateFrom.Add(25 * time.Minute)}
	cis := append([]apel.CheckIn(nil), f.checkIns...)
	// Budi was late before the outage began: still late. Fajar was late
	// after it began: on time.
	cis[1].Fix.At = s.LateFrom.Add(2 * time.Minute)
	cis[3].Fix.At = s.LateFrom.Add(30 * time.Minute)
	rows, tally := apel.Roll(s, f.employees, cis, f.excuses, nil)
	want := apel.Tally{Held: true, Headcount: 7, Present: 5, Late: 1, OutOfPlace: 2, WFO: 3, WFH: 1, WFA: 1,
		Excused: 1, NotJudged: 1, Forgiven: 1}
	if diff := cmp.Diff(want, tally); diff != "" {
		t.Errorf("Roll(disrupted) tally (-want +got):\n%s", diff)
	}
	if rows[4].Status != apel.StatusNotJudged || rows[5].Status != apel.StatusOnTime || !rows[5].Forgiven || rows[1].Status != apel.StatusLate {
		t.Errorf("Roll(disrupted): Eka %s, Fajar %s forgiven %v, Budi %s; want not judged, on time forgiven, late",
			rows[4].Status, rows[5].Status, rows[5].Forgiven, rows[1].Status)
	}
	if tally.Expected() != 5 || tally.Rate() != 1 {
		t.Errorf("Roll(disrupted): expected %d rate %v; want 5 and 1 (nobody counted absent for the outage)", tally.Expected(), tally.Rate())
	}
	// The same session without the outage: Eka is TK, Fajar late.
	s.Disruption = apel.Disruption{}
	_, plain := apel.Roll(s, f.employees, cis, f.excuses, nil)
	if plain.Absent != 1 || plain.Late != 2 || plain.NotJudged != 0 {
		t.Errorf("Roll(not disrupted): absent %d late %d not judged %d; want 1, 2, 0", plain.Absent, plain.Late, plain.NotJudged)
	}
	// A still-open disrupted session leaves nobody not judged yet.
	s.Disruption, s.Closed = apel.Disruption{From: s.LateFrom}, false
	if _, open := apel.Roll(s, f.employees, cis, f.excuses, nil); open.Pending != 1 || open.NotJudged != 0 {
		t.Errorf("Roll(open, disrupted): pending %d not judged %d; want 1, 0", open.Pending, open.NotJudged)
	}
}

func TestLivenessAndDisrupt(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, time.January, 13, 7, 0, 0, 0, time.UTC)
	min := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	l := apel.Liveness{Threshold: 3 * time.Minute}
	if _, ok := l.Gap(min(0), min(3)); ok {
		t.Errorf("Gap(exactly the threshold) = outage, want none")
	}
	if o, ok := l.Gap(min(0), min(4)); !ok || !o.From.Equal(min(0)) || !o.To.Equal(min(4)) {
		t.Errorf("Gap(4 min) = %+v, %v; want 07:00-07:04", o, ok)
	}
	if _, ok := l.Gap(time.Time{}, min(4)); ok {
		t.Errorf("Gap(no earlier contact) = outage, want none (a first start is not an outage)")
	}
	if o, ok := l.Current(min(0), min(10)); !ok || !o.Ongoing() {
		t.Errorf("Current(10 min without contact) = %+v, %v; want an ongoing outage", o, ok)
	}
	if _, ok := (apel.Liveness{}).Gap(min(0), min(3)); ok {
		t.Errorf("default threshold: a 3-minute gap is an outage, want none")
	}

	opens, closes := min(15), min(90)
	tests := []struct {
		name string
		os   []apel.Outage
		want apel.Disruption
	}{
		{"none", nil, apel.Disruption{}},
		{"before the window", []apel.Outage{{From: min(0), To: min(10)}}, apel.Disruption{}},
		{"after the window", []apel.Outage{{From: min(91), To: min(100)}}, apel.Disruption{}},
		{"touching the opening", []apel.Outage{{From: min(5), To: min(15)}}, apel.Disruption{From: min(5), To: min(15)}},
		{"two inside", []apel.Outage{{From: min(40), To: min(50)}, {From: min(20), To: min(25)}}, apel.Disruption{From: min(20), To: min(50)}},
		{"ongoing at close", []apel.Outage{{From: min(20), To: min(25)}, {From: min(80)}}, apel.Disruption{From: min(20)}},
	}
	for _, tt := range tests {
		if got := apel.Disrupt(opens, closes, tt.os); got != tt.want {
			t.Errorf("Disrupt(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDailyReportListsCorrectionsAndDisruptions(t *testing.T) {
	t.Parallel()
	f := newRollFixture(t)
	s := f.session
	s.Closed = true
	s.Disruption = apel.Disruption{From: s.LateFrom, To: s.Closes}
	late := apel.Correction{ID: 2, SessionID: s.ID, EmployeeID: 5, After: apel.StatusOnTime, Reason: apel.CorrectForgot, At: s.Closes.Add(time.Hour)}
	early := apel.Correction{ID: 1, SessionID: s.ID, EmployeeID: 1, After: apel.StatusAbsent, Reason: apel.CorrectOther, Note: "x", At: s.Closes}
	r := apel.CompileDailyReport("Kota Ternate", apel.Day{
		Date: s.Date, OPDs: []apel.OPD{{Code: "DISKOMINFO"}}, Employees: f.employees,
		Sessions: []apel.Session{s}, CheckIns: f.checkIns, Excuses: f.excuses,
		Corrections: []apel.Correction{late, early},
	})
	if len(r.Corrections) != 2 || r.Corrections[0].ID != 1 {
		t.Errorf("Corrections = %+v, want both, oldest first", r.Corrections)
	}
	if len(r.Disrupted) != 1 || r.Disrupted[0].ID != s.ID {
		t.Errorf("Disrupted = %+v, want the pagi session", r.Disrupted)
	}
	if r.Pagi.Corrected != 2 || r.Pagi.NotJudged != 0 || r.Pagi.Absent != 1 {
		t.Errorf("Pagi tally = %+v; want 2 corrected, Eka corrected to present, Ani corrected to TK", r.Pagi)
	}
}

func TestAttendanceCorrect(t *testing.T) {
	t.Parallel()
	base := apel.Correction{SessionID: 1, EmployeeID: 2, Date: apel.Date{Year: 2026, Month: 1, Day: 13}, Kind: apel.Pagi,
		After: apel.StatusOnTime, Reason: apel.CorrectForgot, By: 3}
	outside := &apel.CheckIn{Verdict: apel.Verdict{InPlace: false}}
	inside := &apel.CheckIn{Verdict: apel.Verdict{InPlace: true}}
	tests := []struct {
		name string
		line apel.Attendance
		want apel.Reason // "" when accepted
	}{
		{"TK to present", apel.Attendance{Status: apel.StatusAbsent}, ""},
		{"present in place to present changes nothing", apel.Attendance{Status: apel.StatusOnTime, CheckIn: inside}, apel.ReasonCorrectNoChange},
		{"present out of place to present rules on the place", apel.Attendance{Status: apel.StatusOnTime, CheckIn: outside}, ""},
		{"not judged to present", apel.Attendance{Status: apel.StatusNotJudged}, ""},
	}
	for _, tt := range tests {
		c, err := tt.line.Correct(base)
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (tt.want == "" && (err != nil || c.Before != tt.line.Status)) {
			t.Errorf("%s: Correct = %+v, %v; want reason %q and Before %s", tt.name, c, err, tt.want, tt.line.Status)
		}
	}
	c, err := apel.Attendance{Status: apel.StatusExcused, Excuse: apel.Izin}.Correct(
		apel.Correction{SessionID: 1, EmployeeID: 2, Date: base.Date, Kind: apel.Pagi, After: apel.StatusExcused, Excuse: apel.Sakit, Reason: apel.CorrectOther, Note: "surat dokter", By: 3})
	if err != nil || c.BeforeExcuse != apel.Izin {
		t.Errorf("izin to sakit: %+v, %v; want accepted with BeforeExcuse izin", c, err)
	}
}

func TestEvaluateAppliesCorrectionsAndOutages(t *testing.T) {
	t.Parallel()
	in := monthInput(t, map[apel.Date][]daySpec{jan(12): {{"DISKOMINFO", "oaa", "ooo"}}}, nil)
	d := &in.Days[0]
	for i := range d.Sessions {
		if s := &d.Sessions[i]; s.Kind == apel.Pagi {
			// An outage from the start of the window: staff 3 is not judged;
			// staff 2 is corrected to present.
			s.Disruption = apel.Disruption{From: time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)}
			d.Corrections = []apel.Correction{{ID: 1, SessionID: s.ID, EmployeeID: 2, Date: jan(12), Kind: apel.Pagi,
				Before: apel.StatusNotJudged, After: apel.StatusOnTime, Reason: apel.CorrectOutage, By: 1}}
		}
	}
	e := apel.Evaluate(in)
	pagi := e.OPDs[0].Pagi
	if pagi.Present != 2 || pagi.Absent != 0 || pagi.NotJudged != 1 || pagi.Corrected != 1 || pagi.Rate() != 1 {
		t.Errorf("January pagi of DISKOMINFO: %+v (rate %v); want present 2, TK 0, not judged 1, corrected 1, rate 1", pagi, pagi.Rate())
	}
}
