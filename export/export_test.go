package export

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Makassar resolves without a system tz database

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata") //nolint:gochecknoglobals // a test flag

// keep writes the exported files to this directory for a look by eye.
var keep = flag.String("keep", "", "also write the exported files to this directory") //nolint:gochecknoglobals // a test flag

func printer(t testing.TB, lang string) locales.Printer {
	t.Helper()
	c, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Printer(lang)
}

func makassar(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fixture is a small day in a WITA pemda, Thursday 15 January 2026:
//
//   - DISKOMINFO, 4 staff: pagi has one on time in the office, one late by
//     7 minutes from home, one WFA, one TK; sore has two present.
//   - DINKES, 3 staff: pagi all on time but one outside the fence, sore
//     not held.
//   - BAPPEDA, 2 staff: one sick (excused all day), one on time; sore has
//     the same and nobody else.
//
// An inactive employee of DISKOMINFO must not appear anywhere.
func fixture(t testing.TB) Detail {
	t.Helper()
	loc := makassar(t)
	date := apel.Date{Year: 2026, Month: time.January, Day: 15}
	at := func(h, m int) time.Time { return time.Date(2026, time.January, 15, h, m, 0, 0, loc) }
	opds := []apel.OPD{
		{Code: "DISKOMINFO", Name: "Dinas Komunikasi, Informatika dan Persandian", Office: apel.Point{Lat: -5.1477, Lon: 119.4327}},
		{Code: "DINKES", Name: "Dinas Kesehatan", Office: apel.Point{Lat: -5.1400, Lon: 119.4200}, DirectService: true},
		{Code: "BAPPEDA", Name: "Badan Perencanaan Pembangunan Daerah", Office: apel.Point{Lat: -5.1300, Lon: 119.4100}},
	}
	emp := func(id int64, nip, name, opd string) apel.Employee {
		return apel.Employee{ID: id, NIP: nip, Name: name, OPD: opd, Position: "Analis", Role: apel.RoleStaff, Active: true}
	}
	employees := []apel.Employee{
		emp(1, "198503122010011002", "Andi Pratama", "DISKOMINFO"),
		emp(2, "199001012015032001", "Besse Nurhayati", "DISKOMINFO"),
		emp(3, "198712242011011003", "Chandra Wijaya", "DISKOMINFO"),
		emp(4, "199205172019022004", "Dewi Lestari", "DISKOMINFO"),
		emp(5, "197804102005011005", "Erwin Saputra", "DINKES"),
		emp(6, "198102282006042006", "Fitriani Ahmad", "DINKES"),
		emp(7, "199308082020121007", "Gusti Made Ñoman", "DINKES"),    // non-ASCII survives
		emp(8, "198911112014031008", "Hasanuddin, S.Kom.", "BAPPEDA"), // a comma is quoted
		emp(9, "197512312000032009", "Intan \"Ita\" Permata", "BAPPEDA"),
	}
	gone := emp(10, "198001012005011010", "Joko Pensiun", "DISKOMINFO")
	gone.Active = false
	employees = append(employees, gone)

	slot := func(k apel.SessionKind, h, m int) apel.Slot {
		return apel.Slot{Date: date, Kind: k, Apel: at(h, m), Opens: at(h, m-15), LateFrom: at(h, m+5), Closes: at(h+1, m)}
	}
	sessions := []apel.Session{
		{ID: 11, OPD: "DISKOMINFO", Slot: slot(apel.Pagi, 7, 30), Closed: true},
		{ID: 12, OPD: "DISKOMINFO", Slot: slot(apel.Sore, 16, 30), Closed: true},
		{ID: 21, OPD: "DINKES", Slot: slot(apel.Pagi, 7, 30), Closed: true},
		{ID: 31, OPD: "BAPPEDA", Slot: slot(apel.Pagi, 7, 30), Closed: true},
		{ID: 32, OPD: "BAPPEDA", Slot: slot(apel.Sore, 16, 30), Closed: true},
	}
	ci := func(id, session, emp int64, when time.Time, mode apel.Mode, v apel.Verdict) apel.CheckIn {
		return apel.CheckIn{ID: id, SessionID: session, EmployeeID: emp, Fix: apel.Fix{At: when}, RecordedAt: when.Add(2 * time.Second), Mode: mode, Verdict: v}
	}
	office := func(d float64) apel.Verdict {
		return apel.Verdict{Place: apel.PlaceOffice, InPlace: d <= 100, Distance: d}
	}
	checkIns := []apel.CheckIn{
		ci(101, 11, 1, at(7, 21), apel.WFO, office(12.4)),
		ci(102, 11, 2, at(7, 42), apel.WFH, apel.Verdict{Late: true, LateBy: 7 * time.Minute, Place: apel.PlaceHome, InPlace: true, Distance: 35.6}),
		ci(103, 11, 3, at(7, 33), apel.WFA, apel.Verdict{Place: apel.PlaceAnywhere, InPlace: true}),
		ci(104, 12, 1, at(16, 20), apel.WFO, office(20)),
		ci(105, 12, 3, at(16, 25), apel.WFA, apel.Verdict{Place: apel.PlaceAnywhere, InPlace: true}),
		ci(201, 21, 5, at(7, 18), apel.WFO, office(5)),
		ci(202, 21, 6, at(7, 19), apel.WFO, office(2002.5)),
		ci(203, 21, 7, at(7, 25), apel.WFO, office(48)),
		ci(301, 31, 8, at(7, 30), apel.WFO, office(61)),
		ci(302, 32, 8, at(16, 31), apel.WFO, office(70)),
	}
	excuses := []apel.Excuse{{EmployeeID: 9, Date: date, Kind: apel.Sakit, By: 8}}
	day := apel.Day{Date: date, OPDs: opds, Employees: employees, Sessions: sessions, CheckIns: checkIns, Excuses: excuses}
	return Detail{
		Report:   apel.CompileDailyReport("Kota Makassar", day),
		Day:      day,
		BKPSDM:   "BKPSDM Kota Makassar",
		Location: loc,
	}
}

// synthetic is a pemda of opds OPDs with perOPD staff each, every session
// closed: most on time, some late, some excused, some TK; every fifteenth
// OPD held no apel pagi.
func synthetic(t testing.TB, opds, perOPD int) Detail {
	t.Helper()
	loc := makassar(t)
	date := apel.Date{Year: 2026, Month: time.January, Day: 15}
	at := func(h, m int) time.Time { return time.Date(2026, time.January, 15, h, m, 0, 0, loc) }
	day := apel.Day{Date: date}
	var id int64
	for o := range opds {
		code := fmt.Sprintf("OPD%04d", o+1)
		day.OPDs = append(day.OPDs, apel.OPD{Code: code, Name: fmt.Sprintf("Dinas Nomor %d Kota Contoh", o+1), Office: apel.Point{Lat: -5.1, Lon: 119.4}})
		for k, kind := range []apel.SessionKind{apel.Pagi, apel.Sore} {
			if k == 0 && o%15 == 14 {
				continue // pagi not held
			}
			h := 7 + 9*k
			day.Sessions = append(day.Sessions, apel.Session{ID: int64(2*o + k + 1), OPD: code, Closed: true,
				Slot: apel.Slot{Date: date, Kind: kind, Apel: at(h, 30), Opens: at(h, 15), LateFrom: at(h, 35), Closes: at(h+1, 30)}})
		}
		for e := range perOPD {
			id++
			day.Employees = append(day.Employees, apel.Employee{ID: id, NIP: fmt.Sprintf("19850312201001%04d", id%10000),
				Name: fmt.Sprintf("Pegawai %06d", id), OPD: code, Position: "Pelaksana", Role: apel.RoleStaff, Active: true})
			switch {
			case e%17 == 3:
				day.Excuses = append(day.Excuses, apel.Excuse{EmployeeID: id, Date: date, Kind: apel.Cuti})
				continue
			case (e+o)%9 == 5 || e%23 == 5:
				continue // TK
			}
			for k := range 2 {
				v := apel.Verdict{Place: apel.PlaceOffice, InPlace: true, Distance: float64(e % 90)}
				when := at(7+9*k, 20+e%10)
				if e%11 == 7 {
					v.Late, v.LateBy, when = true, 4*time.Minute, at(7+9*k, 39)
				}
				day.CheckIns = append(day.CheckIns, apel.CheckIn{ID: id*2 + int64(k), SessionID: int64(2*o + k + 1), EmployeeID: id,
					Fix: apel.Fix{At: when}, Mode: apel.WFO, Verdict: v})
			}
		}
	}
	return Detail{Report: apel.CompileDailyReport("Kota Contoh", day), Day: day, BKPSDM: "BKPSDM Kota Contoh", Location: loc}
}

// keepFile writes data under -keep, when set.
func keepFile(t testing.TB, name string, data []byte) {
	t.Helper()
	if *keep == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(*keep, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
