package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// BenchmarkGroupCommit compares the two ways of making a getUpdates answer's
// worth of check-ins (100) durable, each commit synchronous (WAL,
// synchronous=FULL), on a database file in b.TempDir:
//
//   - commit=per-update: one transaction per check-in (RecordCheckIn), as a
//     handler per update would do; it does not even queue the replies;
//   - commit=batched: one transaction for the 100 (RecordCheckIns), with
//     their replies queued in the outbox and their updates marked done, as
//     the bot does.
//
// One op is 100 check-ins. For the claim in docs/PERFORMANCE.md:
//
//	go test ./store -run '^$' -bench GroupCommit -count 10 | tee gc.txt
//	benchstat -col /commit gc.txt
func BenchmarkGroupCommit(b *testing.B) {
	const batch, staff = 100, 500
	for _, mode := range []string{"per-update", "batched"} {
		b.Run("commit="+mode, func(b *testing.B) {
			ctx := context.Background()
			db, err := store.Open(ctx, filepath.Join(b.TempDir(), "commit.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			opd := apel.OPD{Code: "OPD01", Name: "Dinas Uji", Office: apel.Point{Lat: -6.9, Lon: 107.6}}
			if err := db.SyncOPDs(ctx, []apel.OPD{opd}); err != nil {
				b.Fatal(err)
			}
			var roster []apel.Employee
			for i := range staff {
				roster = append(roster, apel.Employee{NIP: fmt.Sprintf("19850312201001%d%03d", 1+i/999, 1+i%999), Name: fmt.Sprintf("Pegawai %03d", i),
					OPD: opd.Code, Position: "Pelaksana", Role: apel.RoleStaff, Active: true})
			}
			if _, err := db.ImportRoster(ctx, roster, time.Unix(0, 0)); err != nil {
				b.Fatal(err)
			}
			emps, err := db.Employees(ctx)
			if err != nil || len(emps) != staff {
				b.Fatalf("Employees: %d, %v", len(emps), err)
			}
			loc := time.FixedZone("WIB", 7*3600)
			var sess apel.Session
			update := int64(0)
			b.ResetTimer()
			for i := range b.N {
				first := i * batch % staff
				if first == 0 { // everyone checked in: the next day's session
					b.StopTimer()
					d := apel.Date{Year: 2026, Month: time.January, Day: 1}.AddDays(i * batch / staff)
					apelAt := d.At(apel.Clock{Hour: 7, Minute: 30}, loc)
					sess, _, err = db.OpenSession(ctx, apel.Session{OPD: opd.Code, Slot: apel.Slot{Date: d, Kind: apel.Pagi, Apel: apelAt,
						Opens: apelAt.Add(-30 * time.Minute), LateFrom: apelAt.Add(15 * time.Minute), RemindAt: apelAt.Add(45 * time.Minute),
						Closes: apelAt.Add(time.Hour)}})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				now := sess.Apel.Add(-10 * time.Minute)
				cs := make([]apel.CheckIn, batch)
				for j := range cs {
					update++
					cs[j] = apel.CheckIn{SessionID: sess.ID, EmployeeID: emps[first+j].ID,
						Fix:        apel.Fix{Point: opd.Office, Accuracy: 10, At: now, Live: true},
						RecordedAt: now, Mode: apel.WFO, ModeReason: apel.ModeByWeekday,
						Verdict: apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Distance: 12.5}, UpdateID: update}
				}
				if mode == "per-update" {
					for _, c := range cs {
						if _, err := db.RecordCheckIn(ctx, c); err != nil {
							b.Fatal(err)
						}
					}
					continue
				}
				done := make([]int64, batch)
				for j, c := range cs {
					done[j] = c.UpdateID
				}
				_, err := db.RecordCheckIns(ctx, apel.CheckInBatch{CheckIns: cs, Done: done, At: now},
					func(rs []apel.Recorded) []apel.Outbound {
						out := make([]apel.Outbound, len(rs))
						for j := range rs {
							out[j] = apel.Outbound{Key: fmt.Sprintf("reply:%d", cs[j].UpdateID), ChatID: 1000 + int64(j),
								Text: "Kehadiran Anda tercatat."}
						}
						return out
					})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "checkins/s")
		})
	}
}
