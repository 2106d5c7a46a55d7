package main

import (
	"fmt"
	"strings"
	"time"
)

// Defaults of the replicas keys (docs/SCALING.md).
const (
	defaultLeaseTTL   = 15 * time.Second
	defaultLeaseRenew = 5 * time.Second
	defaultOutboxPoll = 250 * time.Millisecond
)

// ReplicasConfig is running several `apelbot serve` processes on one
// database behind a load balancer (file key replicas). Each takes webhook
// updates; one, the leader elected through a lease in the database, runs
// the scheduler and delivers the outbox.
type ReplicasConfig struct {
	// Enabled: file key replicas.enabled, default false (one process that
	// does everything). Needs webhook mode: Telegram lets one process poll.
	Enabled bool
	// ID names this process in the lease and the update claims: file key
	// replicas.id, default (empty here) the host name and the process id.
	// A random suffix is added at every start (replicaHolder).
	ID string
	// LeaseTTL is how long a leader's term lasts without renewal: file key
	// replicas.lease_ttl, default 15s. A leader that dies is replaced
	// within LeaseTTL + LeaseRenew.
	LeaseTTL time.Duration
	// LeaseRenew is how often the leader renews its term, and how often the
	// others try to take it: file key replicas.lease_renew, default 5s;
	// less than half of LeaseTTL, so that one failed renewal is survived.
	LeaseRenew time.Duration
	// OutboxPoll is how often the leader looks in the database for
	// messages queued by the other replicas: file key replicas.outbox_poll,
	// default 250ms (the delay a check-in confirmation can get).
	OutboxPoll time.Duration
}

type fileReplicas struct {
	Enabled    yamlText `yaml:"enabled"`
	ID         string   `yaml:"id"`
	LeaseTTL   yamlText `yaml:"lease_ttl"`
	LeaseRenew yamlText `yaml:"lease_renew"`
	OutboxPoll yamlText `yaml:"outbox_poll"`
}

// replicas reads the replicas keys; webhook is telegram.webhook, read
// before.
func (v *configValidator) replicas(in fileReplicas, webhook WebhookConfig) ReplicasConfig {
	r := ReplicasConfig{
		Enabled:    v.boolean("replicas.enabled", in.Enabled),
		ID:         strings.TrimSpace(in.ID),
		LeaseTTL:   v.replicaDuration("replicas.lease_ttl", in.LeaseTTL, defaultLeaseTTL, time.Second, 10*time.Minute),
		LeaseRenew: v.replicaDuration("replicas.lease_renew", in.LeaseRenew, defaultLeaseRenew, 100*time.Millisecond, 5*time.Minute),
		OutboxPoll: v.replicaDuration("replicas.outbox_poll", in.OutboxPoll, defaultOutboxPoll, 10*time.Millisecond, time.Minute),
	}
	if r.LeaseRenew*2 > r.LeaseTTL {
		v.fail("replicas.lease_renew: %v: want at most half of replicas.lease_ttl (%v), so that a leader survives one failed renewal", r.LeaseRenew, r.LeaseTTL)
	}
	if strings.ContainsFunc(r.ID, func(c rune) bool { return c <= ' ' || c > '~' }) || len(r.ID) > 64 {
		v.fail("replicas.id: %q: want up to 64 printable ASCII characters without spaces", r.ID)
	}
	if r.Enabled && webhook.URL == "" {
		v.fail("replicas.enabled: needs telegram.webhook.url: only one process may long-poll Telegram")
	}
	return r
}

// replicaDuration reads a duration key between lo and hi, def when left out.
func (v *configValidator) replicaDuration(key string, raw yamlText, def, lo, hi time.Duration) time.Duration {
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(string(raw))
	switch {
	case err != nil:
		v.fail("%s: invalid duration %q: want e.g. %v: %w", key, raw, def, err)
	case d < lo || d > hi:
		v.fail("%s: %v: want between %v and %v", key, d, lo, hi)
	default:
		return d
	}
	return def
}

// String is the replicas part of the startup log line.
func (r ReplicasConfig) String() string {
	return fmt.Sprintf("enabled=%t id=%s lease_ttl=%s lease_renew=%s outbox_poll=%s", r.Enabled, r.ID, r.LeaseTTL, r.LeaseRenew, r.OutboxPoll)
}
