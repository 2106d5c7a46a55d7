package bot

import (
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// TestDailyReportWithPlanGolden renders the fixture Monday with its plan:
// a circular opens Monday to WFH requests within 50%, and Budi's request is
// approved, so the report shows planned modes, requests and quota use next
// to what the sessions saw.
func TestDailyReportWithPlanGolden(t *testing.T) {
	t.Parallel()
	loc := jayapura(t)
	day := fixtureDay(loc)
	p := testPolicy(loc)
	p.Overrides = []apel.Override{{Name: "Uji", Reference: "SE Wali Kota Jayapura No. 1 Tahun 2026", From: monday, To: monday,
		Work: &apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFH}, Quota: &apel.Quota{Percent: 50}}}}
	var budi int64
	for _, e := range day.Employees {
		if e.Name == testRoster()["budi"].Name {
			budi = e.ID
		}
	}
	f := apel.Facts{Staff: day.Employees, Excuses: day.Excuses, Requests: []apel.Request{{ID: 1, EmployeeID: budi, Kind: apel.RequestWFH,
		From: monday, To: monday, Status: apel.RequestApproved}}}
	r := apel.CompileDailyReport("Kota Jayapura", day).WithPlan(p, f)
	cat := loadCatalog(t)
	for _, lang := range []string{"id", "en"} {
		golden(t, "daily_report_plan."+lang, RenderDailyReport(cat.Printer(lang), "BKPSDM Kota Jayapura", r))
	}
}
