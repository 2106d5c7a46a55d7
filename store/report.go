package store

import (
	"context"
	"fmt"

	"github.com/apelbot/apelbot/apel"
)

// Day returns every record of date d that the daily report is compiled
// from, read in one snapshot: d, opds as given (the configured display
// order), the active employees (by OPD, then name), the sessions of d (by
// OPD, pagi before sore), their check-ins, the excuses of d, its
// activity reports (by employee), the corrections of its sessions (in
// the order they were made) and its flagged check-ins (store/flags.go).
func (db *DB) Day(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, error) {
	// A deferred transaction on the reader pool: one WAL snapshot that never
	// blocks, and is never blocked by, the writer.
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return apel.Day{}, fmt.Errorf("day %s: %w", d, err)
	}
	defer rollback(tx)
	day := apel.Day{Date: d, OPDs: opds}
	if day.Employees, err = employees(ctx, tx, `SELECT `+employeeColumns+` FROM employees
		WHERE active = 1 ORDER BY opd, name, id`); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: employees: %w", d, err)
	}
	if day.Sessions, err = sessions(ctx, tx, sessionsOfDate, d.String()); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: sessions: %w", d, err)
	}
	// Counted first (from the check_ins_session index alone), to read them
	// into a slice of the right size.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM check_ins
		WHERE session_id IN (SELECT id FROM sessions WHERE date = ?)`, d.String()).Scan(&n); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: check-ins: %w", d, err)
	}
	if day.CheckIns, err = checkInsSized(ctx, tx, n, checkInsOfDate, d.String()); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: check-ins: %w", d, err)
	}
	if day.Excuses, err = excuses(ctx, tx, d); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: excuses: %w", d, err)
	}
	if day.Activities, err = activities(ctx, tx, activitiesOfDates, d.String(), d.String()); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: activities: %w", d, err)
	}
	if day.Corrections, err = correctionsOfDates(ctx, tx, d.String(), d.String()); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: corrections: %w", d, err)
	}
	// The flagged check-ins are among the day's, already read in the
	// order FlaggedOn gives: only their flags and reviews are read.
	flags, reviews, err := flagsOfDate(ctx, tx, d)
	if err != nil {
		return apel.Day{}, fmt.Errorf("day %s: flagged check-ins: %w", d, err)
	}
	day.Flagged = flaggedAmong(day.CheckIns, flags, reviews)
	if err := tx.Commit(); err != nil {
		return apel.Day{}, fmt.Errorf("day %s: %w", d, err)
	}
	return day, nil
}
