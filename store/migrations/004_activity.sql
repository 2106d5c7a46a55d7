-- Daily activity reports (laporan kegiatan) of staff working off-site, and
-- the indexes the monthly evaluation reads a date range through.

-- The current activity report of a person on a date: one per person per
-- date; sending again replaces the text and photo and counts a version.
-- photo_id is Telegram's file_id: the photo itself stays at Telegram.
CREATE TABLE activities (
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	text        TEXT NOT NULL CHECK (text <> ''),
	photo_id    TEXT NOT NULL DEFAULT '',
	mode        TEXT NOT NULL CHECK (mode IN ('WFO', 'WFH', 'WFA')),
	sent_at     INTEGER NOT NULL, -- the first version's message time
	updated_at  INTEGER NOT NULL, -- the current version's message time
	versions    INTEGER NOT NULL DEFAULT 1 CHECK (versions >= 1),
	PRIMARY KEY (employee_id, date)
) STRICT;

CREATE INDEX activities_date ON activities (date);

-- Every version of every activity report, for audit. Rows are only ever
-- inserted. update_id is the Telegram update that carried the version, so
-- a redelivered update adds no version.
CREATE TABLE activity_versions (
	employee_id INTEGER NOT NULL,
	date        TEXT NOT NULL,
	version     INTEGER NOT NULL,
	text        TEXT NOT NULL,
	photo_id    TEXT NOT NULL DEFAULT '',
	mode        TEXT NOT NULL,
	sent_at     INTEGER NOT NULL, -- the message time of this version
	recorded_at INTEGER NOT NULL, -- when the bot stored it
	update_id   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (employee_id, date, version),
	FOREIGN KEY (employee_id, date) REFERENCES activities (employee_id, date)
) STRICT;

CREATE UNIQUE INDEX activity_versions_update ON activity_versions (update_id) WHERE update_id <> 0;

-- A month's check-ins are read by session date: sessions_date finds the
-- sessions, and this index yields each one's check-ins in order with the
-- columns the monthly evaluation counts, without visiting the table (a
-- month of a 50,000-ASN pemda is two million check-ins).
CREATE INDEX check_ins_session ON check_ins (session_id, fix_at, id, employee_id, mode, late, late_by_ms, in_place);
