package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// cmdPlan prints the plan of a date: every ASN of every OPD (or of one) with
// their mode, or excuse, and the rule that decided it. The staff and their
// records (excuses, approved requests, the heads' rotation changes) come
// from the database, or the staff alone from a roster file (-roster).
func cmdPlan(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	cfgPath := configFlag(fs, getenv)
	db := fs.String("db", "", "database: a SQLite file or a postgres:// URL (overrides the config and the environment)")
	date := fs.String("date", "", "date to plan, YYYY-MM-DD (default: today in the pemda's zone)")
	only := fs.String("opd", "", "plan only the OPD with this code")
	roster := fs.String("roster", "", "plan the staff of a roster file (.csv or .xlsx) instead of the database's (no excuses, requests or rotation changes)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := loadWithDB(*cfgPath, *db, getenv)
	if err != nil {
		return err
	}
	d := apel.DateOf(time.Now(), cfg.Policy.Location)
	if *date != "" {
		if d, err = apel.ParseDate(*date); err != nil {
			return fmt.Errorf("-date: %w", err)
		}
	}
	opds := cfg.OPDs
	if *only != "" {
		opds = nil
		for _, o := range cfg.OPDs {
			if strings.EqualFold(o.Code, *only) {
				opds = append(opds, o)
			}
		}
		if len(opds) == 0 {
			return fmt.Errorf("-opd: unknown OPD %q", *only)
		}
	}
	var f apel.Facts
	if *roster != "" {
		if f, err = rosterFacts(cfg, *roster); err != nil {
			return err
		}
	} else {
		s, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer s.Close()
		m := apel.MondayOf(d)
		if f, err = s.Facts(ctx, "", m, m.AddDays(6)); err != nil {
			return err
		}
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load locales: %w", err)
	}
	fmt.Fprint(stdout, renderPlan(cat.Printer(cfg.Language), cfg, opds, d, f))
	return nil
}

// rosterFacts reads a roster file as the staff of a plan; people get ids
// in file order.
func rosterFacts(cfg Config, path string) (apel.Facts, error) {
	rows, err := readRoster(path)
	if err != nil {
		return apel.Facts{}, err
	}
	known := make(map[string]bool, len(cfg.OPDs))
	for _, o := range cfg.OPDs {
		known[o.Code] = true
	}
	emps, bad := apel.ParseRoster(rows, func(code string) bool { return known[code] })
	if len(bad) > 0 {
		return apel.Facts{}, fmt.Errorf("roster %s: line %d, %s: %s", path, bad[0].Line, bad[0].Column, bad[0].Problem)
	}
	for i := range emps {
		emps[i].ID = int64(i + 1)
	}
	return apel.Facts{Staff: emps}, nil
}

// renderPlan is the plan of d as plain text: the date, the day off if it
// is one, then each OPD's rule, counts and people.
func renderPlan(p locales.Printer, cfg Config, opds []apel.OPD, d apel.Date, f apel.Facts) string {
	var sb strings.Builder
	fmt.Fprintln(&sb, p.T("cli.plan.title", cfg.Pemda, p.Date(d.At(apel.Clock{Hour: 12}, cfg.Policy.Location))))
	if off := cfg.Policy.DayOff(d); off != "" {
		info := apel.DayInfo{Off: off, OffName: cfg.Policy.DayOffName(d)}
		fmt.Fprintln(&sb, plain(dayOff(p, info)))
		return sb.String()
	}
	names := make(map[int64]apel.Employee, len(f.Staff))
	for _, e := range f.Staff {
		names[e.ID] = e
	}
	byOPD := apel.FactsByOPD(f)
	for _, o := range opds {
		dp := cfg.Policy.Plan(o, d, byOPD[o.Code])
		if dp.Headcount == 0 && len(opds) > 1 {
			continue // an OPD without staff on the roster has nothing to plan
		}
		fmt.Fprintln(&sb)
		fmt.Fprintln(&sb, p.T("cli.plan.opd", o.Code, o.Name, dp.Headcount))
		fmt.Fprintln(&sb, "  "+plain(p.T("schedule.rule", ruleOf(p, o, dp.DayInfo))))
		fmt.Fprintln(&sb, "  "+p.T("schedule.counts", dp.Count(apel.WFO), dp.Count(apel.WFH), dp.Count(apel.WFA), dp.Excused(), dp.OffSite, dp.Limit))
		for _, a := range dp.People {
			e := names[a.EmployeeID]
			what := string(a.Mode)
			if a.Excused() {
				what = p.T("excuse." + string(a.Excuse))
			}
			why := p.T("mode_reason." + string(a.Reason)) // the rule's line names the circular
			fmt.Fprintf(&sb, "  %-18s  %-32s  %-10s  %s\n", e.NIP, clip(e.Name, 32), what, why)
		}
	}
	return sb.String()
}

// ruleOf is the rule of the day of OPD o in words.
func ruleOf(p locales.Printer, o apel.OPD, info apel.DayInfo) string {
	w := info.Work
	text := p.T("mode." + strings.ToLower(string(w.Mode)))
	switch {
	case o.DirectService && !info.Quota.DirectJoins && w.OffSite():
		text = p.T("mode.wfo")
	case w.Shift:
		text = p.T("schedule.rule_shift", p.T("mode."+strings.ToLower(string(w.Mode))))
	case w.Mode == apel.WFO && len(w.Requests) > 0:
		var ms []string
		for _, m := range w.Requests {
			ms = append(ms, string(m))
		}
		text = p.T("schedule.rule_requests", strings.Join(ms, "/"))
	}
	reason := info.Reason
	if o.DirectService && !info.Quota.DirectJoins && w.OffSite() {
		reason = apel.ModeByDirectService
	}
	text += " — " + p.T("mode_reason."+string(reason))
	if info.Reference != "" {
		text += "; " + info.Reference
	}
	return text
}

// dayOff says why a date has no apel.
func dayOff(p locales.Printer, info apel.DayInfo) string {
	if info.OffName != "" {
		return p.T("dayoff."+string(info.Off), info.OffName)
	}
	return p.T("dayoff." + string(info.Off))
}

// clip shortens s to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
