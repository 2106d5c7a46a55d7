-- Plan stamps: a counter per OPD that moves whenever a record its plans are
-- computed from changes (the staff, their excuses and requests, the heads'
-- changes to the rotation), whoever writes it: the bot, the scheduler or
-- `apelbot import` in another process. The bot keeps each OPD's plan of the
-- day in memory while the stamp stays the same, so that a burst of
-- check-ins does not read the OPD's records once per person.
--
-- The employees triggers list the columns a plan reads; a migration that
-- adds such a column must add it to them. The triggers insert a missing
-- stamp with NOT EXISTS rather than INSERT OR IGNORE: the conflict clause of
-- the statement that fires a trigger (an upsert) overrides the trigger's.

CREATE TABLE plan_stamps (
	opd TEXT NOT NULL PRIMARY KEY,
	n   INTEGER NOT NULL
) STRICT;

CREATE TRIGGER plan_stamps_employee_insert AFTER INSERT ON employees BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT NEW.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = NEW.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd = NEW.opd;
END;

CREATE TRIGGER plan_stamps_employee_delete AFTER DELETE ON employees BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT OLD.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = OLD.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd = OLD.opd;
END;

CREATE TRIGGER plan_stamps_employee_update
AFTER UPDATE OF nip, name, opd, position, role, active, new_hire, disciplinary ON employees BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT OLD.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = OLD.opd);
	INSERT INTO plan_stamps (opd, n) SELECT NEW.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = NEW.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd IN (OLD.opd, NEW.opd);
END;

CREATE TRIGGER plan_stamps_excuse_insert AFTER INSERT ON excuses BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd = (SELECT opd FROM employees WHERE id = NEW.employee_id);
END;

CREATE TRIGGER plan_stamps_excuse_update AFTER UPDATE ON excuses BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd IN (SELECT opd FROM employees WHERE id IN (OLD.employee_id, NEW.employee_id));
END;

CREATE TRIGGER plan_stamps_excuse_delete AFTER DELETE ON excuses BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd = (SELECT opd FROM employees WHERE id = OLD.employee_id);
END;

CREATE TRIGGER plan_stamps_request_insert AFTER INSERT ON requests BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd = (SELECT opd FROM employees WHERE id = NEW.employee_id);
END;

CREATE TRIGGER plan_stamps_request_update AFTER UPDATE ON requests BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd IN (SELECT opd FROM employees WHERE id IN (OLD.employee_id, NEW.employee_id));
END;

CREATE TRIGGER plan_stamps_request_delete AFTER DELETE ON requests BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd = (SELECT opd FROM employees WHERE id = OLD.employee_id);
END;

CREATE TRIGGER plan_stamps_shift_insert AFTER INSERT ON shifts BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT NEW.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = NEW.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd = NEW.opd;
END;

CREATE TRIGGER plan_stamps_shift_update AFTER UPDATE ON shifts BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT OLD.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = OLD.opd);
	INSERT INTO plan_stamps (opd, n) SELECT NEW.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = NEW.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd IN (OLD.opd, NEW.opd);
END;

CREATE TRIGGER plan_stamps_shift_delete AFTER DELETE ON shifts BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT OLD.opd, 0 WHERE NOT EXISTS (SELECT 1 FROM plan_stamps WHERE opd = OLD.opd);
	UPDATE plan_stamps SET n = n + 1 WHERE opd = OLD.opd;
END;

-- Existing OPDs start at 1: any plan computed before this migration is old.
INSERT OR IGNORE INTO plan_stamps (opd, n) SELECT code, 1 FROM opds;
