package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

func TestPurgeHomePoints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani, head := emps["199001012015032001"], emps["198503122010011002"]
	pt := func(n float64) apel.Point { return apel.Point{Lat: -6.9 - n/1000, Lon: 107.6} }
	propose := func(n float64, day int) apel.HomePoint {
		h, err := db.ProposeHomePoint(ctx, ani.ID, pt(n), 10, at(7, 0).AddDate(0, 0, day))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	decide := func(h apel.HomePoint, ok bool, day int) {
		if _, err := db.DecideHomePoint(ctx, h.ID, ok, head.ID, at(8, 0).AddDate(0, 0, day)); err != nil {
			t.Fatal(err)
		}
	}
	first := propose(1, 0)
	decide(first, true, 0) // approved on day 0
	rejected := propose(2, 1)
	decide(rejected, false, 1) // rejected on day 1
	second := propose(3, 2)
	decide(second, true, 2) // approved on day 2: first is superseded on day 2
	propose(4, 3)           // pending, until superseded on day 50 by
	propose(5, 50)          // this one

	// 10 days after day 2: first (superseded day 2) and rejected (day 1) go.
	if n, err := db.PurgeHomePoints(ctx, at(8, 0).AddDate(0, 0, 12).Add(-10*24*time.Hour).Add(time.Minute), at(9, 0)); err != nil || n != 2 {
		t.Errorf("PurgeHomePoints: got %d, %v; want 2", n, err)
	}
	if n, err := db.PurgeHomePoints(ctx, at(8, 0).AddDate(0, 0, 12), at(9, 0)); err != nil || n != 0 {
		t.Errorf("PurgeHomePoints again: got %d, %v; want 0", n, err)
	}
	hist, err := db.HomePoints(ctx, ani.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hist {
		purged := h.ID == first.ID || h.ID == rejected.ID
		if purged != !h.PurgedAt.IsZero() || purged != (h.Point == apel.Point{}) {
			t.Errorf("point %d (%s): purged at %v, point %v; want purged %v", h.ID, h.Status, h.PurgedAt, h.Point, purged)
		}
		if h.ID == first.ID && (h.DecidedBy != head.ID || h.Status != apel.HomeSuperseded) {
			t.Errorf("purged point lost its record: %+v", h)
		}
	}
	if hp, err := db.ApprovedHome(ctx, ani.ID); err != nil || hp.Point != pt(3) {
		t.Errorf("ApprovedHome after purge: got %v, %v; want the second point intact", hp.Point, err)
	}
	// The pending point was superseded on day 50: purged once day 50 is old enough.
	if n, err := db.PurgeHomePoints(ctx, at(8, 0).AddDate(0, 0, 51), at(9, 0)); err != nil || n != 1 {
		t.Errorf("PurgeHomePoints after day 50: got %d, %v; want 1", n, err)
	}
}
