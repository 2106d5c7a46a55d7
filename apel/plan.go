package apel

import (
	"slices"
	"strings"
	"time"
)

// DayInfo is what the policy says about one OPD on one date before looking
// at anyone: whether there is apel, and the work rule in force.
type DayInfo struct {
	Date          Date
	Off           DayOff     // why there is no apel; "" on a working day
	OffName       string     // the holiday's or day off's name
	Work          Work       // the rule of the day for the OPD
	Reason        ModeReason // where Work comes from: weekday, override, not_listed, flexible_off, day_off
	Override      string     // the name of the override in force, if any
	Reference     string     // its legal reference (SE number)
	HeadsInOffice bool
	Quota         Quota // the quota in force
}

// Day returns what the policy says about opd on d. The rule comes from the
// override in force (its rule by weekday, else its rule for every day), else
// from the weekday table; an override that names OPDs leaves the others in
// office; switching flexible work off puts everyone in office.
func (p Policy) Day(opd OPD, d Date) DayInfo {
	info := DayInfo{Date: d, Off: p.DayOff(d)}
	if info.Off != "" {
		info.OffName, info.Reason, info.Work = p.DayOffName(d), ModeByDayOff, Work{Mode: WFO}
		return info
	}
	info.Work, info.Reason, info.HeadsInOffice = p.Days[d.Weekday()].work(), ModeByWeekday, p.HeadsInOffice
	if o, ok := p.Override(d); ok {
		info.Override, info.Reference = o.Name, o.Reference
		info.HeadsInOffice = info.HeadsInOffice || o.HeadsInOffice
		if w, ok := o.Days[d.Weekday()]; ok {
			info.Work, info.Reason = w, ModeByOverride
		} else if o.Work != nil {
			info.Work, info.Reason = *o.Work, ModeByOverride
		}
		if len(o.OPDs) > 0 && !slices.Contains(o.OPDs, opd.Code) {
			info.Work, info.Reason = Work{Mode: WFO}, ModeByNotListed
		}
	}
	if p.NoFlexibleWork {
		info.Work, info.Reason = Work{Mode: WFO}, ModeByFlexibleOff
	}
	if info.Work.Mode == "" {
		info.Work.Mode = WFO
	}
	switch {
	case info.Work.Quota != nil:
		info.Quota = *info.Work.Quota
	case p.Quota != nil:
		info.Quota = *p.Quota
	case info.Work.Shift:
		info.Quota = Quota{Percent: 50}
	default:
		info.Quota = Quota{Percent: 100}
	}
	return info
}

// Facts are the person records a plan depends on: the staff, their
// excuses, their requests (only approved ones count) and the heads' changes
// to the rotation. The store gathers them for a range of dates; a plan of
// date d reads the records from the Monday of d's week on, because of the
// weekly cap.
type Facts struct {
	Staff    []Employee // active employees; a plan keeps those of its OPD
	Excuses  []Excuse
	Requests []Request
	Shifts   []Shift
}

// DayPlan is the plan of one OPD on one date: the rule in force and where
// each person works.
type DayPlan struct {
	DayInfo
	OPD       string
	People    []Assignment // one per active staff member, by NIP
	Headcount int          // active staff
	Limit     int          // how many may work off-site (the quota applied to the headcount)
	OffSite   int          // how many do
	Requests  int          // approved requests in force on the date
}

// Of returns the assignment of the employee with id.
func (dp DayPlan) Of(id int64) (Assignment, bool) {
	for _, a := range dp.People {
		if a.EmployeeID == id {
			return a, true
		}
	}
	return Assignment{}, false
}

// Count returns how many people work in mode m.
func (dp DayPlan) Count(m Mode) int {
	n := 0
	for _, a := range dp.People {
		if a.Mode == m {
			n++
		}
	}
	return n
}

// Excused returns how many people are excused.
func (dp DayPlan) Excused() int {
	n := 0
	for _, a := range dp.People {
		if a.Excused() {
			n++
		}
	}
	return n
}

// Plan returns the plan of opd on d. Per person, in order: an excuse (or
// approved leave) excuses them; a direct-service OPD works from office
// unless the quota gives it a share; heads stay in office when the policy or
// the override says so; a day whose rule lets nobody off-site keeps everyone
// in office; new employees and people under a disciplinary process stay in
// office; an approved request, then the head's change to the rotation,
// decide; on a WFO day open to requests the rest stays in office; whoever
// has had their off-site days this week (WeeklyCap) stays in office; the
// rest goes off-site when the quota allows everyone, else a rotation picks
// who does.
//
// The rotation is stable and fair: the candidates, ordered by NIP, are taken
// in turn from an offset that moves by the number picked with each
// rotation day of the week and with each week, so the same records give the
// same roster, consecutive mixed days split the staff, and over time
// everyone gets their turn.
func (p Policy) Plan(opd OPD, d Date, f Facts) DayPlan {
	plans := p.plan(opd, MondayOf(d), d, f)
	return plans[len(plans)-1]
}

// ModeOf is the plan of e alone in their OPD, without person records or
// colleagues (so no quota, rotation or request): the rule of the day with
// the direct-service and heads-in-office rules, WFO on a date without apel.
// It suits a quick look at a rule; the adapters plan with Plan.
func (p Policy) ModeOf(opd OPD, e Employee, d Date) Assignment {
	e.OPD, e.Active = opd.Code, true
	a, _ := p.Plan(opd, d, Facts{Staff: []Employee{e}}).Of(e.ID)
	if a.Reason == ModeByDayOff {
		return Assignment{EmployeeID: e.ID, Mode: WFO, Reason: ModeByWeekday}
	}
	return a
}

// PlanWeek returns the plans of opd from Monday to Sunday of d's week.
func (p Policy) PlanWeek(opd OPD, d Date, f Facts) []DayPlan {
	m := MondayOf(d)
	return p.plan(opd, m, m.AddDays(6), f)
}

// plan plans opd from monday to `to`, a date in the same week.
func (p Policy) plan(opd OPD, monday, to Date, f Facts) []DayPlan {
	staff := staffOf(opd.Code, f.Staff)
	ix := indexFacts(f, staff)
	infos := make([]DayInfo, 7)
	rotationDays := 0
	for i := range infos {
		infos[i] = p.Day(opd, monday.AddDays(i))
		if infos[i].Off == "" && infos[i].Work.Mode != WFO {
			rotationDays++
		}
	}
	week := int((dayNumber(monday) - epochMonday) / 7)
	counts := map[int64]int{}
	var out []DayPlan
	ord := 0
	for i := 0; i < 7; i++ {
		d := monday.AddDays(i)
		if to.Before(d) {
			break
		}
		dp := p.planDay(opd, infos[i], staff, ix, counts, week*rotationDays+ord)
		if infos[i].Off == "" && infos[i].Work.Mode != WFO {
			ord++
		}
		out = append(out, dp)
	}
	return out
}

// planDay plans one date; counts carries each person's off-site days so far
// in the week and is updated; seq is the rotation's turn.
func (p Policy) planDay(opd OPD, info DayInfo, staff []Employee, ix factIndex, counts map[int64]int, seq int) DayPlan {
	d := info.Date
	dp := DayPlan{DayInfo: info, OPD: opd.Code, Headcount: len(staff), People: make([]Assignment, len(staff))}
	for _, e := range staff {
		dp.Requests += len(ix.approvedOn(e.ID, d))
	}
	if info.Off != "" {
		for i, e := range staff {
			dp.People[i] = Assignment{EmployeeID: e.ID, Reason: ModeByDayOff}
		}
		return dp
	}
	w := info.Work
	direct := opd.DirectService && !info.Quota.DirectJoins
	if w.OffSite() {
		dp.Limit = info.Quota.Limit(len(staff), opd.DirectService)
	}
	var cands []int
	for i, e := range staff {
		a := Assignment{EmployeeID: e.ID, Mode: WFO, Reference: info.Reference}
		if k := ix.excuse(e.ID, d); k != "" {
			a.Mode, a.Reason, a.Excuse = "", ModeByExcuse, k
			dp.People[i] = a
			continue
		}
		switch r, hasRequest := ix.modeRequest(e.ID, d); {
		case direct:
			a.Reason = ModeByDirectService
		case info.HeadsInOffice && e.Role == RoleHead:
			a.Reason = ModeByRole
		case !w.OffSite():
			a.Reason = info.Reason
		case !e.Eligible():
			a.Reason = ModeByEligibility
		case hasRequest:
			a.Mode, a.Reason, a.RequestID = r.Kind.Mode(), ModeByRequest, r.ID
		default:
			if s, ok := ix.shift(e.ID, d); ok {
				a.Mode, a.Reason = s.Mode, ModeByShiftOverride
				break
			}
			switch {
			case w.Mode == WFO:
				a.Reason = info.Reason
			case p.WeeklyCap > 0 && counts[e.ID] >= p.WeeklyCap:
				a.Reason = ModeByWeeklyCap
			default:
				cands = append(cands, i)
				a.Reason = ModeByShift
			}
		}
		dp.People[i] = a
	}
	used := 0
	for _, a := range dp.People {
		if a.OffSite() {
			used++
		}
	}
	free := max(dp.Limit-used, 0)
	if free >= len(cands) && !w.Shift {
		for _, i := range cands {
			dp.People[i].Mode, dp.People[i].Reason = w.Mode, info.Reason
		}
	} else if n := len(cands); n > 0 {
		off := ((seq*free)%n + n) % n
		for j := range min(free, n) {
			dp.People[cands[(off+j)%n]].Mode = w.Mode
		}
	}
	for _, a := range dp.People {
		if a.OffSite() {
			dp.OffSite++
			counts[a.EmployeeID]++
		}
	}
	return dp
}

// CheckRequest refuses a request e may not make, as of today: an incomplete
// one or one with wrong dates (Request.Check); WFH or WFA when flexible work
// is off, when e is not eligible, or on a date whose rule does not let e ask
// for that mode (a direct-service OPD, a head kept in office, a day that
// takes no requests); any request whose dates have no apel.
func (p Policy) CheckRequest(opd OPD, e Employee, r Request, today Date) error {
	if err := r.Check(today); err != nil {
		return err
	}
	m := r.Kind.Mode()
	if m != "" && p.NoFlexibleWork {
		return Refuse(ReasonFlexibleOff)
	}
	if m != "" && !e.Eligible() {
		return Refuse(ReasonNotEligible)
	}
	working := 0
	for _, d := range r.Dates() {
		info := p.Day(opd, d)
		if info.Off != "" {
			continue
		}
		working++
		if m == "" {
			continue
		}
		if (opd.DirectService && !info.Quota.DirectJoins) || (info.HeadsInOffice && e.Role == RoleHead) || !info.Work.Allows(m) {
			return &Refusal{Reason: ReasonRequestNotAllowed, Detail: d.String()}
		}
	}
	if working == 0 {
		return Refuse(ReasonNoApelDay)
	}
	return nil
}

// CheckApproval refuses to approve r when a date's off-site quota of the
// OPD would be exceeded, or the person would work off-site more days in a
// week than the cap allows. Excuses are never refused. f must hold the
// records from the Monday of r.From to the Sunday of r.To; r may or may not
// be among f.Requests.
func (p Policy) CheckApproval(opd OPD, r Request, f Facts) error {
	if r.Kind.Mode() == "" {
		return nil
	}
	r.Status = RequestApproved
	g := f
	g.Requests = append(slices.DeleteFunc(slices.Clone(f.Requests), func(x Request) bool { return x.ID == r.ID }), r)
	return p.checkWeeks(opd, r.EmployeeID, r.Dates(), g)
}

// CheckShift refuses a head's change to the rotation that the policy does
// not allow: a date without apel, or whose rule has no rotation for the
// person's OPD; a mode other than WFO or the day's off-site mode; an
// ineligible person sent off-site; a change that breaks the quota or the
// weekly cap. f must hold the records of s.Date's week.
func (p Policy) CheckShift(opd OPD, e Employee, s Shift, f Facts) error {
	info := p.Day(opd, s.Date)
	switch {
	case info.Off != "":
		return Refuse(ReasonNoApelDay)
	case info.Work.Mode == WFO || (opd.DirectService && !info.Quota.DirectJoins) || (info.HeadsInOffice && e.Role == RoleHead):
		return Refuse(ReasonNotShiftDay)
	case s.Mode != WFO && s.Mode != info.Work.Mode:
		return Refuse(ReasonRequestNotAllowed)
	case s.Mode != WFO && !e.Eligible():
		return Refuse(ReasonNotEligible)
	}
	g := f
	g.Shifts = append(slices.DeleteFunc(slices.Clone(f.Shifts), func(x Shift) bool {
		return x.EmployeeID == s.EmployeeID && x.Date == s.Date
	}), s)
	return p.checkWeeks(opd, e.ID, []Date{s.Date}, g)
}

// checkWeeks plans the weeks of dates and refuses when a date's off-site
// count is over its limit, or the person's off-site days in a week are over
// the cap.
func (p Policy) checkWeeks(opd OPD, id int64, dates []Date, f Facts) error {
	weeks := map[Date][]DayPlan{}
	for _, d := range dates {
		m := MondayOf(d)
		if _, ok := weeks[m]; !ok {
			weeks[m] = p.PlanWeek(opd, d, f)
		}
		dp := weeks[m][int(dayNumber(d)-dayNumber(m))]
		if dp.Off == "" && dp.OffSite > dp.Limit {
			return &Refusal{Reason: ReasonQuotaFull, Detail: d.String()}
		}
	}
	if p.WeeklyCap == 0 {
		return nil
	}
	for m, plans := range weeks {
		n := 0
		for _, dp := range plans {
			if a, ok := dp.Of(id); ok && a.OffSite() {
				n++
			}
		}
		if n > p.WeeklyCap {
			return &Refusal{Reason: ReasonWeeklyCap, Detail: "week of " + m.String()}
		}
	}
	return nil
}

// PlanAll returns the plans of every OPD on d, in the order given.
func (p Policy) PlanAll(opds []OPD, d Date, f Facts) []DayPlan {
	out := make([]DayPlan, 0, len(opds))
	for _, o := range opds {
		out = append(out, p.Plan(o, d, f))
	}
	return out
}

// factIndex looks person records up by employee and date.
type factIndex struct {
	excuses  map[int64]map[Date]ExcuseKind
	requests map[int64][]Request // approved
	shifts   map[int64]map[Date]Shift
}

func indexFacts(f Facts, staff []Employee) factIndex {
	mine := make(map[int64]bool, len(staff))
	for _, e := range staff {
		mine[e.ID] = true
	}
	ix := factIndex{excuses: map[int64]map[Date]ExcuseKind{}, requests: map[int64][]Request{}, shifts: map[int64]map[Date]Shift{}}
	for _, x := range f.Excuses {
		if mine[x.EmployeeID] {
			if ix.excuses[x.EmployeeID] == nil {
				ix.excuses[x.EmployeeID] = map[Date]ExcuseKind{}
			}
			ix.excuses[x.EmployeeID][x.Date] = x.Kind
		}
	}
	for _, r := range f.Requests {
		if mine[r.EmployeeID] && r.Status == RequestApproved {
			ix.requests[r.EmployeeID] = append(ix.requests[r.EmployeeID], r)
		}
	}
	for _, s := range f.Shifts {
		if mine[s.EmployeeID] {
			if ix.shifts[s.EmployeeID] == nil {
				ix.shifts[s.EmployeeID] = map[Date]Shift{}
			}
			ix.shifts[s.EmployeeID][s.Date] = s
		}
	}
	return ix
}

// excuse returns the excuse of id on d: a recorded excuse, else approved
// leave; "" when none.
func (ix factIndex) excuse(id int64, d Date) ExcuseKind {
	if k, ok := ix.excuses[id][d]; ok {
		return k
	}
	for _, r := range ix.requests[id] {
		if r.Covers(d) && r.Kind.Excuse() != "" {
			return r.Kind.Excuse()
		}
	}
	return ""
}

// modeRequest returns the approved WFH or WFA request of id covering d.
func (ix factIndex) modeRequest(id int64, d Date) (Request, bool) {
	for _, r := range ix.requests[id] {
		if r.Covers(d) && r.Kind.Mode() != "" {
			return r, true
		}
	}
	return Request{}, false
}

// approvedOn returns the approved requests of id covering d.
func (ix factIndex) approvedOn(id int64, d Date) []Request {
	var out []Request
	for _, r := range ix.requests[id] {
		if r.Covers(d) {
			out = append(out, r)
		}
	}
	return out
}

func (ix factIndex) shift(id int64, d Date) (Shift, bool) {
	s, ok := ix.shifts[id][d]
	return s, ok
}

// staffOf returns the active staff of OPD code, by NIP: the rotation's
// order does not depend on database ids.
func staffOf(code string, all []Employee) []Employee {
	var out []Employee
	for _, e := range all {
		if e.OPD == code && e.Active {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Employee) int {
		if c := strings.Compare(a.NIP, b.NIP); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out
}

// epochMonday is the day number of Monday 5 January 1970, the Monday the
// rotation counts weeks from.
const epochMonday = 4

// dayNumber counts days since 1970-01-01.
func dayNumber(d Date) int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// MondayOf returns the Monday of d's week; weeks run Monday to Sunday.
func MondayOf(d Date) Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}
