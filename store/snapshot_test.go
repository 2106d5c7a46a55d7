package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestSnapshots checks that the read transactions snapshots begins see one
// state of the database while another goroutine commits as fast as it can,
// that they keep it after later commits, and that they do not hold the
// writer up once begun.
func TestSnapshots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openInternal(t)
	insert := func(key string) error {
		_, err := db.w.ExecContext(ctx, `INSERT INTO jobs_done (key, done_at) VALUES (?, 0)`, key)
		return err
	}
	count := func(tx *sql.Tx) int {
		t.Helper()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs_done`).Scan(&n); err != nil {
			t.Fatalf("count: %v", err)
		}
		return n
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if werr = insert(fmt.Sprintf("busy-%d", i)); werr != nil {
				return
			}
		}
	})
	for i := range 100 {
		txs, err := db.snapshots(ctx, 3)
		if err != nil {
			t.Fatalf("snapshots: %v", err)
		}
		a, b, c := count(txs[0]), count(txs[1]), count(txs[2])
		for _, tx := range txs {
			rollback(tx)
		}
		if a != b || b != c {
			t.Fatalf("round %d: the snapshots count %d, %d and %d rows, want one count", i, a, b, c)
		}
	}
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatalf("writer: %v", werr)
	}

	txs, err := db.snapshots(ctx, 2)
	if err != nil {
		t.Fatalf("snapshots: %v", err)
	}
	defer func() {
		for _, tx := range txs {
			rollback(tx)
		}
	}()
	before := count(txs[0])
	if err := insert("after"); err != nil {
		t.Fatalf("a write while the snapshots are open: %v", err)
	}
	if a, b := count(txs[0]), count(txs[1]); a != before || b != before {
		t.Errorf("after a later commit the snapshots count %d and %d rows, want %d (the state they began on)", a, b, before)
	}
}

// TestSnapshotsConcurrent has more callers than the reader pool can serve
// at once each take most of it: none may wait forever for the others.
func TestSnapshotsConcurrent(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db := openInternal(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 20 {
				txs, err := db.snapshots(ctx, 3)
				if err != nil {
					errs <- err
					return
				}
				for _, tx := range txs {
					var n int
					if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs_done`).Scan(&n); err != nil {
						errs <- err
					}
				}
				for _, tx := range txs {
					rollback(tx)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("snapshots: %v (the callers waited for each other's connections)", err)
	}
}

// openInternal opens a fresh database of the test's engine, closed when t
// ends.
func openInternal(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), testDSN(t, filepath.Join(t.TempDir(), "apel.db")))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
