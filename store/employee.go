package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// employeeColumns is the column list scanEmployee reads, in order.
const employeeColumns = `id, nip, name, opd, position, role, active, COALESCE(telegram_id, 0), lang, new_hire, disciplinary`

func scanEmployee(s scanner) (apel.Employee, error) {
	var e apel.Employee
	err := s.Scan(&e.ID, &e.NIP, &e.Name, &e.OPD, &e.Position, &e.Role, &e.Active, &e.TelegramID, &e.Lang,
		&e.NewHire, &e.Disciplinary)
	return e, err
}

// employees runs a query selecting employeeColumns.
func employees(ctx context.Context, q querier, query string, args ...any) ([]apel.Employee, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Employee
	for rows.Next() {
		e, err := scanEmployee(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// employee reads the one employee matching where; apel.ErrNotFound when none.
func employee(ctx context.Context, q querier, where string, args ...any) (apel.Employee, error) {
	e, err := scanEmployee(q.QueryRowContext(ctx, `SELECT `+employeeColumns+` FROM employees WHERE `+where, args...))
	return e, mapErr(err)
}

// ImportRoster replaces the roster with emps in one transaction: people not
// yet known are added, known people whose name, OPD, position or role differ
// (or who were inactive, or whose eligibility flags changed) are updated and reactivated, keeping their Telegram
// binding and language, and people no longer listed are marked inactive
// (never deleted). Every listed person ends up active. It returns the change
// (see apel.DiffRoster) with the IDs of added people filled in and Active
// reflecting the new state.
func (db *DB) ImportRoster(ctx context.Context, emps []apel.Employee, at time.Time) (apel.RosterChange, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.RosterChange{}, fmt.Errorf("import roster: %w", err)
	}
	defer rollback(tx)
	ch, err := importRoster(ctx, tx, emps, at)
	if err != nil {
		return apel.RosterChange{}, fmt.Errorf("import roster: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.RosterChange{}, fmt.Errorf("import roster: %w", err)
	}
	return ch, nil
}

func importRoster(ctx context.Context, tx *sql.Tx, emps []apel.Employee, at time.Time) (apel.RosterChange, error) {
	cur, err := employees(ctx, tx, `SELECT `+employeeColumns+` FROM employees`)
	if err != nil {
		return apel.RosterChange{}, err
	}
	ch := apel.DiffRoster(cur, emps)
	for i := range ch.Added {
		e := &ch.Added[i]
		e.Active, e.TelegramID = true, 0 // a roster never carries a Telegram binding
		err := tx.QueryRowContext(ctx, `
			INSERT INTO employees (nip, name, opd, position, role, active, lang, new_hire, disciplinary, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id`,
			e.NIP, e.Name, e.OPD, e.Position, e.Role, e.Lang, e.NewHire, e.Disciplinary, millis(at), millis(at)).Scan(&e.ID)
		if err != nil {
			return apel.RosterChange{}, fmt.Errorf("add %s: %w", e.NIP, mapErr(err))
		}
	}
	for i := range ch.Changed {
		e := &ch.Changed[i]
		e.Active = true
		err := exactlyOne(tx.ExecContext(ctx, `
			UPDATE employees SET name = ?, opd = ?, position = ?, role = ?, new_hire = ?, disciplinary = ?,
				active = 1, updated_at = ?
			WHERE id = ?`,
			e.Name, e.OPD, e.Position, e.Role, e.NewHire, e.Disciplinary, millis(at), e.ID))
		if err != nil {
			return apel.RosterChange{}, fmt.Errorf("change %s: %w", e.NIP, mapErr(err))
		}
	}
	for i := range ch.Removed {
		e := &ch.Removed[i]
		e.Active = false
		err := exactlyOne(tx.ExecContext(ctx, `UPDATE employees SET active = 0, updated_at = ? WHERE id = ?`,
			millis(at), e.ID))
		if err != nil {
			return apel.RosterChange{}, fmt.Errorf("remove %s: %w", e.NIP, err)
		}
	}
	return ch, nil
}

// Employees returns everyone on the roster, inactive people included,
// ordered by OPD, then name.
func (db *DB) Employees(ctx context.Context) ([]apel.Employee, error) {
	es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees ORDER BY opd, name, id`)
	if err != nil {
		return nil, fmt.Errorf("employees: %w", err)
	}
	return es, nil
}

// EmployeesOf returns the active employees of OPD opd, ordered by name.
func (db *DB) EmployeesOf(ctx context.Context, opd string) ([]apel.Employee, error) {
	es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees
		WHERE opd = ? AND active = 1 ORDER BY name, id`, opd)
	if err != nil {
		return nil, fmt.Errorf("employees of %s: %w", opd, err)
	}
	return es, nil
}

// Employee returns the employee with id, active or not, or an error
// wrapping apel.ErrNotFound.
func (db *DB) Employee(ctx context.Context, id int64) (apel.Employee, error) {
	e, err := employee(ctx, db.r, `id = ?`, id)
	if err != nil {
		return apel.Employee{}, fmt.Errorf("employee %d: %w", id, err)
	}
	return e, nil
}

// EmployeeByNIP returns the employee with nip, active or not, or an error
// wrapping apel.ErrNotFound.
func (db *DB) EmployeeByNIP(ctx context.Context, nip string) (apel.Employee, error) {
	e, err := employee(ctx, db.r, `nip = ?`, nip)
	if err != nil {
		return apel.Employee{}, fmt.Errorf("employee by nip: %w", err)
	}
	return e, nil
}

// EmployeeByTelegram returns the active employee bound to telegramID, or an
// error wrapping apel.ErrNotFound when there is none (or they are inactive).
func (db *DB) EmployeeByTelegram(ctx context.Context, telegramID int64) (apel.Employee, error) {
	e, err := employee(ctx, db.r, `telegram_id = ? AND active = 1`, telegramID)
	if err != nil {
		return apel.Employee{}, fmt.Errorf("employee by telegram: %w", err)
	}
	return e, nil
}

// BindTelegram binds the Telegram account telegramID to the active employee
// with nip and returns that employee. Binding the same pair again succeeds.
// It refuses with an *apel.Refusal whose Reason is
//   - apel.ReasonUnknownNIP when no active employee has nip;
//   - apel.ReasonNIPTaken when nip is bound to another account; the employee
//     is returned too, so that the caller can alert the OPD head;
//   - apel.ReasonAccountBound when telegramID is bound to another active
//     employee.
//
// A binding held by an inactive employee is released to the new one: that
// person can no longer use the bot, and the account would be stuck.
func (db *DB) BindTelegram(ctx context.Context, nip string, telegramID int64, at time.Time) (apel.Employee, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.Employee{}, fmt.Errorf("bind telegram: %w", err)
	}
	defer rollback(tx)
	e, err := bindTelegram(ctx, tx, nip, telegramID, at)
	if err != nil {
		return e, fmt.Errorf("bind telegram: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Employee{}, fmt.Errorf("bind telegram: %w", err)
	}
	return e, nil
}

func bindTelegram(ctx context.Context, tx *sql.Tx, nip string, telegramID int64, at time.Time) (apel.Employee, error) {
	if telegramID == 0 {
		return apel.Employee{}, errors.New("telegram id is 0")
	}
	e, err := employee(ctx, tx, `nip = ? AND active = 1`, nip)
	switch {
	case errors.Is(err, apel.ErrNotFound):
		return apel.Employee{}, &apel.Refusal{Reason: apel.ReasonUnknownNIP}
	case err != nil:
		return apel.Employee{}, err
	case e.TelegramID == telegramID:
		return e, nil
	case e.TelegramID != 0:
		return e, &apel.Refusal{Reason: apel.ReasonNIPTaken}
	}
	holder, err := employee(ctx, tx, `telegram_id = ?`, telegramID)
	switch {
	case err == nil && holder.Active:
		return apel.Employee{}, &apel.Refusal{Reason: apel.ReasonAccountBound}
	case err == nil:
		if _, err := tx.ExecContext(ctx, `UPDATE employees SET telegram_id = NULL, updated_at = ? WHERE id = ?`,
			millis(at), holder.ID); err != nil {
			return apel.Employee{}, err
		}
	case !errors.Is(err, apel.ErrNotFound):
		return apel.Employee{}, err
	}
	err = exactlyOne(tx.ExecContext(ctx, `
		UPDATE employees SET telegram_id = ?, registered_at = ?, updated_at = ? WHERE id = ?`,
		telegramID, millis(at), millis(at), e.ID))
	if err != nil {
		return apel.Employee{}, mapErr(err)
	}
	e.TelegramID = telegramID
	return e, nil
}

// SetLanguage sets the preferred language of an employee ("" for the pemda
// default). It returns an error wrapping apel.ErrNotFound when the employee
// does not exist.
func (db *DB) SetLanguage(ctx context.Context, employeeID int64, lang string) error {
	err := exactlyOne(db.w.ExecContext(ctx, `UPDATE employees SET lang = ? WHERE id = ?`, lang, employeeID))
	if err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	return nil
}

// Heads returns the active heads of OPD opd, ordered by name.
func (db *DB) Heads(ctx context.Context, opd string) ([]apel.Employee, error) {
	es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees
		WHERE opd = ? AND role = 'head' AND active = 1 ORDER BY name, id`, opd)
	if err != nil {
		return nil, fmt.Errorf("heads of %s: %w", opd, err)
	}
	return es, nil
}

// Admins returns the active BKPSDM admins, ordered by OPD, then name.
func (db *DB) Admins(ctx context.Context) ([]apel.Employee, error) {
	es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees
		WHERE role = 'admin' AND active = 1 ORDER BY opd, name, id`)
	if err != nil {
		return nil, fmt.Errorf("admins: %w", err)
	}
	return es, nil
}

// EmployeesByTelegram returns the active employees registered with the
// given Telegram ids, by id: EmployeeByTelegram for a batch of senders, in
// one query per few thousand ids. Ids nobody registered are left out.
func (db *DB) EmployeesByTelegram(ctx context.Context, telegramIDs []int64) (map[int64]apel.Employee, error) {
	out := make(map[int64]apel.Employee, len(telegramIDs))
	for _, ids := range chunks(telegramIDs, maxParams) {
		es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees
			WHERE active = 1 AND telegram_id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
		if err != nil {
			return nil, fmt.Errorf("employees by telegram: %w", err)
		}
		for _, e := range es {
			out[e.TelegramID] = e
		}
	}
	return out, nil
}
