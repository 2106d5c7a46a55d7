package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// requestColumns is the column list scanRequest reads, in order.
const requestColumns = `id, employee_id, kind, date_from, date_to, reason, plan, place, abroad, status,
	requested_at, COALESCE(decided_by, 0), decided_at`

func scanRequest(s scanner) (apel.Request, error) {
	var r apel.Request
	var from, to string
	var requested int64
	var decided sql.NullInt64
	if err := s.Scan(&r.ID, &r.EmployeeID, &r.Kind, &from, &to, &r.Reason, &r.Plan, &r.Place, &r.Abroad, &r.Status,
		&requested, &r.DecidedBy, &decided); err != nil {
		return apel.Request{}, err
	}
	var err error
	if r.From, err = parseDate(from); err != nil {
		return apel.Request{}, err
	}
	if r.To, err = parseDate(to); err != nil {
		return apel.Request{}, err
	}
	r.RequestedAt, r.DecidedAt = instant(requested), nullInstant(decided)
	return r, nil
}

func requests(ctx context.Context, q querier, query string, args ...any) ([]apel.Request, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func request(ctx context.Context, q querier, id int64) (apel.Request, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if err != nil {
		return apel.Request{}, mapErr(err)
	}
	return r, nil
}

// CreateRequest records r as a new pending request made at at, with the
// first line of its audit trail, and returns it with its ID. It refuses
// with an *apel.Refusal of apel.ReasonRequestOverlap when another pending or
// approved request of the same person covers one of its dates, and returns
// an error wrapping apel.ErrNotFound when the employee does not exist.
func (db *DB) CreateRequest(ctx context.Context, r apel.Request, at time.Time) (apel.Request, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.Request{}, fmt.Errorf("create request: %w", err)
	}
	defer rollback(tx)
	r, err = createRequest(ctx, tx, r, at)
	if err != nil {
		return apel.Request{}, fmt.Errorf("create request: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Request{}, fmt.Errorf("create request: %w", err)
	}
	return r, nil
}

func createRequest(ctx context.Context, tx *sql.Tx, r apel.Request, at time.Time) (apel.Request, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE employee_id = ?
		AND status IN ('pending', 'pending_ppk', 'approved') AND date_from <= ? AND date_to >= ?`,
		r.EmployeeID, r.To.String(), r.From.String()).Scan(&n); err != nil {
		return apel.Request{}, err
	}
	if n > 0 {
		return apel.Request{}, &apel.Refusal{Reason: apel.ReasonRequestOverlap}
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO requests (employee_id, kind, date_from, date_to, reason, plan, place,
		abroad, status, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id`,
		r.EmployeeID, r.Kind, r.From.String(), r.To.String(), r.Reason, r.Plan, r.Place, r.Abroad, millis(at)).Scan(&id); err != nil {
		return apel.Request{}, mapErr(err)
	}
	if err := requestEvent(ctx, tx, id, r.EmployeeID, apel.ActionRequested, at); err != nil {
		return apel.Request{}, err
	}
	return request(ctx, tx, id)
}

func requestEvent(ctx context.Context, tx *sql.Tx, id, by int64, action apel.RequestAction, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO request_events (request_id, at, actor, action) VALUES (?, ?, ?, ?)`,
		id, millis(at), by, action)
	return mapErr(err)
}

// Request returns the request with id, or an error wrapping
// apel.ErrNotFound.
func (db *DB) Request(ctx context.Context, id int64) (apel.Request, error) {
	r, err := request(ctx, db.r, id)
	if err != nil {
		return apel.Request{}, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// RequestsOf returns the requests of an employee that end on or after
// since, by start date.
func (db *DB) RequestsOf(ctx context.Context, employeeID int64, since apel.Date) ([]apel.Request, error) {
	rs, err := requests(ctx, db.r, `SELECT `+requestColumns+` FROM requests
		WHERE employee_id = ? AND date_to >= ? ORDER BY date_from, id`, employeeID, since.String())
	if err != nil {
		return nil, fmt.Errorf("requests of %d: %w", employeeID, err)
	}
	return rs, nil
}

// DecideRequest moves a request on, in one transaction: it records the
// decision and its line in the audit trail, and approving an excuse (izin,
// sakit, cuti, dinas luar) records it as the excuse of each date it covers,
// replacing earlier ones. A request no longer in d.From is refused with an
// *apel.Refusal of apel.ReasonAlreadyDecided, returned with the request as
// it stands. It returns an error wrapping apel.ErrNotFound when there is no
// such request.
//
// check, when set for an approval, is called inside the write transaction
// with the request and the records of its OPD from the Monday of its first
// date to the Sunday of its last; its error refuses the approval and is
// returned as is. So two approvals at once cannot both take the last place
// of a quota.
func (db *DB) DecideRequest(ctx context.Context, d apel.Decision, check func(apel.Request, apel.Facts) error) (apel.Request, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.Request{}, fmt.Errorf("decide request: %w", err)
	}
	defer rollback(tx)
	r, err := decideRequest(ctx, tx, d, check)
	if err != nil {
		return r, fmt.Errorf("decide request: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Request{}, fmt.Errorf("decide request: %w", err)
	}
	return r, nil
}

func decideRequest(ctx context.Context, tx *sql.Tx, d apel.Decision, check func(apel.Request, apel.Facts) error) (apel.Request, error) {
	r, err := request(ctx, tx, d.RequestID)
	if err != nil {
		return apel.Request{}, err
	}
	if r.Status != d.From {
		return r, &apel.Refusal{Reason: apel.ReasonAlreadyDecided}
	}
	if d.To == apel.RequestApproved && check != nil {
		var opd string
		if err := tx.QueryRowContext(ctx, `SELECT opd FROM employees WHERE id = ?`, r.EmployeeID).Scan(&opd); err != nil {
			return r, mapErr(err)
		}
		f, err := facts(ctx, tx, opd, apel.MondayOf(r.From), apel.MondayOf(r.To).AddDays(6))
		if err != nil {
			return r, err
		}
		if err := check(r, f); err != nil {
			return r, err
		}
	}
	action := apel.ActionApproved
	switch d.To {
	case apel.RequestPendingPPK:
		action = apel.ActionForwarded
	case apel.RequestRejected:
		action = apel.ActionRejected
	case apel.RequestApproved:
	default:
		return r, fmt.Errorf("decide request: unknown status %q", d.To)
	}
	if err := exactlyOne(tx.ExecContext(ctx, `UPDATE requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		d.To, d.By, millis(d.At), d.RequestID)); err != nil {
		return r, mapErr(err)
	}
	if err := requestEvent(ctx, tx, d.RequestID, d.By, action, d.At); err != nil {
		return r, err
	}
	if k := r.Kind.Excuse(); k != "" && d.To == apel.RequestApproved {
		for _, day := range r.Dates() {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO excuses (employee_id, date, kind, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (employee_id, date) DO UPDATE SET kind = excluded.kind, recorded_by = excluded.recorded_by,
					recorded_at = excluded.recorded_at`,
				r.EmployeeID, day.String(), k, d.By, millis(d.At)); err != nil {
				return r, mapErr(err)
			}
		}
	}
	return request(ctx, tx, d.RequestID)
}

// RequestEvents returns the audit trail of a request, oldest first.
func (db *DB) RequestEvents(ctx context.Context, id int64) ([]apel.RequestEvent, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT request_id, at, actor, action FROM request_events
		WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("request events: %w", err)
	}
	defer rows.Close()
	var out []apel.RequestEvent
	for rows.Next() {
		var ev apel.RequestEvent
		var at int64
		if err := rows.Scan(&ev.RequestID, &at, &ev.By, &ev.Action); err != nil {
			return nil, fmt.Errorf("request events: %w", err)
		}
		ev.At = instant(at)
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("request events: %w", err)
	}
	return out, nil
}
