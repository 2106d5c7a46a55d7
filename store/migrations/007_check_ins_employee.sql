-- check_ins_employee served no query: check-ins are read by session
-- (UNIQUE (session_id, employee_id) and check_ins_session), and employees
-- are never deleted (a roster import deactivates them), so no foreign-key
-- check looks check-ins up by employee either. Each index costs a write in
-- a random leaf page per check-in, and at apel time the whole pemda checks
-- in within minutes. Deleting employees would now scan check_ins: add the
-- index back first.
DROP INDEX check_ins_employee;
