package store

import (
	"context"
	"fmt"
	"time"
)

// PurgeHomePoints deletes the coordinates of the home points that stopped
// mattering before before: superseded ones (by the time they were
// superseded) and rejected ones (by the time they were decided). The rest of
// the record (who asked, who decided, when) stays. Pending and approved
// points are never touched. It stamps the purge with at and returns how
// many points it purged.
//
// Home points are personal data (UU 27/2022 on personal data protection):
// coordinates that no longer serve attendance are not kept.
func (db *DB) PurgeHomePoints(ctx context.Context, before, at time.Time) (int, error) {
	n, err := affected(db.w.ExecContext(ctx, `UPDATE home_points SET lat = NULL, lon = NULL, purged_at = ?
		WHERE purged_at IS NULL AND (
			(status = 'superseded' AND superseded_at < ?) OR (status = 'rejected' AND decided_at < ?))`,
		millis(at), millis(before), millis(before)))
	if err != nil {
		return 0, fmt.Errorf("purge home points: %w", err)
	}
	return int(n), nil
}

// PurgeForeignLocations deletes the locations that accounts refused on a
// NIP sent (apel.ForeignFix) and that were recorded before before, and
// returns how many it deleted. They were never attendance: they served to
// flag the bound person's check-in, and the flag (with its review) stays.
// The refused claims themselves hold no location and stay.
func (db *DB) PurgeForeignLocations(ctx context.Context, before time.Time) (int, error) {
	n, err := affected(db.w.ExecContext(ctx, `DELETE FROM foreign_locations WHERE recorded_at < ?`, millis(before)))
	if err != nil {
		return 0, fmt.Errorf("purge foreign locations: %w", err)
	}
	return int(n), nil
}
