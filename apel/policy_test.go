package apel_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// window is the check-in window the tests use: the prompt 30 minutes before
// apel, 15 minutes of grace, closing an hour after apel, a reminder 15
// minutes before close.
func window() apel.Window {
	return apel.Window{OpenBefore: 30 * time.Minute, LateAfter: 15 * time.Minute, CloseAfter: time.Hour, RemindBefore: 15 * time.Minute}
}

// ternatePolicy is Kota Ternate's policy from 12 Jan 2026 in the zone named
// by tz: Monday and Friday WFO, Tuesday and Wednesday WFH (the shifts), Thursday
// WFA, apel 07.30 and 16.00 (16.30 on Friday), heads in office, Idul Fitri
// (Friday 20 Mar 2026) off.
func ternatePolicy(t *testing.T, tz string) apel.Policy {
	t.Helper()
	pagi, sore, soreJumat := apel.Clock{Hour: 7, Minute: 30}, apel.Clock{Hour: 16}, apel.Clock{Hour: 16, Minute: 30}
	return apel.Policy{
		Location: zone(t, tz),
		Days: map[time.Weekday]apel.DayRule{
			time.Monday:    {Pagi: pagi, Sore: sore, Mode: apel.WFO},
			time.Tuesday:   {Pagi: pagi, Sore: sore, Mode: apel.WFH},
			time.Wednesday: {Pagi: pagi, Sore: sore, Mode: apel.WFH},
			time.Thursday:  {Pagi: pagi, Sore: sore, Mode: apel.WFA},
			time.Friday:    {Pagi: pagi, Sore: soreJumat, Mode: apel.WFO},
		},
		Window:        window(),
		RadiusM:       100,
		OffDays:       map[apel.Date]string{{Year: 2026, Month: time.March, Day: 20}: "Idul Fitri 1447 H"},
		HeadsInOffice: true,
	}
}

func TestWindowValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*apel.Window)
		wantErr string
	}{
		{"the usual window", func(*apel.Window) {}, ""},
		{"no prompt before apel and no grace", func(w *apel.Window) { w.OpenBefore, w.LateAfter = 0, 0 }, ""},
		{"grace as long as the window", func(w *apel.Window) { w.LateAfter = w.CloseAfter }, ""},
		{"no reminder", func(w *apel.Window) { w.RemindBefore = 0 }, ""},
		{"reminder one second after opening", func(w *apel.Window) { w.RemindBefore = w.OpenBefore + w.CloseAfter - time.Second }, ""},
		{"negative open before", func(w *apel.Window) { w.OpenBefore = -time.Minute }, "negative"},
		{"negative grace", func(w *apel.Window) { w.LateAfter = -time.Minute }, "negative"},
		{"negative reminder", func(w *apel.Window) { w.RemindBefore = -time.Minute }, "negative"},
		{"window closing at apel time", func(w *apel.Window) { w.CloseAfter, w.LateAfter = 0, 0 }, "close_after must be positive"},
		{"grace longer than the window", func(w *apel.Window) { w.LateAfter = w.CloseAfter + time.Second }, "late_after"},
		{"reminder at the opening instant is outside the window", func(w *apel.Window) { w.RemindBefore = w.OpenBefore + w.CloseAfter }, "remind_before"},
		{"reminder before the window opens", func(w *apel.Window) { w.RemindBefore = 3 * time.Hour }, "remind_before"},
	}
	for _, tt := range tests {
		w := window()
		tt.edit(&w)
		err := w.Validate()
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %+v.Validate() = %v, want nil", tt.name, w, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: %+v.Validate() = %v, want an error mentioning %q", tt.name, w, err, tt.wantErr)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*apel.Policy)
		wantErr string // "" for valid
		bug     string // non-empty: known bug, the case is skipped
	}{
		{name: "Ternate's policy", edit: func(*apel.Policy) {}},
		{name: "Kota Batu: no flexible work, no table entries beyond WFO", edit: func(p *apel.Policy) {
			for wd, r := range p.Days {
				r.Mode = apel.WFO
				p.Days[wd] = r
			}
		}},
		{name: "no working days at all", edit: func(p *apel.Policy) { p.Days = nil }},
		{name: "largest radius", edit: func(p *apel.Policy) { p.RadiusM = 100000 }},
		{name: "pagi window closing exactly when sore opens", edit: func(p *apel.Policy) {
			// 07:30 + 60 min = 08:30 = 09:00 - 30 min
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 9}, Mode: apel.WFO}
		}},
		{name: "sore window closing exactly at midnight", edit: func(p *apel.Policy) {
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 23}, Mode: apel.WFO}
		}},
		{name: "pagi window opening exactly at midnight", edit: func(p *apel.Policy) {
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO}
		}},
		{name: "missing time zone", edit: func(p *apel.Policy) { p.Location = nil }, wantErr: "timezone"},
		{name: "bad window", edit: func(p *apel.Policy) { p.Window.CloseAfter = 0 }, wantErr: "window"},
		{name: "remind outside window", edit: func(p *apel.Policy) { p.Window.RemindBefore = 2 * time.Hour }, wantErr: "remind_before"},
		{name: "zero radius", edit: func(p *apel.Policy) { p.RadiusM = 0 }, wantErr: "radius"},
		{name: "negative radius", edit: func(p *apel.Policy) { p.RadiusM = -10 }, wantErr: "radius"},
		{name: "radius over 100 km", edit: func(p *apel.Policy) { p.RadiusM = 100001 }, wantErr: "radius"},
		{name: "infinite radius", edit: func(p *apel.Policy) { p.RadiusM = math.Inf(1) }, wantErr: "radius"},
		{name: "NaN radius", edit: func(p *apel.Policy) { p.RadiusM = math.NaN() }, wantErr: "radius",
			bug: "policy.go Policy.Validate: RadiusM NaN passes (NaN <= 0 and NaN > 100000 are both false); every WithinFence is then false"},
		{name: "pagi not a time of day", edit: func(p *apel.Policy) {
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 24}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO}
		}, wantErr: "Monday pagi"},
		{name: "sore not a time of day", edit: func(p *apel.Policy) {
			p.Days[time.Tuesday] = apel.DayRule{Pagi: apel.Clock{Hour: 7}, Sore: apel.Clock{Hour: 16, Minute: 60}, Mode: apel.WFH}
		}, wantErr: "Tuesday sore"},
		{name: "unknown mode", edit: func(p *apel.Policy) {
			p.Days[time.Thursday] = apel.DayRule{Pagi: apel.Clock{Hour: 7}, Sore: apel.Clock{Hour: 16}, Mode: "WFX"}
		}, wantErr: "Thursday"},
		{name: "empty mode", edit: func(p *apel.Policy) {
			p.Days[time.Thursday] = apel.DayRule{Pagi: apel.Clock{Hour: 7}, Sore: apel.Clock{Hour: 16}}
		}, wantErr: "Thursday"},
		{name: "lower-case mode is not a Mode the package knows", edit: func(p *apel.Policy) {
			p.Days[time.Tuesday] = apel.DayRule{Pagi: apel.Clock{Hour: 7}, Sore: apel.Clock{Hour: 16}, Mode: "wfh"}
		}, wantErr: "Tuesday",
			bug: `policy.go Policy.Validate: Mode "wfh" passes because ParseMode upper-cases it, but ModeOf returns Mode("wfh") as is, so Judge treats the day as WFO (office point) and Tally counts it as WFO`},
		{name: "overlapping pagi and sore windows", edit: func(p *apel.Policy) {
			// pagi closes 08:30, sore opens 08:29
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 8, Minute: 59}, Mode: apel.WFO}
		}, wantErr: "overlaps"},
		{name: "sore before pagi", edit: func(p *apel.Policy) {
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 16}, Sore: apel.Clock{Hour: 7, Minute: 30}, Mode: apel.WFO}
		}, wantErr: "overlaps"},
		{name: "sore window running past midnight", edit: func(p *apel.Policy) {
			p.Days[time.Friday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 23, Minute: 1}, Mode: apel.WFO}
		}, wantErr: "midnight"},
		{name: "pagi window starting the day before", edit: func(p *apel.Policy) {
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Minute: 29}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO}
		}, wantErr: "midnight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
			}
			p := ternatePolicy(t, wit)
			tt.edit(&p)
			err := p.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate() of %s = %v, want nil", tt.name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate() of %s = %v, want an error mentioning %q", tt.name, err, tt.wantErr)
			}
		})
	}
}

func TestPolicyWorkingDay(t *testing.T) {
	t.Parallel()
	p := ternatePolicy(t, wit)
	tests := []struct {
		name string
		in   apel.Date
		want bool
	}{
		{"Monday is a working day", apel.Date{Year: 2026, Month: time.January, Day: 12}, true},
		{"Thursday WFA is still a working day", apel.Date{Year: 2026, Month: time.January, Day: 15}, true},
		{"Friday is a working day", apel.Date{Year: 2026, Month: time.January, Day: 16}, true},
		{"Saturday is off", apel.Date{Year: 2026, Month: time.January, Day: 17}, false},
		{"Sunday is off", apel.Date{Year: 2026, Month: time.January, Day: 18}, false},
		{"a holiday on a Friday is off", apel.Date{Year: 2026, Month: time.March, Day: 20}, false},
		{"the Thursday before the holiday works", apel.Date{Year: 2026, Month: time.March, Day: 19}, true},
		{"the same date a year later is not off", apel.Date{Year: 2027, Month: time.March, Day: 19}, true}, // a Friday
	}
	for _, tt := range tests {
		if got := p.WorkingDay(tt.in); got != tt.want {
			t.Errorf("%s: WorkingDay(%v, a %v) = %v, want %v", tt.name, tt.in, tt.in.Weekday(), got, tt.want)
		}
	}
}

// TestPolicyPlanOnePerson is the weekday table's rules for one person alone
// in their OPD: direct service, heads in office, the table's mode.
func TestPolicyPlanOnePerson(t *testing.T) {
	t.Parallel()
	p := ternatePolicy(t, wit)
	monday := apel.Date{Year: 2026, Month: time.January, Day: 12}
	tuesday := monday.AddDays(1)
	thursday := monday.AddDays(3)
	saturday := monday.AddDays(5)
	dinkes := apel.OPD{Code: "DINKES", Name: "Dinas Kesehatan", DirectService: true}
	kominfo := apel.OPD{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika"}
	staff := apel.Employee{ID: 1, OPD: "DISKOMINFO", Role: apel.RoleStaff, Active: true}
	head := apel.Employee{ID: 2, OPD: "DISKOMINFO", Role: apel.RoleHead, Active: true}
	admin := apel.Employee{ID: 3, OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}
	noHeadsRule := p
	noHeadsRule.HeadsInOffice = false
	emptyMode := p
	emptyMode.Days = map[time.Weekday]apel.DayRule{time.Monday: {Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}}}

	tests := []struct {
		name   string
		policy apel.Policy
		opd    apel.OPD
		e      apel.Employee
		d      apel.Date
		want   apel.Assignment
	}{
		{"direct service works from office on a WFA day", p, dinkes, staff, thursday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByDirectService}},
		{"direct service beats heads in office", p, dinkes, head, thursday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByDirectService}},
		{"head with HeadsInOffice works from office on a WFA day", p, kominfo, head, thursday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByRole}},
		{"head with HeadsInOffice works from office on a WFH day", p, kominfo, head, tuesday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByRole}},
		{"head without HeadsInOffice follows the weekday table", noHeadsRule, kominfo, head, thursday, apel.Assignment{Mode: apel.WFA, Reason: apel.ModeByWeekday}},
		{"admin is not a head and follows the weekday table", p, kominfo, admin, tuesday, apel.Assignment{Mode: apel.WFH, Reason: apel.ModeByWeekday}},
		{"staff on Monday work from office", p, kominfo, staff, monday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByWeekday}},
		{"staff on Tuesday work from home", p, kominfo, staff, tuesday, apel.Assignment{Mode: apel.WFH, Reason: apel.ModeByWeekday}},
		{"staff on Thursday work from anywhere", p, kominfo, staff, thursday, apel.Assignment{Mode: apel.WFA, Reason: apel.ModeByWeekday}},
		{"a weekday missing from the table has no apel", p, kominfo, staff, saturday, apel.Assignment{Reason: apel.ModeByDayOff}},
		{"a table entry without a mode defaults to office", emptyMode, kominfo, staff, monday, apel.Assignment{Mode: apel.WFO, Reason: apel.ModeByWeekday}},
	}
	for _, tt := range tests {
		e := tt.e
		e.OPD = tt.opd.Code
		tt.want.EmployeeID = e.ID
		got, ok := tt.policy.Plan(tt.opd, tt.d, apel.Facts{Staff: []apel.Employee{e}}).Of(e.ID)
		if !ok || got != tt.want {
			t.Errorf("%s: Plan(%s, %s, %v %v) = %+v, want %+v", tt.name, tt.opd.Code, tt.e.Role, tt.d.Weekday(), tt.d, got, tt.want)
		}
	}
}

func TestPolicySlotsMapToUTC(t *testing.T) {
	t.Parallel()
	tuesday := apel.Date{Year: 2026, Month: time.January, Day: 13}
	friday := apel.Date{Year: 2026, Month: time.January, Day: 16}
	tests := []struct {
		name string
		tz   string
		d    apel.Date
		want []apel.Slot
	}{
		{"Ternate (WIT) Tuesday: 07:30 WIT is 22:30 UTC the day before", wit, tuesday, []apel.Slot{
			{Date: tuesday, Kind: apel.Pagi,
				Opens: utc(t, "2026-01-12T22:00:00Z"), Apel: utc(t, "2026-01-12T22:30:00Z"), LateFrom: utc(t, "2026-01-12T22:45:00Z"),
				RemindAt: utc(t, "2026-01-12T23:15:00Z"), Closes: utc(t, "2026-01-12T23:30:00Z")},
			{Date: tuesday, Kind: apel.Sore,
				Opens: utc(t, "2026-01-13T06:30:00Z"), Apel: utc(t, "2026-01-13T07:00:00Z"), LateFrom: utc(t, "2026-01-13T07:15:00Z"),
				RemindAt: utc(t, "2026-01-13T07:45:00Z"), Closes: utc(t, "2026-01-13T08:00:00Z")},
		}},
		{"Kendari (WITA) Tuesday: 07:30 WITA is 23:30 UTC the day before", wita, tuesday, []apel.Slot{
			{Date: tuesday, Kind: apel.Pagi,
				Opens: utc(t, "2026-01-12T23:00:00Z"), Apel: utc(t, "2026-01-12T23:30:00Z"), LateFrom: utc(t, "2026-01-12T23:45:00Z"),
				RemindAt: utc(t, "2026-01-13T00:15:00Z"), Closes: utc(t, "2026-01-13T00:30:00Z")},
			{Date: tuesday, Kind: apel.Sore,
				Opens: utc(t, "2026-01-13T07:30:00Z"), Apel: utc(t, "2026-01-13T08:00:00Z"), LateFrom: utc(t, "2026-01-13T08:15:00Z"),
				RemindAt: utc(t, "2026-01-13T08:45:00Z"), Closes: utc(t, "2026-01-13T09:00:00Z")},
		}},
		{"Malang (WIB) Tuesday: the pagi window opens on the previous UTC day", wib, tuesday, []apel.Slot{
			{Date: tuesday, Kind: apel.Pagi,
				Opens: utc(t, "2026-01-13T00:00:00Z"), Apel: utc(t, "2026-01-13T00:30:00Z"), LateFrom: utc(t, "2026-01-13T00:45:00Z"),
				RemindAt: utc(t, "2026-01-13T01:15:00Z"), Closes: utc(t, "2026-01-13T01:30:00Z")},
			{Date: tuesday, Kind: apel.Sore,
				Opens: utc(t, "2026-01-13T08:30:00Z"), Apel: utc(t, "2026-01-13T09:00:00Z"), LateFrom: utc(t, "2026-01-13T09:15:00Z"),
				RemindAt: utc(t, "2026-01-13T09:45:00Z"), Closes: utc(t, "2026-01-13T10:00:00Z")},
		}},
		{"Ternate (WIT) Friday: apel sore at 16:30", wit, friday, []apel.Slot{
			{Date: friday, Kind: apel.Pagi,
				Opens: utc(t, "2026-01-15T22:00:00Z"), Apel: utc(t, "2026-01-15T22:30:00Z"), LateFrom: utc(t, "2026-01-15T22:45:00Z"),
				RemindAt: utc(t, "2026-01-15T23:15:00Z"), Closes: utc(t, "2026-01-15T23:30:00Z")},
			{Date: friday, Kind: apel.Sore,
				Opens: utc(t, "2026-01-16T07:00:00Z"), Apel: utc(t, "2026-01-16T07:30:00Z"), LateFrom: utc(t, "2026-01-16T07:45:00Z"),
				RemindAt: utc(t, "2026-01-16T08:15:00Z"), Closes: utc(t, "2026-01-16T08:30:00Z")},
		}},
		{"Saturday has no apel", wit, apel.Date{Year: 2026, Month: time.January, Day: 17}, nil},
		{"a holiday has no apel", wit, apel.Date{Year: 2026, Month: time.March, Day: 20}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := ternatePolicy(t, tt.tz)
			got := p.Slots(tt.d)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Slots(%v) in %s mismatch (-want +got):\n%s", tt.d, tt.tz, diff)
			}
			for _, s := range got {
				if local := apel.DateOf(s.Apel, p.Location); local != tt.d {
					t.Errorf("Slots(%v) in %s: %s apel %v falls on %v locally, want %v", tt.d, tt.tz, s.Kind, s.Apel, local, tt.d)
				}
			}
		})
	}
}

func TestPolicySlotsAroundMidnight(t *testing.T) {
	t.Parallel()
	p := ternatePolicy(t, wit)
	// Apel pagi at 00:30 WIT: the window opens on the stroke of midnight,
	// which is 15:00 UTC the day before.
	p.Days[time.Tuesday] = apel.DayRule{Pagi: apel.Clock{Minute: 30}, Sore: apel.Clock{Hour: 23}, Mode: apel.WFH}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	d := apel.Date{Year: 2026, Month: time.January, Day: 13}
	slots := p.Slots(d)
	if len(slots) != 2 {
		t.Fatalf("Slots(%v) = %d slots, want 2", d, len(slots))
	}
	pagi, sore := slots[0], slots[1]
	if want := utc(t, "2026-01-12T15:00:00Z"); !pagi.Opens.Equal(want) {
		t.Errorf("Slots(%v) pagi Opens = %v, want %v (00:00 WIT)", d, pagi.Opens.UTC(), want)
	}
	if got := apel.DateOf(pagi.Opens, p.Location); got != d {
		t.Errorf("DateOf(pagi Opens %v, WIT) = %v, want %v", pagi.Opens, got, d)
	}
	if want := utc(t, "2026-01-13T15:00:00Z"); !sore.Closes.Equal(want) {
		t.Errorf("Slots(%v) sore Closes = %v, want %v (24:00 WIT)", d, sore.Closes.UTC(), want)
	}
	if got, want := apel.DateOf(sore.Closes, p.Location), d.AddDays(1); got != want {
		t.Errorf("DateOf(sore Closes %v, WIT) = %v, want %v (midnight belongs to the next day)", sore.Closes, got, want)
	}
}

func TestPolicySlot(t *testing.T) {
	t.Parallel()
	p := ternatePolicy(t, wit)
	friday := apel.Date{Year: 2026, Month: time.January, Day: 16}
	tests := []struct {
		name     string
		d        apel.Date
		kind     apel.SessionKind
		wantOK   bool
		wantApel string
	}{
		{"pagi of a working day", friday, apel.Pagi, true, "2026-01-15T22:30:00Z"},
		{"sore of a working day", friday, apel.Sore, true, "2026-01-16T07:30:00Z"},
		{"an unknown kind", friday, "siang", false, ""},
		{"pagi of a holiday", apel.Date{Year: 2026, Month: time.March, Day: 20}, apel.Pagi, false, ""},
		{"sore of a Sunday", apel.Date{Year: 2026, Month: time.January, Day: 18}, apel.Sore, false, ""},
	}
	for _, tt := range tests {
		got, ok := p.Slot(tt.d, tt.kind)
		if ok != tt.wantOK {
			t.Errorf("%s: Slot(%v, %q) ok = %v, want %v", tt.name, tt.d, tt.kind, ok, tt.wantOK)
			continue
		}
		if !ok {
			if diff := cmp.Diff(apel.Slot{}, got); diff != "" {
				t.Errorf("%s: Slot(%v, %q) = %+v, want the zero Slot", tt.name, tt.d, tt.kind, got)
			}
			continue
		}
		if got.Kind != tt.kind || got.Date != tt.d || !got.Apel.Equal(utc(t, tt.wantApel)) {
			t.Errorf("%s: Slot(%v, %q) = %v %v at %v, want %v %v at %v", tt.name, tt.d, tt.kind, got.Date, got.Kind, got.Apel.UTC(), tt.d, tt.kind, tt.wantApel)
		}
	}
}
