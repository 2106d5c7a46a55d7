package scheduler_test

import (
	"context"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// Facts implements scheduler.Store: the active staff (of opd, or all) and
// their excuses from one date to another. The fake keeps no requests or
// rotation changes.
func (s *fakeStore) Facts(ctx context.Context, opd string, from, to apel.Date) (apel.Facts, error) {
	if err := s.fail("Facts"); err != nil {
		return apel.Facts{}, err
	}
	staff := s.active(func(e apel.Employee) bool { return opd == "" || e.OPD == opd })
	s.mu.Lock()
	defer s.mu.Unlock()
	var xs []apel.Excuse
	for _, x := range s.excuses {
		if !x.Date.Before(from) && !to.Before(x.Date) {
			xs = append(xs, x)
		}
	}
	return apel.Facts{Staff: staff, Excuses: xs}, nil
}

// TestTickSkipsNationalHolidays: the scheduler and the bot share the
// policy's days off, so a national holiday or cuti bersama (data on the
// policy) has no session, reminder or report.
func TestTickSkipsNationalHolidays(t *testing.T) {
	t.Parallel()
	p := testPolicy(loadZone(t, "Asia/Makassar"))
	d := feb(mon)
	p.Holidays = map[apel.Date]apel.Holiday{d: {Date: d, Name: "Cuti bersama uji", Kind: apel.CutiBersama, Source: "test"}}
	f := newFixtureWith(t, p)
	for _, hhmm := range []string{"07:15", "08:15", "08:30", "15:45", "17:00"} {
		if calls, err := f.tickAt(f.at(d, hhmm)); err != nil || len(calls) != 0 {
			t.Errorf("Tick on the holiday at %s: calls %v, error %v; want none", hhmm, briefs(calls), err)
		}
	}
	if got := f.store.AllSessions(); len(got) != 0 {
		t.Errorf("sessions on a holiday: %+v, want none", got)
	}
}

// TestTickReportCarriesThePlan: the daily report counts what the policy
// planned, read from the store's records of the week.
func TestTickReportCarriesThePlan(t *testing.T) {
	t.Parallel()
	p := testPolicy(loadZone(t, "Asia/Makassar"))
	p.Overrides = []apel.Override{{Name: "uji", Reference: "SE uji", From: feb(mon), To: feb(mon),
		Work: &apel.Work{Mode: apel.WFH, Quota: &apel.Quota{Percent: 40}}}}
	f := newFixtureWith(t, p)
	playMonday(f)
	reports := only(mSendDailyReport, f.tick(feb(mon), "17:00"))
	if len(reports) != 1 {
		t.Fatalf("want one daily report")
	}
	r := reports[0].Report
	// KOMINFO: five active, Eka excused, 40% of five = 2 at home by rotation.
	want := apel.PlanTally{Planned: true, Headcount: 5, WFO: 2, WFH: 2, Excused: 1, OffSite: 2, Limit: 2}
	if r.OPDs[0].Plan != want {
		t.Errorf("plan of %s = %+v, want %+v", r.OPDs[0].OPD.Code, r.OPDs[0].Plan, want)
	}
	if len(r.References) != 1 || r.References[0] != "SE uji" {
		t.Errorf("references = %v, want the override's", r.References)
	}
	if !r.Plan.Planned || r.Plan.Headcount != 8 {
		t.Errorf("total plan = %+v, want the pemda's eight", r.Plan)
	}
}
