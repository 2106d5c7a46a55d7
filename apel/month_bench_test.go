package apel_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// syntheticMonth builds, in memory, the working days of January 2026 (22,
// Monday to Friday) for opds OPDs of perOPD staff each, both sessions held
// every day: most people on time, some late, some out of place, a few
// excused or absent, and activity reports from most off-site staff. Every
// Day shares one roster slice, as store.Month returns it.
func syntheticMonth(tb testing.TB, opds, perOPD int) apel.EvaluationInput {
	tb.Helper()
	in := apel.EvaluationInput{Pemda: "Kota Contoh", From: jan(1), To: jan(31), Planner: benchPolicy(), Threshold: apel.DefaultThreshold}
	var emps []apel.Employee
	for o := range opds {
		code := fmt.Sprintf("OPD%04d", o+1)
		in.OPDs = append(in.OPDs, apel.OPD{Code: code, Name: "Dinas " + code, DirectService: o%10 == 0})
		for e := range perOPD {
			id := int64(o*perOPD + e + 1)
			emps = append(emps, apel.Employee{ID: id, Name: fmt.Sprintf("Pegawai %06d", id), OPD: code, Role: apel.RoleStaff, Active: true})
		}
	}
	var sid, cid int64
	for d := jan(1); !in.To.Before(d); d = d.AddDays(1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		day := apel.Day{Date: d, OPDs: in.OPDs, Employees: emps}
		for _, o := range in.OPDs {
			for _, k := range []apel.SessionKind{apel.Pagi, apel.Sore} {
				sid++
				day.Sessions = append(day.Sessions, apel.Session{ID: sid, OPD: o.Code, Slot: apel.Slot{Date: d, Kind: k}, Closed: true})
			}
		}
		for i, e := range emps {
			n := i + d.Day
			if n%31 == 0 {
				if d.Day%2 == 0 {
					day.Excuses = append(day.Excuses, apel.Excuse{EmployeeID: e.ID, Date: d, Kind: apel.Cuti})
				}
				continue
			}
			mode := modeOn(in.OPDs[i/perOPD], d)
			if mode.OffSite() && n%7 != 0 {
				day.Activities = append(day.Activities, apel.Activity{EmployeeID: e.ID, Date: d, Mode: mode})
			}
			first := day.Sessions[len(day.Sessions)-2*opds+2*(i/perOPD)].ID
			for k := range int64(2) {
				if (n+int(k))%23 == 0 {
					continue // TK
				}
				cid++
				v := apel.Verdict{Place: apel.PlaceOf(mode), InPlace: n%17 != 0, Late: n%13 == 0}
				day.CheckIns = append(day.CheckIns, apel.CheckIn{ID: cid, SessionID: first + k, EmployeeID: e.ID, Mode: mode, Verdict: v})
			}
		}
		in.Days = append(in.Days, day)
		in.Facts.Excuses = append(in.Facts.Excuses, day.Excuses...)
	}
	in.Facts.Staff = emps
	if len(in.Days) != 22 {
		tb.Fatalf("January 2026 has %d working days here, want 22", len(in.Days))
	}
	return in
}

// benchPolicy is the policy engine with the week of modeOn, so that the
// benchmark measures the real planner.
func benchPolicy() apel.Policy {
	day := func(m apel.Mode) apel.DayRule {
		return apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: m}
	}
	return apel.Policy{
		Location: time.FixedZone("WIT", 9*3600),
		Days: map[time.Weekday]apel.DayRule{time.Monday: day(apel.WFO), time.Tuesday: day(apel.WFH), time.Wednesday: day(apel.WFH),
			time.Thursday: day(apel.WFA), time.Friday: day(apel.WFO)},
		Window:  apel.Window{OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute, CloseAfter: time.Hour, RemindBefore: 15 * time.Minute},
		RadiusM: 100,
	}
}

// BenchmarkEvaluate evaluates a month of 50,000 ASN in 1,000 OPDs over 22
// working days with both sessions held (2.2 million attendance lines),
// with the policy engine as the planner. Building the month is not timed.
//
//	go test ./apel -run '^$' -bench Evaluate -benchtime 3x -benchmem
func BenchmarkEvaluate(b *testing.B) {
	in := syntheticMonth(b, 1000, 50)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e := apel.Evaluate(in)
		if e.Total.Headcount != 22*2*50000 {
			b.Fatalf("evaluated %d attendance lines, want %d", e.Total.Headcount, 22*2*50000)
		}
	}
}

// TestSyntheticMonth checks the benchmark's month on a small scale, so the
// benchmark measures what it claims.
func TestSyntheticMonth(t *testing.T) {
	t.Parallel()
	e := apel.Evaluate(syntheticMonth(t, 20, 10))
	if e.Total.Headcount != 22*2*200 || len(e.Days) != 22 || len(e.Weeks) != 5 || e.Total.Present == 0 || e.Total.Late == 0 ||
		e.Total.Absent == 0 || e.Excuses.Cuti == 0 || e.Activity.Reported == 0 || e.Activity.Missing() == 0 {
		t.Errorf("synthetic month evaluates to %+v, want every kind of line", e.Total)
	}
}
