-- Initial schema. Instants are INTEGER Unix milliseconds (UTC); civil dates
-- are TEXT 'YYYY-MM-DD'; booleans are INTEGER 0/1. Columns named *_by hold
-- employee ids as given by the caller (audit stamps, not foreign keys).

CREATE TABLE opds (
	code           TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	office_lat     REAL NOT NULL,
	office_lon     REAL NOT NULL,
	direct_service INTEGER NOT NULL DEFAULT 0 CHECK (direct_service IN (0, 1))
) STRICT;

-- One Telegram group per OPD, and a group serves one OPD.
CREATE TABLE opd_groups (
	opd      TEXT PRIMARY KEY REFERENCES opds (code),
	chat_id  INTEGER NOT NULL UNIQUE,
	bound_by INTEGER NOT NULL,
	bound_at INTEGER NOT NULL
) STRICT;

CREATE TABLE employees (
	id            INTEGER PRIMARY KEY,
	nip           TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	opd           TEXT NOT NULL REFERENCES opds (code),
	position      TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('staff', 'head', 'admin')),
	active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	telegram_id   INTEGER UNIQUE, -- NULL until the person registers
	lang          TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	registered_at INTEGER
) STRICT;

CREATE INDEX employees_opd_active ON employees (opd, active, name);

-- Home points (titik domisili), kept as history. At most one pending and one
-- approved point per employee.
CREATE TABLE home_points (
	id            INTEGER PRIMARY KEY,
	employee_id   INTEGER NOT NULL REFERENCES employees (id),
	lat           REAL NOT NULL,
	lon           REAL NOT NULL,
	accuracy      REAL NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
	requested_at  INTEGER NOT NULL,
	decided_by    INTEGER,
	decided_at    INTEGER,
	superseded_at INTEGER
) STRICT;

CREATE INDEX home_points_employee ON home_points (employee_id, requested_at);
CREATE UNIQUE INDEX home_points_one_pending ON home_points (employee_id) WHERE status = 'pending';
CREATE UNIQUE INDEX home_points_one_approved ON home_points (employee_id) WHERE status = 'approved';

-- A short conversational state per Telegram user.
CREATE TABLE awaiting (
	telegram_id INTEGER PRIMARY KEY,
	what        TEXT NOT NULL,
	expires_at  INTEGER NOT NULL
) STRICT;

-- One apel of one OPD on one date, with the times it was opened with.
-- utc_offset is the offset (seconds east of UTC) of the zone the times were
-- given in, so that the civil date of an instant can be told without a
-- *time.Location.
CREATE TABLE sessions (
	id          INTEGER PRIMARY KEY,
	opd         TEXT NOT NULL REFERENCES opds (code),
	date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	kind        TEXT NOT NULL CHECK (kind IN ('pagi', 'sore')),
	apel_at     INTEGER NOT NULL,
	opens_at    INTEGER NOT NULL,
	late_from   INTEGER NOT NULL,
	remind_at   INTEGER NOT NULL,
	closes_at   INTEGER NOT NULL,
	utc_offset  INTEGER NOT NULL,
	chat_id     INTEGER NOT NULL DEFAULT 0,
	message_id  INTEGER NOT NULL DEFAULT 0,
	shown       INTEGER NOT NULL DEFAULT 0,
	reminded_at INTEGER,
	closed_at   INTEGER,
	UNIQUE (opd, date, kind)
) STRICT;

CREATE INDEX sessions_date ON sessions (date);
CREATE INDEX sessions_opd_opens ON sessions (opd, opens_at);

-- One check-in per employee per session; UNIQUE also indexes by session.
CREATE TABLE check_ins (
	id          INTEGER PRIMARY KEY,
	session_id  INTEGER NOT NULL REFERENCES sessions (id),
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	lat         REAL NOT NULL,
	lon         REAL NOT NULL,
	accuracy    REAL NOT NULL,
	fix_at      INTEGER NOT NULL,
	live        INTEGER NOT NULL CHECK (live IN (0, 1)),
	forwarded   INTEGER NOT NULL CHECK (forwarded IN (0, 1)),
	venue       INTEGER NOT NULL CHECK (venue IN (0, 1)),
	recorded_at INTEGER NOT NULL,
	mode        TEXT NOT NULL CHECK (mode IN ('WFO', 'WFH', 'WFA')),
	mode_reason TEXT NOT NULL,
	late        INTEGER NOT NULL CHECK (late IN (0, 1)),
	late_by_ms  INTEGER NOT NULL,
	place       TEXT NOT NULL CHECK (place IN ('office', 'home', 'anywhere')),
	in_place    INTEGER NOT NULL CHECK (in_place IN (0, 1)),
	distance    REAL NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	update_id   INTEGER NOT NULL DEFAULT 0,
	UNIQUE (session_id, employee_id)
) STRICT;

CREATE INDEX check_ins_employee ON check_ins (employee_id);

-- An excuse covers one employee for a whole date.
CREATE TABLE excuses (
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	kind        TEXT NOT NULL CHECK (kind IN ('izin', 'sakit', 'cuti', 'dinas_luar')),
	recorded_by INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	PRIMARY KEY (employee_id, date)
) STRICT;

CREATE INDEX excuses_date ON excuses (date);

-- Jobs done once, by key ("report:2026-01-13").
CREATE TABLE jobs_done (
	key     TEXT PRIMARY KEY,
	done_at INTEGER NOT NULL
) STRICT;

-- Inbox of raw Telegram updates, by Telegram's update_id.
CREATE TABLE updates (
	id       INTEGER PRIMARY KEY,
	raw      BLOB NOT NULL,
	saved_at INTEGER NOT NULL,
	done_at  INTEGER
) STRICT;

CREATE INDEX updates_pending ON updates (id) WHERE done_at IS NULL;
