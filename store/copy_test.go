package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// populate fills db through the store's API with a little of everything:
// staff, Telegram accounts, a group, sessions, check-ins, an excuse, a
// request with its trail, a home point, an activity report, a correction,
// queued messages with markup, raw updates, a job and a conversation state.
func populate(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	emps := mustSeed(t, db)
	register(t, db)
	ani, cahyo, budi := emps["199001012015032001"], emps["198807172012121003"], emps["198503122010011002"]
	if err := db.BindGroup(ctx, "DINKES", -100, cahyo.ID, at(6, 0)); err != nil {
		t.Fatalf("BindGroup: %v", err)
	}
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	if _, err := db.RecordCheckIn(ctx, checkIn(pagi.ID, ani.ID)); err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	if _, err := db.RecordCheckIn(ctx, checkIn(pagi.ID, budi.ID)); err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	if err := db.RecordExcuse(ctx, apel.Excuse{EmployeeID: cahyo.ID, Date: day1(), Kind: apel.Sakit, By: cahyo.ID}, at(7, 0)); err != nil {
		t.Fatalf("RecordExcuse: %v", err)
	}
	if _, err := db.CreateRequest(ctx, apel.Request{EmployeeID: ani.ID, Kind: apel.RequestWFA, From: day1().AddDays(1),
		To: day1().AddDays(2), Reason: "kunjungan lapangan — Ñ"}, at(8, 0)); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	if _, err := db.ProposeHomePoint(ctx, ani.ID, apel.Point{Lat: -6.912345678901, Lon: 107.6}, 12.5, at(6, 0)); err != nil {
		t.Fatalf("ProposeHomePoint: %v", err)
	}
	if _, err := db.RecordActivity(ctx, apel.Activity{EmployeeID: ani.ID, Date: day1(), Text: "Menyusun draf SOP",
		Mode: apel.WFH, UpdatedAt: at(10, 15)}, 501, at(10, 16)); err != nil {
		t.Fatalf("RecordActivity: %v", err)
	}
	if _, err := db.RecordCorrection(ctx, apel.Correction{SessionID: pagi.ID, EmployeeID: ani.ID, Before: apel.StatusAbsent,
		After: apel.StatusOnTime, Mode: apel.WFH, Reason: apel.CorrectGPSError, Note: "sinyal hilang",
		By: budi.ID, ByTelegram: 1001, At: at(9, 0)}); err != nil {
		t.Fatalf("RecordCorrection: %v", err)
	}
	if _, err := db.QueueOutbound(ctx, apel.Outbound{Key: "prompt:1", Priority: 1, ChatID: -100, Text: "<b>Apel</b>",
		Markup: []byte(`{"inline_keyboard":[]}`), SessionID: pagi.ID, AtMostOnce: true, Expires: pagi.Closes}, at(7, 0)); err != nil {
		t.Fatalf("QueueOutbound: %v", err)
	}
	saveUpdates(t, db, 9001, 9002)
	if _, err := db.MarkDone(ctx, "report:2026-01-13", at(17, 0)); err != nil {
		t.Fatalf("MarkDone: %v", err)
	}
	if err := db.SetAwaiting(ctx, 1002, "home", at(8, 0)); err != nil {
		t.Fatalf("SetAwaiting: %v", err)
	}
}

// TestCopyToPostgres copies a SQLite database filled through the store's
// API into PostgreSQL and checks that the copy is the same: per-table rows
// and checksums computed afresh on each side, the records read back through
// the API, and new rows getting new ids.
func TestCopyToPostgres(t *testing.T) {
	t.Parallel()
	if !store.OnPostgres() {
		t.Skip("runs on the PostgreSQL pass: copies SQLite into PostgreSQL")
	}
	ctx := context.Background()
	src, err := store.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatalf("Open(SQLite): %v", err)
	}
	defer src.Close()
	populate(t, src)
	dst := mustOpen(t)

	sums, err := src.CopyTo(ctx, dst)
	if err != nil {
		t.Fatalf("CopyTo: %v", err)
	}
	rows := map[string]int64{}
	for _, s := range sums {
		rows[s.Table] = s.Rows
	}
	for table, want := range map[string]int64{"employees": 4, "check_ins": 2, "sessions": 2, "outbox": 1, "updates": 2,
		"request_events": 1, "corrections": 1, "plan_stamps": 2, "activity_versions": 1} {
		if rows[table] != want {
			t.Errorf("CopyTo: %s: got %d rows, want %d", table, rows[table], want)
		}
	}
	a, err := src.Sums(ctx)
	if err != nil {
		t.Fatalf("Sums(SQLite): %v", err)
	}
	b, err := dst.Sums(ctx)
	if err != nil {
		t.Fatalf("Sums(PostgreSQL): %v", err)
	}
	if diff := store.SumMismatches(a, b); len(diff) > 0 || len(a) != len(sums) {
		t.Errorf("sums after the copy: %d tables, mismatches %q; want %d tables, none", len(a), diff, len(sums))
	}

	// The same records through the API, ids included.
	for _, read := range []struct {
		name string
		f    func(*store.DB) (any, error)
	}{
		{"Employees", func(db *store.DB) (any, error) { return db.Employees(ctx) }},
		{"CheckIns", func(db *store.DB) (any, error) { return db.CheckIns(ctx, day1()) }},
		{"Sessions", func(db *store.DB) (any, error) { return db.Sessions(ctx, day1()) }},
		{"Corrections", func(db *store.DB) (any, error) { return db.Corrections(ctx, day1()) }},
		{"PlanStamps", func(db *store.DB) (any, error) { return db.PlanStamps(ctx, []string{"DINKES", "DISKOMINFO"}) }},
	} {
		want, err1 := read.f(src)
		got, err2 := read.f(dst)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: SQLite %v, PostgreSQL %v", read.name, err1, err2)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s after the copy (-SQLite +PostgreSQL):\n%s", read.name, diff)
		}
	}
	// Identity sequences moved past the copied ids.
	s, err := dst.Sessions(ctx, day1())
	if err != nil || len(s) != 2 {
		t.Fatalf("Sessions: %v, %v", s, err)
	}
	next, _, err := dst.OpenSession(ctx, apel.Session{OPD: "DINKES", Slot: slot(apel.Pagi)})
	if err != nil || next.ID <= max(s[0].ID, s[1].ID) {
		t.Errorf("OpenSession after the copy: id %d, %v; want an id above the copied %d and %d", next.ID, err, s[0].ID, s[1].ID)
	}

	// A destination with data is refused.
	if _, err := src.CopyTo(ctx, dst); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("CopyTo a second time: got %v, want ErrNotEmpty", err)
	}
}

// TestCopyToPostgresTampered checks that a copy that does not come out the
// same as its source is rolled back, naming the table.
func TestCopyToPostgresTampered(t *testing.T) {
	t.Parallel()
	if !store.OnPostgres() {
		t.Skip("runs on the PostgreSQL pass: copies SQLite into PostgreSQL")
	}
	ctx := context.Background()
	src, err := store.Open(ctx, filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatalf("Open(SQLite): %v", err)
	}
	defer src.Close()
	populate(t, src)
	for _, tt := range []struct{ stmt, want string }{
		{`UPDATE check_ins SET note = 'x' WHERE id = (SELECT min(id) FROM check_ins)`, "check_ins: 2 rows on both sides, but they differ"},
		{`DELETE FROM awaiting`, "awaiting: 1 rows in the source, 0 in the destination"},
		{`UPDATE outbox SET markup = NULL`, "outbox: 1 rows on both sides, but they differ"},
	} {
		dst := mustOpenAt(t, filepath.Join(t.TempDir(), "dst"))
		_, err := src.CopyToTampered(ctx, dst, tt.stmt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "nothing was committed") {
			t.Errorf("CopyTo with %q: got %v, want an error naming %q", tt.stmt, err, tt.want)
		}
		if sums, err := dst.Sums(ctx); err != nil {
			t.Errorf("Sums after the failed copy: %v", err)
		} else {
			for _, s := range sums {
				if s.Rows != 0 {
					t.Errorf("after the failed copy (%s): table %s has %d rows, want nothing committed", tt.stmt, s.Table, s.Rows)
				}
			}
		}
	}
}
