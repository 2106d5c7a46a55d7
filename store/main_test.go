package store

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apelbot/apelbot/store/storetest"
)

// The store suite runs once per engine, from one set of tests: TestMain
// runs every test of the package on SQLite, then again on PostgreSQL when
// APELBOT_TEST_POSTGRES holds a server URL (e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). A test opens its
// database with testDSN (mustOpen in the store_test package), which is a
// file in t.TempDir() on the SQLite pass and a schema of its own on the
// PostgreSQL pass; a test with nothing to check on PostgreSQL calls
// sqliteOnly. APELBOT_TEST_ENGINES=postgres (or sqlite) runs one pass only.
const testPostgresEnv = storetest.Env

// testPass is the engine of the pass under way; testPostgresURL the server
// of the PostgreSQL pass.
var (
	testPass        = sqlite3Dialect
	testPostgresURL string
)

func TestMain(m *testing.M) {
	engines := strings.Split(os.Getenv("APELBOT_TEST_ENGINES"), ",")
	want := func(e string) bool { return engines[0] == "" || slices.Contains(engines, e) }
	code := 0
	if want("sqlite") {
		code = m.Run()
	}
	testPostgresURL = os.Getenv(testPostgresEnv)
	if !want("postgres") {
		os.Exit(code)
	}
	if testPostgresURL == "" {
		fmt.Fprintf(os.Stderr, "store: the PostgreSQL pass of the store suite did not run: %s is not set\n", testPostgresEnv)
		os.Exit(code)
	}
	if err := storetest.Ping(testPostgresURL); err != nil {
		fmt.Fprintf(os.Stderr, "store: PostgreSQL pass: %s is set but the server does not answer: %v\n", testPostgresEnv, err)
		os.Exit(1)
	}
	fmt.Println("store: PostgreSQL pass: every test again, on PostgreSQL")
	testPass = postgres
	if c := m.Run(); c != 0 {
		code = c
	}
	os.Exit(code)
}

// TestPostgresPass says, on the SQLite pass, whether the PostgreSQL pass
// will run, so that `go test -v` shows a skipped PostgreSQL half.
func TestPostgresPass(t *testing.T) {
	t.Parallel()
	if testPass == postgres {
		t.Logf("PostgreSQL pass under way (%s)", testPostgresEnv)
		return
	}
	if os.Getenv(testPostgresEnv) == "" {
		t.Skipf("the PostgreSQL half of the store suite is skipped: %s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", testPostgresEnv)
	}
	t.Logf("%s is set: every test runs again on PostgreSQL after this pass", testPostgresEnv)
}

// sqliteOnly skips t on the PostgreSQL pass; why says why it has nothing to
// check there.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if testPass == postgres {
		t.Skipf("SQLite only: %s", why)
	}
}

// testSchemas maps the database paths of the PostgreSQL pass to their
// schemas' URLs, so that a test reopening a path reopens its schema.
var testSchemas sync.Map // path -> DSN

// testDSN returns what a test opens for the database at path (a file in
// its t.TempDir()): path itself on the SQLite pass; on the PostgreSQL pass
// the server's URL with search_path set to a fresh schema of path's own,
// created on first use and dropped (CASCADE) when t ends, so that parallel
// tests and other runs on the same server never meet.
func testDSN(t testing.TB, path string) string {
	t.Helper()
	if testPass != postgres {
		return path
	}
	if v, ok := testSchemas.Load(path); ok {
		return v.(string)
	}
	dsn, err := storetest.NewSchema(t, testPostgresURL)
	if err != nil {
		t.Fatalf("PostgreSQL pass: %v", err)
	}
	testSchemas.Store(path, dsn)
	t.Cleanup(func() { testSchemas.Delete(path) })
	return dsn
}
