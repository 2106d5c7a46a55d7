package apel_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// Dates of the plan tests: the week of Monday 12 January 2026, when Kota
// Ternate's flexible work began.
var (
	jan12 = apel.Date{Year: 2026, Month: time.January, Day: 12} //nolint:gochecknoglobals // a constant date
	jan13 = jan12.AddDays(1)                                    //nolint:gochecknoglobals // a constant date
	jan14 = jan12.AddDays(2)                                    //nolint:gochecknoglobals // a constant date
	jan15 = jan12.AddDays(3)                                    //nolint:gochecknoglobals // a constant date
	jan16 = jan12.AddDays(4)                                    //nolint:gochecknoglobals // a constant date
)

func kominfo() apel.OPD { return apel.OPD{Code: "DISKOMINFO", Name: "Diskominfo"} }
func dinkes() apel.OPD  { return apel.OPD{Code: "DINKES", Name: "Dinas Kesehatan", DirectService: true} }

// staff returns n active employees of opd with increasing NIPs and ids
// base+1..base+n; the first is the head when head is set.
func staff(opd string, base int64, n int, head bool) []apel.Employee {
	var out []apel.Employee
	for i := 1; i <= n; i++ {
		e := apel.Employee{ID: base + int64(i), NIP: fmt.Sprintf("19800101200501%d%03d", 1+i%2, i), Name: fmt.Sprintf("%s-%d", opd, i),
			OPD: opd, Role: apel.RoleStaff, Active: true}
		if head && i == 1 {
			e.Role = apel.RoleHead
		}
		out = append(out, e)
	}
	return out
}

// flexTernate is Kota Ternate's policy as the plan tests use it: Tuesday and
// Wednesday mixed (half at home), Thursday WFA, heads in office, two
// off-site days a week at most.
func flexTernate(t *testing.T) apel.Policy {
	t.Helper()
	p := ternatePolicy(t, wit)
	p.Days[time.Tuesday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFH, Shift: true}
	p.Days[time.Wednesday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFH, Shift: true}
	p.WeeklyCap = 2
	if err := p.Validate(); err != nil {
		t.Fatalf("flexTernate: %v", err)
	}
	return p
}

// offSite returns the ids working off-site in dp.
func offSite(dp apel.DayPlan) []int64 {
	var out []int64
	for _, a := range dp.People {
		if a.OffSite() {
			out = append(out, a.EmployeeID)
		}
	}
	return out
}

func TestQuotaLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		q         apel.Quota
		headcount int
		direct    bool
		want      int
	}{
		{"5% of 20 is one person (no float drift)", apel.Quota{Percent: 5}, 20, false, 1},
		{"5% of 19 rounds down to nobody", apel.Quota{Percent: 5}, 19, false, 0},
		{"10% of 10", apel.Quota{Percent: 10}, 10, false, 1},
		{"20% of 37", apel.Quota{Percent: 20}, 37, false, 7},
		{"50% of 7", apel.Quota{Percent: 50}, 7, false, 3},
		{"100% of 7 is everyone", apel.Quota{Percent: 100}, 7, false, 7},
		{"0% is nobody", apel.Quota{}, 30, false, 0},
		{"direct service without its own share stays in office", apel.Quota{Percent: 20}, 30, true, 0},
		{"direct service with its own share", apel.Quota{Percent: 20, DirectService: 10, DirectJoins: true}, 30, true, 3},
		{"an empty OPD", apel.Quota{Percent: 50}, 0, false, 0},
	}
	for _, tt := range tests {
		if got := tt.q.Limit(tt.headcount, tt.direct); got != tt.want {
			t.Errorf("%s: %+v.Limit(%d, %v) = %d, want %d", tt.name, tt.q, tt.headcount, tt.direct, got, tt.want)
		}
	}
}

func TestPlanTernateWeek(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	people := staff("DISKOMINFO", 100, 8, true) // the head and seven staff
	f := apel.Facts{Staff: people}
	week := p.PlanWeek(kominfo(), jan14, f)
	if len(week) != 7 {
		t.Fatalf("PlanWeek = %d plans, want 7", len(week))
	}
	mon, tue, wed, thu, fri, sat := week[0], week[1], week[2], week[3], week[4], week[5]
	if n := len(offSite(mon)) + len(offSite(fri)); n != 0 {
		t.Errorf("Monday and Friday: %d people off-site, want everyone in office", n)
	}
	for _, dp := range []apel.DayPlan{tue, wed} {
		if dp.Limit != 4 || dp.OffSite != 4 {
			t.Errorf("%s (mixed): limit %d, off-site %d; want 4 of 8 (50%%)", dp.Date.Weekday(), dp.Limit, dp.OffSite)
		}
		if a, _ := dp.Of(101); a.Mode != apel.WFO || a.Reason != apel.ModeByRole {
			t.Errorf("%s: head = %+v, want WFO by role", dp.Date.Weekday(), a)
		}
		for _, a := range dp.People {
			if a.EmployeeID != 101 && a.Reason != apel.ModeByShift {
				t.Errorf("%s: %d = %+v, want the reason shift", dp.Date.Weekday(), a.EmployeeID, a)
			}
		}
	}
	// Consecutive mixed days split the staff: everyone but the head is
	// off-site at least one of them.
	both := map[int64]int{}
	for _, id := range append(offSite(tue), offSite(wed)...) {
		both[id]++
	}
	for _, e := range people[1:] {
		if both[e.ID] == 0 {
			t.Errorf("%s is in office both mixed days; the rotation should split the staff", e.Name)
		}
	}
	// Thursday is WFA for everyone but the head, except whoever already had
	// two off-site days, whom the weekly cap keeps in office.
	for _, a := range thu.People {
		switch {
		case a.EmployeeID == 101:
			if a.Reason != apel.ModeByRole {
				t.Errorf("Thursday head = %+v, want WFO by role", a)
			}
		case both[a.EmployeeID] == 2:
			if a.Mode != apel.WFO || a.Reason != apel.ModeByWeeklyCap {
				t.Errorf("Thursday %d (off-site Tuesday and Wednesday) = %+v, want WFO by the weekly cap", a.EmployeeID, a)
			}
		default:
			if a.Mode != apel.WFA || a.Reason != apel.ModeByWeekday {
				t.Errorf("Thursday %d = %+v, want WFA by the weekday table", a.EmployeeID, a)
			}
		}
	}
	if sat.Off != apel.OffWeekend || len(offSite(sat)) != 0 || sat.People[0].Reason != apel.ModeByDayOff {
		t.Errorf("Saturday = off %q, people %+v; want no apel", sat.Off, sat.People)
	}
	// Nobody works off-site more than twice.
	count := map[int64]int{}
	for _, dp := range week {
		for _, id := range offSite(dp) {
			count[id]++
		}
	}
	for id, n := range count {
		if n > 2 {
			t.Errorf("employee %d off-site %d days, over the weekly cap of 2", id, n)
		}
	}
}

func TestPlanIsStable(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	people := staff("DISKOMINFO", 100, 9, true)
	want := p.PlanWeek(kominfo(), jan13, apel.Facts{Staff: people})
	// The same records in another order, with another OPD's staff mixed
	// in, give the same plan.
	shuffled := append(staff("BAPPEDA", 500, 4, true), people...)
	slices.Reverse(shuffled)
	got := p.PlanWeek(kominfo(), jan13, apel.Facts{Staff: shuffled})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PlanWeek with the same records reordered differs (-want +got):\n%s", diff)
	}
	// Plan of one date equals that date in PlanWeek.
	if diff := cmp.Diff(want[2], p.Plan(kominfo(), jan14, apel.Facts{Staff: people})); diff != "" {
		t.Errorf("Plan(Wednesday) differs from PlanWeek's Wednesday (-want +got):\n%s", diff)
	}
}

func TestPlanRotationIsFairOverWeeks(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	people := staff("DISKOMINFO", 100, 8, true)
	turns := map[int64]int{}
	for w := range 8 {
		for _, d := range []apel.Date{jan13.AddDays(7 * w), jan14.AddDays(7 * w)} {
			for _, id := range offSite(p.Plan(kominfo(), d, apel.Facts{Staff: people})) {
				turns[id]++
			}
		}
	}
	lo, hi := 1<<30, 0
	for _, e := range people[1:] {
		lo, hi = min(lo, turns[e.ID]), max(hi, turns[e.ID])
	}
	// 8 weeks × 2 days × 4 places = 64 turns for 7 people: 9 or 10 each.
	if hi-lo > 1 {
		t.Errorf("mixed-day turns over 8 weeks range from %d to %d (%v); want a spread of at most 1", lo, hi, turns)
	}
}

func TestPlanPersonRules(t *testing.T) {
	t.Parallel()
	base := flexTernate(t)
	people := staff("DISKOMINFO", 100, 6, true)
	newHire, disciplined := people[4], people[5]
	people[4].NewHire, people[5].Disciplinary = true, true
	anyone := people[2].ID
	approved := apel.Request{ID: 77, EmployeeID: anyone, Kind: apel.RequestWFH, From: jan12, To: jan12, Status: apel.RequestApproved}
	pending := apel.Request{ID: 78, EmployeeID: anyone, Kind: apel.RequestWFH, From: jan12, To: jan12, Status: apel.RequestPending}
	leave := apel.Request{ID: 79, EmployeeID: anyone, Kind: apel.RequestCuti, From: jan15, To: jan16, Status: apel.RequestApproved}
	openMonday := base
	openMonday.Days = maps(base.Days)
	r := openMonday.Days[time.Monday]
	r.Requests = []apel.Mode{apel.WFH, apel.WFA}
	openMonday.Days[time.Monday] = r
	batu := base
	batu.NoFlexibleWork = true
	tests := []struct {
		name   string
		p      apel.Policy
		opd    apel.OPD
		d      apel.Date
		f      apel.Facts
		id     int64
		want   apel.Assignment
		limit  int // -1: not checked
		offAll int // -1: not checked
	}{
		// Only three of the six are eligible and 50% of six may be at home
		// on the mixed days, so those three are home Tuesday and
		// Wednesday and in office on Thursday by the weekly cap.
		{"an approved WFH request on a WFO day open to requests", openMonday, kominfo(), jan12,
			apel.Facts{Staff: people, Requests: []apel.Request{approved}}, anyone,
			apel.Assignment{Mode: apel.WFH, Reason: apel.ModeByRequest, RequestID: 77}, 6, 1},
		{"a pending request changes nothing", openMonday, kominfo(), jan12,
			apel.Facts{Staff: people, Requests: []apel.Request{pending}}, anyone,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByWeekday}, 6, 0},
		{"a WFO day without requests ignores an approved request (flexible work taken back)", base, kominfo(), jan12,
			apel.Facts{Staff: people, Requests: []apel.Request{approved}}, anyone,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByWeekday}, 0, 0},
		{"approved leave excuses the person", base, kominfo(), jan15,
			apel.Facts{Staff: people, Requests: []apel.Request{leave}}, anyone,
			apel.Assignment{Reason: apel.ModeByExcuse, Excuse: apel.Cuti}, 6, -1},
		{"a recorded excuse excuses the person", base, kominfo(), jan15,
			apel.Facts{Staff: people, Excuses: []apel.Excuse{{EmployeeID: anyone, Date: jan15, Kind: apel.Sakit}}}, anyone,
			apel.Assignment{Reason: apel.ModeByExcuse, Excuse: apel.Sakit}, 6, -1},
		{"a new employee stays in office on a WFA day", base, kominfo(), jan15, apel.Facts{Staff: people}, newHire.ID,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByEligibility}, 6, -1},
		{"someone under a disciplinary process stays in office", base, kominfo(), jan15, apel.Facts{Staff: people}, disciplined.ID,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByEligibility}, 6, -1},
		{"a direct-service OPD stays in office on a WFA day", base, dinkes(), jan15, apel.Facts{Staff: staff("DINKES", 200, 3, true)}, 202,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByDirectService}, 0, 0},
		{"flexible work switched off: WFO on a WFA day", batu, kominfo(), jan15, apel.Facts{Staff: people}, anyone,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByFlexibleOff}, 0, 0},
		{"the head's change to the rotation", base, kominfo(), jan13,
			apel.Facts{Staff: people, Shifts: []apel.Shift{{OPD: "DISKOMINFO", Date: jan13, EmployeeID: anyone, Mode: apel.WFO}}}, anyone,
			apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByShiftOverride}, 3, 2},
		{"a holiday", base, kominfo(), apel.Date{Year: 2026, Month: time.March, Day: 20}, apel.Facts{Staff: people}, anyone,
			apel.Assignment{Reason: apel.ModeByDayOff}, 0, 0},
	}
	for _, tt := range tests {
		dp := tt.p.Plan(tt.opd, tt.d, tt.f)
		got, ok := dp.Of(tt.id)
		tt.want.EmployeeID = tt.id
		if !ok || got != tt.want {
			t.Errorf("%s: Plan(%s, %s).Of(%d) = %+v, %v; want %+v", tt.name, tt.opd.Code, tt.d, tt.id, got, ok, tt.want)
		}
		if tt.limit >= 0 && dp.Limit != tt.limit {
			t.Errorf("%s: limit %d, want %d", tt.name, dp.Limit, tt.limit)
		}
		if tt.offAll >= 0 && dp.OffSite != tt.offAll {
			t.Errorf("%s: off-site %d, want %d", tt.name, dp.OffSite, tt.offAll)
		}
	}
}

func maps(m map[time.Weekday]apel.DayRule) map[time.Weekday]apel.DayRule {
	out := make(map[time.Weekday]apel.DayRule, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestPlanShiftOverrideKeepsQuota(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	people := staff("DISKOMINFO", 100, 8, true)
	before := p.Plan(kominfo(), jan13, apel.Facts{Staff: people})
	home := offSite(before)
	// The head keeps one of those at home in the office; the rotation
	// sends someone else home instead, so the day stays at its quota.
	keep := home[0]
	after := p.Plan(kominfo(), jan13, apel.Facts{Staff: people,
		Shifts: []apel.Shift{{OPD: "DISKOMINFO", Date: jan13, EmployeeID: keep, Mode: apel.WFO}}})
	if after.OffSite != before.OffSite {
		t.Errorf("off-site after the change = %d, want %d", after.OffSite, before.OffSite)
	}
	if slices.Contains(offSite(after), keep) {
		t.Errorf("employee %d still off-site after the head kept them in office", keep)
	}
}

func TestPlanOverrides(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	p.WeeklyCap = 0
	p.Overrides = []apel.Override{{
		Name: "Kerja fleksibel", Reference: "SE No. 8 Tahun 2025",
		From: apel.Date{Year: 2025, Month: time.March, Day: 24}, To: apel.Date{Year: 2025, Month: time.March, Day: 27},
		OPDs: []string{"DISKOMINFO", "DINKES"},
		Work: &apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFA}, Quota: &apel.Quota{Percent: 20, DirectService: 10, DirectJoins: true}},
	}, {
		Name: "Jadwal baru", Reference: "SE Wali Kota",
		From: jan12,
		Days: map[time.Weekday]apel.Work{time.Friday: {Mode: apel.WFA}},
	}}
	if err := p.ValidateFor([]apel.OPD{kominfo(), dinkes()}); err != nil {
		t.Fatalf("ValidateFor: %v", err)
	}
	mar25 := apel.Date{Year: 2025, Month: time.March, Day: 25}
	bappeda := apel.OPD{Code: "BAPPEDA"}
	tests := []struct {
		name      string
		opd       apel.OPD
		d         apel.Date
		wantWork  apel.Work
		reason    apel.ModeReason
		reference string
		limit     int
	}{
		{"a listed OPD in the window takes requests within 20%", kominfo(), mar25,
			apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFA}, Quota: &apel.Quota{Percent: 20, DirectService: 10, DirectJoins: true}},
			apel.ModeByOverride, "SE No. 8 Tahun 2025", 4},
		{"a listed direct-service OPD gets its own 10%", dinkes(), mar25,
			apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFA}, Quota: &apel.Quota{Percent: 20, DirectService: 10, DirectJoins: true}},
			apel.ModeByOverride, "SE No. 8 Tahun 2025", 2},
		{"an OPD the override does not list works from office", bappeda, mar25, apel.Work{Mode: apel.WFO}, apel.ModeByNotListed, "SE No. 8 Tahun 2025", 0},
		{"the day after the window is the weekday table again", kominfo(), mar25.AddDays(3), apel.Work{Mode: apel.WFO}, apel.ModeByWeekday, "", 0},
		{"an open-ended override's weekday rule", kominfo(), jan16, apel.Work{Mode: apel.WFA}, apel.ModeByOverride, "SE Wali Kota", 20},
		{"a weekday the open-ended override leaves out keeps the table", kominfo(), jan15, apel.Work{Mode: apel.WFA}, apel.ModeByWeekday, "SE Wali Kota", 20},
	}
	for _, tt := range tests {
		dp := p.Plan(tt.opd, tt.d, apel.Facts{Staff: staff(tt.opd.Code, 100, 20, true)})
		if diff := cmp.Diff(tt.wantWork, dp.Work); diff != "" {
			t.Errorf("%s: Work mismatch (-want +got):\n%s", tt.name, diff)
		}
		if dp.Reason != tt.reason || dp.Reference != tt.reference || dp.Limit != tt.limit {
			t.Errorf("%s: reason %q, reference %q, limit %d; want %q, %q, %d", tt.name, dp.Reason, dp.Reference, dp.Limit, tt.reason, tt.reference, tt.limit)
		}
	}
}

func TestPolicyValidateRules(t *testing.T) {
	t.Parallel()
	q := func(v float64) *apel.Quota { return &apel.Quota{Percent: v} }
	ov := func(from, to apel.Date) apel.Override {
		return apel.Override{From: from, To: to, Work: &apel.Work{Mode: apel.WFO}}
	}
	dec29, dec31, jan2 := apel.Date{Year: 2025, Month: time.December, Day: 29}, apel.Date{Year: 2025, Month: time.December, Day: 31}, apel.Date{Year: 2026, Month: time.January, Day: 2}
	tests := []struct {
		name    string
		edit    func(*apel.Policy)
		wantErr string
	}{
		{"a shift day", func(*apel.Policy) {}, ""},
		{"quota over 100%", func(p *apel.Policy) { p.Quota = q(150) }, "quota 150%"},
		{"negative quota on a weekday", func(p *apel.Policy) {
			r := p.Days[time.Tuesday]
			r.Quota = q(-1)
			p.Days[time.Tuesday] = r
		}, "Tuesday: quota -1%"},
		{"a direct-service share over 100%", func(p *apel.Policy) {
			p.Quota = &apel.Quota{Percent: 10, DirectService: 101, DirectJoins: true}
		}, "direct service 101%"},
		{"a shift day in office", func(p *apel.Policy) {
			r := p.Days[time.Monday]
			r.Shift = true
			p.Days[time.Monday] = r
		}, "Monday: a shift day needs an off-site mode"},
		{"requests for WFO", func(p *apel.Policy) {
			r := p.Days[time.Monday]
			r.Requests = []apel.Mode{apel.WFO}
			p.Days[time.Monday] = r
		}, `Monday: requests: "WFO"`},
		{"negative weekly cap", func(p *apel.Policy) { p.WeeklyCap = -1 }, "weekly_cap"},
		{"overlapping overrides", func(p *apel.Policy) { p.Overrides = []apel.Override{ov(dec29, dec31), ov(dec31, jan2)} },
			"overrides[1]: 2025-12-31 to 2026-01-02 overlaps overrides[0] (2025-12-29 to 2025-12-31)"},
		{"an open-ended override overlaps a later one", func(p *apel.Policy) {
			p.Overrides = []apel.Override{ov(dec29, apel.Date{}), ov(jan2, jan2)}
		}, "overrides[1]: 2026-01-02 to 2026-01-02 overlaps overrides[0] (2025-12-29 onwards)"},
		{"back-to-back overrides", func(p *apel.Policy) { p.Overrides = []apel.Override{ov(dec29, dec31), ov(jan2, jan2)} }, ""},
		{"an override ending before it starts", func(p *apel.Policy) { p.Overrides = []apel.Override{ov(dec31, dec29)} }, "overrides[0]: to 2025-12-29 is before from 2025-12-31"},
		{"an override without a rule", func(p *apel.Policy) { p.Overrides = []apel.Override{{From: dec29, To: dec31}} }, "overrides[0]: no rule"},
		{"an override with a bad weekday rule", func(p *apel.Policy) {
			p.Overrides = []apel.Override{{From: dec29, Days: map[time.Weekday]apel.Work{time.Friday: {Mode: "WFX"}}}}
		}, `overrides[0].days.Friday: unknown mode "WFX"`},
		{"a holiday of an unknown kind", func(p *apel.Policy) {
			p.Holidays = map[apel.Date]apel.Holiday{dec31: {Date: dec31, Kind: "libur_daerah"}}
		}, "holidays 2025-12-31"},
	}
	for _, tt := range tests {
		p := flexTernate(t)
		p.Days = maps(p.Days)
		tt.edit(&p)
		err := p.Validate()
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
	p := flexTernate(t)
	p.Overrides = []apel.Override{{From: dec29, To: dec31, OPDs: []string{"DISKOMINFO", "XYZ"}, Work: &apel.Work{Mode: apel.WFO}}}
	if err := p.ValidateFor([]apel.OPD{kominfo()}); err == nil || !strings.Contains(err.Error(), `overrides[0].opds[1]: unknown OPD "XYZ"`) {
		t.Errorf("ValidateFor with an unknown OPD = %v, want an error naming overrides[0].opds[1]", err)
	}
}

func TestCheckRequest(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	r := p.Days[time.Monday]
	p.Days = maps(p.Days)
	r.Requests = []apel.Mode{apel.WFH}
	p.Days[time.Monday] = r
	batu := p
	batu.NoFlexibleWork = true
	people := staff("DISKOMINFO", 100, 4, true)
	e, head := people[1], people[0]
	fresh := e
	fresh.NewHire = true
	wfh := func(from, to apel.Date) apel.Request {
		return apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFH, From: from, To: to, Reason: "anak sakit", Plan: "laporan"}
	}
	today := jan12
	tests := []struct {
		name string
		p    apel.Policy
		opd  apel.OPD
		e    apel.Employee
		r    apel.Request
		want apel.Reason
	}{
		{"WFH on a Monday that takes WFH requests", p, kominfo(), e, wfh(jan12, jan12), ""},
		{"WFH over a week skips the days without apel", p, kominfo(), e, wfh(jan12.AddDays(5), jan12.AddDays(7)), ""},
		{"WFA on a Monday that takes only WFH", p, kominfo(), e,
			apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFA, From: jan12, To: jan12, Reason: "x", Plan: "y", Place: "Tidore"}, apel.ReasonRequestNotAllowed},
		{"WFH on a Friday, which takes none", p, kominfo(), e, wfh(jan16, jan16), apel.ReasonRequestNotAllowed},
		{"WFH in a direct-service OPD", p, dinkes(), apel.Employee{ID: 9, OPD: "DINKES", Active: true}, wfh(jan12, jan12), apel.ReasonRequestNotAllowed},
		{"WFH by a head kept in office", p, kominfo(), head, wfh(jan12, jan12), apel.ReasonRequestNotAllowed},
		{"WFH where flexible work is off", batu, kominfo(), e, wfh(jan12, jan12), apel.ReasonFlexibleOff},
		{"WFH by a new employee", p, kominfo(), fresh, wfh(jan12, jan12), apel.ReasonNotEligible},
		{"a weekend only", p, kominfo(), e, apel.Request{EmployeeID: e.ID, Kind: apel.RequestIzin, From: jan12.AddDays(5), To: jan12.AddDays(6), Reason: "x"}, apel.ReasonNoApelDay},
		{"leave where flexible work is off is fine", batu, kominfo(), e, apel.Request{EmployeeID: e.ID, Kind: apel.RequestCuti, From: jan12, To: jan16, Reason: "x"}, ""},
		{"a date in the past", p, kominfo(), e, wfh(jan12.AddDays(-7), jan12.AddDays(-7)), apel.ReasonRequestDates},
		{"dates in the wrong order", p, kominfo(), e, wfh(jan13, jan12), apel.ReasonRequestDates},
		{"32 days", p, kominfo(), e, wfh(jan12, jan12.AddDays(31)), apel.ReasonRequestDates},
		{"WFH without a work plan", p, kominfo(), e, apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFH, From: jan12, To: jan12, Reason: "x"}, apel.ReasonRequestIncomplete},
		{"WFA without a place", p, kominfo(), e, apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFA, From: jan15, To: jan15, Reason: "x", Plan: "y"}, apel.ReasonRequestIncomplete},
		{"leave without a reason", p, kominfo(), e, apel.Request{EmployeeID: e.ID, Kind: apel.RequestCuti, From: jan12, To: jan12}, apel.ReasonRequestIncomplete},
	}
	for _, tt := range tests {
		err := tt.p.CheckRequest(tt.opd, tt.e, tt.r, today)
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("%s: CheckRequest = %v, want reason %q", tt.name, err, tt.want)
		}
	}
}

func TestCheckApprovalQuota(t *testing.T) {
	t.Parallel()
	// Kota Malang, 24-27 March 2025: WFA on request, 5% of the staff.
	p := ternatePolicy(t, wib)
	mar24 := apel.Date{Year: 2025, Month: time.March, Day: 24}
	p.Overrides = []apel.Override{{From: mar24, To: mar24.AddDays(3), Work: &apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFA}, Quota: &apel.Quota{Percent: 5}}}}
	people := staff("DISKOMINFO", 100, 40, true) // 5% of 40 = 2
	req := func(id int64, who int, from, to apel.Date, st apel.RequestStatus) apel.Request {
		return apel.Request{ID: id, EmployeeID: people[who].ID, Kind: apel.RequestWFA, From: from, To: to, Status: st,
			Reason: "mudik", Plan: "laporan", Place: "Blitar"}
	}
	first, second := req(1, 1, mar24, mar24.AddDays(1), apel.RequestApproved), req(2, 2, mar24.AddDays(1), mar24.AddDays(1), apel.RequestApproved)
	third := req(3, 3, mar24, mar24.AddDays(3), apel.RequestPending)
	f := apel.Facts{Staff: people, Requests: []apel.Request{first, second, third}}
	err := p.CheckApproval(kominfo(), third, f)
	if reason, _ := apel.ReasonOf(err); reason != apel.ReasonQuotaFull || !strings.Contains(err.Error(), "2025-03-25") {
		t.Errorf("CheckApproval of a third WFA on 25 March (quota 2) = %v, want quota_full on 2025-03-25", err)
	}
	later := req(4, 3, mar24.AddDays(2), mar24.AddDays(3), apel.RequestPending)
	if err := p.CheckApproval(kominfo(), later, f); err != nil {
		t.Errorf("CheckApproval of WFA on 26-27 March (nobody else off-site) = %v, want nil", err)
	}
	leave := apel.Request{ID: 5, EmployeeID: people[4].ID, Kind: apel.RequestCuti, From: mar24, To: mar24, Status: apel.RequestPending}
	if err := p.CheckApproval(kominfo(), leave, f); err != nil {
		t.Errorf("CheckApproval of leave = %v, want nil: excuses have no quota", err)
	}
}

func TestCheckApprovalWeeklyCap(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	p.Days = maps(p.Days)
	r := p.Days[time.Friday]
	r.Requests = []apel.Mode{apel.WFH}
	p.Days[time.Friday] = r
	people := staff("DISKOMINFO", 100, 8, true)
	week := p.PlanWeek(kominfo(), jan12, apel.Facts{Staff: people})
	// Someone off-site on Tuesday or Wednesday and on Thursday has had two
	// days; a Friday WFH would be the third.
	var two, one int64
	for _, e := range people[1:] {
		n := 0
		for _, dp := range week {
			if a, _ := dp.Of(e.ID); a.OffSite() {
				n++
			}
		}
		switch n {
		case 2:
			two = e.ID
		case 1:
			one = e.ID
		}
	}
	if two == 0 {
		t.Fatalf("fixture: nobody off-site twice in %v", week)
	}
	fri := func(id int64) apel.Request {
		return apel.Request{ID: 9, EmployeeID: id, Kind: apel.RequestWFH, From: jan16, To: jan16, Reason: "x", Plan: "y", Status: apel.RequestPending}
	}
	if err := p.CheckApproval(kominfo(), fri(two), apel.Facts{Staff: people}); err == nil {
		t.Errorf("CheckApproval of a third off-site day = nil, want weekly_cap")
	} else if reason, _ := apel.ReasonOf(err); reason != apel.ReasonWeeklyCap {
		t.Errorf("CheckApproval of a third off-site day = %v, want weekly_cap", err)
	}
	if one != 0 {
		if err := p.CheckApproval(kominfo(), fri(one), apel.Facts{Staff: people}); err != nil {
			t.Errorf("CheckApproval of a second off-site day = %v, want nil", err)
		}
	}
}

func TestCheckShift(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	people := staff("DISKOMINFO", 100, 8, true)
	f := apel.Facts{Staff: people}
	tue := p.Plan(kominfo(), jan13, f)
	var home, office apel.Employee
	for _, e := range people[1:] {
		a, _ := tue.Of(e.ID)
		if a.OffSite() {
			home = e
		} else {
			office = e
		}
	}
	fresh := office
	fresh.NewHire = true
	// Sending someone home takes a rotation place from someone else; only
	// the head's own choices (and approved requests) can exceed the quota.
	full := f
	for _, id := range offSite(tue) {
		full.Shifts = append(full.Shifts, apel.Shift{Date: jan13, EmployeeID: id, Mode: apel.WFH})
	}
	tests := []struct {
		name string
		e    apel.Employee
		s    apel.Shift
		f    apel.Facts
		opd  apel.OPD
		want apel.Reason
	}{
		{"keep someone at home in office", home, apel.Shift{Date: jan13, EmployeeID: home.ID, Mode: apel.WFO}, f, kominfo(), ""},
		{"send one more home: the rotation makes room", office, apel.Shift{Date: jan13, EmployeeID: office.ID, Mode: apel.WFH}, f, kominfo(), ""},
		{"send a fifth home when four are chosen: over the 50% quota", office, apel.Shift{Date: jan13, EmployeeID: office.ID, Mode: apel.WFH}, full, kominfo(), apel.ReasonQuotaFull},
		{"WFA on a WFH day", office, apel.Shift{Date: jan13, EmployeeID: office.ID, Mode: apel.WFA}, f, kominfo(), apel.ReasonRequestNotAllowed},
		{"a new employee sent home", fresh, apel.Shift{Date: jan13, EmployeeID: fresh.ID, Mode: apel.WFH}, f, kominfo(), apel.ReasonNotEligible},
		{"Monday has no rotation", home, apel.Shift{Date: jan12, EmployeeID: home.ID, Mode: apel.WFO}, f, kominfo(), apel.ReasonNotShiftDay},
		{"the head stays in office", people[0], apel.Shift{Date: jan13, EmployeeID: people[0].ID, Mode: apel.WFH}, f, kominfo(), apel.ReasonNotShiftDay},
		{"a Saturday", home, apel.Shift{Date: jan12.AddDays(5), EmployeeID: home.ID, Mode: apel.WFO}, f, kominfo(), apel.ReasonNoApelDay},
	}
	for _, tt := range tests {
		err := p.CheckShift(tt.opd, tt.e, tt.s, tt.f)
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("%s: CheckShift = %v, want reason %q", tt.name, err, tt.want)
		}
	}
}

func TestRequestKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		want     apel.RequestKind
		abroad   bool
		mode     apel.Mode
		excuse   apel.ExcuseKind
		wantFail bool
	}{
		{in: "WFH", want: apel.RequestWFH, mode: apel.WFH},
		{in: "wfa", want: apel.RequestWFA, mode: apel.WFA},
		{in: "wfa-ln", want: apel.RequestWFA, abroad: true, mode: apel.WFA},
		{in: "dl", want: apel.RequestDinasLuar, excuse: apel.DinasLuar},
		{in: "cuti", want: apel.RequestCuti, excuse: apel.Cuti},
		{in: "wfo", wantFail: true},
	}
	for _, tt := range tests {
		k, abroad, err := apel.ParseRequestKind(tt.in)
		if tt.wantFail {
			if err == nil {
				t.Errorf("ParseRequestKind(%q) = %q, want an error", tt.in, k)
			}
			continue
		}
		if err != nil || k != tt.want || abroad != tt.abroad || k.Mode() != tt.mode || k.Excuse() != tt.excuse {
			t.Errorf("ParseRequestKind(%q) = %q, %v, %v (mode %q, excuse %q); want %q, %v (mode %q, excuse %q)",
				tt.in, k, abroad, err, k.Mode(), k.Excuse(), tt.want, tt.abroad, tt.mode, tt.excuse)
		}
	}
}

func TestCanDecideRequest(t *testing.T) {
	t.Parallel()
	owner := apel.Employee{ID: 1, NIP: "199001012015031001", OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	head := apel.Employee{ID: 2, NIP: "197501012000031001", OPD: "DISKOMINFO", Role: apel.RoleHead, Active: true}
	otherHead := apel.Employee{ID: 3, NIP: "197601012000031001", OPD: "BAPPEDA", Role: apel.RoleHead, Active: true}
	admin := apel.Employee{ID: 4, NIP: "198001012005011006", OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}
	mayor := apel.Employee{ID: 5, NIP: "197001012000031009", OPD: "SETDA", Role: apel.RoleStaff, Active: true}
	esc := apel.Escalation{Abroad: true, NIPs: []string{mayor.NIP}}
	pending := apel.Request{Status: apel.RequestPending, Kind: apel.RequestWFA, Abroad: true}
	atPPK := apel.Request{Status: apel.RequestPendingPPK, Kind: apel.RequestWFA, Abroad: true}
	tests := []struct {
		name     string
		esc      apel.Escalation
		r        apel.Request
		approver apel.Employee
		want     bool
	}{
		{"the head of the owner's OPD", esc, pending, head, true},
		{"another OPD's head", esc, pending, otherHead, false},
		{"an admin stands in for the head", esc, pending, admin, true},
		{"the owner", esc, pending, owner, false},
		{"the mayor's NIP at the second stage", esc, atPPK, mayor, true},
		{"the head cannot take the second stage", esc, atPPK, head, false},
		{"an admin at the second stage when NIPs are named", esc, atPPK, admin, false},
		{"an admin at the second stage when none are named", apel.Escalation{Abroad: true}, atPPK, admin, true},
		{"nobody decides an approved request", esc, apel.Request{Status: apel.RequestApproved}, head, false},
	}
	for _, tt := range tests {
		if got := apel.CanDecideRequest(tt.esc, tt.r, tt.approver, owner); got != tt.want {
			t.Errorf("%s: CanDecideRequest = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := apel.NextStatus(esc, pending); got != apel.RequestPendingPPK {
		t.Errorf("NextStatus(abroad, pending) = %q, want pending_ppk", got)
	}
	if got := apel.NextStatus(esc, atPPK); got != apel.RequestApproved {
		t.Errorf("NextStatus(abroad, pending_ppk) = %q, want approved", got)
	}
	if got := apel.NextStatus(esc, apel.Request{Status: apel.RequestPending, Kind: apel.RequestWFH}); got != apel.RequestApproved {
		t.Errorf("NextStatus(WFH, pending) = %q, want approved", got)
	}
	if !(apel.Escalation{Cuti: true}).Needs(apel.Request{Kind: apel.RequestCuti}) {
		t.Errorf("Escalation{Cuti}.Needs(cuti) = false, want true")
	}
}
