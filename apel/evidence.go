package apel

import "time"

// Evidence is everything kept about one check-in, for the person, their
// OPD head and BKPSDM: the check-in itself (Telegram message time,
// processing time, coordinates, accuracy, distance to the judged point,
// live or static, the mode and the rule that set it), the legal reference
// of that rule, the live trail, the flags and the review.
type Evidence struct {
	CheckIn CheckIn
	// ModeRef is the legal reference (SE) of the override that set the
	// mode, "" when the weekday table or another rule did.
	ModeRef string
	// ChatID and MessageID are the live location message the bot follows;
	// 0 for a static location.
	ChatID, MessageID int64
	LiveUntil         time.Time // when following stops; zero for a static location
	Trail             []TrailPoint
	Flags             []Flag
	Review            *Review // nil until decided
}

// Flagged is a check-in with flags, for the lists and reports.
type Flagged struct {
	CheckIn CheckIn
	Flags   []Flag
	Review  *Review
}

// Trace is what the check-in path keeps beside a check-in when recording
// it: the reference of the rule, and for a live location the message and
// until when it is followed (its first trail point is the check-in's fix).
type Trace struct {
	CheckInID         int64
	ModeRef           string
	ChatID, MessageID int64
	LiveUntil         time.Time // zero for a static location
}
