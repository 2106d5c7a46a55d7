package main

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// BenchmarkIngest is the ingest run of `apelbot bench` at a small scale,
// for benchstat: each iteration has everyone of a pemda of 1,000 ASN in 20
// OPDs check in at once, through the fake Bot API (enforcing Telegram's
// limits), the real bot and store, and waits until every check-in is
// committed. Starting the bot and opening the sessions is not timed.
//
//	go test ./cmd/apelbot -run '^$' -bench Ingest -count 6 | tee new.txt
//	benchstat old.txt new.txt
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	p, err := newBenchPemda(ctx, dir, 1000, 20, false, nil, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	people := slices.Clone(p.people)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	var rate, p99 float64
	runs := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(dir, "ingest.db")
		if err := p.copyTo(path); err != nil {
			b.Fatal(err)
		}
		a, err := startBenchApp(ctx, p, path, filepath.Join(dir, "ingest.log"), benchDay.At(clockOf(7, 14), p.cfg.Policy.Location), 2*len(people))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.tick(ctx, a.at(7, 15)); err != nil {
			b.Fatal(err)
		}
		a.clock.Set(a.at(7, 20))
		b.StartTimer()
		r := a.ingestBurst(ctx, people, a.at(7, 20), 10*time.Minute)
		b.StopTimer()
		if err := a.stop(); err != nil {
			b.Fatal(err)
		}
		if r.TimedOut || r.Committed != len(people) {
			b.Fatalf("%d of %d check-ins committed", r.Committed, len(people))
		}
		rate += r.Rate
		p99 += float64(r.Latency.P99) / float64(time.Millisecond)
		runs++
		b.StartTimer()
	}
	b.ReportMetric(rate/float64(runs), "checkins/s")
	b.ReportMetric(p99/float64(runs), "p99-ms")
}

func TestBenchNIPsAreValidAndUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]int{}
	for i := 1; i <= 60000; i++ {
		nip := benchNIP(i)
		if p := apel.CheckNIP(nip); p != "" {
			t.Fatalf("benchNIP(%d) = %s: %s", i, nip, p)
		}
		if j, dup := seen[nip]; dup {
			t.Fatalf("benchNIP(%d) = benchNIP(%d) = %s", i, j, nip)
		}
		seen[nip] = i
	}
}

// The bench's check-ins are not flagged as shared coordinates: no two
// people of the default pemda send the same position (to the 6 decimals
// the flag compares), at pagi or at sore.
func TestBenchDesksAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[[2]int64]benchPerson{}
	for _, ps := range benchPeople(50000, 1000) {
		lat, lon := ps.desk()
		at := [2]int64{int64(math.Round(lat * 1e6)), int64(math.Round(lon * 1e6))}
		if o, dup := seen[at]; dup {
			t.Fatalf("users %d and %d both send %.6f,%.6f", o.User, ps.User, lat, lon)
		}
		seen[at] = ps
	}
}

func TestBenchConfigParses(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig([]byte(benchConfigYAML(3, "07:30", "16:00")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.OPDs) != 3 || len(cfg.Policy.Days) != 7 {
		t.Errorf("bench config: %d OPDs and %d days, want 3 and 7", len(cfg.OPDs), len(cfg.Policy.Days))
	}
}

func TestFootprintClock(t *testing.T) {
	t.Parallel()
	for h := range 24 {
		for _, m := range []int{0, 20, 40} {
			now := time.Date(2026, 1, 12, h, m, 0, 0, time.UTC)
			zone, pagi, sore, err := footprintClock(now)
			if err != nil {
				continue // the hour of the day no zone suits
			}
			raw := benchConfigYAML(1, pagi, sore)
			if _, err := ParseConfig([]byte(raw), nil); err != nil {
				t.Errorf("footprintClock(%s) = %s %s %s: config: %v", now.Format("15:04"), zone, pagi, sore, err)
			}
		}
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	if got.N != 100 || got.P50 != 51*time.Millisecond || got.P99 != 100*time.Millisecond || got.Max != 100*time.Millisecond {
		t.Errorf("summarize(1..100 ms) = %+v, want p50 51 ms, p99 and max 100 ms", got)
	}
}

func TestCallKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		call telegramtest.Call
		want string
	}{
		{telegramtest.Call{Method: "sendMessage", Params: map[string]string{"chat_id": "-5", "reply_markup": `{"inline_keyboard":[]}`}}, "prompt"},
		{telegramtest.Call{Method: "sendMessage", Params: map[string]string{"chat_id": "5", "reply_markup": `{"remove_keyboard":true}`}}, "reply"},
		{telegramtest.Call{Method: "sendMessage", Params: map[string]string{"chat_id": "5", "reply_markup": `{"keyboard":[[{"text":"x","request_location":true}]]}`}}, "ask"},
		{telegramtest.Call{Method: "sendMessage", Params: map[string]string{"chat_id": "5"}}, "report"},
		{telegramtest.Call{Method: "editMessageText", Params: map[string]string{"chat_id": "-5"}}, "progress"},
		{telegramtest.Call{Method: "answerCallbackQuery"}, "callback"},
	} {
		if got := callKind(tc.call); got != tc.want {
			t.Errorf("callKind(%v) = %q, want %q", tc.call, got, tc.want)
		}
	}
}
