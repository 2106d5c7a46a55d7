// Package storetest gives the tests of any package a PostgreSQL database of
// their own on the server named by APELBOT_TEST_POSTGRES (CI sets it; see
// .ci/run): a fresh schema, dropped when the test ends, so that parallel
// tests and other runs on the same server never meet. It is for tests only.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the environment variable holding the test server's URL, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const Env = "APELBOT_TEST_POSTGRES"

// URL returns the test server's URL, "" when Env is not set.
func URL() string { return os.Getenv(Env) }

// PostgresDSN returns the URL of a fresh, empty schema on the test server,
// for store.Open (every connection opened with it uses the schema; open it
// as often as needed, e.g. once per replica). It skips t, saying why, when
// Env is not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := URL()
	if base == "" {
		t.Skipf("PostgreSQL half skipped: %s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", Env)
	}
	dsn, err := NewSchema(t, base)
	if err != nil {
		t.Fatalf("PostgreSQL (%s): %v", Env, err)
	}
	return dsn
}

// NewSchema creates a schema with a random name on the server at base,
// drops it (CASCADE) when t ends, and returns base with search_path set to
// it.
func NewSchema(t testing.TB, base string) (string, error) {
	t.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("invalid URL")
	}
	if err := Exec(base, `CREATE SCHEMA `+name); err != nil {
		return "", fmt.Errorf("create schema %s: %w", name, err)
	}
	t.Cleanup(func() {
		if err := Exec(base, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("PostgreSQL: drop schema %s: %v", name, err)
		}
	})
	t.Logf("PostgreSQL: schema %s", name)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Exec runs one statement on its own connection to the server at dsn.
func Exec(dsn, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// Ping checks that the server at dsn answers.
func Ping(dsn string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}
