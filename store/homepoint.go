package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// homePointColumns is the column list scanHomePoint reads, in order.
const homePointColumns = `id, employee_id, COALESCE(lat, 0), COALESCE(lon, 0), accuracy, status, requested_at,
	COALESCE(decided_by, 0), decided_at, purged_at`

func scanHomePoint(s scanner) (apel.HomePoint, error) {
	var h apel.HomePoint
	var requested int64
	var decided, purged sql.NullInt64
	err := s.Scan(&h.ID, &h.EmployeeID, &h.Point.Lat, &h.Point.Lon, &h.Accuracy, &h.Status, &requested,
		&h.DecidedBy, &decided, &purged)
	h.RequestedAt, h.DecidedAt, h.PurgedAt = instant(requested), nullInstant(decided), nullInstant(purged)
	return h, err
}

// homePoint reads the one point matching where; apel.ErrNotFound when none.
func homePoint(ctx context.Context, q querier, where string, args ...any) (apel.HomePoint, error) {
	h, err := scanHomePoint(q.QueryRowContext(ctx, `SELECT `+homePointColumns+` FROM home_points WHERE `+where, args...))
	if err != nil {
		return apel.HomePoint{}, mapErr(err)
	}
	return h, nil
}

// ProposeHomePoint records a new pending home point of an employee, with the
// reported horizontal accuracy in metres. A point of theirs still pending
// becomes superseded; the approved one stays in force until the new one is
// approved. It returns an error wrapping apel.ErrNotFound when the employee
// does not exist.
func (db *DB) ProposeHomePoint(ctx context.Context, employeeID int64, p apel.Point, accuracy float64, at time.Time) (apel.HomePoint, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.HomePoint{}, fmt.Errorf("propose home point: %w", err)
	}
	defer rollback(tx)
	h, err := proposeHomePoint(ctx, tx, employeeID, p, accuracy, at)
	if err != nil {
		return apel.HomePoint{}, fmt.Errorf("propose home point: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.HomePoint{}, fmt.Errorf("propose home point: %w", err)
	}
	return h, nil
}

func proposeHomePoint(ctx context.Context, tx *sql.Tx, employeeID int64, p apel.Point, accuracy float64, at time.Time) (apel.HomePoint, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE home_points SET status = 'superseded', superseded_at = ?
		WHERE employee_id = ? AND status = 'pending'`, millis(at), employeeID); err != nil {
		return apel.HomePoint{}, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO home_points (employee_id, lat, lon, accuracy, status, requested_at)
		VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id`, employeeID, p.Lat, p.Lon, accuracy, millis(at)).Scan(&id); err != nil {
		return apel.HomePoint{}, mapErr(err)
	}
	return homePoint(ctx, tx, `id = ?`, id)
}

// HomePoint returns the home point with id, or an error wrapping
// apel.ErrNotFound.
func (db *DB) HomePoint(ctx context.Context, id int64) (apel.HomePoint, error) {
	h, err := homePoint(ctx, db.r, `id = ?`, id)
	if err != nil {
		return apel.HomePoint{}, fmt.Errorf("home point %d: %w", id, err)
	}
	return h, nil
}

// DecideHomePoint approves or rejects the pending home point id; by is the
// deciding employee's ID. Approving supersedes the owner's previously
// approved point. A point that is no longer pending is refused with an
// *apel.Refusal of apel.ReasonAlreadyDecided, returned with the point as it
// stands. It returns an error wrapping apel.ErrNotFound when there is no
// such point.
func (db *DB) DecideHomePoint(ctx context.Context, id int64, approve bool, by int64, at time.Time) (apel.HomePoint, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.HomePoint{}, fmt.Errorf("decide home point: %w", err)
	}
	defer rollback(tx)
	h, err := decideHomePoint(ctx, tx, id, approve, by, at)
	if err != nil {
		return h, fmt.Errorf("decide home point: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.HomePoint{}, fmt.Errorf("decide home point: %w", err)
	}
	return h, nil
}

func decideHomePoint(ctx context.Context, tx *sql.Tx, id int64, approve bool, by int64, at time.Time) (apel.HomePoint, error) {
	h, err := homePoint(ctx, tx, `id = ?`, id)
	if err != nil {
		return apel.HomePoint{}, err
	}
	if h.Status != apel.HomePending {
		return h, &apel.Refusal{Reason: apel.ReasonAlreadyDecided}
	}
	status := apel.HomeRejected
	if approve {
		status = apel.HomeApproved
		if _, err := tx.ExecContext(ctx, `UPDATE home_points SET status = 'superseded', superseded_at = ?
			WHERE employee_id = ? AND status = 'approved'`, millis(at), h.EmployeeID); err != nil {
			return apel.HomePoint{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE home_points SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		status, by, millis(at), id); err != nil {
		return apel.HomePoint{}, mapErr(err)
	}
	return homePoint(ctx, tx, `id = ?`, id)
}

// ApprovedHome returns the employee's approved home point, or an error
// wrapping apel.ErrNotFound when none is approved.
func (db *DB) ApprovedHome(ctx context.Context, employeeID int64) (apel.HomePoint, error) {
	h, err := homePoint(ctx, db.r, `employee_id = ? AND status = 'approved'`, employeeID)
	if err != nil {
		return apel.HomePoint{}, fmt.Errorf("approved home: %w", err)
	}
	return h, nil
}

// HomePoints returns the employee's home point history, newest first.
func (db *DB) HomePoints(ctx context.Context, employeeID int64) ([]apel.HomePoint, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+homePointColumns+` FROM home_points
		WHERE employee_id = ? ORDER BY requested_at DESC, id DESC`, employeeID)
	if err != nil {
		return nil, fmt.Errorf("home points: %w", err)
	}
	defer rows.Close()
	var out []apel.HomePoint
	for rows.Next() {
		h, err := scanHomePoint(rows)
		if err != nil {
			return nil, fmt.Errorf("home points: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("home points: %w", err)
	}
	return out, nil
}

// ApprovedHomes is ApprovedHome for a batch of employees: their approved
// home points by employee id, leaving out those without one.
func (db *DB) ApprovedHomes(ctx context.Context, employeeIDs []int64) (map[int64]apel.HomePoint, error) {
	out := map[int64]apel.HomePoint{}
	for _, ids := range chunks(employeeIDs, maxParams) {
		rows, err := db.r.QueryContext(ctx, `SELECT `+homePointColumns+` FROM home_points
			WHERE status = 'approved' AND employee_id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
		if err != nil {
			return nil, fmt.Errorf("approved homes: %w", err)
		}
		for rows.Next() {
			h, err := scanHomePoint(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("approved homes: %w", err)
			}
			out[h.EmployeeID] = h
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("approved homes: %w", err)
		}
	}
	return out, nil
}
