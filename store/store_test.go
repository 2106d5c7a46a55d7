package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// wib is the zone of the test pemda; the store must not care.
func wib() *time.Location { return time.FixedZone("WIB", 7*3600) }

// day1 is the attendance date most tests use.
func day1() apel.Date { return apel.Date{Year: 2026, Month: time.January, Day: 13} }

// at returns an instant on day1() at hh:mm WIB.
func at(hh, mm int) time.Time { return time.Date(2026, time.January, 13, hh, mm, 0, 0, wib()) }

// mustOpen opens a fresh database and closes it when the test ends: a file
// in a temporary directory, or on the PostgreSQL pass of the suite a schema
// of the test's own (see main_test.go).
func mustOpen(t *testing.T) *store.DB {
	t.Helper()
	return mustOpenAt(t, filepath.Join(t.TempDir(), "apel.db"))
}

// mustOpenAt opens the database at path (a file in t.TempDir()); opening
// the same path again reopens the same database, on either engine.
func mustOpenAt(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.DSNForTest(t, path))
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// testOPDs returns the OPDs of the test configuration.
func testOPDs() []apel.OPD {
	return []apel.OPD{
		{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: apel.Point{Lat: -6.9175, Lon: 107.6191}},
		{Code: "DINKES", Name: "Dinas Kesehatan", Office: apel.Point{Lat: -6.9147, Lon: 107.6098}, DirectService: true},
	}
}

// testRoster returns the first roster of the test pemda.
func testRoster() []apel.Employee {
	return []apel.Employee{
		{NIP: "198503122010011002", Name: "Budi Santoso", OPD: "DISKOMINFO", Position: "Kepala Dinas", Role: apel.RoleHead, Active: true},
		{NIP: "199001012015032001", Name: "Ani Lestari", OPD: "DISKOMINFO", Position: "Pranata Komputer", Role: apel.RoleStaff, Active: true},
		{NIP: "198807172012121003", Name: "Cahyo Nugroho", OPD: "DINKES", Position: "Perawat", Role: apel.RoleStaff, Active: true},
		{NIP: "197912252005011004", Name: "Dewi Anggraini", OPD: "DINKES", Position: "Analis SDM", Role: apel.RoleAdmin, Active: true},
	}
}

// mustSeed syncs testOPDs, imports testRoster and returns the employees by
// NIP.
func mustSeed(t *testing.T, db *store.DB) map[string]apel.Employee {
	t.Helper()
	ctx := context.Background()
	if err := db.SyncOPDs(ctx, testOPDs()); err != nil {
		t.Fatalf("SyncOPDs: %v", err)
	}
	if _, err := db.ImportRoster(ctx, testRoster(), at(6, 0)); err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	all, err := db.Employees(ctx)
	if err != nil {
		t.Fatalf("Employees: %v", err)
	}
	out := make(map[string]apel.Employee, len(all))
	for _, e := range all {
		out[e.NIP] = e
	}
	return out
}

// slot returns the pagi or sore slot of day1() as a 07:30 / 16:00 policy
// would make it.
func slot(k apel.SessionKind) apel.Slot {
	apelAt := at(7, 30)
	if k == apel.Sore {
		apelAt = at(16, 0)
	}
	closes := apelAt.Add(time.Hour)
	return apel.Slot{
		Date: day1(), Kind: k, Apel: apelAt,
		Opens: apelAt.Add(-30 * time.Minute), LateFrom: apelAt.Add(15 * time.Minute),
		RemindAt: closes.Add(-15 * time.Minute), Closes: closes,
	}
}

func mustOpenSession(t *testing.T, db *store.DB, opd string, k apel.SessionKind) apel.Session {
	t.Helper()
	s, _, err := db.OpenSession(context.Background(), apel.Session{OPD: opd, Slot: slot(k)})
	if err != nil {
		t.Fatalf("OpenSession(%s, %s): %v", opd, k, err)
	}
	return s
}

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "apel.db")
	db, err := store.Open(ctx, store.DSNForTest(t, path))
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	if err := db.SyncOPDs(ctx, testOPDs()); err != nil {
		t.Fatalf("SyncOPDs: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Reopening must not reapply 001 (its CREATE TABLEs would fail) and must
	// keep the data.
	for i := range 2 {
		db := mustOpenAt(t, path)
		if err := db.BindGroup(ctx, "DINKES", -100, 1, at(7, 0)); err != nil {
			t.Fatalf("reopen %d: BindGroup on synced OPD: got %v, want nil", i, err)
		}
	}
}

// Several processes may open a database file that does not exist yet at
// the same moment (serve starting while an operator runs a command, or a
// test polling for the file serve creates): each Open waits its turn for
// the switch to WAL and the migrations, none fails with "database is
// locked". SQLite runs no busy handler for the switch to WAL.
func TestOpenConcurrentlyOnANewFile(t *testing.T) {
	t.Parallel()
	store.SQLiteOnly(t, "SQLite's switch to WAL on a new file")
	ctx := context.Background()
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "apel.db")
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				db, err := store.Open(ctx, path)
				if err == nil {
					_, err = db.LastUpdateID(ctx)
					err = errors.Join(err, db.Close())
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, opener %d of %d at once: %v", round, i+1, len(errs), err)
			}
		}
	}
}

func TestOpenRejectsMemory(t *testing.T) {
	t.Parallel()
	store.SQLiteOnly(t, "SQLite file names")
	for _, path := range []string{"", ":memory:", "x.db?mode=memory"} {
		if db, err := store.Open(context.Background(), path); err == nil {
			_ = db.Close()
			t.Errorf("Open(%q): got nil error, want an error", path)
		}
	}
}

func TestBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if store.OnPostgres() {
		err := db.Backup(ctx, filepath.Join(t.TempDir(), "backup.db"))
		if !errors.Is(err, store.ErrNotSQLite) {
			t.Errorf("Backup on PostgreSQL: got %v, want an error wrapping ErrNotSQLite", err)
		}
		t.Skip("SQLite only: a file backup (PostgreSQL databases are backed up with pg_dump)")
	}
	emps := mustSeed(t, db)
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ani := emps["199001012015032001"]
	if _, err := db.RecordCheckIn(ctx, checkIn(s.ID, ani.ID)); err != nil {
		t.Fatalf("RecordCheckIn: %v", err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatalf("Backup(%q): %v", path, err)
	}
	if err := db.Backup(ctx, path); err == nil {
		t.Errorf("Backup(%q) over an existing file: got nil error, want an error", path)
	}
	copyDB := mustOpenAt(t, path)
	got, err := copyDB.Employees(ctx)
	if err != nil || len(got) != len(testRoster()) {
		t.Fatalf("backup Employees: got %d, %v; want %d, nil", len(got), err, len(testRoster()))
	}
	n, err := copyDB.CountCheckIns(ctx, s.ID)
	if err != nil || n != 1 {
		t.Errorf("backup CountCheckIns(%d): got %d, %v; want 1, nil", s.ID, n, err)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	checks := map[string]error{}
	_, checks["Employee"] = db.Employee(ctx, 999)
	_, checks["EmployeeByNIP"] = db.EmployeeByNIP(ctx, "000000000000000000")
	_, checks["EmployeeByTelegram"] = db.EmployeeByTelegram(ctx, 42)
	_, checks["Session"] = db.Session(ctx, 999)
	_, checks["SessionAt"] = db.SessionAt(ctx, "DINKES", at(8, 0))
	_, checks["CheckIn"] = db.CheckIn(ctx, 1, 1)
	_, checks["HomePoint"] = db.HomePoint(ctx, 999)
	_, checks["ApprovedHome"] = db.ApprovedHome(ctx, 1)
	_, checks["DecideHomePoint"] = db.DecideHomePoint(ctx, 999, true, 1, at(8, 0))
	_, checks["OPDOfChat"] = db.OPDOfChat(ctx, -5)
	_, checks["CloseSession"] = db.CloseSession(ctx, 999, at(8, 0))
	_, checks["MarkReminded"] = db.MarkReminded(ctx, 999, at(8, 0))
	_, checks["RecordCheckIn unknown session"] = db.RecordCheckIn(ctx, checkIn(999, 1))
	checks["SetLanguage"] = db.SetLanguage(ctx, 999, "en")
	checks["SetPrompt"] = db.SetPrompt(ctx, 999, -1, 1)
	checks["SetShown"] = db.SetShown(ctx, 999, 1)
	checks["MarkUpdateDone"] = db.MarkUpdateDone(ctx, 999, at(8, 0))
	checks["BindGroup unknown OPD"] = db.BindGroup(ctx, "NOPE", -1, 1, at(8, 0))
	for name, err := range checks {
		if !errors.Is(err, apel.ErrNotFound) {
			t.Errorf("%s on a missing record: got %v, want an error wrapping apel.ErrNotFound", name, err)
		}
	}
}
