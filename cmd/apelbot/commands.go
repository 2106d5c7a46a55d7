package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"regexp"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/locales"
)

// configFlag registers -config with its default: APELBOT_CONFIG or apelbot.yaml.
func configFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := getenv("APELBOT_CONFIG")
	if def == "" {
		def = "apelbot.yaml"
	}
	return fs.String("config", def, "configuration file (env APELBOT_CONFIG)")
}

// parseFlags parses a subcommand's flags, printing its usage on error.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return errUsage
	}
	return nil
}

// loadWithDB loads the configuration and applies a -db flag.
func loadWithDB(path, db string, getenv func(string) string) (Config, error) {
	cfg, err := LoadConfig(path, getenv)
	if err != nil {
		return Config{}, err
	}
	if db != "" {
		cfg.Database = db
	}
	return cfg, nil
}

// cmdServe runs the bot until SIGINT or SIGTERM.
func cmdServe(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfgPath := configFlag(fs, getenv)
	db := fs.String("db", "", "database: a SQLite file or a postgres:// URL (overrides the config and the environment)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := loadWithDB(*cfgPath, *db, getenv)
	if err != nil {
		return err
	}
	if err := cfg.RequireToken(); err != nil {
		return err
	}
	return run(ctx, cfg, serveOptions(getenv))
}

// cmdReport writes the daily report of a date from the database: text to
// standard output, or a CSV, XLSX or PDF file (see reportFormat); with
// -month, the monthly evaluation as text, XLSX or PDF (month.go).
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	cfgPath := configFlag(fs, getenv)
	db := fs.String("db", "", "database: a SQLite file or a postgres:// URL (overrides the config and the environment)")
	date := fs.String("date", "", "date of the report, YYYY-MM-DD (default: today in the pemda's zone)")
	month := fs.String("month", "", "the monthly evaluation of YYYY-MM instead of a daily report (text, xlsx or pdf)")
	formatFlag := fs.String("format", "", "text, csv, xlsx or pdf (default: from the -o extension, else text)")
	out := fs.String("o", "", "write to FILE instead of standard output; required for xlsx and pdf (\"-\": standard output)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	format, err := reportFormat(*formatFlag, *out)
	if err == nil && *month != "" && (format == "csv" || *date != "") {
		err = fmt.Errorf("-month makes text, xlsx or pdf, for one month: leave out -date and csv")
	}
	if err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return errUsage
	}
	cfg, err := loadWithDB(*cfgPath, *db, getenv)
	if err != nil {
		return err
	}
	if *month != "" {
		from, to, err := apel.ParseMonth(*month)
		if err != nil {
			return fmt.Errorf("-month: %w", err)
		}
		return monthOutput(ctx, cfg, from, to, format, *out, stdout)
	}
	d := apel.DateOf(time.Now(), cfg.Policy.Location)
	if *date != "" {
		if d, err = apel.ParseDate(*date); err != nil {
			return fmt.Errorf("-date: %w", err)
		}
	}
	return reportOutput(ctx, cfg, d, format, *out, stdout)
}

// dailyReportText compiles the report of d from the database as plain text.
func dailyReportText(ctx context.Context, cfg Config, d apel.Date) (string, error) {
	cat, err := locales.Load()
	if err != nil {
		return "", fmt.Errorf("load locales: %w", err)
	}
	detail, err := loadDetail(ctx, cfg, d, true)
	if err != nil {
		return "", err
	}
	return plain(bot.RenderDailyReport(cat.Printer(cfg.Language), cfg.BKPSDM, detail.Report)), nil
}

// cmdBackup writes an online snapshot of the database.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfgPath := configFlag(fs, getenv)
	db := fs.String("db", "", "database: a SQLite file or a postgres:// URL (overrides the config and the environment)")
	out := fs.String("o", "", "snapshot file to write (must not exist)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "backup: -o FILE is required")
		return errUsage
	}
	cfg, err := loadWithDB(*cfgPath, *db, getenv)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintln(stdout, *out)
	return nil
}

var tags = regexp.MustCompile(`</?[a-z]+>`)

// plain turns a chat message (Telegram HTML) into terminal text.
func plain(s string) string { return html.UnescapeString(tags.ReplaceAllString(s, "")) }
