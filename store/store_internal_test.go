package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
)

// TestConnectionSetup checks the pragmas each pool's connections get from the
// DSN, and that migrations are recorded once across reopens.
func TestConnectionSetup(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "SQLite pragmas")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "apel.db")
	for range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open(%q): %v", path, err)
		}
		t.Cleanup(func() { _ = db.Close() })
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer db.Close()

	tests := []struct {
		pool   string
		q      querier
		pragma string
		want   string
	}{
		{"writer", db.w, "journal_mode", "wal"},
		{"writer", db.w, "synchronous", "2"}, // FULL
		{"writer", db.w, "foreign_keys", "1"},
		{"writer", db.w, "busy_timeout", "5000"},
		{"writer", db.w, "query_only", "0"},
		{"reader", db.r, "journal_mode", "wal"},
		{"reader", db.r, "foreign_keys", "1"},
		{"reader", db.r, "busy_timeout", "5000"},
		{"reader", db.r, "query_only", "1"},
	}
	for _, tt := range tests {
		var got string
		if err := tt.q.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil || got != tt.want {
			t.Errorf("%s: PRAGMA %s: got %q, %v; want %q", tt.pool, tt.pragma, got, err, tt.want)
		}
	}
	if _, err := db.r.ExecContext(ctx, `INSERT INTO jobs_done (key, done_at) VALUES ('x', 0)`); err == nil {
		t.Errorf("reader: INSERT: got nil error, want a query_only error")
	}

	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatalf("Glob: %v", err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(names) {
		t.Errorf("schema_migrations after 3 opens: got %d rows, %v; want %d", n, err, len(names))
	}
}

func TestValidMigrationName(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "engine-independent, ran on the SQLite pass")
	for name, want := range map[string]bool{
		"001_initial.sql": true, "010_x.sql": true,
		"1_initial.sql": false, "001initial.sql": false, "001_initial.txt": false, "abc_initial.sql": false, "001_.sql": false,
	} {
		if got := validMigrationName(name); got != want {
			t.Errorf("validMigrationName(%q): got %v, want %v", name, got, want)
		}
	}
}
