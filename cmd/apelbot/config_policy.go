package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/holidays"
)

// defaultWeeklyCap is the national rule: at most two off-site days a week
// per person, unless the pemda sets policy.weekly_cap.
const defaultWeeklyCap = 2

// filePolicy is the policy: block, the flexible-work rules beyond the
// weekday table.
type filePolicy struct {
	FlexibleWork yamlText       `yaml:"flexible_work"` // default true; false: everyone WFO (Kota Batu)
	WeeklyCap    yamlText       `yaml:"weekly_cap"`    // default 2; 0: no cap
	Quota        *fileQuota     `yaml:"quota"`         // default quota of days that set none
	Escalation   fileEscalation `yaml:"escalation"`    // requests that need the PPK's approval too
	Overrides    []fileOverride `yaml:"overrides"`     // dated changes by circular (SE)
}

type fileEscalation struct {
	Abroad    yamlText   `yaml:"abroad"`    // WFA abroad needs the PPK
	Cuti      yamlText   `yaml:"cuti"`      // annual leave needs the PPK
	Approvers []yamlText `yaml:"approvers"` // NIPs of who approves for the PPK; empty: the BKPSDM admins
}

type fileOverride struct {
	Name          string               `yaml:"name"`
	Reference     string               `yaml:"reference"`
	From          yamlText             `yaml:"from"`
	To            yamlText             `yaml:"to"`
	OPDs          []string             `yaml:"opds"`
	HeadsInOffice yamlText             `yaml:"heads_in_office"`
	Mode          string               `yaml:"mode"`
	Shift         yamlText             `yaml:"shift"`
	Quota         *fileQuota           `yaml:"quota"`
	Requests      []string             `yaml:"requests"`
	Days          map[string]*fileWork `yaml:"days"`
}

// fileWork is a work rule without apel times: an override's rule of a
// weekday.
type fileWork struct {
	Mode     string     `yaml:"mode"`
	Shift    yamlText   `yaml:"shift"`
	Quota    *fileQuota `yaml:"quota"`
	Requests []string   `yaml:"requests"`
}

type fileHoliday struct {
	Date yamlText `yaml:"date"`
	Name string   `yaml:"name"`
	Kind string   `yaml:"kind"` // libur (default) or cuti_bersama
}

// fileQuota is a quota as written: one share ("20%") for every OPD, or a
// mapping with the share of OPDs that do not serve the public directly
// (other) and of those that do (direct_service).
type fileQuota struct {
	Share         yamlText
	Other         yamlText
	DirectService yamlText
	mapping       bool
}

// UnmarshalYAML implements yaml.BytesUnmarshaler.
func (q *fileQuota) UnmarshalYAML(b []byte) error {
	var m struct {
		Other         yamlText `yaml:"other"`
		DirectService yamlText `yaml:"direct_service"`
	}
	var probe any
	if err := yaml.Unmarshal(b, &probe); err != nil {
		return err
	}
	if _, ok := probe.(map[string]any); ok {
		if err := yaml.UnmarshalWithOptions(b, &m, yaml.Strict()); err != nil {
			return err
		}
		q.Other, q.DirectService, q.mapping = m.Other, m.DirectService, true
		return nil
	}
	return q.Share.fromBytes(b)
}

// percent parses "20%", "20" or "5.5%" into a share from 0 to 100.
func (v *configValidator) percent(path string, raw yamlText) (float64, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(raw)), "%"))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		v.fail("%s: invalid share %q: want a percentage such as 20%%", path, raw)
		return 0, false
	}
	if !(f >= 0 && f <= 100) {
		v.fail("%s: %s: want 0%% to 100%%", path, raw)
		return 0, false
	}
	return f, true
}

// quota reads a quota; nil when not given.
func (v *configValidator) quota(path string, in *fileQuota) *apel.Quota {
	if in == nil {
		return nil
	}
	if !in.mapping {
		if in.Share == "" {
			v.fail("%s: missing: want a percentage such as 20%%, or other and direct_service", path)
			return nil
		}
		p, ok := v.percent(path, in.Share)
		if !ok {
			return nil
		}
		return &apel.Quota{Percent: p}
	}
	q := &apel.Quota{}
	ok := true
	if in.Other == "" {
		v.fail("%s.other: missing: want the share of OPDs that do not serve the public directly", path)
		ok = false
	} else if q.Percent, ok = v.percent(path+".other", in.Other); !ok {
		ok = false
	}
	if in.DirectService != "" {
		d, good := v.percent(path+".direct_service", in.DirectService)
		q.DirectService, q.DirectJoins = d, good
		ok = ok && good
	}
	if !ok {
		return nil
	}
	return q
}

// requests reads a list of requestable modes.
func (v *configValidator) requests(path string, in []string) []apel.Mode {
	var out []apel.Mode
	for i, s := range in {
		m, err := apel.ParseMode(s)
		if err != nil || m == apel.WFO {
			v.fail("%s[%d]: %q: want WFH or WFA", path, i, s)
			continue
		}
		for _, prev := range out {
			if prev == m {
				v.fail("%s[%d]: %s listed twice", path, i, m)
			}
		}
		out = append(out, m)
	}
	return out
}

// work reads the allocation part of a rule: mode (default WFO), shift,
// quota, requests; ok is false after an error.
func (v *configValidator) work(path, mode string, shift yamlText, quota *fileQuota, requests []string) (apel.Work, bool) {
	before := len(v.errs)
	w := apel.Work{Mode: apel.WFO}
	if strings.TrimSpace(mode) != "" {
		m, err := apel.ParseMode(mode)
		if err != nil {
			v.fail("%s.mode: %w", path, err)
		}
		w.Mode = m
	}
	w.Shift = v.boolean(path+".shift", shift)
	if w.Shift && w.Mode == apel.WFO && len(v.errs) == before {
		v.fail("%s.shift: a shift day needs mode WFH or WFA (the off-site mode of the rotation)", path)
	}
	w.Quota = v.quota(path+".quota", quota)
	w.Requests = v.requests(path+".requests", requests)
	return w, len(v.errs) == before
}

// policyRules reads the policy: block and the holidays into p, then checks
// the whole policy against the OPDs.
func (v *configValidator) policyRules(p *apel.Policy, f fileConfig, opds []apel.OPD) {
	before := len(v.errs)
	fp := f.Policy
	p.NoFlexibleWork = fp.FlexibleWork != "" && !v.boolean("policy.flexible_work", fp.FlexibleWork)
	p.WeeklyCap = defaultWeeklyCap
	if fp.WeeklyCap != "" {
		n, err := strconv.Atoi(string(fp.WeeklyCap))
		if err != nil || n < 0 || n > 7 {
			v.fail("policy.weekly_cap: %q: want 0 (no cap) to 7 days a week", fp.WeeklyCap)
		}
		p.WeeklyCap = n
	}
	p.Quota = v.quota("policy.quota", fp.Quota)
	p.Escalation = apel.Escalation{
		Abroad: v.boolean("policy.escalation.abroad", fp.Escalation.Abroad),
		Cuti:   v.boolean("policy.escalation.cuti", fp.Escalation.Cuti),
	}
	for i, raw := range fp.Escalation.Approvers {
		nip := apel.NormalizeNIP(string(raw))
		if err := apel.ValidateNIP(nip); err != nil {
			v.fail("policy.escalation.approvers[%d]: %q: %w", i, raw, err)
			continue
		}
		p.Escalation.NIPs = append(p.Escalation.NIPs, nip)
	}
	for i, fo := range fp.Overrides {
		if o, ok := v.override(fmt.Sprintf("policy.overrides[%d]", i), fo); ok {
			p.Overrides = append(p.Overrides, o)
		}
	}
	p.Holidays = v.holidays(f.Schedule)
	if len(v.errs) == before && p.Location != nil {
		if err := p.ValidateFor(opds); err != nil {
			v.fail("policy.%w", err)
		}
	}
}

func (v *configValidator) override(path string, fo fileOverride) (apel.Override, bool) {
	before := len(v.errs)
	o := apel.Override{Name: strings.TrimSpace(fo.Name), Reference: strings.TrimSpace(fo.Reference), OPDs: fo.OPDs}
	if o.Reference == "" {
		v.fail("%s.reference: missing: want the circular (SE) that puts it in force, e.g. \"SE Wali Kota No. 8 Tahun 2025\"", path)
	}
	date := func(key string, raw yamlText, required bool) apel.Date {
		if raw == "" {
			if required {
				v.fail("%s.%s: missing: want YYYY-MM-DD", path, key)
			}
			return apel.Date{}
		}
		d, err := apel.ParseDate(string(raw))
		if err != nil {
			v.fail("%s.%s: %w", path, key, err)
		}
		return d
	}
	o.From, o.To = date("from", fo.From, true), date("to", fo.To, false)
	for i := range o.OPDs {
		o.OPDs[i] = strings.ToUpper(strings.TrimSpace(o.OPDs[i]))
	}
	o.HeadsInOffice = v.boolean(path+".heads_in_office", fo.HeadsInOffice)
	if fo.Mode != "" || fo.Shift != "" || fo.Quota != nil || len(fo.Requests) > 0 {
		if w, ok := v.work(path, fo.Mode, fo.Shift, fo.Quota, fo.Requests); ok {
			o.Work = &w
		}
	}
	for key, fw := range fo.Days {
		wd, ok := parseWeekday(key)
		if !ok {
			v.fail("%s.days.%s: unknown weekday: want monday to sunday or senin to minggu", path, key)
			continue
		}
		if fw == nil {
			fw = &fileWork{}
		}
		if _, dup := o.Days[wd]; dup {
			v.fail("%s.days.%s: the same weekday twice", path, key)
			continue
		}
		if w, ok := v.work(path+".days."+key, fw.Mode, fw.Shift, fw.Quota, fw.Requests); ok {
			if o.Days == nil {
				o.Days = map[time.Weekday]apel.Work{}
			}
			o.Days[wd] = w
		}
	}
	if len(v.errs) == before && o.Work == nil && len(o.Days) == 0 {
		v.fail("%s: no rule: give mode (with shift, quota, requests) or days", path)
	}
	return o, len(v.errs) == before
}

// holidays returns the shipped national holidays (unless
// schedule.national_holidays is false) with the operator's additions, which
// win on the same date.
func (v *configValidator) holidays(s fileSchedule) map[apel.Date]apel.Holiday {
	out := map[apel.Date]apel.Holiday{}
	if s.NationalHolidays == "" || v.boolean("schedule.national_holidays", s.NationalHolidays) {
		hs, err := holidays.Load()
		if err != nil {
			v.fail("national holidays: %w", err)
		}
		for _, h := range hs {
			out[h.Date] = h
		}
	}
	seen := map[apel.Date]bool{}
	for i, fh := range s.Holidays {
		path := fmt.Sprintf("schedule.holidays[%d]", i)
		if fh.Date == "" {
			v.fail("%s.date: missing: want YYYY-MM-DD", path)
			continue
		}
		d, err := apel.ParseDate(string(fh.Date))
		if err != nil {
			v.fail("%s.date: %w", path, err)
			continue
		}
		if seen[d] {
			v.fail("%s.date: duplicate date %s", path, d)
			continue
		}
		seen[d] = true
		kind := apel.HolidayKind(strings.ToLower(strings.TrimSpace(fh.Kind)))
		switch kind {
		case "":
			kind = apel.NationalHoliday
		case apel.NationalHoliday, apel.CutiBersama:
		default:
			v.fail("%s.kind: %q: want libur or cuti_bersama", path, fh.Kind)
			continue
		}
		if strings.TrimSpace(fh.Name) == "" {
			v.fail("%s.name: missing", path)
			continue
		}
		out[d] = apel.Holiday{Date: d, Name: strings.TrimSpace(fh.Name), Kind: kind, Source: "config"}
	}
	return out
}

// warnMissingHolidays logs a warning from 1 December on when the policy has
// no national holiday or cuti bersama for the coming year: a new release
// ships them once the joint decree is out, or the operator adds them under
// schedule.holidays.
func warnMissingHolidays(log zerolog.Logger, p apel.Policy, now time.Time) {
	if p.Location == nil {
		return
	}
	today := apel.DateOf(now, p.Location)
	if today.Month != time.December {
		return
	}
	next := today.Year + 1
	for d := range p.Holidays {
		if d.Year == next {
			return
		}
	}
	log.Warn().Int("year", next).Msg("no national holidays for next year: update apelbot or add them under schedule.holidays")
}
