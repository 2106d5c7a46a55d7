package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// policyYAML is a small pemda with two OPDs; tests append policy keys to it.
const policyYAML = `pemda: Kabupaten Uji
timezone: Asia/Jakarta
schedule:
  days:
    senin:  { pagi: "07:30", sore: "16:00" }
    selasa: { pagi: "07:30", sore: "16:00", mode: WFH, shift: true, quota: 40% }
    rabu:   { pagi: "07:30", sore: "16:00", requests: [WFH] }
    kamis:  { pagi: "07:30", sore: "16:00", mode: WFA }
    jumat:  { pagi: "07:30", sore: "16:30" }
opds:
  - { code: DINKES, name: Dinas Kesehatan, office: { lat: -8.1, lon: 112.6 }, direct_service: true }
  - { code: BAPPEDA, name: Bappeda, office: { lat: -8.2, lon: 112.6 } }
`

func TestParseConfigPolicy(t *testing.T) {
	t.Parallel()
	data := policyYAML + `policy:
  flexible_work: true
  weekly_cap: 3
  quota: { other: 20%, direct_service: 10% }
  escalation: { abroad: true, cuti: true, approvers: ["19700101 200003 1 009"] }
  overrides:
    - name: Nyepi dan Idul Fitri
      reference: SE Bupati No. 1 Tahun 2025
      from: 2025-03-24
      to: 2025-03-27
      mode: WFO
      requests: [WFH, WFA]
      heads_in_office: true
      opds: [bappeda]
    - name: Jadwal 2026
      reference: SE Bupati No. 2 Tahun 2026
      from: 2026-01-05
      days:
        jumat: { mode: WFA, quota: 50% }
`
	c, err := ParseConfig([]byte(data), nil)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	p := c.Policy
	if p.NoFlexibleWork || p.WeeklyCap != 3 {
		t.Errorf("flexible work off %v, weekly cap %d; want on and 3", p.NoFlexibleWork, p.WeeklyCap)
	}
	if diff := cmp.Diff(&apel.Quota{Percent: 20, DirectService: 10, DirectJoins: true}, p.Quota); diff != "" {
		t.Errorf("quota mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(apel.Escalation{Abroad: true, Cuti: true, NIPs: []string{"197001012000031009"}}, p.Escalation); diff != "" {
		t.Errorf("escalation mismatch (-want +got):\n%s", diff)
	}
	tue := p.Days[time.Tuesday]
	if !tue.Shift || tue.Mode != apel.WFH || tue.Quota == nil || tue.Quota.Percent != 40 {
		t.Errorf("selasa = %+v, want a WFH shift day with a 40%% quota", tue)
	}
	if wed := p.Days[time.Wednesday]; wed.Mode != apel.WFO || !cmp.Equal(wed.Requests, []apel.Mode{apel.WFH}) {
		t.Errorf("rabu = %+v, want WFO taking WFH requests", wed)
	}
	want := []apel.Override{{
		Name: "Nyepi dan Idul Fitri", Reference: "SE Bupati No. 1 Tahun 2025",
		From: apel.Date{Year: 2025, Month: time.March, Day: 24}, To: apel.Date{Year: 2025, Month: time.March, Day: 27},
		OPDs: []string{"BAPPEDA"}, HeadsInOffice: true,
		Work: &apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFH, apel.WFA}},
	}, {
		Name: "Jadwal 2026", Reference: "SE Bupati No. 2 Tahun 2026", From: apel.Date{Year: 2026, Month: time.January, Day: 5},
		Days: map[time.Weekday]apel.Work{time.Friday: {Mode: apel.WFA, Quota: &apel.Quota{Percent: 50}}},
	}}
	if diff := cmp.Diff(want, p.Overrides); diff != "" {
		t.Errorf("overrides mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(c.String(), "flexible_work=true weekly_cap=3 overrides=2") {
		t.Errorf("String() = %s, want the policy summary", c.String())
	}
}

func TestParseConfigPolicySwitches(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(policyYAML+"policy:\n  flexible_work: false\n  weekly_cap: 0\nschedule_extra: x\n"), nil)
	if err == nil {
		t.Fatalf("ParseConfig with an unknown top-level key = %+v, want an error", c.Policy)
	}
	c, err = ParseConfig([]byte(policyYAML+"policy:\n  flexible_work: false\n  weekly_cap: 0\n"), nil)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	if !c.Policy.NoFlexibleWork || c.Policy.WeeklyCap != 0 {
		t.Errorf("flexible_work false, weekly_cap 0 = off %v, cap %d; want off and no cap", c.Policy.NoFlexibleWork, c.Policy.WeeklyCap)
	}
	// Without the shipped holidays, only the pemda's own.
	c, err = ParseConfig([]byte(strings.Replace(policyYAML, "schedule:\n", "schedule:\n  national_holidays: false\n  holidays:\n    - { date: 2026-04-27, name: HUT Kabupaten }\n    - { date: 2026-04-28, name: Cuti HUT, kind: cuti_bersama }\n", 1)), nil)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	wantHolidays := map[apel.Date]apel.Holiday{
		{Year: 2026, Month: time.April, Day: 27}: {Date: apel.Date{Year: 2026, Month: time.April, Day: 27}, Name: "HUT Kabupaten", Kind: apel.NationalHoliday, Source: "config"},
		{Year: 2026, Month: time.April, Day: 28}: {Date: apel.Date{Year: 2026, Month: time.April, Day: 28}, Name: "Cuti HUT", Kind: apel.CutiBersama, Source: "config"},
	}
	if diff := cmp.Diff(wantHolidays, c.Policy.Holidays); diff != "" {
		t.Errorf("holidays mismatch (-want +got):\n%s", diff)
	}
}

// TestParseConfigPolicyErrors checks that a bad policy is refused with a
// message that names the key.
func TestParseConfigPolicyErrors(t *testing.T) {
	t.Parallel()
	override := func(body string) string {
		return policyYAML + "policy:\n  overrides:\n    - reference: SE 1\n      from: 2025-12-29\n      to: 2025-12-31\n" + body
	}
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"quota over 100%", policyYAML + "policy:\n  quota: 150%\n", "policy.quota: 150%: want 0% to 100%"},
		{"quota not a number", policyYAML + "policy:\n  quota: banyak\n", `policy.quota: invalid share "banyak"`},
		{"direct-service quota over 100%", policyYAML + "policy:\n  quota: { other: 20%, direct_service: 110 }\n", "policy.quota.direct_service: 110: want 0% to 100%"},
		{"quota mapping without other", policyYAML + "policy:\n  quota: { direct_service: 10% }\n", "policy.quota.other: missing"},
		{"quota mapping with an unknown key", policyYAML + "policy:\n  quota: { others: 10% }\n", "others"},
		{"weekday quota over 100%", strings.Replace(policyYAML, "quota: 40%", "quota: 101%", 1), "schedule.days.selasa.quota: 101%: want 0% to 100%"},
		{"a shift day in office", strings.Replace(policyYAML, `senin:  { pagi: "07:30", sore: "16:00" }`, `senin:  { pagi: "07:30", sore: "16:00", shift: true }`, 1), "schedule.days.senin.shift: a shift day needs mode WFH or WFA"},
		{"requests for WFO", strings.Replace(policyYAML, "requests: [WFH]", "requests: [WFO]", 1), `schedule.days.rabu.requests[0]: "WFO": want WFH or WFA`},
		{"an unknown weekday", strings.Replace(policyYAML, "jumat:", "jumaat:", 1), "schedule.days.jumaat: unknown weekday"},
		{"a weekly cap that is no number", policyYAML + "policy:\n  weekly_cap: dua\n", `policy.weekly_cap: "dua"`},
		{"a weekly cap over 7", policyYAML + "policy:\n  weekly_cap: 8\n", `policy.weekly_cap: "8"`},
		{"flexible_work not a switch", policyYAML + "policy:\n  flexible_work: mungkin\n", `policy.flexible_work: "mungkin"`},
		{"an approver NIP that is not one", policyYAML + "policy:\n  escalation: { approvers: [123] }\n", `policy.escalation.approvers[0]: "123"`},
		{"overlapping overrides", policyYAML + `policy:
  overrides:
    - { reference: SE 1, from: 2025-12-29, to: 2025-12-31, mode: WFO, requests: [WFH] }
    - { reference: SE 2, from: 2025-12-31, to: 2026-01-02, mode: WFA }
`, "policy.overrides[1]: 2025-12-31 to 2026-01-02 overlaps overrides[0] (2025-12-29 to 2025-12-31)"},
		{"an override for an unknown OPD", override("      mode: WFO\n      opds: [DINKES, XYZ]\n"), `policy.overrides[0].opds[1]: unknown OPD "XYZ"`},
		{"an override for an unknown weekday", override("      days: { funday: { mode: WFA } }\n"), "policy.overrides[0].days.funday: unknown weekday"},
		{"an override with a bad mode", override("      mode: WFX\n"), `policy.overrides[0].mode: unknown mode "WFX"`},
		{"an override without a rule", override(""), "policy.overrides[0]: no rule"},
		{"an override without a reference", policyYAML + "policy:\n  overrides:\n    - { from: 2025-12-29, mode: WFO }\n", "policy.overrides[0].reference: missing"},
		{"an override without from", policyYAML + "policy:\n  overrides:\n    - { reference: SE 1, mode: WFO }\n", "policy.overrides[0].from: missing"},
		{"an override ending before it starts", policyYAML + "policy:\n  overrides:\n    - { reference: SE 1, from: 2025-12-31, to: 2025-12-29, mode: WFO }\n", "policy.overrides[0]: to 2025-12-29 is before from 2025-12-31"},
		{"an override quota over 100%", override("      mode: WFO\n      requests: [WFA]\n      quota: 105%\n"), "policy.overrides[0].quota: 105%"},
		{"a holiday of an unknown kind", strings.Replace(policyYAML, "schedule:\n", "schedule:\n  holidays: [{ date: 2026-04-27, name: HUT, kind: daerah }]\n", 1), `schedule.holidays[0].kind: "daerah"`},
		{"a holiday without a name", strings.Replace(policyYAML, "schedule:\n", "schedule:\n  holidays: [{ date: 2026-04-27 }]\n", 1), "schedule.holidays[0].name: missing"},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.yaml), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ParseConfig = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestWarnMissingHolidays(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(policyYAML), nil)
	if err != nil {
		t.Fatal(err)
	}
	warned := func(p apel.Policy, now time.Time) bool {
		var buf strings.Builder
		warnMissingHolidays(zerolog.New(&buf), p, now)
		return strings.Contains(buf.String(), "no national holidays for next year")
	}
	jkt := c.Policy.Location
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"November 2025: too early to ask for 2026", time.Date(2025, time.November, 30, 12, 0, 0, 0, jkt), false},
		{"December 2025: 2026 is shipped", time.Date(2025, time.December, 1, 8, 0, 0, 0, jkt), false},
		{"December 2026: nothing for 2027", time.Date(2026, time.December, 1, 8, 0, 0, 0, jkt), true},
	}
	for _, tt := range tests {
		if got := warned(c.Policy, tt.now); got != tt.want {
			t.Errorf("%s: warned %v, want %v", tt.name, got, tt.want)
		}
	}
	// The operator's own additions for the next year are enough.
	p := c.Policy
	p.Holidays = map[apel.Date]apel.Holiday{{Year: 2027, Month: time.January, Day: 1}: {Name: "Tahun Baru", Kind: apel.NationalHoliday}}
	if warned(p, time.Date(2026, time.December, 2, 8, 0, 0, 0, jkt)) {
		t.Errorf("warned although the config lists a 2027 holiday")
	}
}
