package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

func TestRecordCorrectionAppendsAndReadsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	head, ani := emps["198503122010011002"], emps["199001012015032001"]
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore)

	first := apel.Correction{SessionID: pagi.ID, EmployeeID: ani.ID, Before: apel.StatusAbsent,
		After: apel.StatusOnTime, Mode: apel.WFH, Reason: apel.CorrectGPSError, Note: "sinyal hilang",
		By: head.ID, ByTelegram: 5001, At: at(9, 0)}
	id1, err := db.RecordCorrection(ctx, first)
	if err != nil || id1 == 0 {
		t.Fatalf("RecordCorrection(%+v): id %d, %v; want an id", first, id1, err)
	}
	// A second correction of the same line, then both sessions at once:
	// nothing is replaced.
	second := first
	second.Before, second.After, second.Excuse, second.Reason, second.At = apel.StatusOnTime, apel.StatusExcused, apel.Sakit, apel.CorrectOther, at(9, 5)
	second.Note = "ternyata sakit"
	both := []apel.Correction{second, second}
	both[1].SessionID = sore.ID
	ids, err := db.RecordCorrections(ctx, both)
	if err != nil || len(ids) != 2 {
		t.Fatalf("RecordCorrections(both sessions): %v, %v; want two ids", ids, err)
	}
	got, err := db.Corrections(ctx, day1())
	if err != nil {
		t.Fatalf("Corrections(%s): %v", day1(), err)
	}
	want := []apel.Correction{first, second, both[1]}
	for i, id := range []int64{id1, ids[0], ids[1]} {
		want[i].ID = id
		want[i].Date = day1()
		want[i].At = want[i].At.UTC()
	}
	want[0].Kind, want[1].Kind, want[2].Kind = apel.Pagi, apel.Pagi, apel.Sore
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Corrections(%s) (-want +got):\n%s", day1(), diff)
	}
	between, err := db.CorrectionsBetween(ctx, day1().AddDays(-3), day1().AddDays(3))
	if err != nil || len(between) != 3 {
		t.Errorf("CorrectionsBetween: %d corrections, %v; want 3", len(between), err)
	}
	if none, err := db.Corrections(ctx, day1().AddDays(1)); err != nil || len(none) != 0 {
		t.Errorf("Corrections(next day) = %v, %v; want none", none, err)
	}
}

func TestRecordCorrectionRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	head, ani := emps["198503122010011002"], emps["199001012015032001"]
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	ok := apel.Correction{SessionID: pagi.ID, EmployeeID: ani.ID, Before: apel.StatusAbsent,
		After: apel.StatusOnTime, Reason: apel.CorrectForgot, By: head.ID, At: at(9, 0)}
	tests := []struct {
		name   string
		change func(*apel.Correction)
		is     error
	}{
		{"unknown session", func(c *apel.Correction) { c.SessionID = 999 }, apel.ErrNotFound},
		{"unknown employee", func(c *apel.Correction) { c.EmployeeID = 999 }, apel.ErrNotFound},
		{"unknown corrector", func(c *apel.Correction) { c.By = 999 }, apel.ErrNotFound},
		{"pending is not a correction", func(c *apel.Correction) { c.After = apel.StatusPending }, nil},
		{"excused without a kind", func(c *apel.Correction) { c.After = apel.StatusExcused }, nil},
		{"unknown reason", func(c *apel.Correction) { c.Reason = "bosan" }, nil},
	}
	for _, tt := range tests {
		c := ok
		tt.change(&c)
		_, err := db.RecordCorrection(ctx, c)
		if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("RecordCorrection(%s): got %v, want an error (is %v)", tt.name, err, tt.is)
		}
	}
	if got, _ := db.Corrections(ctx, day1()); len(got) != 0 {
		t.Errorf("after refusals, Corrections = %+v, want none", got)
	}
}

func TestCorrectionsAreAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	id, err := db.RecordCorrection(ctx, apel.Correction{SessionID: pagi.ID, EmployeeID: emps["199001012015032001"].ID,
		Before: apel.StatusAbsent, After: apel.StatusOnTime, Reason: apel.CorrectForgot,
		By: emps["198503122010011002"].ID, At: at(9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE corrections SET after_status = 'absent' WHERE id = ?`, `DELETE FROM corrections WHERE id = ?`} {
		if _, err := db.ExecForTest(ctx, q, id); err == nil {
			t.Errorf("%s: got no error, want the append-only trigger to refuse", q)
		}
	}
}

func TestContactAndOutages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	if last, err := db.LastContact(ctx); err != nil || !last.IsZero() {
		t.Fatalf("LastContact(fresh) = %v, %v; want zero", last, err)
	}
	if err := db.RecordContact(ctx, at(7, 0), apel.Outage{}); err != nil {
		t.Fatal(err)
	}
	out := apel.Outage{From: at(7, 0), To: at(7, 50)}
	for range 2 { // a second report of the same outage keeps one
		if err := db.RecordContact(ctx, at(7, 50), out); err != nil {
			t.Fatal(err)
		}
	}
	// An older contact does not move the last contact back.
	if err := db.RecordContact(ctx, at(7, 40), apel.Outage{}); err != nil {
		t.Fatal(err)
	}
	if last, err := db.LastContact(ctx); err != nil || !last.Equal(at(7, 50)) {
		t.Errorf("LastContact = %v, %v; want %v", last, err, at(7, 50))
	}
	got, err := db.Outages(ctx, at(7, 15), at(8, 30))
	if err != nil || len(got) != 1 || !got[0].From.Equal(out.From) || !got[0].To.Equal(out.To) {
		t.Errorf("Outages(pagi window) = %+v, %v; want [%v - %v]", got, err, out.From, out.To)
	}
	if got, _ := db.Outages(ctx, at(15, 45), at(17, 0)); len(got) != 0 {
		t.Errorf("Outages(sore window) = %+v, want none", got)
	}
	// An outage going on since 16:05: ongoing until a contact ends it.
	for range 2 {
		if err := db.RecordOutageStart(ctx, at(16, 5)); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := db.Outages(ctx, at(15, 45), at(17, 0)); len(got) != 1 || !got[0].Ongoing() || !got[0].From.Equal(at(16, 5)) {
		t.Errorf("Outages(sore window, ongoing) = %+v, want one ongoing since 16:05", got)
	}
	if err := db.RecordContact(ctx, at(16, 40), apel.Outage{From: at(16, 5), To: at(16, 40)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Outages(ctx, at(15, 45), at(17, 0)); len(got) != 1 || !got[0].To.Equal(at(16, 40)) {
		t.Errorf("Outages(sore window, ended) = %+v, want one ending 16:40", got)
	}

	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	d := apel.Disruption{From: out.From, To: out.To}
	if err := db.MarkDisrupted(ctx, pagi.ID, d); err != nil {
		t.Fatal(err)
	}
	s, err := db.Session(ctx, pagi.ID)
	if err != nil || !s.Disruption.From.Equal(d.From) || !s.Disruption.To.Equal(d.To) {
		t.Errorf("Session after MarkDisrupted: %+v, %v; want disruption %v", s.Disruption, err, d)
	}
	// Ongoing at close: To stays zero.
	sore := mustOpenSession(t, db, "DISKOMINFO", apel.Sore)
	if err := db.MarkDisrupted(ctx, sore.ID, apel.Disruption{From: at(16, 10)}); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Session(ctx, sore.ID); !s.Disrupted() || !s.Disruption.To.IsZero() {
		t.Errorf("ongoing disruption read back as %+v, want From only", s.Disruption)
	}
}

func TestDayAndMonthCarryCorrections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	emps := mustSeed(t, db)
	pagi := mustOpenSession(t, db, "DISKOMINFO", apel.Pagi)
	if _, err := db.RecordCorrection(ctx, apel.Correction{SessionID: pagi.ID, EmployeeID: emps["199001012015032001"].ID,
		Before: apel.StatusAbsent, After: apel.StatusOnTime, Reason: apel.CorrectOutage,
		By: emps["197912252005011004"].ID, At: at(9, 0)}); err != nil {
		t.Fatal(err)
	}
	day, err := db.Day(ctx, day1(), testOPDs())
	if err != nil || len(day.Corrections) != 1 {
		t.Fatalf("Day: %d corrections, %v; want 1", len(day.Corrections), err)
	}
	days, err := db.Month(ctx, day1().AddDays(-1), day1().AddDays(1), testOPDs())
	if err != nil || len(days) != 1 || len(days[0].Corrections) != 1 {
		t.Fatalf("Month: %+v, %v; want the date with its correction", days, err)
	}
	r := apel.CompileDailyReport("Kota", day)
	if r.OPDs[0].Pagi.Corrected != 1 || r.People[emps["197912252005011004"].ID].Name != "Dewi Anggraini" {
		t.Errorf("report: pagi %+v, people %v; want the correction counted and the corrector named", r.OPDs[0].Pagi, r.People)
	}
}
