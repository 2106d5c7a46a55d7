package apel

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Activity is a daily activity report (laporan kegiatan): a short account
// of the day's work that an ASN working off-site sends in. There is one per
// person per date; sending again replaces it, and the store keeps every
// version for audit.
type Activity struct {
	EmployeeID int64
	Date       Date
	Text       string
	PhotoID    string    // the chat platform's id of an attached photo, "" for none; the bytes stay there
	Mode       Mode      // the sender's mode that day, as the planner gave it
	SentAt     time.Time // when the first version was sent (message time)
	UpdatedAt  time.Time // when the current version was sent; SentAt if never replaced
	Versions   int       // how many versions were sent, 1 when never replaced
}

// Refusals of an activity report. They are listed by ActivityReasons;
// like every Reason they are locale keys ("reason.<code>").
const (
	ReasonNoWorkToday     Reason = "no_work_today"     // no apel today, so no activity report
	ReasonNotOffSite      Reason = "not_off_site"      // activity reports are for WFH and WFA staff
	ReasonActivityEmpty   Reason = "activity_empty"    // a report without text
	ReasonActivityTooLong Reason = "activity_too_long" // over MaxActivityText characters
)

// ActivityReasons lists the refusals of an activity report, so that
// adapters can check that each one has a message.
func ActivityReasons() []Reason {
	return []Reason{ReasonNoWorkToday, ReasonNotOffSite, ReasonActivityEmpty, ReasonActivityTooLong}
}

// MaxActivityText is the longest activity report, in characters: a short
// account, well under one chat message.
const MaxActivityText = 2000

// OffSite reports whether m is work away from the office (WFH or WFA), the
// modes whose staff owe an activity report.
func (m Mode) OffSite() bool { return m == WFH || m == WFA }

// CheckActivity decides whether a person may file an activity report: only
// on a day with apel, only when their mode that day (a) is off-site, and
// only with some text, at most MaxActivityText characters. An excused person
// working off-site may still report; they are just not counted as owing one.
func CheckActivity(workingDay bool, a Assignment, text string) error {
	switch {
	case !workingDay:
		return Refuse(ReasonNoWorkToday)
	case !a.Mode.OffSite():
		return Refuse(ReasonNotOffSite)
	case strings.TrimSpace(text) == "":
		return Refuse(ReasonActivityEmpty)
	case utf8.RuneCountInString(text) > MaxActivityText:
		return Refuse(ReasonActivityTooLong)
	}
	return nil
}

// ActivityTally counts activity reports: who owed one and who sent it.
type ActivityTally struct {
	Due      int // staff working off-site (WFH or WFA) that day, not excused
	Reported int // of those, how many sent a report
}

// Add returns the sum of t and o.
func (t ActivityTally) Add(o ActivityTally) ActivityTally {
	return ActivityTally{Due: t.Due + o.Due, Reported: t.Reported + o.Reported}
}

// Missing is how many owed a report and sent none.
func (t ActivityTally) Missing() int { return t.Due - t.Reported }

// Rate is Reported over Due, 0..1; 0 when nobody owed a report.
func (t ActivityTally) Rate() float64 {
	if t.Due <= 0 {
		return 0
	}
	return float64(t.Reported) / float64(t.Due)
}

// PlanFunc returns the planned mode of each of staff, the active employees
// of opd, on d, in the order given. The adapters build it from their
// Planner, so that the reports ask the one rule that decides who works
// where; the domain's reports never decide it themselves.
type PlanFunc func(opd OPD, d Date, staff []Employee) []Mode

// planOf calls plan, and gives a result of the wrong length (a broken
// PlanFunc) the right one: people it left out are planned nowhere, so
// they are neither off-site nor counted under a mode.
func planOf(plan PlanFunc, opd OPD, d Date, staff []Employee) []Mode {
	modes := plan(opd, d, staff)
	if len(modes) != len(staff) {
		fixed := make([]Mode, len(staff))
		copy(fixed, modes)
		modes = fixed
	}
	return modes
}

// ActivityRoll decides, for the staff of opd on date d, who owed an
// activity report (mode off-site by plan, not excused that date) and who
// of them has not sent one. Missing keeps the order of staff. Inactive
// people, and reports and excuses of other dates or other people, are
// ignored.
func ActivityRoll(opd OPD, d Date, staff []Employee, excuses []Excuse, activities []Activity, plan PlanFunc) (missing []Employee, t ActivityTally) {
	excused := make(map[int64]bool, len(excuses))
	for _, x := range excuses {
		if x.Date == d {
			excused[x.EmployeeID] = true
		}
	}
	reported := make(map[int64]bool, len(activities))
	for _, a := range activities {
		if a.Date == d {
			reported[a.EmployeeID] = true
		}
	}
	active := make([]Employee, 0, len(staff))
	for _, e := range staff {
		if e.Active {
			active = append(active, e)
		}
	}
	modes := planOf(plan, opd, d, active)
	for i, e := range active {
		if excused[e.ID] || !modes[i].OffSite() {
			continue
		}
		t.Due++
		if reported[e.ID] {
			t.Reported++
		} else {
			missing = append(missing, e)
		}
	}
	return missing, t
}

// WithActivity returns r with the activity reports of d counted, per OPD
// and in total, with plan for each person's mode. Only OPDs that held at
// least one session on d count: a day without apel owes no report. r is not
// changed.
func (r DailyReport) WithActivity(d Day, plan PlanFunc) DailyReport {
	held := make(map[string]bool)
	for _, s := range d.Sessions {
		held[s.OPD] = true
	}
	staff := make(map[string][]Employee)
	opdOf := make(map[int64]string, len(d.Employees))
	for _, e := range d.Employees {
		if e.Active && held[e.OPD] {
			staff[e.OPD] = append(staff[e.OPD], e)
			opdOf[e.ID] = e.OPD
		}
	}
	// Grouped by OPD first, so that a pemda-wide day costs linear time.
	excuses := make(map[string][]Excuse)
	for _, x := range d.Excuses {
		if o, ok := opdOf[x.EmployeeID]; ok {
			excuses[o] = append(excuses[o], x)
		}
	}
	activities := make(map[string][]Activity)
	for _, a := range d.Activities {
		if o, ok := opdOf[a.EmployeeID]; ok {
			activities[o] = append(activities[o], a)
		}
	}
	out := r
	out.OPDs = append([]OPDDay(nil), r.OPDs...)
	out.Activity = ActivityTally{}
	for i, o := range out.OPDs {
		c := o.OPD.Code
		_, t := ActivityRoll(o.OPD, d.Date, staff[c], excuses[c], activities[c], plan)
		out.OPDs[i].Activity = t
		out.Activity = out.Activity.Add(t)
	}
	return out
}
