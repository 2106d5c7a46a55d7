package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestUnreachableEmployees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani := emps["199001012015032001"]
	if _, err := db.BindTelegram(ctx, ani.NIP, 555, at(6, 0)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		if got, err := db.MarkUnreachable(ctx, 555, at(7, 0)); err != nil || got != want {
			t.Errorf("MarkUnreachable call %d: got %v, %v; want %v", i+1, got, err, want)
		}
	}
	if got, err := db.MarkUnreachable(ctx, 999, at(7, 0)); err != nil || got {
		t.Errorf("MarkUnreachable(unknown account): got %v, %v; want false", got, err)
	}
	got, err := db.Unreachable(ctx, "DISKOMINFO")
	if err != nil || len(got) != 1 || got[0].ID != ani.ID {
		t.Errorf("Unreachable(DISKOMINFO): got %v, %v; want Ani", got, err)
	}
	if got, _ := db.Unreachable(ctx, "DINKES"); len(got) != 0 {
		t.Errorf("Unreachable(DINKES): got %v, want none", got)
	}
	for i, want := range []bool{true, false} {
		if got, err := db.MarkReachable(ctx, 555); err != nil || got != want {
			t.Errorf("MarkReachable call %d: got %v, %v; want %v", i+1, got, err, want)
		}
	}
	if got, _ := db.Unreachable(ctx, "DISKOMINFO"); len(got) != 0 {
		t.Errorf("Unreachable after MarkReachable: got %v, want none", got)
	}
}

func TestLostGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	if err := db.BindGroup(ctx, "DINKES", -100, 1, at(6, 0)); err != nil {
		t.Fatal(err)
	}
	if opd, changed, err := db.LoseGroup(ctx, -100, at(7, 0)); err != nil || opd != "DINKES" || !changed {
		t.Errorf("LoseGroup: got %q, %v, %v; want DINKES, true", opd, changed, err)
	}
	if opd, changed, err := db.LoseGroup(ctx, -100, at(7, 1)); err != nil || opd != "DINKES" || changed {
		t.Errorf("LoseGroup again: got %q, %v, %v; want DINKES, false", opd, changed, err)
	}
	if _, _, err := db.LoseGroup(ctx, -999, at(7, 0)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("LoseGroup(unbound chat): got %v, want apel.ErrNotFound", err)
	}
	if groups, _ := db.Groups(ctx); len(groups) != 0 {
		t.Errorf("Groups with the only group lost: got %v, want none", groups)
	}
	if _, err := db.OPDOfChat(ctx, -100); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("OPDOfChat(lost group): got %v, want apel.ErrNotFound", err)
	}
	if lost, err := db.GroupLost(ctx, "DINKES"); err != nil || !lost {
		t.Errorf("GroupLost(DINKES): got %v, %v; want true", lost, err)
	}

	// Added back: the binding is in force again.
	if opd, changed, err := db.RestoreGroup(ctx, -100); err != nil || opd != "DINKES" || !changed {
		t.Errorf("RestoreGroup: got %q, %v, %v; want DINKES, true", opd, changed, err)
	}
	if groups, _ := db.Groups(ctx); groups["DINKES"] != -100 {
		t.Errorf("Groups after RestoreGroup: got %v, want DINKES in -100", groups)
	}

	// Lost again, the chat can be bound to another OPD, and binding the old
	// OPD's new group clears the loss.
	if _, _, err := db.LoseGroup(ctx, -100, at(8, 0)); err != nil {
		t.Fatal(err)
	}
	if err := db.BindGroup(ctx, "DISKOMINFO", -100, 1, at(8, 1)); err != nil {
		t.Errorf("BindGroup of a lost group to another OPD: %v", err)
	}
	if lost, _ := db.GroupLost(ctx, "DINKES"); lost {
		t.Errorf("DINKES still has a lost group after its chat went to DISKOMINFO")
	}
	if err := db.BindGroup(ctx, "DINKES", -300, 1, at(8, 2)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.LoseGroup(ctx, -300, at(8, 3)); err != nil {
		t.Fatal(err)
	}
	if err := db.BindGroup(ctx, "DINKES", -300, 1, at(8, 4)); err != nil {
		t.Fatal(err)
	}
	if groups, _ := db.Groups(ctx); groups["DINKES"] != -300 || groups["DISKOMINFO"] != -100 {
		t.Errorf("Groups after rebinding: got %v, want DINKES -300 and DISKOMINFO -100", groups)
	}
}
