package apel_test

import (
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// ternatePagi is the apel pagi of DISKOMINFO Ternate on Tuesday 13 Jan 2026:
// apel 07:30 WIT (22:30 UTC the day before), open from 07:00, late after
// 07:45, closed after 08:30.
func ternatePagi(t *testing.T) apel.Session {
	t.Helper()
	p := ternatePolicy(t, wit)
	slot, ok := p.Slot(apel.Date{Year: 2026, Month: time.January, Day: 13}, apel.Pagi)
	if !ok {
		t.Fatalf("Slot(2026-01-13, pagi) = none, want the Tuesday pagi")
	}
	return apel.Session{ID: 41, OPD: "DISKOMINFO", Slot: slot, ChatID: -100123}
}

func TestSessionAccepts(t *testing.T) {
	t.Parallel()
	s := ternatePagi(t)
	witLoc := zone(t, wit)
	tests := []struct {
		name string
		at   time.Time
		want apel.Reason // "" when accepted
	}{
		{"one second before the window opens is refused", s.Opens.Add(-time.Second), apel.ReasonSessionNotOpen},
		{"the day before is refused as not open", s.Opens.Add(-24 * time.Hour), apel.ReasonSessionNotOpen},
		{"exactly when the window opens is accepted", s.Opens, ""},
		{"at apel time is accepted", s.Apel, ""},
		{"on the grace edge is accepted", s.LateFrom, ""},
		{"exactly when the window closes is accepted", s.Closes, ""},
		{"one second after the window closes is refused", s.Closes.Add(time.Second), apel.ReasonSessionClosed},
		{"one nanosecond after the window closes is refused", s.Closes.Add(time.Nanosecond), apel.ReasonSessionClosed},
		{"the apel sore time is refused as closed", s.Apel.Add(8*time.Hour + 30*time.Minute), apel.ReasonSessionClosed},
		{"the instant's zone does not matter (07:00 WIT)", time.Date(2026, time.January, 13, 7, 0, 0, 0, witLoc), ""},
		{"06:59:59 WIT is refused", time.Date(2026, time.January, 13, 6, 59, 59, 0, witLoc), apel.ReasonSessionNotOpen},
	}
	for _, tt := range tests {
		err := s.Accepts(apel.Fix{Point: ternateA(), At: tt.at})
		got, _ := apel.ReasonOf(err)
		if got != tt.want || (err == nil) != (tt.want == "") {
			t.Errorf("%s: Accepts(fix at %v) = %v, want reason %q (window %v to %v)", tt.name, tt.at.UTC(), err, tt.want, s.Opens.UTC(), s.Closes.UTC())
		}
	}
}
