package apel

import (
	"fmt"
	"time"
)

// Date is a civil date in the pemda's time zone, the unit of an attendance
// day. It carries no zone: pair it with a *time.Location to get instants.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t, time.UTC), nil
}

// String formats the date as "YYYY-MM-DD", the form the store keeps.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// At returns the instant of the wall-clock time c on d in loc.
func (d Date) At(c Clock, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, loc)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// Clock is a wall-clock time of day, minute precision ("07:30").
type Clock struct {
	Hour, Minute int
}

// ParseClock parses "HH:MM" or "HH.MM" (the Indonesian way), 00:00 to 23:59.
func ParseClock(s string) (Clock, error) {
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	if len(s) != 5 || (s[2] != ':' && s[2] != '.') || !digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4]) {
		return Clock{}, fmt.Errorf("invalid time %q: want HH:MM", s)
	}
	c := Clock{Hour: int(s[0]-'0')*10 + int(s[1]-'0'), Minute: int(s[3]-'0')*10 + int(s[4]-'0')}
	if err := c.Validate(); err != nil {
		return Clock{}, err
	}
	return c, nil
}

// Validate reports whether c is a time of day.
func (c Clock) Validate() error {
	if c.Hour < 0 || c.Hour > 23 || c.Minute < 0 || c.Minute > 59 {
		return fmt.Errorf("invalid time %02d:%02d: want 00:00 to 23:59", c.Hour, c.Minute)
	}
	return nil
}

// String formats c as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }
