package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/apelbot/apelbot/apel"
)

// SetShift records an OPD head's change to the rotation: s.EmployeeID works
// in s.Mode on s.Date, replacing an earlier change of that person and date.
// check, when set, is called inside the write transaction with the records
// of s.OPD for s.Date's week (without s); an error refuses the change and is
// returned as is. It returns an error wrapping apel.ErrNotFound when the
// employee or the OPD does not exist.
func (db *DB) SetShift(ctx context.Context, s apel.Shift, check func(f apel.Facts) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set shift: %w", err)
	}
	defer rollback(tx)
	if err := setShift(ctx, tx, s, check); err != nil {
		return fmt.Errorf("set shift: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set shift: %w", err)
	}
	return nil
}

func setShift(ctx context.Context, tx *sql.Tx, s apel.Shift, check func(f apel.Facts) error) error {
	if check != nil {
		m := apel.MondayOf(s.Date)
		f, err := facts(ctx, tx, s.OPD, m, m.AddDays(6))
		if err != nil {
			return err
		}
		if err := check(f); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO shifts (opd, date, employee_id, mode, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (employee_id, date) DO UPDATE SET opd = excluded.opd, mode = excluded.mode,
			set_by = excluded.set_by, set_at = excluded.set_at`,
		s.OPD, s.Date.String(), s.EmployeeID, s.Mode, s.By, millis(s.At))
	return mapErr(err)
}

// ClearShift removes the head's change for an employee on a date, giving
// them back to the rotation. Clearing a change that does not exist does
// nothing.
func (db *DB) ClearShift(ctx context.Context, employeeID int64, d apel.Date) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM shifts WHERE employee_id = ? AND date = ?`, employeeID, d.String()); err != nil {
		return fmt.Errorf("clear shift: %w", err)
	}
	return nil
}
