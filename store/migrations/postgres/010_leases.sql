-- PostgreSQL dialect of ../010_leases.sql: leases that elect the replica
-- running a singleton, and claims on the updates a replica is handling.

CREATE TABLE leases (
	name       TEXT COLLATE "C" PRIMARY KEY,
	holder     TEXT COLLATE "C" NOT NULL,
	token      BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

ALTER TABLE updates ADD COLUMN claimed_by TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE updates ADD COLUMN claimed_until BIGINT;
