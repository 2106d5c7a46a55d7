package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the store runs the very same Go code and SQL as on SQLite,
// through database/sql and pgx's stdlib adapter over a pgxpool. What
// differs is taken care of below the store code, in a wrapping
// driver.Connector:
//
//   - placeholders: '?' and '?NNN' become $n (rewritePlaceholders);
//   - Go bools become 0/1, as SQLite's driver stores them (booleans are
//     INTEGER columns on both engines);
//   - writes are serialised as SQLite serialises them: every transaction
//     of the writer pool, and every statement run on it outside one, first
//     takes the transaction-level advisory write lock (see WriteLockClass),
//     across every process sharing the database. Reads (the reader pool) are not locked;
//     a read transaction is one REPEATABLE READ snapshot, as a SQLite read
//     transaction sees one snapshot of the WAL.
//
// The reader pool's sessions are read-only (default_transaction_read_only),
// like SQLite's query_only reader connections: a write through db.r fails
// on both engines.

// WriteLockClass is the first key of the PostgreSQL advisory lock every
// write transaction of the store holds, pg_advisory_xact_lock(WriteLockClass,
// hashtext(current_schema())): one writer at a time across all the
// processes sharing an apelbot database (a schema: pemdas in other schemas
// of the same PostgreSQL database do not wait for each other), as on
// SQLite. Other advisory locks of apelbot must use another first key.
const WriteLockClass int32 = 0x61706c62 // "aplb"

// writeLock takes the write lock until the transaction ends.
const writeLock = `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`

// Pool sizes, per process: the writer pool's connections mostly wait for the
// write lock, so a few are enough; readers run side by side.
const (
	pgWriterConns = 4
	pgReaderConns = 8
)

// pgWriterConnsParam is the URL query parameter apelbot itself reads (and
// removes before pgx sees it): the writer pool's size. pgx's own (sslmode,
// pool_max_conns for the reader pool, application_name, search_path...) pass
// through.
const pgWriterConnsParam = "writer_max_conns"

// openPostgres connects to the PostgreSQL database at dsn (a postgres:// or
// postgresql:// URL), applies every pending migration and returns the DB.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: invalid URL: %w", redactURLError(err))
	}
	q := u.Query()
	writerConns := pgWriterConns
	if v := q.Get(pgWriterConnsParam); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("open database: %s=%q: want a number >= 1", pgWriterConnsParam, v)
		}
		writerConns = n
	}
	q.Del(pgWriterConnsParam)
	u.RawQuery = q.Encode()
	rcfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if !q.Has("pool_max_conns") {
		rcfg.MaxConns = pgReaderConns
	}
	if rcfg.ConnConfig.RuntimeParams == nil {
		rcfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	wcfg := rcfg.Copy()
	wcfg.MaxConns = int32(writerConns)
	rcfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	for _, c := range []*pgxpool.Config{wcfg, rcfg} {
		if c.ConnConfig.RuntimeParams["application_name"] == "" {
			c.ConnConfig.RuntimeParams["application_name"] = "apelbot"
		}
	}

	wpool, err := pgxpool.NewWithConfig(ctx, wcfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	rpool, err := pgxpool.NewWithConfig(ctx, rcfg)
	if err != nil {
		wpool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	cache := &rewriteCache{}
	db := &DB{
		dialect: postgres,
		w:       pgSQLDB(wpool, cache, true),
		r:       pgSQLDB(rpool, cache, false),
		pools:   []*pgxpool.Pool{wpool, rpool},
	}
	if err := db.w.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// redactURLError drops the URL (it may hold a password) from a url.Parse
// error.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// pgSQLDB returns a *sql.DB over pool through the store's connector.
func pgSQLDB(pool *pgxpool.Pool, cache *rewriteCache, writer bool) *sql.DB {
	db := sql.OpenDB(&pgConnector{inner: stdlib.GetPoolConnector(pool), cache: cache, writer: writer})
	// The pgxpool keeps the idle connections (see stdlib.OpenDBFromPool).
	db.SetMaxIdleConns(0)
	db.SetMaxOpenConns(int(pool.Config().MaxConns))
	return db
}

// pgConnector wraps pgx's pool connector (see the comment at the top).
type pgConnector struct {
	inner  driver.Connector
	cache  *rewriteCache // the rewritten statements, shared by a DB's two pools
	writer bool
}

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("pgx stdlib: unexpected connection type %T", conn)
	}
	return &pgConn{c: sc, cache: c.cache, writer: c.writer}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is one pooled connection seen through the store's connector.
type pgConn struct {
	c      *stdlib.Conn
	cache  *rewriteCache
	writer bool
}

var (
	_ driver.Conn               = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
)

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, c.cache.get(query))
}

func (c *pgConn) Close() error { return c.c.Close() }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a write transaction holding the write lock (writer pool),
// or a read-only snapshot (reader pool).
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if !c.writer {
		if sql.IsolationLevel(opts.Isolation) == sql.LevelDefault {
			opts.Isolation = driver.IsolationLevel(sql.LevelRepeatableRead)
		}
		opts.ReadOnly = true
		return c.c.BeginTx(ctx, opts)
	}
	// READ COMMITTED, whatever the server's default: each statement sees
	// every commit made before it, and none can be made while the lock is
	// held. (A REPEATABLE READ snapshot would be taken before the lock.)
	if sql.IsolationLevel(opts.Isolation) == sql.LevelDefault {
		opts.Isolation = driver.IsolationLevel(sql.LevelReadCommitted)
	}
	tx, err := c.c.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if _, err := c.c.ExecContext(ctx, writeLock,
		[]driver.NamedValue{{Ordinal: 1, Value: WriteLockClass}}); err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("take the write lock: %w", err)
	}
	return tx, nil
}

// inTx reports whether the connection is inside a transaction block.
func (c *pgConn) inTx() bool {
	return c.c.Conn().PgConn().TxStatus() != 'I'
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	query = c.cache.get(query)
	if !c.writer || c.inTx() {
		return c.c.ExecContext(ctx, query, args)
	}
	// A statement outside a transaction on the writer: its own transaction,
	// under the write lock.
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	res, err := c.c.ExecContext(ctx, query, args)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	query = c.cache.get(query)
	if !c.writer || c.inTx() {
		return c.c.QueryContext(ctx, query, args)
	}
	// As ExecContext; the rows (INSERT/UPDATE ... RETURNING) are read in
	// full before the commit, so that a failed commit is the query's error.
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	rows, err := c.c.QueryContext(ctx, query, args)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	buf, err := bufferRows(rows)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return buf, nil
}

func (c *pgConn) Ping(ctx context.Context) error { return c.c.Ping(ctx) }

// CheckNamedValue stores Go bools as 0/1 (booleans are INTEGER columns);
// pgx takes everything else as it is.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.c.CheckNamedValue(nv)
}

func (c *pgConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }

// bufferedRows are rows read in full.
type bufferedRows struct {
	cols []string
	data [][]driver.Value
}

func bufferRows(rows driver.Rows) (*bufferedRows, error) {
	defer rows.Close()
	b := &bufferedRows{cols: rows.Columns()}
	for {
		row := make([]driver.Value, len(b.cols))
		err := rows.Next(row)
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		for i, v := range row {
			if p, ok := v.([]byte); ok {
				row[i] = append([]byte(nil), p...) // the driver may reuse its buffer
			}
		}
		b.data = append(b.data, row)
	}
}

func (b *bufferedRows) Columns() []string { return b.cols }
func (b *bufferedRows) Close() error      { b.data = nil; return nil }

func (b *bufferedRows) Next(dest []driver.Value) error {
	if len(b.data) == 0 {
		return io.EOF
	}
	copy(dest, b.data[0])
	b.data = b.data[1:]
	return nil
}

// isPostgresURL reports whether dsn names a PostgreSQL database.
func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
