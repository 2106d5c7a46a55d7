package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetAwaiting remembers that the bot awaits what (e.g. a home location after
// /domisili) from the Telegram user telegramID until the instant until,
// replacing any earlier state. An empty what clears the state.
func (db *DB) SetAwaiting(ctx context.Context, telegramID int64, what string, until time.Time) error {
	var err error
	if what == "" {
		_, err = db.w.ExecContext(ctx, `DELETE FROM awaiting WHERE telegram_id = ?`, telegramID)
	} else {
		_, err = db.w.ExecContext(ctx, `INSERT INTO awaiting (telegram_id, what, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (telegram_id) DO UPDATE SET what = excluded.what, expires_at = excluded.expires_at`,
			telegramID, what, millis(until))
	}
	if err != nil {
		return fmt.Errorf("set awaiting: %w", err)
	}
	return nil
}

// Awaiting returns what the bot awaits from telegramID at now, or "" when
// nothing is awaited or the state expired (until is exclusive).
func (db *DB) Awaiting(ctx context.Context, telegramID int64, now time.Time) (string, error) {
	var what string
	err := db.r.QueryRowContext(ctx, `SELECT what FROM awaiting WHERE telegram_id = ? AND expires_at > ?`,
		telegramID, millis(now)).Scan(&what)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("awaiting: %w", err)
	}
	return what, nil
}

// AwaitingOf is Awaiting for a batch of Telegram users: what the bot awaits
// from each at now, by id, leaving out those it awaits nothing from.
func (db *DB) AwaitingOf(ctx context.Context, telegramIDs []int64, now time.Time) (map[int64]string, error) {
	out := map[int64]string{}
	for _, ids := range chunks(telegramIDs, maxParams) {
		rows, err := db.r.QueryContext(ctx, `SELECT telegram_id, what FROM awaiting
			WHERE expires_at > ? AND telegram_id IN (`+placeholders(len(ids))+`)`, append([]any{millis(now)}, anys(ids)...)...)
		if err != nil {
			return nil, fmt.Errorf("awaiting: %w", err)
		}
		for rows.Next() {
			var id int64
			var what string
			if err := rows.Scan(&id, &what); err != nil {
				rows.Close()
				return nil, fmt.Errorf("awaiting: %w", err)
			}
			out[id] = what
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("awaiting: %w", err)
		}
	}
	return out, nil
}
