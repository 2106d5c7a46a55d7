package apel

// Session is one apel (pagi or sore) of one OPD on one date. Its times are
// copied from the policy when it opens, so a later policy change does not
// move a session that is already running.
type Session struct {
	ID  int64
	OPD string // OPD code
	Slot
	ChatID    int64 // the group the prompt was queued for, 0 when none was
	MessageID int   // the prompt message, 0 until it has been posted
	Closed    bool
	Reminded  bool // the reminders of the session have been queued
	Shown     int  // the check-in count last shown on the group prompt
	// Disruption is the outage that overlapped the session's window, set
	// when it closes; nobody is judged late or absent for it (see Roll).
	Disruption Disruption
}

// Disrupted reports whether an outage overlapped the session's window.
func (s Session) Disrupted() bool { return !s.Disruption.IsZero() }

// Accepts reports whether a fix at t falls in s's window, and the refusal
// reason when it does not.
func (s Session) Accepts(f Fix) error {
	switch {
	case f.At.Before(s.Opens):
		return Refuse(ReasonSessionNotOpen)
	case f.At.After(s.Closes):
		return Refuse(ReasonSessionClosed)
	}
	return nil
}
