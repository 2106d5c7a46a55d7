package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apelbot/apelbot/store/storetest"
)

// TestMigrateStore moves the demo's whole day from SQLite to PostgreSQL
// with `apelbot migrate-store` and checks that every command then reads the
// same pemda there: the daily report comes out identical. A second copy
// into the same database is refused, -check compares, and a row changed
// afterwards is caught by -check, naming its table.
//
// Not parallel: it plays the demo's whole day, as four parallel tests of
// this package already do; run alone, it does not add to their load (their
// steps have a 10 s deadline, tight under -race on a busy machine).
func TestMigrateStore(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	cfg := testConfig(t)
	if err := cmdDemo(ctx, []string{"-quiet", "-db", cfg.Database}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		err := dispatch(ctx, args, &out, &errs, env(nil))
		return out.String() + errs.String(), err
	}
	out, err := run("migrate-store", "-from", "sqlite:"+cfg.Database, "-to", dsn)
	if err != nil || !strings.Contains(out, "the counts and checksums of every table match") {
		t.Fatalf("migrate-store: %v\n%s", err, out)
	}
	if !strings.Contains(out, "check_ins") || strings.Contains(out, " NO ") {
		t.Errorf("migrate-store printed:\n%s\nwant every table, all the same", out)
	}

	config := demoConfigFile(t, func(s string) string { return s })
	report := func(db string) string {
		out, err := run("report", "-config", config, "-db", db, "-date", "2026-01-13")
		if err != nil {
			t.Fatalf("report -db %s: %v", db, err)
		}
		return out
	}
	lite, pg := report(cfg.Database), report(dsn)
	if lite != pg || !strings.Contains(pg, "Pagi: hadir 24/26 (92,3%)") {
		t.Errorf("report from PostgreSQL:\n%s\nwant the same as from SQLite:\n%s", pg, lite)
	}

	if out, err := run("migrate-store", "-from", cfg.Database, "-to", dsn); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("migrate-store into a database with data: %v\n%s\nwant a not-empty error", err, out)
	}
	if out, err := run("migrate-store", "-check", "-from", cfg.Database, "-to", dsn); err != nil || !strings.Contains(out, "compared") {
		t.Errorf("migrate-store -check after the copy: %v\n%s", err, out)
	}
	if err := storetest.Exec(dsn, `UPDATE check_ins SET late = 1 - late WHERE id = (SELECT min(id) FROM check_ins)`); err != nil {
		t.Fatal(err)
	}
	out, err = run("migrate-store", "-check", "-from", cfg.Database, "-to", dsn)
	if err == nil || !strings.Contains(err.Error(), "check_ins:") || !strings.Contains(out, "NO") {
		t.Errorf("migrate-store -check after a change: %v\n%s\nwant a difference in check_ins", err, out)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-from", filepath.Join(t.TempDir(), "missing.db"), "-to", dsn}, "no such file"},
		{[]string{"-from", cfg.Database, "-to", "sqlite:" + cfg.Database + ".2"}, "want a postgres:// URL"},
		{[]string{"-from", dsn, "-to", dsn}, "want sqlite:PATH"},
	} {
		if _, err := run(append([]string{"migrate-store"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("migrate-store %q: got %v, want an error with %q", tt.args, err, tt.want)
		}
	}
	if _, err := run("backup", "-config", config, "-db", dsn, "-o", filepath.Join(t.TempDir(), "b.db")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of a PostgreSQL database: got %v, want an error pointing at pg_dump", err)
	}
}
