package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
)

// Moving a pemda from SQLite to PostgreSQL (`apelbot migrate-store`): every
// table is copied row for row, ids included, then both sides are counted
// and checksummed.

// TableSum is what one table holds: its rows and a SHA-256 over them, read
// in primary-key order and rendered canonically (see sumRow), so that the
// same rows give the same sum on either engine.
type TableSum struct {
	Table  string
	Rows   int64
	SHA256 string
}

// table is what the copy needs to know of one table.
type table struct {
	name    string
	columns []string
	key     []string // primary key columns, in key order
	refs    []string // tables its foreign keys point to
}

// tables returns every table of the store (not schema_migrations), in an
// order where each comes after the tables it refers to, ties by name.
func (db *DB) tables(ctx context.Context, q querier) ([]table, error) {
	var names []string
	var err error
	if db.dialect == postgres {
		names, err = column0[string](ctx, q, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	} else {
		names, err = column0[string](ctx, q, `SELECT name FROM sqlite_schema
			WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	}
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	byName := map[string]*table{}
	for _, n := range names {
		if n == "schema_migrations" {
			continue
		}
		t := &table{name: n}
		if err := db.describe(ctx, q, t); err != nil {
			return nil, fmt.Errorf("describe %s: %w", n, err)
		}
		byName[n] = t
	}
	// Dependency order: repeatedly take, by name, the tables whose
	// references are all placed.
	var out []table
	placed := map[string]bool{}
	for len(out) < len(byName) {
		var ready []string
		for n, t := range byName {
			if placed[n] {
				continue
			}
			ok := true
			for _, r := range t.refs {
				if r != n && !placed[r] && byName[r] != nil {
					ok = false
				}
			}
			if ok {
				ready = append(ready, n)
			}
		}
		if len(ready) == 0 {
			return nil, errors.New("list tables: foreign keys form a cycle")
		}
		slices.Sort(ready)
		for _, n := range ready {
			placed[n] = true
			out = append(out, *byName[n])
		}
	}
	return out, nil
}

// describe fills in t's columns, key and references from the catalog.
func (db *DB) describe(ctx context.Context, q querier, t *table) error {
	var err error
	if db.dialect == postgres {
		if t.columns, err = column0[string](ctx, q, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, t.name); err != nil {
			return err
		}
		if t.key, err = column0[string](ctx, q, `SELECT k.column_name FROM information_schema.table_constraints c
			JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema
				AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND c.table_name = ? AND c.constraint_type = 'PRIMARY KEY'
			ORDER BY k.ordinal_position`, t.name); err != nil {
			return err
		}
		t.refs, err = column0[string](ctx, q, `SELECT DISTINCT c2.relname FROM pg_constraint k
			JOIN pg_class c2 ON c2.oid = k.confrelid
			WHERE k.conrelid = to_regclass(quote_ident(?)) AND k.contype = 'f'`, t.name)
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	keyAt := map[int]string{}
	for rows.Next() {
		var name string
		var pk int
		if err := rows.Scan(&name, &pk); err != nil {
			return err
		}
		t.columns = append(t.columns, name)
		if pk > 0 {
			keyAt[pk] = name
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := 1; i <= len(keyAt); i++ {
		t.key = append(t.key, keyAt[i])
	}
	t.refs, err = column0[string](ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, t.name)
	return err
}

// column0 returns the first column of every row of a query.
func column0[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// orderBy is t's primary key, or every column for a table without one.
func (t table) orderBy() string {
	if len(t.key) > 0 {
		return strings.Join(quoteAll(t.key), ", ")
	}
	return strings.Join(quoteAll(t.columns), ", ")
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
	}
	return out
}

// selectAll reads every row of t in key order.
func (t table) selectAll() string {
	return `SELECT ` + strings.Join(quoteAll(t.columns), ", ") + ` FROM ` + quoteAll([]string{t.name})[0] +
		` ORDER BY ` + t.orderBy()
}

// Sums returns the rows and checksum of every table, read in one snapshot.
func (db *DB) Sums(ctx context.Context) ([]TableSum, error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sums: %w", err)
	}
	defer rollback(tx)
	ts, err := db.tables(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("sums: %w", err)
	}
	sums, err := sumTables(ctx, tx, ts)
	if err != nil {
		return nil, fmt.Errorf("sums: %w", err)
	}
	return sums, tx.Commit()
}

func sumTables(ctx context.Context, q querier, ts []table) ([]TableSum, error) {
	out := make([]TableSum, 0, len(ts))
	for _, t := range ts {
		s, err := sumTable(ctx, q, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func sumTable(ctx context.Context, q querier, t table) (TableSum, error) {
	rows, err := q.QueryContext(ctx, t.selectAll())
	if err != nil {
		return TableSum{}, err
	}
	defer rows.Close()
	h := sha256.New()
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableSum{}, err
		}
		if err := sumRow(h, vals); err != nil {
			return TableSum{}, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return TableSum{}, err
	}
	return TableSum{Table: t.name, Rows: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// sumRow adds one row to h: each value tagged with its kind and, for text
// and bytes, its length, so that no two different rows render alike.
// Integers of any width are one kind, as SQLite has one integer type.
func sumRow(h hash.Hash, vals []any) error {
	var b []byte
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			b = append(b, 'N')
		case int64:
			b = strconv.AppendInt(append(b, 'I'), x, 10)
		case int32:
			b = strconv.AppendInt(append(b, 'I'), int64(x), 10)
		case int16:
			b = strconv.AppendInt(append(b, 'I'), int64(x), 10)
		case float64:
			b = strconv.AppendFloat(append(b, 'R'), x, 'g', -1, 64)
		case string:
			b = append(strconv.AppendInt(append(b, 'T'), int64(len(x)), 10), ':')
			b = append(b, x...)
		case []byte:
			b = append(strconv.AppendInt(append(b, 'B'), int64(len(x)), 10), ':')
			b = append(b, x...)
		default:
			return fmt.Errorf("checksum: unexpected value of type %T", v)
		}
		b = append(b, '|')
	}
	b = append(b, '\n')
	_, err := h.Write(b)
	return err
}

// SumMismatches lists, one line per table, where two sets of sums differ.
func SumMismatches(from, to []TableSum) []string {
	var out []string
	byTable := map[string]TableSum{}
	for _, s := range to {
		byTable[s.Table] = s
	}
	for _, f := range from {
		t, ok := byTable[f.Table]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: missing from the destination", f.Table))
		case f.Rows != t.Rows:
			out = append(out, fmt.Sprintf("%s: %d rows in the source, %d in the destination", f.Table, f.Rows, t.Rows))
		case f.SHA256 != t.SHA256:
			out = append(out, fmt.Sprintf("%s: %d rows on both sides, but they differ (checksum %.12s… against %.12s…)", f.Table, f.Rows, f.SHA256, t.SHA256))
		}
		delete(byTable, f.Table)
	}
	for _, t := range byTable {
		out = append(out, fmt.Sprintf("%s: only in the destination", t.Table))
	}
	slices.Sort(out)
	return out
}

// ErrNotEmpty is returned by CopyTo when the destination already holds data.
var ErrNotEmpty = errors.New("destination database is not empty")

// CopyTo copies every row of db (any engine) into dst, a PostgreSQL
// database just migrated and empty, in one transaction of dst: tables in
// dependency order, ids kept, triggers off (a row is copied as it is, not
// derived again), identity sequences moved past the copied ids. Before
// committing, it counts and checksums every table on both sides (db read
// in one snapshot, dst inside the transaction) and rolls everything back
// on any difference. Both databases must have the same migrations applied.
// It returns the sums of the copied tables.
func (db *DB) CopyTo(ctx context.Context, dst *DB) ([]TableSum, error) {
	return db.copyTo(ctx, dst, nil)
}

// copyTo is CopyTo; tamper, when set, changes dst inside the transaction
// before the sums are compared (tests).
func (db *DB) copyTo(ctx context.Context, dst *DB, tamper func(*sql.Tx) error) ([]TableSum, error) {
	if dst.dialect != postgres {
		return nil, errors.New("copy database: the destination must be a PostgreSQL database")
	}
	src, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy database: read source: %w", err)
	}
	defer rollback(src)
	tx, err := dst.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy database: %w", err)
	}
	defer rollback(tx)

	if err := sameMigrations(ctx, src, tx); err != nil {
		return nil, fmt.Errorf("copy database: %w", err)
	}
	ts, err := db.tables(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("copy database: source: %w", err)
	}
	dts, err := dst.tables(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("copy database: destination: %w", err)
	}
	if err := sameTables(ts, dts); err != nil {
		return nil, fmt.Errorf("copy database: %w", err)
	}
	for _, t := range dts {
		var any1 int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+quoteAll([]string{t.name})[0]+` LIMIT 1`).Scan(&any1)
		if err == nil {
			return nil, fmt.Errorf("copy database: %w: table %s has rows (migrate into a new, empty database)", ErrNotEmpty, t.name)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("copy database: %s: %w", t.name, err)
		}
	}
	for _, t := range ts {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteAll([]string{t.name})[0]+` DISABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("copy database: %s: disable triggers: %w", t.name, err)
		}
		if err := copyTable(ctx, src, tx, t); err != nil {
			return nil, fmt.Errorf("copy database: %s: %w", t.name, err)
		}
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteAll([]string{t.name})[0]+` ENABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("copy database: %s: enable triggers: %w", t.name, err)
		}
	}
	if err := resetIdentities(ctx, tx); err != nil {
		return nil, fmt.Errorf("copy database: %w", err)
	}
	if tamper != nil {
		if err := tamper(tx); err != nil {
			return nil, err
		}
	}
	want, err := sumTables(ctx, src, ts)
	if err != nil {
		return nil, fmt.Errorf("copy database: source sums: %w", err)
	}
	got, err := sumTables(ctx, tx, ts)
	if err != nil {
		return nil, fmt.Errorf("copy database: destination sums: %w", err)
	}
	if diff := SumMismatches(want, got); len(diff) > 0 {
		return want, fmt.Errorf("copy database: the copy differs from the source, nothing was committed:\n  %s", strings.Join(diff, "\n  "))
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("copy database: commit: %w", err)
	}
	return want, nil
}

// sameMigrations checks that both databases have the same migrations.
func sameMigrations(ctx context.Context, src, dst querier) error {
	const q = `SELECT name FROM schema_migrations ORDER BY name`
	a, err := column0[string](ctx, src, q)
	if err != nil {
		return fmt.Errorf("source migrations: %w", err)
	}
	b, err := column0[string](ctx, dst, q)
	if err != nil {
		return fmt.Errorf("destination migrations: %w", err)
	}
	if !slices.Equal(a, b) {
		return fmt.Errorf("the source has migrations %v, the destination %v: open both with the same apelbot version", a, b)
	}
	return nil
}

// sameTables checks that both sides have the same tables and columns.
func sameTables(src, dst []table) error {
	cols := map[string][]string{}
	for _, t := range dst {
		cols[t.name] = t.columns
	}
	for _, t := range src {
		d, ok := cols[t.name]
		if !ok {
			return fmt.Errorf("table %s is missing from the destination", t.name)
		}
		if !slices.Equal(t.columns, d) {
			return fmt.Errorf("table %s: columns %v in the source, %v in the destination", t.name, t.columns, d)
		}
		delete(cols, t.name)
	}
	for n := range cols {
		return fmt.Errorf("table %s is only in the destination", n)
	}
	return nil
}

// copyTable copies t's rows from src into dst in multi-row INSERTs.
func copyTable(ctx context.Context, src, dst querier, t table) error {
	rows, err := src.QueryContext(ctx, t.selectAll())
	if err != nil {
		return err
	}
	defer rows.Close()
	perStmt := max(1, maxParams/len(t.columns))
	insert := `INSERT INTO ` + quoteAll([]string{t.name})[0] + ` (` + strings.Join(quoteAll(t.columns), ", ") + `) VALUES `
	flush := func(args []any) error {
		if len(args) == 0 {
			return nil
		}
		_, err := dst.ExecContext(ctx, insert+rowsOf(len(args)/len(t.columns), len(t.columns)), args...)
		return err
	}
	args := make([]any, 0, perStmt*len(t.columns))
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = slices.Clone(b) // the driver may reuse it
			}
			args = append(args, v)
		}
		if len(args) == cap(args) {
			if err := flush(args); err != nil {
				return err
			}
			args = args[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush(args)
}

// resetIdentities moves every identity sequence past the largest id its
// column holds, so that the next row inserted without an id gets a new one.
func resetIdentities(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("identity columns: %w", err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		t, k := quoteAll([]string{c.table})[0], quoteAll([]string{c.column})[0]
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(max(`+k+`), 0) + 1, false) FROM `+t,
			t, c.column); err != nil {
			return fmt.Errorf("reset the identity of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}
