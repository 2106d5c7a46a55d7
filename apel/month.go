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
	Pemda    string
	From, To Date    // the period, both inclusive: usually a calendar month
	OPDs     []OPD   // in display order
	Days     []Day   // the records of each date of the period that held apel
	Planner  Planner // where each person works on each date
	// Facts are the person records the plans read, from the Monday of
	// From's week to To (store.Facts): excuses, approved requests, the
	// heads' changes to the rotation.
	Facts     Facts
	Threshold float64 // 0..1: an OPD whose rate is below it is flagged
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
	// Requests is the use of WFH/WFA requests and off-site quotas.
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
	Requests   RequestUse
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

// RequestUse is how per-person WFH/WFA requests and the off-site quotas
// were used, on the dates that held apel.
type RequestUse struct {
	Approved  int // approved WFH and WFA requests with a date in the period
	InForce   int // person-days on which an approved request was in force
	QuotaDays int // off-site person-days the quotas allowed
	OffSite   int // person-days planned off-site
}

// Add returns the sum of u and o.
func (u RequestUse) Add(o RequestUse) RequestUse {
	return RequestUse{u.Approved + o.Approved, u.InForce + o.InForce, u.QuotaDays + o.QuotaDays, u.OffSite + o.OffSite}
}

// QuotaRate is the share of the off-site quota used, 0..1; 0 when the
// quotas allowed nobody off-site.
func (u RequestUse) QuotaRate() float64 {
	if u.QuotaDays <= 0 {
		return 0
	}
	return float64(u.OffSite) / float64(u.QuotaDays)
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
	ev := evaluator{e: &e, planner: in.Planner, facts: FactsByOPD(in.Facts), index: make(map[string]int32, len(in.OPDs)),
		week: make([]weekPlan, len(in.OPDs))}
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
	for _, r := range in.Facts.Requests {
		i, ok := ev.index[ev.opdOf(r.EmployeeID)]
		if ok && r.Status == RequestApproved && r.Kind.Mode() != "" && !r.To.Before(in.From) && !in.To.Before(r.From) {
			e.OPDs[i].Requests.Approved++
			e.Requests.Approved++
		}
	}
	return e
}

// opdOf returns the OPD of an employee on the roster last seen, "" for
// none.
func (ev *evaluator) opdOf(id int64) string {
	if ev.last == nil {
		return ""
	}
	sp, ok := ev.last.where[id]
	if !ok {
		return ""
	}
	return ev.e.OPDs[sp.opd].OPD.Code
}

// modesOf returns the planned mode of each of staff in dp, "" for people
// it gives none (excused, or missing from the plan).
func modesOf(dp DayPlan, staff []Employee) []Mode {
	by := make(map[int64]Mode, len(dp.People))
	for _, a := range dp.People {
		by[a.EmployeeID] = a.Mode
	}
	out := make([]Mode, len(staff))
	for i, e := range staff {
		out[i] = by[e.ID]
	}
	return out
}

// evaluator holds what Evaluate reuses from one date to the next.
type evaluator struct {
	e       *Evaluation
	planner Planner
	facts   map[string]Facts // by OPD
	week    []weekPlan       // by OPD index: the plans of the week last asked
	index   map[string]int32 // OPD code to its index in e.OPDs
	last    *roster          // the grouping of the last roster seen
}

// weekPlanner is a Planner that plans a whole week at once, as Policy
// does: a plan of a date reads the week from its Monday, so a month planned
// date by date plans each week several times.
type weekPlanner interface {
	PlanWeek(opd OPD, d Date, f Facts) []DayPlan
}

// weekPlan is the plans of one OPD for the week from monday.
type weekPlan struct {
	monday Date
	plans  []DayPlan
}

// plan returns the plan of OPD i on d.
func (ev *evaluator) plan(i int32, d Date) DayPlan {
	o := ev.e.OPDs[i].OPD
	wp, ok := ev.planner.(weekPlanner)
	if !ok {
		return ev.planner.Plan(o, d, ev.facts[o.Code])
	}
	m := MondayOf(d)
	if w := ev.week[i]; w.plans == nil || w.monday != m {
		ev.week[i] = weekPlan{monday: m, plans: wp.PlanWeek(o, d, ev.facts[o.Code])}
	}
	if n := int(dayNumber(d) - dayNumber(m)); n < len(ev.week[i].plans) {
		return ev.week[i].plans[n]
	}
	return ev.planner.Plan(o, d, ev.facts[o.Code])
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
		dp := ev.plan(h.opd, d.Date)
		plan := modesOf(dp, staff)
		use := RequestUse{InForce: dp.Requests, QuotaDays: dp.Limit, OffSite: dp.OffSite}
		o.Requests = o.Requests.Add(use)
		e.Requests = e.Requests.Add(use)
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
	fixes := indexCorrections(d.Corrections)
	for _, h := range held {
		o := &e.OPDs[h.opd]
		t := Tally{Held: true}
		for i, emp := range r.staff[h.opd] {
			_, isExcused := excused[emp.ID]
			a := Attendance{CheckIn: grid[h.offset+i]}
			a.Status, a.Forgiven = lineStatus(h.Session, a.CheckIn, isExcused)
			a = a.Apply(fixes.of(h.ID, emp.ID))
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
			monday := MondayOf(d.Date)
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
