-- Corrections of attendance statuses, with their audit trail, and the
-- record of outages (gaps in the bot's contact with Telegram) that disrupt
-- sessions.

-- One row per correction, only ever inserted: the original check-in (or
-- its absence) stays as recorded, and the effective status of a line is
-- the original with that line's corrections applied in id order. The
-- triggers refuse updates and deletes, so the trail cannot be rewritten.
CREATE TABLE corrections (
	id            INTEGER PRIMARY KEY,
	session_id    INTEGER NOT NULL REFERENCES sessions (id),
	employee_id   INTEGER NOT NULL REFERENCES employees (id),
	date          TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	kind          TEXT NOT NULL CHECK (kind IN ('pagi', 'sore')),
	before_status TEXT NOT NULL,
	before_excuse TEXT NOT NULL DEFAULT '',
	after_status  TEXT NOT NULL CHECK (after_status IN ('on_time', 'late', 'excused', 'absent')),
	after_excuse  TEXT NOT NULL DEFAULT '',
	mode          TEXT NOT NULL DEFAULT '' CHECK (mode IN ('', 'WFO', 'WFH', 'WFA')),
	reason        TEXT NOT NULL CHECK (reason IN ('gps_error', 'outage', 'forgot', 'wrong_mode', 'other')),
	note          TEXT NOT NULL DEFAULT '',
	by_employee   INTEGER NOT NULL REFERENCES employees (id),
	by_telegram   INTEGER NOT NULL DEFAULT 0,
	at            INTEGER NOT NULL
) STRICT;

CREATE INDEX corrections_date ON corrections (date, id);

CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
BEGIN
	SELECT RAISE(ABORT, 'corrections are append-only');
END;

CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
BEGIN
	SELECT RAISE(ABORT, 'corrections are append-only');
END;

-- The last successful contact with Telegram (a getUpdates answer, or an
-- update posted to the webhook): one row, written at most once a minute.
CREATE TABLE liveness (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	last_contact INTEGER NOT NULL
) STRICT;

-- Gaps in that contact longer than the configured threshold, from the last
-- contact before the gap to the first after it; to_at is NULL while the
-- gap is still going on (the bot is running but every call fails).
CREATE TABLE outages (
	id      INTEGER PRIMARY KEY,
	from_at INTEGER NOT NULL UNIQUE,
	to_at   INTEGER,
	CHECK (to_at IS NULL OR to_at > from_at)
) STRICT;

CREATE INDEX outages_to ON outages (to_at);

-- The outage a session was disrupted by, cut to nothing: set when the
-- session closes. disrupted_to is NULL while the outage was still going on
-- at close.
ALTER TABLE sessions ADD COLUMN disrupted_from INTEGER;
ALTER TABLE sessions ADD COLUMN disrupted_to INTEGER;
