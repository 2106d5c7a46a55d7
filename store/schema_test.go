package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSchemasMatch checks, on the PostgreSQL pass, that both engines'
// migrations build the same schema: the same tables with the same columns
// in the same order, of matching types and nullability, and the same named
// indexes and triggers. It catches a migration ported to one engine only,
// or ported differently.
func TestSchemasMatch(t *testing.T) {
	t.Parallel()
	if testPass != postgres {
		t.Skip("runs on the PostgreSQL pass: compares the two engines' schemas")
	}
	ctx := context.Background()
	lite, err := Open(ctx, filepath.Join(t.TempDir(), "apel.db"))
	if err != nil {
		t.Fatalf("Open(SQLite): %v", err)
	}
	defer lite.Close()
	pg, err := Open(ctx, testDSN(t, filepath.Join(t.TempDir(), "pg")))
	if err != nil {
		t.Fatalf("Open(PostgreSQL): %v", err)
	}
	defer pg.Close()
	want, err := sqliteSchema(ctx, lite)
	if err != nil {
		t.Fatalf("SQLite schema: %v", err)
	}
	got, err := postgresSchema(ctx, pg)
	if err != nil {
		t.Fatalf("PostgreSQL schema: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schemas after migration (-SQLite +PostgreSQL):\n%s", diff)
	}
}

// schema is a database's tables, as both engines can describe them: each
// column as "table.column TYPE [NOT NULL]", where TYPE is a class (INTEGER
// for PostgreSQL's integer and bigint, REAL, TEXT, BLOB), and the names of
// the indexes and triggers.
type schema struct {
	Columns  []string
	Indexes  []string
	Triggers []string
}

func sqliteSchema(ctx context.Context, db *DB) (schema, error) {
	var s schema
	tables, err := strings0(ctx, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return s, err
	}
	for _, tb := range tables {
		rows, err := db.r.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, tb)
		if err != nil {
			return s, err
		}
		for rows.Next() {
			var name, typ string
			var notnull, pk int
			if err := rows.Scan(&name, &typ, &notnull, &pk); err != nil {
				rows.Close()
				return s, err
			}
			// INTEGER PRIMARY KEY is NOT NULL without saying so.
			s.Columns = append(s.Columns, column(tb, name, typ, notnull == 1 || pk > 0 && typ == "INTEGER"))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s, err
		}
	}
	if s.Indexes, err = strings0(ctx, db, `SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`); err != nil {
		return s, err
	}
	s.Triggers, err = strings0(ctx, db, `SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`)
	return s, err
}

func postgresSchema(ctx context.Context, db *DB) (schema, error) {
	var s schema
	rows, err := db.r.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var tb, name, typ, nullable string
		if err := rows.Scan(&tb, &name, &typ, &nullable); err != nil {
			rows.Close()
			return s, err
		}
		class := map[string]string{"bigint": "INTEGER", "integer": "INTEGER", "double precision": "REAL", "text": "TEXT", "bytea": "BLOB"}[typ]
		if class == "" {
			class = "unexpected " + typ
		}
		s.Columns = append(s.Columns, column(tb, name, class, nullable == "NO"))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	// Indexes created by name, not those behind PRIMARY KEY and UNIQUE.
	if s.Indexes, err = strings0(ctx, db, `SELECT c.relname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY c.relname`); err != nil {
		return s, err
	}
	s.Triggers, err = strings0(ctx, db, `SELECT DISTINCT trigger_name FROM information_schema.triggers
		WHERE trigger_schema = current_schema() ORDER BY trigger_name`)
	return s, err
}

func column(table, name, typ string, notNull bool) string {
	s := fmt.Sprintf("%s.%s %s", table, name, typ)
	if notNull {
		s += " NOT NULL"
	}
	return s
}

// strings0 returns the first column of every row of query.
func strings0(ctx context.Context, db *DB, query string) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
