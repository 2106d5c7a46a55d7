package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// The evidence of a batch (traces and flags, flags.go) is kept by one
// worker after the batch is recorded, so that the 07.30 burst's next batch
// does not wait for it: the check-ins, their replies and their updates are
// already durable. The worker keeps batches in order; when its queue is
// full, or no worker runs (a Bot not started by Run), the batch's evidence
// is kept on the spot. Flush waits for the queue to empty, so tests and a
// graceful stop see every flag; a crash loses the queued evidence (the
// check-ins stand, unflagged).

// evidenceQueueCap is how many batches may wait for the worker.
const evidenceQueueCap = 256

// evidenceJob is one recorded batch whose evidence is still to keep.
type evidenceJob struct {
	stored []storedCheckIn
	now    time.Time
}

// evidenceQueue is the worker's queue and a count of the jobs not done.
type evidenceQueue struct {
	jobs    chan evidenceJob
	running atomic.Bool

	mu   sync.Mutex
	n    int           // jobs queued or under way
	idle chan struct{} // closed when n drops to 0
}

func newEvidenceQueue() *evidenceQueue {
	idle := make(chan struct{})
	close(idle)
	return &evidenceQueue{jobs: make(chan evidenceJob, evidenceQueueCap), idle: idle}
}

func (q *evidenceQueue) add() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		q.idle = make(chan struct{})
	}
	q.n++
}

func (q *evidenceQueue) done() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n--
	if q.n == 0 {
		close(q.idle)
	}
}

// wait returns once no job is queued or under way, or ctx ends.
func (q *evidenceQueue) wait(ctx context.Context) error {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// queueEvidence hands a recorded batch to the worker, or keeps its
// evidence now when the worker is not running or its queue is full.
func (b *Bot) queueEvidence(ctx context.Context, stored []storedCheckIn, now time.Time) {
	if len(stored) == 0 {
		return
	}
	q := b.evq
	q.add()
	if q.running.Load() {
		select {
		case q.jobs <- evidenceJob{stored: stored, now: now}:
			return
		default:
		}
	}
	defer q.done()
	b.keepEvidence(ctx, stored, now)
}

// runEvidence keeps the evidence of queued batches until stop is closed,
// then of those still queued, under ctx (the shutdown's hard context).
func (b *Bot) runEvidence(ctx context.Context, stop <-chan struct{}) {
	q := b.evq
	q.running.Store(true)
	keep := func(j evidenceJob) {
		defer q.done()
		b.keepEvidence(ctx, j.stored, j.now)
	}
	for {
		select {
		case j := <-q.jobs:
			keep(j)
		case <-stop:
			q.running.Store(false)
			for {
				select {
				case j := <-q.jobs:
					keep(j)
				default:
					return
				}
			}
		}
	}
}
