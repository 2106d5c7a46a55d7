package bot

import (
	"context"
	"errors"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
)

// edited handles an edited message. A live location arrives first as a
// message (the check-in, judged on its time) and then as edits of that
// message while the person shares it: each edit within the window is a
// point of the check-in's trail, up to the configured cap. Edits of
// messages that are not a followed live location, and edits after the
// window or over the cap, are ignored without an answer.
func (b *Bot) edited(ctx context.Context, m *models.Message) {
	log := zerolog.Ctx(ctx)
	if m.Location == nil || m.Chat.Type != models.ChatTypePrivate {
		log.Info().Bool("location", m.Location != nil).Msg("edited message not used")
		return
	}
	at := time.Unix(int64(m.EditDate), 0)
	if m.EditDate == 0 {
		at = time.Unix(int64(m.Date), 0)
	}
	p := apel.TrailPoint{Point: apel.Point{Lat: m.Location.Latitude, Lon: m.Location.Longitude},
		Accuracy: m.Location.HorizontalAccuracy, At: at}
	id, added, err := b.cfg.Store.FollowLive(ctx, m.Chat.ID, int64(m.ID), p, func(start, until time.Time, n int) bool {
		return b.cfg.Live.Follow(p, start, until, n)
	})
	switch {
	case errors.Is(err, apel.ErrNotFound):
		log.Info().Msg("edited location of no followed check-in ignored")
	case err != nil:
		log.Error().Err(err).Msg("follow live location")
	case added:
		log.Debug().Int64("check_in_id", id).Msg("live location point kept")
	default:
		log.Info().Int64("check_in_id", id).Msg("live location point past the window or the cap ignored")
	}
}
