package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestRecordActivity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	ani := mustSeed(t, db)["199001012015032001"]
	first := apel.Activity{EmployeeID: ani.ID, Date: day1(), Text: "Menyusun draf SOP", Mode: apel.WFH, UpdatedAt: at(10, 15)}
	got, err := db.RecordActivity(ctx, first, 501, at(10, 16))
	if err != nil {
		t.Fatalf("RecordActivity(first): %v", err)
	}
	want := apel.Activity{EmployeeID: ani.ID, Date: day1(), Text: "Menyusun draf SOP", Mode: apel.WFH,
		SentAt: at(10, 15).UTC(), UpdatedAt: at(10, 15).UTC(), Versions: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RecordActivity(first) (-want +got):\n%s", diff)
	}

	// Sending again replaces the text and photo and counts a version.
	second := first
	second.Text, second.PhotoID, second.UpdatedAt = "Menyusun draf SOP dan rapat daring", "AgACAgUAAxkBAAIB", at(15, 40)
	got, err = db.RecordActivity(ctx, second, 502, at(15, 41))
	if err != nil {
		t.Fatalf("RecordActivity(second): %v", err)
	}
	want.Text, want.PhotoID, want.UpdatedAt, want.Versions = second.Text, second.PhotoID, at(15, 40).UTC(), 2
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RecordActivity(second) (-want +got):\n%s", diff)
	}
	// The same update again (a replay) changes nothing.
	replay := second
	replay.Text = "must not be stored"
	if got, err := db.RecordActivity(ctx, replay, 502, at(15, 50)); err != nil || !cmp.Equal(want, got) {
		t.Errorf("RecordActivity(replayed update 502) = %+v, %v; want the stored report unchanged", got, err)
	}
	if got, err := db.Activity(ctx, ani.ID, day1()); err != nil || !cmp.Equal(want, got) {
		t.Errorf("Activity(ani, %s) = %+v, %v; want %+v", day1(), got, err, want)
	}

	versions, err := db.ActivityVersions(ctx, ani.ID, day1())
	if err != nil {
		t.Fatalf("ActivityVersions: %v", err)
	}
	wantVersions := []apel.Activity{
		{EmployeeID: ani.ID, Date: day1(), Text: first.Text, Mode: apel.WFH, SentAt: at(10, 15).UTC(), UpdatedAt: at(10, 15).UTC(), Versions: 1},
		{EmployeeID: ani.ID, Date: day1(), Text: second.Text, PhotoID: second.PhotoID, Mode: apel.WFH, SentAt: at(10, 15).UTC(), UpdatedAt: at(15, 40).UTC(), Versions: 2},
	}
	if diff := cmp.Diff(wantVersions, versions); diff != "" {
		t.Errorf("ActivityVersions (-want +got):\n%s", diff)
	}

	// Another date is another report; an update id of 0 is never a replay.
	next := apel.Activity{EmployeeID: ani.ID, Date: day1().AddDays(1), Text: "Rapat", Mode: apel.WFA, UpdatedAt: at(9, 0).Add(24 * time.Hour)}
	for range 2 {
		if _, err := db.RecordActivity(ctx, next, 0, at(9, 0).Add(24*time.Hour)); err != nil {
			t.Fatalf("RecordActivity(next day, no update id): %v", err)
		}
	}
	if got, err := db.Activity(ctx, ani.ID, next.Date); err != nil || got.Versions != 2 {
		t.Errorf("Activity(next day) = %+v, %v; want 2 versions", got, err)
	}
	if as, err := db.Activities(ctx, day1()); err != nil || len(as) != 1 || as[0].Text != second.Text {
		t.Errorf("Activities(%s) = %+v, %v; want Ani's report only", day1(), as, err)
	}
}

func TestActivityNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	checks := map[string]error{}
	_, checks["Activity"] = db.Activity(ctx, 1, day1())
	_, checks["ActivityVersions"] = db.ActivityVersions(ctx, 1, day1())
	_, checks["RecordActivity unknown employee"] = db.RecordActivity(ctx,
		apel.Activity{EmployeeID: 999, Date: day1(), Text: "x", Mode: apel.WFH, UpdatedAt: at(9, 0)}, 7, at(9, 0))
	for name, err := range checks {
		if !errors.Is(err, apel.ErrNotFound) {
			t.Errorf("%s: got %v, want an error wrapping apel.ErrNotFound", name, err)
		}
	}
	if as, err := db.Activities(ctx, day1()); err != nil || len(as) != 0 {
		t.Errorf("Activities of a date without reports = %+v, %v; want none", as, err)
	}
}
