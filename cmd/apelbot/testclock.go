package main

import (
	"os"
	"strings"
	"sync"
	"time"
)

// envTestClock names a file holding the time `apelbot serve` runs at
// (RFC 3339), for end-to-end tests of the real binary that drive a whole
// day on a simulated clock, several processes on one clock. Never set it
// in production: the scheduler then ticks every testTick of real time
// instead of on its schedule, at whatever time the file says.
const envTestClock = "APELBOT_TEST_CLOCK_FILE"

// testTick is how often the scheduler ticks under a test clock.
const testTick = 50 * time.Millisecond

// fileClock reads the time from a file at every call, keeping the last
// good reading when the file cannot be read or parsed (a test replaces it
// by renaming, so that a reader never sees half a write).
type fileClock struct {
	path string
	mu   sync.Mutex
	last time.Time
}

// Now returns the time in the file.
func (c *fileClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := os.ReadFile(c.path)
	if err == nil {
		if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b))); err == nil {
			c.last = t
		}
	}
	if c.last.IsZero() {
		return time.Now()
	}
	return c.last
}

// serveOptions are the options of `apelbot serve`: the zero value, or a
// test clock when envTestClock is set.
func serveOptions(getenv func(string) string) options {
	path := getenv(envTestClock)
	if path == "" {
		return options{}
	}
	return options{Now: (&fileClock{path: path}).Now, TickEvery: testTick}
}
