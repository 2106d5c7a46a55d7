package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// heldWriteLocks is how many write locks the session running it holds.
const heldWriteLocks = `SELECT count(*) FROM pg_locks
	WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
	AND classid::bigint = ? AND objid::bigint = (hashtext(current_schema())::bigint & 4294967295)`

// TestPostgresConnections checks what the connector adds on PostgreSQL:
// every write (a transaction of the writer, or a statement run on it alone)
// holds the write lock and reads do not; the reader is read-only; a reader
// transaction is one snapshot; Go bools are stored as 0/1.
func TestPostgresConnections(t *testing.T) {
	t.Parallel()
	if testPass != postgres {
		t.Skip("PostgreSQL only: the connector of the PostgreSQL engine")
	}
	ctx := context.Background()
	db, err := Open(ctx, testDSN(t, filepath.Join(t.TempDir(), "pg")))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()

	var n int
	if err := db.w.QueryRowContext(ctx, heldWriteLocks, WriteLockClass).Scan(&n); err != nil || n != 1 {
		t.Errorf("writer, statement alone: write locks held: got %d, %v; want 1", n, err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("writer BeginTx: %v", err)
	}
	if err := tx.QueryRowContext(ctx, heldWriteLocks, WriteLockClass).Scan(&n); err != nil || n != 1 {
		t.Errorf("writer transaction: write locks held: got %d, %v; want 1", n, err)
	}
	var iso string
	if err := tx.QueryRowContext(ctx, `SHOW transaction_isolation`).Scan(&iso); err != nil || iso != "read committed" {
		t.Errorf("writer transaction: isolation: got %q, %v; want read committed", iso, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if err := db.r.QueryRowContext(ctx, heldWriteLocks, WriteLockClass).Scan(&n); err != nil || n != 0 {
		t.Errorf("reader: write locks held: got %d, %v; want 0", n, err)
	}
	if _, err := db.r.ExecContext(ctx, `INSERT INTO jobs_done (key, done_at) VALUES ('x', 0)`); err == nil {
		t.Errorf("reader: INSERT: got nil error, want a read-only error")
	}
	rtx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("reader BeginTx: %v", err)
	}
	if err := rtx.QueryRowContext(ctx, `SHOW transaction_isolation`).Scan(&iso); err != nil || iso != "repeatable read" {
		t.Errorf("reader transaction: isolation: got %q, %v; want repeatable read", iso, err)
	}
	_ = rtx.Rollback()

	// A bool goes in as 0/1, and reads back as a bool.
	if _, err := db.w.ExecContext(ctx, `CREATE TEMPORARY TABLE flags (f INTEGER NOT NULL CHECK (f IN (0, 1)))`); err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO flags (f) VALUES (?), (?)`, true, false); err != nil {
		t.Fatalf("insert bools: %v", err)
	}
	var sum int
	if err := db.w.QueryRowContext(ctx, `SELECT sum(f) FROM flags`).Scan(&sum); err != nil || sum != 1 {
		t.Errorf("sum of true and false stored: got %d, %v; want 1", sum, err)
	}
	var b bool
	if err := db.w.QueryRowContext(ctx, `SELECT f FROM flags WHERE f = ?`, true).Scan(&b); err != nil || !b {
		t.Errorf("read back true: got %v, %v; want true", b, err)
	}
}

// TestPostgresWritesSerialised checks that a write transaction waits for
// another one to end, as on SQLite, even from another DB (another process).
func TestPostgresWritesSerialised(t *testing.T) {
	t.Parallel()
	if testPass != postgres {
		t.Skip("PostgreSQL only: SQLite serialises writers itself (TestConnectionSetup)")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pg")
	a, err := Open(ctx, testDSN(t, path))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer a.Close()
	b, err := Open(ctx, testDSN(t, path))
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer b.Close()

	tx, err := a.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("BeginTx: %v", err)
	}
	defer rollback(tx) // on failure: before Close, which waits for the connection
	if _, err := tx.ExecContext(ctx, `INSERT INTO jobs_done (key, done_at) VALUES ('first', 1)`); err != nil {
		t.Fatalf("insert first: %v", err)
	}
	second := make(chan error, 1)
	go func() {
		// Waits for the lock, then sees the first transaction's row.
		_, err := b.MarkDone(ctx, "second", time.UnixMilli(2))
		second <- err
	}()
	// The second writer is seen waiting for the advisory lock before the
	// first commits.
	for {
		var waiting int
		if err := a.r.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
			WHERE l.locktype = 'advisory' AND NOT l.granted AND s.datname = current_database()
			AND l.classid::bigint = ? AND l.objid::bigint = (hashtext(current_schema())::bigint & 4294967295)`, WriteLockClass).Scan(&waiting); err != nil {
			t.Fatalf("pg_locks: %v", err)
		}
		select {
		case err := <-second:
			t.Fatalf("second write ended while the first transaction held the lock: %v", err)
		default:
		}
		if waiting > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if err := <-second; err != nil {
		t.Fatalf("second write: %v", err)
	}
}
