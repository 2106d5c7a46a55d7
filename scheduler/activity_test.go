package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// Activities implements scheduler.Store: the activity reports of d.
func (s *fakeStore) Activities(ctx context.Context, d apel.Date) ([]apel.Activity, error) {
	if err := s.fail("Activities"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apel.Activity
	for _, a := range s.acts {
		if a.Date == d {
			out = append(out, a)
		}
	}
	return out, nil
}

// AddActivity stores an activity report.
func (s *fakeStore) AddActivity(a apel.Activity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acts = append(s.acts, a)
}

// TestTickActivityReports runs a WFH Tuesday: the heads' sore summaries
// name who has not sent the day's activity report (pagi's do not), and the
// daily report counts them and carries the day's records for its
// documents.
func TestTickActivityReports(t *testing.T) {
	t.Parallel()
	policy := testPolicy(loadZone(t, "Asia/Makassar"))
	r := policy.Days[time.Tuesday]
	r.Mode = apel.WFH
	policy.Days[time.Tuesday] = r
	f := newFixtureWith(t, policy)
	// DISKOMINFO: Ani, Budi, Citra, Dedi and Eka work from home; Budi
	// reports, and so does Fajar, who left. BAPPEDA: Gita, Hadi and Indah;
	// Hadi reports, and a report of another date does not count.
	for _, a := range []apel.Activity{
		{EmployeeID: idBudi, Date: feb(tue), Text: "SOP", Mode: apel.WFH},
		{EmployeeID: idFajar, Date: feb(tue), Text: "x", Mode: apel.WFH},
		{EmployeeID: idHadi, Date: feb(tue), Text: "Rapat", Mode: apel.WFH},
		{EmployeeID: idGita, Date: feb(mon), Text: "kemarin", Mode: apel.WFO},
	} {
		f.store.AddActivity(a)
	}
	f.tick(feb(tue), "07:15")
	for _, c := range only(mSendSummary, f.tick(feb(tue), "08:31")) {
		if len(c.Summary.NoActivity) != 0 {
			t.Errorf("pagi summary to %s names %d without an activity report, want none before the day's last apel", c.Employee.Name, len(c.Summary.NoActivity))
		}
	}
	f.tick(feb(tue), "15:45")
	calls := f.tick(feb(tue), "17:01")
	got := map[string][]string{}
	for _, c := range only(mSendSummary, calls) {
		for _, e := range c.Summary.NoActivity {
			got[c.Employee.Name] = append(got[c.Employee.Name], e.Name)
		}
	}
	want := map[string][]string{"Ani": {"Ani", "Citra", "Dedi", "Eka"}, "Gita": {"Gita", "Indah"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sore summaries: who has not reported (-want +got):\n%s", diff)
	}
	reports := only(mSendDailyReport, calls)
	if len(reports) != 1 {
		t.Fatalf("Tick at 17:01: calls %v, want one SendDailyReport", briefs(calls))
	}
	rep := reports[0]
	if want := (apel.ActivityTally{Due: 8, Reported: 2}); rep.Report.Activity != want {
		t.Errorf("daily report activity = %+v, want %+v", rep.Report.Activity, want)
	}
	if rep.Day.Date != feb(tue) || len(rep.Day.Sessions) != 4 || len(rep.Day.Activities) != 3 {
		t.Errorf("SendDailyReport got the day %s with %d sessions and %d reports, want Tuesday's 4 sessions and 3 reports",
			rep.Day.Date, len(rep.Day.Sessions), len(rep.Day.Activities))
	}
}

// TestTickActivityReportsFailing leaves the sore close for the next Tick
// when the activity reports cannot be read.
func TestTickActivityReportsFailing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.tick(feb(mon), "15:45")
	f.store.Fail = func(m string) error {
		if m == "Activities" {
			return errFake
		}
		return nil
	}
	if calls, err := f.tickAt(f.at(feb(mon), "17:01")); err == nil || len(only(mSendSummary, calls)) != 0 {
		t.Errorf("Tick with Activities failing: calls %v, error %v; want no summary and an error", briefs(calls), err)
	}
	f.store.Fail = nil
	if calls := f.tick(feb(mon), "17:02"); len(only(mSendSummary, calls)) != 2 {
		t.Errorf("the next Tick: calls %v, want both sore summaries", briefs(calls))
	}
}
