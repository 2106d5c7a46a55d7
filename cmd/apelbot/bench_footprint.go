package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

// footprintResult is the run of `apelbot serve` as a child process.
type footprintResult struct {
	ColdStart time.Duration // exec to "polling started"
	Committed int           // check-ins committed by the child
	Ingest    time.Duration // release of the burst to the last check-in committed
	PeakRSS   int64         // the child's VmHWM, bytes
	Binary    int64         // size of the executable, bytes
	Exe       string
}

// footprintClock picks a zone of the pemda and the time of apel pagi there
// such that its window is open now and the day's apel sore fits before
// midnight: apel at five minutes from now in the first zone where that
// works.
func footprintClock(now time.Time) (zone, pagi, sore string, err error) {
	for _, z := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return "", "", "", err
		}
		t := now.In(loc).Add(5 * time.Minute)
		minutes := t.Hour()*60 + t.Minute()
		if minutes >= 30 && minutes+80 <= 23*60-1 {
			s := t.Add(80 * time.Minute)
			return z, t.Format("15:04"), s.Format("15:04"), nil
		}
	}
	return "", "", "", errors.New("footprint: apel cannot be placed now in WIB, WITA or WIT: run it again in an hour")
}

// footprint runs `apelbot serve` (the executable exe) as a child process on
// a copy of the pemda's database, against the fake Bot API enforcing
// Telegram's limits and on the real clock, with apel pagi open now. It
// measures the cold start (exec to the "polling started" log line), then
// has everyone check in at once and reads the child's peak resident set
// (VmHWM) once every check-in is committed.
func footprint(ctx context.Context, p *benchPemda, dir, exe string, log io.Writer) (footprintResult, error) {
	r := footprintResult{Exe: exe}
	if fi, err := os.Stat(exe); err == nil {
		r.Binary = fi.Size()
	}
	zone, pagi, sore, err := footprintClock(time.Now())
	if err != nil {
		return r, err
	}
	raw := strings.Replace(benchConfigYAML(p.opds, pagi, sore), "timezone: "+benchZone, "timezone: "+zone, 1)
	cfgPath := filepath.Join(dir, "footprint.yaml")
	if err := os.WriteFile(cfgPath, []byte(raw), 0o600); err != nil {
		return r, fmt.Errorf("footprint: %w", err)
	}
	dbPath, err := p.instance(ctx, dir, "footprint")
	if err != nil {
		return r, err
	}
	srv := telegramtest.New()
	defer srv.Close()
	srv.EnforceLimits(telegramtest.Limits{})
	srv.KeepHistory(false)
	go func() { // drain the recorded calls
		for {
			if _, err := srv.Next(context.Background()); err != nil {
				return
			}
		}
	}()

	logFile, err := os.Create(filepath.Join(dir, "footprint.log"))
	if err != nil {
		return r, fmt.Errorf("footprint: %w", err)
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, exe, "serve", "-config", cfgPath, "-db", dbPath)
	cmd.Env = append(os.Environ(), envToken+"="+srv.Token(), envAPIURL+"="+srv.URL(), envLogLevel+"=info", envLogFormat+"=json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return r, fmt.Errorf("footprint: %w", err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, fmt.Errorf("footprint: start %s: %w", exe, err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	polling := make(chan time.Time, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, `"message":"polling started"`) {
				select {
				case polling <- time.Now():
				default:
				}
			}
			fmt.Fprintln(logFile, line)
		}
	}()
	select {
	case t := <-polling:
		r.ColdStart = t.Sub(start)
	case <-time.After(30 * time.Second):
		return r, fmt.Errorf("footprint: no \"polling started\" within 30 s (see %s)", logFile.Name())
	}
	// The check-ins go once every session is open: the scheduler's first
	// tick opens them while polling has already started, and a location
	// sent before its OPD's session opens is (rightly) refused.
	if err := awaitSessions(ctx, dbPath, p.opds, time.Minute); err != nil {
		return r, err
	}
	fmt.Fprintf(log, "bench: footprint: serve polling after %s; %d check-ins at once\n", ms(r.ColdStart), len(p.people))

	release := srv.Hold()
	now := time.Now()
	for _, ps := range p.people {
		lat, lon := ps.desk()
		srv.SendLocation(telegramtest.User{ID: ps.User, FirstName: "Uji", LanguageCode: "id"}, now, lat, lon, 10)
	}
	burst := time.Now()
	release()
	n, err := awaitCheckIns(ctx, dbPath, len(p.people), 10*time.Minute)
	r.Committed, r.Ingest = n, time.Since(burst)
	if err != nil {
		return r, err
	}
	if r.PeakRSS, err = vmHWM(cmd.Process.Pid); err != nil {
		return r, err
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return r, fmt.Errorf("footprint: serve: %w (see %s)", err, logFile.Name())
	}
	return r, nil
}

// awaitSessions waits until the database at path holds want sessions.
func awaitSessions(ctx context.Context, path string, want int, timeout time.Duration) error {
	db, err := openRaw(path)
	if err != nil {
		return fmt.Errorf("footprint: %w", err)
	}
	defer db.Close()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			return fmt.Errorf("footprint: count sessions: %w", err)
		}
		if n >= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("footprint: %d of %d sessions open after %v", n, want, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// awaitCheckIns waits until the database at path holds want check-ins and
// returns how many it holds.
func awaitCheckIns(ctx context.Context, path string, want int, timeout time.Duration) (int, error) {
	db, err := openRaw(path)
	if err != nil {
		return 0, fmt.Errorf("footprint: %w", err)
	}
	defer db.Close()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM check_ins`).Scan(&n); err != nil {
			return 0, fmt.Errorf("footprint: count check-ins: %w", err)
		}
		if n >= want {
			return n, nil
		}
		if time.Now().After(deadline) {
			return n, fmt.Errorf("footprint: %d of %d check-ins after %v", n, want, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// vmHWM reads a process's peak resident set size from /proc.
func vmHWM(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("footprint: %w", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("footprint: VmHWM %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("footprint: no VmHWM in /proc status")
}

// selfHWM is this process's peak resident set size.
func selfHWM() int64 {
	n, _ := vmHWM(os.Getpid())
	return n
}
