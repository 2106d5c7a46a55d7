package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// preset loads examples/<name>.yaml.
func preset(t *testing.T, name string) Config {
	t.Helper()
	c, err := LoadConfig(filepath.Join("..", "..", "examples", name+".yaml"), configEnv(nil))
	if err != nil {
		t.Fatalf("preset %s: %v", name, err)
	}
	return c
}

// presetStaff gives every OPD of c n people, the first its head; ids and
// NIPs are unique across OPDs.
func presetStaff(c Config, n int) []apel.Employee {
	var out []apel.Employee
	for i, o := range c.OPDs {
		for j := range n {
			id := int64(i*100 + j + 1)
			e := apel.Employee{ID: id, NIP: fmt.Sprintf("19800101200501%d%03d", 1+j%2, id), Name: fmt.Sprintf("%s %d", o.Code, j+1),
				OPD: o.Code, Role: apel.RoleStaff, Active: true}
			if j == 0 {
				e.Role = apel.RoleHead
			}
			out = append(out, e)
		}
	}
	return out
}

func opdOf(t *testing.T, c Config, code string) apel.OPD {
	t.Helper()
	for _, o := range c.OPDs {
		if o.Code == code {
			return o
		}
	}
	t.Fatalf("%s has no OPD %s", c.Pemda, code)
	return apel.OPD{}
}

func day(y int, m time.Month, d int) apel.Date { return apel.Date{Year: y, Month: m, Day: d} }

// modes counts the plan's people by mode ("" for excused or no apel) and
// returns the reason shared by the staff who are not heads, or "mixed".
func modes(dp apel.DayPlan, heads map[int64]bool) (map[apel.Mode]int, apel.ModeReason) {
	count := map[apel.Mode]int{}
	var reason apel.ModeReason
	for _, a := range dp.People {
		count[a.Mode]++
		if heads[a.EmployeeID] {
			continue
		}
		switch {
		case reason == "":
			reason = a.Reason
		case reason != a.Reason:
			reason = "mixed"
		}
	}
	return count, reason
}

func headsOf(staff []apel.Employee) map[int64]bool {
	out := map[int64]bool{}
	for _, e := range staff {
		if e.Role == apel.RoleHead {
			out[e.ID] = true
		}
	}
	return out
}

func TestPresetsLoad(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"kota-ternate", "kota-kendari", "kota-malang", "kabupaten-malang", "kota-batu", "kabupaten-bolaang-mongondow-selatan"} {
		c := preset(t, name)
		if len(c.OPDs) == 0 || len(c.Policy.Holidays) == 0 {
			t.Errorf("%s: %d OPDs, %d holidays; want both", name, len(c.OPDs), len(c.Policy.Holidays))
		}
	}
}

type planCase struct {
	name     string
	opd      string
	d        apel.Date
	want     map[apel.Mode]int
	reason   apel.ModeReason // of the staff who are not heads
	ref      string          // in the plan's reference
	limit    int             // -1: not checked
	headMode apel.Mode       // "": not checked
}

func checkPlans(t *testing.T, c Config, n int, cases []planCase) {
	t.Helper()
	staff := presetStaff(c, n)
	heads := headsOf(staff)
	f := apel.Facts{Staff: staff}
	for _, tc := range cases {
		dp := c.Policy.Plan(opdOf(t, c, tc.opd), tc.d, f)
		got, reason := modes(dp, heads)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || reason != tc.reason {
			t.Errorf("%s: %s %s on %s: modes %v, reason %q; want %v, %q", c.Pemda, tc.name, tc.opd, tc.d, got, reason, tc.want, tc.reason)
		}
		if !strings.Contains(dp.Reference, tc.ref) {
			t.Errorf("%s: %s: reference %q, want it to contain %q", c.Pemda, tc.name, dp.Reference, tc.ref)
		}
		if tc.limit >= 0 && dp.Limit != tc.limit {
			t.Errorf("%s: %s: limit %d, want %d", c.Pemda, tc.name, dp.Limit, tc.limit)
		}
		if tc.headMode != "" {
			for _, a := range dp.People {
				if heads[a.EmployeeID] && a.Mode != tc.headMode {
					t.Errorf("%s: %s: head %+v, want %s", c.Pemda, tc.name, a, tc.headMode)
				}
			}
		}
	}
}

func TestPresetKotaTernate(t *testing.T) {
	t.Parallel()
	c := preset(t, "kota-ternate")
	se := "SE Wali Kota Ternate"
	checkPlans(t, c, 10, []planCase{
		{"a Thursday: WFA off-site", "DISKOMINFO", day(2026, time.January, 15), map[apel.Mode]int{apel.WFA: 10}, apel.ModeByOverride, se, 10, ""},
		{"a Thursday: direct service stays in office", "DINKES", day(2026, time.January, 15), map[apel.Mode]int{apel.WFO: 10}, apel.ModeByDirectService, se, 0, ""},
		{"a Thursday: a kecamatan stays in office", "KEC-TERNATE-TENGAH", day(2026, time.January, 15), map[apel.Mode]int{apel.WFO: 10}, apel.ModeByDirectService, se, 0, ""},
		{"a Tuesday: half at home by rotation", "DISKOMINFO", day(2026, time.January, 13), map[apel.Mode]int{apel.WFO: 5, apel.WFH: 5}, apel.ModeByShift, se, 5, ""},
		{"a Wednesday: the other half", "BKPSDMD", day(2026, time.January, 14), map[apel.Mode]int{apel.WFO: 5, apel.WFH: 5}, apel.ModeByShift, se, 5, ""},
		{"a Monday: everyone in office", "DISKOMINFO", day(2026, time.January, 19), map[apel.Mode]int{apel.WFO: 10}, apel.ModeByWeekday, se, 0, ""},
		{"the Thursday before the circular", "DISKOMINFO", day(2026, time.January, 8), map[apel.Mode]int{apel.WFO: 10}, apel.ModeByWeekday, "", 0, ""},
		{"Isra Mikraj: no apel", "DISKOMINFO", day(2026, time.January, 16), map[apel.Mode]int{"": 10}, apel.ModeByDayOff, "", 0, ""},
	})
	// Tuesday's and Wednesday's halves differ, so everyone has one mixed
	// day at home and Thursday: two off-site days, the weekly cap.
	staff := presetStaff(c, 10)
	week := c.Policy.PlanWeek(opdOf(t, c, "DISKOMINFO"), day(2026, time.January, 13), apel.Facts{Staff: staff})
	for _, e := range staff {
		if e.OPD != "DISKOMINFO" {
			continue
		}
		n := 0
		for _, dp := range week {
			if a, _ := dp.Of(e.ID); a.OffSite() {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%s off-site %d days in the week of 12 January 2026, want 2", e.Name, n)
		}
	}
}

func TestPresetKotaKendari(t *testing.T) {
	t.Parallel()
	c := preset(t, "kota-kendari")
	se := "No. 100.3.4.3/4526 Tahun 2025"
	checkPlans(t, c, 8, []planCase{
		{"in the window: office unless a request is approved", "DISKOMINFO", day(2025, time.December, 30), map[apel.Mode]int{apel.WFO: 8}, apel.ModeByOverride, se, 8, ""},
		{"essential service", "DISHUB", day(2025, time.December, 30), map[apel.Mode]int{apel.WFO: 8}, apel.ModeByDirectService, se, 0, ""},
		{"after the window", "DISKOMINFO", day(2026, time.January, 2), map[apel.Mode]int{apel.WFO: 8}, apel.ModeByWeekday, "", 0, ""},
		{"new year's day", "DISKOMINFO", day(2026, time.January, 1), map[apel.Mode]int{"": 8}, apel.ModeByDayOff, "", 0, ""},
	})
	staff := presetStaff(c, 8)
	kominfo, dishub := opdOf(t, c, "DISKOMINFO"), opdOf(t, c, "DISHUB")
	ani := staff[slicesIndex(staff, "DISKOMINFO 2")]
	today := day(2025, time.December, 23)
	req := func(k apel.RequestKind, abroad bool, from, to apel.Date) apel.Request {
		return apel.Request{EmployeeID: ani.ID, Kind: k, Abroad: abroad, From: from, To: to, Reason: "x", Plan: "y", Place: "Kuala Lumpur"}
	}
	dec29, dec30, dec31 := day(2025, time.December, 29), day(2025, time.December, 30), day(2025, time.December, 31)
	if err := c.Policy.CheckRequest(kominfo, ani, req(apel.RequestWFH, false, dec30, dec30), today); err != nil {
		t.Errorf("WFH on 30 December: %v, want allowed", err)
	}
	if err := c.Policy.CheckRequest(kominfo, ani, req(apel.RequestWFH, false, day(2026, time.January, 2), day(2026, time.January, 2)), today); !isRefusal(err, apel.ReasonRequestNotAllowed) {
		t.Errorf("WFH on 2 January 2026 = %v, want not allowed (the window is over)", err)
	}
	driver := ani
	driver.OPD = "DISHUB"
	if err := c.Policy.CheckRequest(dishub, driver, req(apel.RequestWFH, false, dec30, dec30), today); !isRefusal(err, apel.ReasonRequestNotAllowed) {
		t.Errorf("WFH at Dinas Perhubungan = %v, want not allowed", err)
	}
	if abroad := req(apel.RequestWFA, true, dec30, dec30); !c.Policy.Escalation.Needs(abroad) {
		t.Errorf("WFA abroad does not need the mayor's approval")
	}
	if leave := req(apel.RequestCuti, false, dec30, dec31); !c.Policy.Escalation.Needs(leave) {
		t.Errorf("annual leave does not need the mayor's approval")
	}
	if home := req(apel.RequestWFH, false, dec30, dec30); c.Policy.Escalation.Needs(home) {
		t.Errorf("WFH needs the mayor's approval; want the head's alone")
	}
	// Three days off-site are over the national two a week.
	first := req(apel.RequestWFH, false, dec29, dec30)
	first.ID, first.Status = 1, apel.RequestApproved
	third := req(apel.RequestWFH, false, dec31, dec31)
	third.ID = 2
	if err := c.Policy.CheckApproval(kominfo, third, apel.Facts{Staff: staff, Requests: []apel.Request{first}}); !isRefusal(err, apel.ReasonWeeklyCap) {
		t.Errorf("a third off-site day = %v, want the weekly cap", err)
	}
}

func TestPresetKotaMalang(t *testing.T) {
	t.Parallel()
	c := preset(t, "kota-malang")
	se := "SE Wali Kota Malang No. 8 Tahun 2025"
	mar25 := day(2025, time.March, 25)
	checkPlans(t, c, 40, []planCase{
		{"a direct-service OPD", "RSUD", mar25, map[apel.Mode]int{apel.WFO: 40}, apel.ModeByDirectService, se, 0, ""},
		{"the fire service", "DAMKAR", mar25, map[apel.Mode]int{apel.WFO: 40}, apel.ModeByDirectService, se, 0, ""},
		{"an OPD not among the eight", "SATPOLPP", mar25, map[apel.Mode]int{apel.WFO: 40}, apel.ModeByNotListed, se, 0, ""},
		{"one of the eight: office unless WFA is approved, 5% of 40", "DISKOMINFO", mar25, map[apel.Mode]int{apel.WFO: 40}, apel.ModeByOverride, se, 2, ""},
		{"Dispendukcapil is one of the eight", "DISPENDUKCAPIL", mar25, map[apel.Mode]int{apel.WFO: 40}, apel.ModeByOverride, se, 2, ""},
		{"cuti bersama Nyepi", "DISKOMINFO", day(2025, time.March, 28), map[apel.Mode]int{"": 40}, apel.ModeByDayOff, "", 0, ""},
		{"the week before", "DISKOMINFO", day(2025, time.March, 18), map[apel.Mode]int{apel.WFO: 40}, apel.ModeByWeekday, "", 0, ""},
	})
	// The 5% is two of forty: a third WFA on the same date is refused.
	staff := presetStaff(c, 40)
	kominfo := opdOf(t, c, "DISKOMINFO")
	var reqs []apel.Request
	for i := 1; i <= 3; i++ {
		reqs = append(reqs, apel.Request{ID: int64(i), EmployeeID: staff[slicesIndex(staff, "DISKOMINFO 1")+i].ID, Kind: apel.RequestWFA,
			From: mar25, To: mar25, Reason: "mudik", Plan: "laporan", Place: "Blitar", Status: apel.RequestApproved})
	}
	reqs[2].Status = apel.RequestPending
	f := apel.Facts{Staff: staff, Requests: reqs}
	if err := c.Policy.CheckApproval(kominfo, reqs[2], f); !isRefusal(err, apel.ReasonQuotaFull) {
		t.Errorf("a third WFA at DISKOMINFO on 25 March 2025 = %v, want quota_full", err)
	}
	if dp := c.Policy.Plan(kominfo, mar25, f); dp.Count(apel.WFA) != 2 || dp.Requests != 2 {
		t.Errorf("plan with two approved WFA: %d WFA, %d requests; want 2 and 2", dp.Count(apel.WFA), dp.Requests)
	}
	// An OPD of 19 has no place at all (5% rounds down).
	small := presetStaff(c, 19)
	one := apel.Request{ID: 9, EmployeeID: small[slicesIndex(small, "DISKOMINFO 2")].ID, Kind: apel.RequestWFA, From: mar25, To: mar25,
		Reason: "x", Plan: "y", Place: "z", Status: apel.RequestPending}
	if err := c.Policy.CheckApproval(kominfo, one, apel.Facts{Staff: small}); !isRefusal(err, apel.ReasonQuotaFull) {
		t.Errorf("WFA in an OPD of 19 = %v, want quota_full", err)
	}
}

func TestPresetKabupatenMalang(t *testing.T) {
	t.Parallel()
	c := preset(t, "kabupaten-malang")
	se := "SE MenPAN-RB No. 2 Tahun 2025"
	mar25 := day(2025, time.March, 25)
	checkPlans(t, c, 20, []planCase{
		{"a direct-service OPD: 10% may be off-site, heads in office", "DINKES", mar25, map[apel.Mode]int{apel.WFO: 20}, apel.ModeByOverride, se, 2, apel.WFO},
		{"another OPD: 20%", "BAPPEDA", mar25, map[apel.Mode]int{apel.WFO: 20}, apel.ModeByOverride, se, 4, apel.WFO},
	})
	staff := presetStaff(c, 20)
	dinkes := opdOf(t, c, "DINKES")
	nurse, head := staff[slicesIndex(staff, "DINKES 3")], staff[slicesIndex(staff, "DINKES 1")]
	wfa := func(e apel.Employee) apel.Request {
		return apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFA, From: mar25, To: mar25, Reason: "x", Plan: "y", Place: "Kepanjen"}
	}
	if err := c.Policy.CheckRequest(dinkes, nurse, wfa(nurse), day(2025, time.March, 20)); err != nil {
		t.Errorf("WFA at a direct-service OPD within its 10%% = %v, want allowed", err)
	}
	if err := c.Policy.CheckRequest(dinkes, head, wfa(head), day(2025, time.March, 20)); !isRefusal(err, apel.ReasonRequestNotAllowed) {
		t.Errorf("WFA by the head of DINKES = %v, want not allowed (heads in office)", err)
	}
	plan := c.Policy.Plan(dinkes, mar25, apel.Facts{Staff: staff})
	if a, _ := plan.Of(head.ID); a.Reason != apel.ModeByRole {
		t.Errorf("head of DINKES = %+v, want WFO by role", a)
	}
}

func TestPresetKotaBatu(t *testing.T) {
	t.Parallel()
	c := preset(t, "kota-batu")
	checkPlans(t, c, 6, []planCase{
		{"around Idul Fitri", "DISKOMINFO", day(2025, time.March, 25), map[apel.Mode]int{apel.WFO: 6}, apel.ModeByFlexibleOff, "", 0, apel.WFO},
		{"any Tuesday", "BKPSDM", day(2026, time.January, 13), map[apel.Mode]int{apel.WFO: 6}, apel.ModeByFlexibleOff, "", 0, apel.WFO},
	})
	staff := presetStaff(c, 6)
	e := staff[slicesIndex(staff, "DISKOMINFO 2")]
	r := apel.Request{EmployeeID: e.ID, Kind: apel.RequestWFA, From: day(2025, time.March, 25), To: day(2025, time.March, 25), Reason: "x", Plan: "y", Place: "z"}
	if err := c.Policy.CheckRequest(opdOf(t, c, "DISKOMINFO"), e, r, day(2025, time.March, 20)); !isRefusal(err, apel.ReasonFlexibleOff) {
		t.Errorf("WFA in Kota Batu = %v, want flexible_off", err)
	}
}

func TestPresetBolaangMongondowSelatan(t *testing.T) {
	t.Parallel()
	c := preset(t, "kabupaten-bolaang-mongondow-selatan")
	ref := "Bupati Bolaang Mongondow Selatan"
	checkPlans(t, c, 7, []planCase{
		{"a Monday: WFA", "BAPPEDA", day(2026, time.January, 12), map[apel.Mode]int{apel.WFA: 7}, apel.ModeByOverride, ref, 7, apel.WFA},
		{"a Tuesday: WFA", "DISKOMINFO", day(2026, time.January, 13), map[apel.Mode]int{apel.WFA: 7}, apel.ModeByOverride, ref, 7, ""},
		{"a Monday: direct service in office", "DINKES", day(2026, time.January, 12), map[apel.Mode]int{apel.WFO: 7}, apel.ModeByDirectService, ref, 0, ""},
		{"a Monday: licensing in office", "DPMPTSP", day(2026, time.January, 12), map[apel.Mode]int{apel.WFO: 7}, apel.ModeByDirectService, ref, 0, ""},
		{"a Wednesday: WFO", "BAPPEDA", day(2026, time.January, 14), map[apel.Mode]int{apel.WFO: 7}, apel.ModeByWeekday, ref, 0, ""},
		{"the first Monday", "SETDA", day(2026, time.January, 5), map[apel.Mode]int{apel.WFA: 7}, apel.ModeByOverride, ref, 7, ""},
		{"a Monday of 2025", "SETDA", day(2025, time.December, 29), map[apel.Mode]int{apel.WFO: 7}, apel.ModeByWeekday, "", 0, ""},
	})
	if !c.Policy.WorkingDay(day(2026, time.January, 12)) || len(c.Policy.Slots(day(2026, time.January, 12))) != 2 {
		t.Errorf("a WFA Monday must hold apel pagi and apel sore")
	}
}

// TestPlanCommand runs `apelbot plan` on a preset with a roster file and
// with a database.
func TestPlanCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	roster := filepath.Join(dir, "roster.csv")
	rows := "NIP;Nama;Kode OPD;Peran;Pegawai Baru\n" +
		"197803132005011001;Rahmat Hidayat;DISKOMINFO;kepala;\n" +
		"197009041994102002;Siti Nurhaliza Umar;DISKOMINFO;staf;\n" +
		"198404022006071003;Fadli Abdullah;DISKOMINFO;staf;ya\n" +
		"198407062012062016;dr. Sarina Hi. Ali;DINKES;kepala;\n"
	if err := os.WriteFile(roster, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join("..", "..", "examples", "kota-ternate.yaml")
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := dispatch(context.Background(), append([]string{"plan", "-config", cfgPath}, args...), &out, &errOut, configEnv(nil)); err != nil {
			t.Fatalf("plan %v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	got := run("-roster", roster, "-date", "2026-01-15")
	for _, want := range []string{
		"Rencana kerja Kota Ternate — Kamis, 15 Januari 2026",
		"DISKOMINFO — Dinas Komunikasi dan Informatika (3 pegawai)",
		"Aturan: WFA (bekerja dari mana saja) — surat edaran yang berlaku; SE Wali Kota Ternate",
		"197009041994102002  Siti Nurhaliza Umar               WFA         surat edaran yang berlaku\n",
		"198404022006071003  Fadli Abdullah                    WFO         pegawai baru atau dalam proses disiplin tetap WFO",
		"DINKES — Dinas Kesehatan (1 pegawai)",
		"Aturan: WFO (bekerja dari kantor) — OPD layanan langsung selalu WFO",
		"dr. Sarina Hi. Ali                WFO         OPD layanan langsung selalu WFO",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plan 2026-01-15 lacks %q:\n%s", want, got)
		}
	}
	if got := run("-roster", roster, "-date", "2026-01-16"); !strings.Contains(got, "Libur nasional: Isra Mikraj Nabi Muhammad SAW") {
		t.Errorf("plan on Isra Mikraj:\n%s", got)
	}
	if got := run("-roster", roster, "-date", "2026-01-15", "-opd", "dinkes"); strings.Contains(got, "DISKOMINFO") || !strings.Contains(got, "DINKES") {
		t.Errorf("plan -opd dinkes:\n%s", got)
	}

	// From the database: the imported roster and an approved leave.
	db := filepath.Join(dir, "plan.db")
	cfg := preset(t, "kota-ternate")
	cfg.Database = db
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer(cfg.Language)
	if err := importRoster(context.Background(), cfg, p, roster, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	s, err := openStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	siti, err := s.EmployeeByNIP(context.Background(), "197009041994102002")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordExcuse(context.Background(), apel.Excuse{EmployeeID: siti.ID, Date: day(2026, time.January, 15), Kind: apel.Sakit, By: 1}, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got = run("-db", db, "-date", "2026-01-15", "-opd", "DISKOMINFO")
	if !strings.Contains(got, "Siti Nurhaliza Umar               sakit       izin/sakit/cuti/dinas luar") || !strings.Contains(got, "izin 1") {
		t.Errorf("plan from the database lacks Siti's sick leave:\n%s", got)
	}
	var errOut bytes.Buffer
	if err := dispatch(context.Background(), []string{"plan", "-config", cfgPath, "-roster", roster, "-opd", "XYZ"}, &bytes.Buffer{}, &errOut, configEnv(nil)); err == nil || !strings.Contains(err.Error(), `unknown OPD "XYZ"`) {
		t.Errorf("plan -opd XYZ = %v, want an unknown OPD error", err)
	}
}

func isRefusal(err error, want apel.Reason) bool {
	got, ok := apel.ReasonOf(err)
	return ok && got == want
}

func slicesIndex(staff []apel.Employee, name string) int {
	for i, e := range staff {
		if e.Name == name {
			return i
		}
	}
	return -1
}
