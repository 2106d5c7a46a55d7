package holidays

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// TestShippedYears checks the shipped files against what the decrees say in
// outline: 17 national holidays a year, 10 cuti bersama in 2025 and 8 in
// 2026, and a few dates that anchor the year.
func TestShippedYears(t *testing.T) {
	t.Parallel()
	hs, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	count := map[int]map[apel.HolidayKind]int{}
	byDate := map[apel.Date]apel.Holiday{}
	for _, h := range hs {
		if count[h.Date.Year] == nil {
			count[h.Date.Year] = map[apel.HolidayKind]int{}
		}
		count[h.Date.Year][h.Kind]++
		byDate[h.Date] = h
		if !strings.HasPrefix(h.Source, "SKB") {
			t.Errorf("%s %s: source %q, want the SKB", h.Date, h.Name, h.Source)
		}
	}
	want := map[int][2]int{2025: {17, 10}, 2026: {17, 8}}
	for y, w := range want {
		if got := count[y]; got[apel.NationalHoliday] != w[0] || got[apel.CutiBersama] != w[1] {
			t.Errorf("%d: %d libur and %d cuti bersama, want %d and %d", y, got[apel.NationalHoliday], got[apel.CutiBersama], w[0], w[1])
		}
	}
	for _, c := range []struct {
		date apel.Date
		kind apel.HolidayKind
		name string
	}{
		{apel.Date{Year: 2025, Month: time.March, Day: 28}, apel.CutiBersama, "Nyepi"},
		{apel.Date{Year: 2025, Month: time.March, Day: 31}, apel.NationalHoliday, "Idul Fitri"},
		{apel.Date{Year: 2025, Month: time.December, Day: 25}, apel.NationalHoliday, "Natal"},
		{apel.Date{Year: 2026, Month: time.January, Day: 16}, apel.NationalHoliday, "Isra Mikraj"},
		{apel.Date{Year: 2026, Month: time.February, Day: 17}, apel.NationalHoliday, "Imlek"},
		{apel.Date{Year: 2026, Month: time.February, Day: 16}, apel.CutiBersama, "Imlek"},
		{apel.Date{Year: 2026, Month: time.March, Day: 20}, apel.CutiBersama, "Idul Fitri"},
	} {
		h, ok := byDate[c.date]
		if !ok || h.Kind != c.kind || !strings.Contains(h.Name, c.name) {
			t.Errorf("%s = %+v, %v; want %s %q", c.date, h, ok, c.kind, c.name)
		}
	}
	years, err := Years()
	if err != nil || len(years) < 2 || years[0] != 2025 || years[1] != 2026 {
		t.Errorf("Years() = %v, %v; want 2025 and 2026 first", years, err)
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	t.Parallel()
	good := "year: 2027\nsource: SKB x\ndays:\n  - { date: 2027-01-01, kind: libur, name: Tahun Baru }\n"
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"a good file", map[string]string{"2027.yaml": good}, ""},
		{"a date of another year", map[string]string{"2027.yaml": strings.Replace(good, "2027-01-01", "2028-01-01", 1)}, "days[0].date: 2028-01-01 is not in 2027"},
		{"an unknown kind", map[string]string{"2027.yaml": strings.Replace(good, "libur", "libur_daerah", 1)}, `days[0].kind: "libur_daerah"`},
		{"no name", map[string]string{"2027.yaml": strings.Replace(good, "name: Tahun Baru", "name: ''", 1)}, "days[0].name: missing"},
		{"no source", map[string]string{"2027.yaml": strings.Replace(good, "source: SKB x", "source: ''", 1)}, "source: missing"},
		{"an unknown key", map[string]string{"2027.yaml": strings.Replace(good, "name: Tahun Baru", "name: Tahun Baru, nama: x", 1)}, "2027.yaml: parse yaml"},
		{"a bad date", map[string]string{"2027.yaml": strings.Replace(good, "2027-01-01", "2027-02-30", 1)}, "days[0].date"},
		{"a date twice", map[string]string{"2027.yaml": good + "  - { date: 2027-01-01, kind: libur, name: x }\n"}, "listed twice"},
		{"a file named for another year", map[string]string{"2028.yaml": good}, "named for 2028"},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{}
		for n, body := range tt.files {
			fsys[n] = &fstest.MapFile{Data: []byte(body)}
		}
		hs, err := load(fsys)
		if tt.wantErr == "" {
			if err != nil || len(hs) != 1 || hs[0].Source != "SKB x" {
				t.Errorf("%s: load = %+v, %v; want one holiday from SKB x", tt.name, hs, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: load = %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
}
