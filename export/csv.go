package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// CSVHeader is the header row of [CSV]. The columns are a stable interface
// for BKPSDM's own tools: new columns are only ever appended.
//
//	date          the report date, YYYY-MM-DD
//	session       pagi or sore
//	opd_code      the OPD's code from the configuration
//	opd_name      the OPD's name
//	nip           the 18-digit NIP, as text
//	name          the employee's name
//	status        on_time, late, excused, absent (TK), pending, or not_judged
//	              (no check-in in a session an outage disrupted) (apel.Status)
//	mode          WFO, WFH or WFA of the check-in; empty without one
//	checkin_time  the Telegram time of the check-in, RFC 3339 in the pemda's
//	              zone (2026-01-13T07:18:00+09:00); empty without one
//	late_minutes  whole minutes past the grace edge; empty unless late
//	distance_m    metres from the point judged against, rounded; empty
//	              without a check-in and for WFA (judged against nothing)
//	in_place      true or false (inside the fence); empty without a check-in
//	excuse        izin, sakit, cuti or dinas_luar; empty unless excused
//	corrections   how many corrections the line has (0 when none); status
//	              and excuse are then the corrected ones, while the
//	              check-in columns stay the evidence as recorded
//	original_status  the status before the first correction; empty when none
//	correction_reason  gps_error, outage, forgot, wrong_mode or other, of
//	              the last correction; empty when none
//	correction_note  the note of the last correction
//	outage_from   when the session was disrupted by an outage, its start
//	              (RFC 3339); status not_judged then replaces absent, and a
//	              late check-in sent since counts on_time
//	outage_to     the outage's end; empty when it was still going on at close
func CSVHeader() []string {
	return []string{"date", "session", "opd_code", "opd_name", "nip", "name", "status", "mode",
		"checkin_time", "late_minutes", "distance_m", "in_place", "excuse",
		"corrections", "original_status", "correction_reason", "correction_note", "outage_from", "outage_to"}
}

// CSV writes one row per active employee per held session of the day, OPDs
// in display order, employees by name, pagi before sore within each OPD.
// A session that was not held has no rows (the XLSX and PDF say so).
//
// The file is UTF-8 without a byte-order mark, comma-separated, quoted and
// CRLF-terminated as RFC 4180 says. It is meant for programs: values are
// written as they are, so a spreadsheet should open the XLSX instead.
func CSV(w io.Writer, d Detail) error {
	if d.Location == nil {
		return errNoLocation
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	date := d.Day.Date.String()
	rec := make([]string, len(CSVHeader()))
	for _, o := range rolls(d.Day) {
		for _, k := range sessionKinds() {
			for _, a := range o.session(k) {
				csvRecord(rec, date, k, o.OPD, a, d.Location)
				csvAudit(rec, a, o.Disrupted[k], d.Location)
				if err := cw.Write(rec); err != nil {
					return fmt.Errorf("write csv: %w", err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// csvRecord fills rec with the columns of CSVHeader for one line.
func csvRecord(rec []string, date string, k apel.SessionKind, o apel.OPD, a apel.Attendance, loc *time.Location) {
	clear(rec)
	rec[0], rec[1], rec[2], rec[3] = date, string(k), o.Code, o.Name
	rec[4], rec[5], rec[6] = a.Employee.NIP, a.Employee.Name, string(a.Status)
	if c := a.CheckIn; c != nil {
		rec[7] = string(c.Mode)
		rec[8] = c.Fix.At.In(loc).Format(time.RFC3339)
		if c.Late {
			rec[9] = strconv.Itoa(int(c.LateBy / time.Minute))
		}
		if c.Place != apel.PlaceAnywhere {
			rec[10] = strconv.Itoa(int(math.Round(c.Distance)))
		}
		rec[11] = strconv.FormatBool(c.InPlace)
	}
	if a.Status == apel.StatusExcused {
		rec[12] = string(a.Excuse)
	}
}

// csvAudit fills the correction and outage columns of one line.
func csvAudit(rec []string, a apel.Attendance, out apel.Disruption, loc *time.Location) {
	rec[13] = strconv.Itoa(len(a.Corrections))
	if n := len(a.Corrections); n > 0 {
		first, last := a.Corrections[0], a.Corrections[n-1]
		rec[14], rec[15], rec[16] = string(first.Before), string(last.Reason), last.Note
	}
	if !out.IsZero() {
		rec[17] = out.From.In(loc).Format(time.RFC3339)
		if !out.To.IsZero() {
			rec[18] = out.To.In(loc).Format(time.RFC3339)
		}
	}
}
