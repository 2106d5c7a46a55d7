package store

import (
	"context"
	"fmt"
	"time"
)

// MarkDone records that the job key (e.g. "report:2026-01-13") is done. It
// returns true only for the first call with that key, so a job that fires
// twice, or again after a restart, acts once.
func (db *DB) MarkDone(ctx context.Context, key string, at time.Time) (bool, error) {
	n, err := affected(db.w.ExecContext(ctx, `INSERT INTO jobs_done (key, done_at) VALUES (?, ?)
		ON CONFLICT (key) DO NOTHING`,
		key, millis(at)))
	if err != nil {
		return false, fmt.Errorf("mark done %s: %w", key, err)
	}
	return n == 1, nil
}

// Done reports whether the job key has been marked done.
func (db *DB) Done(ctx context.Context, key string) (bool, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM jobs_done WHERE key = ?`, key).Scan(&n); err != nil {
		return false, fmt.Errorf("done %s: %w", key, err)
	}
	return n > 0, nil
}
