package scheduler_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/scheduler"
)

// deadlock is how long a test waits for something that should happen at
// once before it gives up; it bounds a hang, it does not time anything.
const deadlock = time.Minute

// logBuffer collects log lines written from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// contains reports whether a log entry with message msg was written.
func (b *logBuffer) contains(msg string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Contains(b.buf.Bytes(), []byte(`"message":"`+msg+`"`))
}

// entries returns the JSON log entries written so far.
func (b *logBuffer) entries(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// find returns the log entries with message msg.
func find(entries []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, e := range entries {
		if e["message"] == msg {
			out = append(out, e)
		}
	}
	return out
}

// startRun runs f's scheduler with a logger into logs until the returned
// cancel is called; wait then returns Run's error.
func startRun(t *testing.T, f *fixture, ctx context.Context, logs *logBuffer) (cancel func(), wait func() error) {
	t.Helper()
	s := scheduler.New(scheduler.Config{
		Pemda: pemda, Policy: f.policy, OPDs: f.opds, Store: f.store, Messenger: f.msgr,
		Logger: zerolog.New(logs).Level(zerolog.DebugLevel), Now: f.clock.Now,
	})
	ctx, cancel = context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	return cancel, func() error {
		select {
		case err := <-errc:
			return err
		case <-time.After(deadlock):
			t.Fatalf("Run did not return within %v of its context being cancelled", deadlock)
			return nil
		}
	}
}

func TestRunTicksAtStartAndReturnsWhenCancelled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	start := f.at(feb(mon), "07:20") // inside the pagi window
	f.clock.Set(start)
	logs := &logBuffer{}
	type opening struct {
		s           apel.Session
		cronStarted bool
	}
	opened := make(chan opening, 16)
	f.store.OnOpenSession = func(s apel.Session, _ bool) {
		// Run logs "scheduler started" once cron runs: an OpenSession
		// before that comes from the startup Tick, not from a wake-up.
		opened <- opening{s, logs.contains("scheduler started")}
	}

	cancel, wait := startRun(t, f, t.Context(), logs)
	defer cancel()
	select {
	case o := <-opened:
		if o.s.Date != feb(mon) || o.s.Kind != apel.Pagi {
			t.Errorf("Run at %v: first OpenSession for %s %s, want %s pagi", start, o.s.Date, o.s.Kind, feb(mon))
		}
		if o.cronStarted {
			t.Errorf("Run at %v: first OpenSession after cron started, want it from the Tick at start", start)
		}
	case <-time.After(deadlock):
		t.Fatalf("Run at %v: no OpenSession within %v: the startup Tick did not happen", start, deadlock)
	}
	cancel()
	if err := wait(); err != nil {
		t.Errorf("Run after cancel: error %v, want nil", err)
	}

	// The startup Tick ran to completion before Run waited for ctx. A cron
	// wake-up during the test would Tick again at the same clock, which is
	// idempotent, so these hold either way.
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(f.msgr.Calls())); diff != "" {
		t.Errorf("Run at %v: calls (-want +got):\n%s", start, diff)
	}
	if got := len(f.store.AllSessions()); got != 2 {
		t.Errorf("Run at %v: %d sessions, want 2", start, got)
	}

	entries := logs.entries(t)
	started := find(entries, "scheduler started")
	wantEntries := float64(len(scheduler.Specs(f.policy)) + 1) // the specs and "@every 1m"
	if len(started) != 1 || started[0]["entries"] != wantEntries {
		t.Errorf("Run: %q log entries %v, want one with entries=%v", "scheduler started", started, wantEntries)
	}
	if got := find(entries, "scheduler stopped"); len(got) != 1 {
		t.Errorf("Run: %d %q log entries, want 1", len(got), "scheduler stopped")
	}
	// cron logs "start" from its run loop before it takes the stop request,
	// and cronLogger routes it into zerolog at debug level.
	if got := find(entries, "cron start"); len(got) != 1 || got[0]["level"] != "debug" {
		t.Errorf("Run: %q log entries %v, want one at debug level", "cron start", got)
	}
	if got := find(entries, "tick"); len(got) != 0 {
		t.Errorf("Run: tick errors logged %v, want none", got)
	}
}

func TestRunLogsStartupTickError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.clock.Set(f.at(feb(mon), "07:20"))
	f.msgr.FailNext(mPostPrompt, 1)
	prompted := make(chan call, 16)
	f.msgr.OnCall = func(c call) { prompted <- c }
	logs := &logBuffer{}

	cancel, wait := startRun(t, f, t.Context(), logs)
	defer cancel()
	select {
	case c := <-prompted:
		if c.Err == nil {
			t.Errorf("first Messenger call %s succeeded, want the injected failure", brief(c))
		}
	case <-time.After(deadlock):
		t.Fatalf("Run: no Messenger call within %v", deadlock)
	}
	// The startup tick goes on with the other OPDs after the failure; a
	// cancel before it ends would cut it short, and the errors of a tick
	// cut short by shutdown are not logged (TestRunWithCancelledContext).
	// So wait for its log entry (it failed under load without this).
	for end := time.Now().Add(deadlock); len(find(logs.entries(t), "tick")) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("Run: no %q log entry within %v", "tick", deadlock)
		}
	}
	cancel()
	if err := wait(); err != nil {
		t.Errorf("Run after cancel: error %v, want nil (tick errors are logged, not returned)", err)
	}
	got := find(logs.entries(t), "tick")
	if len(got) != 1 || got[0]["level"] != "error" || !strings.Contains(fmt.Sprint(got[0]["error"]), "post prompt") {
		t.Errorf("Run with PostPrompt failing: %q log entries %v, want one error mentioning %q", "tick", got, "post prompt")
	}
}

func TestRunWithCancelledContext(t *testing.T) {
	t.Parallel()
	// Run still ticks once (the fakes ignore ctx), returns nil at once, and
	// does not log the errors of a Tick cut short by shutdown.
	f := newFixture(t, "Asia/Makassar")
	f.clock.Set(f.at(feb(mon), "07:20"))
	f.msgr.FailNext(mPostPrompt, 1)
	ctx, cancelNow := context.WithCancel(t.Context())
	cancelNow()
	logs := &logBuffer{}

	cancel, wait := startRun(t, f, ctx, logs)
	defer cancel()
	if err := wait(); err != nil {
		t.Errorf("Run(cancelled ctx): error %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi (failed)"}, briefs(f.msgr.Calls())); diff != "" {
		t.Errorf("Run(cancelled ctx): calls (-want +got):\n%s", diff)
	}
	if got := find(logs.entries(t), "tick"); len(got) != 0 {
		t.Errorf("Run(cancelled ctx): tick errors logged %v, want none", got)
	}
}

// TestSpecsMatchSlotEdges parses every spec the way Run's cron does (the
// policy's zone, standard parser) without a panic, and checks that over a
// week they fire exactly at the opening, reminder and closing instants of
// every slot the policy has.
func TestSpecsMatchSlotEdges(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			p := testPolicy(loadZone(t, zone))
			p.OffDays = nil // cron wakes on days off too; Tick decides
			from := feb(mon).At(apel.Clock{}, p.Location)
			to := feb(mon).AddDays(7).At(apel.Clock{}, p.Location)

			var want []time.Time
			for d := feb(mon); d.Before(feb(mon).AddDays(7)); d = d.AddDays(1) {
				for _, s := range p.Slots(d) {
					want = append(want, s.Opens, s.RemindAt, s.Closes)
				}
			}
			var got []time.Time
			for _, spec := range scheduler.Specs(p) {
				for _, withTZ := range []bool{false, true} {
					in, loc := spec, p.Location // Run's cron.WithLocation
					if withTZ {
						in, loc = "CRON_TZ="+zone+" "+spec, time.UTC
					}
					sched, err := parseSpec(in)
					if err != nil {
						t.Fatalf("cron.ParseStandard(%q): %v", in, err)
					}
					for next := sched.Next(from.In(loc).Add(-time.Second)); next.Before(to); next = sched.Next(next) {
						if !withTZ {
							got = append(got, next)
						} else if !slices.ContainsFunc(want, next.Equal) {
							t.Errorf("spec %q fires at %v, not a slot edge", in, next)
						}
					}
				}
			}
			slices.SortFunc(got, time.Time.Compare)
			slices.SortFunc(want, time.Time.Compare)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fire times of Specs over the week of %s (-want +got):\n%s", feb(mon), diff)
			}
		})
	}
}

// parseSpec parses spec with cron's standard parser, turning the panics
// some malformed specs cause into errors.
func parseSpec(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// TestTickIgnoresProcessTimeZone reruns the zone-sensitive tests in a child
// process whose local zone is far from Indonesia's, on both sides of UTC:
// Tick and Specs must never read time.Local.
func TestTickIgnoresProcessTimeZone(t *testing.T) {
	if os.Getenv("APELBOT_WANT_OFFSET") != "" {
		t.Skip("already in the child process")
	}
	t.Parallel()
	tests := []string{"TestLocalZoneOfChild", "TestTickTimeZones", "TestTickSendsDailyReportOnceAfterSoreCloses", "TestSpecs", "TestSpecsMatchSlotEdges"}
	for _, tc := range []struct {
		tz     string
		offset int
	}{{"Pacific/Kiritimati", 14 * 3600}, {"Pacific/Pago_Pago", -11 * 3600}, {"America/New_York", -5 * 3600}} {
		t.Run(tc.tz, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^("+strings.Join(tests, "|")+")$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "TZ="+tc.tz, fmt.Sprintf("APELBOT_WANT_OFFSET=%d", tc.offset))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("tests under TZ=%s: %v\n%s", tc.tz, err, out)
			}
			for _, name := range tests {
				if !bytes.Contains(out, []byte("--- PASS: "+name+" ")) {
					t.Errorf("tests under TZ=%s: %s did not pass:\n%s", tc.tz, name, out)
				}
			}
		})
	}
}

// TestLocalZoneOfChild checks, in the child process of
// TestTickIgnoresProcessTimeZone, that the local zone is the one it set.
func TestLocalZoneOfChild(t *testing.T) {
	t.Parallel()
	want := os.Getenv("APELBOT_WANT_OFFSET")
	if want == "" {
		t.Skip("only in the child process of TestTickIgnoresProcessTimeZone")
	}
	_, off := time.Date(2026, 2, 2, 7, 15, 0, 0, time.Local).Zone()
	if fmt.Sprint(off) != want {
		t.Fatalf("local zone offset on %s = %d, want %s", feb(mon), off, want)
	}
}
