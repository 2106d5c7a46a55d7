package apel

// Inbound is an update from the chat platform as it arrived (for Telegram,
// the raw JSON of one update), kept in the durable inbox: saved before the
// platform is told it arrived, handled, then marked done. The domain never
// looks inside Raw; the type lives here so that the adapter that receives
// updates and the store that keeps them share it without importing each
// other.
type Inbound struct {
	ID  int64  // the platform's update id, increasing
	Raw []byte // the update as received
}
