package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestOpenSessionIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	in := apel.Session{OPD: "DISKOMINFO", Slot: slot(apel.Pagi), ChatID: -100, MessageID: 5, Shown: 2}
	// Sub-second parts within millisecond precision must survive too.
	in.Opens = in.Opens.Add(123 * time.Millisecond)

	first, created, err := db.OpenSession(ctx, in)
	if err != nil || !created || first.ID == 0 {
		t.Fatalf("OpenSession(first): got %+v, created %v, %v; want a new session", first, created, err)
	}
	want := in
	want.ID = first.ID
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("OpenSession(first) (-want +got):\n%s", diff)
	}
	// A double-fired job with different times gets the stored session.
	moved := in
	moved.Apel = moved.Apel.Add(time.Hour)
	second, created, err := db.OpenSession(ctx, moved)
	if err != nil || created || second.ID != first.ID {
		t.Fatalf("OpenSession(second): got ID %d, created %v, %v; want ID %d, false", second.ID, created, err, first.ID)
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("OpenSession(second) (-want +got):\n%s", diff)
	}
	got, err := db.Session(ctx, first.ID)
	if err != nil {
		t.Fatalf("Session(%d): %v", first.ID, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Session(%d) (-want +got):\n%s", first.ID, diff)
	}
	if _, _, err := db.OpenSession(ctx, apel.Session{OPD: "NOPE", Slot: slot(apel.Pagi)}); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("OpenSession(unknown OPD): got %v, want apel.ErrNotFound", err)
	}
}

func TestSessionsOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	for _, o := range []string{"DISKOMINFO", "DINKES"} {
		for _, k := range []apel.SessionKind{apel.Sore, apel.Pagi} {
			mustOpenSession(t, db, o, k)
		}
	}
	ss, err := db.Sessions(ctx, day1())
	if err != nil {
		t.Fatalf("Sessions(%s): %v", day1(), err)
	}
	var got []string
	for _, s := range ss {
		got = append(got, s.OPD+"/"+string(s.Kind))
	}
	want := []string{"DINKES/pagi", "DINKES/sore", "DISKOMINFO/pagi", "DISKOMINFO/sore"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sessions(%s) (-want +got):\n%s", day1(), diff)
	}
	if ss, err := db.Sessions(ctx, day1().AddDays(1)); err != nil || len(ss) != 0 {
		t.Errorf("Sessions(next day): got %d, %v; want none", len(ss), err)
	}
}

func TestSessionAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi) // 07:00-08:30
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore) // 15:30-17:00
	if _, err := db.CloseSession(ctx, pagi.ID, at(8, 30)); err != nil {
		t.Fatalf("CloseSession: %v", err)
	}
	tests := []struct {
		name string
		t    time.Time
		want int64 // 0: not found
	}{
		{"before the first session", at(6, 59), 0},
		{"pagi opens", at(7, 0), pagi.ID},
		{"inside pagi", at(7, 45), pagi.ID},
		{"pagi closes (inclusive)", at(8, 30), pagi.ID},
		{"after pagi, before sore", at(12, 0), pagi.ID},
		{"inside sore", at(16, 10), sore.ID},
		{"evening, same date", at(23, 59), sore.ID},
		{"next morning", at(23, 59).Add(2 * time.Minute), 0},
		{"inside pagi, given in UTC", at(7, 45).UTC(), pagi.ID},
	}
	for _, tt := range tests {
		got, err := db.SessionAt(ctx, "DISKOMINFO", tt.t)
		switch {
		case tt.want == 0 && !errors.Is(err, apel.ErrNotFound):
			t.Errorf("%s: SessionAt(%s): got %+v, %v; want apel.ErrNotFound", tt.name, tt.t, got, err)
		case tt.want != 0 && (err != nil || got.ID != tt.want):
			t.Errorf("%s: SessionAt(%s): got ID %d, %v; want %d", tt.name, tt.t, got.ID, err, tt.want)
		}
	}
	if got, err := db.SessionAt(ctx, "DISKOMINFO", at(8, 0)); err != nil || !got.Closed {
		t.Errorf("SessionAt(closed pagi): got Closed %v, %v; want true", got.Closed, err)
	}
	if _, err := db.SessionAt(ctx, "DINKES", at(7, 45)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("SessionAt(OPD without sessions): got %v, want apel.ErrNotFound", err)
	}
}

func TestSessionStampsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	s := mustOpenSession(t, db, "DINKES", apel.Pagi)

	for i, want := range []bool{true, false, false} {
		if got, err := db.MarkReminded(ctx, s.ID, at(8, 15)); err != nil || got != want {
			t.Errorf("MarkReminded call %d: got %v, %v; want %v", i+1, got, err, want)
		}
		if got, err := db.CloseSession(ctx, s.ID, at(8, 30)); err != nil || got != want {
			t.Errorf("CloseSession call %d: got %v, %v; want %v", i+1, got, err, want)
		}
	}
	if err := db.SetPrompt(ctx, s.ID, -100, 42); err != nil {
		t.Fatalf("SetPrompt: %v", err)
	}
	if err := db.SetShown(ctx, s.ID, 17); err != nil {
		t.Fatalf("SetShown: %v", err)
	}
	got, err := db.Session(ctx, s.ID)
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	want := s
	want.Closed, want.Reminded, want.ChatID, want.MessageID, want.Shown = true, true, -100, 42, 17
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Session after stamps (-want +got):\n%s", diff)
	}
}
