package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

func TestUpdatesInbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if id, err := db.LastUpdateID(ctx); err != nil || id != 0 {
		t.Errorf("LastUpdateID(empty): got %d, %v; want 0", id, err)
	}
	ups := []store.Update{{ID: 11, Raw: []byte(`{"update_id":11}`)}, {ID: 10, Raw: []byte(`{"update_id":10}`)}, {ID: 12, Raw: []byte(`{"update_id":12}`)}}
	if err := db.SaveUpdates(ctx, ups, at(7, 0)); err != nil {
		t.Fatalf("SaveUpdates: %v", err)
	}
	// Redelivery of 12 with other bytes is ignored.
	if err := db.SaveUpdates(ctx, []store.Update{{ID: 12, Raw: []byte(`changed`)}}, at(7, 1)); err != nil {
		t.Fatalf("SaveUpdates(redelivery): %v", err)
	}
	got, err := db.PendingUpdates(ctx, 0)
	if err != nil {
		t.Fatalf("PendingUpdates: %v", err)
	}
	want := []store.Update{ups[1], ups[0], ups[2]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PendingUpdates(0) (-want +got):\n%s", diff)
	}
	if got, _ := db.PendingUpdates(ctx, 2); !cmp.Equal(got, want[:2]) {
		t.Errorf("PendingUpdates(2): got %v, want %v", got, want[:2])
	}
	for _, id := range []int64{10, 12, 12} {
		if err := db.MarkUpdateDone(ctx, id, at(7, 2)); err != nil {
			t.Fatalf("MarkUpdateDone(%d): %v", id, err)
		}
	}
	if got, _ := db.PendingUpdates(ctx, 0); !cmp.Equal(got, []store.Update{ups[0]}) {
		t.Errorf("PendingUpdates after done: got %v, want only 11", got)
	}
	if err := db.MarkUpdateDone(ctx, 99, at(7, 2)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("MarkUpdateDone(unsaved): got %v, want apel.ErrNotFound", err)
	}
	if id, err := db.LastUpdateID(ctx); err != nil || id != 12 {
		t.Errorf("LastUpdateID: got %d, %v; want 12", id, err)
	}

	// Purge: 10 goes; 11 is pending and 12 is the newest, so both stay.
	if n, err := db.PurgeUpdates(ctx, at(7, 0)); err != nil || n != 0 {
		t.Errorf("PurgeUpdates(before saving): got %d, %v; want 0", n, err)
	}
	if n, err := db.PurgeUpdates(ctx, at(8, 0)); err != nil || n != 1 {
		t.Errorf("PurgeUpdates: got %d, %v; want 1", n, err)
	}
	if id, err := db.LastUpdateID(ctx); err != nil || id != 12 {
		t.Errorf("LastUpdateID after purge: got %d, %v; want 12", id, err)
	}
	if got, _ := db.PendingUpdates(ctx, 0); !cmp.Equal(got, []store.Update{ups[0]}) {
		t.Errorf("PendingUpdates after purge: got %v, want only 11", got)
	}
}

func TestMarkDone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	const key = "report:2026-01-13"
	if done, err := db.Done(ctx, key); err != nil || done {
		t.Errorf("Done(%q) before: got %v, %v; want false", key, done, err)
	}
	for i, want := range []bool{true, false, false} {
		if got, err := db.MarkDone(ctx, key, at(17, 0)); err != nil || got != want {
			t.Errorf("MarkDone(%q) call %d: got %v, %v; want %v", key, i+1, got, err, want)
		}
	}
	if done, err := db.Done(ctx, key); err != nil || !done {
		t.Errorf("Done(%q) after: got %v, %v; want true", key, done, err)
	}
	if done, _ := db.Done(ctx, "report:2026-01-14"); done {
		t.Errorf("Done(other key): got true, want false")
	}
}

// TestSaveUpdatesManyAndRepeated saves more updates than one statement
// takes (the multi-row insert is cut into chunks), with an ID repeated in
// the same call and one saved before: each is stored once, the first bytes
// kept.
func TestSaveUpdatesManyAndRepeated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if err := db.SaveUpdates(ctx, []store.Update{{ID: 7, Raw: []byte(`first`)}}, at(7, 0)); err != nil {
		t.Fatalf("SaveUpdates: %v", err)
	}
	var ups, want []store.Update
	for id := int64(1); id <= 3000; id++ {
		u := store.Update{ID: id, Raw: []byte(fmt.Sprintf(`{"update_id":%d}`, id))}
		if id == 7 {
			u.Raw = []byte(`again`)
		}
		ups = append(ups, u)
		if id == 7 {
			u.Raw = []byte(`first`)
		}
		want = append(want, u)
	}
	ups = append(ups, store.Update{ID: 2000, Raw: []byte(`repeated`)}, store.Update{ID: 3001}) // nil raw: stored empty
	want = append(want, store.Update{ID: 3001})                                                // read back empty or nil, by engine
	if err := db.SaveUpdates(ctx, ups, at(7, 1)); err != nil {
		t.Fatalf("SaveUpdates(3002): %v", err)
	}
	got, err := db.PendingUpdates(ctx, 0)
	if err != nil {
		t.Fatalf("PendingUpdates: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("PendingUpdates (-want +got):\n%s", diff)
	}
}

func TestUpdateDone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if err := db.SaveUpdates(ctx, []store.Update{{ID: 5, Raw: []byte(`{}`)}}, at(7, 0)); err != nil {
		t.Fatal(err)
	}
	if done, err := db.UpdateDone(ctx, 5); err != nil || done {
		t.Errorf("UpdateDone(saved): got %v, %v; want false", done, err)
	}
	if err := db.MarkUpdateDone(ctx, 5, at(7, 1)); err != nil {
		t.Fatal(err)
	}
	if done, err := db.UpdateDone(ctx, 5); err != nil || !done {
		t.Errorf("UpdateDone(done): got %v, %v; want true", done, err)
	}
	if done, err := db.UpdateDone(ctx, 6); err != nil || done {
		t.Errorf("UpdateDone(unknown): got %v, %v; want false", done, err)
	}
}
