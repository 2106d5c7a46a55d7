-- The active employees in the order every report lists them (by OPD, then
-- name, then id): the daily report, the monthly evaluation and the plan's
-- facts read them from this index without sorting (employees_opd_active
-- (opd, active, name) still left SQLite sorting each OPD's rows by name, id;
-- a 50,000-ASN pemda read them in a temp B-tree on every report).
CREATE INDEX employees_active_order ON employees (opd, name, id) WHERE active = 1;
