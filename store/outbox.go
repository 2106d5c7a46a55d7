package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Outbox row states, as stored.
const (
	OutboxPending = "pending" // to be sent (again)
	OutboxSent    = "sent"
	OutboxFailed  = "failed"  // refused by the platform (blocked, bad request) or out of retries
	OutboxExpired = "expired" // its time passed before it could be sent
	OutboxDoubt   = "doubt"   // at most once, and a crash cut its send off: never resent
)

// outboxColumns is the column list scanOutbound reads, in order.
const outboxColumns = `id, key, priority, chat_id, edit_id, text, markup, COALESCE(session_id, 0), at_most_once,
	expires_at, attempts, parts_sent`

// scanOutbound reads outboxColumns, then any extra columns into extra.
func scanOutbound(s scanner, extra ...any) (apel.Outbound, error) {
	var o apel.Outbound
	var expires sql.NullInt64
	dest := []any{&o.ID, &o.Key, &o.Priority, &o.ChatID, &o.EditID, &o.Text, &o.Markup, &o.SessionID, &o.AtMostOnce,
		&expires, &o.Attempts, &o.PartsSent}
	err := s.Scan(append(dest, extra...)...)
	o.Expires = nullInstant(expires)
	return o, err
}

// QueueOutbound saves o in the outbox as pending, due at at, unless a
// message with the same key was queued before (whatever became of it). It
// reports whether o was queued by this call. o.ID, Attempts and PartsSent
// are ignored. It returns an error wrapping apel.ErrNotFound when
// o.SessionID names no session.
func (db *DB) QueueOutbound(ctx context.Context, o apel.Outbound, at time.Time) (bool, error) {
	var session sql.NullInt64
	if o.SessionID != 0 {
		session = sql.NullInt64{Int64: o.SessionID, Valid: true}
	}
	n, err := affected(db.w.ExecContext(ctx, `
		INSERT INTO outbox (key, priority, chat_id, edit_id, text, markup, session_id, at_most_once, created_at,
			not_before, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`,
		o.Key, o.Priority, o.ChatID, o.EditID, o.Text, o.Markup, session, o.AtMostOnce, millis(at), millis(at),
		nullMillis(o.Expires)))
	if err != nil {
		return false, fmt.Errorf("queue outbound %s: %w", o.Key, mapErr(err))
	}
	return n == 1, nil
}

// DueOutbound returns up to limit pending messages due at now (expired ones
// included, for the caller to mark), by priority, then queuing order.
func (db *DB) DueOutbound(ctx context.Context, now time.Time, limit int) ([]apel.Outbound, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE status = 'pending' AND not_before <= ? ORDER BY priority, id LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due outbound: %w", err)
	}
	defer rows.Close()
	var out []apel.Outbound
	for rows.Next() {
		o, err := scanOutbound(rows)
		if err != nil {
			return nil, fmt.Errorf("due outbound: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due outbound: %w", err)
	}
	return out, nil
}

// NextOutbound returns when the earliest pending message falls due; the
// zero time when none is pending.
func (db *DB) NextOutbound(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	if err := db.r.QueryRowContext(ctx, `SELECT min(not_before) FROM outbox WHERE status = 'pending'`).Scan(&next); err != nil {
		return time.Time{}, fmt.Errorf("next outbound: %w", err)
	}
	return nullInstant(next), nil
}

// Outbound returns the outbox message with key and its state, or an error
// wrapping apel.ErrNotFound.
func (db *DB) Outbound(ctx context.Context, key string) (apel.Outbound, string, error) {
	var status string
	o, err := scanOutbound(db.r.QueryRowContext(ctx, `SELECT `+outboxColumns+`, status FROM outbox WHERE key = ?`, key), &status)
	if err != nil {
		return apel.Outbound{}, "", fmt.Errorf("outbound %s: %w", key, mapErr(err))
	}
	return o, status, nil
}

// MarkOutboundTried records that a send of message id starts at at. Until
// it is marked sent, retried or failed, the message is in doubt: a crash in
// between means nobody knows whether it went out (see RecoverOutbound).
func (db *DB) MarkOutboundTried(ctx context.Context, id int64, at time.Time) error {
	return db.outboundUpdate(ctx, "mark outbound tried", id,
		`UPDATE outbox SET tried_at = ? WHERE id = ? AND status = 'pending'`, millis(at), id)
}

// MarkOutboundPartSent records that the first parts of message id's text
// were delivered, so a resend continues with the next part.
func (db *DB) MarkOutboundPartSent(ctx context.Context, id int64, parts int) error {
	return db.outboundUpdate(ctx, "mark outbound part sent", id,
		`UPDATE outbox SET parts_sent = ? WHERE id = ? AND status = 'pending'`, parts, id)
}

// MarkOutboundSent marks message id delivered as messageID (the last part's
// message). A group prompt (a message with a SessionID) also becomes the
// session's prompt, in the same transaction, so the scheduler can edit it.
func (db *DB) MarkOutboundSent(ctx context.Context, id int64, messageID int, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark outbound sent: %w", err)
	}
	defer rollback(tx)
	err = exactlyOne(tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', finished_at = ?, sent_message_id = ?,
		tried_at = NULL WHERE id = ? AND status = 'pending'`, millis(at), messageID, id))
	if err != nil {
		return fmt.Errorf("mark outbound %d sent: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET chat_id = o.chat_id, message_id = ?
		FROM (SELECT session_id, chat_id FROM outbox WHERE id = ?) AS o WHERE sessions.id = o.session_id`,
		messageID, id); err != nil {
		return fmt.Errorf("mark outbound %d sent: record prompt: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark outbound sent: %w", err)
	}
	return nil
}

// RetryOutbound puts message id back for another delivery round at next,
// counting the failed round and keeping reason (an error code, never
// message text).
func (db *DB) RetryOutbound(ctx context.Context, id int64, next time.Time, reason string) error {
	return db.outboundUpdate(ctx, "retry outbound", id, `UPDATE outbox SET attempts = attempts + 1, tried_at = NULL,
		not_before = ?, error = ? WHERE id = ? AND status = 'pending'`, millis(next), reason, id)
}

// FinishOutbound ends message id unsent with status OutboxFailed or
// OutboxExpired and the reason.
func (db *DB) FinishOutbound(ctx context.Context, id int64, status, reason string, at time.Time) error {
	if status != OutboxFailed && status != OutboxExpired {
		return fmt.Errorf("finish outbound %d: invalid status %q", id, status)
	}
	return db.outboundUpdate(ctx, "finish outbound", id, `UPDATE outbox SET status = ?, error = ?, finished_at = ?,
		tried_at = NULL WHERE id = ? AND status = 'pending'`, status, reason, millis(at), id)
}

// outboundUpdate runs an update of one pending outbox row; a row that is
// missing or no longer pending is apel.ErrNotFound.
func (db *DB) outboundUpdate(ctx context.Context, op string, id int64, query string, args ...any) error {
	if err := exactlyOne(db.w.ExecContext(ctx, query, args...)); err != nil {
		return fmt.Errorf("%s %d: %w", op, id, err)
	}
	return nil
}

// RecoverOutbound settles, at start, the messages whose send was under way
// when the process stopped: an at-most-once message becomes OutboxDoubt and
// is never resent, any other is resent. It returns how many of each.
func (db *DB) RecoverOutbound(ctx context.Context, at time.Time) (resent, doubt int, err error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("recover outbound: %w", err)
	}
	defer rollback(tx)
	d, err := affected(tx.ExecContext(ctx, `UPDATE outbox SET status = 'doubt', finished_at = ?, error = 'interrupted'
		WHERE status = 'pending' AND tried_at IS NOT NULL AND at_most_once = 1`, millis(at)))
	if err != nil {
		return 0, 0, fmt.Errorf("recover outbound: %w", err)
	}
	r, err := affected(tx.ExecContext(ctx, `UPDATE outbox SET tried_at = NULL
		WHERE status = 'pending' AND tried_at IS NOT NULL`))
	if err != nil {
		return 0, 0, fmt.Errorf("recover outbound: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("recover outbound: %w", err)
	}
	return int(r), int(d), nil
}

// PurgeOutbound deletes the finished messages (sent, failed, expired, in
// doubt) that finished before before, and returns how many. Their text
// holds names, so they are kept only as long as investigations need them.
func (db *DB) PurgeOutbound(ctx context.Context, before time.Time) (int, error) {
	n, err := affected(db.w.ExecContext(ctx, `DELETE FROM outbox WHERE status <> 'pending' AND finished_at < ?`,
		millis(before)))
	if err != nil {
		return 0, fmt.Errorf("purge outbound: %w", err)
	}
	return int(n), nil
}

// QueueOutbounds is QueueOutbound for many messages, in one transaction:
// one durable commit for a session's reminders, say, instead of one each.
// A key queued before is skipped.
func (db *DB) QueueOutbounds(ctx context.Context, os []apel.Outbound, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue outbound: %w", err)
	}
	defer rollback(tx)
	if err := queueOutbounds(ctx, tx, os, at); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("queue outbound: %w", err)
	}
	return nil
}

// queueOutbounds is QueueOutbound for many messages in transaction tx, in
// multi-row statements.
func queueOutbounds(ctx context.Context, tx *sql.Tx, os []apel.Outbound, at time.Time) error {
	const cols = 11
	for _, part := range chunks(os, maxParams/cols) {
		args := make([]any, 0, cols*len(part))
		for _, o := range part {
			var session sql.NullInt64
			if o.SessionID != 0 {
				session = sql.NullInt64{Int64: o.SessionID, Valid: true}
			}
			args = append(args, o.Key, o.Priority, o.ChatID, o.EditID, o.Text, o.Markup, session, o.AtMostOnce,
				millis(at), millis(at), nullMillis(o.Expires))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (key, priority, chat_id, edit_id, text, markup, session_id,
			at_most_once, created_at, not_before, expires_at)
			VALUES `+rowsOf(len(part), cols)+` ON CONFLICT (key) DO NOTHING`, args...)
		if err != nil {
			return fmt.Errorf("queue outbound: %w", mapErr(err))
		}
	}
	return nil
}
