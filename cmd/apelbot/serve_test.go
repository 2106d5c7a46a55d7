package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store/storetest"
)

// env returns a getenv over a map.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func demoConfigFile(t *testing.T, edit func(string) string) string {
	t.Helper()
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "apelbot.yaml", edit(string(raw)))
}

// TestServeEndToEnd runs `apelbot serve` against the fake Bot API: a user is
// answered, and SIGTERM (context cancel) stops it cleanly.
func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	serveEndToEnd(t, map[string]string{"APELBOT_DB": writeFile(t, "unused", "") + ".db"})
}

// TestServeEndToEndOnPostgres is TestServeEndToEnd on a PostgreSQL
// database named by APELBOT_DATABASE_URL (skipped without
// APELBOT_TEST_POSTGRES).
func TestServeEndToEndOnPostgres(t *testing.T) {
	t.Parallel()
	serveEndToEnd(t, map[string]string{"APELBOT_DATABASE_URL": storetest.PostgresDSN(t),
		"APELBOT_DB": "/nonexistent/dir/ignored.db"})
}

func serveEndToEnd(t *testing.T, vars map[string]string) {
	srv := telegramtest.New()
	defer srv.Close()
	path := demoConfigFile(t, func(s string) string { return s })
	vars["TELEGRAM_BOT_TOKEN"], vars["TELEGRAM_API_URL"], vars["APELBOT_LOG_LEVEL"] = srv.Token(), srv.URL(), "warn"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() { done <- dispatch(ctx, []string{"serve", "-config", path}, &bytes.Buffer{}, &stderr, env(vars)) }()

	wctx, wcancel := context.WithTimeout(ctx, 15*time.Second)
	defer wcancel()
	id := srv.SendText(telegramtest.User{ID: 42, FirstName: "Ani"}, 42, time.Now(), "/start")
	if err := srv.WaitConfirmed(wctx, id); err != nil {
		t.Fatalf("serve did not handle /start: %v", err)
	}
	c, err := srv.Next(wctx)
	if err != nil {
		t.Fatalf("no reply to /start: %v", err)
	}
	if c.Method != "sendMessage" || c.ChatID() != 42 || !strings.Contains(c.Text(), "Selamat datang di bot apel virtual Kota Ternate") {
		t.Errorf("reply to /start = %s, want the welcome in chat 42", c)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if err := srv.Err(); err != nil {
		t.Errorf("fake Bot API: %v", err)
	}
}

// TestServeRefusesBadSetup stops before connecting anywhere.
func TestServeRefusesBadSetup(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	defer srv.Close()
	tests := []struct {
		name string
		edit func(string) string
		env  map[string]string
		want string
	}{
		{"no token", func(s string) string { return s }, map[string]string{}, "TELEGRAM_BOT_TOKEN is not set"},
		{"unknown zone", func(s string) string { return strings.Replace(s, "Asia/Jayapura", "Asia/Jakrta", 1) },
			map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token()}, `timezone: unknown time zone "Asia/Jakrta"`},
		{"25:00", func(s string) string {
			return strings.Replace(s, `pagi: "07:30", sore: "16:00", mode: WFO }`, `pagi: "25:00", sore: "16:00", mode: WFO }`, 1)
		},
			map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token()}, "25:00"},
		{"unknown key", func(s string) string { return strings.Replace(s, "radius_m", "raduis_m", 1) },
			map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token()}, "raduis_m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.env["TELEGRAM_API_URL"] = srv.URL()
			tt.env["APELBOT_DB"] = writeFile(t, "x", "") + ".db"
			path := demoConfigFile(t, tt.edit)
			err := dispatch(context.Background(), []string{"serve", "-config", path}, &bytes.Buffer{}, &bytes.Buffer{}, env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("serve with %s: err = %v, want it to mention %q", tt.name, err, tt.want)
			}
		})
	}
	if h := srv.History(); len(h) != 0 {
		t.Errorf("a bad setup still called the Bot API: %v", h)
	}
}

func TestDispatchUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := dispatch(context.Background(), []string{"fly"}, &out, &errOut, env(nil)); err != errUsage {
		t.Errorf("dispatch fly: err = %v, want errUsage", err)
	}
	if !strings.Contains(errOut.String(), `unknown command "fly"`) || !strings.Contains(errOut.String(), "apelbot demo") {
		t.Errorf("dispatch fly printed %q, want the usage", errOut.String())
	}
	if err := dispatch(context.Background(), nil, &out, &errOut, env(nil)); err != errUsage {
		t.Errorf("dispatch with no args: err = %v, want errUsage", err)
	}
}

// TestReportAndBackup prints the demo day's report from a database and
// snapshots it.
func TestReportAndBackup(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	if err := cmdDemo(context.Background(), []string{"-quiet", "-db", cfg.Database}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	path := demoConfigFile(t, func(s string) string { return s })
	var out bytes.Buffer
	if err := dispatch(context.Background(), []string{"report", "-config", path, "-db", cfg.Database, "-date", "2026-01-13"}, &out, &bytes.Buffer{}, env(nil)); err != nil {
		t.Fatalf("report: %v", err)
	}
	if !strings.Contains(out.String(), "Pagi: hadir 24/26 (92,3%)") {
		t.Errorf("report printed:\n%s\nwant the demo day's totals", out.String())
	}
	snap := cfg.Database + ".bak"
	if err := dispatch(context.Background(), []string{"backup", "-config", path, "-db", cfg.Database, "-o", snap}, &bytes.Buffer{}, &bytes.Buffer{}, env(nil)); err != nil {
		t.Fatalf("backup: %v", err)
	}
	out.Reset()
	if err := dispatch(context.Background(), []string{"report", "-config", path, "-db", snap, "-date", "2026-01-13"}, &out, &bytes.Buffer{}, env(nil)); err != nil {
		t.Fatalf("report from the snapshot: %v", err)
	}
	if !strings.Contains(out.String(), "Pagi: hadir 24/26 (92,3%)") {
		t.Errorf("report from the restored snapshot:\n%s\nwant the same totals", out.String())
	}
	if err := dispatch(context.Background(), []string{"report", "-config", path, "-date", "13-01-2026"}, &out, &bytes.Buffer{}, env(nil)); err == nil || !strings.Contains(err.Error(), "-date") {
		t.Errorf("report -date 13-01-2026: err = %v, want a -date error", err)
	}
}
