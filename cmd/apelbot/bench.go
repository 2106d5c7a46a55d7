package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// benchOptions are the flags of `apelbot bench`.
type benchOptions struct {
	asn, opds int
	dir       string
	keep      bool
	fresh     bool
	phases    map[string]bool
	confirm   int
	rate      float64
	floorRows int
	timeout   time.Duration
	out       string
	previous  string
	profile   string
	callsOut  string
	postgres  string
}

// benchPhases are the parts of the load test, in the order they run.
func benchPhases() []string { return []string{"outbound", "ingest", "reports", "footprint"} }

// cmdBench runs the load test of docs/PERFORMANCE.md: a synthetic pemda of
// -asn ASN in -opds OPDs, the fake Bot API enforcing Telegram's limits on
// loopback, and the real bot, scheduler and store.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o benchOptions
	fs.IntVar(&o.asn, "asn", 50000, "ASN in the synthetic pemda")
	fs.IntVar(&o.opds, "opds", 1000, "OPDs (each with one group and one head)")
	fs.StringVar(&o.dir, "db", "", "directory for the databases, logs and results (default: a temporary one, removed after)")
	fs.BoolVar(&o.fresh, "fresh", false, "regenerate the pemda's database even if -db holds one")
	run := fs.String("run", strings.Join(benchPhases(), ","), "phases to run: "+strings.Join(benchPhases(), ","))
	fs.IntVar(&o.confirm, "confirm", 3000, "check-ins whose confirmations the outbound phase times")
	fs.Float64Var(&o.rate, "rate", 10000, "arrival rate of the paced ingest run, updates per second (0: skip it)")
	fs.IntVar(&o.floorRows, "floor", 5000, "single-row durable inserts the floor is measured with")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "longest wait for one ingest run to be committed")
	fs.StringVar(&o.out, "o", "", "write the figures as JSON to this file (default: DIR/bench-results.json with -db)")
	fs.StringVar(&o.previous, "previous", "", "figures of an earlier run (JSON from -o), shown next to the new ones")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the in-process phases to this file (go tool pprof)")
	fs.StringVar(&o.callsOut, "calls", "", "write the outbound phase's Bot API calls to this file (CSV: seconds, kind, chat, error code)")
	fs.StringVar(&o.postgres, "postgres", "", "run on PostgreSQL: URL of a server (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); the bench makes its own databases apelbot_bench_* there")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	o.phases = map[string]bool{}
	for _, p := range strings.Split(*run, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(benchPhases(), p) {
			fmt.Fprintf(stderr, "bench: -run %s: unknown phase %q, want some of %s\n", *run, p, strings.Join(benchPhases(), ","))
			return errUsage
		}
		o.phases[p] = true
	}
	if o.dir == "" {
		dir, err := os.MkdirTemp("", "apelbot-bench-")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(dir)
		o.dir = dir
	} else {
		if err := os.MkdirAll(o.dir, 0o700); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		if o.out == "" {
			o.out = filepath.Join(o.dir, "bench-results.json")
		}
	}
	var prev map[string]float64
	if o.previous != "" {
		raw, err := os.ReadFile(o.previous)
		if err == nil {
			err = json.Unmarshal(raw, &prev)
		}
		if err != nil {
			return fmt.Errorf("bench: -previous: %w", err)
		}
	}
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	fig, err := runBench(ctx, o, stderr)
	printFigures(stdout, o, fig, prev)
	if o.out != "" {
		raw, jerr := json.MarshalIndent(fig.values(), "", "  ")
		if jerr == nil {
			jerr = os.WriteFile(o.out, append(raw, '\n'), 0o600)
		}
		err = errors.Join(err, jerr)
	}
	return err
}

// benchFigures are the results of every phase run.
type benchFigures struct {
	Machine   string
	Engine    string // "sqlite" or "postgres"
	Outbound  *outboundResult
	Floor     *floorResult
	OpenTick  time.Duration
	Burst     *ingestResult
	Paced     *ingestResult
	Reports   *reportsResult
	Footprint *footprintResult
	SelfHWM   int64 // peak RSS of this process (fake, harness and bot together)
}

// runBench runs the phases of o, logging progress to log.
func runBench(ctx context.Context, o benchOptions, log io.Writer) (benchFigures, error) {
	fig := benchFigures{Machine: machine(), Engine: "sqlite"}
	var pg *benchPostgres
	if o.postgres != "" {
		var err error
		if pg, err = newBenchPostgres(o.postgres); err != nil {
			return fig, err
		}
		fig.Engine = "postgres"
		defer func() {
			if err := pg.dropRuns(context.WithoutCancel(ctx)); err != nil {
				fmt.Fprintln(log, err)
			}
		}()
	}
	fmt.Fprintf(log, "bench: %s, %s\n", fig.Machine, fig.Engine)
	p, err := newBenchPemda(ctx, o.dir, o.asn, o.opds, o.fresh, pg, log)
	if err != nil {
		return fig, err
	}
	if o.phases["outbound"] {
		fmt.Fprintln(log, "bench: outbound: apel pagi to every group, then confirmations past queued reminders and summaries")
		path, err := p.instance(ctx, o.dir, "outbound")
		if err != nil {
			return fig, err
		}
		b, err := startBenchApp(ctx, p, path, filepath.Join(o.dir, "outbound.log"), benchDay.At(clockOf(7, 14), p.cfg.Policy.Location), 2*o.asn)
		if err != nil {
			return fig, err
		}
		r, err := b.outbound(ctx, o.confirm)
		fig.Outbound = &r
		if o.callsOut != "" {
			err = errors.Join(err, b.calls.write(o.callsOut))
		}
		if err := errors.Join(err, b.stop()); err != nil {
			return fig, fmt.Errorf("bench: outbound: %w", err)
		}
	}
	ingestDB := filepath.Join(o.dir, "ingest.db")
	if pg != nil {
		ingestDB = pg.url("apelbot_bench_ingest")
	}
	if o.phases["ingest"] {
		if ingestDB, err = p.instance(ctx, o.dir, "ingest"); err != nil {
			return fig, err
		}
		fmt.Fprintf(log, "bench: floor: %d single-row durable inserts into %s\n", o.floorRows, shownDatabase(ingestDB))
		f, err := insertFloor(ctx, ingestDB, o.floorRows)
		if err != nil {
			return fig, err
		}
		fig.Floor = &f
		b, err := startBenchApp(ctx, p, ingestDB, filepath.Join(o.dir, "ingest.log"), benchDay.At(clockOf(7, 14), p.cfg.Policy.Location), 2*o.asn+10)
		if err != nil {
			return fig, err
		}
		if err := b.ingest(ctx, o, &fig, log); err != nil {
			return fig, errors.Join(fmt.Errorf("bench: ingest: %w", err), b.stop())
		}
		if err := b.stop(); err != nil {
			return fig, fmt.Errorf("bench: ingest: %w", err)
		}
	}
	if o.phases["reports"] {
		if !hasDatabase(ingestDB) {
			return fig, errors.New("bench: reports: run the ingest phase first (it writes the day the reports read)")
		}
		cfg := p.cfg
		cfg.Database = ingestDB
		fmt.Fprintln(log, "bench: reports: the daily report and its XLSX of the ingested day")
		r, err := reports(ctx, cfg, benchDay, o.dir)
		if err != nil {
			return fig, fmt.Errorf("bench: reports: %w", err)
		}
		fig.Reports = &r
	}
	fig.SelfHWM = selfHWM()
	if o.phases["footprint"] {
		exe, err := os.Executable()
		if err != nil {
			return fig, fmt.Errorf("bench: %w", err)
		}
		fmt.Fprintln(log, "bench: footprint: `apelbot serve` as a child process, everyone checking in at once")
		r, err := footprint(ctx, p, o.dir, exe, log)
		fig.Footprint = &r
		if err != nil {
			return fig, err
		}
	}
	return fig, nil
}

// ingest opens apel pagi, has the whole pemda check in at once, then opens
// apel sore and has everyone check in again at o.rate per second.
func (b *benchApp) ingest(ctx context.Context, o benchOptions, fig *benchFigures, log io.Writer) error {
	d, err := b.tick(ctx, b.at(7, 15))
	if err != nil {
		return fmt.Errorf("open tick: %w", err)
	}
	fig.OpenTick = d
	people := slices.Clone(b.p.people)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	b.clock.Set(b.at(7, 20))
	fmt.Fprintf(log, "bench: ingest: %d location shares at once\n", len(people))
	burst := b.ingestBurst(ctx, people, b.at(7, 20), o.timeout)
	fig.Burst = &burst
	if o.rate <= 0 {
		return nil
	}
	if _, err := b.tick(ctx, b.at(15, 45)); err != nil {
		return fmt.Errorf("open sore: %w", err)
	}
	b.clock.Set(b.at(15, 50))
	fmt.Fprintf(log, "bench: ingest: %d location shares at %.0f/s\n", len(people), o.rate)
	paced := b.ingestPaced(ctx, people, b.at(15, 50), o.rate, o.timeout)
	fig.Paced = &paced
	return nil
}

// clockOf is a wall-clock time of day.
func clockOf(h, m int) apel.Clock { return apel.Clock{Hour: h, Minute: m} }

// machine describes the machine: cores, CPU model, Go.
func machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return fmt.Sprintf("%d cores, %s, %s %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
