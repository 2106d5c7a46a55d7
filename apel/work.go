package apel

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Work is how one day's work is allocated among an OPD's staff: where they
// work by default, whether the day is mixed, how many may work off-site, and
// what a person may ask for.
type Work struct {
	// Mode is WFO, or the off-site mode of the day (WFH or WFA). On an
	// off-site day everyone eligible works off-site, within the quota.
	Mode Mode
	// Shift makes an off-site day mixed: only the quota's share of the staff
	// (50% unless a quota says otherwise) works off-site, by a fair
	// rotation the OPD head may change; the rest works from office.
	Shift bool
	// Quota caps the share of the headcount that may work off-site; nil
	// takes the policy's.
	Quota *Quota
	// Requests are the off-site modes an ASN may ask for on the day. On a
	// WFO day with requests, only approved requests work off-site.
	Requests []Mode
}

// OffSite reports whether anyone may work off-site under w.
func (w Work) OffSite() bool { return w.Mode != WFO || len(w.Requests) > 0 }

// Allows reports whether a person may ask for mode m under w.
func (w Work) Allows(m Mode) bool { return slices.Contains(w.Requests, m) }

// validate checks w; path names it in errors.
func (w Work) validate(path string) error {
	if m, err := ParseMode(string(w.Mode)); err != nil || m != w.Mode {
		return fmt.Errorf("%s: unknown mode %q: want WFO, WFH or WFA", path, w.Mode)
	}
	if w.Shift && w.Mode == WFO {
		return fmt.Errorf("%s: a shift day needs an off-site mode (WFH or WFA), not WFO", path)
	}
	if w.Quota != nil {
		if err := w.Quota.Validate(); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	seen := map[Mode]bool{}
	for _, m := range w.Requests {
		if m != WFH && m != WFA {
			return fmt.Errorf("%s: requests: %q: want WFH or WFA", path, m)
		}
		if seen[m] {
			return fmt.Errorf("%s: requests: %s listed twice", path, m)
		}
		seen[m] = true
	}
	return nil
}

// Quota is the share of an OPD's headcount that may work off-site on one
// day, in percent. Direct-service OPDs stay in office unless the quota gives
// them a share of their own (Kabupaten Malang: 10% for them, 20% for others).
type Quota struct {
	Percent       float64 // OPDs that do not serve the public directly, 0 to 100
	DirectService float64 // direct-service OPDs, 0 to 100, when DirectJoins
	DirectJoins   bool    // direct-service OPDs take part within DirectService instead of staying WFO
}

// Validate checks that the shares are percentages.
func (q Quota) Validate() error {
	ok := func(v float64) bool { return v >= 0 && v <= 100 } // also refuses NaN
	if !ok(q.Percent) {
		return fmt.Errorf("quota %v%%: want 0%% to 100%%", q.Percent)
	}
	if q.DirectJoins && !ok(q.DirectService) {
		return fmt.Errorf("quota for direct service %v%%: want 0%% to 100%%", q.DirectService)
	}
	return nil
}

// Limit returns how many of headcount may work off-site: the share rounded
// down, since a quota is a most.
func (q Quota) Limit(headcount int, directService bool) int {
	pct := q.Percent
	if directService {
		if !q.DirectJoins {
			return 0
		}
		pct = q.DirectService
	}
	// The epsilon keeps 5% of 20 at 1 although 0.05*20 is 0.99999...
	return int(math.Floor(pct*float64(headcount)/100 + 1e-9))
}

// Override is a dated change of the policy, put in force by a circular (SE):
// for its window it replaces the weekday table's work rules, for every OPD
// or only the OPDs it names.
type Override struct {
	Name      string // what it is, e.g. "Kerja fleksibel Nyepi dan Idul Fitri 1446 H"
	Reference string // its legal basis, e.g. "SE Wali Kota Malang No. 8 Tahun 2025"
	From, To  Date   // inclusive; a zero To leaves the window open
	// OPDs, when set, are the only OPDs the flexible rules apply to; every
	// other OPD works from office during the window.
	OPDs []string
	// Work, when set, is the rule of every working day in the window.
	Work *Work
	// Days are rules by weekday inside the window; they win over Work. A
	// weekday in neither keeps the weekday table's rule.
	Days map[time.Weekday]Work
	// HeadsInOffice keeps OPD heads in office during the window, whatever
	// the policy says otherwise.
	HeadsInOffice bool
}

// Covers reports whether d falls in o's window.
func (o Override) Covers(d Date) bool {
	return !d.Before(o.From) && (o.To.IsZero() || !o.To.Before(d))
}

// overlaps reports whether the windows of o and p share a date.
func (o Override) overlaps(p Override) bool {
	endsBefore := func(a, b Override) bool { return !a.To.IsZero() && a.To.Before(b.From) }
	return !endsBefore(o, p) && !endsBefore(p, o)
}

// window formats o's window for messages.
func (o Override) window() string {
	if o.To.IsZero() {
		return o.From.String() + " onwards"
	}
	return o.From.String() + " to " + o.To.String()
}

// validate checks o on its own.
func (o Override) validate(i int) error {
	path := fmt.Sprintf("overrides[%d]", i)
	if o.From.IsZero() {
		return fmt.Errorf("%s: from: missing", path)
	}
	if !o.To.IsZero() && o.To.Before(o.From) {
		return fmt.Errorf("%s: to %s is before from %s", path, o.To, o.From)
	}
	if o.Work == nil && len(o.Days) == 0 {
		return fmt.Errorf("%s: no rule: want a mode or days", path)
	}
	if o.Work != nil {
		if err := o.Work.validate(path); err != nil {
			return err
		}
	}
	for _, wd := range weekdays() {
		if w, ok := o.Days[wd]; ok {
			if err := w.validate(fmt.Sprintf("%s.days.%s", path, wd)); err != nil {
				return err
			}
		}
	}
	return nil
}

// HolidayKind says what kind of day without apel a holiday is.
type HolidayKind string

// Holiday kinds, as the joint decree (SKB 3 Menteri) names them.
const (
	NationalHoliday HolidayKind = "libur"        // hari libur nasional
	CutiBersama     HolidayKind = "cuti_bersama" // collective leave
)

// Holiday is a date without apel set nationally (or added by the operator).
type Holiday struct {
	Date   Date
	Name   string
	Kind   HolidayKind
	Source string // legal basis, e.g. the SKB number
	Note   string // a reviewer's doubt about the date, if any
}

// Escalation names the requests that need a second approval after the OPD
// head's: the PPK's (the mayor or regent), through the people the pemda
// names. Kota Kendari requires it for WFA abroad and for annual leave.
type Escalation struct {
	Abroad bool     // WFA abroad
	Cuti   bool     // annual leave (cuti)
	NIPs   []string // who approves at the second stage; empty: the BKPSDM admins
}

// Needs reports whether r needs the second approval.
func (e Escalation) Needs(r Request) bool {
	return (e.Abroad && r.Abroad) || (e.Cuti && r.Kind == RequestCuti)
}

// weekdays lists the weekdays from Monday, the way an Indonesian office
// counts them.
func weekdays() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}
