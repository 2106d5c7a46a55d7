package main

import (
	"testing"
)

// FuzzParseConfig: no configuration file, however broken, panics; an
// accepted one always has a zone, OPDs and a valid policy.
func FuzzParseConfig(f *testing.F) {
	raw, err := demoFS.ReadFile("demo/config.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw))
	f.Add("pemda: X\ntimezone: Asia/Jakarta\nopds: [{code: A, name: A, office: {lat: 1, lon: 2}}]\n")
	f.Add("schedule: {days: {senin: {pagi: '25:00'}}}")
	f.Add("timezone: CRON_TZ=Asia/Jakarta")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := ParseConfig([]byte(text), func(string) string { return "" })
		if err != nil {
			return
		}
		if cfg.Policy.Location == nil || len(cfg.OPDs) == 0 {
			t.Fatalf("accepted config without zone or OPDs: %v", cfg)
		}
		if err := cfg.Policy.Validate(); err != nil {
			t.Fatalf("accepted config with invalid policy: %v", err)
		}
	})
}

// FuzzParseCSV: the roster reader never panics and keeps line numbers.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("NIP;Nama;Kode OPD\n\n198503122010011002;Siti;A\n"))
	f.Add([]byte("\xef\xbb\xbfNIP,Nama\n\"a\nb\",c\n"))
	f.Add([]byte("\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseCSV(data)
	})
}
