package apel

import (
	"fmt"
	"strings"
	"time"
)

// Role is what a person may do in the bot.
type Role string

// Roles. A head leads one OPD; an admin works at BKPSDM and sees the whole
// pemda.
const (
	RoleStaff Role = "staff"
	RoleHead  Role = "head"
	RoleAdmin Role = "admin"
)

// ParseRole accepts the English codes and the Indonesian words BKPSDM
// rosters use ("staf", "kepala", "admin").
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "staff", "staf", "pegawai", "":
		return RoleStaff, nil
	case "head", "kepala", "kepala opd", "kepala_opd":
		return RoleHead, nil
	case "admin", "bkpsdm", "admin bkpsdm", "admin_bkpsdm":
		return RoleAdmin, nil
	}
	return "", fmt.Errorf("unknown role %q: want staf, kepala or admin", s)
}

// Employee is one ASN on the roster.
type Employee struct {
	ID         int64
	NIP        string
	Name       string
	OPD        string // OPD code
	Position   string // jabatan
	Role       Role
	Active     bool   // false once the person is no longer on the roster
	TelegramID int64  // 0 until the person registers
	Lang       string // preferred language, "" for the pemda default
	// NewHire and Disciplinary make a person ineligible for flexible work
	// under the national rule: a new employee, or one under a disciplinary
	// process, works from office.
	NewHire      bool
	Disciplinary bool
}

// Eligible reports whether e may work off-site at all.
func (e Employee) Eligible() bool { return !e.NewHire && !e.Disciplinary }

// Registered reports whether e has bound a Telegram account.
func (e Employee) Registered() bool { return e.TelegramID != 0 }

// CanManage reports whether e may act for OPD opd: bind its group, approve
// its home points, see its names.
func (e Employee) CanManage(opd string) bool {
	return e.Active && (e.Role == RoleAdmin || (e.Role == RoleHead && e.OPD == opd))
}

// Problem is the stable code of what is wrong with a roster value. Codes are
// locale keys ("roster.problem.<code>").
type Problem string

// Roster problems.
const (
	ProblemNIPLength      Problem = "nip_length"
	ProblemNIPDigits      Problem = "nip_digits"
	ProblemNIPBirthDate   Problem = "nip_birth_date"
	ProblemNIPAppointment Problem = "nip_appointment"
	ProblemNIPSex         Problem = "nip_sex"
	ProblemNIPDuplicate   Problem = "nip_duplicate"
	ProblemNameMissing    Problem = "name_missing"
	ProblemOPDUnknown     Problem = "opd_unknown"
	ProblemRoleUnknown    Problem = "role_unknown"
	ProblemFlagInvalid    Problem = "flag_invalid" // a yes/no column that is neither
	ProblemColumns        Problem = "columns_missing"
	ProblemEmpty          Problem = "empty"
)

// Problems lists every roster problem code.
func Problems() []Problem {
	return []Problem{ProblemNIPLength, ProblemNIPDigits, ProblemNIPBirthDate, ProblemNIPAppointment,
		ProblemNIPSex, ProblemNIPDuplicate, ProblemNameMissing, ProblemOPDUnknown, ProblemRoleUnknown,
		ProblemColumns, ProblemEmpty, ProblemFlagInvalid}
}

// CheckNIP checks an 18-digit NIP and returns "" when it is plausible: birth
// date YYYYMMDD (a real date, year 1940 to 2015), appointment YYYYMM (month
// 1-12, year 1960 to 2099, not before the person turned 15), sex digit 1 or
// 2, three-digit sequence. PPPK numbers share the layout.
func CheckNIP(nip string) Problem {
	if len(nip) != 18 {
		return ProblemNIPLength
	}
	n := 0
	num := func(s string) int {
		n = 0
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	for _, r := range nip {
		if r < '0' || r > '9' {
			return ProblemNIPDigits
		}
	}
	by, bm, bd := num(nip[0:4]), num(nip[4:6]), num(nip[6:8])
	birth := time.Date(by, time.Month(bm), bd, 0, 0, 0, 0, time.UTC)
	if by < 1940 || by > 2015 || bm < 1 || bm > 12 || birth.Day() != bd || int(birth.Month()) != bm {
		return ProblemNIPBirthDate
	}
	ay, am := num(nip[8:12]), num(nip[12:14])
	if am < 1 || am > 12 || ay < 1960 || ay > 2099 || ay*12+am < (by+15)*12+bm {
		return ProblemNIPAppointment
	}
	if nip[14] != '1' && nip[14] != '2' {
		return ProblemNIPSex
	}
	return ""
}

// ValidateNIP is CheckNIP as an error, for callers that only need yes or no.
func ValidateNIP(nip string) error {
	if p := CheckNIP(nip); p != "" {
		return fmt.Errorf("invalid NIP: %s", p)
	}
	return nil
}

// NormalizeNIP removes the spaces and dots people type inside a NIP
// ("19850312 201001 1 002").
func NormalizeNIP(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}
