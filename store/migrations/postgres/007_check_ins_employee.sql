-- PostgreSQL dialect of ../007_check_ins_employee.sql: check_ins_employee
-- served no query (see there).
DROP INDEX check_ins_employee;
