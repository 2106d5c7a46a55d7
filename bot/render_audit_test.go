package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// auditDay is fixtureDay with two corrections of DISKOMINFO's apel pagi
// and an outage over its apel sore.
func auditDay(t *testing.T, loc *time.Location) apel.Day {
	t.Helper()
	d := fixtureDay(loc)
	ids := map[string]int64{}
	for _, e := range d.Employees {
		ids[strings.Fields(e.Name)[0]] = e.ID
	}
	at := func(h, m int) time.Time { return monday.At(apel.Clock{Hour: h, Minute: m}, loc) }
	sore := &d.Sessions[1]
	sore.Disruption = apel.Disruption{From: at(15, 52), To: at(16, 20)}
	by := d.Employees[0] // the head of DISKOMINFO
	d.Corrections = []apel.Correction{
		{ID: 2, SessionID: 1, EmployeeID: d.Employees[3].ID, Date: monday, Kind: apel.Pagi, Before: apel.StatusAbsent,
			After: apel.StatusExcused, Excuse: apel.DinasLuar, Reason: apel.CorrectOther, Note: "tugas ke <Sentani>",
			By: by.ID, ByTelegram: by.TelegramID, At: at(9, 5)},
		{ID: 1, SessionID: 1, EmployeeID: d.Employees[2].ID, Date: monday, Kind: apel.Pagi, Before: apel.StatusOnTime,
			After: apel.StatusOnTime, Reason: apel.CorrectGPSError, By: by.ID, ByTelegram: by.TelegramID, At: at(9, 0)},
	}
	return d
}

func TestRenderAuditGolden(t *testing.T) {
	t.Parallel()
	loc := jayapura(t)
	cat := loadCatalog(t)
	d := auditDay(t, loc)
	r := apel.CompileDailyReport("Kota Jayapura", d)
	r.Zone = loc
	staff := d.Employees[:4]
	pagi := apel.Summarize(d.OPDs[0], d.Sessions[0], staff, d.CheckIns, d.Excuses, d.Corrections)
	sore := apel.Summarize(d.OPDs[0], d.Sessions[1], staff, d.CheckIns, d.Excuses, d.Corrections)
	for _, lang := range []string{"id", "en"} {
		p := cat.Printer(lang)
		golden(t, "daily_report_audit."+lang, RenderDailyReport(p, "BKPSDM Kota Jayapura", r))
		golden(t, "summary_corrected."+lang, RenderSummary(p, loc, pagi))
		golden(t, "summary_outage."+lang, RenderSummary(p, loc, sore))
	}
	text := RenderDailyReport(cat.Printer("id"), "", r)
	for _, want := range []string{"Koreksi (2)", "Gangguan sistem", "15.52–16.20", "tugas ke &lt;Sentani&gt;", "tidak dinilai 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("daily report lacks %q:\n%s", want, text)
		}
	}
	if sore.Tally.NotJudged != 2 || sore.Tally.Absent != 0 {
		t.Errorf("sore under the outage: not judged %d, absent %d; want 2 and 0", sore.Tally.NotJudged, sore.Tally.Absent)
	}
}
