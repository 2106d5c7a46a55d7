package locales

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // zones resolve even where the system has no tz database

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the shipped catalogues sorted by key with a two-space indent")

// mustLoad loads the shipped catalogues or stops the test.
func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load() error:\n%v", err)
	}
	return c
}

// mustZone loads an IANA zone or stops the test.
func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func TestLoad(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	if diff := cmp.Diff([]string{"id", "en"}, c.Languages()); diff != "" {
		t.Errorf("Languages() mismatch (-want +got):\n%s", diff)
	}
	for _, lang := range []string{"id", "en"} {
		if !c.Has(lang) {
			t.Errorf("Has(%q) = false, want true", lang)
		}
	}
	for _, lang := range []string{"", "en-US", "fr", "ID"} {
		if c.Has(lang) {
			t.Errorf("Has(%q) = true, want false", lang)
		}
	}
	keys := c.Keys()
	for _, key := range []string{"common.error", "common.unknown_command", "format.datetime", "weekday.0", "month.12"} {
		if !slices.Contains(keys, key) {
			t.Errorf("Keys() lacks %q", key)
		}
	}
	keys[0] = "mutated"
	if c.Keys()[0] == "mutated" {
		t.Error("Keys() returned the catalogue's own slice, want a copy")
	}
}

// TestCatalogsMatchReference states the invariant Load enforces on the
// shipped files in the terms of the style guide: every key of the reference
// exists in every catalogue, none is extra, and the placeholders match.
func TestCatalogsMatchReference(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	ref := c.messages[Reference]
	for _, lang := range c.Languages() {
		msgs := c.messages[lang]
		if len(msgs) != len(ref) {
			t.Errorf("%s has %d keys, %s has %d", lang, len(msgs), Reference, len(ref))
		}
		for key, want := range ref {
			got, ok := msgs[key]
			if !ok {
				t.Errorf("%s lacks key %q", lang, key)
				continue
			}
			if diff := cmp.Diff(directives(want), directives(got)); diff != "" {
				t.Errorf("%s %q directives mismatch (-%s +%s):\n%s", lang, key, Reference, lang, diff)
			}
		}
	}
}

// TestCatalogsCanonical keeps the files sorted and indented so that
// concurrent additions merge. Run "go test ./locales -run Canonical -update"
// to rewrite them.
func TestCatalogsCanonical(t *testing.T) {
	names, err := fs.Glob(catalogFS, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(catalogFS, name)
		if err != nil {
			t.Fatal(err)
		}
		msgs, errs := parseCatalog(name, data)
		if len(errs) > 0 {
			t.Fatalf("parse %s: %v", name, errs)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // messages carry Telegram HTML such as <b>
		enc.SetIndent("", "  ")
		if err := enc.Encode(msgs); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(data, buf.Bytes()) {
			continue
		}
		if *update {
			if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote %s", name)
			continue
		}
		t.Errorf("%s is not sorted by key with a two-space indent; run go test ./locales -run Canonical -update (-got +want):\n%s",
			name, cmp.Diff(strings.Split(string(data), "\n"), strings.Split(buf.String(), "\n")))
	}
}

// minimal returns the smallest valid reference catalogue: the keys the
// Printer needs plus one message with arguments.
func minimal() map[string]string {
	msgs := map[string]string{"checkin.accepted": "Tercatat pukul %s, %d menit terlambat."}
	for key, ds := range requiredKeys() {
		msgs[key] = "x" + strings.Join(ds, " ")
	}
	return msgs
}

// with returns a copy of msgs with the given keys set; an empty value deletes
// the key.
func with(msgs map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(msgs))
	for k, v := range msgs {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// file encodes msgs as a catalogue file.
func file(t *testing.T, msgs map[string]string) *fstest.MapFile {
	t.Helper()
	data, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return &fstest.MapFile{Data: data}
}

func TestLoadFSAccepts(t *testing.T) {
	t.Parallel()
	id := minimal()
	fsys := fstest.MapFS{
		"id.json":    file(t, with(id, "rate", "Hadir %d%% (%[2]s)")),
		"en.json":    file(t, with(id, "rate", "Present %d%% (%[2]s)", "checkin.accepted", "At %s, %d minutes late.")),
		"pt-br.json": file(t, with(id, "rate", "Presente %d%% (%[2]s)")),
		"README.md":  {Data: []byte("not a catalogue")},
	}
	c, err := LoadFS(fsys, "id")
	if err != nil {
		t.Fatalf("LoadFS() error:\n%v", err)
	}
	if diff := cmp.Diff([]string{"id", "en", "pt-br"}, c.Languages()); diff != "" {
		t.Errorf("Languages() mismatch (-want +got):\n%s", diff)
	}
	if got, want := c.T("en", "rate", 97, "ok"), "Present 97% (ok)"; got != want {
		t.Errorf(`T("en", "rate", 97, "ok") = %q, want %q`, got, want)
	}
	if got, want := c.T("pt-BR", "rate", 97, "ok"), "Presente 97% (ok)"; got != want {
		t.Errorf(`T("pt-BR", "rate", 97, "ok") = %q, want %q`, got, want)
	}
}

func TestLoadFSRejects(t *testing.T) {
	t.Parallel()
	id := minimal()
	tests := []struct {
		name  string
		files map[string]string // file name -> raw content; overrides the valid id.json and en.json
		ref   string
		want  []string // substrings the error must contain
	}{
		{
			name:  "missing key",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.accepted", ""))},
			want:  []string{"en.json", `"checkin.accepted"`, "missing"},
		},
		{
			name:  "extra key",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.bonus", "Bonus"))},
			want:  []string{"en.json", `"checkin.bonus"`, "not in id.json"},
		},
		{
			name:  "verb differs",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.accepted", "At %s, %s minutes late."))},
			want:  []string{"en.json", `"checkin.accepted"`, `["%s" "%s"]`, `["%s" "%d"]`},
		},
		{
			name:  "verbs in another order",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.accepted", "%d minutes late at %s."))},
			want:  []string{"en.json", `"checkin.accepted"`, "directives"},
		},
		{
			name:  "verb missing",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.accepted", "Recorded at %s."))},
			want:  []string{"en.json", `"checkin.accepted"`, "directives"},
		},
		{
			name:  "stray percent sign",
			files: map[string]string{"en.json": encode(t, with(id, "common.rate", "100% present")), "id.json": encode(t, with(id, "common.rate", "100%% hadir"))},
			want:  []string{"en.json", `"common.rate"`, "malformed fmt directive", "%%"},
		},
		{
			name:  "invalid JSON",
			files: map[string]string{"en.json": "{\n  \"common.error\": \"Sorry\"\n  \"common.ok\": \"OK\"\n}\n"},
			want:  []string{"en.json:3", "invalid JSON"},
		},
		{
			name:  "truncated JSON",
			files: map[string]string{"en.json": "{\n  \"common.error\": \"Sorry\","},
			want:  []string{"en.json", "invalid JSON"},
		},
		{
			name:  "trailing data",
			files: map[string]string{"en.json": encode(t, id) + "{}"},
			want:  []string{"en.json", "after the top-level object"},
		},
		{
			name:  "not an object",
			files: map[string]string{"en.json": `["common.error"]`},
			want:  []string{"en.json", "JSON object"},
		},
		{
			name:  "nested object",
			files: map[string]string{"en.json": `{"common": {"error": "Sorry"}}`},
			want:  []string{"en.json", `"common"`, "not a string"},
		},
		{
			name:  "duplicate key",
			files: map[string]string{"en.json": strings.Replace(encode(t, id), "{", `{"month.1": "Jan",`, 1)},
			want:  []string{"en.json", `"month.1"`, "duplicate"},
		},
		{
			name:  "invalid key",
			files: map[string]string{"id.json": encode(t, with(id, "Checkin.Accepted", "Tercatat"))},
			want:  []string{"id.json", `"Checkin.Accepted"`, "invalid key"},
		},
		{
			name:  "empty message",
			files: map[string]string{"en.json": strings.Replace(encode(t, id), `"x"`, `""`, 1)},
			want:  []string{"en.json", "empty message"},
		},
		{
			name:  "reference lacks a formatting key",
			files: map[string]string{"id.json": encode(t, with(id, "weekday.3", "")), "en.json": encode(t, with(id, "weekday.3", ""))},
			want:  []string{"id.json", `"weekday.3"`, "required"},
		},
		{
			name:  "reference datetime without two strings",
			files: map[string]string{"id.json": encode(t, with(id, "format.datetime", "%s")), "en.json": encode(t, with(id, "format.datetime", "%s"))},
			want:  []string{"id.json", `"format.datetime"`},
		},
		{
			name:  "uppercase file name",
			files: map[string]string{"EN.json": encode(t, id)},
			want:  []string{"EN.json", "lowercase"},
		},
		{
			name: "no reference catalogue",
			ref:  "jv",
			want: []string{"jv.json", "not found"},
		},
		{
			name:  "every problem reported",
			files: map[string]string{"en.json": encode(t, with(id, "checkin.accepted", "", "month.1", "Jan %s")), "ms.json": encode(t, with(id, "checkin.bonus", "x"))},
			want:  []string{`en.json: key "checkin.accepted"`, `en.json: key "month.1"`, `ms.json: key "checkin.bonus"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{"id.json": file(t, id), "en.json": file(t, id)}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			ref := tt.ref
			if ref == "" {
				ref = "id"
			}
			c, err := LoadFS(fsys, ref)
			if err == nil {
				t.Fatalf("LoadFS(%v, %q) = %v, nil; want an error containing %q", tt.files, ref, c, tt.want)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("LoadFS(%v, %q) error:\n%v\nwant it to contain %q", tt.files, ref, err, want)
				}
			}
		})
	}
}

// encode returns msgs as catalogue JSON text.
func encode(t *testing.T, msgs map[string]string) string {
	t.Helper()
	return string(file(t, msgs).Data)
}

func TestDirectives(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg     string
		want    []string
		wantErr bool
	}{
		{msg: "no placeholders", want: nil},
		{msg: "%s at %s", want: []string{"%s", "%s"}},
		{msg: "100%% of %d", want: []string{"%d"}},
		{msg: "%%%s%%", want: []string{"%s"}},
		{msg: "%v %q %x", want: []string{"%v", "%q", "%x"}},
		{msg: "%02d:%-5s|%+.1f|%6.2f|%*d", want: []string{"%02d", "%-5s", "%+.1f", "%6.2f", "%*d"}},
		{msg: "%[2]s before %[1]s", want: []string{"%[2]s", "%[1]s"}},
		{msg: "100% hadir", wantErr: true},
		{msg: "ends with %", wantErr: true},
		{msg: "%z", wantErr: true},
		{msg: "%[x]s", wantErr: true},
	}
	for _, tt := range tests {
		got, err := scanDirectives(tt.msg)
		if (err != nil) != tt.wantErr {
			t.Errorf("scanDirectives(%q) error = %v, want error %t", tt.msg, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("scanDirectives(%q) mismatch (-want +got):\n%s", tt.msg, diff)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{lang: "id", key: "common.error", want: "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi."},
		{lang: "en", key: "common.error", want: "Sorry, something went wrong. Please try again in a moment."},
		{lang: "en-US", key: "month.3", want: "March"},
		{lang: "en_GB", key: "month.3", want: "March"},
		{lang: "EN", key: "month.3", want: "March"},
		{lang: " en ", key: "month.3", want: "March"},
		{lang: "id-ID", key: "month.3", want: "Maret"},
		{lang: "in", key: "month.3", want: "Maret"},
		{lang: "", key: "month.3", want: "Maret"},
		{lang: "fr", key: "month.3", want: "Maret"},
		{lang: "zh-hans", key: "month.3", want: "Maret"},
		{lang: "english", key: "month.3", want: "Maret"},
		{lang: "en", key: "format.datetime", args: []any{"Monday", "07:00 WIB"}, want: "Monday at 07:00 WIB"},
		{lang: "id", key: "format.datetime", args: []any{"Senin", "07.00 WIB"}, want: "Senin pukul 07.00 WIB"},
		{lang: "id", key: "no.such.key", want: "no.such.key"},
		{lang: "en", key: "no.such.key", args: []any{1, "x"}, want: "no.such.key"},
		{lang: "en", key: "", want: ""},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
		if got := c.Printer(tt.lang).T(tt.key, tt.args...); got != tt.want {
			t.Errorf("Printer(%q).T(%q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestPrinterLang(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	for lang, want := range map[string]string{"id": "id", "en": "en", "en-US": "en", "in": "id", "": "id", "de": "id"} {
		if got := c.Printer(lang).Lang(); got != want {
			t.Errorf("Printer(%q).Lang() = %q, want %q", lang, got, want)
		}
	}
	var zero Printer
	if got := zero.T("common.error"); got != "common.error" {
		t.Errorf("Printer{}.T(%q) = %q, want the key", "common.error", got)
	}
}

// TestPrinterDateTime formats instants in the office zones. Every time is
// built in an explicit location, so the process TZ plays no part; CI runs it
// with a non-Indonesian TZ.
func TestPrinterDateTime(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	wib, wita, wit := mustZone(t, "Asia/Jakarta"), mustZone(t, "Asia/Makassar"), mustZone(t, "Asia/Jayapura")
	// New Year's Eve 16:30 UTC: still 31 December in Jakarta, already
	// 1 January in Makassar and Jayapura.
	newYear := time.Date(2025, time.December, 31, 16, 30, 0, 0, time.UTC)

	tests := []struct {
		name     string
		t        time.Time
		lang     string
		date     string
		clock    string
		time     string
		dateTime string
	}{
		{
			name: "apel in Jayapura", t: time.Date(2026, time.January, 13, 7, 30, 0, 0, wit), lang: "id",
			date: "Selasa, 13 Januari 2026", clock: "07.30", time: "07.30 WIT",
			dateTime: "Selasa, 13 Januari 2026 pukul 07.30 WIT",
		},
		{
			name: "apel in Jayapura, English", t: time.Date(2026, time.January, 13, 7, 30, 0, 0, wit), lang: "en",
			date: "Tuesday, 13 January 2026", clock: "07:30", time: "07:30 WIT",
			dateTime: "Tuesday, 13 January 2026 at 07:30 WIT",
		},
		{
			name: "Independence Day in Jakarta", t: time.Date(2026, time.August, 17, 8, 0, 0, 0, wib), lang: "id",
			date: "Senin, 17 Agustus 2026", clock: "08.00", time: "08.00 WIB",
			dateTime: "Senin, 17 Agustus 2026 pukul 08.00 WIB",
		},
		{
			name: "Friday in Makassar, English", t: time.Date(2026, time.May, 1, 16, 5, 0, 0, wita), lang: "en-US",
			date: "Friday, 1 May 2026", clock: "16:05", time: "16:05 WITA",
			dateTime: "Friday, 1 May 2026 at 16:05 WITA",
		},
		{
			name: "UTC instant before midnight in WIB", t: newYear.In(wib), lang: "id",
			date: "Rabu, 31 Desember 2025", clock: "23.30", time: "23.30 WIB",
			dateTime: "Rabu, 31 Desember 2025 pukul 23.30 WIB",
		},
		{
			name: "same instant after midnight in WITA", t: newYear.In(wita), lang: "id",
			date: "Kamis, 1 Januari 2026", clock: "00.30", time: "00.30 WITA",
			dateTime: "Kamis, 1 Januari 2026 pukul 00.30 WITA",
		},
		{
			name: "same instant after midnight in WIT", t: newYear.In(wit), lang: "en",
			date: "Thursday, 1 January 2026", clock: "01:30", time: "01:30 WIT",
			dateTime: "Thursday, 1 January 2026 at 01:30 WIT",
		},
		{
			name: "leap day, last second", t: time.Date(2028, time.February, 29, 23, 59, 59, 0, wib), lang: "id",
			date: "Selasa, 29 Februari 2028", clock: "23.59", time: "23.59 WIB",
			dateTime: "Selasa, 29 Februari 2028 pukul 23.59 WIB",
		},
	}
	for _, tt := range tests {
		p := c.Printer(tt.lang)
		for _, f := range []struct {
			method    string
			got, want string
		}{
			{"Date", p.Date(tt.t), tt.date},
			{"Clock", p.Clock(tt.t), tt.clock},
			{"Time", p.Time(tt.t), tt.time},
			{"DateTime", p.DateTime(tt.t), tt.dateTime},
		} {
			if f.got != f.want {
				t.Errorf("%s: Printer(%q).%s(%v) = %q, want %q", tt.name, tt.lang, f.method, tt.t, f.got, f.want)
			}
		}
	}
}

// TestPrinterDateNames walks a whole year so every weekday and month name
// is looked up in every language.
func TestPrinterDateNames(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	wita := mustZone(t, "Asia/Makassar")
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		for d := time.Date(2026, time.January, 1, 12, 0, 0, 0, wita); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
			if got := p.Date(d); strings.Contains(got, "weekday.") || strings.Contains(got, "month.") {
				t.Fatalf("Printer(%q).Date(%v) = %q, want names instead of keys", lang, d, got)
			}
		}
	}
}

func TestPrinterPercent(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	tests := []struct {
		f      float64
		id, en string
	}{
		{97.5, "97,5%", "97.5%"},
		{100, "100,0%", "100.0%"},
		{0, "0,0%", "0.0%"},
		{33.3333, "33,3%", "33.3%"},
		{66.6667, "66,7%", "66.7%"},
		{2.04, "2,0%", "2.0%"},
		{-0.01, "0,0%", "0.0%"},
		{-12.5, "-12,5%", "-12.5%"},
	}
	id, en := c.Printer("id"), c.Printer("en")
	for _, tt := range tests {
		if got := id.Percent(tt.f); got != tt.id {
			t.Errorf("Printer(id).Percent(%v) = %q, want %q", tt.f, got, tt.id)
		}
		if got := en.Percent(tt.f); got != tt.en {
			t.Errorf("Printer(en).Percent(%v) = %q, want %q", tt.f, got, tt.en)
		}
	}
}

func TestPrinterNumber(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	tests := []struct {
		n      int
		id, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{12345, "12.345", "12,345"},
		{123456, "123.456", "123,456"},
		{1234567, "1.234.567", "1,234,567"},
		{-999, "-999", "-999"},
		{-1234567, "-1.234.567", "-1,234,567"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	}
	id, en := c.Printer("id"), c.Printer("en")
	for _, tt := range tests {
		if got := id.Number(tt.n); got != tt.id {
			t.Errorf("Printer(id).Number(%d) = %q, want %q", tt.n, got, tt.id)
		}
		if got := en.Number(tt.n); got != tt.en {
			t.Errorf("Printer(en).Number(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}

// ExampleCatalog_Printer shows the formatting of an apel in Jayapura.
func ExampleCatalog_Printer() {
	c, err := Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	wit, err := time.LoadLocation("Asia/Jayapura")
	if err != nil {
		fmt.Println(err)
		return
	}
	apel := time.Date(2026, time.January, 13, 7, 30, 0, 0, wit)
	for _, lang := range []string{"id", "en-US"} {
		p := c.Printer(lang)
		fmt.Println(p.DateTime(apel), "|", p.Percent(97.5), "|", p.Number(1234567))
	}
	// Output:
	// Selasa, 13 Januari 2026 pukul 07.30 WIT | 97,5% | 1.234.567
	// Tuesday, 13 January 2026 at 07:30 WIT | 97.5% | 1,234,567
}
