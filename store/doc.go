// Package store keeps apelbot's records in one SQLite file, through the
// pure-Go driver modernc.org/sqlite (no cgo), or in a PostgreSQL database
// (pgx), chosen by what Open is given: a file path or a postgres:// URL.
//
// Open applies the embedded, numbered migrations under migrations/ and
// returns a *DB with two pools: a single-connection writer whose
// transactions begin IMMEDIATE, so concurrent writers queue on the busy
// timeout instead of failing with SQLITE_BUSY, and a small query-only reader
// pool for plain reads, which in WAL mode never wait for the writer.
//
// On PostgreSQL the same Go code runs the same SQL (see postgres.go): the
// migrations are migrations/postgres/ (same file names), placeholders are
// rewritten, and writes are serialised by an advisory lock, so that both
// engines behave alike. The store's SQL is therefore portable: '?'
// placeholders, ON CONFLICT (never INSERT OR IGNORE/REPLACE), RETURNING id
// (never LastInsertId), COALESCE, no SQLite-only functions; in ON CONFLICT
// DO UPDATE, the target's own columns are qualified with the table name
// (PostgreSQL finds a bare name ambiguous). What cannot be portable
// branches on the DB's dialect (Backup, INDEXED BY). The whole test suite
// runs on both engines (main_test.go).
//
// Conventions:
//   - Methods take ctx first and speak the domain types of package apel.
//   - Instants are stored as INTEGER Unix milliseconds in UTC and come back
//     as UTC time.Time values (sub-millisecond precision is dropped); civil
//     dates are TEXT 'YYYY-MM-DD'.
//   - A lookup that finds nothing returns an error wrapping apel.ErrNotFound,
//     never a zero value with a nil error.
//   - A write that breaks a uniqueness rule returns an error wrapping
//     apel.ErrConflict; one that refers to a missing row (a foreign key)
//     returns an error wrapping apel.ErrNotFound. Both are decided by the
//     driver's error code (SQLite's extended code, PostgreSQL's SQLSTATE), in
//     one function (mapErr).
//   - Rule refusals (a NIP already taken, a home point already decided) are
//     *apel.Refusal values; test them with apel.ReasonOf.
//   - Uniqueness is a constraint, so redelivered updates and double-fired
//     jobs are harmless: OpenSession, MarkDone, CloseSession, MarkReminded
//     and SaveUpdates report whether they did anything.
//
// Nothing here reads the clock: every write that stamps a time takes it as
// an argument.
package store
