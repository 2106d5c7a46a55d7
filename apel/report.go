package apel

import (
	"slices"
	"sort"
	"time"
)

// Status is an employee's outcome for one session.
type Status string

// Statuses.
const (
	StatusOnTime  Status = "on_time" // checked in on time
	StatusLate    Status = "late"    // checked in after the grace edge
	StatusExcused Status = "excused" // izin, sakit, cuti, dinas luar
	StatusAbsent  Status = "absent"  // TK: tanpa keterangan, no check-in and no excuse
	StatusPending Status = "pending" // the session is still open and nothing arrived yet
	// StatusNotJudged: no check-in in a session disrupted by an outage
	// ("tidak dinilai: gangguan sistem"); neither present nor TK.
	StatusNotJudged Status = "not_judged"
)

// Attendance is one employee's line in a session.
type Attendance struct {
	Employee Employee
	Status   Status
	CheckIn  *CheckIn   // nil unless Status is on time or late
	Excuse   ExcuseKind // set when Status is excused
	// Forgiven is set when a late check-in counts on time because an
	// outage disrupted the session from before it was sent.
	Forgiven bool
	// Corrections are the corrections of the line, in order; the last
	// one set Status. Empty when the status is the original one.
	Corrections []Correction
}

// Tally counts a group of attendance lines.
type Tally struct {
	Held          bool // false when no session was held (the bot was down, or it is still ahead)
	Headcount     int
	Present       int // on time + late
	Late          int
	OutOfPlace    int // present but outside the fence of their mode's point
	WFO, WFH, WFA int // present, by mode of the day
	Excused       int
	Absent        int // TK
	Pending       int
	NotJudged     int // no check-in in a session disrupted by an outage
	Forgiven      int // late check-ins counted on time for an outage
	Corrected     int // lines whose status a correction set
}

// Expected is the number of people the apel expected: everyone not excused
// and not left unjudged by an outage.
func (t Tally) Expected() int { return t.Headcount - t.Excused - t.NotJudged }

// Rate is the attendance rate: present over expected, 0..1. Excused people are
// not expected, so an OPD whose whole staff is on leave is not at 0%; nor
// are people an outage kept from checking in.
func (t Tally) Rate() float64 {
	if t.Expected() <= 0 {
		return 0
	}
	return float64(t.Present) / float64(t.Expected())
}

// Add returns the sum of t and o.
func (t Tally) Add(o Tally) Tally {
	return Tally{
		Held:      t.Held || o.Held,
		Headcount: t.Headcount + o.Headcount, Present: t.Present + o.Present, Late: t.Late + o.Late,
		OutOfPlace: t.OutOfPlace + o.OutOfPlace,
		WFO:        t.WFO + o.WFO, WFH: t.WFH + o.WFH, WFA: t.WFA + o.WFA,
		Excused: t.Excused + o.Excused, Absent: t.Absent + o.Absent, Pending: t.Pending + o.Pending,
		NotJudged: t.NotJudged + o.NotJudged, Forgiven: t.Forgiven + o.Forgiven, Corrected: t.Corrected + o.Corrected,
	}
}

func (t *Tally) count(a Attendance) {
	t.Headcount++
	if a.Corrected() {
		t.Corrected++
	}
	if a.Forgiven {
		t.Forgiven++
	}
	switch a.Status {
	case StatusOnTime, StatusLate:
		t.Present++
		if a.Status == StatusLate {
			t.Late++
		}
		if a.outOfPlace() {
			t.OutOfPlace++
		}
		switch a.mode() {
		case WFH:
			t.WFH++
		case WFA:
			t.WFA++
		default:
			t.WFO++
		}
	case StatusExcused:
		t.Excused++
	case StatusAbsent:
		t.Absent++
	case StatusPending:
		t.Pending++
	case StatusNotJudged:
		t.NotJudged++
	}
}

// Roll lists the attendance of employees in one session. A person without a
// check-in is excused when an excuse covers the date, else absent once the
// session is closed and pending while it is open; in a session disrupted by
// an outage, not judged instead of absent, and a late check-in sent after
// the outage began counts on time. Corrections of the session are then
// applied in order (Attendance.Apply). Employees are listed in the order
// given.
func Roll(s Session, employees []Employee, checkIns []CheckIn, excuses []Excuse, cs []Correction) ([]Attendance, Tally) {
	byEmp := make(map[int64]*CheckIn, len(checkIns))
	for i := range checkIns {
		if checkIns[i].SessionID == s.ID {
			byEmp[checkIns[i].EmployeeID] = &checkIns[i]
		}
	}
	excused := make(map[int64]ExcuseKind, len(excuses))
	for _, x := range excuses {
		if x.Date == s.Date {
			excused[x.EmployeeID] = x.Kind
		}
	}
	ix := indexCorrections(cs)
	rows := make([]Attendance, 0, len(employees))
	t := Tally{Held: true}
	for _, e := range employees {
		a := Attendance{Employee: e, CheckIn: byEmp[e.ID]}
		k, isExcused := excused[e.ID]
		if a.Status, a.Forgiven = lineStatus(s, a.CheckIn, isExcused); a.Status == StatusExcused {
			a.Excuse = k
		}
		a = a.Apply(ix.of(s.ID, e.ID))
		t.count(a)
		rows = append(rows, a)
	}
	return rows, t
}

// lineStatus is the rule of Roll for one person: a check-in counts (late
// or on time) whatever else is recorded; without one the person is excused
// when an excuse covers the date, else absent once the session is closed
// and pending while it is open. In a session disrupted by an outage, a late
// check-in sent once the outage had begun counts on time (forgiven), and a
// person without a check-in or an excuse is not judged rather than absent.
func lineStatus(s Session, ci *CheckIn, excused bool) (st Status, forgiven bool) {
	switch {
	case ci != nil && ci.Late:
		if s.Disrupted() && !ci.Fix.At.Before(s.Disruption.From) {
			return StatusOnTime, true
		}
		return StatusLate, false
	case ci != nil:
		return StatusOnTime, false
	case excused:
		return StatusExcused, false
	case s.Closed && s.Disrupted():
		return StatusNotJudged, false
	case s.Closed:
		return StatusAbsent, false
	}
	return StatusPending, false
}

// Summary is what an OPD head gets when a session closes: the tally and the
// names that need attention.
type Summary struct {
	OPD        OPD
	Session    Session
	Tally      Tally
	Absent     []Attendance // TK
	Late       []Attendance
	OutOfPlace []Attendance // present, but outside the fence of their point
	Excused    []Attendance
	// NotJudged lists who did not check in during a session disrupted by
	// an outage: not TK.
	NotJudged []Attendance
	// Corrected lists the lines a correction set, with their corrections.
	Corrected []Attendance
	// NoActivity lists the staff working off-site who have not sent the
	// day's activity report; the caller fills it (see ActivityRoll), for
	// the day's last session.
	NoActivity []Employee
}

// Summarize builds the head's summary of session s of opd.
func Summarize(opd OPD, s Session, employees []Employee, checkIns []CheckIn, excuses []Excuse, cs []Correction) Summary {
	rows, t := Roll(s, employees, checkIns, excuses, cs)
	sum := Summary{OPD: opd, Session: s, Tally: t}
	for _, a := range rows {
		switch a.Status {
		case StatusAbsent, StatusPending:
			sum.Absent = append(sum.Absent, a)
		case StatusExcused:
			sum.Excused = append(sum.Excused, a)
		case StatusLate:
			sum.Late = append(sum.Late, a)
		case StatusNotJudged:
			sum.NotJudged = append(sum.NotJudged, a)
		}
		if a.outOfPlace() {
			sum.OutOfPlace = append(sum.OutOfPlace, a)
		}
		if a.Corrected() {
			sum.Corrected = append(sum.Corrected, a)
		}
	}
	return sum
}

// OPDDay is one OPD's line in the daily report.
type OPDDay struct {
	OPD        OPD
	Pagi, Sore Tally
	Activity   ActivityTally // filled by DailyReport.WithActivity
	Plan       PlanTally     // filled by DailyReport.WithPlan
	Flags      FlagTally     // flagged check-ins; filled by DailyReport.WithFlags
}

// DailyReport is the pemda-wide report of one date, sent to BKPSDM.
type DailyReport struct {
	Pemda      string
	Date       Date
	Headcount  int // active staff of all OPDs
	OPDs       []OPDDay
	Pagi, Sore Tally         // totals over the sessions held
	Activity   ActivityTally // activity reports; filled by WithActivity
	Plan       PlanTally     // what the policy planned; filled by WithPlan
	References []string      // the circulars in force, for the report to cite; filled by WithPlan
	// Corrections lists every correction of the date's sessions, in the
	// order they were made, for the audit section of the report.
	Corrections []Correction
	// Disrupted lists the sessions an outage disrupted, by OPD display
	// order then pagi before sore.
	Disrupted []Session
	// People are the employees the corrections name (whose status, and
	// who corrected it), by ID.
	People map[int64]Employee
	// Zone is the pemda's time zone, for showing times; set by the caller
	// that renders (nil: UTC).
	Zone *time.Location
	// Flags counts the flagged check-ins and Flagged lists them, by OPD
	// display order, pagi before sore, then time; filled by WithFlags.
	Flags   FlagTally
	Flagged []FlagLine
}

// Day is every record of one date that the daily report is compiled from.
type Day struct {
	Date       Date
	OPDs       []OPD      // in display order
	Employees  []Employee // active employees
	Sessions   []Session  // sessions held that date
	CheckIns   []CheckIn
	Excuses    []Excuse
	Activities []Activity // activity reports of the date
	// Corrections of the date's sessions, in any order.
	Corrections []Correction
	// Flagged are the date's flagged check-ins with their flags and
	// reviews, in any order.
	Flagged []Flagged
}

// CompileDailyReport tallies every OPD's pagi and sore sessions of the day. An
// OPD whose session was never held shows a tally with Held false and its
// headcount, so a missing session is visible rather than silently 100%; the
// pemda totals add up held sessions only, so a session that did not happen
// does not count its staff as absent.
func CompileDailyReport(pemda string, d Day) DailyReport {
	staff := staffByOPD(d.Employees)
	// Each session rolls only its own check-ins: Roll filters what it is
	// given, and a pemda-wide day has check-ins of thousands of sessions.
	bySession := groupBy(d.CheckIns, func(c *CheckIn) int64 { return c.SessionID })
	corrected := make(map[int64][]Correction)
	for _, c := range d.Corrections {
		corrected[c.SessionID] = append(corrected[c.SessionID], c)
	}
	sessions := make(map[string]map[SessionKind]Session)
	for _, s := range d.Sessions {
		if sessions[s.OPD] == nil {
			sessions[s.OPD] = make(map[SessionKind]Session)
		}
		sessions[s.OPD][s.Kind] = s
	}
	r := DailyReport{Pemda: pemda, Date: d.Date}
	for _, o := range d.OPDs {
		line := OPDDay{OPD: o}
		for _, k := range []SessionKind{Pagi, Sore} {
			var t Tally
			if s, ok := sessions[o.Code][k]; ok {
				_, t = Roll(s, staff[o.Code], bySession[s.ID], d.Excuses, corrected[s.ID])
				if s.Disrupted() {
					r.Disrupted = append(r.Disrupted, s)
				}
			} else {
				t = Tally{Headcount: len(staff[o.Code])}
			}
			total := &r.Pagi
			if k == Pagi {
				line.Pagi = t
			} else {
				line.Sore, total = t, &r.Sore
			}
			if t.Held {
				*total = total.Add(t)
			}
		}
		r.Headcount += len(staff[o.Code])
		r.OPDs = append(r.OPDs, line)
	}
	r.Corrections = append([]Correction(nil), d.Corrections...)
	sort.SliceStable(r.Corrections, func(i, j int) bool { return correctionBefore(r.Corrections[i], r.Corrections[j]) })
	if len(r.Corrections) > 0 {
		r.People = make(map[int64]Employee)
		named := make(map[int64]bool, 2*len(r.Corrections))
		for _, c := range r.Corrections {
			named[c.EmployeeID], named[c.By] = true, true
		}
		for _, e := range d.Employees {
			if named[e.ID] {
				r.People[e.ID] = e
			}
		}
	}
	return r
}

// staffByOPD returns the active employees of es by OPD, in es's order.
// The store reads them active only and by OPD: then nothing is copied.
func staffByOPD(es []Employee) map[string][]Employee {
	if slices.ContainsFunc(es, func(e Employee) bool { return !e.Active }) {
		es = slices.DeleteFunc(slices.Clone(es), func(e Employee) bool { return !e.Active })
	}
	return groupBy(es, func(e *Employee) string { return e.OPD })
}
