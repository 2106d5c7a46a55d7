package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/locales"
)

// demoFS holds the sample pemda the demo runs: its configuration and roster.
//
//go:embed demo/config.yaml demo/roster.csv
var demoFS embed.FS

// demoDay is the simulated working day: Tuesday 13 January 2026, a WFH day
// in the sample policy.
var demoDay = apel.Date{Year: 2026, Month: time.January, Day: 13}

// cmdDemo runs a whole simulated day offline: the project's fake Bot API on
// loopback, the real bot, scheduler and store, a simulated clock.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dbPath := fs.String("db", "apelbot-demo.db", "SQLite file the demo writes (replaced if it exists)")
	quiet := fs.Bool("quiet", false, "print only the daily report, not the transcript")
	verbose := fs.Bool("log", false, "also print the bot's logs to stderr")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		return fmt.Errorf("read demo config: %w", err)
	}
	cfg, err := ParseConfig(raw, func(string) string { return "" })
	if err != nil {
		return fmt.Errorf("demo config: %w", err)
	}
	cfg.Database = *dbPath
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(*dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old demo database: %w", err)
		}
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	p := cat.Printer(cfg.Language)

	srv := telegramtest.New()
	defer srv.Close()
	clock := &simClock{now: demoDay.AddDays(-1).At(apel.Clock{Hour: 19}, cfg.Policy.Location)}
	srv.SetClock(clock.Now)
	cfg.Telegram.Token, cfg.Telegram.APIURL, cfg.Telegram.PollTimeout = srv.Token(), srv.URL(), 5*time.Second

	out := stdout
	if *quiet {
		out = io.Discard
	}
	fmt.Fprintln(out, p.T("demo.intro", cfg.Pemda, *dbPath))
	roster, err := writeDemoRoster()
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(roster))
	fmt.Fprintln(out, "\n$ apelbot import roster.csv")
	if err := importRoster(ctx, cfg, p, roster, out); err != nil {
		return err
	}

	log := zerolog.Nop()
	if *verbose {
		log = zerolog.New(zerolog.ConsoleWriter{Out: stderr, TimeFormat: "15:04:05"}).With().Timestamp().Logger()
	}
	a, err := newApp(ctx, cfg, options{Now: clock.Now, Logger: &log, NoCron: true, Limits: bot.Limits{Global: 1e6, Private: 1e6, Group: 1e6}})
	if err != nil {
		return err
	}
	defer a.Close()
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = a.run(runCtx, true) }()

	d := newDemo(ctx, a, srv, clock, p, out)
	err = d.play()
	cancel()
	wg.Wait()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := srv.Err(); err != nil {
		return fmt.Errorf("demo: fake Bot API: %w", err)
	}
	text, err := dailyReportText(ctx, cfg, demoDay)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n$ apelbot report -date %s\n%s\n", demoDay, text)
	fmt.Fprintln(out, "\n"+p.T("demo.outro", *dbPath, *dbPath, *dbPath, *dbPath))
	return nil
}

// writeDemoRoster copies the embedded roster to a temporary file, so the
// demo imports it through the same path as `apelbot import`.
func writeDemoRoster() (string, error) {
	data, err := demoFS.ReadFile("demo/roster.csv")
	if err != nil {
		return "", fmt.Errorf("read demo roster: %w", err)
	}
	dir, err := os.MkdirTemp("", "apelbot-demo-")
	if err != nil {
		return "", fmt.Errorf("demo roster: %w", err)
	}
	path := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("demo roster: %w", err)
	}
	return path, nil
}

// simClock is the demo's clock: it moves only when the script moves it.
type simClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the simulated time.
func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the simulated time.
func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
