-- PostgreSQL dialect of ../004_activity.sql: daily activity reports
-- (laporan kegiatan) and the indexes the monthly evaluation reads a date
-- range through.

CREATE TABLE activities (
	employee_id BIGINT NOT NULL REFERENCES employees (id),
	date        TEXT COLLATE "C" NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
	text        TEXT COLLATE "C" NOT NULL CHECK (text <> ''),
	photo_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
	mode        TEXT COLLATE "C" NOT NULL CHECK (mode IN ('WFO', 'WFH', 'WFA')),
	sent_at     BIGINT NOT NULL, -- the first version's message time
	updated_at  BIGINT NOT NULL, -- the current version's message time
	versions    INTEGER NOT NULL DEFAULT 1 CHECK (versions >= 1),
	PRIMARY KEY (employee_id, date)
);

CREATE INDEX activities_date ON activities (date);

CREATE TABLE activity_versions (
	employee_id BIGINT NOT NULL,
	date        TEXT COLLATE "C" NOT NULL,
	version     INTEGER NOT NULL,
	text        TEXT COLLATE "C" NOT NULL,
	photo_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
	mode        TEXT COLLATE "C" NOT NULL,
	sent_at     BIGINT NOT NULL, -- the message time of this version
	recorded_at BIGINT NOT NULL, -- when the bot stored it
	update_id   BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (employee_id, date, version),
	FOREIGN KEY (employee_id, date) REFERENCES activities (employee_id, date)
);

CREATE UNIQUE INDEX activity_versions_update ON activity_versions (update_id) WHERE update_id <> 0;

CREATE INDEX check_ins_session ON check_ins (session_id, fix_at, id, employee_id, mode, late, late_by_ms, in_place);
