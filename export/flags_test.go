package export

import (
	"bytes"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// withFlags is the fixture with two flagged check-ins: Besse's late pagi
// (poor accuracy and shared coordinates, not reviewed) and Fitriani's pagi
// outside the fence (rejected).
func withFlags(t *testing.T) Detail {
	d := fixture(t)
	at := d.Day.CheckIns[0].Fix.At
	d.Day.Flagged = []apel.Flagged{
		{CheckIn: d.Day.CheckIns[6], Flags: []apel.Flag{{CheckInID: 202, Kind: apel.FlagOutsideRadius, Value: 2002, At: at}},
			Review: &apel.Review{CheckInID: 202, Decision: apel.ReviewReject, By: 5, At: at, Note: "HP dititipkan"}},
		{CheckIn: d.Day.CheckIns[1], Flags: []apel.Flag{
			{CheckInID: 102, Kind: apel.FlagPoorAccuracy, Value: 300, At: at},
			{CheckInID: 102, Kind: apel.FlagSharedCoordinates, Other: 101, Value: 2, At: at}}},
	}
	d.Report = d.Report.WithFlags(d.Day)
	return d
}

func TestXLSXFlagsSheet(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, "id", withFlags(t))
	for cell, want := range map[string]string{
		"A1": "No.", "G1": "Tanda", "H1": "Tinjauan",
		"B2": "DISKOMINFO", "C2": "199001012015032001", "D2": "Besse Nurhayati", "E2": "Pagi",
		"G2": "akurasi rendah, koordinat sama dengan ASN lain", "H2": "belum ditinjau",
		"B3": "DINKES", "D3": "Fitriani Ahmad", "G3": "di luar radius", "H3": "ditolak (TK): HP dititipkan",
	} {
		if got := text(t, f, "Tanda", cell); got != want {
			t.Errorf("Tanda!%s = %q, want %q", cell, got, want)
		}
	}
	if got := number(t, f, "Tanda", "F2"); got < 0.3 || got > 0.33 { // 07.42 as a day fraction
		t.Errorf("Tanda!F2 = %v, want the check-in time 07.42 as a day fraction", got)
	}
	// No flags, no sheet.
	plain := openXLSX(t, "id", fixture(t))
	if i, _ := plain.GetSheetIndex("Tanda"); i != -1 {
		t.Errorf("a day without flags has a Tanda sheet")
	}
}

func TestPDFFlagsSection(t *testing.T) {
	t.Parallel()
	d := withFlags(t)
	var plain bytes.Buffer
	if err := writePDF(&plain, printer(t, "id"), d, pdfOptions{}); err != nil {
		t.Fatalf("writePDF: %v", err)
	}
	for _, want := range []string{
		"Kehadiran bertanda untuk ditinjau", "Bertanda: 2 (diterima 0, ditolak 1, belum ditinjau 1)",
		"Besse Nurhayati (199001012015032001)", "akurasi rendah,", "belum ditinjau",
		"Fitriani Ahmad (198102282006042006)", "di luar radius", "ditolak (TK): HP dititipkan",
	} {
		if !drawn(plain.Bytes(), want) {
			t.Errorf("uncompressed PDF does not draw %q", want)
		}
	}
	var without bytes.Buffer
	if err := writePDF(&without, printer(t, "id"), fixture(t), pdfOptions{}); err != nil {
		t.Fatal(err)
	}
	if drawn(without.Bytes(), "Kehadiran bertanda untuk ditinjau") {
		t.Errorf("a day without flags has a flags section")
	}
}
