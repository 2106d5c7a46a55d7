package store

import (
	"context"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// RecordExcuse excuses x.EmployeeID from the apel of x.Date, replacing an
// earlier excuse of that employee on that date. It returns an error wrapping
// apel.ErrNotFound when the employee does not exist.
func (db *DB) RecordExcuse(ctx context.Context, x apel.Excuse, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record excuse: %w", err)
	}
	defer rollback(tx)
	_, err = tx.ExecContext(ctx, `
		INSERT INTO excuses (employee_id, date, kind, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (employee_id, date) DO UPDATE SET kind = excluded.kind, recorded_by = excluded.recorded_by,
			recorded_at = excluded.recorded_at`,
		x.EmployeeID, x.Date.String(), x.Kind, x.By, millis(at))
	if err != nil {
		return fmt.Errorf("record excuse: %w", mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record excuse: %w", err)
	}
	return nil
}

// Excuses returns the excuses of date d, ordered by employee ID.
func (db *DB) Excuses(ctx context.Context, d apel.Date) ([]apel.Excuse, error) {
	xs, err := excuses(ctx, db.r, d)
	if err != nil {
		return nil, fmt.Errorf("excuses of %s: %w", d, err)
	}
	return xs, nil
}

func excuses(ctx context.Context, q querier, d apel.Date) ([]apel.Excuse, error) {
	return excusesOfDates(ctx, q, d.String(), d.String())
}

// excusesOfDates returns the excuses of the dates from to to (YYYY-MM-DD,
// both inclusive), ordered by date, then employee ID.
func excusesOfDates(ctx context.Context, q querier, from, to string) ([]apel.Excuse, error) {
	rows, err := q.QueryContext(ctx, `SELECT employee_id, date, kind, recorded_by FROM excuses
		WHERE date BETWEEN ? AND ? ORDER BY date, employee_id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Excuse
	for rows.Next() {
		var x apel.Excuse
		var date string
		if err := rows.Scan(&x.EmployeeID, &date, &x.Kind, &x.By); err != nil {
			return nil, err
		}
		if x.Date, err = parseDate(date); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
