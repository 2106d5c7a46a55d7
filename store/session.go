package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// sessionColumns is the column list scanSession reads, in order.
const sessionColumns = `id, opd, date, kind, apel_at, opens_at, late_from, remind_at, closes_at,
	chat_id, message_id, closed_at IS NOT NULL, shown, utc_offset, reminded_at IS NOT NULL,
	disrupted_from, disrupted_to`

// scanSession returns the session and the UTC offset its times were given in.
func scanSession(s scanner) (apel.Session, int, error) {
	var x apel.Session
	var date string
	var apelAt, opens, late, remind, closes int64
	var offset int
	var dFrom, dTo sql.NullInt64
	if err := s.Scan(&x.ID, &x.OPD, &date, &x.Kind, &apelAt, &opens, &late, &remind, &closes,
		&x.ChatID, &x.MessageID, &x.Closed, &x.Shown, &offset, &x.Reminded, &dFrom, &dTo); err != nil {
		return apel.Session{}, 0, err
	}
	d, err := parseDate(date)
	if err != nil {
		return apel.Session{}, 0, err
	}
	x.Date = d
	x.Apel, x.Opens, x.LateFrom = instant(apelAt), instant(opens), instant(late)
	x.RemindAt, x.Closes = instant(remind), instant(closes)
	x.Disruption = apel.Disruption{From: nullInstant(dFrom), To: nullInstant(dTo)}
	return x, offset, nil
}

// session reads the one session matching where; apel.ErrNotFound when none.
func session(ctx context.Context, q querier, where string, args ...any) (apel.Session, error) {
	s, _, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE `+where, args...))
	if err != nil {
		return apel.Session{}, mapErr(err)
	}
	return s, nil
}

// sessions runs a query selecting sessionColumns.
func sessions(ctx context.Context, q querier, query string, args ...any) ([]apel.Session, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []apel.Session
	for rows.Next() {
		s, _, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// OpenSession stores s unless its OPD already has a session of that kind on
// that date, and returns the stored session and whether it was created by
// this call: a double-fired job gets the existing session and false. Every
// Slot field is kept, so a later policy change does not move it, and so are
// ChatID, MessageID and Shown; a session given Closed is stored closed at its
// Closes time. It returns
// an error wrapping apel.ErrNotFound when the OPD is unknown.
func (db *DB) OpenSession(ctx context.Context, s apel.Session) (apel.Session, bool, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return apel.Session{}, false, fmt.Errorf("open session: %w", err)
	}
	defer rollback(tx)
	stored, created, err := openSession(ctx, tx, s)
	if err != nil {
		return apel.Session{}, false, fmt.Errorf("open session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return apel.Session{}, false, fmt.Errorf("open session: %w", err)
	}
	return stored, created, nil
}

func openSession(ctx context.Context, tx *sql.Tx, s apel.Session) (apel.Session, bool, error) {
	// The zone offset of the apel time lets SessionAt tell the civil date of
	// an instant; Indonesian zones have no daylight saving time.
	_, offset := s.Apel.Zone()
	var closed sql.NullInt64
	if s.Closed {
		closed = sql.NullInt64{Int64: millis(s.Closes), Valid: true}
	}
	n, err := affected(tx.ExecContext(ctx, `
		INSERT INTO sessions (opd, date, kind, apel_at, opens_at, late_from, remind_at, closes_at, utc_offset,
			chat_id, message_id, shown, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (opd, date, kind) DO NOTHING`,
		s.OPD, s.Date.String(), s.Kind, millis(s.Apel), millis(s.Opens), millis(s.LateFrom), millis(s.RemindAt),
		millis(s.Closes), offset, s.ChatID, s.MessageID, s.Shown, closed))
	if err != nil {
		return apel.Session{}, false, mapErr(err)
	}
	stored, err := session(ctx, tx, `opd = ? AND date = ? AND kind = ?`, s.OPD, s.Date.String(), s.Kind)
	return stored, n == 1, err
}

// SetPrompt records the group message that prompted session sessionID. It
// returns an error wrapping apel.ErrNotFound when there is no such session.
func (db *DB) SetPrompt(ctx context.Context, sessionID int64, chatID int64, messageID int) error {
	err := exactlyOne(db.w.ExecContext(ctx, `UPDATE sessions SET chat_id = ?, message_id = ? WHERE id = ?`,
		chatID, messageID, sessionID))
	if err != nil {
		return fmt.Errorf("set prompt: %w", err)
	}
	return nil
}

// MarkPromptQueued records that the group prompt of session sessionID has
// been queued for chatID; the message id follows once it is sent (see
// MarkOutboundSent). A session whose prompt is already posted keeps its
// chat. It returns an error wrapping apel.ErrNotFound when there is no such
// session.
func (db *DB) MarkPromptQueued(ctx context.Context, sessionID int64, chatID int64) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark prompt queued: %w", err)
	}
	defer rollback(tx)
	if _, err := session(ctx, tx, `id = ?`, sessionID); err != nil {
		return fmt.Errorf("mark prompt queued: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET chat_id = ? WHERE id = ? AND message_id = 0`,
		chatID, sessionID); err != nil {
		return fmt.Errorf("mark prompt queued: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark prompt queued: %w", err)
	}
	return nil
}

// Session returns the session with id, or an error wrapping
// apel.ErrNotFound.
func (db *DB) Session(ctx context.Context, id int64) (apel.Session, error) {
	s, err := session(ctx, db.r, `id = ?`, id)
	if err != nil {
		return apel.Session{}, fmt.Errorf("session %d: %w", id, err)
	}
	return s, nil
}

// Sessions returns the sessions of date d, ordered by OPD, then kind (pagi
// before sore).
func (db *DB) Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error) {
	ss, err := sessions(ctx, db.r, sessionsOfDate, d.String())
	if err != nil {
		return nil, fmt.Errorf("sessions of %s: %w", d, err)
	}
	return ss, nil
}

// sessionsOfDate orders by kind as text: 'pagi' sorts before 'sore'.
const sessionsOfDate = `SELECT ` + sessionColumns + ` FROM sessions WHERE date = ? ORDER BY opd, kind`

// SessionAt returns the session of OPD opd whose window [Opens, Closes]
// contains t, closed or not. Failing that, it returns the latest session of
// opd that opened before t on the same civil date, so that the caller can
// say that it is over; the civil date of t is taken in the zone of the Apel
// time given to OpenSession. It returns an error wrapping apel.ErrNotFound
// when there is neither.
func (db *DB) SessionAt(ctx context.Context, opd string, t time.Time) (apel.Session, error) {
	s, offset, err := scanSession(db.r.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE opd = ? AND opens_at <= ? ORDER BY opens_at DESC, id DESC LIMIT 1`, opd, millis(t)))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return apel.Session{}, fmt.Errorf("session at: %w", apel.ErrNotFound)
	case err != nil:
		return apel.Session{}, fmt.Errorf("session at: %w", err)
	case !sessionAt(s, offset, t):
		return apel.Session{}, fmt.Errorf("session at: %w", apel.ErrNotFound)
	}
	return s, nil
}

// sessionAt reports whether s, the latest session of its OPD to open by t,
// is the session at t: t is in its window, or after it on the same date.
func sessionAt(s apel.Session, offset int, t time.Time) bool {
	return !t.After(s.Closes) || apel.DateOf(t, time.FixedZone("", offset)) == s.Date
}

// SessionsAt is SessionAt for a batch: the i-th session returned is that of
// opds[i] at ts[i], or the zero Session (ID 0) when there is none. The
// sessions are read in one query per few hundred OPDs.
func (db *DB) SessionsAt(ctx context.Context, opds []string, ts []time.Time) ([]apel.Session, error) {
	if len(opds) != len(ts) {
		return nil, fmt.Errorf("sessions at: %d OPDs but %d times", len(opds), len(ts))
	}
	out := make([]apel.Session, len(opds))
	if len(opds) == 0 {
		return out, nil
	}
	// A session is "at t" only on t's date, so the candidates opened at most
	// a day before the earliest t.
	lo, hi := ts[0], ts[0]
	distinct := map[string]bool{}
	for i, t := range ts {
		lo, hi = earlier(lo, t), later(hi, t)
		distinct[opds[i]] = true
	}
	codes := make([]string, 0, len(distinct))
	for c := range distinct {
		codes = append(codes, c)
	}
	type cand struct {
		s      apel.Session
		offset int
	}
	byOPD := map[string][]cand{}
	for _, cs := range chunks(codes, maxParams-2) {
		rows, err := db.r.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
			WHERE opens_at BETWEEN ? AND ? AND opd IN (`+placeholders(len(cs))+`)`,
			append([]any{millis(lo.Add(-24 * time.Hour)), millis(hi)}, anys(cs)...)...)
		if err != nil {
			return nil, fmt.Errorf("sessions at: %w", err)
		}
		for rows.Next() {
			s, offset, err := scanSession(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("sessions at: %w", err)
			}
			byOPD[s.OPD] = append(byOPD[s.OPD], cand{s, offset})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sessions at: %w", err)
		}
	}
	for i, opd := range opds {
		// The latest to open by t, as SessionAt orders them.
		var best *cand
		for j := range byOPD[opd] {
			c := &byOPD[opd][j]
			if c.s.Opens.After(ts[i]) {
				continue
			}
			if best == nil || c.s.Opens.After(best.s.Opens) || (c.s.Opens.Equal(best.s.Opens) && c.s.ID > best.s.ID) {
				best = c
			}
		}
		if best != nil && sessionAt(best.s, best.offset, ts[i]) {
			out[i] = best.s
		}
	}
	return out, nil
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// CloseSession marks session id closed at at. It returns true only for the
// call that closed it, and an error wrapping apel.ErrNotFound when there is
// no such session.
func (db *DB) CloseSession(ctx context.Context, id int64, at time.Time) (bool, error) {
	ok, err := db.stampOnce(ctx, `UPDATE sessions SET closed_at = ? WHERE id = ? AND closed_at IS NULL`, id, at)
	if err != nil {
		return false, fmt.Errorf("close session: %w", err)
	}
	return ok, nil
}

// MarkReminded records that the unchecked people of session id were
// reminded at at. It returns true only for the first call, and an error
// wrapping apel.ErrNotFound when there is no such session.
func (db *DB) MarkReminded(ctx context.Context, id int64, at time.Time) (bool, error) {
	ok, err := db.stampOnce(ctx, `UPDATE sessions SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL`, id, at)
	if err != nil {
		return false, fmt.Errorf("mark reminded: %w", err)
	}
	return ok, nil
}

// stampOnce runs an UPDATE of session id guarded by "IS NULL" and reports
// whether it changed the row; when it did not, it tells an unknown session
// from one stamped before.
func (db *DB) stampOnce(ctx context.Context, update string, id int64, at time.Time) (bool, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer rollback(tx)
	n, err := affected(tx.ExecContext(ctx, update, millis(at), id))
	if err != nil {
		return false, err
	}
	if n == 0 {
		if _, err := session(ctx, tx, `id = ?`, id); err != nil {
			return false, err
		}
	}
	return n == 1, tx.Commit()
}

// SetShown records the check-in count last shown on the group prompt of
// session id. It returns an error wrapping apel.ErrNotFound when there is no
// such session.
func (db *DB) SetShown(ctx context.Context, id int64, count int) error {
	err := exactlyOne(db.w.ExecContext(ctx, `UPDATE sessions SET shown = ? WHERE id = ?`, count, id))
	if err != nil {
		return fmt.Errorf("set shown: %w", err)
	}
	return nil
}
