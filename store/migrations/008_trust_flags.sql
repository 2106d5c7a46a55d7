-- Trust in every check-in (issue 7): evidence kept beside a check-in, the
-- trail of a live location, flags for review and the reviews, refused
-- claims on a NIP and the locations such accounts sent.

-- Evidence kept beside a check-in: the legal reference (SE) of the rule
-- that set the mode, and for a live location the message the bot follows
-- (chat_id, message_id) and until when (live_until, 0 for a static one).
CREATE TABLE check_in_evidence (
	check_in_id INTEGER PRIMARY KEY REFERENCES check_ins (id),
	mode_ref    TEXT NOT NULL DEFAULT '',
	chat_id     INTEGER NOT NULL DEFAULT 0,
	message_id  INTEGER NOT NULL DEFAULT 0,
	live_until  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX check_in_evidence_message ON check_in_evidence (chat_id, message_id);

-- The short trail of a live location: the first fix and the edits that
-- followed within the window, at most a configured number of points.
CREATE TABLE check_in_trail (
	check_in_id INTEGER NOT NULL REFERENCES check_ins (id),
	at          INTEGER NOT NULL,
	lat         REAL NOT NULL,
	lon         REAL NOT NULL,
	accuracy    REAL NOT NULL,
	PRIMARY KEY (check_in_id, at)
) STRICT;

-- Flags for review. other is the related check-in (shared coordinates,
-- impossible travel) or foreign location (foreign account), else 0.
CREATE TABLE check_in_flags (
	check_in_id INTEGER NOT NULL REFERENCES check_ins (id),
	kind        TEXT NOT NULL CHECK (kind IN ('poor_accuracy', 'outside_radius', 'shared_coordinates', 'impossible_travel', 'foreign_account')),
	other       INTEGER NOT NULL DEFAULT 0,
	value       REAL NOT NULL,
	raised_at   INTEGER NOT NULL,
	PRIMARY KEY (check_in_id, kind, other)
) STRICT;

-- The decision on a flagged check-in: one per check-in, never changed. A
-- rejection is also a status correction (migration 009's audit trail):
-- correction_id, 0 for an acceptance.
CREATE TABLE check_in_reviews (
	check_in_id   INTEGER PRIMARY KEY REFERENCES check_ins (id),
	decision      TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
	reviewed_by   INTEGER NOT NULL,
	reviewed_at   INTEGER NOT NULL,
	note          TEXT NOT NULL,
	correction_id INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Identical coordinates across people: looked up by position.
CREATE INDEX check_ins_position ON check_ins (lat, lon);

-- A Telegram account's refused claim on a NIP bound to another account
-- (the latest claim of each pair).
CREATE TABLE nip_claims (
	telegram_id INTEGER NOT NULL,
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	claimed_at  INTEGER NOT NULL,
	PRIMARY KEY (telegram_id, employee_id)
) STRICT;

-- Locations such an account sent while the person's apel was open.
CREATE TABLE foreign_locations (
	id          INTEGER PRIMARY KEY,
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	telegram_id INTEGER NOT NULL,
	session_id  INTEGER NOT NULL REFERENCES sessions (id),
	lat         REAL NOT NULL,
	lon         REAL NOT NULL,
	accuracy    REAL NOT NULL,
	fix_at      INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	update_id   INTEGER NOT NULL UNIQUE
) STRICT;

CREATE INDEX foreign_locations_session ON foreign_locations (session_id, employee_id);
