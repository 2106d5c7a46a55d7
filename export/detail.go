package export

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Detail is what the exports are made from: the compiled report of a date,
// the day's records for the per-employee rows, and the names to print.
type Detail struct {
	Report   apel.DailyReport // apel.CompileDailyReport of Day
	Day      apel.Day
	BKPSDM   string         // the HR agency named on the PDF and in the XLSX properties
	Location *time.Location // the pemda's zone: check-in times are shown in it
}

// errNoLocation is returned when a Detail lacks the zone to show times in.
var errNoLocation = errors.New("export: Detail.Location is nil")

// opdRoll is one OPD's roll call of the day: its active staff in the order
// of the daily report (by name) and each session's attendance lines, nil
// when that session was not held.
type opdRoll struct {
	OPD        apel.OPD
	Staff      []apel.Employee
	Pagi, Sore []apel.Attendance
	// Disrupted is the outage each held session was disrupted by, if any.
	Disrupted map[apel.SessionKind]apel.Disruption
}

// session returns the attendance lines of kind k, nil when not held.
func (o opdRoll) session(k apel.SessionKind) []apel.Attendance {
	if k == apel.Pagi {
		return o.Pagi
	}
	return o.Sore
}

// sessionKinds are the sessions of a day in order.
func sessionKinds() [2]apel.SessionKind { return [2]apel.SessionKind{apel.Pagi, apel.Sore} }

// rolls calls the roll of every OPD of d with apel.Roll, grouping employees,
// check-ins, excuses and corrections first so that a large pemda costs linear time (Roll
// itself scans whatever slices it is given).
func rolls(d apel.Day) []opdRoll {
	staff := make(map[string][]apel.Employee)
	opdOf := make(map[int64]string, len(d.Employees))
	for _, e := range d.Employees {
		if e.Active {
			staff[e.OPD] = append(staff[e.OPD], e)
			opdOf[e.ID] = e.OPD
		}
	}
	for _, es := range staff {
		// The order of apel.CompileDailyReport, so both views list people alike.
		slices.SortStableFunc(es, func(a, b apel.Employee) int { return strings.Compare(a.Name, b.Name) })
	}
	checkIns := make(map[int64][]apel.CheckIn)
	for _, c := range d.CheckIns {
		checkIns[c.SessionID] = append(checkIns[c.SessionID], c)
	}
	excuses := make(map[string][]apel.Excuse)
	for _, x := range d.Excuses {
		if opd, ok := opdOf[x.EmployeeID]; ok {
			excuses[opd] = append(excuses[opd], x)
		}
	}
	corrections := make(map[int64][]apel.Correction)
	for _, c := range d.Corrections {
		corrections[c.SessionID] = append(corrections[c.SessionID], c)
	}
	sessions := make(map[string]map[apel.SessionKind]apel.Session)
	for _, s := range d.Sessions {
		if sessions[s.OPD] == nil {
			sessions[s.OPD] = make(map[apel.SessionKind]apel.Session, 2)
		}
		sessions[s.OPD][s.Kind] = s
	}
	out := make([]opdRoll, 0, len(d.OPDs))
	for _, o := range d.OPDs {
		r := opdRoll{OPD: o, Staff: staff[o.Code]}
		for _, k := range sessionKinds() {
			s, ok := sessions[o.Code][k]
			if !ok {
				continue
			}
			rows, _ := apel.Roll(s, r.Staff, checkIns[s.ID], excuses[o.Code], corrections[s.ID])
			if s.Disrupted() {
				if r.Disrupted == nil {
					r.Disrupted = make(map[apel.SessionKind]apel.Disruption, 2)
				}
				r.Disrupted[k] = s.Disruption
			}
			if rows == nil {
				rows = []apel.Attendance{} // held, nobody on staff
			}
			if k == apel.Pagi {
				r.Pagi = rows
			} else {
				r.Sore = rows
			}
		}
		out = append(out, r)
	}
	return out
}

// noon is an instant on date d for Printer.Date, which prints the civil
// date of the instant in its own location.
func noon(d apel.Date) time.Time { return d.At(apel.Clock{Hour: 12}, time.UTC) }

// zoneName is the abbreviation of loc on date d ("WIT"), for column headers.
func zoneName(d apel.Date, loc *time.Location) string {
	return d.At(apel.Clock{Hour: 12}, loc).Format("MST")
}
