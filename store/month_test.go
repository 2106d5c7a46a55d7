package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// openSessionOn opens a session of opd on the date n days after day1(),
// with day1's times moved by n days.
func openSessionOn(t *testing.T, db *store.DB, opd string, k apel.SessionKind, n int) apel.Session {
	t.Helper()
	sl := slot(k)
	shift := time.Duration(n) * 24 * time.Hour
	sl.Date = day1().AddDays(n)
	sl.Apel, sl.Opens, sl.LateFrom, sl.RemindAt, sl.Closes = sl.Apel.Add(shift), sl.Opens.Add(shift), sl.LateFrom.Add(shift), sl.RemindAt.Add(shift), sl.Closes.Add(shift)
	s, _, err := db.OpenSession(context.Background(), apel.Session{OPD: opd, Slot: sl})
	if err != nil {
		t.Fatalf("OpenSession(%s, %s, +%d days): %v", opd, k, n, err)
	}
	return s
}

func TestMonth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	budi, ani, cahyo := emps[testRoster()[0].NIP], emps[testRoster()[1].NIP], emps[testRoster()[2].NIP]
	// Sessions on day1 (13 Jan), day1+1 and day1+5; one on day1-13 (31
	// Dec), outside the month; nothing on day1+2, which has an excuse and
	// a report anyway.
	sessions := map[int][]apel.Session{}
	for _, n := range []int{0, 1, 5, -13} {
		sessions[n] = append(sessions[n], openSessionOn(t, db, "DISKOMINFO", apel.Pagi, n), openSessionOn(t, db, "DISKOMINFO", apel.Sore, n))
	}
	sessions[0] = append(sessions[0], openSessionOn(t, db, "DINKES", apel.Pagi, 0))
	for n, ss := range sessions {
		for _, s := range ss {
			for _, e := range []apel.Employee{budi, ani, cahyo} {
				if e.OPD != s.OPD {
					continue
				}
				c := checkIn(s.ID, e.ID)
				c.Fix.At = s.Opens.Add(time.Duration(e.ID) * time.Minute)
				c.UpdateID = s.ID*100 + e.ID
				if n == 5 && e.ID == ani.ID {
					c.Late, c.LateBy, c.InPlace, c.Mode = true, 3*time.Minute, false, apel.WFH
				}
				if _, err := db.RecordCheckIn(ctx, c); err != nil {
					t.Fatalf("RecordCheckIn(+%d days): %v", n, err)
				}
			}
		}
	}
	for _, n := range []int{1, 2, -13} {
		x := apel.Excuse{EmployeeID: ani.ID, Date: day1().AddDays(n), Kind: apel.Cuti, By: budi.ID}
		if err := db.RecordExcuse(ctx, x, at(6, 0)); err != nil {
			t.Fatalf("RecordExcuse: %v", err)
		}
		a := apel.Activity{EmployeeID: budi.ID, Date: day1().AddDays(n), Text: "Laporan", Mode: apel.WFH, UpdatedAt: at(15, 0)}
		if _, err := db.RecordActivity(ctx, a, 0, at(15, 0)); err != nil {
			t.Fatalf("RecordActivity: %v", err)
		}
	}

	from, to := apel.MonthOf(day1())
	got, err := db.Month(ctx, from, to, testOPDs())
	if err != nil {
		t.Fatalf("Month(%s, %s): %v", from, to, err)
	}
	var dates []apel.Date
	for _, d := range got {
		dates = append(dates, d.Date)
	}
	if want := []apel.Date{day1(), day1().AddDays(1), day1().AddDays(5)}; !cmp.Equal(want, dates) {
		t.Fatalf("Month dates = %v, want %v (dates with a session, in order)", dates, want)
	}
	// Each date's records are what Day reads for that date, with only the
	// judgement of each check-in.
	for _, d := range got {
		want, err := db.Day(ctx, d.Date, testOPDs())
		if err != nil {
			t.Fatalf("Day(%s): %v", d.Date, err)
		}
		for i, c := range want.CheckIns {
			want.CheckIns[i] = apel.CheckIn{ID: c.ID, SessionID: c.SessionID, EmployeeID: c.EmployeeID, Fix: apel.Fix{At: c.Fix.At},
				Mode: c.Mode, Verdict: apel.Verdict{Late: c.Late, LateBy: c.LateBy, InPlace: c.InPlace}}
		}
		if diff := cmp.Diff(want, d); diff != "" {
			t.Errorf("Month's %s differs from Day (-Day +Month):\n%s", d.Date, diff)
		}
	}
	if len(got[0].CheckIns) != 5 || len(got[1].Excuses) != 1 || len(got[1].Activities) != 1 || len(got[2].Excuses) != 0 {
		t.Errorf("Month records: %d check-ins on day 1, %d excuses and %d reports on day 2, %d excuses on day 6; want 5, 1, 1, 0",
			len(got[0].CheckIns), len(got[1].Excuses), len(got[1].Activities), len(got[2].Excuses))
	}
	if c := got[2].CheckIns[1]; !c.Late || c.LateBy != 3*time.Minute || c.InPlace || c.Mode != apel.WFH {
		t.Errorf("Month's late WFH check-in out of place on day 6 = %+v", c)
	}
	if &got[0].Employees[0] != &got[2].Employees[0] {
		t.Error("Month's days have their own roster copies, want one shared slice")
	}

	if days, err := db.Month(ctx, day1().AddDays(2), day1().AddDays(4), testOPDs()); err != nil || len(days) != 0 {
		t.Errorf("Month of dates without sessions = %v, %v; want none", days, err)
	}
	if _, err := db.Month(ctx, to, from, testOPDs()); err == nil {
		t.Errorf("Month(%s, %s), reversed: nil error, want one", to, from)
	}
}
