package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// migrationFS holds the schema history: migrations/ in SQLite's dialect,
// migrations/postgres/ the same files (same names, same schema) in
// PostgreSQL's. A shipped migration is never edited: change the schema by
// adding the next numbered file to both directories.
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrationDir is where the migrations of each engine are.
func (d dialect) migrationDir() string {
	if d == postgres {
		return "migrations/postgres"
	}
	return "migrations"
}

// createMigrations creates the table of applied migrations.
func (d dialect) createMigrations() string {
	if d == postgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT COLLATE "C" PRIMARY KEY,
		applied_at BIGINT NOT NULL DEFAULT (CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT))
	)`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
	) STRICT`
}

// migrate applies, in file-name order, every migration not yet recorded in
// schema_migrations, each in its own transaction. On PostgreSQL each holds
// the write lock, so that replicas starting together migrate once.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, db.dialect.createMigrations()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, db.dialect.migrationDir()+"/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// migrateFile applies one migration unless it is already recorded.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	base := path.Base(name)
	if !validMigrationName(base) {
		return fmt.Errorf("invalid migration name: want NNN_name.sql")
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(tx)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, base); err != nil {
		return err
	}
	return tx.Commit()
}

// validMigrationName accepts "NNN_name.sql": three digits, so that file-name
// order is application order.
func validMigrationName(s string) bool {
	if len(s) < len("000_x.sql") || s[3] != '_' || path.Ext(s) != ".sql" {
		return false
	}
	for _, c := range s[:3] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
