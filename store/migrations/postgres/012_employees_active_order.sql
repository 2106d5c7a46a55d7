-- PostgreSQL dialect of ../012_employees_active_order.sql: the active
-- employees in the order every report lists them (by OPD, then name, then
-- id), without sorting.
CREATE INDEX employees_active_order ON employees (opd, name, id) WHERE active = 1;
