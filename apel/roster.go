package apel

import (
	"strings"
)

// RowError is one bad roster line: its line number in the file (1-based,
// counting the header), the column and the problem.
type RowError struct {
	Line    int
	Column  string // "nip", "name", "opd", "role", "new_hire", "disciplinary", "" for the whole line
	Value   string
	Problem Problem
}

// Roster column names as BKPSDM files spell them (lower-cased, spaces and
// dots removed), mapped to our fields.
var rosterColumns = map[string]string{
	"nip": "nip", "ni": "nip", "nipni": "nip", "nippppk": "nip",
	"nama": "name", "name": "name", "namalengkap": "name", "namapegawai": "name",
	"opd": "opd", "kodeopd": "opd", "kode_opd": "opd", "opdcode": "opd", "unitkerja": "opd", "kodeunit": "opd",
	"jabatan": "position", "position": "position",
	"peran": "role", "role": "role",
	"pegawaibaru": "new_hire", "baru": "new_hire", "newhire": "new_hire", "newemployee": "new_hire", "new_hire": "new_hire", "cpns": "new_hire",
	"prosesdisiplin": "disciplinary", "disiplin": "disciplinary", "hukumandisiplin": "disciplinary",
	"disciplinary": "disciplinary",
}

// parseFlag reads a yes/no roster cell: empty is no.
func parseFlag(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "tidak", "t", "no", "n", "false", "0", "-":
		return false, true
	case "ya", "y", "yes", "true", "1", "x", "v", "✓":
		return true, true
	}
	return false, false
}

// ParseRoster reads roster rows (the first non-empty row is the header) into
// employees. It needs the columns NIP, Nama and Kode OPD; Jabatan, Peran,
// Pegawai Baru and Proses Disiplin are optional (peran defaults to staf, the
// flags, "ya" or "tidak", to tidak). knownOPD says whether an OPD code
// exists. It returns every bad row; callers import nothing unless the error
// list is empty.
func ParseRoster(rows [][]string, knownOPD func(code string) bool) ([]Employee, []RowError) {
	var errs []RowError
	header := -1
	for i, r := range rows {
		if !blank(r) {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, []RowError{{Line: 1, Problem: ProblemEmpty}}
	}
	col := map[string]int{}
	for i, h := range rows[header] {
		h = strings.TrimPrefix(h, "\ufeff") // Excel's "CSV UTF-8" starts with a byte-order mark
		key := strings.NewReplacer(" ", "", ".", "", "/", "").Replace(strings.ToLower(strings.TrimSpace(h)))
		if f, ok := rosterColumns[key]; ok {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		}
	}
	for _, need := range []string{"nip", "name", "opd"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, RowError{Line: header + 1, Column: need, Problem: ProblemColumns})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cell := func(r []string, f string) string {
		i, ok := col[f]
		if !ok || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	seen := map[string]int{}
	var out []Employee
	for i := header + 1; i < len(rows); i++ {
		r, line := rows[i], i+1
		if blank(r) {
			continue
		}
		e := Employee{
			NIP: NormalizeNIP(strings.TrimPrefix(cell(r, "nip"), "'")), Name: cell(r, "name"),
			OPD: strings.ToUpper(cell(r, "opd")), Position: cell(r, "position"), Active: true,
		}
		bad := len(errs)
		if p := CheckNIP(e.NIP); p != "" {
			errs = append(errs, RowError{Line: line, Column: "nip", Value: cell(r, "nip"), Problem: p})
		} else if _, dup := seen[e.NIP]; dup {
			errs = append(errs, RowError{Line: line, Column: "nip", Value: e.NIP, Problem: ProblemNIPDuplicate})
		} else {
			seen[e.NIP] = line
		}
		if e.Name == "" {
			errs = append(errs, RowError{Line: line, Column: "name", Problem: ProblemNameMissing})
		}
		if !knownOPD(e.OPD) {
			errs = append(errs, RowError{Line: line, Column: "opd", Value: cell(r, "opd"), Problem: ProblemOPDUnknown})
		}
		role, err := ParseRole(cell(r, "role"))
		if err != nil {
			errs = append(errs, RowError{Line: line, Column: "role", Value: cell(r, "role"), Problem: ProblemRoleUnknown})
		}
		e.Role = role
		for _, f := range []struct {
			col string
			dst *bool
		}{{"new_hire", &e.NewHire}, {"disciplinary", &e.Disciplinary}} {
			v, ok := parseFlag(cell(r, f.col))
			if !ok {
				errs = append(errs, RowError{Line: line, Column: f.col, Value: cell(r, f.col), Problem: ProblemFlagInvalid})
			}
			*f.dst = v
		}
		if len(errs) == bad {
			out = append(out, e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, []RowError{{Line: header + 1, Problem: ProblemEmpty}}
	}
	return out, nil
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// RosterChange is what an import did, by NIP.
type RosterChange struct {
	Added     []Employee
	Changed   []Employee
	Removed   []Employee // no longer listed: kept, marked inactive
	Unchanged int
}

// DiffRoster compares the current roster with an imported one. A person is
// changed when name, OPD, position, role or an eligibility flag differ, or
// when an inactive person is listed again.
func DiffRoster(current, imported []Employee) RosterChange {
	cur := make(map[string]Employee, len(current))
	for _, e := range current {
		cur[e.NIP] = e
	}
	var c RosterChange
	listed := make(map[string]bool, len(imported))
	for _, e := range imported {
		listed[e.NIP] = true
		old, ok := cur[e.NIP]
		switch {
		case !ok:
			c.Added = append(c.Added, e)
		case old.Name != e.Name || old.OPD != e.OPD || old.Position != e.Position || old.Role != e.Role || !old.Active ||
			old.NewHire != e.NewHire || old.Disciplinary != e.Disciplinary:
			e.ID, e.TelegramID, e.Lang = old.ID, old.TelegramID, old.Lang
			c.Changed = append(c.Changed, e)
		default:
			c.Unchanged++
		}
	}
	for _, e := range current {
		if e.Active && !listed[e.NIP] {
			c.Removed = append(c.Removed, e)
		}
	}
	return c
}
