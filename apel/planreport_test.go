package apel_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestDailyReportWithPlan(t *testing.T) {
	t.Parallel()
	p := flexTernate(t)
	p.Overrides = []apel.Override{{Name: "x", Reference: "SE Wali Kota Ternate No. 1", From: jan12, Work: &apel.Work{Mode: apel.WFH, Shift: true}}}
	people := append(staff("DISKOMINFO", 100, 6, true), staff("DINKES", 200, 3, true)...)
	opds := []apel.OPD{kominfo(), dinkes()}
	wfa := apel.Request{ID: 5, EmployeeID: 103, Kind: apel.RequestWFA, From: jan13, To: jan13, Status: apel.RequestApproved}
	f := apel.Facts{Staff: people, Requests: []apel.Request{wfa}, Excuses: []apel.Excuse{{EmployeeID: 202, Date: jan13, Kind: apel.Sakit}}}
	day := apel.Day{Date: jan13, OPDs: opds, Employees: people}
	base := apel.CompileDailyReport("Kota Ternate", day)
	r := base.WithPlan(p, f)
	if base.Plan.Planned || base.OPDs[0].Plan.Planned {
		t.Errorf("WithPlan changed its receiver")
	}
	// DISKOMINFO: head in office, the WFA request, then the rotation up to
	// 50% of six (3): the request takes one place, two more go home.
	want := []apel.PlanTally{
		{Planned: true, Headcount: 6, WFO: 3, WFH: 2, WFA: 1, Requests: 1, OffSite: 3, Limit: 3},
		{Planned: true, Headcount: 3, WFO: 2, Excused: 1},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, r.OPDs[i].Plan); diff != "" {
			t.Errorf("plan of %s (-want +got):\n%s", r.OPDs[i].OPD.Code, diff)
		}
	}
	if diff := cmp.Diff(want[0].Add(want[1]), r.Plan); diff != "" {
		t.Errorf("total plan (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"SE Wali Kota Ternate No. 1"}, r.References); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
}
