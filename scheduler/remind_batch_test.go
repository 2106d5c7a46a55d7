package scheduler_test

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/scheduler"
)

// batchMessenger is the fake messenger that also queues a session's
// reminders at once, as the bot does; it records each batch and passes the
// reminders on to the fake one by one.
type batchMessenger struct {
	*fakeMessenger
	mu      sync.Mutex
	batches [][]string // names per RemindAll
}

func (m *batchMessenger) RemindAll(ctx context.Context, es []apel.Employee, s apel.Session) error {
	var names []string
	for _, e := range es {
		if err := m.Remind(ctx, e, s); err != nil {
			return err
		}
		names = append(names, e.Name)
	}
	m.mu.Lock()
	m.batches = append(m.batches, names)
	m.mu.Unlock()
	return nil
}

// TestTickRemindsInBatches: a messenger that queues reminders in batches
// gets one batch per session, with whom Remind would have reminded.
func TestTickRemindsInBatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	batch := &batchMessenger{fakeMessenger: f.msgr}
	f.sched = scheduler.New(scheduler.Config{
		Pemda: pemda, Policy: f.policy, OPDs: f.opds, Store: f.store, Messenger: batch,
		Logger: zerolog.New(io.Discard), Now: f.clock.Now,
	})
	d := feb(mon)
	f.tick(d, "07:15")
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	f.checkIn(bappeda, d, apel.Pagi, idHadi, false, true)
	calls := f.tick(d, "08:15")
	if diff := cmp.Diff([]string{"Remind Ani pagi", "Remind Citra pagi", "Remind Gita pagi"}, briefs(only(mRemind, calls))); diff != "" {
		t.Errorf("Tick at Mon 08:15: reminders (-want +got):\n%s", diff)
	}
	n := 0
	for _, b := range batch.batches {
		n += len(b)
	}
	if n != 3 || len(batch.batches) > len(f.opds) {
		t.Errorf("batches %v, want the 3 reminders in at most one batch per session", batch.batches)
	}
	if calls := f.tick(d, "08:16"); len(only(mRemind, calls)) != 0 {
		t.Errorf("Tick at 08:16 reminded again: %v", briefs(calls))
	}
}
