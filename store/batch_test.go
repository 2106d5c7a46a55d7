package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// register binds Telegram ids 1001, 1002, ... to the test roster, in
// order, and returns the employees by Telegram id.
func register(t *testing.T, db *store.DB) map[int64]apel.Employee {
	t.Helper()
	out := map[int64]apel.Employee{}
	for i, e := range testRoster() {
		id := int64(1001 + i)
		got, err := db.BindTelegram(context.Background(), e.NIP, id, at(6, 0))
		if err != nil {
			t.Fatalf("BindTelegram(%s): %v", e.NIP, err)
		}
		out[id] = got
	}
	return out
}

func saveUpdates(t *testing.T, db *store.DB, ids ...int64) {
	t.Helper()
	var ups []apel.Inbound
	for _, id := range ids {
		ups = append(ups, apel.Inbound{ID: id, Raw: []byte(fmt.Sprintf(`{"update_id":%d}`, id))})
	}
	if err := db.SaveUpdates(context.Background(), ups, at(7, 0)); err != nil {
		t.Fatalf("SaveUpdates: %v", err)
	}
}

func TestRecordCheckIns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	budi, ani := emps[testRoster()[0].NIP], emps[testRoster()[1].NIP]
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	earlier := checkIn(pagi.ID, ani.ID)
	earlier.UpdateID = 5
	if _, err := db.RecordCheckIn(ctx, earlier); err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	saveUpdates(t, db, 10, 11, 12, 13)

	batch := apel.CheckInBatch{At: at(7, 25), Done: []int64{10, 11, 12, 13, 999}}
	for i, c := range []apel.CheckIn{checkIn(pagi.ID, budi.ID), checkIn(pagi.ID, ani.ID), checkIn(sore.ID, ani.ID), checkIn(pagi.ID, budi.ID)} {
		c.UpdateID = int64(10 + i)
		batch.CheckIns = append(batch.CheckIns, c)
	}
	var seen []apel.Recorded
	recs, err := db.RecordCheckIns(ctx, batch, func(rs []apel.Recorded) []apel.Outbound {
		seen = rs
		var out []apel.Outbound
		for i, r := range rs {
			out = append(out, apel.Outbound{Key: fmt.Sprintf("reply:%d", batch.CheckIns[i].UpdateID), ChatID: 1001,
				Text: fmt.Sprintf("duplicate=%t id=%d", r.Duplicate, r.CheckIn.ID)})
		}
		return out
	})
	if err != nil {
		t.Fatalf("RecordCheckIns: %v", err)
	}
	if diff := cmp.Diff(recs, seen); diff != "" {
		t.Errorf("replies saw other outcomes than returned (-returned +seen):\n%s", diff)
	}
	wantDup := []bool{false, true, false, true}
	for i, r := range recs {
		if r.Duplicate != wantDup[i] || r.CheckIn.ID == 0 {
			t.Errorf("outcome %d: %+v, want duplicate=%t with an ID", i, r, wantDup[i])
		}
	}
	if recs[1].CheckIn.UpdateID != 5 {
		t.Errorf("duplicate of an earlier check-in: got update %d, want the earlier check-in's 5", recs[1].CheckIn.UpdateID)
	}
	if recs[3].CheckIn.ID != recs[0].CheckIn.ID {
		t.Errorf("second check-in of one person in one batch: got %d, want the first one's %d", recs[3].CheckIn.ID, recs[0].CheckIn.ID)
	}
	if got, err := db.CheckIn(ctx, sore.ID, ani.ID); err != nil || got.ID != recs[2].CheckIn.ID || got.UpdateID != 12 {
		t.Errorf("CheckIn(sore, ani) = %+v, %v; want the one recorded by update 12", got, err)
	}
	for _, id := range []int64{10, 11, 12, 13} {
		if done, err := db.UpdateDone(ctx, id); err != nil || !done {
			t.Errorf("UpdateDone(%d) = %t, %v; want true", id, done, err)
		}
	}
	due, err := db.DueOutbound(ctx, at(7, 26), 10)
	if err != nil || len(due) != 4 {
		t.Fatalf("DueOutbound = %d messages, %v; want the 4 replies", len(due), err)
	}

	// Replayed: nothing new is stored or queued.
	again, err := db.RecordCheckIns(ctx, batch, func(rs []apel.Recorded) []apel.Outbound {
		return []apel.Outbound{{Key: "reply:10", ChatID: 1001, Text: "again"}}
	})
	if err != nil {
		t.Fatalf("RecordCheckIns again: %v", err)
	}
	for i, r := range again {
		if !r.Duplicate || r.CheckIn.ID != recs[i].CheckIn.ID && !recs[i].Duplicate {
			t.Errorf("replayed outcome %d: %+v, want a duplicate of %d", i, r, recs[i].CheckIn.ID)
		}
	}
	if due, _ := db.DueOutbound(ctx, at(7, 26), 10); len(due) != 4 || due[0].Text == "again" {
		t.Errorf("after the replay the outbox holds %v, want the 4 first replies only", due)
	}
}

func TestRecordCheckInsUnknownSessionRecordsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani := emps[testRoster()[1].NIP]
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	saveUpdates(t, db, 1)
	_, err := db.RecordCheckIns(ctx, apel.CheckInBatch{At: at(7, 25), Done: []int64{1},
		CheckIns: []apel.CheckIn{checkIn(pagi.ID, ani.ID), checkIn(999, ani.ID)}}, nil)
	if !errors.Is(err, apel.ErrNotFound) {
		t.Fatalf("RecordCheckIns with an unknown session: %v, want an error wrapping apel.ErrNotFound", err)
	}
	if _, err := db.CheckIn(ctx, pagi.ID, ani.ID); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("after the failed batch CheckIn = %v, want nothing recorded", err)
	}
	if done, _ := db.UpdateDone(ctx, 1); done {
		t.Errorf("after the failed batch update 1 is done, want it pending")
	}
}

func TestRecordCheckInsLargeBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	var roster []apel.Employee
	for i := range 600 {
		roster = append(roster, apel.Employee{NIP: fmt.Sprintf("1985031220100110%02d", i%100)[:15] + fmt.Sprintf("%03d", i),
			Name: fmt.Sprintf("P %d", i), OPD: "DINKES", Role: apel.RoleStaff, Active: true})
	}
	if _, err := db.ImportRoster(ctx, roster, at(6, 0)); err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	all, err := db.EmployeesOf(ctx, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpenSession(t, db, "DINKES", apel.Pagi)
	var b apel.CheckInBatch
	for _, e := range all {
		b.CheckIns = append(b.CheckIns, checkIn(s.ID, e.ID))
	}
	recs, err := db.RecordCheckIns(ctx, b, nil)
	if err != nil {
		t.Fatalf("RecordCheckIns of %d: %v", len(b.CheckIns), err)
	}
	for i, r := range recs {
		if r.Duplicate || r.CheckIn.EmployeeID != all[i].ID || r.CheckIn.ID == 0 {
			t.Fatalf("outcome %d: %+v, want employee %d stored", i, r, all[i].ID)
		}
	}
	if n, _ := db.CountCheckIns(ctx, s.ID); n != len(all) {
		t.Errorf("CountCheckIns = %d, want %d", n, len(all))
	}
}

func TestBatchReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	byTG := register(t, db)

	got, err := db.EmployeesByTelegram(ctx, []int64{1001, 1003, 42})
	if err != nil || len(got) != 2 || got[1001].ID != byTG[1001].ID || got[1003].ID != byTG[1003].ID {
		t.Errorf("EmployeesByTelegram(1001, 1003, 42) = %v, %v; want 1001 and 1003", got, err)
	}

	if err := db.SetAwaiting(ctx, 1002, "home", at(8, 0)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetAwaiting(ctx, 1003, "home", at(7, 0)); err != nil {
		t.Fatal(err)
	}
	aw, err := db.AwaitingOf(ctx, []int64{1001, 1002, 1003}, at(7, 30))
	if err != nil || !cmp.Equal(aw, map[int64]string{1002: "home"}) {
		t.Errorf("AwaitingOf at 07:30 = %v, %v; want only 1002 (1003 expired)", aw, err)
	}

	if _, err := db.MarkUnreachable(ctx, 1002, at(7, 0)); err != nil {
		t.Fatal(err)
	}
	back, err := db.MarkReachableAll(ctx, []int64{1001, 1002})
	if err != nil || !cmp.Equal(back, []int64{1002}) {
		t.Errorf("MarkReachableAll(1001, 1002) = %v, %v; want [1002]", back, err)
	}

	ani := byTG[1002]
	hp, err := db.ProposeHomePoint(ctx, ani.ID, apel.Point{Lat: -6.9, Lon: 107.6}, 10, at(6, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DecideHomePoint(ctx, hp.ID, true, byTG[1001].ID, at(6, 5)); err != nil {
		t.Fatal(err)
	}
	homes, err := db.ApprovedHomes(ctx, []int64{ani.ID, byTG[1001].ID})
	if err != nil || len(homes) != 1 || homes[ani.ID].ID != hp.ID {
		t.Errorf("ApprovedHomes = %v, %v; want Ani's only", homes, err)
	}
}

// TestSessionsAtAgreesWithSessionAt compares the batch with the one-by-one
// lookup at every quarter hour of two days.
func TestSessionsAtAgreesWithSessionAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	mustOpenSession(t, db, "DINKES", apel.Pagi)
	next := slot(apel.Pagi)
	next.Date = next.Date.AddDays(1)
	for _, p := range []*time.Time{&next.Apel, &next.Opens, &next.LateFrom, &next.RemindAt, &next.Closes} {
		*p = p.Add(24 * time.Hour)
	}
	if _, _, err := db.OpenSession(ctx, apel.Session{OPD: "DINKES", Slot: next}); err != nil {
		t.Fatal(err)
	}
	var opds []string
	var ts []time.Time
	for t0 := at(0, 0); t0.Before(at(0, 0).Add(48 * time.Hour)); t0 = t0.Add(15 * time.Minute) {
		for _, o := range []string{"DISKOMINFO", "DINKES", "NOPE"} {
			opds, ts = append(opds, o), append(ts, t0)
		}
	}
	got, err := db.SessionsAt(ctx, opds, ts)
	if err != nil {
		t.Fatalf("SessionsAt: %v", err)
	}
	for i := range opds {
		want, err := db.SessionAt(ctx, opds[i], ts[i])
		if errors.Is(err, apel.ErrNotFound) {
			want = apel.Session{}
		} else if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("SessionsAt %s at %s differs from SessionAt (-want +got):\n%s", opds[i], ts[i].In(wib()).Format("Jan 2 15:04"), diff)
		}
	}
}

func TestPlanStamps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	byTG := register(t, db)
	stamps := func() map[string]int64 {
		t.Helper()
		s, err := db.PlanStamps(ctx, []string{"DISKOMINFO", "DINKES", "NOPE"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := stamps()
	if before["NOPE"] != 0 || before["DISKOMINFO"] == 0 || before["DINKES"] == 0 {
		t.Fatalf("PlanStamps after the roster import = %v, want both OPDs stamped, NOPE 0", before)
	}
	// What plans do not read leaves the stamps alone.
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps[testRoster()[1].NIP]
	if _, err := db.RecordCheckIn(ctx, checkIn(s.ID, ani.ID)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetLanguage(ctx, ani.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkUnreachable(ctx, byTG[1002].TelegramID, at(7, 0)); err != nil {
		t.Fatal(err)
	}
	if after := stamps(); !cmp.Equal(after, before) {
		t.Errorf("check-in, language, unreachable changed the stamps %v to %v", before, after)
	}
	// An excuse moves its OPD's stamp only.
	if err := db.RecordExcuse(ctx, apel.Excuse{EmployeeID: ani.ID, Date: day1(), Kind: apel.Sakit, By: ani.ID}, at(7, 0)); err != nil {
		t.Fatal(err)
	}
	after := stamps()
	if after["DISKOMINFO"] == before["DISKOMINFO"] || after["DINKES"] != before["DINKES"] {
		t.Errorf("an excuse in DISKOMINFO moved the stamps %v to %v, want DISKOMINFO's only", before, after)
	}
	// A roster change moves the stamp of the OPD it touches.
	before = after
	roster := testRoster()
	roster[2].Position = "Perawat Ahli"
	if _, err := db.ImportRoster(ctx, roster, at(8, 0)); err != nil {
		t.Fatal(err)
	}
	after = stamps()
	if after["DINKES"] == before["DINKES"] || after["DISKOMINFO"] != before["DISKOMINFO"] {
		t.Errorf("a DINKES roster change moved the stamps %v to %v, want DINKES's only", before, after)
	}
}
