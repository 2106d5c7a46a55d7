package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// BenchmarkMonth reads a month of a large pemda with Month: 50,000 ASN in
// 1,000 OPDs, 22 working days of January 2026 with both sessions held
// (44,000 sessions, about 2.1 million check-ins), excuses and activity
// reports. The database is generated first, in one transaction of plain
// INSERTs (not timed; it takes a minute or so), in b.TempDir.
//
//	go test ./store -run '^$' -bench Month -benchtime 1x -benchmem -timeout 30m
//
// The "evaluate" sub-benchmark adds the person records the plans read
// (Facts) and apel.Evaluate with the policy engine: the whole monthly
// evaluation behind `apelbot report -month`.
func BenchmarkMonth(b *testing.B) {
	const opds, perOPD = 1000, 50
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "month.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	list, rows := generateMonth(b, db, opds, perOPD)
	b.Logf("generated %d OPDs, %d employees, %d rows in %v", opds, opds*perOPD, rows, time.Since(start).Round(time.Second))
	from, to := apel.MonthOf(apel.Date{Year: 2026, Month: time.January, Day: 1})

	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			days, err := db.Month(ctx, from, to, list)
			if err != nil {
				b.Fatal(err)
			}
			if len(days) != 22 {
				b.Fatalf("Month read %d days, want 22", len(days))
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		day := func(m apel.Mode) apel.DayRule {
			return apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: m}
		}
		policy := apel.Policy{
			Location: time.FixedZone("WITA", 8*3600),
			Days: map[time.Weekday]apel.DayRule{time.Monday: day(apel.WFO), time.Tuesday: day(apel.WFH), time.Wednesday: day(apel.WFO),
				time.Thursday: day(apel.WFO), time.Friday: day(apel.WFO)},
			Window:  apel.Window{OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute, CloseAfter: time.Hour, RemindBefore: 15 * time.Minute},
			RadiusM: 100,
		}
		for b.Loop() {
			days, err := db.Month(ctx, from, to, list)
			if err != nil {
				b.Fatal(err)
			}
			facts, err := db.Facts(ctx, "", apel.MondayOf(from), to)
			if err != nil {
				b.Fatal(err)
			}
			e := apel.Evaluate(apel.EvaluationInput{Pemda: "Kota Contoh", From: from, To: to, OPDs: list, Days: days,
				Planner: policy, Facts: facts, Threshold: apel.DefaultThreshold})
			if e.Total.Headcount != 22*2*opds*perOPD {
				b.Fatalf("evaluated %d lines, want %d", e.Total.Headcount, 22*2*opds*perOPD)
			}
		}
	})
}

// generateMonth fills db with the benchmark's pemda and month and returns
// the OPDs and the number of rows written.
func generateMonth(b *testing.B, db *DB, opds, perOPD int) ([]apel.OPD, int) {
	b.Helper()
	ctx := context.Background()
	loc := time.FixedZone("WITA", 8*3600)
	var list []apel.OPD
	for o := range opds {
		list = append(list, apel.OPD{Code: fmt.Sprintf("OPD%04d", o+1), Name: fmt.Sprintf("Dinas Nomor %d", o+1),
			Office: apel.Point{Lat: -5.1, Lon: 119.4}, DirectService: o%10 == 0})
	}
	if err := db.SyncOPDs(ctx, list); err != nil {
		b.Fatal(err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer rollback(tx)
	exec := func(q string, args ...any) {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	prep := func(q string) func(args ...any) {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return func(args ...any) {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	rows := 0
	addEmp := prep(`INSERT INTO employees (id, nip, name, opd, position, role, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'Pelaksana', 'staff', 1, 0, 0)`)
	for o := range opds {
		for e := range perOPD {
			id := o*perOPD + e + 1
			addEmp(id, fmt.Sprintf("19850312%010d", id), fmt.Sprintf("Pegawai %06d", id), list[o].Code)
			rows++
		}
	}
	addSession := prep(`INSERT INTO sessions (id, opd, date, kind, apel_at, opens_at, late_from, remind_at, closes_at, utc_offset, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 28800, ?)`)
	addCheckIn := prep(`INSERT INTO check_ins (session_id, employee_id, lat, lon, accuracy, fix_at, live, forwarded, venue,
		recorded_at, mode, mode_reason, late, late_by_ms, place, in_place, distance, note, update_id)
		VALUES (?, ?, -5.1, 119.4, 10, ?, 0, 0, 0, ?, ?, 'weekday', ?, ?, ?, 1, 12.5, '', 0)`)
	addExcuse := prep(`INSERT INTO excuses (employee_id, date, kind, recorded_by, recorded_at) VALUES (?, ?, 'cuti', 1, 0)`)
	addActivity := prep(`INSERT INTO activities (employee_id, date, text, mode, sent_at, updated_at) VALUES (?, ?, 'Menyusun laporan', 'WFH', 0, 0)`)
	sid := 0
	for day := 1; day <= 31; day++ {
		d := apel.Date{Year: 2026, Month: time.January, Day: day}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for o := range opds {
			wfh := !list[o].DirectService && d.Weekday() == time.Tuesday
			for k, kind := range []apel.SessionKind{apel.Pagi, apel.Sore} {
				sid++
				apelAt := d.At(apel.Clock{Hour: 7 + 9*k, Minute: 30}, loc)
				addSession(sid, list[o].Code, d.String(), string(kind), apelAt.UnixMilli(), apelAt.Add(-15*time.Minute).UnixMilli(),
					apelAt.Add(5*time.Minute).UnixMilli(), apelAt.Add(45*time.Minute).UnixMilli(), apelAt.Add(time.Hour).UnixMilli(),
					apelAt.Add(time.Hour).UnixMilli())
				rows++
				for e := range perOPD {
					id := o*perOPD + e + 1
					n := id + day
					if n%31 == 0 {
						if k == 0 {
							addExcuse(id, d.String())
							rows++
						}
						continue
					}
					if (n+k)%23 == 0 {
						continue // TK
					}
					mode, place := "WFO", "office"
					if wfh {
						mode, place = "WFH", "home"
					}
					late, lateBy := 0, 0
					at := apelAt.Add(time.Duration(-10+n%10) * time.Minute)
					if n%13 == 0 {
						late, lateBy, at = 1, 4*60000, apelAt.Add(9*time.Minute)
					}
					addCheckIn(sid, id, at.UnixMilli(), at.Add(time.Second).UnixMilli(), mode, late, lateBy, place)
					rows++
					if wfh && k == 1 && n%7 != 0 {
						addActivity(id, d.String())
						rows++
					}
				}
			}
		}
	}
	exec(`ANALYZE`)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return list, rows
}
