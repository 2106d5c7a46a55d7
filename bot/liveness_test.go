package bot

import (
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// A bot started long after its last contact with Telegram records the time
// it was down as an outage, before it takes any update; one started soon
// after records none.
func TestStartAfterDowntimeRecordsOutage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		down    time.Duration
		outages int
	}{
		{"down for an hour", time.Hour, 1},
		{"restarted within the threshold", 2 * time.Minute, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := setup(t)
			last := h.setTime(monday, 7, 0)
			if err := h.db.RecordContact(t.Context(), last, apel.Outage{}); err != nil {
				t.Fatal(err)
			}
			h.clock.Set(last.Add(tc.down))
			h.start(nil)
			// The outage is recorded at the start, going on, and ended by
			// the first getUpdates answered.
			var os []apel.Outage
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				var err error
				if os, err = h.db.Outages(t.Context(), last, last.Add(tc.down)); err != nil {
					t.Fatal(err)
				}
				if len(os) != 1 || !os[0].Ongoing() || time.Now().After(deadline) {
					break
				}
			}
			if len(os) != tc.outages {
				t.Fatalf("outages after a start %v after the last contact: %+v; want %d", tc.down, os, tc.outages)
			}
			if tc.outages == 1 && (!os[0].From.Equal(last) || !os[0].To.Equal(last.Add(tc.down))) {
				t.Errorf("outage %v-%v, want %v-%v", os[0].From, os[0].To, last, last.Add(tc.down))
			}
		})
	}
}

// A location sent inside the window but handled after the session was
// closed (the bot was catching up) is judged on its Telegram time: on time
// stays on time, late is late by its send time, not by when it was handled.
func TestLateDeliveryJudgedOnMessageTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setTime(monday, 7, 0)
	h.register("rina", "budi")
	s := h.open("DISKOMINFO", apel.Pagi, 0)
	h.setTime(monday, 11, 0) // long after closing
	if _, err := h.db.CloseSession(t.Context(), s.ID, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	office := h.office("DISKOMINFO")
	onTime := s.LateFrom.Add(-time.Minute)
	late := s.LateFrom.Add(3*time.Minute + 30*time.Second)
	h.handled(h.srv.SendLocation(user("rina"), onTime, office.Lat, office.Lon, 10))
	h.handled(h.srv.SendLocation(user("budi"), late, office.Lat, office.Lon, 10))
	for _, tc := range []struct {
		name   string
		late   bool
		lateBy time.Duration
		at     time.Time
	}{{"rina", false, 0, onTime}, {"budi", true, 3 * time.Minute, late}} {
		ci, err := h.db.CheckIn(t.Context(), s.ID, h.emp(tc.name).ID)
		if err != nil {
			t.Fatalf("%s: check-in handled at 11.00 not recorded: %v", tc.name, err)
		}
		if ci.Late != tc.late || ci.LateBy != tc.lateBy || !ci.Fix.At.Equal(tc.at) || !ci.RecordedAt.Equal(h.clock.Now()) {
			t.Errorf("%s: late %v by %v, sent %v, recorded %v; want late %v by %v, sent %v, recorded %v",
				tc.name, ci.Late, ci.LateBy, ci.Fix.At, ci.RecordedAt, tc.late, tc.lateBy, tc.at, h.clock.Now())
		}
	}
}
