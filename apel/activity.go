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

// ActivityRoll decides, from dp, the plan of one OPD on one date, who owed
// an activity report (planned WFH or WFA; a plan gives excused people and
// days without apel no mode) and who of them has not sent one. staff are
// the OPD's employees, for the names: missing keeps their order. Reports of
// other dates or other people are ignored.
func ActivityRoll(dp DayPlan, staff []Employee, activities []Activity) (missing []Employee, t ActivityTally) {
	due := make(map[int64]bool, len(dp.People))
	for _, a := range dp.People {
		if a.Mode.OffSite() {
			due[a.EmployeeID] = true
		}
	}
	reported := make(map[int64]bool, len(activities))
	for _, a := range activities {
		if a.Date == dp.Date && due[a.EmployeeID] {
			reported[a.EmployeeID] = true
		}
	}
	t = ActivityTally{Due: len(due), Reported: len(reported)}
	for _, e := range staff {
		if due[e.ID] && !reported[e.ID] {
			missing = append(missing, e)
		}
	}
	return missing, t
}

// FactsByOPD splits f by OPD (each person's, and each shift's own), so that
// the plans of many OPDs each read only their own records.
func FactsByOPD(f Facts) map[string]Facts {
	out := make(map[string]Facts)
	opdOf := make(map[int64]string, len(f.Staff))
	for _, e := range f.Staff {
		opdOf[e.ID] = e.OPD
	}
	for opd, staff := range groupBy(f.Staff, func(e *Employee) string { return e.OPD }) {
		out[opd] = Facts{Staff: staff}
	}
	for _, x := range f.Excuses {
		if c, ok := opdOf[x.EmployeeID]; ok {
			o := out[c]
			o.Excuses = append(o.Excuses, x)
			out[c] = o
		}
	}
	for _, r := range f.Requests {
		if c, ok := opdOf[r.EmployeeID]; ok {
			o := out[c]
			o.Requests = append(o.Requests, r)
			out[c] = o
		}
	}
	for _, s := range f.Shifts {
		o := out[s.OPD]
		o.Shifts = append(o.Shifts, s)
		out[s.OPD] = o
	}
	return out
}

// WithActivity returns r with the activity reports of d counted, per OPD
// and in total, from the plans p makes with f, the person records of d's
// week from its Monday on. Only OPDs that held at least one session on d
// count: a day without apel owes no report. r is not changed.
func (r DailyReport) WithActivity(d Day, p Planner, f Facts) DailyReport {
	held := make(map[string]bool)
	for _, s := range d.Sessions {
		held[s.OPD] = true
	}
	facts := FactsByOPD(f)
	opdOf := make(map[int64]string, len(f.Staff))
	for _, e := range f.Staff {
		opdOf[e.ID] = e.OPD
	}
	// Grouped by OPD first, so that a pemda-wide day costs linear time.
	activities := make(map[string][]Activity)
	for _, a := range d.Activities {
		if c, ok := opdOf[a.EmployeeID]; ok {
			activities[c] = append(activities[c], a)
		}
	}
	out := r
	out.OPDs = append([]OPDDay(nil), r.OPDs...)
	out.Activity = ActivityTally{}
	for i, o := range out.OPDs {
		c := o.OPD.Code
		if !held[c] {
			continue
		}
		_, t := ActivityRoll(p.Plan(o.OPD, d.Date, facts[c]), nil, activities[c])
		out.OPDs[i].Activity = t
		out.Activity = out.Activity.Add(t)
	}
	return out
}
