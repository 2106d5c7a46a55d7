-- PostgreSQL dialect of ../011_flags_by_check_in.sql: the flags of a day's
-- check-ins in the order the reports list them (by raised_at, kind, other
-- within a check-in), covering.
CREATE INDEX check_in_flags_by_check_in ON check_in_flags (check_in_id, raised_at, kind, other, value);
