-- Several replicas on one database: leases elect the one replica that runs
-- a singleton (the scheduler and the outbox sender), and claims keep an
-- update that two replicas receive at once from being handled twice.

-- A lease is held by holder until expires_at (Unix ms, the holder's
-- clock). token grows by one at every change of holder: work fenced by the
-- lease checks its token in the same statement, so a replica that stalled
-- and lost the lease cannot act on it any more.
CREATE TABLE leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	token      INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;

-- The replica handling an update, until claimed_until: another replica
-- that receives the same update meanwhile leaves it to the first.
ALTER TABLE updates ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE updates ADD COLUMN claimed_until INTEGER;
