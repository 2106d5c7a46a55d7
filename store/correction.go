package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/apelbot/apelbot/apel"
)

// RecordCorrection appends c to the audit trail and returns its id. The
// date and session kind are taken from the session, so they cannot
// disagree with it. Corrections are never updated or deleted (the table
// refuses it). It returns an error wrapping apel.ErrNotFound when the
// session, the employee or the corrector does not exist; c is checked with
// its Validate method first.
func (db *DB) RecordCorrection(ctx context.Context, c apel.Correction) (int64, error) {
	ids, err := db.RecordCorrections(ctx, []apel.Correction{c})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// RecordCorrections appends cs in one transaction, in order (a correction
// of both sessions of a day is two entries), and returns their ids.
func (db *DB) RecordCorrections(ctx context.Context, cs []apel.Correction) ([]int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record correction: %w", err)
	}
	defer rollback(tx)
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		id, err := recordCorrection(ctx, tx, c)
		if err != nil {
			return nil, fmt.Errorf("record correction: %w", err)
		}
		ids = append(ids, id)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record correction: %w", err)
	}
	return ids, nil
}

// recordCorrection appends c inside tx (also used by a flag review that
// rejects a check-in, store/flags.go).
func recordCorrection(ctx context.Context, tx *sql.Tx, c apel.Correction) (int64, error) {
	if c.Date.IsZero() || c.Kind == "" {
		// Validate wants them; they come from the session anyway.
		s, err := session(ctx, tx, `id = ?`, c.SessionID)
		if err != nil {
			return 0, fmt.Errorf("session %d: %w", c.SessionID, err)
		}
		c.Date, c.Kind = s.Date, s.Kind
	}
	if err := c.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO corrections (session_id, employee_id, date, kind, before_status, before_excuse,
			after_status, after_excuse, mode, reason, note, by_employee, by_telegram, at)
		SELECT s.id, ?, s.date, s.kind, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		FROM sessions s WHERE s.id = ?
		RETURNING id`,
		c.EmployeeID, string(c.Before), string(c.BeforeExcuse), string(c.After), string(c.Excuse),
		string(c.Mode), string(c.Reason), c.Note, c.By, c.ByTelegram, millis(c.At), c.SessionID).Scan(&id)
	if err != nil {
		return 0, mapErr(err)
	}
	return id, nil
}

// Corrections returns the corrections of the sessions of date d, in the
// order they were made.
func (db *DB) Corrections(ctx context.Context, d apel.Date) ([]apel.Correction, error) {
	cs, err := correctionsOfDates(ctx, db.r, d.String(), d.String())
	if err != nil {
		return nil, fmt.Errorf("corrections of %s: %w", d, err)
	}
	return cs, nil
}

// CorrectionsBetween returns the corrections of the sessions of the dates
// from to to (both inclusive), by date, then in the order they were made.
func (db *DB) CorrectionsBetween(ctx context.Context, from, to apel.Date) ([]apel.Correction, error) {
	cs, err := correctionsOfDates(ctx, db.r, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("corrections of %s to %s: %w", from, to, err)
	}
	return cs, nil
}

func correctionsOfDates(ctx context.Context, q querier, from, to string) ([]apel.Correction, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, session_id, employee_id, date, kind, before_status,
		before_excuse, after_status, after_excuse, mode, reason, note, by_employee, by_telegram, at
		FROM corrections WHERE date BETWEEN ? AND ? ORDER BY date, id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Correction
	for rows.Next() {
		var c apel.Correction
		var date string
		var at int64
		if err := rows.Scan(&c.ID, &c.SessionID, &c.EmployeeID, &date, &c.Kind, &c.Before, &c.BeforeExcuse,
			&c.After, &c.Excuse, &c.Mode, &c.Reason, &c.Note, &c.By, &c.ByTelegram, &at); err != nil {
			return nil, err
		}
		if c.Date, err = parseDate(date); err != nil {
			return nil, err
		}
		c.At = instant(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
