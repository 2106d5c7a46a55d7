package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkEngineWrite measures one small write transaction (MarkDone: an
// INSERT in its own transaction, under the write lock on PostgreSQL) and
// one small read (Done), on the engine of the pass:
//
//	go test ./store -run '^$' -bench Engine                  SQLite
//	APELBOT_TEST_POSTGRES=postgres://... APELBOT_TEST_ENGINES=postgres go test ./store -run '^$' -bench Engine
func BenchmarkEngine(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, testDSN(b, filepath.Join(b.TempDir(), "bench.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Run("write", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if _, err := db.MarkDone(ctx, fmt.Sprintf("bench:%d", i), time.UnixMilli(int64(i))); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write-parallel", func(b *testing.B) {
		var n atomic.Int64
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				k := fmt.Sprintf("par:%d", n.Add(1))
				if _, err := db.MarkDone(ctx, k, time.UnixMilli(1)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Done(ctx, "bench:1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCopyTo measures `apelbot migrate-store`: a month of a pemda of
// 100 OPDs and 5,000 ASN (about 200,000 check-ins) copied from SQLite into
// PostgreSQL, sums compared. It runs on the PostgreSQL pass:
//
//	APELBOT_TEST_POSTGRES=postgres://... APELBOT_TEST_ENGINES=postgres go test ./store -run '^$' -bench CopyTo -benchtime 1x
func BenchmarkCopyTo(b *testing.B) {
	if testPass != postgres {
		b.Skip("runs on the PostgreSQL pass")
	}
	ctx := context.Background()
	src, err := Open(ctx, filepath.Join(b.TempDir(), "src.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	_, rows := generateMonth(b, src, 100, 50)
	for b.Loop() {
		b.StopTimer()
		dst, err := Open(ctx, testDSN(b, filepath.Join(b.TempDir(), "dst")))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := src.CopyTo(ctx, dst); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = dst.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
