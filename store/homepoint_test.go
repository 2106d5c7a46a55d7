package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestHomePointLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani, head := emps[testRoster()[1].NIP], emps[testRoster()[0].NIP]
	home1 := apel.Point{Lat: -6.9, Lon: 107.6}
	home2 := apel.Point{Lat: -6.95, Lon: 107.65}
	home3 := apel.Point{Lat: -6.97, Lon: 107.66}

	p1, err := db.ProposeHomePoint(ctx, ani.ID, home1, 12.5, at(19, 0))
	if err != nil {
		t.Fatalf("ProposeHomePoint(1): %v", err)
	}
	want1 := apel.HomePoint{ID: p1.ID, EmployeeID: ani.ID, Point: home1, Accuracy: 12.5,
		Status: apel.HomePending, RequestedAt: at(19, 0)}
	if diff := cmp.Diff(want1, p1); diff != "" {
		t.Errorf("ProposeHomePoint(1) (-want +got):\n%s", diff)
	}
	if _, err := db.ApprovedHome(ctx, ani.ID); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("ApprovedHome before approval: got %v, want apel.ErrNotFound", err)
	}
	// A second proposal supersedes the pending first one.
	p2, err := db.ProposeHomePoint(ctx, ani.ID, home2, 5, at(19, 5))
	if err != nil {
		t.Fatalf("ProposeHomePoint(2): %v", err)
	}
	if _, err := db.DecideHomePoint(ctx, p1.ID, true, head.ID, at(19, 6)); !isReason(err, apel.ReasonAlreadyDecided) {
		t.Errorf("DecideHomePoint(superseded): got %v, want refusal %s", err, apel.ReasonAlreadyDecided)
	}
	approved2, err := db.DecideHomePoint(ctx, p2.ID, true, head.ID, at(19, 10))
	if err != nil {
		t.Fatalf("DecideHomePoint(2, approve): %v", err)
	}
	if approved2.Status != apel.HomeApproved || approved2.DecidedBy != head.ID || !approved2.DecidedAt.Equal(at(19, 10)) {
		t.Errorf("DecideHomePoint(2, approve): got %+v, want approved by %d at 19:10", approved2, head.ID)
	}
	if got, err := db.DecideHomePoint(ctx, p2.ID, false, head.ID, at(19, 11)); !isReason(err, apel.ReasonAlreadyDecided) || got.Status != apel.HomeApproved {
		t.Errorf("DecideHomePoint(approved again): got %+v, %v; want the approved point and refusal %s", got, err, apel.ReasonAlreadyDecided)
	}
	// A third point, rejected, leaves point 2 in force; a fourth approved
	// supersedes it.
	p3, err := db.ProposeHomePoint(ctx, ani.ID, home3, 8, at(20, 0))
	if err != nil {
		t.Fatalf("ProposeHomePoint(3): %v", err)
	}
	if _, err := db.DecideHomePoint(ctx, p3.ID, false, head.ID, at(20, 1)); err != nil {
		t.Fatalf("DecideHomePoint(3, reject): %v", err)
	}
	if got, err := db.ApprovedHome(ctx, ani.ID); err != nil || got.ID != p2.ID {
		t.Errorf("ApprovedHome after a rejection: got %+v, %v; want point %d", got, err, p2.ID)
	}
	p4, err := db.ProposeHomePoint(ctx, ani.ID, home1, 3, at(20, 30))
	if err != nil {
		t.Fatalf("ProposeHomePoint(4): %v", err)
	}
	if _, err := db.DecideHomePoint(ctx, p4.ID, true, head.ID, at(20, 31)); err != nil {
		t.Fatalf("DecideHomePoint(4, approve): %v", err)
	}
	if got, err := db.ApprovedHome(ctx, ani.ID); err != nil || got.ID != p4.ID || got.Point != home1 {
		t.Errorf("ApprovedHome: got %+v, %v; want point %d", got, err, p4.ID)
	}

	hist, err := db.HomePoints(ctx, ani.ID)
	if err != nil {
		t.Fatalf("HomePoints: %v", err)
	}
	type line struct {
		ID     int64
		Status apel.HomeStatus
	}
	var got []line
	for _, h := range hist {
		got = append(got, line{h.ID, h.Status})
	}
	want := []line{{p4.ID, apel.HomeApproved}, {p3.ID, apel.HomeRejected}, {p2.ID, apel.HomeSuperseded}, {p1.ID, apel.HomeSuperseded}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HomePoints history, newest first (-want +got):\n%s", diff)
	}
	if h, err := db.HomePoint(ctx, p2.ID); err != nil || h.DecidedBy != head.ID || !h.DecidedAt.Equal(at(19, 10)) {
		t.Errorf("HomePoint(%d) superseded: got %+v, %v; want its approval kept", p2.ID, h, err)
	}
}

func TestProposeHomePointUnknownEmployee(t *testing.T) {
	t.Parallel()
	db := mustOpen(t)
	_, err := db.ProposeHomePoint(context.Background(), 999, apel.Point{Lat: 1, Lon: 1}, 0, at(7, 0))
	if !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("ProposeHomePoint(unknown employee): got %v, want apel.ErrNotFound", err)
	}
}

func TestAwaiting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	until := at(7, 10)
	if err := db.SetAwaiting(ctx, 42, "home_location", until); err != nil {
		t.Fatalf("SetAwaiting: %v", err)
	}
	tests := []struct {
		user int64
		now  time.Time
		want string
	}{
		{42, at(7, 0), "home_location"},
		{42, until, ""}, // expired
		{43, at(7, 0), ""},
	}
	for _, tt := range tests {
		if got, err := db.Awaiting(ctx, tt.user, tt.now); err != nil || got != tt.want {
			t.Errorf("Awaiting(%d, %s): got %q, %v; want %q", tt.user, tt.now.Format(time.TimeOnly), got, err, tt.want)
		}
	}
	if err := db.SetAwaiting(ctx, 42, "other", at(8, 0)); err != nil {
		t.Fatalf("SetAwaiting(replace): %v", err)
	}
	if got, _ := db.Awaiting(ctx, 42, at(7, 30)); got != "other" {
		t.Errorf("Awaiting after replace: got %q, want other", got)
	}
	if err := db.SetAwaiting(ctx, 42, "", time.Time{}); err != nil {
		t.Fatalf("SetAwaiting(clear): %v", err)
	}
	if got, _ := db.Awaiting(ctx, 42, at(7, 30)); got != "" {
		t.Errorf("Awaiting after clear: got %q, want empty", got)
	}
}
