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
