package bot

import (
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// TestRenderActivityGolden is the daily report and the sore summary on a
// WFH day: the report counts the activity reports, the summary names who
// has not sent one.
func TestRenderActivityGolden(t *testing.T) {
	t.Parallel()
	loc := jayapura(t)
	cat := loadCatalog(t)
	d := fixtureDay(loc)
	r := apel.CompileDailyReport("Kota Jayapura", d)
	r.Activity = apel.ActivityTally{Due: 4, Reported: 1}
	r.OPDs[0].Activity = r.Activity
	golden(t, "daily_report_activity.id", RenderDailyReport(cat.Printer("id"), "BKPSDM Kota Jayapura", r))

	sum := apel.Summarize(d.OPDs[0], d.Sessions[1], d.Employees[:4], d.CheckIns, d.Excuses, nil)
	sum.NoActivity = []apel.Employee{d.Employees[2], d.Employees[3]}
	golden(t, "summary_no_activity.id", RenderSummary(cat.Printer("id"), loc, sum))
	golden(t, "summary_no_activity.en", RenderSummary(cat.Printer("en"), loc, sum))

	// Nobody owed a report: no line, as on a WFO day.
	if got := RenderDailyReport(cat.Printer("id"), "", apel.CompileDailyReport("Kota Jayapura", d)); strings.Contains(got, "Laporan kegiatan") {
		t.Errorf("a day without activity reports owed shows a count:\n%s", got)
	}
}
