package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestSyncOPDsKeepsOld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	renamed := testOPDs()[0]
	renamed.Name = "Diskominfo Baru"
	if err := db.SyncOPDs(ctx, []apel.OPD{renamed}); err != nil {
		t.Fatalf("SyncOPDs(renamed only): %v", err)
	}
	// DINKES is no longer configured but its employees still reference it.
	if got, err := db.EmployeesOf(ctx, "DINKES"); err != nil || len(got) != 2 {
		t.Errorf("EmployeesOf(DINKES) after it left the config: got %d, %v; want 2, nil", len(got), err)
	}
	if err := db.BindGroup(ctx, "DINKES", -200, 1, at(7, 0)); err != nil {
		t.Errorf("BindGroup(DINKES) after it left the config: got %v, want nil", err)
	}
}

func TestBindGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)

	if err := db.BindGroup(ctx, "DISKOMINFO", -100, 1, at(7, 0)); err != nil {
		t.Fatalf("BindGroup(DISKOMINFO, -100): %v", err)
	}
	if err := db.BindGroup(ctx, "DISKOMINFO", -100, 1, at(7, 1)); err != nil {
		t.Errorf("BindGroup(same pair again): got %v, want nil", err)
	}
	if err := db.BindGroup(ctx, "DINKES", -100, 1, at(7, 2)); !errors.Is(err, apel.ErrConflict) {
		t.Errorf("BindGroup(DINKES, chat of DISKOMINFO): got %v, want apel.ErrConflict", err)
	}
	if err := db.BindGroup(ctx, "DINKES", -200, 1, at(7, 3)); err != nil {
		t.Fatalf("BindGroup(DINKES, -200): %v", err)
	}
	// Rebinding an OPD to another chat replaces its group.
	if err := db.BindGroup(ctx, "DISKOMINFO", -300, 1, at(7, 4)); err != nil {
		t.Fatalf("BindGroup(DISKOMINFO, -300): %v", err)
	}
	groups, err := db.Groups(ctx)
	if diff := cmp.Diff(map[string]int64{"DISKOMINFO": -300, "DINKES": -200}, groups); err != nil || diff != "" {
		t.Errorf("Groups: err %v, (-want +got):\n%s", err, diff)
	}
	if _, err := db.OPDOfChat(ctx, -100); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("OPDOfChat(replaced chat): got %v, want apel.ErrNotFound", err)
	}
	if got, err := db.OPDOfChat(ctx, -300); err != nil || got != "DISKOMINFO" {
		t.Errorf("OPDOfChat(-300): got %q, %v; want DISKOMINFO", got, err)
	}
}

func TestMigrateChat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	if err := db.BindGroup(ctx, "DISKOMINFO", -100, 1, at(7, 0)); err != nil {
		t.Fatalf("BindGroup: %v", err)
	}
	if err := db.BindGroup(ctx, "DINKES", -200, 1, at(7, 0)); err != nil {
		t.Fatalf("BindGroup: %v", err)
	}
	s := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	if err := db.SetPrompt(ctx, s.ID, -100, 77); err != nil {
		t.Fatalf("SetPrompt: %v", err)
	}
	if err := db.MigrateChat(ctx, -100, -1000100); err != nil {
		t.Fatalf("MigrateChat(-100, -1000100): %v", err)
	}
	if err := db.MigrateChat(ctx, -100, -1000100); err != nil {
		t.Errorf("MigrateChat repeated: got %v, want nil", err)
	}
	if got, err := db.OPDOfChat(ctx, -1000100); err != nil || got != "DISKOMINFO" {
		t.Errorf("OPDOfChat(new id): got %q, %v; want DISKOMINFO", got, err)
	}
	if got, err := db.Session(ctx, s.ID); err != nil || got.ChatID != -1000100 || got.MessageID != 77 {
		t.Errorf("Session(%d) after migration: got chat %d message %d, %v; want -1000100, 77", s.ID, got.ChatID, got.MessageID, err)
	}
	if err := db.MigrateChat(ctx, -200, -1000100); !errors.Is(err, apel.ErrConflict) {
		t.Errorf("MigrateChat onto a chat of another OPD: got %v, want apel.ErrConflict", err)
	}
}
