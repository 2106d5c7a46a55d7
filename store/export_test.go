package store

import (
	"context"
	"database/sql"
)

// ExecForTest runs a raw statement on the writer pool, for tests that check
// what the schema itself refuses.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, query, args...)
}
