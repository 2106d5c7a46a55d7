package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/export"
	"github.com/apelbot/apelbot/locales"
)

// reportFormats are the formats of `apelbot report -format`, text first.
func reportFormats() []string { return []string{"text", "csv", "xlsx", "pdf"} }

// binaryFormat reports whether format is not text a terminal can show.
func binaryFormat(format string) bool { return format == "xlsx" || format == "pdf" }

// writeDailyReport compiles the report of d from the database and writes
// it to w as text (what dailyReportText returns, with a final newline),
// csv, xlsx or pdf; see package export for the files.
func writeDailyReport(ctx context.Context, cfg Config, d apel.Date, format string, w io.Writer) error {
	if !slices.Contains(reportFormats(), format) {
		return fmt.Errorf("unknown report format %q: want %s", format, strings.Join(reportFormats(), ", "))
	}
	if format == "text" {
		text, err := dailyReportText(ctx, cfg, d)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, text)
		return err
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	detail, err := loadDetail(ctx, cfg, d, false)
	if err != nil {
		return err
	}
	p := cat.Printer(cfg.Language)
	switch format {
	case "csv":
		return export.CSV(w, detail)
	case "xlsx":
		return export.XLSX(w, p, detail)
	default:
		return export.PDF(w, p, detail)
	}
}

// loadDetail loads the records of d and compiles its report. With
// tallied, the check-ins are read for the report's tallies only
// (store.DayTallied), enough for the text, not for the file exports.
func loadDetail(ctx context.Context, cfg Config, d apel.Date, tallied bool) (export.Detail, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return export.Detail{}, err
	}
	defer db.Close()
	// The plan of the date, as the scheduler attaches it to the report it
	// sends: from the records of the week so far, read with the day.
	load := db.DayAndFacts
	if tallied {
		load = db.DayTallied
	}
	day, f, err := load(ctx, d, cfg.OPDs)
	if err != nil {
		return export.Detail{}, fmt.Errorf("load day %s: %w", d, err)
	}
	r := apel.CompileDailyReport(cfg.Pemda, day).WithPlan(cfg.Policy, f).WithActivity(day, cfg.Policy, f).WithFlags(day)
	r.Zone = cfg.Policy.Location
	return export.Detail{
		Report:   r,
		Day:      day,
		BKPSDM:   cfg.BKPSDM,
		Location: cfg.Policy.Location,
	}, nil
}

// reportFormat settles the format of `apelbot report` from -format and -o.
// An empty format is taken from a file named .csv, .xlsx or .pdf, else it
// is text. A format that contradicts the file's extension is refused, and
// so is a binary format bound for standard output by default: "-o -"
// writes it there on purpose, for a pipe.
func reportFormat(format, out string) (string, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	known := slices.Contains(reportFormats()[1:], ext)
	switch {
	case format == "" && known:
		format = ext
	case format == "":
		format = "text"
	case !slices.Contains(reportFormats(), format):
		return "", fmt.Errorf("-format %s: want %s", format, strings.Join(reportFormats(), ", "))
	case known && ext != format:
		return "", fmt.Errorf("-format %s does not match -o %s: use a .%s file or leave -format out", format, out, format)
	}
	if out == "" && binaryFormat(format) {
		return "", fmt.Errorf("-format %s is a binary file: give -o FILE.%s (or -o - to send it to standard output on purpose)", format, format)
	}
	return format, nil
}

// writeReportFile writes the report to path through a temporary file in
// the same directory, renamed into place once complete, so that a failed
// run never leaves half a report. The file is readable by its owner only:
// it holds names and NIPs. An existing file is replaced.
func writeReportFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// reportOutput writes the report of d in format to out: standard output
// when out is "" or "-", else the file out, whose name it then prints.
func reportOutput(ctx context.Context, cfg Config, d apel.Date, format, out string, stdout io.Writer) error {
	if out == "" || out == "-" {
		return writeDailyReport(ctx, cfg, d, format, stdout)
	}
	err := writeReportFile(out, func(w io.Writer) error { return writeDailyReport(ctx, cfg, d, format, w) })
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, out)
	return err
}
