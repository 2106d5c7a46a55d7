package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// checkIn returns a plain on-time WFO check-in.
func checkIn(sessionID, employeeID int64) apel.CheckIn {
	return apel.CheckIn{
		SessionID: sessionID, EmployeeID: employeeID,
		Fix:        apel.Fix{Point: apel.Point{Lat: -6.9175, Lon: 107.6191}, Accuracy: 10, At: at(7, 20), Live: true},
		RecordedAt: at(7, 20).Add(1500 * time.Millisecond),
		Mode:       apel.WFO, ModeReason: apel.ModeByWeekday,
		Verdict:  apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Distance: 12.5},
		UpdateID: 1,
	}
}

func TestRecordCheckInRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps[testRoster()[1].NIP]
	// Every field set to a non-zero value.
	in := apel.CheckIn{
		SessionID: s.ID, EmployeeID: ani.ID,
		Fix: apel.Fix{Point: apel.Point{Lat: -6.123456789012, Lon: 106.987654321098}, Accuracy: 23.75,
			At: at(7, 48).Add(250 * time.Millisecond), Live: true, Forwarded: true, Venue: true},
		RecordedAt: at(7, 48).Add(2*time.Second + 999*time.Millisecond),
		Mode:       apel.WFH, ModeReason: apel.ModeByRole,
		Verdict: apel.Verdict{Late: true, LateBy: 3 * time.Minute, Place: apel.PlaceHome, InPlace: true,
			Distance: 1234.5678, Note: apel.ReasonNoHomePoint},
		UpdateID: 987654321,
	}
	rec, err := db.RecordCheckIn(ctx, in)
	if err != nil {
		t.Fatalf("RecordCheckIn(%+v): %v", in, err)
	}
	if rec.ID == 0 {
		t.Errorf("RecordCheckIn: got ID 0, want an ID")
	}
	want := in
	want.ID = rec.ID
	got, err := db.CheckIn(ctx, s.ID, ani.ID)
	if err != nil {
		t.Fatalf("CheckIn(%d, %d): %v", s.ID, ani.ID, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckIn(%d, %d) round trip (-want +got):\n%s", s.ID, ani.ID, diff)
	}
	of, err := db.CheckInsOf(ctx, s.ID)
	if diff := cmp.Diff([]apel.CheckIn{want}, of); err != nil || diff != "" {
		t.Errorf("CheckInsOf(%d): err %v, (-want +got):\n%s", s.ID, err, diff)
	}
}

func TestRecordCheckInDuplicate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps[testRoster()[1].NIP]
	if _, err := db.RecordCheckIn(ctx, checkIn(s.ID, ani.ID)); err != nil {
		t.Fatalf("RecordCheckIn(first): %v", err)
	}
	again := checkIn(s.ID, ani.ID)
	again.UpdateID = 2
	_, err := db.RecordCheckIn(ctx, again)
	if !errors.Is(err, apel.ErrConflict) {
		t.Errorf("RecordCheckIn(second, same session and employee): got %v, want apel.ErrConflict", err)
	}
	if n, err := db.CountCheckIns(ctx, s.ID); err != nil || n != 1 {
		t.Errorf("CountCheckIns(%d): got %d, %v; want 1", s.ID, n, err)
	}
	// The same person in another session is fine.
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	if _, err := db.RecordCheckIn(ctx, checkIn(sore.ID, ani.ID)); err != nil {
		t.Errorf("RecordCheckIn(sore): got %v, want nil", err)
	}
	if _, err := db.RecordCheckIn(ctx, checkIn(s.ID, 999)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("RecordCheckIn(unknown employee): got %v, want apel.ErrNotFound", err)
	}
}

// TestRecordCheckInConcurrent shows that concurrent writers queue instead of
// failing with SQLITE_BUSY. It fails when the writer pool grows past one
// connection with deferred transactions (BindTelegram reads before it writes,
// and SQLite cannot wait out a lock upgrade); BEGIN IMMEDIATE passes either way.
func TestRecordCheckInConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if err := db.SyncOPDs(ctx, testOPDs()); err != nil {
		t.Fatalf("SyncOPDs: %v", err)
	}
	const n = 8
	var roster []apel.Employee
	for i := range n {
		roster = append(roster, apel.Employee{NIP: fmt.Sprintf("19900101201501%04d", i), Name: fmt.Sprintf("ASN %d", i),
			OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true})
	}
	ch, err := db.ImportRoster(ctx, roster, at(6, 0))
	if err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, e := range ch.Added {
		wg.Go(func() {
			// Read, then write, as the bot does: the read goes to the reader
			// pool while other goroutines hold the writer; BindTelegram is a
			// transaction that reads before it writes.
			if _, err := db.EmployeeByNIP(ctx, e.NIP); err != nil {
				errs <- err
				return
			}
			if _, err := db.BindTelegram(ctx, e.NIP, 5000+e.ID, at(7, 0)); err != nil {
				errs <- fmt.Errorf("employee %d: %w", e.ID, err)
				return
			}
			if _, err := db.RecordCheckIn(ctx, checkIn(s.ID, e.ID)); err != nil {
				errs <- fmt.Errorf("employee %d: %w", e.ID, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent BindTelegram + RecordCheckIn: got %v, want nil", err)
	}
	if got, err := db.CountCheckIns(ctx, s.ID); err != nil || got != n {
		t.Errorf("CountCheckIns after %d concurrent check-ins: got %d, %v; want %d", n, got, err, n)
	}
}

func TestCheckInsOfDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	next, _, err := db.OpenSession(ctx, apel.Session{OPD: "DISKOMINFO", Slot: apel.Slot{
		Date: day1().AddDays(1), Kind: apel.Pagi, Apel: at(7, 30).AddDate(0, 0, 1), Opens: at(7, 0).AddDate(0, 0, 1),
		LateFrom: at(7, 45).AddDate(0, 0, 1), RemindAt: at(8, 15).AddDate(0, 0, 1), Closes: at(8, 30).AddDate(0, 0, 1),
	}})
	if err != nil {
		t.Fatalf("OpenSession(next day): %v", err)
	}
	ani := emps[testRoster()[1].NIP]
	for _, sid := range []int64{pagi.ID, next.ID} {
		if _, err := db.RecordCheckIn(ctx, checkIn(sid, ani.ID)); err != nil {
			t.Fatalf("RecordCheckIn(%d): %v", sid, err)
		}
	}
	got, err := db.CheckIns(ctx, day1())
	if err != nil || len(got) != 1 || got[0].SessionID != pagi.ID {
		t.Errorf("CheckIns(%s): got %+v, %v; want one check-in of session %d", day1(), got, err, pagi.ID)
	}
}
