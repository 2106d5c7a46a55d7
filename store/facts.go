package store

import (
	"context"
	"fmt"

	"github.com/apelbot/apelbot/apel"
)

// Facts returns the person records a plan of OPD opd ("" for every OPD)
// needs for the dates from to to, read in one snapshot: the active staff
// (by OPD, then name), their excuses on those dates, their approved requests
// that overlap the dates, and the heads' changes to the rotation on them.
func (db *DB) Facts(ctx context.Context, opd string, from, to apel.Date) (apel.Facts, error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return apel.Facts{}, fmt.Errorf("facts: %w", err)
	}
	defer rollback(tx)
	f, err := facts(ctx, tx, opd, from, to)
	if err != nil {
		return apel.Facts{}, fmt.Errorf("facts %s %s..%s: %w", opd, from, to, err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Facts{}, fmt.Errorf("facts: %w", err)
	}
	return f, nil
}

func facts(ctx context.Context, q querier, opd string, from, to apel.Date) (apel.Facts, error) {
	// ?1 is the OPD, "" for all; ?2 and ?3 the dates.
	staff, err := employees(ctx, q, `SELECT `+employeeColumns+` FROM employees
		WHERE active = 1 AND (?1 = '' OR opd = ?1) ORDER BY opd, name, id`, opd)
	if err != nil {
		return apel.Facts{}, fmt.Errorf("staff: %w", err)
	}
	f, err := factsBut(ctx, q, opd, from, to)
	if err != nil {
		return apel.Facts{}, err
	}
	f.Staff = staff
	return f, nil
}

// factsBut is facts without the staff: the excuses, requests and
// rotation changes.
func factsBut(ctx context.Context, q querier, opd string, from, to apel.Date) (apel.Facts, error) {
	var f apel.Facts
	rows, err := q.QueryContext(ctx, `SELECT x.employee_id, x.date, x.kind, x.recorded_by FROM excuses x
		JOIN employees e ON e.id = x.employee_id
		WHERE e.active = 1 AND (?1 = '' OR e.opd = ?1) AND x.date BETWEEN ?2 AND ?3
		ORDER BY x.date, x.employee_id`, opd, from.String(), to.String())
	if err != nil {
		return apel.Facts{}, fmt.Errorf("excuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x apel.Excuse
		var date string
		if err := rows.Scan(&x.EmployeeID, &date, &x.Kind, &x.By); err != nil {
			return apel.Facts{}, err
		}
		if x.Date, err = parseDate(date); err != nil {
			return apel.Facts{}, err
		}
		f.Excuses = append(f.Excuses, x)
	}
	if err := rows.Err(); err != nil {
		return apel.Facts{}, fmt.Errorf("excuses: %w", err)
	}
	if f.Requests, err = requests(ctx, q, `SELECT `+requestColumns+` FROM requests
		WHERE status = 'approved' AND date_from <= ?3 AND date_to >= ?2
		AND employee_id IN (SELECT id FROM employees WHERE active = 1 AND (?1 = '' OR opd = ?1))
		ORDER BY date_from, id`, opd, from.String(), to.String()); err != nil {
		return apel.Facts{}, fmt.Errorf("requests: %w", err)
	}
	srows, err := q.QueryContext(ctx, `SELECT opd, date, employee_id, mode, set_by, set_at FROM shifts
		WHERE (?1 = '' OR opd = ?1) AND date BETWEEN ?2 AND ?3 ORDER BY date, employee_id`, opd, from.String(), to.String())
	if err != nil {
		return apel.Facts{}, fmt.Errorf("shifts: %w", err)
	}
	defer srows.Close()
	for srows.Next() {
		var s apel.Shift
		var date string
		var at int64
		if err := srows.Scan(&s.OPD, &date, &s.EmployeeID, &s.Mode, &s.By, &at); err != nil {
			return apel.Facts{}, err
		}
		if s.Date, err = parseDate(date); err != nil {
			return apel.Facts{}, err
		}
		s.At = instant(at)
		f.Shifts = append(f.Shifts, s)
	}
	if err := srows.Err(); err != nil {
		return apel.Facts{}, fmt.Errorf("shifts: %w", err)
	}
	return f, nil
}

// PlanStamps returns the plan stamp of each of opds: a number that changes
// whenever a record a plan of the OPD is computed from changes (its staff,
// their excuses and requests, the rotation), whoever wrote it. An OPD
// without a stamp yet has 0. A plan computed from Facts read after the
// stamp was read stays good while the stamp is unchanged.
func (db *DB) PlanStamps(ctx context.Context, opds []string) (map[string]int64, error) {
	out := make(map[string]int64, len(opds))
	for _, cs := range chunks(opds, maxParams) {
		rows, err := db.r.QueryContext(ctx, `SELECT opd, n FROM plan_stamps WHERE opd IN (`+placeholders(len(cs))+`)`, anys(cs)...)
		if err != nil {
			return nil, fmt.Errorf("plan stamps: %w", err)
		}
		for rows.Next() {
			var opd string
			var n int64
			if err := rows.Scan(&opd, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("plan stamps: %w", err)
			}
			out[opd] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("plan stamps: %w", err)
		}
	}
	return out, nil
}
