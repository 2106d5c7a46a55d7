// Package holidays ships Indonesia's national holidays (hari libur nasional)
// and collective leave days (cuti bersama), one YAML file per year as the
// joint decree of three ministers (SKB 3 Menteri) sets them, embedded in the
// binary. The dates are political, not computable (Idul Fitri follows the
// government's moon sighting, cuti bersama are chosen each year), so they
// are data reviewed by a person, never a calculation.
//
// Each file is
//
//	year: 2026
//	source: "SKB Menag, Menaker, MenPAN-RB No. 1497/2025, 2/2025, 5/2025"
//	days:
//	  - { date: 2026-01-01, kind: libur, name: "Tahun Baru 2026 Masehi" }
//	  - { date: 2026-03-20, kind: cuti_bersama, name: "...", note: "..." }
//
// kind is libur or cuti_bersama; a day may name its own source (a later
// change to the decree) and carry a note (a reviewer's doubt). The pemda's
// own additions live in its configuration, not here.
package holidays

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/apelbot/apelbot/apel"
)

// files holds <year>.yaml for every year shipped.
//
//go:embed *.yaml
var files embed.FS

type fileYear struct {
	Year   int       `yaml:"year"`
	Source string    `yaml:"source"`
	Days   []fileDay `yaml:"days"`
}

type fileDay struct {
	Date   string `yaml:"date"`
	Kind   string `yaml:"kind"`
	Name   string `yaml:"name"`
	Source string `yaml:"source"`
	Note   string `yaml:"note"`
}

// Load returns every shipped holiday, by date. It fails on a file that does
// not parse or holds a bad entry (a date outside its year, an unknown kind,
// no name, a date twice), naming the file and the entry.
func Load() ([]apel.Holiday, error) {
	return load(files)
}

// Years returns the years shipped, in order.
func Years() ([]int, error) {
	hs, err := Load()
	if err != nil {
		return nil, err
	}
	var out []int
	for _, h := range hs {
		if !slices.Contains(out, h.Date.Year) {
			out = append(out, h.Date.Year)
		}
	}
	return out, nil
}

func load(fsys fs.FS) ([]apel.Holiday, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list holiday files: %w", err)
	}
	slices.Sort(names)
	var out []apel.Holiday
	seen := map[apel.Date]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("holidays %s: %w", name, err)
		}
		hs, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("holidays %s: %w", name, err)
		}
		if want := strings.TrimSuffix(name, ".yaml"); len(hs) > 0 && fmt.Sprint(hs[0].Date.Year) != want {
			return nil, fmt.Errorf("holidays %s: the file is named for %s but holds %d", name, want, hs[0].Date.Year)
		}
		for _, h := range hs {
			if prev, dup := seen[h.Date]; dup {
				return nil, fmt.Errorf("holidays %s: %s is also in %s", name, h.Date, prev)
			}
			seen[h.Date] = name
		}
		out = append(out, hs...)
	}
	slices.SortFunc(out, func(a, b apel.Holiday) int { return strings.Compare(a.Date.String(), b.Date.String()) })
	return out, nil
}

// parse reads one year's file strictly.
func parse(data []byte) ([]apel.Holiday, error) {
	var f fileYear
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if f.Year < 2000 || f.Year > 2100 {
		return nil, fmt.Errorf("year: %d: want the year the file is for", f.Year)
	}
	if strings.TrimSpace(f.Source) == "" {
		return nil, fmt.Errorf("source: missing: want the decree the dates come from")
	}
	out := make([]apel.Holiday, 0, len(f.Days))
	seen := map[apel.Date]bool{}
	for i, fd := range f.Days {
		path := fmt.Sprintf("days[%d]", i)
		d, err := apel.ParseDate(fd.Date)
		if err != nil {
			return nil, fmt.Errorf("%s.date: %w", path, err)
		}
		if d.Year != f.Year {
			return nil, fmt.Errorf("%s.date: %s is not in %d", path, d, f.Year)
		}
		if seen[d] {
			return nil, fmt.Errorf("%s.date: %s listed twice", path, d)
		}
		seen[d] = true
		kind := apel.HolidayKind(fd.Kind)
		if kind != apel.NationalHoliday && kind != apel.CutiBersama {
			return nil, fmt.Errorf("%s.kind: %q: want %s or %s", path, fd.Kind, apel.NationalHoliday, apel.CutiBersama)
		}
		if strings.TrimSpace(fd.Name) == "" {
			return nil, fmt.Errorf("%s.name: missing", path)
		}
		src := strings.TrimSpace(fd.Source)
		if src == "" {
			src = strings.TrimSpace(f.Source)
		}
		out = append(out, apel.Holiday{Date: d, Name: strings.TrimSpace(fd.Name), Kind: kind, Source: src, Note: strings.TrimSpace(fd.Note)})
	}
	return out, nil
}
