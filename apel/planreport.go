package apel

import "slices"

// PlanTally is what the policy planned for a group of people on one date:
// where they work, who is excused, the approved requests in force, and how
// much of the off-site quota the plan uses.
type PlanTally struct {
	Planned       bool // false until a plan is attached (DailyReport.WithPlan)
	Headcount     int
	WFO, WFH, WFA int // planned modes
	Excused       int
	Requests      int // approved requests in force on the date
	OffSite       int // planned off-site (WFH and WFA)
	Limit         int // how many the quota let work off-site
}

// Add returns the sum of t and o.
func (t PlanTally) Add(o PlanTally) PlanTally {
	return PlanTally{
		Planned: t.Planned || o.Planned, Headcount: t.Headcount + o.Headcount,
		WFO: t.WFO + o.WFO, WFH: t.WFH + o.WFH, WFA: t.WFA + o.WFA, Excused: t.Excused + o.Excused,
		Requests: t.Requests + o.Requests, OffSite: t.OffSite + o.OffSite, Limit: t.Limit + o.Limit,
	}
}

// TallyPlan counts dp.
func TallyPlan(dp DayPlan) PlanTally {
	return PlanTally{
		Planned: true, Headcount: dp.Headcount,
		WFO: dp.Count(WFO), WFH: dp.Count(WFH), WFA: dp.Count(WFA), Excused: dp.Excused(),
		Requests: dp.Requests, OffSite: dp.OffSite, Limit: dp.Limit,
	}
}

// WithPlan returns r with each OPD's plan of r's date counted (planned
// modes against the check-ins' in the tallies, approved requests, quota
// used), the pemda's total, and the circulars in force. p plans with f,
// the records of the date's week from its Monday on. r is not changed.
func (r DailyReport) WithPlan(p Planner, f Facts) DailyReport {
	byOPD := FactsByOPD(f)
	out := r
	out.OPDs = append([]OPDDay(nil), r.OPDs...)
	out.Plan = PlanTally{Planned: true}
	out.References = nil
	for i, o := range out.OPDs {
		dp := p.Plan(o.OPD, r.Date, byOPD[o.OPD.Code])
		t := TallyPlan(dp)
		out.OPDs[i].Plan = t
		out.Plan = out.Plan.Add(t)
		if dp.Reference != "" && !slices.Contains(out.References, dp.Reference) {
			out.References = append(out.References, dp.Reference)
		}
	}
	return out
}
