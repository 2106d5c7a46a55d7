package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// LastContact returns the last recorded successful contact with Telegram,
// or the zero time when none was ever recorded.
func (db *DB) LastContact(ctx context.Context) (time.Time, error) {
	var ms int64
	err := db.r.QueryRowContext(ctx, `SELECT last_contact FROM liveness WHERE id = 1`).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last contact: %w", err)
	}
	return instant(ms), nil
}

// RecordContact records a successful contact with Telegram at at, and, in
// the same transaction, the outage o the contact ended when o is not zero.
// A contact earlier than the recorded one does not move it back. An outage
// is keyed by its start: recording it again sets its end.
func (db *DB) RecordContact(ctx context.Context, at time.Time, o apel.Outage) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record contact: %w", err)
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO liveness (id, last_contact) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET last_contact = excluded.last_contact
		WHERE excluded.last_contact > liveness.last_contact`, millis(at)); err != nil {
		return fmt.Errorf("record contact: %w", err)
	}
	if !o.From.IsZero() {
		if err := recordOutage(ctx, tx, o); err != nil {
			return fmt.Errorf("record contact: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record contact: %w", err)
	}
	return nil
}

// RecordOutageStart records an outage going on since o.From (the last
// contact before it), while the bot is still failing to reach Telegram.
// Recording it again changes nothing until RecordContact ends it.
func (db *DB) RecordOutageStart(ctx context.Context, from time.Time) error {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO outages (from_at, to_at) VALUES (?, NULL)
		ON CONFLICT (from_at) DO NOTHING`, millis(from)); err != nil {
		return fmt.Errorf("record outage start: %w", err)
	}
	return nil
}

func recordOutage(ctx context.Context, q querier, o apel.Outage) error {
	_, err := q.ExecContext(ctx, `INSERT INTO outages (from_at, to_at) VALUES (?, ?)
		ON CONFLICT (from_at) DO UPDATE SET to_at = excluded.to_at`, millis(o.From), nullMillis(o.To))
	if err != nil {
		return fmt.Errorf("record outage: %w", err)
	}
	return nil
}

// Outages returns the recorded outages that overlap [from, to], ongoing
// ones (zero To) included, in order.
func (db *DB) Outages(ctx context.Context, from, to time.Time) ([]apel.Outage, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, from_at, to_at FROM outages
		WHERE (to_at IS NULL OR to_at >= ?) AND from_at <= ? ORDER BY from_at`, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("outages: %w", err)
	}
	defer rows.Close()
	var out []apel.Outage
	for rows.Next() {
		var o apel.Outage
		var f int64
		var t sql.NullInt64
		if err := rows.Scan(&o.ID, &f, &t); err != nil {
			return nil, fmt.Errorf("outages: %w", err)
		}
		o.From, o.To = instant(f), nullInstant(t)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outages: %w", err)
	}
	return out, nil
}

// MarkDisrupted records that session id was disrupted by d (a zero d.To:
// the outage was still going on). It does nothing for a zero d.
func (db *DB) MarkDisrupted(ctx context.Context, id int64, d apel.Disruption) error {
	if d.IsZero() {
		return nil
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE sessions SET disrupted_from = ?, disrupted_to = ? WHERE id = ?`,
		millis(d.From), nullMillis(d.To), id); err != nil {
		return fmt.Errorf("mark session %d disrupted: %w", id, err)
	}
	return nil
}
