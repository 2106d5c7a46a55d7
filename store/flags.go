package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// KeepEvidence stores, in one transaction, what the check-in path keeps
// beside check-ins just recorded: their traces (the legal reference of the
// mode's rule; for a live location the message to follow, with its first
// trail point, the check-in's fix from fixes) and the flags raised. A
// trace or flag recorded before is kept as it was.
func (db *DB) KeepEvidence(ctx context.Context, ts []apel.Trace, fixes map[int64]apel.Fix, flags []apel.Flag) error {
	if len(ts) == 0 && len(flags) == 0 {
		return nil
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("keep evidence: %w", err)
	}
	defer rollback(tx)
	for _, t := range ts {
		var until int64
		if !t.LiveUntil.IsZero() {
			until = millis(t.LiveUntil)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO check_in_evidence (check_in_id, mode_ref, chat_id, message_id, live_until)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (check_in_id) DO NOTHING`,
			t.CheckInID, t.ModeRef, t.ChatID, t.MessageID, until); err != nil {
			return fmt.Errorf("keep evidence: %w", mapErr(err))
		}
		if f, ok := fixes[t.CheckInID]; ok && until != 0 {
			if err := addTrail(ctx, tx, t.CheckInID, apel.TrailPoint{Point: f.Point, Accuracy: f.Accuracy, At: f.At}); err != nil {
				return fmt.Errorf("keep evidence: %w", err)
			}
		}
	}
	if err := addFlags(ctx, tx, flags); err != nil {
		return fmt.Errorf("keep evidence: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("keep evidence: %w", err)
	}
	return nil
}

func addTrail(ctx context.Context, q querier, checkInID int64, p apel.TrailPoint) error {
	_, err := q.ExecContext(ctx, `INSERT INTO check_in_trail (check_in_id, at, lat, lon, accuracy) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (check_in_id, at) DO NOTHING`, checkInID, millis(p.At), p.Lat, p.Lon, p.Accuracy)
	return mapErr(err)
}

// FollowLive adds p to the trail of the check-in whose live location is
// message messageID of chat chatID, when follow (given the first fix's
// time, the end of the window and the points so far) says so. It returns
// the check-in's id and whether p was added; an unknown message returns an
// error wrapping apel.ErrNotFound.
func (db *DB) FollowLive(ctx context.Context, chatID, messageID int64, p apel.TrailPoint,
	follow func(start, until time.Time, n int) bool) (int64, bool, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("follow live location: %w", err)
	}
	defer rollback(tx)
	var id, start, until int64
	var n int
	err = tx.QueryRowContext(ctx, `SELECT e.check_in_id, c.fix_at, e.live_until,
			(SELECT count(*) FROM check_in_trail t WHERE t.check_in_id = e.check_in_id)
		FROM check_in_evidence e JOIN check_ins c ON c.id = e.check_in_id
		WHERE e.chat_id = ? AND e.message_id = ? AND e.live_until <> 0`, chatID, messageID).Scan(&id, &start, &until, &n)
	if err != nil {
		return 0, false, fmt.Errorf("follow live location: %w", mapErr(err))
	}
	if !follow(instant(start), instant(until), n) {
		return id, false, nil
	}
	if err := addTrail(ctx, tx, id, p); err != nil {
		return 0, false, fmt.Errorf("follow live location: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("follow live location: %w", err)
	}
	return id, true, nil
}

// AddFlags stores flags; a flag already raised (same check-in, kind and
// other) is kept as it was.
func (db *DB) AddFlags(ctx context.Context, fs []apel.Flag) error {
	if len(fs) == 0 {
		return nil
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add flags: %w", err)
	}
	defer rollback(tx)
	if err := addFlags(ctx, tx, fs); err != nil {
		return fmt.Errorf("add flags: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add flags: %w", err)
	}
	return nil
}

// flagCols is the number of columns addFlags inserts per row.
const flagCols = 5

// addFlags inserts fs in multi-row statements.
func addFlags(ctx context.Context, tx *sql.Tx, fs []apel.Flag) error {
	for _, part := range chunks(fs, maxParams/flagCols) {
		args := make([]any, 0, flagCols*len(part))
		for _, f := range part {
			args = append(args, f.CheckInID, f.Kind, f.Other, f.Value, millis(f.At))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO check_in_flags (check_in_id, kind, other, value, raised_at)
			VALUES `+rowsOf(len(part), flagCols)+` ON CONFLICT (check_in_id, kind, other) DO NOTHING`, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// coordEps is how far apart two positions may be and still be "the same
// coordinates": Telegram clients send 6 decimals.
const coordEps = 1.5e-6

// SameCoordinates returns the check-ins whose position is within a
// millionth of a degree of p (what Telegram clients send to 6 decimals)
// and whose location time is within window of at.
func (db *DB) SameCoordinates(ctx context.Context, p apel.Point, at time.Time, window time.Duration) ([]apel.CheckIn, error) {
	return db.SameCoordinatesAll(ctx, []apel.Fix{{Point: p, At: at}}, window)
}

// SameCoordinatesAll is SameCoordinates for several fixes at once: the
// check-ins near any of them (each at most once, by id). One statement,
// prepared once in a read snapshot, runs per fix: an index probe each,
// where a single statement with hundreds of OR terms would spend longer
// being parsed than run.
func (db *DB) SameCoordinatesAll(ctx context.Context, fixes []apel.Fix, window time.Duration) ([]apel.CheckIn, error) {
	if len(fixes) == 0 {
		return nil, nil
	}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("same coordinates: %w", err)
	}
	defer rollback(tx)
	stmt, err := tx.PrepareContext(ctx, `SELECT `+checkInColumns+` FROM check_ins c
		WHERE c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ? AND c.fix_at BETWEEN ? AND ?`)
	if err != nil {
		return nil, fmt.Errorf("same coordinates: %w", err)
	}
	defer stmt.Close()
	var out []apel.CheckIn
	seen := map[int64]bool{}
	for _, f := range fixes {
		rows, err := stmt.QueryContext(ctx, f.Lat-coordEps, f.Lat+coordEps, f.Lon-coordEps, f.Lon+coordEps,
			millis(f.At.Add(-window)), millis(f.At.Add(window)))
		if err != nil {
			return nil, fmt.Errorf("same coordinates: %w", err)
		}
		for rows.Next() {
			c, err := scanCheckIn(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("same coordinates: %w", err)
			}
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("same coordinates: %w", err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, tx.Commit()
}

// CheckInsOfEmployee returns the check-ins of an employee in the sessions
// of OPD opd on date d, by location time.
func (db *DB) CheckInsOfEmployee(ctx context.Context, employeeID int64, opd string, d apel.Date) ([]apel.CheckIn, error) {
	cs, err := checkIns(ctx, db.r, `SELECT `+checkInColumns+` FROM sessions s JOIN check_ins c ON c.session_id = s.id
		WHERE s.opd = ? AND s.date = ? AND c.employee_id = ? ORDER BY c.fix_at, c.id`, opd, d.String(), employeeID)
	if err != nil {
		return nil, fmt.Errorf("check-ins of employee %d on %s: %w", employeeID, d, err)
	}
	return cs, nil
}

// CheckInByID returns a check-in by id, or an error wrapping
// apel.ErrNotFound.
func (db *DB) CheckInByID(ctx context.Context, id int64) (apel.CheckIn, error) {
	c, err := scanCheckIn(db.r.QueryRowContext(ctx, `SELECT `+checkInColumns+` FROM check_ins c WHERE c.id = ?`, id))
	if err != nil {
		return apel.CheckIn{}, fmt.Errorf("check-in %d: %w", id, mapErr(err))
	}
	return c, nil
}

// RecordClaim stores (or renews) an account's refused claim on a NIP.
func (db *DB) RecordClaim(ctx context.Context, c apel.Claim) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO nip_claims (telegram_id, employee_id, claimed_at) VALUES (?, ?, ?)
		ON CONFLICT (telegram_id, employee_id) DO UPDATE SET claimed_at = excluded.claimed_at`,
		c.TelegramID, c.EmployeeID, millis(c.At))
	if err != nil {
		return fmt.Errorf("record claim: %w", mapErr(err))
	}
	return nil
}

// ClaimsBy returns the refused claims of a Telegram account, latest first.
func (db *DB) ClaimsBy(ctx context.Context, telegramID int64) ([]apel.Claim, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT telegram_id, employee_id, claimed_at FROM nip_claims
		WHERE telegram_id = ? ORDER BY claimed_at DESC, employee_id`, telegramID)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	defer rows.Close()
	var out []apel.Claim
	for rows.Next() {
		var c apel.Claim
		var at int64
		if err := rows.Scan(&c.TelegramID, &c.EmployeeID, &at); err != nil {
			return nil, fmt.Errorf("claims: %w", err)
		}
		c.At = instant(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	return out, nil
}

// RecordForeignFix stores a location sent by an account that is not the
// person's bound one and returns it with its id; the same update recorded
// again returns the earlier one.
func (db *DB) RecordForeignFix(ctx context.Context, f apel.ForeignFix, updateID int64) (apel.ForeignFix, error) {
	err := db.w.QueryRowContext(ctx, `INSERT INTO foreign_locations (employee_id, telegram_id, session_id, lat, lon, accuracy,
			fix_at, recorded_at, update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (update_id) DO UPDATE SET update_id = excluded.update_id RETURNING id`,
		f.EmployeeID, f.TelegramID, f.SessionID, f.Fix.Lat, f.Fix.Lon, f.Fix.Accuracy, millis(f.Fix.At),
		millis(f.RecordedAt), updateID).Scan(&f.ID)
	if err != nil {
		return apel.ForeignFix{}, fmt.Errorf("record foreign location: %w", mapErr(err))
	}
	return f, nil
}

// ForeignFixes returns the foreign locations recorded against an employee
// in a session.
func (db *DB) ForeignFixes(ctx context.Context, sessionID, employeeID int64) ([]apel.ForeignFix, error) {
	return foreignFixes(ctx, db.r, `session_id = ? AND employee_id = ?`, sessionID, employeeID)
}

// ForeignFixesIn returns the foreign locations recorded in any of the
// sessions.
func (db *DB) ForeignFixesIn(ctx context.Context, sessionIDs []int64) ([]apel.ForeignFix, error) {
	var out []apel.ForeignFix
	for _, part := range chunks(sessionIDs, maxParams) {
		fs, err := foreignFixes(ctx, db.r, `session_id IN (`+placeholders(len(part))+`)`, anys(part)...)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

func foreignFixes(ctx context.Context, q querier, where string, args ...any) ([]apel.ForeignFix, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, employee_id, telegram_id, session_id, lat, lon, accuracy, fix_at, recorded_at
		FROM foreign_locations WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("foreign locations: %w", err)
	}
	defer rows.Close()
	var out []apel.ForeignFix
	for rows.Next() {
		var f apel.ForeignFix
		var at, rec int64
		if err := rows.Scan(&f.ID, &f.EmployeeID, &f.TelegramID, &f.SessionID, &f.Fix.Lat, &f.Fix.Lon, &f.Fix.Accuracy, &at, &rec); err != nil {
			return nil, fmt.Errorf("foreign locations: %w", err)
		}
		f.Fix.At, f.RecordedAt = instant(at), instant(rec)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("foreign locations: %w", err)
	}
	return out, nil
}

// Review records the decision on a flagged check-in and, for a rejection,
// the status correction c it makes, in one transaction; it returns the
// correction's id (0 without one). A check-in decided before is refused
// with apel.ReasonAlreadyDecided (a decision is never changed); an unknown
// check-in returns an error wrapping apel.ErrNotFound.
func (db *DB) Review(ctx context.Context, r apel.Review, c *apel.Correction) (int64, error) {
	if err := r.Validate(); err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	defer rollback(tx)
	var cid int64
	if c != nil {
		if cid, err = recordCorrection(ctx, tx, *c); err != nil {
			return 0, fmt.Errorf("review: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO check_in_reviews (check_in_id, decision, reviewed_by, reviewed_at, note, correction_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (check_in_id) DO NOTHING`, r.CheckInID, r.Decision, r.By, millis(r.At), r.Note, cid)
	n, err := affected(res, err)
	if err != nil {
		return 0, fmt.Errorf("review: %w", mapErr(err))
	}
	if n == 0 {
		return 0, fmt.Errorf("review: %w", apel.Refuse(apel.ReasonAlreadyDecided))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("review: %w", err)
	}
	return cid, nil
}

// Evidence returns everything kept about check-in id, or an error wrapping
// apel.ErrNotFound.
func (db *DB) Evidence(ctx context.Context, id int64) (apel.Evidence, error) {
	c, err := db.CheckInByID(ctx, id)
	if err != nil {
		return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
	}
	e := apel.Evidence{CheckIn: c}
	var until int64
	err = db.r.QueryRowContext(ctx, `SELECT mode_ref, chat_id, message_id, live_until FROM check_in_evidence WHERE check_in_id = ?`, id).
		Scan(&e.ModeRef, &e.ChatID, &e.MessageID, &until)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
	}
	if until != 0 {
		e.LiveUntil = instant(until)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT at, lat, lon, accuracy FROM check_in_trail WHERE check_in_id = ? ORDER BY at`, id)
	if err != nil {
		return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p apel.TrailPoint
		var at int64
		if err := rows.Scan(&at, &p.Lat, &p.Lon, &p.Accuracy); err != nil {
			return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
		}
		p.At = instant(at)
		e.Trail = append(e.Trail, p)
	}
	if err := rows.Err(); err != nil {
		return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
	}
	flags, reviews, err := flagsOf(ctx, db.r, `check_in_flags f WHERE f.check_in_id = ? ORDER BY f.raised_at, f.kind, f.other`,
		`check_in_reviews r WHERE r.check_in_id = ?`, id)
	if err != nil {
		return apel.Evidence{}, fmt.Errorf("evidence: %w", err)
	}
	e.Flags = flags[id]
	if r, ok := reviews[id]; ok {
		e.Review = &r
	}
	return e, nil
}

// flagsOf reads flags and the reviews of their check-ins, by check-in id:
// the flags from flagsFrom (over check_in_flags f, ordered by raised_at,
// kind, other within a check-in) and the reviews from reviewsFrom (over
// check_in_reviews r), both with args. The reviews are read on their own:
// there are few, and joining them to every flag would read five more
// columns per flag.
func flagsOf(ctx context.Context, q querier, flagsFrom, reviewsFrom string, args ...any) (map[int64][]apel.Flag, map[int64]apel.Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.check_in_id, f.kind, f.other, f.value, f.raised_at FROM `+flagsFrom, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	flags := map[int64][]apel.Flag{}
	for rows.Next() {
		var f apel.Flag
		var at int64
		if err := rows.Scan(&f.CheckInID, &f.Kind, &f.Other, &f.Value, &at); err != nil {
			return nil, nil, err
		}
		f.At = instant(at)
		flags[f.CheckInID] = append(flags[f.CheckInID], f)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	reviews := map[int64]apel.Review{}
	if len(flags) == 0 {
		return flags, reviews, nil
	}
	rrows, err := q.QueryContext(ctx, `SELECT r.check_in_id, r.decision, r.reviewed_by, r.reviewed_at, r.note, r.correction_id
		FROM `+reviewsFrom, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var r apel.Review
		var at int64
		if err := rrows.Scan(&r.CheckInID, &r.Decision, &r.By, &at, &r.Note, &r.CorrectionID); err != nil {
			return nil, nil, err
		}
		// The reviews of flagged check-ins only, as a join from the flags.
		if _, ok := flags[r.CheckInID]; ok {
			r.At = instant(at)
			reviews[r.CheckInID] = r
		}
	}
	return flags, reviews, rrows.Err()
}

// flagsOfDate is flagsOf for the check-ins of date d. The check-ins are
// walked as checkInsOfDate reads them (the check_ins_session index) and
// their flags read from check_in_flags_by_check_in (migration 011): no
// sort, no list of the day's check-in ids.
func flagsOfDate(ctx context.Context, q querier, d apel.Date) (map[int64][]apel.Flag, map[int64]apel.Review, error) {
	const day = `check_ins c JOIN %s ON %s.check_in_id = c.id
		WHERE c.session_id IN (SELECT id FROM sessions WHERE date = ?)`
	return flagsOf(ctx, q,
		fmt.Sprintf(day, "check_in_flags f", "f")+` ORDER BY c.session_id, c.fix_at, c.id, f.raised_at, f.kind, f.other`,
		fmt.Sprintf(day, "check_in_reviews r", "r"), d.String())
}

// FlaggedOn returns the flagged check-ins of date d with their flags and
// reviews, by session and location time.
func (db *DB) FlaggedOn(ctx context.Context, d apel.Date) ([]apel.Flagged, error) {
	out, err := flagged(ctx, db.r, d)
	if err != nil {
		return nil, fmt.Errorf("flagged check-ins of %s: %w", d, err)
	}
	return out, nil
}

// flagged is FlaggedOn on q.
func flagged(ctx context.Context, q querier, d apel.Date) ([]apel.Flagged, error) {
	flags, reviews, err := flagsOfDate(ctx, q, d)
	if err != nil || len(flags) == 0 {
		return nil, err
	}
	cs, err := checkIns(ctx, q, `SELECT `+checkInColumns+` FROM check_ins c JOIN sessions s ON s.id = c.session_id
		WHERE s.date = ? AND c.id IN (SELECT check_in_id FROM check_in_flags) ORDER BY c.session_id, c.fix_at, c.id`, d.String())
	if err != nil {
		return nil, err
	}
	return flaggedAmong(cs, flags, reviews), nil
}

// flaggedAmong returns the check-ins of cs that have flags, in the order
// of cs, with their flags and reviews.
func flaggedAmong(cs []apel.CheckIn, flags map[int64][]apel.Flag, reviews map[int64]apel.Review) []apel.Flagged {
	if len(flags) == 0 {
		return nil
	}
	out := make([]apel.Flagged, 0, len(flags))
	for _, c := range cs {
		fs, ok := flags[c.ID]
		if !ok {
			continue
		}
		f := apel.Flagged{CheckIn: c, Flags: fs}
		if r, ok := reviews[c.ID]; ok {
			f.Review = &r
		}
		out = append(out, f)
	}
	return out
}
