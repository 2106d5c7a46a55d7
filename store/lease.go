package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Lease is a term of one replica as the holder of a named lease (see
// migration 010): Token identifies the term, and grows by one whenever the
// lease changes hands.
type Lease struct {
	Name    string
	Holder  string
	Token   int64
	Expires time.Time
}

// AcquireLease makes holder the holder of lease name until now+ttl, when
// nobody holds it or the last term expired by now, and returns the new
// term (a token one above the last). ok is false, with the current term,
// when another term is still running, including one of holder itself:
// a holder extends its own term with RenewLease.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (Lease, bool, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return Lease{}, false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	defer rollback(tx)
	l := Lease{Name: name, Holder: holder, Expires: instant(millis(now.Add(ttl)))}
	err = tx.QueryRowContext(ctx, `INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1, expires_at = excluded.expires_at
		WHERE leases.expires_at <= ?
		RETURNING token`, name, holder, millis(l.Expires), millis(now)).Scan(&l.Token)
	if err == nil {
		if err := tx.Commit(); err != nil {
			return Lease{}, false, fmt.Errorf("acquire lease %s: %w", name, err)
		}
		return l, true, nil
	}
	if !errors.Is(mapErr(err), apel.ErrNotFound) {
		return Lease{}, false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	cur, err := leaseOf(ctx, tx, name)
	if err != nil {
		return Lease{}, false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return cur, false, nil
}

// RenewLease extends the term l until now+ttl and returns it so extended.
// It fails with an error wrapping apel.ErrNotLeader when l is no longer
// the current term (another holder took the lease after it expired). A
// term that expired and was not taken is renewed: nobody acted under the
// lease meanwhile.
func (db *DB) RenewLease(ctx context.Context, l Lease, now time.Time, ttl time.Duration) (Lease, error) {
	l.Expires = instant(millis(now.Add(ttl)))
	err := exactlyOne(db.w.ExecContext(ctx, `UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ?`,
		millis(l.Expires), l.Name, l.Holder, l.Token))
	if errors.Is(err, apel.ErrNotFound) {
		return Lease{}, fmt.Errorf("renew lease %s: %w", l.Name, apel.ErrNotLeader)
	}
	if err != nil {
		return Lease{}, fmt.Errorf("renew lease %s: %w", l.Name, err)
	}
	return l, nil
}

// ReleaseLease ends the term l at once (a graceful stop), so that another
// replica takes over without waiting for it to expire. Releasing a term
// that is no longer current does nothing.
func (db *DB) ReleaseLease(ctx context.Context, l Lease) error {
	if _, err := db.w.ExecContext(ctx, `UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND token = ?`,
		l.Name, l.Holder, l.Token); err != nil {
		return fmt.Errorf("release lease %s: %w", l.Name, err)
	}
	return nil
}

// CurrentLease returns the current term of lease name, apel.ErrNotFound
// when nobody ever held it.
func (db *DB) CurrentLease(ctx context.Context, name string) (Lease, error) {
	l, err := leaseOf(ctx, db.r, name)
	if err != nil {
		return Lease{}, fmt.Errorf("lease %s: %w", name, err)
	}
	return l, nil
}

func leaseOf(ctx context.Context, q querier, name string) (Lease, error) {
	l := Lease{Name: name}
	var exp int64
	err := q.QueryRowContext(ctx, `SELECT holder, token, expires_at FROM leases WHERE name = ?`, name).
		Scan(&l.Holder, &l.Token, &exp)
	if err != nil {
		return Lease{}, mapErr(err)
	}
	l.Expires = instant(exp)
	return l, nil
}

// MarkOutboundTriedAsLeader is MarkOutboundTried fenced by the term l: the
// message is marked (and may be sent) only while l is the current term of
// its lease, checked in the same statement. Otherwise it returns an error
// wrapping apel.ErrNotLeader: a replica that stalled and lost the lease
// never starts a send the new leader may have made already.
func (db *DB) MarkOutboundTriedAsLeader(ctx context.Context, id int64, at time.Time, l Lease) error {
	n, err := affected(db.w.ExecContext(ctx, `UPDATE outbox SET tried_at = ? WHERE id = ? AND status = 'pending'
		AND EXISTS (SELECT 1 FROM leases WHERE name = ? AND holder = ? AND token = ?)`,
		millis(at), id, l.Name, l.Holder, l.Token))
	if err != nil {
		return fmt.Errorf("mark outbound tried %d: %w", id, err)
	}
	if n == 1 {
		return nil
	}
	cur, err := leaseOf(ctx, db.r, l.Name)
	if err != nil && !errors.Is(err, apel.ErrNotFound) {
		return fmt.Errorf("mark outbound tried %d: %w", id, err)
	}
	if cur.Holder != l.Holder || cur.Token != l.Token {
		return fmt.Errorf("mark outbound tried %d: %w", id, apel.ErrNotLeader)
	}
	return fmt.Errorf("mark outbound tried %d: %w", id, apel.ErrNotFound)
}

// ClaimUpdate saves update u in the inbox unless it is there, and claims it
// for holder until until, in one statement: when it is not done and no
// claim of another holder (or an earlier one of holder: a redelivery that
// arrives while the first is in hand) runs at now. It returns false when
// the update is done or is being handled; the caller then leaves it alone.
func (db *DB) ClaimUpdate(ctx context.Context, u apel.Inbound, holder string, now, until time.Time) (bool, error) {
	raw := u.Raw
	if raw == nil {
		raw = []byte{}
	}
	var id int64
	err := db.w.QueryRowContext(ctx, `INSERT INTO updates (id, raw, saved_at, claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
		WHERE updates.done_at IS NULL AND (updates.claimed_until IS NULL OR updates.claimed_until <= ?)
		RETURNING id`, u.ID, raw, millis(now), holder, millis(until), millis(now)).Scan(&id)
	if errors.Is(mapErr(err), apel.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", u.ID, err)
	}
	return true, nil
}
