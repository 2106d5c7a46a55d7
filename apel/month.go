package apel

import (
	"fmt"
	"slices"
	"time"
)

// DefaultThreshold is the attendance rate below which the monthly
// evaluation flags an OPD, unless the pemda sets its own.
const DefaultThreshold = 0.85

// EvaluationInput is what the monthly evaluation is computed from.
type EvaluationInput struct {
	Pemda     string
	From, To  Date     // the period, both inclusive: usually a calendar month
	OPDs      []OPD    // in display order
	Days      []Day    // the records of each date of the period that held apel
	Plan      PlanFunc // each person's mode on each date
	Threshold float64  // 0..1: an OPD whose rate is below it is flagged
}

// Evaluation is the evaluation of flexible work over a period, usually a
// month: the evidence a pemda weighs to keep or change its policy. Every
// tally adds up the sessions held; a session that was never held counts
// nobody absent.
type Evaluation struct {
	Pemda     string
	From, To  Date
	Threshold float64
	Headcount int // active staff of the OPDs, as of the last day evaluated

	Total      Tally // every session held, pagi and sore
	Pagi, Sore Tally
	// Modes tallies each attendance line by the mode the person worked in
	// that day (WFO, WFH, WFA, in that order): the mode of the check-in,
	// or the planned mode for people who did not check in.
	Modes    []ModeEval
	OPDs     []OPDEval  // in display order
	Weeks    []WeekEval // ISO weeks, in order
	Days     []DayEval  // each date with at least one session held, in order
	Excuses  ExcuseCount
	Activity ActivityTally // person-days owed an activity report, and reported
	// Requests is the use of WFH/WFA requests and quotas. Requests and
	// quotas are recorded by the policy engine (issue 3); until it stores
	// them, Recorded is false and the counts are zero.
	Requests RequestUse
}

// ModeEval is the tally of one work mode.
type ModeEval struct {
	Mode  Mode
	Tally Tally
}

// OPDEval is one OPD's line of the evaluation.
type OPDEval struct {
	OPD        OPD
	Headcount  int // active staff, as of the last day evaluated
	Days       int // dates with at least one session held
	Total      Tally
	Pagi, Sore Tally
	Excuses    ExcuseCount
	Activity   ActivityTally
	Below      bool // held apel and its rate is under the threshold
}

// WeekEval is one ISO week of the period (Monday to Sunday), cut to the
// period's dates.
type WeekEval struct {
	Year, Week int // ISO year and week number
	From, To   Date
	Days       int // dates with at least one session held
	Total      Tally
}

// DayEval is one date of the period: its tally and activity reports.
type DayEval struct {
	Date     Date
	Total    Tally // pagi and sore of every OPD
	Activity ActivityTally
}

// ExcuseCount counts person-days excused, by kind of excuse.
type ExcuseCount struct {
	Izin, Sakit, Cuti, DinasLuar int
}

// Total is the number of person-days excused.
func (c ExcuseCount) Total() int { return c.Izin + c.Sakit + c.Cuti + c.DinasLuar }

// Add returns the sum of c and o.
func (c ExcuseCount) Add(o ExcuseCount) ExcuseCount {
	return ExcuseCount{c.Izin + o.Izin, c.Sakit + o.Sakit, c.Cuti + o.Cuti, c.DinasLuar + o.DinasLuar}
}

func (c *ExcuseCount) count(k ExcuseKind) {
	switch k {
	case Izin:
		c.Izin++
	case Sakit:
		c.Sakit++
	case Cuti:
		c.Cuti++
	case DinasLuar:
		c.DinasLuar++
	}
}

// RequestUse is how per-person WFH/WFA requests and off-site quotas were
// used over the period. The policy engine (issue 3) records them; until it
// does, Recorded is false.
type RequestUse struct {
	Recorded  bool
	Requested int // requests made for dates in the period
	Approved  int
	Refused   int
	QuotaDays int // off-site person-days the quotas allowed
	QuotaUsed int // off-site person-days worked under a quota
}

// LateRate is the share of those present who were late, 0..1.
func (t Tally) LateRate() float64 {
	if t.Present <= 0 {
		return 0
	}
	return float64(t.Late) / float64(t.Present)
}

// Below reports the OPDs flagged under the threshold, in display order.
func (e Evaluation) Below() []OPDEval {
	var out []OPDEval
	for _, o := range e.OPDs {
		if o.Below {
			out = append(out, o)
		}
	}
	return out
}

// modes are the work modes in report order.
func modes() []Mode { return []Mode{WFO, WFH, WFA} }

// modeIndex is the position of m in modes(), -1 for none.
func modeIndex(m Mode) int {
	switch m {
	case WFO:
		return 0
	case WFH:
		return 1
	case WFA:
		return 2
	}
	return -1
}

// Evaluate computes the evaluation of in. Days outside [From, To] are
// ignored; a date in Days without any session of the listed OPDs adds
// nothing. People are counted against the roster of each Day, with the
// rule of Roll.
func Evaluate(in EvaluationInput) Evaluation {
	e := Evaluation{Pemda: in.Pemda, From: in.From, To: in.To, Threshold: in.Threshold}
	ev := evaluator{e: &e, plan: in.Plan, index: make(map[string]int32, len(in.OPDs))}
	e.OPDs = make([]OPDEval, len(in.OPDs))
	for i, o := range in.OPDs {
		ev.index[o.Code] = int32(i)
		e.OPDs[i] = OPDEval{OPD: o}
	}
	e.Modes = make([]ModeEval, len(modes()))
	for i, m := range modes() {
		e.Modes[i].Mode = m
	}
	days := slices.Clone(in.Days)
	slices.SortStableFunc(days, func(a, b Day) int { return compareDates(a.Date, b.Date) })
	var last *Day
	for i := range days {
		d := &days[i]
		if d.Date.Before(in.From) || in.To.Before(d.Date) {
			continue
		}
		last = d
		if de, ok := ev.day(d); ok {
			e.Days = append(e.Days, de)
		}
	}
	if last != nil {
		r := ev.roster(last.Employees)
		for i, staff := range r.staff {
			e.OPDs[i].Headcount = len(staff)
			e.Headcount += len(staff)
		}
	}
	for i := range e.OPDs {
		o := &e.OPDs[i]
		o.Below = o.Total.Held && o.Total.Expected() > 0 && o.Total.Rate() < in.Threshold
	}
	e.Weeks = weeks(e.Days, in.From, in.To)
	return e
}

// evaluator holds what Evaluate reuses from one date to the next.
type evaluator struct {
	e     *Evaluation
	plan  PlanFunc
	index map[string]int32 // OPD code to its index in e.OPDs
	last  *roster          // the grouping of the last roster seen
}

// roster is a Day's roster grouped by OPD: for each listed OPD its active
// staff, and where each of them is.
type roster struct {
	emps  []Employee
	staff [][]Employee
	where map[int64]spot
}

// spot is where an employee is: the OPD's index and the position in its
// staff.
type spot struct{ opd, pos int32 }

// roster groups emps by OPD, or returns the last grouping when emps is the
// same slice: store.Month gives every date of a month the same roster.
func (ev *evaluator) roster(emps []Employee) *roster {
	if r := ev.last; r != nil && len(r.emps) == len(emps) && (len(emps) == 0 || &r.emps[0] == &emps[0]) {
		return r
	}
	r := &roster{emps: emps, staff: make([][]Employee, len(ev.index)), where: make(map[int64]spot, len(emps))}
	for _, emp := range emps {
		o, ok := ev.index[emp.OPD]
		if !ok || !emp.Active {
			continue
		}
		r.where[emp.ID] = spot{opd: o, pos: int32(len(r.staff[o]))}
		r.staff[o] = append(r.staff[o], emp)
	}
	ev.last = r
	return r
}

// heldSession is a session of a listed OPD and where its lines start in
// the date's grid of check-ins.
type heldSession struct {
	Session
	opd    int32
	offset int
}

// day adds the records of one date to the evaluation and returns that
// date's line, or false when none of the listed OPDs held a session on it.
// It costs linear time in the date's records, and few allocations: a
// pemda-wide month is millions of lines.
func (ev *evaluator) day(d *Day) (DayEval, bool) {
	e := ev.e
	r := ev.roster(d.Employees)
	var held []heldSession
	size := 0
	for _, s := range d.Sessions {
		if o, ok := ev.index[s.OPD]; ok {
			held = append(held, heldSession{Session: s, opd: o, offset: size})
			size += len(r.staff[o])
		}
	}
	if len(held) == 0 {
		return DayEval{}, false
	}
	// grid holds each session's check-in of each staff member, by position.
	grid := make([]*CheckIn, size)
	at := make(map[int64]int, len(held))
	for i, h := range held {
		at[h.ID] = i
	}
	for i := range d.CheckIns {
		c := &d.CheckIns[i]
		h, ok := at[c.SessionID]
		sp, staff := r.where[c.EmployeeID]
		if ok && staff && sp.opd == held[h].opd {
			grid[held[h].offset+int(sp.pos)] = c
		}
	}
	excused := make(map[int64]ExcuseKind, len(d.Excuses))
	for _, x := range d.Excuses {
		if x.Date == d.Date {
			excused[x.EmployeeID] = x.Kind
		}
	}
	reported := make(map[int64]bool, len(d.Activities))
	for _, a := range d.Activities {
		if a.Date == d.Date {
			reported[a.EmployeeID] = true
		}
	}
	de := DayEval{Date: d.Date}
	// The planned mode of each person of an OPD that held apel, for those
	// without a check-in and for the activity reports.
	plans := make([][]Mode, len(e.OPDs))
	planned := make([]bool, len(e.OPDs))
	for _, h := range held {
		if planned[h.opd] {
			continue
		}
		planned[h.opd] = true
		o := &e.OPDs[h.opd]
		staff := r.staff[h.opd]
		plan := planOf(ev.plan, o.OPD, d.Date, staff)
		var act ActivityTally
		for i, emp := range staff {
			k, isExcused := excused[emp.ID]
			if isExcused {
				o.Excuses.count(k)
				e.Excuses.count(k)
			} else if plan[i].OffSite() {
				act.Due++
				if reported[emp.ID] {
					act.Reported++
				}
			}
		}
		plans[h.opd] = plan
		o.Days++
		o.Activity = o.Activity.Add(act)
		de.Activity = de.Activity.Add(act)
	}
	for _, h := range held {
		o := &e.OPDs[h.opd]
		t := Tally{Held: true}
		for i, emp := range r.staff[h.opd] {
			_, isExcused := excused[emp.ID]
			a := Attendance{CheckIn: grid[h.offset+i]}
			a.Status = lineStatus(h.Session, a.CheckIn, isExcused)
			t.count(a)
			m := plans[h.opd][i]
			if a.CheckIn != nil {
				m = a.CheckIn.Mode
			}
			if j := modeIndex(m); j >= 0 {
				e.Modes[j].Tally.Held = true
				e.Modes[j].Tally.count(a)
			}
		}
		o.Total = o.Total.Add(t)
		e.Total = e.Total.Add(t)
		de.Total = de.Total.Add(t)
		if h.Kind == Pagi {
			o.Pagi, e.Pagi = o.Pagi.Add(t), e.Pagi.Add(t)
		} else {
			o.Sore, e.Sore = o.Sore.Add(t), e.Sore.Add(t)
		}
	}
	e.Activity = e.Activity.Add(de.Activity)
	return de, true
}

// weeks groups the dated lines by ISO week, each week cut to [from, to].
func weeks(days []DayEval, from, to Date) []WeekEval {
	var out []WeekEval
	for _, d := range days {
		y, w := d.Date.ISOWeek()
		if n := len(out); n == 0 || out[n-1].Year != y || out[n-1].Week != w {
			monday := d.Date.AddDays(-((int(d.Date.Weekday()) + 6) % 7))
			wk := WeekEval{Year: y, Week: w, From: monday, To: monday.AddDays(6)}
			if wk.From.Before(from) {
				wk.From = from
			}
			if to.Before(wk.To) {
				wk.To = to
			}
			out = append(out, wk)
		}
		wk := &out[len(out)-1]
		wk.Days++
		wk.Total = wk.Total.Add(d.Total)
	}
	return out
}

// ISOWeek returns the ISO 8601 year and week number of d.
func (d Date) ISOWeek() (year, week int) {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
}

// compareDates orders dates, earliest first.
func compareDates(a, b Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// MonthOf returns the first and last dates of the month of d.
func MonthOf(d Date) (from, to Date) {
	from = Date{Year: d.Year, Month: d.Month, Day: 1}
	first := time.Date(d.Year, d.Month, 1, 12, 0, 0, 0, time.UTC)
	return from, DateOf(first.AddDate(0, 1, -1), time.UTC)
}

// ParseMonth parses "YYYY-MM" and returns the first and last dates of that
// month.
func ParseMonth(s string) (from, to Date, err error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Date{}, Date{}, fmt.Errorf("parse month %q: want YYYY-MM", s)
	}
	from, to = MonthOf(DateOf(t, time.UTC))
	return from, to, nil
}
