package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCSV compares the fixture's CSV with testdata/daily.csv.golden;
// go test ./export -update rewrites it (a diff there is a change of the
// published format).
func TestCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := CSV(&buf, fixture(t)); err != nil {
		t.Fatalf("CSV: %v", err)
	}
	golden := filepath.Join("testdata", "daily.csv.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("CSV of the fixture differs from %s (-want +got):\n%s", golden, diff)
	}

	// It parses back as RFC 4180 with the documented header, one row per
	// active employee per held session: 4+4 + 3 + 2+2.
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if diff := cmp.Diff(CSVHeader(), recs[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if got := len(recs) - 1; got != 15 {
		t.Errorf("CSV has %d rows, want 15", got)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\r\n")) || bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Error("CSV lines must end in CRLF and the file must not start with a byte-order mark")
	}
}

func TestCSVNeedsLocation(t *testing.T) {
	t.Parallel()
	d := fixture(t)
	d.Location = nil
	if err := CSV(&bytes.Buffer{}, d); err == nil {
		t.Error("CSV without a Location: err = nil, want an error")
	}
}
