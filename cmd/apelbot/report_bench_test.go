package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDailyReport is the reports phase of `apelbot bench` alone, for
// benchstat and pprof: the text daily report (load, compile, render) of
// the day an earlier `apelbot bench -run ingest` left in its -db
// directory, 100,000 check-ins for the default pemda. Skipped unless
// APELBOT_BENCH_DIR names that directory.
//
//	apelbot bench -db /tmp/bench -run ingest
//	APELBOT_BENCH_DIR=/tmp/bench go test ./cmd/apelbot -run '^$' -bench DailyReport -benchtime 3x -count 10 | tee new.txt
func BenchmarkDailyReport(b *testing.B) {
	dir := os.Getenv("APELBOT_BENCH_DIR")
	if dir == "" {
		b.Skip("APELBOT_BENCH_DIR is not set: run `apelbot bench -db DIR -run ingest` and set it to DIR")
	}
	cfg, err := loadWithDB(filepath.Join(dir, "bench.yaml"), filepath.Join(dir, "ingest.db"), func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if err := writeDailyReport(ctx, cfg, benchDay, "text", io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
