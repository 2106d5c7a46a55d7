package store

import (
	"context"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Month returns the records of every date from from to to (both inclusive)
// on which at least one session was held, in date order, for counting: the
// monthly evaluation. It reads one snapshot with one query per table,
// whatever the number of dates: the sessions, their check-ins, the excuses
// and the activity reports of the range, in the order Day gives them.
//
// The check-ins carry their judgement only: ID, SessionID, EmployeeID,
// Fix.At, Mode, Late, LateBy and InPlace. Locations, distances, places,
// notes and delivery details are left zero (read a date with Day for
// those): a pemda-wide month is millions of check-ins, and every column
// read costs.
//
// opds are given to each Day as they are (the configured display order).
// Every Day shares one Employees slice, the active employees (by OPD, then
// name), as Day does: a past date is compiled against the current roster.
// Callers must not change it.
func (db *DB) Month(ctx context.Context, from, to apel.Date, opds []apel.OPD) ([]apel.Day, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("month %s to %s: the range ends before it starts", from, to)
	}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("month %s to %s: %w", from, to, err)
	}
	defer rollback(tx)
	days, err := month(ctx, tx, db.dialect, from.String(), to.String(), opds)
	if err != nil {
		return nil, fmt.Errorf("month %s to %s: %w", from, to, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("month %s to %s: %w", from, to, err)
	}
	return days, nil
}

func month(ctx context.Context, q querier, d dialect, from, to string, opds []apel.OPD) ([]apel.Day, error) {
	emps, err := employees(ctx, q, `SELECT `+employeeColumns+` FROM employees WHERE active = 1 ORDER BY opd, name, id`)
	if err != nil {
		return nil, fmt.Errorf("employees: %w", err)
	}
	ss, err := sessions(ctx, q, `SELECT `+sessionColumns+` FROM sessions
		WHERE date BETWEEN ? AND ? ORDER BY date, opd, kind`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	var days []apel.Day
	index := map[apel.Date]int{}
	dayOf := map[int64]int{} // session ID to its date's index in days
	for _, s := range ss {
		i, ok := index[s.Date]
		if !ok {
			i = len(days)
			index[s.Date] = i
			days = append(days, apel.Day{Date: s.Date, OPDs: opds, Employees: emps})
		}
		days[i].Sessions = append(days[i].Sessions, s)
		dayOf[s.ID] = i
	}
	if len(days) == 0 {
		return nil, nil
	}
	// Room for a check-in of everyone in every session: most people check
	// in, and growing millions of check-ins by doubling costs more.
	staff := map[string]int{}
	for _, e := range emps {
		staff[e.OPD]++
	}
	for i := range days {
		n := 0
		for _, s := range days[i].Sessions {
			n += staff[s.OPD]
		}
		days[i].CheckIns = make([]apel.CheckIn, 0, n)
	}
	if err := monthCheckIns(ctx, q, d, from, to, days, dayOf); err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	for i := range days {
		if len(days[i].CheckIns) == 0 {
			days[i].CheckIns = nil // as Day gives a date without check-ins
		}
	}
	xs, err := excusesOfDates(ctx, q, from, to)
	if err != nil {
		return nil, fmt.Errorf("excuses: %w", err)
	}
	for _, x := range xs {
		if i, ok := index[x.Date]; ok {
			days[i].Excuses = append(days[i].Excuses, x)
		}
	}
	as, err := activities(ctx, q, activitiesOfDates, from, to)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	for _, a := range as {
		if i, ok := index[a.Date]; ok {
			days[i].Activities = append(days[i].Activities, a)
		}
	}
	cs, err := correctionsOfDates(ctx, q, from, to)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	for _, c := range cs {
		if i, ok := index[c.Date]; ok {
			days[i].Corrections = append(days[i].Corrections, c)
		}
	}
	return days, nil
}

// monthCheckIns reads the check-ins of the sessions of a date range into
// the Day of each session's date, by session, then location time. Only the
// judgement is read (see Month): a month is millions of rows, and every
// column costs.
func monthCheckIns(ctx context.Context, q querier, d dialect, from, to string, days []apel.Day, dayOf map[int64]int) error {
	// check_ins_session yields each session's check-ins in order, so the
	// ORDER BY needs no sort; SQLite's planner would pick the UNIQUE index.
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.session_id, c.employee_id, c.fix_at, c.mode, c.late,
			c.late_by_ms, c.in_place
		FROM sessions s JOIN check_ins c`+d.indexedBy("check_ins_session")+` ON c.session_id = s.id
		WHERE s.date BETWEEN ? AND ? ORDER BY s.date, s.id, c.fix_at, c.id`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var c apel.CheckIn
	var fixAt, lateBy int64
	var mode string
	for rows.Next() {
		if err := rows.Scan(&c.ID, &c.SessionID, &c.EmployeeID, &fixAt, &mode, &c.Late, &lateBy, &c.InPlace); err != nil {
			return err
		}
		c.Fix.At, c.LateBy, c.Mode = instant(fixAt), time.Duration(lateBy)*time.Millisecond, modeOf(mode)
		if i, ok := dayOf[c.SessionID]; ok {
			days[i].CheckIns = append(days[i].CheckIns, c)
		}
	}
	return rows.Err()
}

// modeOf returns the constant for a stored mode, so that a month's millions
// of check-ins share three strings.
func modeOf(s string) apel.Mode {
	for _, m := range []apel.Mode{apel.WFO, apel.WFH, apel.WFA} {
		if s == string(m) {
			return m
		}
	}
	return apel.Mode(s)
}
