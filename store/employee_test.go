package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// nips returns the NIPs of es, in order.
func nips(es []apel.Employee) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.NIP)
	}
	return out
}

func TestImportRoster(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if err := db.SyncOPDs(ctx, testOPDs()); err != nil {
		t.Fatalf("SyncOPDs: %v", err)
	}
	first, err := db.ImportRoster(ctx, testRoster(), at(6, 0))
	if err != nil {
		t.Fatalf("ImportRoster(first): %v", err)
	}
	if len(first.Added) != 4 || len(first.Changed)+len(first.Removed)+first.Unchanged != 0 {
		t.Fatalf("ImportRoster(first): got %+v, want 4 added and nothing else", first)
	}
	for _, e := range first.Added {
		if e.ID == 0 || !e.Active {
			t.Errorf("ImportRoster(first): added %s: got ID %d, active %v; want an ID and active", e.NIP, e.ID, e.Active)
		}
	}

	// Ani registers and picks English; then the roster changes.
	ani, err := db.BindTelegram(ctx, testRoster()[1].NIP, 1001, at(6, 5))
	if err != nil {
		t.Fatalf("BindTelegram: %v", err)
	}
	if err := db.SetLanguage(ctx, ani.ID, "en"); err != nil {
		t.Fatalf("SetLanguage: %v", err)
	}
	next := []apel.Employee{
		testRoster()[0], // unchanged
		{NIP: ani.NIP, Name: ani.Name, OPD: "DINKES", Position: "Pranata Komputer", Role: apel.RoleStaff, Active: true}, // moved
		testRoster()[3], // unchanged; Cahyo (testRoster()[2]) is gone
		{NIP: "199505052020012005", Name: "Eka Putri", OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}, // new
	}
	ch, err := db.ImportRoster(ctx, next, at(6, 10))
	if err != nil {
		t.Fatalf("ImportRoster(next): %v", err)
	}
	if got, want := nips(ch.Added), []string{"199505052020012005"}; !cmp.Equal(got, want) {
		t.Errorf("ImportRoster(next).Added: got %v, want %v", got, want)
	}
	if got, want := nips(ch.Removed), []string{testRoster()[2].NIP}; !cmp.Equal(got, want) {
		t.Errorf("ImportRoster(next).Removed: got %v, want %v", got, want)
	}
	wantAni := apel.Employee{ID: ani.ID, NIP: ani.NIP, Name: ani.Name, OPD: "DINKES", Position: "Pranata Komputer",
		Role: apel.RoleStaff, Active: true, TelegramID: 1001, Lang: "en"}
	if diff := cmp.Diff([]apel.Employee{wantAni}, ch.Changed); diff != "" {
		t.Errorf("ImportRoster(next).Changed (-want +got):\n%s", diff)
	}
	if ch.Unchanged != 2 {
		t.Errorf("ImportRoster(next).Unchanged: got %d, want 2", ch.Unchanged)
	}
	if got, err := db.Employee(ctx, ani.ID); err != nil || !cmp.Equal(got, wantAni) {
		t.Errorf("Employee(%d) after move: got %+v, %v; want %+v", ani.ID, got, err, wantAni)
	}
	cahyo, err := db.EmployeeByNIP(ctx, testRoster()[2].NIP)
	if err != nil || cahyo.Active {
		t.Errorf("EmployeeByNIP(removed): got %+v, %v; want kept and inactive", cahyo, err)
	}

	// The same roster again changes nothing.
	again, err := db.ImportRoster(ctx, next, at(6, 20))
	if err != nil {
		t.Fatalf("ImportRoster(again): %v", err)
	}
	if diff := cmp.Diff(apel.RosterChange{Unchanged: len(next)}, again); diff != "" {
		t.Errorf("ImportRoster(again) (-want +got):\n%s", diff)
	}

	// Cahyo listed again is reactivated with his old ID.
	back, err := db.ImportRoster(ctx, append(next, testRoster()[2]), at(6, 30))
	if err != nil {
		t.Fatalf("ImportRoster(back): %v", err)
	}
	if len(back.Changed) != 1 || back.Changed[0].ID != cahyo.ID || !back.Changed[0].Active {
		t.Errorf("ImportRoster(back).Changed: got %+v, want Cahyo (ID %d) active", back.Changed, cahyo.ID)
	}
}

func TestEmployeeQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)

	all, err := db.Employees(ctx)
	if err != nil {
		t.Fatalf("Employees: %v", err)
	}
	// By OPD (DINKES < DISKOMINFO), then name.
	want := []string{testRoster()[2].NIP, testRoster()[3].NIP, testRoster()[1].NIP, testRoster()[0].NIP}
	if got := nips(all); !cmp.Equal(got, want) {
		t.Errorf("Employees: got %v, want %v", got, want)
	}
	of, err := db.EmployeesOf(ctx, "DISKOMINFO")
	if got, want := nips(of), []string{testRoster()[1].NIP, testRoster()[0].NIP}; err != nil || !cmp.Equal(got, want) {
		t.Errorf("EmployeesOf(DISKOMINFO): got %v, %v; want %v", got, err, want)
	}
	heads, err := db.Heads(ctx, "DISKOMINFO")
	if got, want := nips(heads), []string{testRoster()[0].NIP}; err != nil || !cmp.Equal(got, want) {
		t.Errorf("Heads(DISKOMINFO): got %v, %v; want %v", got, err, want)
	}
	admins, err := db.Admins(ctx)
	if got, want := nips(admins), []string{testRoster()[3].NIP}; err != nil || !cmp.Equal(got, want) {
		t.Errorf("Admins: got %v, %v; want %v", got, err, want)
	}
	budi := emps[testRoster()[0].NIP]
	if got, err := db.EmployeeByNIP(ctx, budi.NIP); err != nil || !cmp.Equal(got, budi) {
		t.Errorf("EmployeeByNIP(%s): got %+v, %v; want %+v", budi.NIP, got, err, budi)
	}
}

func TestBindTelegram(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	budi, ani := emps[testRoster()[0].NIP], emps[testRoster()[1].NIP]

	got, err := db.BindTelegram(ctx, budi.NIP, 500, at(7, 0))
	if err != nil || got.ID != budi.ID || got.TelegramID != 500 {
		t.Fatalf("BindTelegram(%s, 500): got %+v, %v; want Budi bound to 500", budi.NIP, got, err)
	}
	if got, err := db.EmployeeByTelegram(ctx, 500); err != nil || got.ID != budi.ID {
		t.Errorf("EmployeeByTelegram(500): got %+v, %v; want Budi", got, err)
	}
	if got, err := db.BindTelegram(ctx, budi.NIP, 500, at(7, 1)); err != nil || got.ID != budi.ID {
		t.Errorf("BindTelegram(same pair): got %+v, %v; want Budi, nil", got, err)
	}

	tests := []struct {
		name     string
		nip      string
		telegram int64
		want     apel.Reason
		wantEmp  int64 // the employee returned with the refusal, 0 for none
	}{
		{"unknown NIP", "000000000000000000", 600, apel.ReasonUnknownNIP, 0},
		{"NIP of another account", budi.NIP, 600, apel.ReasonNIPTaken, budi.ID},
		{"account of another NIP", ani.NIP, 500, apel.ReasonAccountBound, 0},
	}
	for _, tt := range tests {
		got, err := db.BindTelegram(ctx, tt.nip, tt.telegram, at(7, 2))
		if r, ok := apel.ReasonOf(err); !ok || r != tt.want {
			t.Errorf("%s: BindTelegram(%s, %d): got %v, want refusal %s", tt.name, tt.nip, tt.telegram, err, tt.want)
		}
		if got.ID != tt.wantEmp {
			t.Errorf("%s: BindTelegram(%s, %d): got employee %d, want %d", tt.name, tt.nip, tt.telegram, got.ID, tt.wantEmp)
		}
	}

	// Budi leaves the roster: his NIP is unknown, and his account is free
	// for a new binding.
	if _, err := db.ImportRoster(ctx, testRoster()[1:], at(8, 0)); err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	if _, err := db.BindTelegram(ctx, budi.NIP, 700, at(8, 1)); !isReason(err, apel.ReasonUnknownNIP) {
		t.Errorf("BindTelegram(inactive NIP): got %v, want refusal %s", err, apel.ReasonUnknownNIP)
	}
	if _, err := db.EmployeeByTelegram(ctx, 500); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("EmployeeByTelegram(inactive): got %v, want apel.ErrNotFound", err)
	}
	if got, err := db.BindTelegram(ctx, ani.NIP, 500, at(8, 2)); err != nil || got.ID != ani.ID {
		t.Errorf("BindTelegram(account of an inactive NIP): got %+v, %v; want Ani bound", got, err)
	}
}

func isReason(err error, want apel.Reason) bool {
	r, ok := apel.ReasonOf(err)
	return ok && r == want
}
