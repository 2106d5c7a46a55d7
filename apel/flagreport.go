package apel

import "sort"

// FlagTally counts flagged check-ins and what became of them.
type FlagTally struct {
	Flagged  int // check-ins with at least one flag
	Accepted int // reviewed and accepted
	Rejected int // reviewed and rejected (corrected to absent)
	// ByKind counts the flags of each kind (a check-in may have several).
	ByKind map[FlagKind]int
}

// Open is the number of flagged check-ins not reviewed yet.
func (t FlagTally) Open() int { return t.Flagged - t.Accepted - t.Rejected }

func (t *FlagTally) count(f Flagged) {
	t.Flagged++
	if f.Review != nil {
		switch f.Review.Decision {
		case ReviewAccept:
			t.Accepted++
		case ReviewReject:
			t.Rejected++
		}
	}
	if t.ByKind == nil {
		t.ByKind = map[FlagKind]int{}
	}
	for _, fl := range f.Flags {
		t.ByKind[fl.Kind]++
	}
}

// FlagLine is one flagged check-in in the daily report.
type FlagLine struct {
	OPD      OPD
	Employee Employee
	Kind     SessionKind
	Flagged
}

// WithFlags returns r with the flagged check-ins of d counted per OPD and
// for the pemda, and listed. Check-ins of people or sessions d does not
// hold (an employee made inactive since) are left out.
func (r DailyReport) WithFlags(d Day) DailyReport {
	emps := make(map[int64]Employee, len(d.Employees))
	for _, e := range d.Employees {
		emps[e.ID] = e
	}
	sessions := make(map[int64]Session, len(d.Sessions))
	for _, s := range d.Sessions {
		sessions[s.ID] = s
	}
	order := make(map[string]int, len(r.OPDs))
	for i, o := range r.OPDs {
		order[o.OPD.Code] = i
	}
	r.Flags, r.Flagged = FlagTally{}, nil
	r.OPDs = append([]OPDDay(nil), r.OPDs...) // r's caller keeps its own lines
	for i := range r.OPDs {
		r.OPDs[i].Flags = FlagTally{}
	}
	if len(d.Flagged) > 0 {
		r.Flagged = make([]FlagLine, 0, len(d.Flagged)) // a big day flags tens of thousands
	}
	for _, f := range d.Flagged {
		s, ok := sessions[f.CheckIn.SessionID]
		e, known := emps[f.CheckIn.EmployeeID]
		i, listed := order[s.OPD]
		if !ok || !known || !listed || len(f.Flags) == 0 {
			continue
		}
		r.OPDs[i].Flags.count(f)
		r.Flags.count(f)
		r.Flagged = append(r.Flagged, FlagLine{OPD: r.OPDs[i].OPD, Employee: e, Kind: s.Kind, Flagged: f})
	}
	if len(r.Flagged) == 0 {
		r.Flagged = nil
	}
	sort.SliceStable(r.Flagged, func(a, b int) bool {
		x, y := r.Flagged[a], r.Flagged[b]
		if order[x.OPD.Code] != order[y.OPD.Code] {
			return order[x.OPD.Code] < order[y.OPD.Code]
		}
		if x.Kind != y.Kind {
			return x.Kind == Pagi
		}
		return x.CheckIn.Fix.At.Before(y.CheckIn.Fix.At)
	})
	return r
}
