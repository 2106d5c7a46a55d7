package store

import (
	"context"
	"database/sql"
	"testing"
)

// Test hooks for the store_test package (see main_test.go).

// ExecForTest runs a raw statement on the writer pool, for tests that check
// what the schema itself refuses.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, query, args...)
}

// DSNForTest is testDSN: what a test opens for the database file at path on
// the pass under way.
func DSNForTest(t testing.TB, path string) string { t.Helper(); return testDSN(t, path) }

// SQLiteOnly is sqliteOnly.
func SQLiteOnly(t testing.TB, why string) { t.Helper(); sqliteOnly(t, why) }

// OnPostgres reports whether this is the PostgreSQL pass.
func OnPostgres() bool { return testPass == postgres }

// CopyToTampered is CopyTo with stmt run on the destination inside the
// transaction, after the copy and before the sums are compared.
func (db *DB) CopyToTampered(ctx context.Context, dst *DB, stmt string) ([]TableSum, error) {
	return db.copyTo(ctx, dst, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, stmt)
		return err
	})
}
