package store

import (
	"context"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Update is a raw Telegram update kept in the inbox: saved before Telegram
// is told it arrived, handled later, then marked done.
type Update = apel.Inbound

// SaveUpdates stores ups in one transaction. An update whose ID is already
// stored is ignored, so redelivery is harmless; of two with one ID in ups,
// the first is kept. The rows go in multi-row statements: one round trip
// per chunk, not per update, while the writers' lock is held.
func (db *DB) SaveUpdates(ctx context.Context, ups []Update, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save updates: %w", err)
	}
	defer rollback(tx)
	seen := make(map[int64]bool, len(ups))
	uniq := make([]Update, 0, len(ups))
	for _, u := range ups {
		if !seen[u.ID] {
			seen[u.ID] = true
			uniq = append(uniq, u)
		}
	}
	for _, part := range chunks(uniq, maxParams/updateCols) {
		args := make([]any, 0, updateCols*len(part))
		for _, u := range part {
			raw := u.Raw
			if raw == nil {
				raw = []byte{} // NOT NULL: an empty update is still an update
			}
			args = append(args, u.ID, raw, millis(at))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO updates (id, raw, saved_at) VALUES `+rowsOf(len(part), updateCols)+`
			ON CONFLICT (id) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("save updates: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save updates: %w", err)
	}
	return nil
}

// updateCols is the number of columns SaveUpdates inserts per row.
const updateCols = 3

// PendingUpdates returns up to limit saved updates not yet marked done, by
// ascending ID; limit <= 0 means all.
func (db *DB) PendingUpdates(ctx context.Context, limit int) ([]Update, error) {
	query, args := `SELECT id, raw FROM updates WHERE done_at IS NULL ORDER BY id`, []any(nil)
	if limit > 0 {
		query, args = query+` LIMIT ?`, []any{limit}
	}
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	defer rows.Close()
	var out []Update
	for rows.Next() {
		var u Update
		if err := rows.Scan(&u.ID, &u.Raw); err != nil {
			return nil, fmt.Errorf("pending updates: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	return out, nil
}

// MarkUpdateDone marks update id handled. Marking it again keeps the first
// time. It returns an error wrapping apel.ErrNotFound when the update was
// never saved.
func (db *DB) MarkUpdateDone(ctx context.Context, id int64, at time.Time) error {
	err := exactlyOne(db.w.ExecContext(ctx, `UPDATE updates SET done_at = COALESCE(done_at, ?) WHERE id = ?`,
		millis(at), id))
	if err != nil {
		return fmt.Errorf("mark update %d done: %w", id, err)
	}
	return nil
}

// LastUpdateID returns the highest saved update ID, 0 when none was saved.
// The bot asks Telegram for updates after it.
func (db *DB) LastUpdateID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM updates`).Scan(&id); err != nil {
		return 0, fmt.Errorf("last update id: %w", err)
	}
	return id, nil
}

// PurgeUpdates deletes the done updates saved before before and returns how
// many it deleted. Pending updates are never deleted, nor is the newest
// update, so that LastUpdateID survives a purge.
func (db *DB) PurgeUpdates(ctx context.Context, before time.Time) (int, error) {
	n, err := affected(db.w.ExecContext(ctx, `DELETE FROM updates
		WHERE done_at IS NOT NULL AND saved_at < ? AND id < (SELECT max(id) FROM updates)`, millis(before)))
	if err != nil {
		return 0, fmt.Errorf("purge updates: %w", err)
	}
	return int(n), nil
}

// UpdateDone reports whether update id was saved and marked done; a
// redelivered update that is done needs no handling.
func (db *DB) UpdateDone(ctx context.Context, id int64) (bool, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM updates WHERE id = ? AND done_at IS NOT NULL`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("update %d done: %w", id, err)
	}
	return n > 0, nil
}

// Backlog returns the number of saved updates not yet marked done.
func (db *DB) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM updates WHERE done_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("update backlog: %w", err)
	}
	return n, nil
}
