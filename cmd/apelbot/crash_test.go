package main

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store"
)

// crashWindow picks a zone in which an apel pagi at the current minute, and
// an apel sore 90 minutes later, both fit in today (the window opens 15
// minutes before apel and closes 60 minutes after; it must not cross
// midnight). ok is false when no candidate zone fits.
func crashWindow(now time.Time) (zone, pagi, sore string, ok bool) {
	for _, z := range []string{"Asia/Jakarta", "UTC", "Asia/Jayapura"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		t := now.In(loc)
		m := t.Hour()*60 + t.Minute()
		// Open since m-15; the test runs a few minutes; sore closes at
		// m+90+60, before midnight.
		if m >= 16 && m+150 < 24*60-5 {
			p, s := t.Truncate(time.Minute), t.Truncate(time.Minute).Add(90*time.Minute)
			return z, p.Format("15:04"), s.Format("15:04"), true
		}
	}
	return "", "", "", false
}

// serveProcess is a running `apelbot serve`.
type serveProcess struct {
	cmd  *exec.Cmd
	done chan error
}

func startServe(t *testing.T, bin, cfg string, env []string, logPath string) *serveProcess {
	t.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "-config", cfg)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start apelbot serve: %v", err)
	}
	p := &serveProcess{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logf.Close() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// crashCheckIns returns today's check-ins by the update id that carried
// them, failing on two for one update.
func crashCheckIns(t *testing.T, dbPath string, d apel.Date) map[int64]apel.CheckIn {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cis, err := db.CheckIns(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[int64]apel.CheckIn, len(cis))
	for _, c := range cis {
		if prev, dup := out[c.UpdateID]; dup {
			t.Errorf("update %d produced two check-ins: %d and %d", c.UpdateID, prev.ID, c.ID)
		}
		out[c.UpdateID] = c
	}
	return out
}

// TestCrashMidBurst builds the binary, runs `apelbot serve` against the
// fake Bot API, and kills it with SIGKILL in the middle of a burst of 200
// check-ins. Every update Telegram saw confirmed has exactly one check-in at
// the moment of the kill; after a restart, all 200 are in, each once, each
// for the person who sent it.
func TestCrashMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	const n = 200
	zone, pagi, sore, ok := crashWindow(time.Now())
	if !ok {
		t.Skip("no candidate zone has an apel window open now that does not cross midnight")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "apelbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	srv := telegramtest.New()
	defer srv.Close()
	people := e2ePeople(n + 2) // two heads, then the staff who check in
	dbPath := filepath.Join(dir, "apelbot.db")
	cfg := e2eConfig(t, zone, pagi, sore, "telegram:\n  poll_timeout: 2s\nshutdown_timeout: 10s\n")
	env := append(os.Environ(), "TELEGRAM_BOT_TOKEN="+srv.Token(), "TELEGRAM_API_URL="+srv.URL(),
		"APELBOT_DB="+dbPath, "APELBOT_LOG_LEVEL=info", "APELBOT_LOG_FORMAT=json")
	imp := exec.Command(bin, "import", "-config", cfg, e2eRoster(t, people))
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("apelbot import: %v\n%s", err, out)
	}
	logPath := filepath.Join(dir, "serve.log")
	defer func() {
		if t.Failed() {
			if b, err := os.ReadFile(logPath); err == nil {
				t.Logf("serve log:\n%s", b)
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	first := startServe(t, bin, cfg, env, logPath)
	var last int64
	for _, p := range people {
		last = srv.SendText(p.User, p.User.ID, time.Now(), p.NIP)
	}
	if err := srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatalf("registrations not handled: %v", err)
	}
	// The scheduler opened apel pagi at start: the window is open now.
	loc, _ := time.LoadLocation(zone)
	today := apel.DateOf(time.Now(), loc)
	waitSessions(ctx, t, dbPath, today)

	// The burst, queued at once: getUpdates hands it out 100 at a time. Once
	// the first batch is confirmed (the bot asked for the second), the
	// getUpdates that would confirm the second is held back, and the kill
	// comes as soon as the second batch is seen saved in the inbox: its
	// handling has begun (or, on a fast machine, ended), and it is
	// unconfirmed whatever the speed of the handling.
	release := srv.Hold()
	ids := make(map[int64]e2ePerson, n)
	var firstID, lastID int64
	for _, p := range people[2:] {
		lat, lon := p.office()
		id := srv.SendLocation(p.User, time.Now(), lat, lon, 10)
		ids[id] = p
		if firstID == 0 {
			firstID = id
		}
		lastID = id
	}
	release()
	if err := srv.WaitConfirmed(ctx, firstID); err != nil {
		t.Fatalf("first batch not handled: %v", err)
	}
	srv.DelayNext("getUpdates", 1, 5*time.Second) // far longer than the kill takes; a restart may inherit it
	waitRows(ctx, t, dbPath, `SELECT max(id) FROM updates`, lastID, time.Minute)
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.done
	confirmed := srv.Confirmed()
	got := crashCheckIns(t, dbPath, today)
	saved := pendingUpdates(t, dbPath)
	t.Logf("killed with %d of %d check-ins in, %d updates saved and not done, updates confirmed up to %d (burst %d..%d)",
		len(got), n, saved, confirmed, firstID, lastID)
	if confirmed >= lastID {
		t.Fatalf("the whole burst was confirmed before the kill: not a mid-burst crash")
	}
	// Telegram forgets a confirmed update: it must be checked in, or saved
	// in the inbox for the restart (the bot fetches and saves the next batch
	// while it handles one, so a confirmed update may not be handled yet).
	pending := pendingIDs(t, dbPath)
	for id := firstID; id <= confirmed; id++ {
		if _, ok := got[id]; !ok && !pending[id] {
			t.Errorf("update %d was confirmed to Telegram but has no check-in and is not in the inbox", id)
		}
	}

	second := startServe(t, bin, cfg, env, logPath)
	if err := srv.WaitConfirmed(ctx, lastID); err != nil {
		t.Fatalf("burst not finished after the restart: %v", err)
	}
	// Confirmed means saved: the last batch may still be in hand.
	waitRows(ctx, t, dbPath, `SELECT count(*) FROM check_ins`, n, time.Minute)
	got = crashCheckIns(t, dbPath, today)
	if len(got) != n {
		t.Errorf("after the restart: %d check-ins, want %d", len(got), n)
	}
	emps := employeesByNIP(t, dbPath)
	for id, p := range ids {
		c, ok := got[id]
		switch {
		case !ok:
			t.Errorf("update %d (person %d): no check-in", id, p.I)
		case c.EmployeeID != emps[p.NIP]:
			t.Errorf("update %d: check-in of employee %d, want %d", id, c.EmployeeID, emps[p.NIP])
		}
	}

	// Updates saved but not done at the kill were replayed by the restart.
	if b, err := os.ReadFile(logPath); saved > 0 && (err != nil || !strings.Contains(string(b), "replaying updates saved before a stop")) {
		t.Errorf("%d updates were saved and not done at the kill, but the serve log lacks the replay (err %v)", saved, err)
	}

	// A graceful stop this time.
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-second.done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v, want a clean exit", err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("serve did not stop 30s after SIGTERM")
	}
	if err := srv.Err(); err != nil {
		t.Errorf("fake Bot API: %v", err)
	}
}

// waitSessions waits until the sessions of d are open in the database.
func waitSessions(ctx context.Context, t *testing.T, dbPath string, d apel.Date) {
	t.Helper()
	for {
		db, err := store.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := db.Sessions(ctx, d)
		db.Close()
		if err == nil && len(ss) >= len(e2eOPDs()) {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("no sessions on %s: %v", d, errors.Join(err, ctx.Err()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRows waits until query (one number) reaches want, or for at most
// limit, reading the database through one read-only connection so that it
// notices within milliseconds.
func waitRows(ctx context.Context, t *testing.T, dbPath, query string, want int64, limit time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		var got sql.NullInt64
		if err := db.QueryRowContext(ctx, query).Scan(&got); err == nil && got.Int64 >= want {
			return
		}
		if ctx.Err() != nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// pendingUpdates returns how many updates are saved and not done.
func pendingUpdates(t *testing.T, dbPath string) int {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ups, err := db.PendingUpdates(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(ups)
}

// pendingIDs returns the ids of the updates saved and not done.
func pendingIDs(t *testing.T, dbPath string) map[int64]bool {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ups, err := db.PendingUpdates(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[int64]bool, len(ups))
	for _, u := range ups {
		out[u.ID] = true
	}
	return out
}

// employeesByNIP returns employee ids by NIP.
func employeesByNIP(t *testing.T, dbPath string) map[string]int64 {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emps, err := db.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]int64, len(emps))
	for _, e := range emps {
		out[e.NIP] = e.ID
	}
	return out
}
