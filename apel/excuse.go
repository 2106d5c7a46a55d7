package apel

import (
	"fmt"
	"strings"
)

// ExcuseKind is why someone is excused from apel on a date.
type ExcuseKind string

// Excuse kinds.
const (
	Izin      ExcuseKind = "izin"
	Sakit     ExcuseKind = "sakit"
	Cuti      ExcuseKind = "cuti"
	DinasLuar ExcuseKind = "dinas_luar"
)

// ParseExcuseKind accepts the kinds and "dl" for dinas luar.
func ParseExcuseKind(s string) (ExcuseKind, error) {
	switch k := ExcuseKind(strings.ToLower(strings.TrimSpace(s))); k {
	case Izin, Sakit, Cuti, DinasLuar:
		return k, nil
	case "dl", "dinas-luar", "dinasluar", "dinas luar":
		return DinasLuar, nil
	}
	return "", fmt.Errorf("unknown excuse %q: want izin, sakit, cuti or dl", s)
}

// Excuse excuses one employee from the apel of a whole date.
type Excuse struct {
	EmployeeID int64
	Date       Date
	Kind       ExcuseKind
	By         int64 // employee id of whoever recorded it
}
