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
