-- PostgreSQL dialect of ../005_plan_stamps.sql: a counter per OPD that
-- moves whenever a record its plans are computed from changes, kept by
-- triggers. SQLite's trigger bodies become two functions:
-- plan_stamps_bump(opds) creates a missing stamp and counts one more;
-- plan_stamps_bump_existing(opds) only counts one more (the excuses and
-- requests triggers, as on SQLite). Each OPD counts once however often it
-- is listed.

CREATE TABLE plan_stamps (
	opd TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	n   BIGINT NOT NULL
);

CREATE FUNCTION plan_stamps_bump(opds TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO plan_stamps (opd, n) SELECT DISTINCT o, 0 FROM unnest(opds) AS o WHERE o IS NOT NULL
		ON CONFLICT (opd) DO NOTHING;
	UPDATE plan_stamps SET n = n + 1 WHERE opd = ANY (opds);
END
$$;

CREATE FUNCTION plan_stamps_bump_existing(opds TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE plan_stamps SET n = n + 1 WHERE opd = ANY (opds);
END
$$;

-- employees and shifts carry the OPD.
CREATE FUNCTION plan_stamps_by_opd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM plan_stamps_bump(ARRAY[NEW.opd]);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM plan_stamps_bump(ARRAY[OLD.opd]);
	ELSE
		PERFORM plan_stamps_bump(ARRAY[OLD.opd, NEW.opd]);
	END IF;
	RETURN NULL;
END
$$;

-- excuses and requests carry the employee.
CREATE FUNCTION plan_stamps_by_employee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM plan_stamps_bump_existing(ARRAY(SELECT opd FROM employees WHERE id = NEW.employee_id));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM plan_stamps_bump_existing(ARRAY(SELECT opd FROM employees WHERE id = OLD.employee_id));
	ELSE
		PERFORM plan_stamps_bump_existing(ARRAY(SELECT opd FROM employees WHERE id IN (OLD.employee_id, NEW.employee_id)));
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER plan_stamps_employee_insert AFTER INSERT ON employees
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();
CREATE TRIGGER plan_stamps_employee_delete AFTER DELETE ON employees
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();
CREATE TRIGGER plan_stamps_employee_update
	AFTER UPDATE OF nip, name, opd, position, role, active, new_hire, disciplinary ON employees
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();

CREATE TRIGGER plan_stamps_excuse_insert AFTER INSERT ON excuses
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();
CREATE TRIGGER plan_stamps_excuse_update AFTER UPDATE ON excuses
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();
CREATE TRIGGER plan_stamps_excuse_delete AFTER DELETE ON excuses
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();

CREATE TRIGGER plan_stamps_request_insert AFTER INSERT ON requests
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();
CREATE TRIGGER plan_stamps_request_update AFTER UPDATE ON requests
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();
CREATE TRIGGER plan_stamps_request_delete AFTER DELETE ON requests
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_employee();

CREATE TRIGGER plan_stamps_shift_insert AFTER INSERT ON shifts
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();
CREATE TRIGGER plan_stamps_shift_update AFTER UPDATE ON shifts
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();
CREATE TRIGGER plan_stamps_shift_delete AFTER DELETE ON shifts
	FOR EACH ROW EXECUTE FUNCTION plan_stamps_by_opd();

-- Existing OPDs start at 1: any plan computed before this migration is old.
INSERT INTO plan_stamps (opd, n) SELECT code, 1 FROM opds ON CONFLICT (opd) DO NOTHING;
