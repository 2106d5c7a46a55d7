package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// latencies summarises a set of durations.
type latencies struct {
	N             int
	P50, P99, Max time.Duration
}

func summarize(ds []time.Duration) latencies {
	if len(ds) == 0 {
		return latencies{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) time.Duration { return s[min(int(p*float64(len(s))), len(s)-1)] }
	return latencies{N: len(s), P50: q(0.50), P99: q(0.99), Max: s[len(s)-1]}
}

func (l latencies) String() string {
	return fmt.Sprintf("p50 %s, p99 %s, max %s", ms(l.P50), ms(l.P99), ms(l.Max))
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// ingestResult is one ingest run.
type ingestResult struct {
	Sent      int           // location updates queued
	Committed int           // check-ins committed
	Elapsed   time.Duration // from the first update available to the last commit
	Rate      float64       // Committed / Elapsed, check-ins per second
	Steady    float64       // rate between the 10th and the 90th percentile of commits
	Latency   latencies     // update available to check-in committed
	TimedOut  bool
}

// ingestBurst queues a location from each of people while the fake holds
// updates back, releases them at once and waits until every check-in is
// committed (or timeout). An update's latency runs from the moment the fake
// first handed it out in a getUpdates answer to the commit of its check-in.
func (b *benchApp) ingestBurst(ctx context.Context, people []benchPerson, t time.Time, timeout time.Duration) ingestResult {
	release := b.srv.Hold()
	ids := b.pushLocations(people, t)
	start := time.Now()
	release()
	timedOut := !b.waitCommitted(ctx, ids, timeout)
	lat := make([]time.Duration, 0, len(ids))
	var commits []time.Time
	for _, id := range ids {
		c, ok := b.commits.committed(id)
		if !ok {
			continue
		}
		served, ok := b.srv.ServedAt(id)
		if !ok {
			continue
		}
		lat = append(lat, c.Sub(served))
		commits = append(commits, c)
	}
	return newIngestResult(len(ids), start, commits, lat, timedOut)
}

// ingestPaced pushes a location from each of people at rate per second,
// each as soon as its time comes, and waits until every check-in is
// committed. An update's latency runs from its push (the moment Telegram
// would have it) to the commit of its check-in.
func (b *benchApp) ingestPaced(ctx context.Context, people []benchPerson, t time.Time, rate float64, timeout time.Duration) ingestResult {
	ids := make([]int64, len(people))
	pushed := make([]time.Time, len(people))
	start := time.Now()
	for i := range people {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if d := time.Until(due); d > time.Millisecond {
			time.Sleep(d)
		}
		pushed[i] = time.Now()
		ids[i] = b.pushLocations(people[i:i+1], t.Add(time.Since(start)))[0]
	}
	timedOut := !b.waitCommitted(ctx, ids, timeout)
	lat := make([]time.Duration, 0, len(ids))
	var commits []time.Time
	for i, id := range ids {
		if c, ok := b.commits.committed(id); ok {
			lat = append(lat, c.Sub(pushed[i]))
			commits = append(commits, c)
		}
	}
	return newIngestResult(len(ids), start, commits, lat, timedOut)
}

func newIngestResult(sent int, start time.Time, commits []time.Time, lat []time.Duration, timedOut bool) ingestResult {
	r := ingestResult{Sent: sent, Committed: len(commits), Latency: summarize(lat), TimedOut: timedOut}
	if len(commits) == 0 {
		return r
	}
	slices.SortFunc(commits, func(a, b time.Time) int { return a.Compare(b) })
	r.Elapsed = commits[len(commits)-1].Sub(start)
	r.Rate = float64(len(commits)) / r.Elapsed.Seconds()
	lo, hi := len(commits)/10, len(commits)*9/10
	if hi > lo && commits[hi].After(commits[lo]) {
		r.Steady = float64(hi-lo) / commits[hi].Sub(commits[lo]).Seconds()
	}
	return r
}

// waitCommitted waits until the check-ins of ids are committed, and
// reports whether they all were before timeout.
func (b *benchApp) waitCommitted(ctx context.Context, ids []int64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for _, id := range ids {
		for {
			if _, ok := b.commits.committed(id); ok {
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return false
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	return true
}

// floorResult is the rate of plain durable single-row inserts.
type floorResult struct {
	Rows    int
	Rate    float64
	Latency latencies
}

// insertFloor measures the floor ingest is compared with: n plain
// single-row inserts into a table shaped like check_ins, each in its own
// durable transaction (BEGIN IMMEDIATE, synchronous=FULL, WAL), into the
// database file at path, on its own connection. The table is dropped after.
func insertFloor(ctx context.Context, path string, n int) (floorResult, error) {
	if engine(path) == "postgres" {
		return insertFloorPostgres(ctx, path, n)
	}
	db, err := openRaw(path)
	if err != nil {
		return floorResult{}, fmt.Errorf("floor: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_floor (
		id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, employee_id INTEGER NOT NULL, lat REAL NOT NULL,
		lon REAL NOT NULL, accuracy REAL NOT NULL, fix_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
		mode TEXT NOT NULL, late INTEGER NOT NULL, in_place INTEGER NOT NULL, distance REAL NOT NULL,
		update_id INTEGER NOT NULL, UNIQUE (session_id, employee_id)) STRICT`); err != nil {
		return floorResult{}, fmt.Errorf("floor: %w", err)
	}
	defer func() { _, _ = db.ExecContext(context.WithoutCancel(ctx), `DROP TABLE bench_floor`) }()
	return timeFloor(ctx, db, n, `INSERT INTO bench_floor (session_id, employee_id, lat, lon, accuracy, fix_at,
		recorded_at, mode, late, in_place, distance, update_id) VALUES (?, ?, -5.1, 119.4, 10, ?, ?, 'WFO', 0, 1, 11.1, ?)`)
}
