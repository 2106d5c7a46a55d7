package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// SyncOPDs upserts the OPDs of the configuration by code (name, office point,
// direct service), in one transaction. OPDs no longer configured are kept,
// so that the history referring to them stays intact.
func (db *DB) SyncOPDs(ctx context.Context, opds []apel.OPD) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync opds: %w", err)
	}
	defer rollback(tx)
	for _, o := range opds {
		if err := upsertOPD(ctx, tx, o); err != nil {
			return fmt.Errorf("sync opds: %s: %w", o.Code, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync opds: %w", err)
	}
	return nil
}

func upsertOPD(ctx context.Context, tx *sql.Tx, o apel.OPD) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO opds (code, name, office_lat, office_lon, direct_service) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, office_lat = excluded.office_lat,
			office_lon = excluded.office_lon, direct_service = excluded.direct_service`,
		o.Code, o.Name, o.Office.Lat, o.Office.Lon, o.DirectService)
	return mapErr(err)
}

// BindGroup makes chatID the Telegram group of OPD opd; by is the employee ID
// of whoever bound it. An OPD has one group: binding it to another chat
// replaces the old binding, and binding the same pair again succeeds. It
// returns an error wrapping apel.ErrNotFound when the OPD is unknown, and one
// wrapping apel.ErrConflict when the chat is already the group of a different
// OPD.
func (db *DB) BindGroup(ctx context.Context, opd string, chatID int64, by int64, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bind group: %w", err)
	}
	defer rollback(tx)
	if err := bindGroup(ctx, tx, opd, chatID, by, at); err != nil {
		return fmt.Errorf("bind group: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bind group: %w", err)
	}
	return nil
}

func bindGroup(ctx context.Context, tx *sql.Tx, opd string, chatID, by int64, at time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM opds WHERE code = ?`, opd).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("opd %s: %w", opd, apel.ErrNotFound)
	}
	// A group the bot lost no longer belongs to its old OPD.
	if _, err := tx.ExecContext(ctx, `DELETE FROM opd_groups WHERE chat_id = ? AND opd <> ? AND lost_at IS NOT NULL`,
		chatID, opd); err != nil {
		return err
	}
	// A second OPD claiming the chat breaks UNIQUE(chat_id): ErrConflict.
	_, err := tx.ExecContext(ctx, `
		INSERT INTO opd_groups (opd, chat_id, bound_by, bound_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (opd) DO UPDATE SET chat_id = excluded.chat_id, bound_by = excluded.bound_by,
			bound_at = excluded.bound_at, lost_at = NULL
		WHERE opd_groups.chat_id <> excluded.chat_id OR opd_groups.lost_at IS NOT NULL`,
		opd, chatID, by, millis(at))
	return mapErr(err)
}

// Groups returns the bound groups the bot is still in: OPD code to chat ID.
func (db *DB) Groups(ctx context.Context) (map[string]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT opd, chat_id FROM opd_groups WHERE lost_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int64)
	for rows.Next() {
		var opd string
		var chat int64
		if err := rows.Scan(&opd, &chat); err != nil {
			return nil, fmt.Errorf("groups: %w", err)
		}
		out[opd] = chat
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	return out, nil
}

// OPDOfChat returns the code of the OPD whose group is chatID, or an error
// wrapping apel.ErrNotFound when the chat is not bound (or the bot lost it).
func (db *DB) OPDOfChat(ctx context.Context, chatID int64) (string, error) {
	var opd string
	err := db.r.QueryRowContext(ctx, `SELECT opd FROM opd_groups WHERE chat_id = ? AND lost_at IS NULL`, chatID).Scan(&opd)
	if err != nil {
		return "", fmt.Errorf("opd of chat: %w", mapErr(err))
	}
	return opd, nil
}

// MigrateChat follows a group that Telegram upgraded to a supergroup: the
// group binding, the sessions posted to oldID and the messages queued for it
// move to newID. It does
// nothing when oldID is unknown, so a repeated migration notice is harmless;
// it returns an error wrapping apel.ErrConflict when newID is already the
// group of another OPD.
func (db *DB) MigrateChat(ctx context.Context, oldID, newID int64) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate chat: %w", err)
	}
	defer rollback(tx)
	if err := migrateChat(ctx, tx, oldID, newID); err != nil {
		return fmt.Errorf("migrate chat: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate chat: %w", err)
	}
	return nil
}

func migrateChat(ctx context.Context, tx *sql.Tx, oldID, newID int64) error {
	if oldID == newID {
		return errors.New("old and new chat are the same")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE opd_groups SET chat_id = ? WHERE chat_id = ?`, newID, oldID); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET chat_id = ? WHERE chat_id = ?`, newID, oldID); err != nil {
		return mapErr(err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending'`, newID, oldID)
	return mapErr(err)
}
