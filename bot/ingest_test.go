package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// countingStore counts the transactions the check-in path commits.
type countingStore struct {
	Store
	mu      sync.Mutex
	batches []int // check-ins per RecordCheckIns call
}

func (s *countingStore) RecordCheckIns(ctx context.Context, b apel.CheckInBatch, replies func([]apel.Recorded) []apel.Outbound) ([]apel.Recorded, error) {
	s.mu.Lock()
	s.batches = append(s.batches, len(b.CheckIns))
	s.mu.Unlock()
	return s.Store.RecordCheckIns(ctx, b, replies)
}

// TestCheckInBatch: the locations of one batch of updates are judged
// together and recorded in one transaction, each answered as on its own:
// recorded, refused, excused; an unregistered sender and a person whose
// next location is their home point go through the router; a sender's
// earlier update keeps their location behind it.
func TestCheckInBatch(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.register("kepala", "rina", "budi", "maruf", "sari")
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.open("DINKES", apel.Pagi, groupDinkes)
	h.setTime(monday, 7, 24)
	ctx := t.Context()
	if err := h.db.RecordExcuse(ctx, apel.Excuse{EmployeeID: h.emp("sari").ID, Date: monday, Kind: apel.Sakit, By: h.emp("sari").ID}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.db.SetAwaiting(ctx, userID("maruf"), awaitingHome, h.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	counting := &countingStore{}
	h.start(func(c *Config) { counting.Store = c.Store; c.Store = counting })

	now := h.clock.Now()
	office := h.office("DISKOMINFO")
	release := h.srv.Hold()
	h.srv.SendLocation(user("kepala"), now, office.Lat, office.Lon, 5)
	h.srv.SendLocation(user("rina"), now, office.Lat, office.Lon, 5)
	h.srv.SendForwardedLocation(user("budi"), now, office.Lat, office.Lon)
	h.srv.SendLocation(user("maruf"), now, office.Lat, office.Lon, 5) // a home point
	h.srv.SendLocation(user("sari"), now, office.Lat, office.Lon, 5)  // excused
	h.srv.SendLocation(stranger(), now, office.Lat, office.Lon, 5)    // not registered
	h.srv.SendText(user("rina"), userID("rina"), now, "/status")
	last := h.srv.SendLocation(user("rina"), now, office.Lat, office.Lon, 5) // again, after /status
	release()
	calls := h.handled(last)

	p := h.id()
	for name, want := range map[string]string{
		"budi": p.T("reason.forwarded_location"),
		"sari": p.T("reason.excused"),
	} {
		if got := sent(calls, userID(name)); len(got) != 1 || !strings.Contains(got[0], want) {
			t.Errorf("%s: got %q, want one reply with %q", name, got, want)
		}
	}
	// The head also gets maruf's home point to approve.
	if got := sent(calls, userID("kepala")); len(got) != 2 || indexOf(got, "Kehadiran tercatat") < 0 {
		t.Errorf("kepala: got %q, want a check-in (and the home point to approve)", got)
	}
	// The check-in replies go through the outbox, the status straight out:
	// the status may come first, and says she is checked in.
	rina := sent(calls, userID("rina"))
	confirmed, again := indexOf(rina, "Kehadiran tercatat"), indexOf(rina, "Anda sudah tercatat hadir pukul 07.24 WIT")
	if len(rina) != 3 || confirmed < 0 || again < confirmed || indexOf(rina, "hadir pukul 07.24") < 0 {
		t.Errorf("rina (location, /status, location): got %q, want the confirmation before already checked in, and the status", rina)
	}
	if got := sent(calls, userID("maruf")); len(got) != 1 || strings.Contains(got[0], "Kehadiran tercatat") {
		t.Errorf("maruf, awaited for a home point: got %q, want one reply that is not a check-in", got)
	}
	if got := sent(calls, stranger().ID); len(got) != 1 {
		t.Errorf("stranger: got %q, want one reply (register first)", got)
	}
	counting.mu.Lock()
	defer counting.mu.Unlock()
	if len(counting.batches) != 2 || counting.batches[0] != 2 {
		t.Errorf("RecordCheckIns calls (check-ins each): %v, want one batch of 2 (kepala, rina) and rina's second location on its own", counting.batches)
	}
	if p := pending(t, h); len(p) != 0 {
		t.Errorf("pending after the batch: %d updates, want 0", len(p))
	}
}

// TestCheckInPlanFollowsRecords: the check-in path keeps each OPD's plan
// only while the OPD's records stay the same: an excuse recorded after a
// check-in of the OPD applies to the next one.
func TestCheckInPlanFollowsRecords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina", "budi")
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.setTime(monday, 7, 24)
	office := h.office("DISKOMINFO")
	if got := reply(t, h.location(user("rina"), office, 5), userID("rina")); !strings.Contains(got, "Kehadiran tercatat") {
		t.Fatalf("rina: got %q, want a check-in", got)
	}
	if err := h.db.RecordExcuse(t.Context(), apel.Excuse{EmployeeID: h.emp("budi").ID, Date: monday, Kind: apel.Izin, By: h.emp("budi").ID}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := reply(t, h.location(user("budi"), office, 5), userID("budi")); got != h.id().T("reason.excused") {
		t.Errorf("budi, excused after the OPD's plan was kept: got %q, want excused", got)
	}
}

// indexOf returns the index of the first text containing sub, or -1.
func indexOf(texts []string, sub string) int {
	for i, t := range texts {
		if strings.Contains(t, sub) {
			return i
		}
	}
	return -1
}
