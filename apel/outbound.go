package apel

import "time"

// Outbound is a message the chat adapter has promised to deliver, kept in the
// durable outbox: saved before it is sent, marked sent after, so that a
// restart resends what was left, and keyed so that queuing the same message
// twice delivers it once. Like Inbound it lives here only so that the adapter
// and the store share it without importing each other; the domain never
// looks inside.
type Outbound struct {
	ID       int64
	Key      string // idempotency key, e.g. "prompt:12" or "remind:12:7"
	Priority int    // lower goes first
	ChatID   int64
	EditID   int    // the message to edit; 0 sends a new message
	Text     string // as the adapter renders it (Telegram: HTML)
	Markup   []byte // the adapter's reply markup (Telegram: JSON); nil for none
	// SessionID names the session whose group prompt this is, 0 for other
	// messages: once sent, the store records the message id on the session.
	SessionID int64
	// AtMostOnce means the message is never sent again when a crash leaves
	// it in doubt (a send was under way and its outcome is unknown): a
	// prompt posted twice confuses a group more than one not posted.
	AtMostOnce bool
	Expires    time.Time // not sent after this; zero: never expires
	Attempts   int       // delivery rounds that failed so far
	PartsSent  int       // parts of a long text already delivered
}
