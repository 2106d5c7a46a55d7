package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/apelbot/apelbot/apel"
)

// DB is an open apelbot database, SQLite or PostgreSQL: the same code and
// SQL serve both (see postgres.go). It is safe for concurrent use.
type DB struct {
	dialect dialect
	w       *sql.DB // writer: SQLite one connection, BEGIN IMMEDIATE; PostgreSQL under the write lock
	r       *sql.DB // reader: query_only (SQLite) or read-only (PostgreSQL) connections for plain reads
	pools   []*pgxpool.Pool
	// snap is held while snapshots takes its reader connections, so that
	// two callers each holding some cannot wait for each other's.
	snap sync.Mutex
}

// dialect is the engine behind a DB.
type dialect int

const (
	sqlite3Dialect dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

// indexedBy returns SQLite's INDEXED BY clause for index, and nothing on
// PostgreSQL, which has no such hint (its planner chooses alone).
func (d dialect) indexedBy(index string) string {
	if d == postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.String() }

// Pragmas run on every new pooled connection (busy_timeout first). The
// reader pool begins deferred transactions: BEGIN IMMEDIATE would take the
// write lock and queue behind the writer.
const (
	writerParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite"
	readerParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=query_only(1)" +
		"&_time_format=sqlite"
	readerConns = 4
)

// Open opens the database dsn names and applies every pending migration:
// a postgres:// or postgresql:// URL is a PostgreSQL database (see
// openPostgres for the settings it reads); "sqlite:PATH" or a plain PATH is
// a SQLite database file, created if needed. PATH is a file name, not a
// URI; it must not contain '?'. Close the DB when done.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if isPostgresURL(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

// openSQLite opens (creating if needed) the SQLite database file at path.
func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open database: invalid path %q: want a file name", path)
	}
	if err := switchToWAL(ctx, path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w, err := sql.Open("sqlite", path+"?"+writerParams)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	db := &DB{w: w}
	if err := db.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	// The reader opens after the writer has created the file and switched it
	// to WAL, which is persistent: query_only connections cannot do either.
	r, err := sql.Open("sqlite", path+"?"+readerParams)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	r.SetMaxOpenConns(readerConns)
	r.SetMaxIdleConns(readerConns)
	if err := r.PingContext(ctx); err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("open database: reader: %w", err)
	}
	db.r = r
	return db, nil
}

// walWait bounds how long Open waits for another process switching a new
// database file to WAL: the writer's busy_timeout.
const walWait = 5 * time.Second

// switchToWAL creates the database file at path if need be and switches it
// to WAL, which is persistent, so that the writer's journal_mode pragma
// finds it done. The switch needs the file to itself, and SQLite answers
// "database is locked" at once, without its busy handler, to a connection
// that finds another one switching or migrating the same new file: two
// processes opening it together (serve started while an operator runs a
// command). Here that answer is waited out, for up to walWait.
func switchToWAL(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(walWait)
	pause := time.Millisecond
	for {
		// A file system without shared memory keeps the file in its
		// journal mode without an error, as the writer's pragma would.
		var mode string
		err := c.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil {
			return nil
		}
		if !isBusy(err) {
			return fmt.Errorf("switch to WAL: %w", err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("switch to WAL: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes both connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	errs = append(errs, db.w.Close())
	for _, p := range db.pools {
		p.Close()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// ErrNotSQLite is returned by what only a SQLite database can do.
var ErrNotSQLite = errors.New("not a SQLite database")

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO. It works while the bot runs; path must not exist yet. A
// PostgreSQL database is backed up with PostgreSQL's own tools (pg_dump):
// Backup returns an error wrapping ErrNotSQLite.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != sqlite3Dialect {
		return fmt.Errorf("backup database: %w: use pg_dump (see docs/SCALING.md)", ErrNotSQLite)
	}
	// The writer runs it: query_only connections may not write any file.
	// Writes wait meanwhile (a 10 MB database copies in under 0.1 s).
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup database: %w", err)
	}
	return nil
}

// querier is what both a pool and a transaction offer, so that read helpers
// serve public reads (reader pool) and read-modify-write transactions alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// mapErr turns the driver's constraint errors into domain sentinels, by
// SQLite's extended result code or PostgreSQL's SQLSTATE: a uniqueness violation wraps apel.ErrConflict, a
// foreign-key violation (a reference to a row that does not exist) wraps
// apel.ErrNotFound. The driver error stays in the chain. sql.ErrNoRows
// becomes apel.ErrNotFound too. Anything else is returned unchanged.
func mapErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apel.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", apel.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %w", apel.ErrNotFound, err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", apel.ErrConflict, err)
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w: %w", apel.ErrNotFound, err)
		}
	}
	return err
}

// rollback ends tx unless it was committed; deferred by every write.
func rollback(tx *sql.Tx) { _ = tx.Rollback() }

// affected returns the rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// exactlyOne is for statements that address a row by key: no row changed
// means the key does not exist.
func exactlyOne(res sql.Result, err error) error {
	n, err := affected(res, err)
	if err != nil {
		return err
	}
	if n == 0 {
		return apel.ErrNotFound
	}
	return nil
}

// millis is how an instant is stored: Unix milliseconds, zone-free.
func millis(t time.Time) int64 { return t.UnixMilli() }

// instant reads a stored instant back, in UTC. The zero time round-trips.
func instant(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMillis stores the zero time as NULL, for instants that may be unset.
func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: millis(t), Valid: true}
}

// nullInstant reads a nullable instant; NULL is the zero time.
func nullInstant(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return instant(n.Int64)
}

// parseDate reads a stored 'YYYY-MM-DD' column.
func parseDate(s string) (apel.Date, error) {
	d, err := apel.ParseDate(s)
	if err != nil {
		return apel.Date{}, fmt.Errorf("stored date: %w", err)
	}
	return d, nil
}

// placeholders returns "?, ?, ?" for n parameters (n >= 1).
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anys returns xs as query arguments.
func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// maxParams bounds the parameters of one statement built for a batch, well
// under SQLite's limit of 32,766 and PostgreSQL's of 65,535.
const maxParams = 4096

// chunks cuts xs into slices of at most n items.
func chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// rowsOf returns "(?, ?), (?, ?)" for n rows of cols parameters.
func rowsOf(n, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}
