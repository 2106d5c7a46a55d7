package export

import (
	"strconv"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// Month is what the monthly exports are made from: the evaluation of a
// period (usually a calendar month) and the names to print.
type Month struct {
	Eval   apel.Evaluation // apel.Evaluate of the period
	BKPSDM string          // the HR agency named on the PDF and in the XLSX properties
}

// monthTitle is the document title: "Evaluasi Bulanan Apel — Kota X —
// Januari 2026".
func monthTitle(p locales.Printer, e apel.Evaluation) string {
	return p.T("export.month.title") + " — " + e.Pemda + " — " + monthName(p, e.From, e.To)
}

// excelDate is d as an Excel date serial (days since 30 December 1899).
func excelDate(d apel.Date) float64 {
	epoch := time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	return float64(d.At(apel.Clock{}, time.UTC).Sub(epoch) / (24 * time.Hour))
}

// weekLabel names an ISO week: "Minggu 3".
func weekLabel(p locales.Printer, w apel.WeekEval) string {
	return p.T("export.month.week", w.Week)
}

// shortDate is "5 Jan": a date in a table of one month.
func shortDate(p locales.Printer, d apel.Date) string {
	name := []rune(p.T("month." + strconv.Itoa(int(d.Month))))
	return strconv.Itoa(d.Day) + " " + string(name[:min(3, len(name))])
}
