package store

import (
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestRewritePlaceholders(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "engine-independent, ran on the SQLite pass")
	tests := []struct{ name, in, want string }{
		{"none", `SELECT 1`, `SELECT 1`},
		{"in order", `INSERT INTO t (a, b) VALUES (?, ?)`, `INSERT INTO t (a, b) VALUES ($1, $2)`},
		{"numbered, reused", `WHERE (?1 = '' OR opd = ?1) AND d BETWEEN ?2 AND ?3`, `WHERE ($1 = '' OR opd = $1) AND d BETWEEN $2 AND $3`},
		{"plain after numbered takes the next", `?2, ?, ?1, ?`, `$2, $3, $1, $4`},
		{"string", `SELECT '?', ? FROM t WHERE a = 'it''s ?'`, `SELECT '?', $1 FROM t WHERE a = 'it''s ?'`},
		{"escape string", `SELECT E'\'?', ?`, `SELECT E'\'?', $1`},
		{"identifier", `SELECT "a?""b?" FROM t WHERE x = ?`, `SELECT "a?""b?" FROM t WHERE x = $1`},
		{"line comment", "SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{"comment at end", "SELECT ? -- why?", "SELECT $1 -- why?"},
		{"block comment, nested", `SELECT /* a? /* b? */ c? */ ?`, `SELECT /* a? /* b? */ c? */ $1`},
		{"dollar quote", `CREATE FUNCTION f() AS $$ SELECT '?' $$; SELECT ?`, `CREATE FUNCTION f() AS $$ SELECT '?' $$; SELECT $1`},
		{"tagged dollar quote", `$fn$ a ? $x$ b? $fn$ ?`, `$fn$ a ? $x$ b? $fn$ $1`},
		{"a $n is left alone, not taken for a tag", `SELECT $1, '$2', ?`, `SELECT $1, '$2', $1`},
		{"identifier with dollar", `SELECT a$b$ FROM t WHERE c = ?`, `SELECT a$b$ FROM t WHERE c = $1`},
		{"unterminated string", `SELECT 'abc ?`, `SELECT 'abc ?`},
		{"minus is not a comment", `SELECT 1 - ?`, `SELECT 1 - $1`},
		{"utf-8", `SELECT 'Ñ?' || ?`, `SELECT 'Ñ?' || $1`},
	}
	for _, tt := range tests {
		if got := rewritePlaceholders(tt.in); got != tt.want {
			t.Errorf("%s: rewritePlaceholders(%q): got %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	var c rewriteCache
	for range 2 {
		if got, want := c.get(`SELECT ?`), `SELECT $1`; got != want {
			t.Errorf("rewriteCache.get: got %q, want %q", got, want)
		}
	}
	long := `SELECT ?` + strings.Repeat(" ", rewriteCacheMaxLen)
	if got := c.get(long); !strings.HasPrefix(got, `SELECT $1`) || len(c.m) != 1 {
		t.Errorf("rewriteCache.get(long): got %.20q with %d cached, want it rewritten and not cached", got, len(c.m))
	}
}

// FuzzRewritePlaceholders checks the rewriter on any text: it never
// panics; a text without '?' comes back as it is; one without anything that
// quotes or comments (' " - / $) comes back with every '?' numbered as SQLite
// numbers them (a reference implementation below); and no text gains '?'.
func FuzzRewritePlaceholders(f *testing.F) {
	for _, s := range []string{`SELECT ?`, `?1 = '' OR ?1`, `'?' "?" -- ?` + "\n?", `/* ? /* ? */ */ ?`, `$$?$$ $a$?$a$ ?`, `E'\'?' ?`, `?2 ? ?10 ?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := rewritePlaceholders(s)
		switch {
		case !strings.Contains(s, "?"):
			if got != s {
				t.Fatalf("rewritePlaceholders(%q) without '?': got %q, want it unchanged", s, got)
			}
		case !strings.ContainsAny(s, `'"-/$`):
			if want := referenceNumbering(s); got != want {
				t.Fatalf("rewritePlaceholders(%q): got %q, want %q", s, got, want)
			}
		case strings.Count(got, "?") > strings.Count(s, "?"):
			t.Fatalf("rewritePlaceholders(%q): got %q, with more '?' than it had", s, got)
		}
	})
}

// referenceNumbering numbers the placeholders of a text with no quotes or
// comments the way SQLite does, written independently of the rewriter.
func referenceNumbering(s string) string {
	var out []string
	maxN := 0
	for i, part := range strings.Split(s, "?") {
		if i == 0 {
			out = append(out, part)
			continue
		}
		digits := len(part) - len(strings.TrimLeft(part, "0123456789"))
		n := maxN + 1
		if digits > 0 {
			if v, err := strconv.Atoi(part[:digits]); err == nil {
				n = v
			}
		}
		maxN = max(maxN, n)
		out = append(out, "$"+strconv.Itoa(n)+part[digits:])
	}
	return strings.Join(out, "")
}

// TestMigrationsMatch checks that both engines have the same migrations:
// every SQLite migration has its PostgreSQL version of the same name.
func TestMigrationsMatch(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "engine-independent, ran on the SQLite pass")
	names := func(dir string) []string {
		files, err := fs.Glob(migrationFS, dir+"/*.sql")
		if err != nil {
			t.Fatalf("Glob(%s): %v", dir, err)
		}
		for i, f := range files {
			files[i] = path.Base(f)
		}
		slices.Sort(files)
		return files
	}
	lite, pg := names(sqlite3Dialect.migrationDir()), names(postgres.migrationDir())
	if !slices.Equal(lite, pg) {
		t.Errorf("migrations: SQLite has %v, PostgreSQL has %v; want the same names: each new migration in store/migrations/ needs its PostgreSQL version in store/migrations/postgres/", lite, pg)
	}
}
