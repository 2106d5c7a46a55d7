package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// checkInColumns is the column list scanCheckIn reads, in order.
const checkInColumns = `c.id, c.session_id, c.employee_id, c.lat, c.lon, c.accuracy, c.fix_at, c.live, c.forwarded,
	c.venue, c.recorded_at, c.mode, c.mode_reason, c.late, c.late_by_ms, c.place, c.in_place, c.distance, c.note,
	c.update_id`

func scanCheckIn(s scanner) (apel.CheckIn, error) {
	var c apel.CheckIn
	var fixAt, recorded, lateBy int64
	err := s.Scan(&c.ID, &c.SessionID, &c.EmployeeID, &c.Fix.Lat, &c.Fix.Lon, &c.Fix.Accuracy, &fixAt,
		&c.Fix.Live, &c.Fix.Forwarded, &c.Fix.Venue, &recorded, &c.Mode, &c.ModeReason, &c.Late, &lateBy,
		&c.Place, &c.InPlace, &c.Distance, &c.Note, &c.UpdateID)
	c.Fix.At, c.RecordedAt = instant(fixAt), instant(recorded)
	c.LateBy = time.Duration(lateBy) * time.Millisecond
	return c, err
}

// checkIns runs a query selecting checkInColumns.
func checkIns(ctx context.Context, q querier, query string, args ...any) ([]apel.CheckIn, error) {
	return checkInsSized(ctx, q, 0, query, args...)
}

// checkInsSized is checkIns with room for n rows made up front: a
// 50,000-ASN day has 100,000 check-ins, which a growing slice copies over
// and over.
func checkInsSized(ctx context.Context, q querier, n int, query string, args ...any) ([]apel.CheckIn, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.CheckIn
	if n > 0 {
		out = make([]apel.CheckIn, 0, n)
	}
	for rows.Next() {
		c, err := scanCheckIn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordCheckIn stores a judged check-in and returns it with its ID. A
// second check-in of the same employee in the same session returns an error
// wrapping apel.ErrConflict; an unknown session or employee one wrapping
// apel.ErrNotFound. Instants keep millisecond precision.
func (db *DB) RecordCheckIn(ctx context.Context, c apel.CheckIn) (apel.CheckIn, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.CheckIn{}, fmt.Errorf("record check-in: %w", err)
	}
	defer rollback(tx)
	err = tx.QueryRowContext(ctx, `
		INSERT INTO check_ins (session_id, employee_id, lat, lon, accuracy, fix_at, live, forwarded, venue,
			recorded_at, mode, mode_reason, late, late_by_ms, place, in_place, distance, note, update_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.SessionID, c.EmployeeID, c.Fix.Lat, c.Fix.Lon, c.Fix.Accuracy, millis(c.Fix.At), c.Fix.Live,
		c.Fix.Forwarded, c.Fix.Venue, millis(c.RecordedAt), c.Mode, c.ModeReason, c.Late,
		c.LateBy.Milliseconds(), c.Place, c.InPlace, c.Distance, c.Note, c.UpdateID).Scan(&c.ID)
	if err != nil {
		return apel.CheckIn{}, fmt.Errorf("record check-in: %w", mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return apel.CheckIn{}, fmt.Errorf("record check-in: %w", err)
	}
	return c, nil
}

// CheckIn returns the check-in of an employee in a session, or an error
// wrapping apel.ErrNotFound.
func (db *DB) CheckIn(ctx context.Context, sessionID, employeeID int64) (apel.CheckIn, error) {
	c, err := scanCheckIn(db.r.QueryRowContext(ctx, `SELECT `+checkInColumns+` FROM check_ins c
		WHERE c.session_id = ? AND c.employee_id = ?`, sessionID, employeeID))
	if err != nil {
		return apel.CheckIn{}, fmt.Errorf("check-in: %w", mapErr(err))
	}
	return c, nil
}

// CheckIns returns the check-ins of every session of date d, ordered by
// session, then location time.
func (db *DB) CheckIns(ctx context.Context, d apel.Date) ([]apel.CheckIn, error) {
	cs, err := checkIns(ctx, db.r, checkInsOfDate, d.String())
	if err != nil {
		return nil, fmt.Errorf("check-ins of %s: %w", d, err)
	}
	return cs, nil
}

// checkInsOfDate reads the check-ins of a date. The sessions come as an IN
// list, not a join: the check_ins_session index then yields the rows in
// the order asked for, where a join sorts every row of the day (a 50,000-ASN
// day read in half the time).
const checkInsOfDate = `SELECT ` + checkInColumns + ` FROM check_ins c
	WHERE c.session_id IN (SELECT id FROM sessions WHERE date = ?) ORDER BY c.session_id, c.fix_at, c.id`

// CheckInsOf returns the check-ins of session sessionID, ordered by location
// time.
func (db *DB) CheckInsOf(ctx context.Context, sessionID int64) ([]apel.CheckIn, error) {
	cs, err := checkIns(ctx, db.r, `SELECT `+checkInColumns+` FROM check_ins c
		WHERE c.session_id = ? ORDER BY c.fix_at, c.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("check-ins of session %d: %w", sessionID, err)
	}
	return cs, nil
}

// CountCheckIns returns how many check-ins session sessionID has.
func (db *DB) CountCheckIns(ctx context.Context, sessionID int64) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM check_ins WHERE session_id = ?`, sessionID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count check-ins: %w", err)
	}
	return n, nil
}

// checkInCols is the number of columns RecordCheckIns inserts per row.
const checkInCols = 19

// RecordCheckIns records a batch of judged check-ins, marks the batch's
// inbox updates done and queues its replies in the outbox, all in one
// durable transaction (group commit): the batch is recorded whole or not
// at all. The i-th Recorded is the outcome of b.CheckIns[i]: stored (with
// its ID), or a duplicate when the person had already checked in to the
// session (the earlier check-in is returned and nothing is stored). Two
// check-ins of the same person and session in one batch are one stored and
// one duplicate.
//
// replies, when set, is called inside the transaction with the outcomes and
// returns the messages to queue (as QueueOutbound does: a key queued before
// is skipped); it must be quick, as every other write waits for it. Update
// ids never saved are ignored. An unknown session or employee fails the
// whole batch with an error wrapping apel.ErrNotFound.
func (db *DB) RecordCheckIns(ctx context.Context, b apel.CheckInBatch, replies func([]apel.Recorded) []apel.Outbound) ([]apel.Recorded, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record check-ins: %w", err)
	}
	defer rollback(tx)
	recs, err := recordCheckIns(ctx, tx, b.CheckIns)
	if err != nil {
		return nil, fmt.Errorf("record check-ins: %w", err)
	}
	if replies != nil {
		if err := queueOutbounds(ctx, tx, replies(recs), b.At); err != nil {
			return nil, fmt.Errorf("record check-ins: %w", err)
		}
	}
	for _, ids := range chunks(b.Done, maxParams-1) {
		if _, err := tx.ExecContext(ctx, `UPDATE updates SET done_at = COALESCE(done_at, ?)
			WHERE id IN (`+placeholders(len(ids))+`)`, append([]any{millis(b.At)}, anys(ids)...)...); err != nil {
			return nil, fmt.Errorf("record check-ins: mark updates done: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record check-ins: %w", err)
	}
	return recs, nil
}

// recordCheckIns inserts cs in multi-row statements, skipping those whose
// person already checked in to the session, and reads the earlier
// check-in of each one skipped.
func recordCheckIns(ctx context.Context, tx *sql.Tx, cs []apel.CheckIn) ([]apel.Recorded, error) {
	type key struct{ session, employee int64 }
	recs := make([]apel.Recorded, len(cs))
	stored := make(map[key]int, len(cs)) // key to the index of the check-in stored
	start := 0
	for _, part := range chunks(cs, maxParams/checkInCols) {
		args := make([]any, 0, checkInCols*len(part))
		for _, c := range part {
			args = append(args, c.SessionID, c.EmployeeID, c.Fix.Lat, c.Fix.Lon, c.Fix.Accuracy, millis(c.Fix.At),
				c.Fix.Live, c.Fix.Forwarded, c.Fix.Venue, millis(c.RecordedAt), c.Mode, c.ModeReason, c.Late,
				c.LateBy.Milliseconds(), c.Place, c.InPlace, c.Distance, c.Note, c.UpdateID)
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO check_ins (session_id, employee_id, lat, lon, accuracy, fix_at,
			live, forwarded, venue, recorded_at, mode, mode_reason, late, late_by_ms, place, in_place, distance, note, update_id)
			VALUES `+rowsOf(len(part), checkInCols)+`
			ON CONFLICT (session_id, employee_id) DO NOTHING
			RETURNING id, session_id, employee_id`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		ids := map[key]int64{}
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.session, &k.employee); err != nil {
				rows.Close()
				return nil, err
			}
			ids[k] = id
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, mapErr(err)
		}
		for i, c := range part {
			k := key{c.SessionID, c.EmployeeID}
			if id, ok := ids[k]; ok {
				if _, dup := stored[k]; !dup { // the first of two in one batch is the one stored
					c.ID = id
					recs[start+i] = apel.Recorded{CheckIn: c}
					stored[k] = start + i
					continue
				}
			}
			recs[start+i] = apel.Recorded{Duplicate: true}
		}
		start += len(part)
	}
	// The earlier check-ins of the duplicates: stored in this batch, or
	// read back.
	for i, c := range cs {
		if !recs[i].Duplicate {
			continue
		}
		if j, ok := stored[key{c.SessionID, c.EmployeeID}]; ok {
			recs[i].CheckIn = recs[j].CheckIn
			continue
		}
		prev, err := scanCheckIn(tx.QueryRowContext(ctx, `SELECT `+checkInColumns+` FROM check_ins c
			WHERE c.session_id = ? AND c.employee_id = ?`, c.SessionID, c.EmployeeID))
		if err != nil {
			return nil, mapErr(err)
		}
		recs[i].CheckIn = prev
	}
	return recs, nil
}
