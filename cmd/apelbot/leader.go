package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/store"
)

// leaderLease is the name of the lease whose holder runs the scheduler and
// the outbox sender.
const leaderLease = "leader"

// leader elects, among the replicas sharing a database, the one that runs
// the singleton work (the scheduler and the outbox sender), through a lease
// row: the holder renews it every renew; when it stops (it died, it lost
// the database, it stalled), another replica takes the lease once the term
// has expired, within ttl+renew.
//
// Two guards keep a replica that lost the lease from acting on it. It ends
// its work as soon as it cannot be sure of the lease: when a renewal is
// refused, or when no renewal has succeeded for ttl-renew by its own
// clock, earlier than any other replica may take over. And the one action
// that cannot be undone, starting a send, is fenced in the database: the
// outbox claim checks the term's token in the same statement (fencedStore),
// so even a replica that stalled past all of that sends nothing. The
// scheduler's own writes need no fence: what it queues is keyed (a prompt,
// reminder or report is queued once whoever queues it), and the report's
// documents are sent once per date.
type leader struct {
	db     *store.DB
	holder string
	ttl    time.Duration
	renew  time.Duration
	now    func() time.Time // the lease clock: real time, whatever the app's clock
	log    zerolog.Logger

	mu   sync.Mutex
	term store.Lease // the term held; zero when not leading
}

// replicaHolder returns this process's name in the lease and the update
// claims: the configured id (default host name and pid) and a random
// suffix, so that a restarted process is never taken for its predecessor.
func replicaHolder(id string) string {
	if id == "" {
		host, _ := os.Hostname()
		id = host + "-" + strconv.Itoa(os.Getpid())
	}
	var p [4]byte
	_, _ = rand.Read(p[:]) // never fails (crypto/rand)
	return id + "-" + hex.EncodeToString(p[:])
}

// current returns the term held, false when not leading.
func (l *leader) current() (store.Lease, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.term, l.term.Token != 0
}

func (l *leader) set(t store.Lease) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.term = t
}

// run competes for the lease until ctx is done, running work while it holds
// it; work's context ends when the lease may be lost. At the end a held
// lease is released, so another replica takes over at once. An error of
// work other than losing the lease stops run with that error.
func (l *leader) run(ctx context.Context, work func(context.Context) error) error {
	t := time.NewTicker(l.renew)
	defer t.Stop()
	for {
		at := time.Now()
		term, ok, err := l.db.AcquireLease(ctx, leaderLease, l.holder, l.now(), l.ttl)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			l.log.Error().Err(err).Msg("acquire leader lease")
		case ok:
			if err := l.lead(ctx, term, at, work, t.C); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// lead runs work under term, acquired with a request made at at, renewing
// it on every tick, until ctx is done, the term is or may be lost, or work
// fails.
func (l *leader) lead(ctx context.Context, term store.Lease, at time.Time, work func(context.Context) error, tick <-chan time.Time) error {
	l.set(term)
	defer l.set(store.Lease{})
	log := l.log.With().Int64("lease_token", term.Token).Logger()
	log.Info().Msg("leader: running the scheduler and the outbox")
	sure := at.Add(l.ttl - l.renew) // monotonic: until when the term surely holds, with a renewal's margin
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- work(wctx) }()
	// finish stops work, waits for it, and returns its error unless it
	// only stopped for losing the lease.
	finish := func(why string) error {
		stop()
		err := <-done
		log.Warn().Str("why", why).Msg("leader: stopped")
		if err != nil && !errors.Is(err, apel.ErrNotLeader) && ctx.Err() == nil {
			return err
		}
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			err := finish("shutdown")
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.renew)
			defer cancel()
			if rerr := l.db.ReleaseLease(rctx, term); rerr != nil {
				log.Error().Err(rerr).Msg("release leader lease")
			} else {
				log.Info().Msg("leader lease released")
			}
			return err
		case err := <-done:
			done <- err // for finish
			if errors.Is(err, apel.ErrNotLeader) {
				return finish("another replica took the lease")
			}
			return finish(fmt.Sprintf("work ended: %v", err))
		case <-tick:
			started := time.Now()
			if !started.Before(sure) {
				return finish("no renewal in time")
			}
			rctx, cancel := context.WithDeadline(ctx, sure)
			renewed, err := l.db.RenewLease(rctx, term, l.now(), l.ttl)
			cancel()
			switch {
			case errors.Is(err, apel.ErrNotLeader):
				return finish("another replica took the lease")
			case err != nil:
				if ctx.Err() == nil {
					log.Error().Err(err).Msg("renew leader lease")
				}
			default:
				term, sure = renewed, started.Add(l.ttl-l.renew)
			}
		}
	}
}

// fencedStore is the bot's store on a replica: a send claim succeeds only
// under the leader's current term, checked in the database.
type fencedStore struct {
	bot.Store
	db     *store.DB
	leader *leader
}

// MarkOutboundTried claims message id for a send, fenced by the lease.
func (s fencedStore) MarkOutboundTried(ctx context.Context, id int64, at time.Time) error {
	term, ok := s.leader.current()
	if !ok {
		return fmt.Errorf("mark outbound tried %d: %w", id, apel.ErrNotLeader)
	}
	return s.db.MarkOutboundTriedAsLeader(ctx, id, at, term)
}
