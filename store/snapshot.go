package store

import (
	"context"
	"database/sql"
	"fmt"
)

// snapshots begins n read transactions on the reader pool that all see
// one state of the database, so that a large read can be split between
// connections (and cores) and still read as one snapshot. A read
// transaction takes its snapshot at its first read, on both engines; the
// n first reads run while a write transaction holds the store's write lock
// (SQLite's own, PostgreSQL's advisory one), so no commit can fall between
// them. Writers wait only for those n small reads. The connections are
// taken before the lock, so that holding it never waits for a reader, and
// n must not exceed the reader pool (4 on SQLite).
// On error nothing is left open; otherwise the caller rolls each back.
func (db *DB) snapshots(ctx context.Context, n int) (txs []*sql.Tx, err error) {
	defer func() {
		if err != nil {
			for _, tx := range txs {
				rollback(tx)
			}
			txs = nil
		}
	}()
	// One caller at a time takes its connections: two that each held some
	// of the pool could otherwise both wait forever for the rest.
	db.snap.Lock()
	defer db.snap.Unlock()
	for range n {
		tx, err := db.r.BeginTx(ctx, nil)
		if err != nil {
			return txs, fmt.Errorf("snapshots: %w", err)
		}
		txs = append(txs, tx)
	}
	w, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return txs, fmt.Errorf("snapshots: write lock: %w", err)
	}
	defer rollback(w)
	var v int64
	for _, tx := range txs {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&v); err != nil {
			return txs, fmt.Errorf("snapshots: %w", err)
		}
	}
	return txs, nil
}
