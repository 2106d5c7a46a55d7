package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// reportsResult is the time to produce the reports of a day.
type reportsResult struct {
	Date      apel.Date
	CheckIns  int           // check-ins of the date
	Daily     time.Duration // `apelbot report -date D`: load, compile, render as text
	XLSX      time.Duration // `apelbot report -date D -o FILE.xlsx`
	XLSXBytes int64
}

// reports times the daily report of d and its XLSX file, as `apelbot
// report` produces them, on the database of cfg.
func reports(ctx context.Context, cfg Config, d apel.Date, dir string) (reportsResult, error) {
	r := reportsResult{Date: d}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return r, err
	}
	cis, err := db.CheckIns(ctx, d)
	db.Close()
	if err != nil {
		return r, err
	}
	r.CheckIns = len(cis)

	start := time.Now()
	if err := writeDailyReport(ctx, cfg, d, "text", io.Discard); err != nil {
		return r, fmt.Errorf("daily report: %w", err)
	}
	r.Daily = time.Since(start)

	path := filepath.Join(dir, "rekap-"+d.String()+".xlsx")
	start = time.Now()
	if err := writeReportFile(path, func(w io.Writer) error { return writeDailyReport(ctx, cfg, d, "xlsx", w) }); err != nil {
		return r, fmt.Errorf("xlsx report: %w", err)
	}
	r.XLSX = time.Since(start)
	if fi, err := os.Stat(path); err == nil {
		r.XLSXBytes = fi.Size()
	}
	return r, nil
}
