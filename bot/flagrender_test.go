package bot

import (
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// TestReportFlagsListIsCapped: the daily report's message lists the first
// maxReportFlags flagged check-ins and says how many more there are, so a
// day with thousands of flags is still a message BKPSDM can forward.
func TestReportFlagsListIsCapped(t *testing.T) {
	t.Parallel()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer("id")
	line := func(i int) apel.FlagLine {
		return apel.FlagLine{OPD: apel.OPD{Code: "DISKOMINFO"}, Employee: apel.Employee{Name: "ASN " + itoa(int64(i)), NIP: "1990"},
			Kind: apel.Pagi, Flagged: apel.Flagged{Flags: []apel.Flag{{Kind: apel.FlagOutsideRadius}}}}
	}
	for _, n := range []int{maxReportFlags, maxReportFlags + 5} {
		r := apel.DailyReport{Flags: apel.FlagTally{Flagged: n}}
		for i := range n {
			r.Flagged = append(r.Flagged, line(i))
		}
		got := reportFlags(p, r)
		listed := strings.Count(got, "DISKOMINFO · ")
		more := strings.Contains(got, p.T("report.flags_more", 5))
		if listed != maxReportFlags || more != (n > maxReportFlags) {
			t.Errorf("%d flagged: %d listed, 'and 5 more' %v; want %d listed, the line only past the cap:\n%s", n, listed, more, maxReportFlags, got)
		}
	}
}
