package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Day returns every record of date d that the daily report is compiled
// from, read in one snapshot (on two connections): d, opds as given (the
// configured display order), the active employees (by OPD, then name), the
// sessions of d (by OPD, pagi before sore), their check-ins, the excuses
// of d, its activity reports (by employee), the corrections of its
// sessions (in the order they were made) and its flagged check-ins
// (store/flags.go).
func (db *DB) Day(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, error) {
	day, _, err := db.day(ctx, d, opds, false, false)
	return day, err
}

// DayAndFacts returns what Day and Facts("", apel.MondayOf(d), d) return,
// the records the daily report is compiled from and those of the plan it
// shows, read in one snapshot; the staff is read once, for both.
func (db *DB) DayAndFacts(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, apel.Facts, error) {
	return db.day(ctx, d, opds, true, false)
}

// DayTallied is DayAndFacts with the check-ins read for their judgement
// only, as Month reads them: ID, session, employee, location time, mode,
// late and by how much, in place; their other fields are zero. That is
// all the daily report's tallies use, and it is read from the index
// check_ins_session alone, 8 columns where a check-in has 20: for the
// report as text. The files that list each check-in (XLSX, PDF, CSV) take
// DayAndFacts.
func (db *DB) DayTallied(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, apel.Facts, error) {
	return db.day(ctx, d, opds, true, true)
}

// day is Day, with withFacts DayAndFacts, and with judgedOnly too
// DayTallied.
func (db *DB) day(ctx context.Context, d apel.Date, opds []apel.OPD, withFacts, judgedOnly bool) (apel.Day, apel.Facts, error) {
	// Deferred transactions on the reader pool that see one state of the
	// database (snapshots: the writer waits for them only while they take
	// it), so that the read runs on both cores: the check-ins (half the
	// work of a 50,000-ASN day) on one, the plan's records on another, the
	// rest on the first.
	n := 2
	if withFacts {
		n = 3
	}
	txs, err := db.snapshots(ctx, n)
	if err != nil {
		return apel.Day{}, apel.Facts{}, fmt.Errorf("day %s: %w", d, err)
	}
	for _, tx := range txs {
		defer rollback(tx)
	}
	day := apel.Day{Date: d, OPDs: opds}
	var f apel.Facts
	var wg sync.WaitGroup
	var cerr, ferr error
	wg.Go(func() { day.CheckIns, cerr = checkInsOfDay(ctx, txs[1], d, judgedOnly) })
	if withFacts {
		wg.Go(func() { f, ferr = factsBut(ctx, txs[2], "", apel.MondayOf(d), d) })
	}
	flags, reviews, err := dayRecords(ctx, txs[0], d, &day)
	wg.Wait()
	if ferr != nil {
		ferr = fmt.Errorf("plan records: %w", ferr)
	}
	if err = errors.Join(err, cerr, ferr); err != nil {
		return apel.Day{}, apel.Facts{}, fmt.Errorf("day %s: %w", d, err)
	}
	// The flagged check-ins are among the day's, already read in the
	// order FlaggedOn gives: only their flags and reviews were read.
	day.Flagged = flaggedAmong(day.CheckIns, flags, reviews)
	if withFacts {
		// Facts' staff of every OPD is the day's employees: the same
		// query, in the same snapshot.
		f.Staff = day.Employees
	}
	return day, f, nil
}

// checkInsOfDay reads the check-ins of date d, with judgedOnly their
// judgement only (see DayTallied).
func checkInsOfDay(ctx context.Context, tx *sql.Tx, d apel.Date, judgedOnly bool) ([]apel.CheckIn, error) {
	// Counted first (from the check_ins_session index alone), to read them
	// into a slice of the right size.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM check_ins
		WHERE session_id IN (SELECT id FROM sessions WHERE date = ?)`, d.String()).Scan(&n); err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	var cs []apel.CheckIn
	var err error
	if judgedOnly {
		cs, err = judgedCheckIns(ctx, tx, n, d)
	} else {
		cs, err = checkInsSized(ctx, tx, n, checkInsOfDate, d.String())
	}
	if err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	return cs, nil
}

// judgedCheckIns reads the judgement of the n check-ins of date d, in the
// order of checkInsOfDate, from the columns of check_ins_session alone.
func judgedCheckIns(ctx context.Context, tx *sql.Tx, n int, d apel.Date) ([]apel.CheckIn, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.session_id, c.employee_id, c.fix_at, c.mode, c.late,
			c.late_by_ms, c.in_place
		FROM check_ins c WHERE c.session_id IN (SELECT id FROM sessions WHERE date = ?)
		ORDER BY c.session_id, c.fix_at, c.id`, d.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]apel.CheckIn, 0, n)
	var c apel.CheckIn
	var fixAt, lateBy int64
	var mode string
	for rows.Next() {
		if err := rows.Scan(&c.ID, &c.SessionID, &c.EmployeeID, &fixAt, &mode, &c.Late, &lateBy, &c.InPlace); err != nil {
			return nil, err
		}
		c.Fix.At, c.LateBy, c.Mode = instant(fixAt), time.Duration(lateBy)*time.Millisecond, modeOf(mode)
		out = append(out, c)
	}
	return out, rows.Err()
}

// dayRecords reads the records of date d but its check-ins into day, and
// returns the flags and reviews of its check-ins.
func dayRecords(ctx context.Context, tx *sql.Tx, d apel.Date, day *apel.Day) (map[int64][]apel.Flag, map[int64]apel.Review, error) {
	var err error
	if day.Employees, err = employees(ctx, tx, `SELECT `+employeeColumns+` FROM employees
		WHERE active = 1 ORDER BY opd, name, id`); err != nil {
		return nil, nil, fmt.Errorf("employees: %w", err)
	}
	if day.Sessions, err = sessions(ctx, tx, sessionsOfDate, d.String()); err != nil {
		return nil, nil, fmt.Errorf("sessions: %w", err)
	}
	if day.Excuses, err = excuses(ctx, tx, d); err != nil {
		return nil, nil, fmt.Errorf("excuses: %w", err)
	}
	if day.Activities, err = activities(ctx, tx, activitiesOfDates, d.String(), d.String()); err != nil {
		return nil, nil, fmt.Errorf("activities: %w", err)
	}
	if day.Corrections, err = correctionsOfDates(ctx, tx, d.String(), d.String()); err != nil {
		return nil, nil, fmt.Errorf("corrections: %w", err)
	}
	flags, reviews, err := flagsOfDate(ctx, tx, d)
	if err != nil {
		return nil, nil, fmt.Errorf("flagged check-ins: %w", err)
	}
	return flags, reviews, nil
}
