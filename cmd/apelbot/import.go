package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// errNothingImported reports a roster with bad rows: nothing was imported.
var errNothingImported = errors.New("roster has errors: nothing imported")

// cmdImport imports the staff roster: all rows or none.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cfgPath := configFlag(fs, getenv)
	db := fs.String("db", "", "database: a SQLite file or a postgres:// URL (overrides the config and the environment)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "import: give one roster file, .csv or .xlsx")
		return errUsage
	}
	cfg, err := loadWithDB(*cfgPath, *db, getenv)
	if err != nil {
		return err
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	return importRoster(ctx, cfg, cat.Printer(cfg.Language), fs.Arg(0), stdout)
}

// importRoster reads, checks and imports one roster file, printing what it
// did (or every bad row) to w.
func importRoster(ctx context.Context, cfg Config, p locales.Printer, path string, w io.Writer) error {
	rows, err := readRoster(path)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(cfg.OPDs))
	for _, o := range cfg.OPDs {
		known[o.Code] = true
	}
	emps, bad := apel.ParseRoster(rows, func(code string) bool { return known[code] })
	if len(bad) > 0 {
		fmt.Fprintln(w, p.T("cli.import.errors", len(bad), filepath.Base(path)))
		for _, e := range bad {
			fmt.Fprintln(w, p.T("cli.import.row", e.Line, p.T("roster.column."+orDash(e.Column)), p.T("roster.problem."+string(e.Problem)), e.Value))
		}
		return errNothingImported
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ch, err := db.ImportRoster(ctx, emps, time.Now())
	if err != nil {
		return fmt.Errorf("import roster: %w", err)
	}
	fmt.Fprintln(w, p.T("cli.import.done", len(emps), len(ch.Added), len(ch.Changed), len(ch.Removed), ch.Unchanged))
	for _, e := range ch.Removed {
		fmt.Fprintln(w, p.T("cli.import.removed", e.NIP, e.Name, e.OPD))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "line"
	}
	return s
}

// readRoster reads the rows of a .csv (comma or semicolon separated, as
// Excel writes it in Indonesian locales) or .xlsx roster (first sheet).
func readRoster(path string) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		f, err := excelize.OpenFile(path)
		if err != nil {
			return nil, fmt.Errorf("open roster: %w", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("open roster: %s has no sheet", path)
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			return nil, fmt.Errorf("read roster sheet %q: %w", sheets[0], err)
		}
		return rows, nil
	case ".csv", ".txt":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("open roster: %w", err)
		}
		return parseCSV(data)
	}
	return nil, fmt.Errorf("roster %s: want a .csv or .xlsx file", path)
}

// parseCSV reads CSV rows, guessing the separator from the header line.
func parseCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	// rows[i] is line i+1 of the file, so that errors name the line an
	// operator sees in a text editor: the reader skips blank lines, which
	// stay here as empty rows.
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read roster: %w", err)
		}
		line, _ := r.FieldPos(0)
		for len(rows) < line-1 {
			rows = append(rows, nil)
		}
		rows = append(rows, rec)
	}
}
