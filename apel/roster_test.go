package apel_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
)

// knownOPD knows Ternate's DISKOMINFO, DINKES and BKPSDM.
func knownOPD(code string) bool {
	switch code {
	case "DISKOMINFO", "DINKES", "BKPSDM":
		return true
	}
	return false
}

func staffOf(nip, name, opd, position string, role apel.Role) apel.Employee {
	return apel.Employee{NIP: nip, Name: name, OPD: opd, Position: position, Role: role, Active: true}
}

func TestParseRoster(t *testing.T) {
	t.Parallel()
	header := []string{"NIP", "Nama", "Kode OPD", "Jabatan", "Peran"}
	tests := []struct {
		name     string
		rows     [][]string
		want     []apel.Employee
		wantErrs []apel.RowError
	}{
		{
			name: "good file with Indonesian headers",
			rows: [][]string{
				header,
				{"198503122010011002", "Ani Lestari", "DISKOMINFO", "Kepala Dinas", "kepala"},
				{"199001152015032001", "Budi Santoso", "diskominfo", "Pranata Komputer", "staf"},
				{"198803202012121003", "Citra Dewi", " DINKES ", "Analis", ""},
				{"197911052005011004", "Dedi", "BKPSDM", "Analis SDM", "Admin BKPSDM"},
			},
			want: []apel.Employee{
				staffOf("198503122010011002", "Ani Lestari", "DISKOMINFO", "Kepala Dinas", apel.RoleHead),
				staffOf("199001152015032001", "Budi Santoso", "DISKOMINFO", "Pranata Komputer", apel.RoleStaff),
				staffOf("198803202012121003", "Citra Dewi", "DINKES", "Analis", apel.RoleStaff),
				staffOf("197911052005011004", "Dedi", "BKPSDM", "Analis SDM", apel.RoleAdmin),
			},
		},
		{
			name: "NIP written with spaces, dots or a leading apostrophe (Excel text marker)",
			rows: [][]string{
				header,
				{"19850312 201001 1 002", "Ani", "DISKOMINFO", "", ""},
				{"19900115.201503.2.001", "Budi", "DISKOMINFO", "", ""},
				{"'198803202012121003", "Citra", "DISKOMINFO", "", ""},
				{" '19791105 200501 1 004 ", "Dedi", "DISKOMINFO", "", ""},
				{"19960704-202203-1-005", "Eka", "DISKOMINFO", "", ""},
			},
			want: []apel.Employee{
				staffOf("198503122010011002", "Ani", "DISKOMINFO", "", apel.RoleStaff),
				staffOf("199001152015032001", "Budi", "DISKOMINFO", "", apel.RoleStaff),
				staffOf("198803202012121003", "Citra", "DISKOMINFO", "", apel.RoleStaff),
				staffOf("197911052005011004", "Dedi", "DISKOMINFO", "", apel.RoleStaff),
				staffOf("199607042022031005", "Eka", "DISKOMINFO", "", apel.RoleStaff),
			},
		},
		{
			name: "other header spellings, another column order, extra columns and short rows",
			rows: [][]string{
				{"No.", "Nama Lengkap", "Unit Kerja", "NIP/NI", "Golongan"},
				{"1", "Ani", "DINKES", "198503122010011002", "III/a"},
				{"2", "Budi", "DINKES", "199001152015032001"}, // no Golongan cell
			},
			want: []apel.Employee{
				staffOf("198503122010011002", "Ani", "DINKES", "", apel.RoleStaff),
				staffOf("199001152015032001", "Budi", "DINKES", "", apel.RoleStaff),
			},
		},
		{
			name: "only the required columns: peran defaults to staf",
			rows: [][]string{
				{" nip ", "NAMA", "kode_opd"},
				{"198503122010011002", "Ani", "BKPSDM"},
			},
			want: []apel.Employee{staffOf("198503122010011002", "Ani", "BKPSDM", "", apel.RoleStaff)},
		},
		{
			name: "a repeated column: the first one counts",
			rows: [][]string{
				{"NIP", "Nama", "Kode OPD", "NI"},
				{"198503122010011002", "Ani", "BKPSDM", "garbage"},
			},
			want: []apel.Employee{staffOf("198503122010011002", "Ani", "BKPSDM", "", apel.RoleStaff)},
		},
		{
			name: "line numbers of bad rows count the header as line 1 and blank lines",
			rows: [][]string{
				header, // 1
				{"198503122010011002", "Ani", "DISKOMINFO", "", "staf"}, // 2 good
				{"", "", "", "", ""}, // 3 blank
				{"19850312201001100", "Budi", "DISKOMINFO", "", ""},   // 4 short NIP
				{"199001152015032001", "Citra", "DISPARBUD", "", ""},  // 5 unknown OPD
				{"198803202012121003", " ", "DINKES", "", ""},         // 6 no name
				{"197911052005011004", "Dedi", "DINKES", "", "sekda"}, // 7 unknown role
				{"19850312.201001.1.002", "Eka", "DINKES", "", ""},    // 8 duplicate of line 2
				{}, // 9 empty row
				{"19850312201001100X", "Fajar", "DINKES", "", ""},          // 10 letter in NIP
				{"198502302010011002", "Gita", "DINKES", "", ""},           // 11 30 February
				{"198503122010131002", "Hadi", "DINKES", "", ""},           // 12 appointment month 13
				{"198503122010013002", "Indah", "DINKES", "", ""},          // 13 sex digit 3
				{"123", "", "", "", "ketua"},                               // 14 everything wrong
				{"199607042022031005", "Joko", "BKPSDM", "Analis", "staf"}, // 15 good
			},
			wantErrs: []apel.RowError{
				{Line: 4, Column: "nip", Value: "19850312201001100", Problem: apel.ProblemNIPLength},
				{Line: 5, Column: "opd", Value: "DISPARBUD", Problem: apel.ProblemOPDUnknown},
				{Line: 6, Column: "name", Problem: apel.ProblemNameMissing},
				{Line: 7, Column: "role", Value: "sekda", Problem: apel.ProblemRoleUnknown},
				{Line: 8, Column: "nip", Value: "198503122010011002", Problem: apel.ProblemNIPDuplicate},
				{Line: 10, Column: "nip", Value: "19850312201001100X", Problem: apel.ProblemNIPDigits},
				{Line: 11, Column: "nip", Value: "198502302010011002", Problem: apel.ProblemNIPBirthDate},
				{Line: 12, Column: "nip", Value: "198503122010131002", Problem: apel.ProblemNIPAppointment},
				{Line: 13, Column: "nip", Value: "198503122010013002", Problem: apel.ProblemNIPSex},
				{Line: 14, Column: "nip", Value: "123", Problem: apel.ProblemNIPLength},
				{Line: 14, Column: "name", Problem: apel.ProblemNameMissing},
				{Line: 14, Column: "opd", Value: "", Problem: apel.ProblemOPDUnknown},
				{Line: 14, Column: "role", Value: "ketua", Problem: apel.ProblemRoleUnknown},
			},
		},
		{
			name: "blank lines before the header shift every line number",
			rows: [][]string{
				{},          // 1
				{" ", "  "}, // 2
				header,      // 3
				{"198503122010011002", "Ani", "NOPE", "", ""}, // 4
			},
			wantErrs: []apel.RowError{{Line: 4, Column: "opd", Value: "NOPE", Problem: apel.ProblemOPDUnknown}},
		},
		{
			name: "an invalid NIP twice is two NIP errors, not a duplicate",
			rows: [][]string{
				header,
				{"12345", "Ani", "DINKES", "", ""},
				{"12345", "Budi", "DINKES", "", ""},
			},
			wantErrs: []apel.RowError{
				{Line: 2, Column: "nip", Value: "12345", Problem: apel.ProblemNIPLength},
				{Line: 3, Column: "nip", Value: "12345", Problem: apel.ProblemNIPLength},
			},
		},
		{
			name: "duplicate NIP",
			rows: [][]string{
				header,
				{"198503122010011002", "Ani", "DINKES", "", ""},
				{"198503122010011002", "Ani Lestari", "DISKOMINFO", "", ""},
				{"'198503122010011002", "Ani L.", "BKPSDM", "", ""},
			},
			wantErrs: []apel.RowError{
				{Line: 3, Column: "nip", Value: "198503122010011002", Problem: apel.ProblemNIPDuplicate},
				{Line: 4, Column: "nip", Value: "198503122010011002", Problem: apel.ProblemNIPDuplicate},
			},
		},
		{
			name: "missing columns are reported on the header line",
			rows: [][]string{
				{"NIP", "Jabatan", "Peran"},
				{"198503122010011002", "Analis", "staf"},
			},
			wantErrs: []apel.RowError{
				{Line: 1, Column: "name", Problem: apel.ProblemColumns},
				{Line: 1, Column: "opd", Problem: apel.ProblemColumns},
			},
		},
		{
			name: "a header with none of our columns misses all three",
			rows: [][]string{
				{},
				{"No", "Golongan"},
			},
			wantErrs: []apel.RowError{
				{Line: 2, Column: "nip", Problem: apel.ProblemColumns},
				{Line: 2, Column: "name", Problem: apel.ProblemColumns},
				{Line: 2, Column: "opd", Problem: apel.ProblemColumns},
			},
		},
		{
			name:     "empty file",
			rows:     nil,
			wantErrs: []apel.RowError{{Line: 1, Problem: apel.ProblemEmpty}},
		},
		{
			name:     "only blank lines",
			rows:     [][]string{{}, {"", " "}, {"\t"}},
			wantErrs: []apel.RowError{{Line: 1, Problem: apel.ProblemEmpty}},
		},
		{
			name:     "a header and no one under it",
			rows:     [][]string{{}, header, {"", "", ""}},
			wantErrs: []apel.RowError{{Line: 2, Problem: apel.ProblemEmpty}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, errs := apel.ParseRoster(tt.rows, knownOPD)
			if diff := cmp.Diff(tt.wantErrs, errs); diff != "" {
				t.Errorf("ParseRoster(%q) errors mismatch (-want +got):\n%s", tt.rows, diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseRoster(%q) employees mismatch (-want +got):\n%s", tt.rows, diff)
			}
		})
	}
}

func TestParseRosterAsksAboutUpperCaseCodes(t *testing.T) {
	t.Parallel()
	var asked []string
	rows := [][]string{{"NIP", "Nama", "Kode OPD"}, {"198503122010011002", "Ani", " dinkes "}}
	_, errs := apel.ParseRoster(rows, func(code string) bool {
		asked = append(asked, code)
		return true
	})
	if len(errs) != 0 {
		t.Fatalf("ParseRoster(%q) errors = %+v, want none", rows, errs)
	}
	if diff := cmp.Diff([]string{"DINKES"}, asked); diff != "" {
		t.Errorf("ParseRoster(%q) asked knownOPD about (-want +got):\n%s", rows, diff)
	}
}

func TestDiffRoster(t *testing.T) {
	t.Parallel()
	current := []apel.Employee{
		{ID: 1, NIP: "198503122010011002", Name: "Ani", OPD: "DISKOMINFO", Position: "Analis", Role: apel.RoleStaff, Active: true, TelegramID: 111, Lang: "en"},
		{ID: 2, NIP: "199001152015032001", Name: "Budi", OPD: "DISKOMINFO", Position: "Analis", Role: apel.RoleStaff, Active: true, TelegramID: 222, Lang: "id"},
		{ID: 3, NIP: "198803202012121003", Name: "Citra", OPD: "DINKES", Position: "Perawat", Role: apel.RoleStaff, Active: false, TelegramID: 333},
		{ID: 4, NIP: "197911052005011004", Name: "Dedi", OPD: "DINKES", Position: "Kepala", Role: apel.RoleHead, Active: true, TelegramID: 444},
		{ID: 5, NIP: "199607042022031005", Name: "Eka", OPD: "BKPSDM", Role: apel.RoleAdmin, Active: false},
		{ID: 6, NIP: "198101012006041006", Name: "Fajar", OPD: "DINKES", Position: "Dokter", Role: apel.RoleStaff, Active: true},
		{ID: 7, NIP: "198202022007052007", Name: "Gita", OPD: "DINKES", Position: "Bidan", Role: apel.RoleStaff, Active: true, TelegramID: 777},
		{ID: 8, NIP: "198303032008062008", Name: "Hadi", OPD: "DINKES", Position: "Sopir", Role: apel.RoleStaff, Active: true, TelegramID: 888},
	}
	// Imported rows come from ParseRoster: no IDs, no Telegram bindings.
	imported := []apel.Employee{
		staffOf("198503122010011002", "Ani", "DISKOMINFO", "Analis", apel.RoleStaff),       // unchanged
		staffOf("199001152015032001", "Budi", "DINKES", "Analis", apel.RoleStaff),          // moved OPD
		staffOf("198803202012121003", "Citra", "DINKES", "Perawat", apel.RoleStaff),        // inactive, listed again
		staffOf("198101012006041006", "Fajar Nugroho", "DINKES", "Dokter", apel.RoleStaff), // name
		staffOf("198202022007052007", "Gita", "DINKES", "Bidan Ahli", apel.RoleStaff),      // position
		staffOf("198303032008062008", "Hadi", "DINKES", "Sopir", apel.RoleHead),            // role
		staffOf("200001012024011009", "Joko", "BKPSDM", "Analis SDM", apel.RoleAdmin),      // new
	}
	got := apel.DiffRoster(current, imported)
	carried := func(e apel.Employee, id, tg int64, lang string) apel.Employee {
		e.ID, e.TelegramID, e.Lang = id, tg, lang
		return e
	}
	want := apel.RosterChange{
		Added: []apel.Employee{imported[6]},
		Changed: []apel.Employee{
			carried(imported[1], 2, 222, "id"),
			carried(imported[2], 3, 333, ""),
			carried(imported[3], 6, 0, ""),
			carried(imported[4], 7, 777, ""),
			carried(imported[5], 8, 888, ""),
		},
		Removed:   []apel.Employee{current[3]}, // Dedi; Eka was already inactive
		Unchanged: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffRoster mismatch (-want +got):\n%s", diff)
	}
	for _, c := range got.Changed {
		if !c.Active {
			t.Errorf("DiffRoster Changed %s Active = false, want true (listed in the import)", c.NIP)
		}
	}
}

func TestDiffRosterEdges(t *testing.T) {
	t.Parallel()
	ani := apel.Employee{ID: 1, NIP: "198503122010011002", Name: "Ani", OPD: "DINKES", Role: apel.RoleStaff, Active: true}
	budi := apel.Employee{ID: 2, NIP: "199001152015032001", Name: "Budi", OPD: "DINKES", Role: apel.RoleStaff, Active: true}
	fresh := func(e apel.Employee) apel.Employee { e.ID = 0; return e }
	tests := []struct {
		name     string
		current  []apel.Employee
		imported []apel.Employee
		want     apel.RosterChange
	}{
		{"first import adds everyone", nil, []apel.Employee{fresh(ani), fresh(budi)},
			apel.RosterChange{Added: []apel.Employee{fresh(ani), fresh(budi)}}},
		{"an empty import removes every active person", []apel.Employee{ani, budi}, nil,
			apel.RosterChange{Removed: []apel.Employee{ani, budi}}},
		{"the same roster again changes nothing", []apel.Employee{ani, budi}, []apel.Employee{fresh(ani), fresh(budi)},
			apel.RosterChange{Unchanged: 2}},
		{"nothing and nothing", nil, nil, apel.RosterChange{}},
	}
	for _, tt := range tests {
		got := apel.DiffRoster(tt.current, tt.imported)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: DiffRoster mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestParseRosterEligibilityFlags(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"NIP", "Nama", "Kode OPD", "Pegawai Baru", "Proses Disiplin"},
		{"198503122010011002", "Ani", "DISKOMINFO", "ya", ""},
		{"199001152015032001", "Budi", "DISKOMINFO", "tidak", "Ya"},
		{"198803202012121003", "Citra", "DINKES", "", "0"},
	}
	got, errs := apel.ParseRoster(rows, knownOPD)
	if len(errs) != 0 {
		t.Fatalf("ParseRoster: %+v", errs)
	}
	ani, budi, citra := staffOf("198503122010011002", "Ani", "DISKOMINFO", "", apel.RoleStaff),
		staffOf("199001152015032001", "Budi", "DISKOMINFO", "", apel.RoleStaff),
		staffOf("198803202012121003", "Citra", "DINKES", "", apel.RoleStaff)
	ani.NewHire, budi.Disciplinary = true, true
	if diff := cmp.Diff([]apel.Employee{ani, budi, citra}, got); diff != "" {
		t.Errorf("ParseRoster with flags mismatch (-want +got):\n%s", diff)
	}
	rows[2][3] = "mungkin"
	_, errs = apel.ParseRoster(rows, knownOPD)
	want := []apel.RowError{{Line: 3, Column: "new_hire", Value: "mungkin", Problem: apel.ProblemFlagInvalid}}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("ParseRoster with a bad flag: errors mismatch (-want +got):\n%s", diff)
	}
	// A change of a flag alone is a roster change.
	ch := apel.DiffRoster([]apel.Employee{citra}, []apel.Employee{func() apel.Employee { c := citra; c.NewHire = true; return c }()})
	if len(ch.Changed) != 1 {
		t.Errorf("DiffRoster with a flag set = %+v, want one change", ch)
	}
}
