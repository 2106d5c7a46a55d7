package locales

import (
	"strconv"
	"strings"
	"time"
)

// Printer formats messages, dates and numbers in one language. Obtain it from
// [Catalog.Printer]; it is a small value, cheap to copy and safe for
// concurrent use. The zero Printer has no catalogue and returns keys as is.
//
// Times are rendered in the location they carry; a Printer never reads
// time.Local, so callers convert to the office's zone with t.In first.
type Printer struct {
	c    *Catalog
	lang string
}

// Printer returns a Printer for lang, resolved as in [Catalog.T]: a Telegram
// language_code such as "en-US" gives an "en" Printer, an unknown or empty one
// an "id" Printer.
func (c *Catalog) Printer(lang string) Printer {
	return Printer{c: c, lang: c.resolve(lang)}
}

// Lang returns the language the Printer formats in, after resolution ("en"
// for a Printer requested as "en-US").
func (p Printer) Lang() string {
	return p.lang
}

// T returns the message key formatted with args, as [Catalog.T] does for the
// Printer's language.
func (p Printer) T(key string, args ...any) string {
	if p.c == nil {
		return key
	}
	return p.c.t(p.lang, key, args...)
}

// Date returns the civil date of t in t's location, with the weekday and
// month names of the catalogue: "Selasa, 13 Januari 2026" in Indonesian,
// "Tuesday, 13 January 2026" in English.
func (p Printer) Date(t time.Time) string {
	return p.T(weekdayKey(t.Weekday())) + ", " + strconv.Itoa(t.Day()) + " " +
		p.T(monthKey(t.Month())) + " " + strconv.Itoa(t.Year())
}

// Time returns the wall-clock time of t followed by its zone abbreviation:
// "07.30 WIT" in Indonesian, "07:30 WIT" in English. The abbreviation is
// t.Format("MST"), which the tz database gives as WIB, WITA and WIT for
// Asia/Jakarta, Asia/Makassar and Asia/Jayapura.
func (p Printer) Time(t time.Time) string {
	return p.Clock(t) + " " + t.Format("MST")
}

// Clock returns the 24-hour wall-clock time of t in t's location without the
// zone: "07.30" in Indonesian, "07:30" in English (separator format.time_sep).
func (p Printer) Clock(t time.Time) string {
	return twoDigits(t.Hour()) + p.T("format.time_sep") + twoDigits(t.Minute())
}

// DateTime joins [Printer.Date] and [Printer.Time] through the message
// format.datetime: "Selasa, 13 Januari 2026 pukul 07.30 WIT".
func (p Printer) DateTime(t time.Time) string {
	return p.T("format.datetime", p.Date(t), p.Time(t))
}

// Percent returns f, a value in percentage points (97.5 for 97.5%), rounded
// to one decimal with the catalogue's decimal separator (format.decimal_sep):
// "97,5%" in Indonesian, "97.5%" in English.
func (p Printer) Percent(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if s == "-0.0" { // a tiny negative rounding error is not worth a sign
		s = "0.0"
	}
	return strings.Replace(s, ".", p.T("format.decimal_sep"), 1) + "%"
}

// Number returns n with its digits grouped by thousands using the
// catalogue's separator (format.thousands_sep): "1.234.567" in Indonesian,
// "1,234,567" in English.
func (p Printer) Number(n int) string {
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= 3 {
		return sign + digits
	}
	sep := p.T("format.thousands_sep")
	var b strings.Builder
	b.WriteString(sign)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// weekdayKey is the catalogue key of a weekday name, Sunday being weekday.0.
func weekdayKey(d time.Weekday) string {
	return "weekday." + strconv.Itoa(int(d))
}

// monthKey is the catalogue key of a month name, January being month.1.
func monthKey(m time.Month) string {
	return "month." + strconv.Itoa(int(m))
}

// twoDigits returns n zero-padded to two digits.
func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
