package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/holidays"
)

// configEnv returns a getenv backed by m.
func configEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// cmpConfig compares zones by name: *time.Location has unexported fields.
var cmpConfig = cmp.Comparer(func(a, b *time.Location) bool {
	return a.String() == b.String()
})

func configZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// shippedHolidays returns the built-in national holidays, by date, with
// extra added.
func shippedHolidays(t *testing.T, extra ...apel.Holiday) map[apel.Date]apel.Holiday {
	t.Helper()
	hs, err := holidays.Load()
	if err != nil {
		t.Fatalf("holidays.Load: %v", err)
	}
	out := make(map[apel.Date]apel.Holiday, len(hs)+len(extra))
	for _, h := range append(hs, extra...) {
		out[h.Date] = h
	}
	return out
}

func TestLoadConfigExample(t *testing.T) {
	t.Parallel()
	got, err := LoadConfig("../../config.example.yaml", configEnv(nil))
	if err != nil {
		t.Fatalf("LoadConfig(config.example.yaml): %v", err)
	}
	day := func(sore apel.Clock, m apel.Mode) apel.DayRule {
		return apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: sore, Mode: m}
	}
	shift := func(r apel.DayRule) apel.DayRule { r.Shift = true; return r }
	dec31 := apel.Date{Year: 2026, Month: time.December, Day: 31}
	s1600, s1630 := apel.Clock{Hour: 16}, apel.Clock{Hour: 16, Minute: 30}
	want := Config{
		Pemda:  "Kota Ternate",
		BKPSDM: "BKPSDM Kota Ternate",
		Policy: apel.Policy{
			Location: configZone(t, "Asia/Jayapura"),
			Days: map[time.Weekday]apel.DayRule{
				time.Monday:    day(s1600, apel.WFO),
				time.Tuesday:   shift(day(s1600, apel.WFH)),
				time.Wednesday: shift(day(s1600, apel.WFH)),
				time.Thursday:  day(s1600, apel.WFA),
				time.Friday:    day(s1630, apel.WFO),
			},
			Window: apel.Window{
				OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute,
				CloseAfter: time.Hour, RemindBefore: 15 * time.Minute,
			},
			RadiusM: 100,
			OffDays: map[apel.Date]string{
				{Year: 2026, Month: time.December, Day: 29}: "HUT Kota Ternate",
			},
			Holidays:      shippedHolidays(t, apel.Holiday{Date: dec31, Name: "Cuti bersama tambahan (contoh)", Kind: apel.CutiBersama, Source: "config"}),
			HeadsInOffice: true,
			WeeklyCap:     2,
			Escalation:    apel.Escalation{Abroad: true},
			Overrides: []apel.Override{{
				Name: "Contoh: kerja fleksibel akhir tahun", Reference: "SE Wali Kota Ternate (contoh)",
				From: apel.Date{Year: 2026, Month: time.December, Day: 28}, To: apel.Date{Year: 2026, Month: time.December, Day: 30},
				Work: &apel.Work{Mode: apel.WFO, Requests: []apel.Mode{apel.WFH, apel.WFA}, Quota: &apel.Quota{Percent: 20}},
			}},
		},
		OPDs: []apel.OPD{
			{Code: "SETDA", Name: "Sekretariat Daerah", Office: apel.Point{Lat: 0.7889, Lon: 127.3853}},
			{Code: "BKPSDM", Name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", Office: apel.Point{Lat: 0.7871, Lon: 127.3819}},
			{Code: "DISKOMINFO", Name: "Dinas Komunikasi, Informatika dan Persandian", Office: apel.Point{Lat: 0.7905, Lon: 127.3842}},
			{Code: "BAPPEDA", Name: "Badan Perencanaan Pembangunan Daerah", Office: apel.Point{Lat: 0.7932, Lon: 127.3866}},
			{Code: "DINKES", Name: "Dinas Kesehatan", Office: apel.Point{Lat: 0.7818, Lon: 127.3797}, DirectService: true},
		},
		Report:       ReportConfig{BKPSDMChat: -1001234567890, Recipients: []int64{-1009876543210}, Threshold: 0.85},
		Language:     "id",
		HomeApprover: apel.ApproveByHead,
		Database:     "apelbot.db",
		Telegram:     TelegramConfig{APIURL: "https://api.telegram.org", PollTimeout: 30 * time.Second, OutageThreshold: 3 * time.Minute},
		Log:          LogConfig{Level: "info", Format: "json"},
	}
	want.ShutdownTimeout, want.Privacy = 20*time.Second, PrivacyConfig{Retention: 90 * 24 * time.Hour}
	want.CheckIn = CheckInConfig{Live: apel.LiveRules{}.WithDefaults(), Flags: apel.DefaultFlagRules()}
	want.Replicas = ReplicasConfig{LeaseTTL: 15 * time.Second, LeaseRenew: 5 * time.Second, OutboxPoll: 250 * time.Millisecond}
	if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
		t.Errorf("LoadConfig(config.example.yaml) mismatch (-want +got):\n%s", diff)
	}
	if err := got.RequireToken(); err == nil {
		t.Errorf("RequireToken() without %s = nil, want an error", envToken)
	}

	// The example is Kota Ternate's policy: Thursday is WFA, Dinas Kesehatan
	// always WFO, and Isra Mikraj (a Friday, a national holiday) has no apel.
	thu := apel.Date{Year: 2026, Month: time.January, Day: 15}
	staff := apel.Employee{ID: 1, NIP: "199001012015031001", Active: true}
	if a := got.Policy.ModeOf(got.OPDs[2], staff, thu); a.Mode != apel.WFA {
		t.Errorf("ModeOf(DISKOMINFO, %s) = %v, want WFA", thu, a)
	}
	if a := got.Policy.ModeOf(got.OPDs[4], staff, thu); a.Mode != apel.WFO || a.Reason != apel.ModeByDirectService {
		t.Errorf("ModeOf(DINKES, %s) = %v, want WFO by direct service", thu, a)
	}
	if isra := thu.AddDays(1); got.Policy.WorkingDay(isra) || got.Policy.DayOff(isra) != apel.OffHoliday {
		t.Errorf("DayOff(%s) = %q, want a national holiday (Isra Mikraj)", isra, got.Policy.DayOff(isra))
	}
	slot, ok := got.Policy.Slot(thu, apel.Pagi)
	if wantAt := "2026-01-15T07:30:00+09:00"; !ok || slot.Apel.Format(time.RFC3339) != wantAt {
		t.Errorf("Slot(%s, pagi) = %v, %v; want apel at %s", thu, slot.Apel, ok, wantAt)
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	got, err := LoadConfig("testdata/config/minimal.yaml", configEnv(nil))
	if err != nil {
		t.Fatalf("LoadConfig(minimal.yaml): %v", err)
	}
	want := Config{
		Pemda:  "Kota Batu",
		BKPSDM: "BKPSDM Kota Batu",
		Policy: apel.Policy{
			Location: configZone(t, "Asia/Jakarta"),
			Days:     defaultDays(),
			Window: apel.Window{
				OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute,
				CloseAfter: 60 * time.Minute, RemindBefore: 15 * time.Minute,
			},
			RadiusM:   100,
			OffDays:   map[apel.Date]string{},
			Holidays:  shippedHolidays(t),
			WeeklyCap: 2,
		},
		OPDs:         []apel.OPD{{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: apel.Point{Lat: -7.8712, Lon: 112.5265}}},
		Language:     "id",
		HomeApprover: apel.ApproveByHead,
		Database:     "apelbot.db",
		Telegram:     TelegramConfig{APIURL: "https://api.telegram.org", PollTimeout: 30 * time.Second, OutageThreshold: 3 * time.Minute},
		Log:          LogConfig{Level: "info", Format: "json"},
	}
	want.ShutdownTimeout, want.Privacy = 20*time.Second, PrivacyConfig{Retention: 90 * 24 * time.Hour}
	want.CheckIn = CheckInConfig{Live: apel.LiveRules{}.WithDefaults(), Flags: apel.DefaultFlagRules()}
	want.Replicas = ReplicasConfig{LeaseTTL: 15 * time.Second, LeaseRenew: 5 * time.Second, OutboxPoll: 250 * time.Millisecond}
	if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
		t.Errorf("LoadConfig(minimal.yaml) mismatch (-want +got):\n%s", diff)
	}
	wantDays := map[time.Weekday]string{
		time.Monday: "07:30-16:00", time.Tuesday: "07:30-16:00", time.Wednesday: "07:30-16:00",
		time.Thursday: "07:30-16:00", time.Friday: "07:30-16:30",
	}
	gotDays := make(map[time.Weekday]string)
	for wd, r := range got.Policy.Days {
		if r.Mode != apel.WFO {
			t.Errorf("default %s mode = %s, want WFO", wd, r.Mode)
		}
		gotDays[wd] = r.Pagi.String() + "-" + r.Sore.String()
	}
	if diff := cmp.Diff(wantDays, gotDays); diff != "" {
		t.Errorf("default days mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadConfigIndonesianDays(t *testing.T) {
	t.Parallel()
	got, err := LoadConfig("testdata/config/indonesian.yaml", configEnv(nil))
	if err != nil {
		t.Fatalf("LoadConfig(indonesian.yaml): %v", err)
	}
	pagi := apel.Clock{Hour: 7, Minute: 30}
	wantDays := map[time.Weekday]apel.DayRule{
		time.Monday:    {Pagi: pagi, Sore: apel.Clock{Hour: 16}, Mode: apel.WFA},
		time.Tuesday:   {Pagi: pagi, Sore: apel.Clock{Hour: 16}, Mode: apel.WFA},
		time.Wednesday: {Pagi: pagi, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO},
		time.Thursday:  {Pagi: pagi, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO},
		time.Friday:    {Pagi: pagi, Sore: apel.Clock{Hour: 16, Minute: 30}, Mode: apel.WFO},
	}
	if diff := cmp.Diff(wantDays, got.Policy.Days); diff != "" {
		t.Errorf("days mismatch (-want +got):\n%s", diff)
	}
	wantWindow := apel.Window{OpenBefore: 10 * time.Minute, LateAfter: 10 * time.Minute, CloseAfter: 45 * time.Minute, RemindBefore: 10 * time.Minute}
	if got.Policy.Window != wantWindow {
		t.Errorf("window = %+v, want %+v", got.Policy.Window, wantWindow)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"timezone", got.Policy.Location.String(), "Asia/Makassar"},
		{"radius", got.Policy.RadiusM, 150.0},
		{"heads in office", got.Policy.HeadsInOffice, true},
		{"language", got.Language, "en"},
		{"home approver", got.HomeApprover, apel.ApproveByBKPSDM},
		{"api url (trailing slash trimmed)", got.Telegram.APIURL, "http://botapi.internal:8081"},
		{"poll timeout", got.Telegram.PollTimeout, 50 * time.Second},
		{"report", fmt.Sprint(got.Report), fmt.Sprint(ReportConfig{Recipients: []int64{-1001111111111, 222222222}})},
		{"log", got.Log, LogConfig{Level: "debug", Format: "console"}},
		{"opds", len(got.OPDs), 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseConfigEnvironment(t *testing.T) {
	t.Parallel()
	data := []byte(configBaseYAML + "database: /var/lib/apelbot/file.db\ntelegram:\n  api_url: https://file.example\nlog:\n  level: warn\n")
	tests := []struct {
		name string
		env  map[string]string
		want func(c Config) any
		exp  any
	}{
		{"token only from env", map[string]string{envToken: " 123:abc\n"}, func(c Config) any { return c.Telegram.Token }, "123:abc"},
		{"no token", nil, func(c Config) any { return c.Telegram.Token }, ""},
		{"file api url", nil, func(c Config) any { return c.Telegram.APIURL }, "https://file.example"},
		{"env api url overrides file", map[string]string{envAPIURL: "http://127.0.0.1:8081/"}, func(c Config) any { return c.Telegram.APIURL }, "http://127.0.0.1:8081"},
		{"file database", nil, func(c Config) any { return c.Database }, "/var/lib/apelbot/file.db"},
		{"env database overrides file", map[string]string{envDatabase: "/tmp/x.db"}, func(c Config) any { return c.Database }, "/tmp/x.db"},
		{"env database URL overrides both", map[string]string{envDatabase: "/tmp/x.db", envDatabaseURL: "postgres://db.example/apel"},
			func(c Config) any { return c.Database }, "postgres://db.example/apel"},
		{"env sqlite: URL", map[string]string{envDatabaseURL: "sqlite:/tmp/y.db"}, func(c Config) any { return c.Database }, "sqlite:/tmp/y.db"},
		{"env log level overrides file", map[string]string{envLogLevel: "DEBUG"}, func(c Config) any { return c.Log.Level }, "debug"},
		{"env log format", map[string]string{envLogFormat: "console"}, func(c Config) any { return c.Log.Format }, "console"},
		{"file log level", nil, func(c Config) any { return c.Log.Level }, "warn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseConfig(data, configEnv(tt.env))
			if err != nil {
				t.Fatalf("ParseConfig(env %v): %v", tt.env, err)
			}
			if got := tt.want(c); got != tt.exp {
				t.Errorf("ParseConfig(env %v): got %v, want %v", tt.env, got, tt.exp)
			}
		})
	}

	t.Run("database URL of another engine", func(t *testing.T) {
		t.Parallel()
		_, err := ParseConfig([]byte(configBaseYAML), configEnv(map[string]string{envDatabaseURL: "mysql://u:pw@h/db"}))
		if err == nil || !strings.Contains(err.Error(), `database: "mysql://": unsupported`) || strings.Contains(err.Error(), "pw") {
			t.Errorf("ParseConfig(%s=mysql://...) error = %v, want database: \"mysql://\": unsupported, without the password", envDatabaseURL, err)
		}
	})
	t.Run("nil getenv", func(t *testing.T) {
		t.Parallel()
		c, err := ParseConfig([]byte(configBaseYAML), nil)
		if err != nil || c.Telegram.Token != "" || c.Database != "apelbot.db" {
			t.Errorf("ParseConfig(nil getenv) = token %q, db %q, %v; want no token, apelbot.db, nil", c.Telegram.Token, c.Database, err)
		}
	})
	t.Run("bad env values name the variable", func(t *testing.T) {
		t.Parallel()
		_, err := ParseConfig([]byte(configBaseYAML), configEnv(map[string]string{envAPIURL: "botapi:8081", envLogLevel: "verbose", envLogFormat: "xml"}))
		for _, want := range []string{envAPIURL, envLogLevel + `: "verbose"`, envLogFormat + `: "xml"`} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ParseConfig(bad env) error = %v, want it to mention %q", err, want)
			}
		}
	})
}

func TestConfigStringRedactsToken(t *testing.T) {
	t.Parallel()
	const token = "7654321:AAH-secret_token-value"
	c, err := ParseConfig([]byte(configBaseYAML), configEnv(map[string]string{envToken: token}))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(c.Telegram)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"String":                   c.String(),
		"%v":                       fmt.Sprintf("%v", c),
		"%+v":                      fmt.Sprintf("%+v", c),
		"%#v":                      fmt.Sprintf("%#v", c),
		"%v of Telegram":           fmt.Sprintf("%v", c.Telegram),
		"%+v of Telegram":          fmt.Sprintf("%+v", c.Telegram),
		"%#v of Telegram":          fmt.Sprintf("%#v", c.Telegram),
		"%v of pointer":            fmt.Sprintf("%v", &c),
		"json.Marshal of Telegram": string(js),
		"%s of []Config":           fmt.Sprintf("%s", []Config{c}),
		"%+v of Telegram *":        fmt.Sprintf("%+v", &c.Telegram),
	}
	for name, out := range outputs {
		if strings.Contains(out, token) || strings.Contains(out, "secret") {
			t.Errorf("%s contains the token: %s", name, out)
		}
	}
	c.Database = "postgres://apel:hunter2@db.example:5432/apel?sslmode=require&password=hunter3"
	if s := c.String(); strings.Contains(s, "hunter") || !strings.Contains(s, "db.example") {
		t.Errorf("String() with a database URL = %s, want its host without its passwords", s)
	}
	if s := c.String(); !strings.Contains(s, "telegram.token=***") || !strings.Contains(s, `pemda="Kota Uji"`) {
		t.Errorf("String() = %s, want pemda and telegram.token=***", s)
	}
	c.Telegram.Token = ""
	if s := c.String(); !strings.Contains(s, "telegram.token= ") {
		t.Errorf("String() without token = %s, want telegram.token= (empty)", s)
	}
	if s := (Config{}).String(); !strings.Contains(s, "timezone= ") {
		t.Errorf("zero Config String() = %s, want an empty timezone", s)
	}
}

func TestRequireToken(t *testing.T) {
	t.Parallel()
	if err := (Config{}).RequireToken(); err == nil || err.Error() != "TELEGRAM_BOT_TOKEN is not set" {
		t.Errorf("RequireToken() without token = %v, want TELEGRAM_BOT_TOKEN is not set", err)
	}
	c, err := ParseConfig([]byte(configBaseYAML), configEnv(map[string]string{envToken: "1:x"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RequireToken(); err != nil {
		t.Errorf("RequireToken() with token = %v, want nil", err)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig("testdata/config/does-not-exist.yaml", configEnv(nil))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadConfig(missing file) = %v, want fs.ErrNotExist", err)
	}
}

// configBaseYAML is the base that TestParseConfigErrors breaks one way at a time.
const configBaseYAML = `pemda: Kota Uji
timezone: Asia/Makassar
schedule:
  radius_m: 100
  days:
    monday: { pagi: "07:30", sore: "16:00", mode: WFO }
  off_days:
    - { date: 2026-01-16, name: "Isra Mikraj" }
opds:
  - code: DINKES
    name: Dinas Kesehatan
    office: { lat: 0.79, lon: 127.38 }
report:
  bkpsdm_chat: -1001
`

func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	opd := "\n  - code: %s\n    name: Dinas %[1]s\n    office: { lat: 0.78, lon: 127.37 }"
	tests := []struct {
		name     string
		old, new string   // configBaseYAML with old replaced by new
		want     []string // substrings of the error
	}{
		{"unknown time zone", "Asia/Makassar", "Asia/Jakrta", []string{`timezone: unknown time zone "Asia/Jakrta"`}},
		{"missing time zone", "timezone: Asia/Makassar\n", "", []string{"timezone: missing"}},
		{"host-dependent zone", "Asia/Makassar", "Local", []string{`timezone: "Local"`}},
		{"hour out of range", `pagi: "07:30"`, `pagi: "25:00"`, []string{"schedule.days.monday.pagi: ", "25:00"}},
		{"time without colon", `sore: "16:00"`, `sore: "4pm"`, []string{`schedule.days.monday.sore: invalid time "4pm"`}},
		{"missing apel sore", `, sore: "16:00"`, "", []string{"schedule.days.monday.sore: missing"}},
		{"duplicate OPD code", "opds:", "opds:" + fmt.Sprintf(opd, "DINKES") + fmt.Sprintf(opd, "DISDIK"), []string{`opds[2].code: duplicate code "DINKES"`}},
		{"misspelt key with its line", "radius_m: 100", "raduis: 100", []string{`[4:3] unknown field "raduis"`}},
		{"unknown key in an OPD", "    name: Dinas Kesehatan\n", "    name: Dinas Kesehatan\n    adress: Jl. Pahlawan\n", []string{`[12:5] unknown field "adress"`}},
		{"token in the file", "report:", "telegram:\n  token: 123:secret\nreport:", []string{"telegram.token: not allowed", envToken}},
		{"unknown mode", "mode: WFO", "mode: WFX", []string{"schedule.days.monday.mode", `"WFX"`}},
		{"unknown weekday", "monday:", "funday:", []string{"schedule.days.funday: unknown weekday"}},
		{"same day twice", "    monday:", "    senin: { pagi: \"07:30\", sore: \"16:00\" }\n    monday:", []string{"schedule.days.senin: same day as monday"}},
		{"no days at all", "  days:\n    monday: { pagi: \"07:30\", sore: \"16:00\", mode: WFO }\n", "  days: {}\n", []string{"schedule.days: empty"}},
		{"unsupported language", "pemda: Kota Uji\n", "pemda: Kota Uji\nlanguage: fr\n", []string{`language: "fr" is not supported: want id or en`}},
		{"overlapping windows", `sore: "16:00"`, `sore: "08:00"`, []string{"schedule.days.monday: ", "overlaps"}},
		{"late after close", "radius_m: 100", "radius_m: 100\n  window: { late_after: 2h }", []string{"schedule: window: late_after"}},
		{"bad duration", "radius_m: 100", "radius_m: 100\n  window: { open_before: 15 }", []string{"schedule.window.open_before", `"15"`}},
		{"no OPDs", "opds:\n  - code: DINKES\n    name: Dinas Kesehatan\n    office: { lat: 0.79, lon: 127.38 }\n", "", []string{"opds: missing"}},
		{"empty OPD list", "opds:\n  - code: DINKES\n    name: Dinas Kesehatan\n    office: { lat: 0.79, lon: 127.38 }\n", "opds: []\n", []string{"opds: missing"}},
		{"lower-case OPD code", "code: DINKES", "code: dinkes", []string{`opds[0]: code "dinkes"`}},
		{"OPD without office", "    office: { lat: 0.79, lon: 127.38 }\n", "", []string{"opds[0]: ", "office"}},
		{"zero radius", "radius_m: 100", "radius_m: 0", []string{"schedule.radius_m: "}},
		{"radius not a number", "radius_m: 100", "radius_m: seratus", []string{`schedule.radius_m: invalid number "seratus": invalid syntax`}},
		{"home point approver", "pemda: Kota Uji\n", "pemda: Kota Uji\nhome_point_approver: kepala\n", []string{`home_point_approver: "kepala" is not supported`}},
		{"zero BKPSDM chat", "bkpsdm_chat: -1001", "bkpsdm_chat: 0", []string{"report.bkpsdm_chat: chat id must not be 0"}},
		{"fractional chat id", "bkpsdm_chat: -1001", "bkpsdm_chat: -1001.5", []string{`report.bkpsdm_chat: invalid chat id "-1001.5"`}},
		{"chat id out of range", "bkpsdm_chat: -1001", "bkpsdm_chat: -99999999999999999999", []string{"report.bkpsdm_chat: invalid chat id", "out of range"}},
		{"duplicate recipient", "bkpsdm_chat: -1001", "bkpsdm_chat: -1001\n  recipients: [-1002, \"-1002\"]", []string{"report.recipients[1]: duplicate chat id -1002"}},
		{"recipients not a list", "bkpsdm_chat: -1001", "bkpsdm_chat: -1001\n  recipients: -1002", []string{"[15:15]", "sequence"}},
		{"latitude not a number", "lat: 0.79", "lat: utara", []string{`opds[0].office.lat: invalid number "utara"`}},
		{"longitude missing", "lat: 0.79, lon: 127.38", "lat: 0.79", []string{"opds[0].office.lon: missing"}},
		{"latitude out of range", "lat: 0.79", "lat: 127.38", []string{"opds[0].office: invalid latitude 127.38"}},
		{"heads in office not a switch", "pemda: Kota Uji\n", "pemda: Kota Uji\nheads_in_office: ya\n", []string{`heads_in_office: "ya" is not supported: want true or false`}},
		{"direct service not a switch", "    name: Dinas Kesehatan\n", "    name: Dinas Kesehatan\n    direct_service: 1\n", []string{`opds[0].direct_service: "1" is not supported`}},
		{"radius NaN", "radius_m: 100", "radius_m: .nan", []string{`schedule.radius_m: invalid number ".nan"`}},
		{"radius too large", "radius_m: 100", "radius_m: 1e6", []string{"schedule.radius_m: ", "at most"}},
		{"zero recipient", "bkpsdm_chat: -1001", "bkpsdm_chat: -1001\n  recipients: [-1002, 0]", []string{"report.recipients[1]: chat id must not be 0"}},
		{"bad off day", "2026-01-16", "2026-02-30", []string{"schedule.off_days[0].date", "2026-02-30"}},
		{"missing pemda", "pemda: Kota Uji\n", "", []string{"pemda: missing"}},
		{"bad API URL", "pemda: Kota Uji\n", "pemda: Kota Uji\ntelegram: { api_url: \"api.telegram.org\" }\n", []string{`telegram.api_url: invalid URL "api.telegram.org"`}},
		{"bad log format", "pemda: Kota Uji\n", "pemda: Kota Uji\nlog: { format: xml }\n", []string{`log.format: "xml" is not supported`}},
		{"duplicate key", "pemda: Kota Uji\n", "pemda: Kota Uji\npemda: Kota Lain\n", []string{`[2:1] mapping key "pemda" already defined`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(configBaseYAML, tt.old) {
				t.Fatalf("configBaseYAML does not contain %q", tt.old)
			}
			data := strings.Replace(configBaseYAML, tt.old, tt.new, 1)
			_, err := ParseConfig([]byte(data), configEnv(nil))
			if err == nil {
				t.Fatalf("ParseConfig(%s) = nil error, want one mentioning %q", data, tt.want)
			}
			t.Logf("error: %v", err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseConfig(%s):\ngot error  %v\nwant it to mention %q", data, err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error echoes the token: %v", err)
			}
		})
	}
}

func TestParseConfigReportsEveryError(t *testing.T) {
	t.Parallel()
	data := strings.NewReplacer("Asia/Makassar", "Mars/Olympus", `"16:00"`, `"16:61"`, "code: DINKES", "code: ''").Replace(configBaseYAML)
	_, err := ParseConfig([]byte(data), configEnv(nil))
	if err == nil {
		t.Fatal("ParseConfig(three mistakes) = nil error")
	}
	lines := regexp.MustCompile(`(?m)^(timezone|schedule\.days\.monday\.sore|opds\[0\]): `).FindAllString(err.Error(), -1)
	if len(lines) != 3 {
		t.Errorf("ParseConfig(three mistakes) error:\n%v\nwant one line each for timezone, schedule.days.monday.sore and opds[0]", err)
	}
}
