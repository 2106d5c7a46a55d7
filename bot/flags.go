package bot

import (
	"context"
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
	RecordTraces(ctx context.Context, ts []apel.Trace, fixes map[int64]apel.Fix) error
	FollowLive(ctx context.Context, chatID, messageID int64, p apel.TrailPoint, follow func(start, until time.Time, n int) bool) (int64, bool, error)
	AddFlags(ctx context.Context, fs []apel.Flag) error
	SameCoordinates(ctx context.Context, p apel.Point, at time.Time, window time.Duration) ([]apel.CheckIn, error)
	CheckInsOfEmployee(ctx context.Context, employeeID int64, d apel.Date) ([]apel.CheckIn, error)
	CheckInByID(ctx context.Context, id int64) (apel.CheckIn, error)
	RecordClaim(ctx context.Context, c apel.Claim) error
	ClaimsBy(ctx context.Context, telegramID int64) ([]apel.Claim, error)
	RecordForeignFix(ctx context.Context, f apel.ForeignFix, updateID int64) (apel.ForeignFix, error)
	ForeignFixes(ctx context.Context, sessionID, employeeID int64) ([]apel.ForeignFix, error)
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

// keepEvidence records the traces of the check-ins just stored and raises
// their flags. Failures are logged: the check-ins stand.
func (b *Bot) keepEvidence(ctx context.Context, stored []storedCheckIn, now time.Time) {
	if len(stored) == 0 {
		return
	}
	ts := make([]apel.Trace, 0, len(stored))
	fixes := make(map[int64]apel.Fix, len(stored))
	for _, s := range stored {
		t := apel.Trace{CheckInID: s.c.ID, ModeRef: s.v.ref}
		if s.c.Fix.Live {
			l := s.v.loc.m.Location
			t.ChatID, t.MessageID = s.v.loc.m.Chat.ID, int64(s.v.loc.m.ID)
			t.LiveUntil = b.cfg.Live.Until(s.c.Fix, time.Duration(l.LivePeriod)*time.Second)
			fixes[s.c.ID] = s.c.Fix
		}
		ts = append(ts, t)
	}
	if err := b.cfg.Store.RecordTraces(ctx, ts, fixes); err != nil {
		b.cfg.Logger.Error().Err(err).Int("check_ins", len(ts)).Msg("record check-in evidence")
	}
	var flags []apel.Flag
	for _, s := range stored {
		fs, err := b.flagsOf(ctx, s.c, s.v.sess.Date, now)
		if err != nil {
			b.cfg.Logger.Error().Err(err).Int64("check_in_id", s.c.ID).Msg("raise flags")
			continue
		}
		flags = append(flags, fs...)
	}
	if err := b.cfg.Store.AddFlags(ctx, flags); err != nil {
		b.cfg.Logger.Error().Err(err).Int("flags", len(flags)).Msg("record flags")
		return
	}
	for _, f := range flags {
		b.cfg.Logger.Info().Int64("check_in_id", f.CheckInID).Str("flag", string(f.Kind)).Int64("other", f.Other).Msg("check-in flagged")
	}
}

// flagsOf raises the flags of check-in c of date d: its own, and those
// against the records it needs.
func (b *Bot) flagsOf(ctx context.Context, c apel.CheckIn, d apel.Date, now time.Time) ([]apel.Flag, error) {
	rules := b.cfg.Flags.WithDefaults()
	var same, day []apel.CheckIn
	var foreign []apel.ForeignFix
	err := parallel(
		func() (err error) {
			same, err = b.cfg.Store.SameCoordinates(ctx, c.Fix.Point, c.Fix.At, rules.SharedWindow)
			return err
		},
		func() (err error) { day, err = b.cfg.Store.CheckInsOfEmployee(ctx, c.EmployeeID, d); return err },
		func() (err error) {
			foreign, err = b.cfg.Store.ForeignFixes(ctx, c.SessionID, c.EmployeeID)
			return err
		},
	)
	if err != nil {
		return nil, err
	}
	fs := rules.Own(c, now)
	fs = append(fs, rules.Shared(c, same, now)...)
	fs = append(fs, rules.Travel(c, day, now)...)
	return append(fs, apel.Foreign(c, foreign, now)...), nil
}
