package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// activityColumns is the column list scanActivity reads, in order.
const activityColumns = `employee_id, date, text, photo_id, mode, sent_at, updated_at, versions`

func scanActivity(s scanner) (apel.Activity, error) {
	var a apel.Activity
	var date string
	var sent, updated int64
	if err := s.Scan(&a.EmployeeID, &date, &a.Text, &a.PhotoID, &a.Mode, &sent, &updated, &a.Versions); err != nil {
		return apel.Activity{}, err
	}
	d, err := parseDate(date)
	if err != nil {
		return apel.Activity{}, err
	}
	a.Date, a.SentAt, a.UpdatedAt = d, instant(sent), instant(updated)
	return a, nil
}

// activities runs a query selecting activityColumns.
func activities(ctx context.Context, q querier, query string, args ...any) ([]apel.Activity, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RecordActivity stores a.Text, a.PhotoID and a.Mode as the activity report
// of a.EmployeeID on a.Date, sent at a.UpdatedAt, and returns the stored
// report. The first report of the date is created with Versions 1; a later
// one replaces its text, photo and mode, keeps SentAt and adds a version.
// Every version is kept for audit. updateID is the Telegram update that
// carried it: recording the same non-zero updateID again changes nothing
// and returns the stored report. It returns an error wrapping
// apel.ErrNotFound when the employee does not exist.
func (db *DB) RecordActivity(ctx context.Context, a apel.Activity, updateID int64, at time.Time) (apel.Activity, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.Activity{}, fmt.Errorf("record activity: %w", err)
	}
	defer rollback(tx)
	stored, err := recordActivity(ctx, tx, a, updateID, at)
	if err != nil {
		return apel.Activity{}, fmt.Errorf("record activity: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Activity{}, fmt.Errorf("record activity: %w", err)
	}
	return stored, nil
}

func recordActivity(ctx context.Context, tx *sql.Tx, a apel.Activity, updateID int64, at time.Time) (apel.Activity, error) {
	date := a.Date.String()
	current := `SELECT ` + activityColumns + ` FROM activities WHERE employee_id = ? AND date = ?`
	if updateID != 0 {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM activity_versions WHERE update_id = ?`, updateID).Scan(&n)
		if err != nil {
			return apel.Activity{}, err
		}
		if n > 0 { // a redelivered update
			stored, err := scanActivity(tx.QueryRowContext(ctx, current, a.EmployeeID, date))
			return stored, mapErr(err)
		}
	}
	sent := millis(a.UpdatedAt)
	_, err := tx.ExecContext(ctx, `
		INSERT INTO activities (employee_id, date, text, photo_id, mode, sent_at, updated_at, versions)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (employee_id, date) DO UPDATE SET text = excluded.text, photo_id = excluded.photo_id,
			mode = excluded.mode, updated_at = excluded.updated_at, versions = activities.versions + 1`,
		a.EmployeeID, date, a.Text, a.PhotoID, a.Mode, sent, sent)
	if err != nil {
		return apel.Activity{}, mapErr(err)
	}
	stored, err := scanActivity(tx.QueryRowContext(ctx, current, a.EmployeeID, date))
	if err != nil {
		return apel.Activity{}, mapErr(err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO activity_versions (employee_id, date, version, text, photo_id, mode, sent_at, recorded_at, update_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.EmployeeID, date, stored.Versions, a.Text, a.PhotoID, a.Mode, sent, millis(at), updateID)
	if err != nil {
		return apel.Activity{}, mapErr(err)
	}
	return stored, nil
}

// Activity returns the activity report of an employee on date d, or an
// error wrapping apel.ErrNotFound.
func (db *DB) Activity(ctx context.Context, employeeID int64, d apel.Date) (apel.Activity, error) {
	a, err := scanActivity(db.r.QueryRowContext(ctx, `SELECT `+activityColumns+` FROM activities
		WHERE employee_id = ? AND date = ?`, employeeID, d.String()))
	if err != nil {
		return apel.Activity{}, fmt.Errorf("activity: %w", mapErr(err))
	}
	return a, nil
}

// Activities returns the activity reports of date d, ordered by employee
// ID.
func (db *DB) Activities(ctx context.Context, d apel.Date) ([]apel.Activity, error) {
	as, err := activities(ctx, db.r, activitiesOfDates, d.String(), d.String())
	if err != nil {
		return nil, fmt.Errorf("activities of %s: %w", d, err)
	}
	return as, nil
}

// activitiesOfDates selects the reports of a range of dates.
const activitiesOfDates = `SELECT ` + activityColumns + ` FROM activities
	WHERE date BETWEEN ? AND ? ORDER BY date, employee_id`

// ActivityVersions returns every version of the activity report of an
// employee on date d, oldest first: each with its text, photo and mode,
// Versions set to its number, UpdatedAt to its message time and SentAt to
// the first version's. It returns an error wrapping
// apel.ErrNotFound when there is none.
func (db *DB) ActivityVersions(ctx context.Context, employeeID int64, d apel.Date) ([]apel.Activity, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT v.version, v.text, v.photo_id, v.sent_at, v.mode, a.sent_at FROM activity_versions v
		JOIN activities a ON a.employee_id = v.employee_id AND a.date = v.date
		WHERE v.employee_id = ? AND v.date = ? ORDER BY v.version`, employeeID, d.String())
	if err != nil {
		return nil, fmt.Errorf("activity versions: %w", err)
	}
	defer rows.Close()
	var out []apel.Activity
	for rows.Next() {
		a := apel.Activity{EmployeeID: employeeID, Date: d}
		var sent, first int64
		if err := rows.Scan(&a.Versions, &a.Text, &a.PhotoID, &sent, &a.Mode, &first); err != nil {
			return nil, fmt.Errorf("activity versions: %w", err)
		}
		a.SentAt, a.UpdatedAt = instant(first), instant(sent)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("activity versions: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("activity versions: %w", apel.ErrNotFound)
	}
	return out, nil
}
