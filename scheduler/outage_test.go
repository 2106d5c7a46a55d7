package scheduler_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// An outage going on at closing time holds the close until contact is back
// and the fetched updates are handled; the session then closes disrupted:
// nobody without a check-in is TK, a late check-in sent during the outage
// counts on time, and corrections are applied.
func TestTickCloseWaitsForOutageAndJudgesNobodyForIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	f.tick(d, "07:15")
	s := f.session(kominfo, d, apel.Pagi)
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	// Citra's location was sent at 07:50, after the outage began at 07:40.
	f.store.AddCheckIn(apel.CheckIn{SessionID: s.ID, EmployeeID: idCitra, Mode: apel.WFO,
		Fix:     apel.Fix{At: f.at(d, "07:50")},
		Verdict: apel.Verdict{Late: true, Place: apel.PlaceOffice, InPlace: true}})
	f.store.mu.Lock()
	f.store.outages = []apel.Outage{{From: f.at(d, "07:40")}}
	f.store.backlog = 1
	f.store.fixes = []apel.Correction{{ID: 1, SessionID: s.ID, EmployeeID: idDedi, Date: d, Kind: apel.Pagi,
		Before: apel.StatusPending, After: apel.StatusExcused, Excuse: apel.Izin, Reason: apel.CorrectOther,
		Note: "rapat", By: idAni, At: f.at(d, "08:00")}}
	f.store.mu.Unlock()

	if calls := f.tick(d, "08:30"); len(calls) != 0 {
		t.Fatalf("Tick at 08:30, outage going on: calls %v, want none (the close waits)", briefs(calls))
	}
	f.store.mu.Lock()
	f.store.outages[0].To = f.at(d, "08:40")
	f.store.mu.Unlock()
	if calls := f.tick(d, "08:41"); len(calls) != 0 {
		t.Fatalf("Tick at 08:41, contact back, updates still to handle: calls %v, want none", briefs(calls))
	}
	f.store.mu.Lock()
	f.store.backlog = 0
	f.store.mu.Unlock()
	calls := only(mSendSummary, f.tick(d, "08:42"))
	got := map[string]summaryView{}
	for _, c := range calls {
		v := viewSummary(c)
		got[v.OPD] = v
		if !c.Summary.Session.Disrupted() || !c.Summary.Session.Disruption.From.Equal(f.at(d, "07:40")) ||
			!c.Summary.Session.Disruption.To.Equal(f.at(d, "08:40")) {
			t.Errorf("%s summary: disruption %+v, want 07:40-08:40", v.OPD, c.Summary.Session.Disruption)
		}
	}
	want := map[string]summaryView{
		kominfo: {Head: "Ani", OPD: kominfo, SessionID: s.ID, Closed: true, Tally: apel.Tally{Held: true, Headcount: 5,
			Present: 2, WFO: 2, Excused: 2, NotJudged: 1, Forgiven: 1, Corrected: 1}, Excused: []string{"Dedi", "Eka"}},
		bappeda: {Head: "Gita", OPD: bappeda, SessionID: f.session(bappeda, d, apel.Pagi).ID, Closed: true,
			Tally: apel.Tally{Held: true, Headcount: 3, NotJudged: 3}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaries after the outage (-want +got):\n%s", diff)
	}
	if st := f.session(kominfo, d, apel.Pagi); !st.Disrupted() || !st.Closed {
		t.Errorf("stored session: closed %v disruption %+v, want closed and disrupted", st.Closed, st.Disruption)
	}
}

// A session an outage overlapped earlier in its window closes on time,
// disrupted; one the outage did not touch closes as usual.
func TestTickCloseMarksPastOutage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	f.tick(d, "07:15")
	f.store.mu.Lock()
	f.store.outages = []apel.Outage{{From: f.at(d, "07:20"), To: f.at(d, "07:35")}}
	f.store.mu.Unlock()
	f.tick(d, "08:30")
	if s := f.session(kominfo, d, apel.Pagi); !s.Closed || !s.Disrupted() {
		t.Errorf("pagi: closed %v disruption %+v, want closed, disrupted 07:20-07:35", s.Closed, s.Disruption)
	}
	f.tick(d, "15:45")
	f.tick(d, "17:00")
	if s := f.session(kominfo, d, apel.Sore); !s.Closed || s.Disrupted() {
		t.Errorf("sore: closed %v disruption %+v, want closed, not disrupted", s.Closed, s.Disruption)
	}
}
