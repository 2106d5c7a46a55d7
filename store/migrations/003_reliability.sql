-- Reliability: the durable outbox, chats the bot can no longer reach, and
-- home-point coordinates that can be purged after the retention period.

-- Outbox of messages the bot has promised to deliver (scheduler-originated:
-- prompts, reminders, summaries, the daily report). A row is written before
-- the message is sent and marked sent after, so a restart resends what was
-- left; key makes queuing the same message twice harmless.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	key             TEXT NOT NULL UNIQUE,
	priority        INTEGER NOT NULL,
	chat_id         INTEGER NOT NULL,
	edit_id         INTEGER NOT NULL DEFAULT 0, -- edit this message instead of sending
	text            TEXT NOT NULL,
	markup          BLOB, -- JSON reply markup, NULL for none
	session_id      INTEGER REFERENCES sessions (id), -- a prompt records its message here once sent
	at_most_once    INTEGER NOT NULL DEFAULT 0 CHECK (at_most_once IN (0, 1)),
	status          TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sent', 'failed', 'expired', 'doubt')),
	attempts        INTEGER NOT NULL DEFAULT 0, -- delivery rounds that failed
	parts_sent      INTEGER NOT NULL DEFAULT 0, -- parts of a long text already delivered
	created_at      INTEGER NOT NULL,
	not_before      INTEGER NOT NULL,
	expires_at      INTEGER, -- never sent after this; NULL: no expiry
	tried_at        INTEGER, -- a delivery attempt is under way (or was, at a crash)
	finished_at     INTEGER,
	sent_message_id INTEGER NOT NULL DEFAULT 0,
	error           TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX outbox_due ON outbox (priority, id) WHERE status = 'pending';

-- When Telegram last answered 403 for the person (they blocked the bot);
-- cleared when they write to the bot again.
ALTER TABLE employees ADD COLUMN unreachable_at INTEGER;

-- When the bot was removed from the group (kicked, left, 403). A lost group
-- gets no prompts until the bot is added back or the OPD binds a group again.
ALTER TABLE opd_groups ADD COLUMN lost_at INTEGER;

-- Home points with nullable coordinates: superseded and rejected points lose
-- their coordinates after the retention period (UU 27/2022), keeping the
-- record of who asked and who decided.
CREATE TABLE home_points_new (
	id            INTEGER PRIMARY KEY,
	employee_id   INTEGER NOT NULL REFERENCES employees (id),
	lat           REAL,
	lon           REAL,
	accuracy      REAL NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
	requested_at  INTEGER NOT NULL,
	decided_by    INTEGER,
	decided_at    INTEGER,
	superseded_at INTEGER,
	purged_at     INTEGER,
	CHECK ((lat IS NULL) = (purged_at IS NOT NULL) AND (lon IS NULL) = (purged_at IS NOT NULL))
) STRICT;

INSERT INTO home_points_new (id, employee_id, lat, lon, accuracy, status, requested_at, decided_by, decided_at, superseded_at)
	SELECT id, employee_id, lat, lon, accuracy, status, requested_at, decided_by, decided_at, superseded_at FROM home_points;

DROP TABLE home_points;

ALTER TABLE home_points_new RENAME TO home_points;

CREATE INDEX home_points_employee ON home_points (employee_id, requested_at);
CREATE UNIQUE INDEX home_points_one_pending ON home_points (employee_id) WHERE status = 'pending';
CREATE UNIQUE INDEX home_points_one_approved ON home_points (employee_id) WHERE status = 'approved';
