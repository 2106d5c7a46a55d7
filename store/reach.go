package store

import (
	"context"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// MarkUnreachable records that the person with Telegram account telegramID
// cannot be written to (they blocked the bot). It reports whether this call
// changed anything: false when no one has that account or they were already
// marked.
func (db *DB) MarkUnreachable(ctx context.Context, telegramID int64, at time.Time) (bool, error) {
	n, err := affected(db.w.ExecContext(ctx, `UPDATE employees SET unreachable_at = ?
		WHERE telegram_id = ? AND unreachable_at IS NULL`, millis(at), telegramID))
	if err != nil {
		return false, fmt.Errorf("mark unreachable: %w", err)
	}
	return n == 1, nil
}

// MarkReachable clears MarkUnreachable for the person with telegramID (they
// wrote to the bot again). It reports whether they had been marked.
func (db *DB) MarkReachable(ctx context.Context, telegramID int64) (bool, error) {
	n, err := affected(db.w.ExecContext(ctx, `UPDATE employees SET unreachable_at = NULL
		WHERE telegram_id = ? AND unreachable_at IS NOT NULL`, telegramID))
	if err != nil {
		return false, fmt.Errorf("mark reachable: %w", err)
	}
	return n == 1, nil
}

// Unreachable returns the active employees of OPD opd marked unreachable,
// by name.
func (db *DB) Unreachable(ctx context.Context, opd string) ([]apel.Employee, error) {
	es, err := employees(ctx, db.r, `SELECT `+employeeColumns+` FROM employees
		WHERE opd = ? AND active = 1 AND unreachable_at IS NOT NULL ORDER BY name, id`, opd)
	if err != nil {
		return nil, fmt.Errorf("unreachable of %s: %w", opd, err)
	}
	return es, nil
}

// LoseGroup records that the bot is no longer in group chatID (removed, or
// Telegram answered 403), and returns the OPD the group served and whether
// this call marked it. The OPD keeps the binding, marked lost, so no prompt
// goes there, until the bot is added back (RestoreGroup) or a group is bound
// again. It returns an error wrapping apel.ErrNotFound when the chat serves
// no OPD.
func (db *DB) LoseGroup(ctx context.Context, chatID int64, at time.Time) (string, bool, error) {
	opd, n, err := db.groupLoss(ctx, chatID, `UPDATE opd_groups SET lost_at = ? WHERE chat_id = ? AND lost_at IS NULL`,
		millis(at), chatID)
	if err != nil {
		return "", false, fmt.Errorf("lose group: %w", err)
	}
	return opd, n == 1, nil
}

// RestoreGroup clears LoseGroup when the bot is added back to group chatID,
// and returns the OPD the group serves and whether it had been lost. It
// returns an error wrapping apel.ErrNotFound when the chat serves no OPD.
func (db *DB) RestoreGroup(ctx context.Context, chatID int64) (string, bool, error) {
	opd, n, err := db.groupLoss(ctx, chatID, `UPDATE opd_groups SET lost_at = NULL WHERE chat_id = ? AND lost_at IS NOT NULL`,
		chatID)
	if err != nil {
		return "", false, fmt.Errorf("restore group: %w", err)
	}
	return opd, n == 1, nil
}

// groupLoss runs update on the binding of chatID and returns its OPD and the
// rows changed.
func (db *DB) groupLoss(ctx context.Context, chatID int64, update string, args ...any) (string, int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return "", 0, err
	}
	defer rollback(tx)
	var opd string
	if err := tx.QueryRowContext(ctx, `SELECT opd FROM opd_groups WHERE chat_id = ?`, chatID).Scan(&opd); err != nil {
		return "", 0, mapErr(err)
	}
	n, err := affected(tx.ExecContext(ctx, update, args...))
	if err != nil {
		return "", 0, err
	}
	return opd, n, tx.Commit()
}

// GroupLost reports whether the bot lost the group of OPD opd (false when
// the OPD has no group at all).
func (db *DB) GroupLost(ctx context.Context, opd string) (bool, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM opd_groups WHERE opd = ? AND lost_at IS NOT NULL`,
		opd).Scan(&n); err != nil {
		return false, fmt.Errorf("group lost: %w", err)
	}
	return n > 0, nil
}

// MarkReachableAll is MarkReachable for a batch of Telegram users, in one
// statement; it returns the ids that had been marked.
func (db *DB) MarkReachableAll(ctx context.Context, telegramIDs []int64) ([]int64, error) {
	var out []int64
	for _, ids := range chunks(telegramIDs, maxParams) {
		rows, err := db.w.QueryContext(ctx, `UPDATE employees SET unreachable_at = NULL
			WHERE unreachable_at IS NOT NULL AND telegram_id IN (`+placeholders(len(ids))+`) RETURNING telegram_id`, anys(ids)...)
		if err != nil {
			return nil, fmt.Errorf("mark reachable: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("mark reachable: %w", err)
			}
			out = append(out, id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("mark reachable: %w", err)
		}
	}
	return out, nil
}
