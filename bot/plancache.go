package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/apelbot/apelbot/apel"
)

// planKey names the plan of one OPD on one date.
type planKey struct {
	opd  string
	date apel.Date
}

// cachedPlan is a plan with the stamp its OPD had when its records were
// read, and each person's assignment by employee id.
type cachedPlan struct {
	stamp  int64
	plan   apel.DayPlan
	people map[int64]apel.Assignment
}

// assignment returns where emp works: the plan's assignment, or the day's
// rule for a person missing from the plan (inactive), as assignment does.
func (c *cachedPlan) assignment(emp apel.Employee) apel.Assignment {
	if a, ok := c.people[emp.ID]; ok {
		return a
	}
	dp := c.plan
	a := apel.Assignment{EmployeeID: emp.ID, Mode: dp.Work.Mode, Reason: dp.Reason, Reference: dp.Reference}
	if dp.Off != "" {
		a.Mode = ""
	}
	return a
}

// planCache keeps the plans the check-in path computed, while the plan
// stamp of their OPD stays the same (store.PlanStamps): a burst of
// check-ins plans each OPD once, not once per person.
type planCache struct {
	mu    sync.Mutex
	plans map[planKey]*cachedPlan
}

// Plan cache tuning.
const (
	planBulk     = 16 // OPDs to plan at once from which the whole pemda's records are read in one go
	planCacheMax = 4  // plans kept per configured OPD before the cache starts over
)

// plansOf returns the plans of keys: from the cache while their OPD's
// stamp has not moved, else planned from the records of the date's week,
// as planOf plans them.
func (b *Bot) plansOf(ctx context.Context, keys []planKey) (map[planKey]*cachedPlan, error) {
	out := make(map[planKey]*cachedPlan, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	seen := map[string]bool{}
	var opds []string
	for _, k := range keys {
		if !seen[k.opd] {
			seen[k.opd] = true
			opds = append(opds, k.opd)
		}
	}
	stamps, err := b.cfg.Store.PlanStamps(ctx, opds)
	if err != nil {
		return nil, err
	}
	c := &b.plans
	var missing []planKey
	c.mu.Lock()
	for _, k := range keys {
		if _, done := out[k]; done {
			continue
		}
		if p, ok := c.plans[k]; ok && p.stamp == stamps[k.opd] {
			out[k] = p
			continue
		}
		out[k] = nil
		missing = append(missing, k)
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	planned, err := b.plan(ctx, missing, stamps)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil || len(c.plans)+len(planned) > planCacheMax*max(len(b.opds), planBulk) {
		c.plans = map[planKey]*cachedPlan{}
	}
	for k, p := range planned {
		c.plans[k] = p
		out[k] = p
	}
	return out, nil
}

// plan computes the plans of keys from the store's records, stamped with
// stamps (read before the records). Many OPDs of one week are planned from
// one read of the whole pemda's records.
func (b *Bot) plan(ctx context.Context, keys []planKey, stamps map[string]int64) (map[planKey]*cachedPlan, error) {
	out := make(map[planKey]*cachedPlan, len(keys))
	weeks := map[apel.Date][]planKey{}
	for _, k := range keys {
		m := apel.MondayOf(k.date)
		weeks[m] = append(weeks[m], k)
	}
	for monday, ks := range weeks {
		var facts map[string]apel.Facts
		stamped := stamps
		if len(ks) >= planBulk {
			codes := make([]string, 0, len(b.opds))
			for code := range b.opds {
				codes = append(codes, code)
			}
			for _, k := range ks {
				if _, configured := b.opds[k.opd]; !configured {
					codes = append(codes, k.opd)
				}
			}
			all, err := b.cfg.Store.PlanStamps(ctx, codes) // before the records they vouch for
			if err != nil {
				return nil, err
			}
			stamped = all
			f, err := b.cfg.Store.Facts(ctx, "", monday, monday.AddDays(6))
			if err != nil {
				return nil, fmt.Errorf("plan week %s: %w", monday, err)
			}
			facts = apel.FactsByOPD(f)
		}
		if facts != nil {
			// Read for every OPD: plan them all for the dates asked for, so
			// that the next batches find their plans.
			dates := map[apel.Date]bool{}
			for _, k := range ks {
				dates[k.date] = true
			}
			ks = ks[:0]
			for d := range dates {
				for code := range b.opds {
					ks = append(ks, planKey{opd: code, date: d})
				}
			}
			for _, k := range keys {
				if _, configured := b.opds[k.opd]; !configured && apel.MondayOf(k.date) == monday {
					ks = append(ks, k)
				}
			}
		}
		for _, k := range ks {
			f, ok := facts[k.opd]
			if facts == nil {
				var err error
				if f, err = b.cfg.Store.Facts(ctx, k.opd, monday, monday.AddDays(6)); err != nil {
					return nil, fmt.Errorf("plan %s %s: %w", k.opd, k.date, err)
				}
			} else if !ok {
				f = apel.Facts{} // no active staff
			}
			dp := b.cfg.Planner.Plan(b.opds[k.opd], k.date, f)
			p := &cachedPlan{stamp: stamped[k.opd], plan: dp, people: make(map[int64]apel.Assignment, len(dp.People))}
			for _, a := range dp.People {
				p.people[a.EmployeeID] = a
			}
			out[k] = p
		}
	}
	return out, nil
}
