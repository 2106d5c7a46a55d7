package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the floor and the databases of the runs
)

// benchPostgres is where a bench on PostgreSQL keeps its databases: on the
// server of -postgres, the generated pemda in apelbot_bench_pemda_ASN_OPDS
// and each run on a copy of it (CREATE DATABASE ... TEMPLATE), named
// apelbot_bench_RUN. It never touches the database the URL names.
type benchPostgres struct {
	server *url.URL // the -postgres URL
}

func newBenchPostgres(raw string) (*benchPostgres, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, fmt.Errorf("bench: -postgres: want a postgres:// URL of a server, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return &benchPostgres{server: u}, nil
}

// url returns the URL of database name on the server.
func (g *benchPostgres) url(name string) string {
	u := *g.server
	u.Path = "/" + name
	return u.String()
}

// admin runs statements on the database of the -postgres URL.
func (g *benchPostgres) admin(ctx context.Context, stmts ...string) error {
	db, err := sql.Open("pgx", g.server.String())
	if err != nil {
		return fmt.Errorf("bench: postgres: %w", err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("bench: postgres: %s: %w", s, err)
		}
	}
	return nil
}

// exists reports whether database name exists.
func (g *benchPostgres) exists(ctx context.Context, name string) (bool, error) {
	db, err := sql.Open("pgx", g.server.String())
	if err != nil {
		return false, fmt.Errorf("bench: postgres: %w", err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return false, fmt.Errorf("bench: postgres: %w", err)
	}
	return n > 0, nil
}

// drop removes database name, closing its connections.
func (g *benchPostgres) drop(ctx context.Context, name string) error {
	return g.admin(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
}

// create makes an empty database name (dropping one of that name).
func (g *benchPostgres) create(ctx context.Context, name string) error {
	if err := g.drop(ctx, name); err != nil {
		return err
	}
	return g.admin(ctx, `CREATE DATABASE "`+name+`"`)
}

// copy makes database name a copy of template (dropping one of that name).
func (g *benchPostgres) copy(ctx context.Context, template, name string) error {
	if err := g.drop(ctx, name); err != nil {
		return err
	}
	return g.admin(ctx, `CREATE DATABASE "`+name+`" TEMPLATE "`+template+`"`)
}

// instance returns the database one run (named run: "outbound", "ingest",
// "footprint") works on, a fresh copy of the generated pemda: a SQLite
// file in dir, or a PostgreSQL database.
func (p *benchPemda) instance(ctx context.Context, dir, run string) (string, error) {
	if p.pg == nil {
		path := filepath.Join(dir, run+".db")
		return path, p.copyTo(path)
	}
	name := "apelbot_bench_" + run
	if err := p.pg.copy(ctx, p.pgBase, name); err != nil {
		return "", err
	}
	return p.pg.url(name), nil
}

// engine names the engine of a database: "sqlite" or "postgres".
func engine(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "postgres"
	}
	return "sqlite"
}

// openRaw opens the database dsn directly (not through the store), for
// the floor and for counting check-ins from outside the bot.
func openRaw(dsn string) (*sql.DB, error) {
	if engine(dsn) == "postgres" {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite", dsn+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
}

// insertFloorPostgres is insertFloor on PostgreSQL: n single-row inserts,
// each in its own transaction committed durably (synchronous_commit as the
// server has it, on by default), on one connection.
func insertFloorPostgres(ctx context.Context, dsn string, n int) (floorResult, error) {
	db, err := openRaw(dsn)
	if err != nil {
		return floorResult{}, fmt.Errorf("floor: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_floor (
		id BIGSERIAL PRIMARY KEY, session_id BIGINT NOT NULL, employee_id BIGINT NOT NULL, lat DOUBLE PRECISION NOT NULL,
		lon DOUBLE PRECISION NOT NULL, accuracy DOUBLE PRECISION NOT NULL, fix_at BIGINT NOT NULL, recorded_at BIGINT NOT NULL,
		mode TEXT NOT NULL, late INTEGER NOT NULL, in_place INTEGER NOT NULL, distance DOUBLE PRECISION NOT NULL,
		update_id BIGINT NOT NULL, UNIQUE (session_id, employee_id))`); err != nil {
		return floorResult{}, fmt.Errorf("floor: %w", err)
	}
	defer func() { _, _ = db.ExecContext(context.WithoutCancel(ctx), `DROP TABLE bench_floor`) }()
	return timeFloor(ctx, db, n, `INSERT INTO bench_floor (session_id, employee_id, lat, lon, accuracy, fix_at,
		recorded_at, mode, late, in_place, distance, update_id) VALUES ($1, $2, -5.1, 119.4, 10, $3, $4, 'WFO', 0, 1, 11.1, $5)`)
}

// timeFloor runs n single-row inserts of insert (five parameters: session,
// employee, fix and record instants, update id), each in its own
// transaction, and times them.
func timeFloor(ctx context.Context, db *sql.DB, n int, insert string) (floorResult, error) {
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	for i := range n {
		t0 := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return floorResult{}, fmt.Errorf("floor: %w", err)
		}
		_, err = tx.ExecContext(ctx, insert, i/50+1, i+1, t0.UnixMilli(), t0.UnixMilli(), i+1)
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			_ = tx.Rollback()
			return floorResult{}, fmt.Errorf("floor: %w", err)
		}
		lat = append(lat, time.Since(t0))
	}
	return floorResult{Rows: n, Rate: float64(n) / time.Since(start).Seconds(), Latency: summarize(lat)}, nil
}

// dropRuns removes the databases of the runs (not the generated pemda,
// which a later bench reuses).
func (g *benchPostgres) dropRuns(ctx context.Context) error {
	var errs []error
	for _, run := range []string{"outbound", "ingest", "footprint"} {
		errs = append(errs, g.drop(ctx, "apelbot_bench_"+run))
	}
	return errors.Join(errs...)
}

// hasDatabase reports whether dsn is there to read: a SQLite file, or
// (always) a PostgreSQL database, which opening tells.
func hasDatabase(dsn string) bool {
	if engine(dsn) == "postgres" {
		return true
	}
	_, err := os.Stat(dsn)
	return err == nil
}

// shownDatabase is dsn for a log line: a URL without its password.
func shownDatabase(dsn string) string {
	u, err := url.Parse(dsn)
	if engine(dsn) != "postgres" || err != nil {
		return dsn
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}
