package bot

import (
	"context"

	"github.com/apelbot/apelbot/apel"
)

// reflag raises again, when Run starts, the flags of the day's check-ins:
// a crash between a batch's commit and its evidence (evidenceq.go) leaves
// check-ins unflagged, and this catches them. Flags raised before are kept
// as they were. Failures are logged; the bot starts all the same.
func (b *Bot) reflag(ctx context.Context) {
	now := b.cfg.Now()
	d := apel.DateOf(now, b.cfg.Policy.Location)
	var sessions []apel.Session
	var cs []apel.CheckIn
	err := parallel(
		func() (err error) { sessions, err = b.cfg.Store.Sessions(ctx, d); return err },
		func() (err error) { cs, err = b.cfg.Store.CheckIns(ctx, d); return err },
	)
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("raise the day's flags again")
		return
	}
	if len(cs) == 0 {
		return
	}
	byID := make(map[int64]apel.Session, len(sessions))
	for _, s := range sessions {
		byID[s.ID] = s
	}
	stored := make([]storedCheckIn, 0, len(cs))
	for _, c := range cs {
		stored = append(stored, storedCheckIn{c: c, v: verdict{sess: byID[c.SessionID]}})
	}
	flags, err := b.flagsOf(ctx, stored, now)
	if err == nil {
		err = b.cfg.Store.AddFlags(ctx, flags)
	}
	if err != nil {
		b.cfg.Logger.Error().Err(err).Msg("raise the day's flags again")
		return
	}
	b.cfg.Logger.Info().Int("check_ins", len(cs)).Int("flags", len(flags)).Msg("day's flags raised again")
}
