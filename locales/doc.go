// Package locales holds apelbot's user-facing text: one JSON message catalogue
// per language, embedded in the binary, and the formatting of dates, times and
// numbers that goes with it.
//
// Indonesian ("id") is the reference language; every other catalogue (today
// "en") must carry exactly the reference's keys, and each message must use the
// same fmt directives in the same order, so a call site passes the same
// arguments whatever the user's language. [Load] checks all of this and fails
// on the first startup with a bad catalogue, naming the file and the key.
//
// Catalogues are flat JSON objects of dotted keys grouped by feature
// ("checkin.accepted", "reason.outside_geofence") mapping to fmt format
// strings; a literal percent sign is written "%%". Keep the files sorted by key
// with a two-space indent (the tests check it; "go test ./locales -update"
// rewrites them) so that concurrent additions merge cleanly.
//
// A [Catalog] is immutable once loaded and safe for concurrent use. The
// package keeps no package-level state besides the embedded files: the
// catalogue is loaded once in cmd/apelbot and passed to the bot.
//
// Formatting never consults time.Local: [Printer.Date] and [Printer.Time]
// render a time.Time in the location it carries, normally the office's zone
// (WIB, WITA or WIT).
package locales
