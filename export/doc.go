// Package export writes the pemda's daily apel report as files for BKPSDM,
// the Sekda and the mayor or regent: CSV for machines, XLSX for people who
// work in a spreadsheet, PDF to print and sign, and a PNG chart.
//
// Every function writes to an io.Writer and does nothing else: no clock, no
// files, no network. Words come from the locale catalogues through a
// [locales.Printer]; codes in the CSV are stable and never translated.
package export
