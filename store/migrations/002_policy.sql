-- The flexible-work policy engine: eligibility flags on the person, requests
-- with their audit trail, and the heads' changes to the rotation.

-- Flexible work excludes new employees and people under a disciplinary
-- process (PermenPAN-RB 4/2025); the roster carries both flags.
ALTER TABLE employees ADD COLUMN new_hire INTEGER NOT NULL DEFAULT 0 CHECK (new_hire IN (0, 1));
ALTER TABLE employees ADD COLUMN disciplinary INTEGER NOT NULL DEFAULT 0 CHECK (disciplinary IN (0, 1));

-- An ASN's request to work off-site (WFH, WFA) or to be excused on a range
-- of dates. decided_by/decided_at are the last decision; the whole history
-- is in request_events.
CREATE TABLE requests (
	id           INTEGER PRIMARY KEY,
	employee_id  INTEGER NOT NULL REFERENCES employees (id),
	kind         TEXT NOT NULL CHECK (kind IN ('wfh', 'wfa', 'izin', 'sakit', 'cuti', 'dinas_luar')),
	date_from    TEXT NOT NULL CHECK (date_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	date_to      TEXT NOT NULL CHECK (date_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	reason       TEXT NOT NULL,
	plan         TEXT NOT NULL DEFAULT '',
	place        TEXT NOT NULL DEFAULT '',
	abroad       INTEGER NOT NULL DEFAULT 0 CHECK (abroad IN (0, 1)),
	status       TEXT NOT NULL CHECK (status IN ('pending', 'pending_ppk', 'approved', 'rejected')),
	requested_at INTEGER NOT NULL,
	decided_by   INTEGER,
	decided_at   INTEGER,
	CHECK (date_from <= date_to)
) STRICT;

CREATE INDEX requests_employee ON requests (employee_id, date_from);
CREATE INDEX requests_dates ON requests (date_from, date_to) WHERE status = 'approved';

-- The audit trail of requests: who asked, who decided what, when.
CREATE TABLE request_events (
	id         INTEGER PRIMARY KEY,
	request_id INTEGER NOT NULL REFERENCES requests (id),
	at         INTEGER NOT NULL,
	actor      INTEGER NOT NULL, -- employee id
	action     TEXT NOT NULL CHECK (action IN ('requested', 'forwarded', 'approved', 'rejected'))
) STRICT;

CREATE INDEX request_events_request ON request_events (request_id, id);

-- An OPD head's change to the rotation: one person's mode on one date.
CREATE TABLE shifts (
	opd         TEXT NOT NULL REFERENCES opds (code),
	date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	employee_id INTEGER NOT NULL REFERENCES employees (id),
	mode        TEXT NOT NULL CHECK (mode IN ('WFO', 'WFH', 'WFA')),
	set_by      INTEGER NOT NULL,
	set_at      INTEGER NOT NULL,
	PRIMARY KEY (employee_id, date)
) STRICT;

CREATE INDEX shifts_date ON shifts (date, opd);
