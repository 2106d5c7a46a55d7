package bot

import (
	"context"
	"math"
	"time"

	"github.com/apelbot/apelbot/apel"
)

// Flags for review. Once a batch of check-ins is durable (and its replies
// queued), the check-in path keeps what else the evidence needs (the
// legal reference of the mode's rule, the live location to follow) and
// raises the flags: the check-in's own (poor accuracy, outside the radius)
// and those that need other records (the same coordinates as another
// person within minutes, impossible travel since the person's other apel
// of the day, a location from a foreign account). A flag that involves an
// earlier check-in is raised on both. Flags never block a check-in: it
// counts as present, with its flags, until the OPD head decides.
//
// This runs after the commit, so a crash in between leaves a recorded
// check-in without its flags; the rules are cheap to run again, and the
// trade keeps the 07.30 burst's commits as small as they are.

// trustStore is what the evidence, the flags and their review need.
type trustStore interface {
	KeepEvidence(ctx context.Context, ts []apel.Trace, fixes map[int64]apel.Fix, flags []apel.Flag) error
	FollowLive(ctx context.Context, chatID, messageID int64, p apel.TrailPoint, follow func(start, until time.Time, n int) bool) (int64, bool, error)
	AddFlags(ctx context.Context, fs []apel.Flag) error
	SameCoordinatesAll(ctx context.Context, fixes []apel.Fix, window time.Duration) ([]apel.CheckIn, error)
	CheckInsOfEmployee(ctx context.Context, employeeID int64, opd string, d apel.Date) ([]apel.CheckIn, error)
	CheckInByID(ctx context.Context, id int64) (apel.CheckIn, error)
	CheckIns(ctx context.Context, d apel.Date) ([]apel.CheckIn, error)
	RecordClaim(ctx context.Context, c apel.Claim) error
	ClaimsBy(ctx context.Context, telegramID int64) ([]apel.Claim, error)
	RecordForeignFix(ctx context.Context, f apel.ForeignFix, updateID int64) (apel.ForeignFix, error)
	ForeignFixesIn(ctx context.Context, sessionIDs []int64) ([]apel.ForeignFix, error)
	Review(ctx context.Context, r apel.Review, c *apel.Correction) (int64, error)
	Corrections(ctx context.Context, d apel.Date) ([]apel.Correction, error)
	Evidence(ctx context.Context, id int64) (apel.Evidence, error)
	FlaggedOn(ctx context.Context, d apel.Date) ([]apel.Flagged, error)
}

// storedCheckIn is a check-in the path has just recorded, with the
// verdict that made it.
type storedCheckIn struct {
	c apel.CheckIn
	v verdict
}

// keepEvidence records the traces of the check-ins just stored and their
// flags, in one transaction. Failures are logged: the check-ins stand.
func (b *Bot) keepEvidence(ctx context.Context, stored []storedCheckIn, now time.Time) {
	if len(stored) == 0 {
		return
	}
	var ts []apel.Trace
	fixes := map[int64]apel.Fix{}
	for _, s := range stored {
		// Most check-ins need no trace: static, with a mode set by the
		// weekday table; Evidence reads a missing one as empty.
		if s.v.ref == "" && !s.c.Fix.Live {
			continue
		}
		t := apel.Trace{CheckInID: s.c.ID, ModeRef: s.v.ref}
		if s.c.Fix.Live {
			l := s.v.loc.m.Location
			t.ChatID, t.MessageID = s.v.loc.m.Chat.ID, int64(s.v.loc.m.ID)
			t.LiveUntil = b.cfg.Live.Until(s.c.Fix, time.Duration(l.LivePeriod)*time.Second)
			fixes[s.c.ID] = s.c.Fix
		}
		ts = append(ts, t)
	}
	flags, err := b.flagsOf(ctx, stored, now)
	if err != nil { // the traces are kept all the same
		b.cfg.Logger.Error().Err(err).Int("check_ins", len(stored)).Msg("raise flags")
	}
	if err := b.cfg.Store.KeepEvidence(ctx, ts, fixes, flags); err != nil {
		b.cfg.Logger.Error().Err(err).Int("check_ins", len(stored)).Int("flags", len(flags)).Msg("record check-in evidence")
		return
	}
	for _, f := range flags {
		b.cfg.Logger.Info().Int64("check_in_id", f.CheckInID).Str("flag", string(f.Kind)).Int64("other", f.Other).Msg("check-in flagged")
	}
}

// coordKey groups fixes with the same coordinates to 6 decimals.
type coordKey struct{ lat, lon int64 }

func keyOf(p apel.Point) coordKey {
	return coordKey{int64(math.Round(p.Lat * 1e6)), int64(math.Round(p.Lon * 1e6))}
}

// flagsOf raises the flags of the check-ins just stored: their own, and
// those against the records they need, read for the whole batch at once
// (the check-ins with the same coordinates, the foreign locations of their
// sessions) or, for impossible travel, for the sore check-ins only: the
// pagi one always comes first, and the sore one flags both.
func (b *Bot) flagsOf(ctx context.Context, stored []storedCheckIn, now time.Time) ([]apel.Flag, error) {
	rules := b.cfg.Flags.WithDefaults()
	fixes := make([]apel.Fix, len(stored))
	var sessions []int64
	seen := map[int64]bool{}
	for i, s := range stored {
		fixes[i] = s.c.Fix
		if !seen[s.c.SessionID] {
			seen[s.c.SessionID] = true
			sessions = append(sessions, s.c.SessionID)
		}
	}
	var same []apel.CheckIn
	var foreign []apel.ForeignFix
	err := parallel(
		func() (err error) {
			same, err = b.cfg.Store.SameCoordinatesAll(ctx, fixes, rules.SharedWindow)
			return err
		},
		func() (err error) { foreign, err = b.cfg.Store.ForeignFixesIn(ctx, sessions); return err },
	)
	if err != nil {
		return nil, err
	}
	near := map[coordKey][]apel.CheckIn{}
	for _, c := range same {
		near[keyOf(c.Fix.Point)] = append(near[keyOf(c.Fix.Point)], c)
	}
	var out []apel.Flag
	for _, s := range stored {
		c := s.c
		out = append(out, rules.Own(c, now)...)
		out = append(out, rules.Shared(c, near[keyOf(c.Fix.Point)], now)...)
		out = append(out, apel.Foreign(c, foreign, now)...)
		if s.v.sess.Kind != apel.Sore {
			continue
		}
		day, err := b.cfg.Store.CheckInsOfEmployee(ctx, c.EmployeeID, s.v.sess.OPD, s.v.sess.Date)
		if err != nil {
			return out, err
		}
		out = append(out, rules.Travel(c, day, now)...)
	}
	return out, nil
}
