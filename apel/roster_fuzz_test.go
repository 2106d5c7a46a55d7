package apel_test

import (
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// FuzzParseRoster: no roster, however broken, panics; a parse either lists
// errors with line numbers inside the input or returns valid employees.
func FuzzParseRoster(f *testing.F) {
	f.Add("NIP;Nama;Kode OPD;Jabatan;Peran\n198503122010011002;Siti;DISKOMINFO;Pranata;staf")
	f.Add("nip;nama;opd\n\n19850312 201001 1 002;Budi;X\n'198503122010011002;Budi;DISKOMINFO")
	f.Add("\ufeffNIP;Nama;Kode OPD\n;;\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, ";"))
		}
		emps, errs := apel.ParseRoster(rows, func(code string) bool { return code == "DISKOMINFO" })
		if len(emps) > 0 && len(errs) > 0 {
			t.Fatalf("ParseRoster returned both employees and errors")
		}
		for _, e := range errs {
			if e.Line < 1 || e.Line > len(rows)+1 {
				t.Fatalf("error line %d outside 1..%d", e.Line, len(rows)+1)
			}
		}
		for _, e := range emps {
			if apel.CheckNIP(e.NIP) != "" || e.Name == "" || e.OPD != "DISKOMINFO" {
				t.Fatalf("invalid employee accepted: %+v", e)
			}
		}
	})
}
