package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestRequestLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani, budi := emps["199001012015032001"], emps["198503122010011002"] // staff and head of DISKOMINFO
	wfa := apel.Request{EmployeeID: ani.ID, Kind: apel.RequestWFA, From: day1(), To: day1().AddDays(1),
		Reason: "keluarga", Plan: "menyusun laporan", Place: "Singapura", Abroad: true}
	r, err := db.CreateRequest(ctx, wfa, at(8, 0))
	if err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	want := wfa
	want.ID, want.Status, want.RequestedAt = r.ID, apel.RequestPending, at(8, 0).UTC()
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("CreateRequest mismatch (-want +got):\n%s", diff)
	}
	// Another request of Ani's that shares a date is refused.
	overlap := wfa
	overlap.From, overlap.To, overlap.Kind, overlap.Abroad = day1().AddDays(1), day1().AddDays(2), apel.RequestWFH, false
	if _, err := db.CreateRequest(ctx, overlap, at(8, 1)); !isReason(err, apel.ReasonRequestOverlap) {
		t.Errorf("CreateRequest overlapping = %v, want request_overlap", err)
	}

	// The head forwards it to the PPK; a second forward finds it decided.
	fwd := apel.Decision{RequestID: r.ID, From: apel.RequestPending, To: apel.RequestPendingPPK, By: budi.ID, At: at(9, 0)}
	if r, err = db.DecideRequest(ctx, fwd, nil); err != nil || r.Status != apel.RequestPendingPPK {
		t.Fatalf("DecideRequest(forward) = %+v, %v; want pending_ppk", r, err)
	}
	if _, err := db.DecideRequest(ctx, fwd, nil); !isReason(err, apel.ReasonAlreadyDecided) {
		t.Errorf("DecideRequest(forward again) = %v, want already_decided", err)
	}
	// A check that says no keeps it where it is.
	errFull := &apel.Refusal{Reason: apel.ReasonQuotaFull}
	approve := apel.Decision{RequestID: r.ID, From: apel.RequestPendingPPK, To: apel.RequestApproved, By: 99, At: at(10, 0)}
	if _, err := db.DecideRequest(ctx, approve, func(apel.Request, apel.Facts) error { return errFull }); !errors.Is(err, errFull) {
		t.Errorf("DecideRequest with a refusing check = %v, want the check's error", err)
	}
	var seen apel.Facts
	if r, err = db.DecideRequest(ctx, approve, func(got apel.Request, f apel.Facts) error { seen = f; return nil }); err != nil || r.Status != apel.RequestApproved || r.DecidedBy != 99 {
		t.Fatalf("DecideRequest(approve) = %+v, %v; want approved by 99", r, err)
	}
	if len(seen.Staff) != 2 {
		t.Errorf("the check saw %d staff, want DISKOMINFO's 2", len(seen.Staff))
	}
	events, err := db.RequestEvents(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantEvents := []apel.RequestEvent{
		{RequestID: r.ID, At: at(8, 0).UTC(), By: ani.ID, Action: apel.ActionRequested},
		{RequestID: r.ID, At: at(9, 0).UTC(), By: budi.ID, Action: apel.ActionForwarded},
		{RequestID: r.ID, At: at(10, 0).UTC(), By: 99, Action: apel.ActionApproved},
	}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("RequestEvents mismatch (-want +got):\n%s", diff)
	}
	// The approved request is a fact of the dates it covers, not of others.
	f, err := db.Facts(ctx, "DISKOMINFO", day1().AddDays(1), day1().AddDays(1))
	if err != nil || len(f.Requests) != 1 || f.Requests[0].ID != r.ID {
		t.Errorf("Facts(day 2) requests = %+v, %v; want the approved request", f.Requests, err)
	}
	if f, _ := db.Facts(ctx, "DISKOMINFO", day1().AddDays(2), day1().AddDays(3)); len(f.Requests) != 0 {
		t.Errorf("Facts(days 3-4) requests = %+v, want none", f.Requests)
	}
	if f, _ := db.Facts(ctx, "DINKES", day1(), day1()); len(f.Requests) != 0 || len(f.Staff) != 2 {
		t.Errorf("Facts(DINKES) = %+v, want its 2 staff and no requests", f)
	}
	if rs, err := db.RequestsOf(ctx, ani.ID, day1()); err != nil || len(rs) != 1 || rs[0].ID != r.ID {
		t.Errorf("RequestsOf(Ani, day 1) = %+v, %v; want the approved request", rs, err)
	}
	if rs, _ := db.RequestsOf(ctx, ani.ID, day1().AddDays(2)); len(rs) != 0 {
		t.Errorf("RequestsOf(Ani, after it ended) = %+v, want none", rs)
	}
	if _, err := db.Request(ctx, 12345); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("Request(12345) = %v, want ErrNotFound", err)
	}
}

func TestApprovedLeaveBecomesExcuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	cahyo, dewi := emps["198807172012121003"], emps["197912252005011004"]
	leave := apel.Request{EmployeeID: cahyo.ID, Kind: apel.RequestCuti, From: day1(), To: day1().AddDays(2), Reason: "menikah"}
	r, err := db.CreateRequest(ctx, leave, at(8, 0))
	if err != nil {
		t.Fatal(err)
	}
	// Rejected leave excuses nobody.
	other, err := db.CreateRequest(ctx, apel.Request{EmployeeID: dewi.ID, Kind: apel.RequestIzin, From: day1(), To: day1(), Reason: "x"}, at(8, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DecideRequest(ctx, apel.Decision{RequestID: other.ID, From: apel.RequestPending, To: apel.RequestRejected, By: cahyo.ID, At: at(8, 30)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DecideRequest(ctx, apel.Decision{RequestID: r.ID, From: apel.RequestPending, To: apel.RequestApproved, By: dewi.ID, At: at(9, 0)}, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		xs, err := db.Excuses(ctx, day1().AddDays(i))
		want := []apel.Excuse{{EmployeeID: cahyo.ID, Date: day1().AddDays(i), Kind: apel.Cuti, By: dewi.ID}}
		if err != nil || !cmp.Equal(xs, want) {
			t.Errorf("Excuses(day %d) = %+v, %v; want %+v", i+1, xs, err, want)
		}
	}
	f, err := db.Facts(ctx, "", day1(), day1().AddDays(6))
	if err != nil || len(f.Excuses) != 3 || len(f.Staff) != 4 {
		t.Errorf("Facts(all, week) = %d excuses, %d staff, %v; want 3 and 4", len(f.Excuses), len(f.Staff), err)
	}
}

func TestShifts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	ani := emps["199001012015032001"]
	s := apel.Shift{OPD: "DISKOMINFO", Date: day1(), EmployeeID: ani.ID, Mode: apel.WFH, By: 1, At: at(6, 0).UTC()}
	no := &apel.Refusal{Reason: apel.ReasonQuotaFull}
	if err := db.SetShift(ctx, s, func(apel.Facts) error { return no }); !errors.Is(err, no) {
		t.Errorf("SetShift with a refusing check = %v, want its error", err)
	}
	if err := db.SetShift(ctx, s, func(f apel.Facts) error {
		if len(f.Shifts) != 0 {
			t.Errorf("check saw %+v before the shift was set", f.Shifts)
		}
		return nil
	}); err != nil {
		t.Fatalf("SetShift: %v", err)
	}
	s.Mode = apel.WFO
	if err := db.SetShift(ctx, s, nil); err != nil {
		t.Fatalf("SetShift again: %v", err)
	}
	f, err := db.Facts(ctx, "DISKOMINFO", day1(), day1())
	if err != nil || !cmp.Equal(f.Shifts, []apel.Shift{s}) {
		t.Errorf("Facts shifts = %+v, %v; want %+v", f.Shifts, err, []apel.Shift{s})
	}
	if err := db.ClearShift(ctx, ani.ID, day1()); err != nil {
		t.Fatal(err)
	}
	if f, _ := db.Facts(ctx, "DISKOMINFO", day1(), day1()); len(f.Shifts) != 0 {
		t.Errorf("Facts shifts after ClearShift = %+v, want none", f.Shifts)
	}
	bad := s
	bad.EmployeeID = 4242
	if err := db.SetShift(ctx, bad, nil); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("SetShift for an unknown employee = %v, want ErrNotFound", err)
	}
}

func TestImportRosterKeepsEligibilityFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	if err := db.SyncOPDs(ctx, testOPDs()); err != nil {
		t.Fatal(err)
	}
	roster := testRoster()
	roster[1].NewHire, roster[2].Disciplinary = true, true
	if _, err := db.ImportRoster(ctx, roster, at(6, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := db.EmployeeByNIP(ctx, roster[1].NIP)
	if err != nil || !got.NewHire || got.Disciplinary {
		t.Errorf("EmployeeByNIP(new hire) = %+v, %v; want NewHire only", got, err)
	}
	// Clearing the flag in the next roster is a change.
	roster[1].NewHire = false
	ch, err := db.ImportRoster(ctx, roster, at(7, 0).Add(time.Hour))
	if err != nil || len(ch.Changed) != 1 || ch.Changed[0].NIP != roster[1].NIP {
		t.Fatalf("ImportRoster clearing a flag = %+v, %v; want one change", ch, err)
	}
	if got, _ := db.EmployeeByNIP(ctx, roster[1].NIP); got.NewHire {
		t.Errorf("NewHire still set after the roster cleared it")
	}
	if got, _ := db.EmployeeByNIP(ctx, roster[2].NIP); !got.Disciplinary {
		t.Errorf("Disciplinary lost")
	}
}
