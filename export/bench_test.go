package export

import (
	"io"
	"testing"
)

// BenchmarkXLSX writes the workbook of a synthetic day of 50,000 employees
// in 1,000 OPDs (1,001 sheets). Building the day is not timed.
//
//	go test ./export -run '^$' -bench XLSX -benchtime 1x -benchmem
func BenchmarkXLSX(b *testing.B) {
	d := synthetic(b, 1000, 50)
	p := printer(b, "id")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := XLSX(io.Discard, p, d); err != nil {
			b.Fatal(err)
		}
	}
}
