package telegramtest_test

import (
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestLocationVariants(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, updates := startBot(t, srv, nil)

	srv.SendForwardedLocation(ani, at, -6.2, 106.8)
	m := nextUpdate(t, updates).Message
	if m.ForwardOrigin == nil || m.ForwardOrigin.Type != models.MessageOriginTypeUser ||
		m.ForwardOrigin.MessageOriginUser.SenderUser.ID != ani.ID || m.Location == nil {
		t.Errorf("SendForwardedLocation: got %+v, want a location forwarded from Ani", m)
	}
	srv.SendVenue(ani, at, -8.65, 115.21, "Kantor Bupati")
	m = nextUpdate(t, updates).Message
	if m.Venue == nil || m.Venue.Title != "Kantor Bupati" || m.Location == nil || m.Location.Longitude != 115.21 {
		t.Errorf("SendVenue: got venue %+v location %+v, want Kantor Bupati at -8.65,115.21", m.Venue, m.Location)
	}
	if m.ID != 2 || m.Chat.Type != models.ChatTypePrivate {
		t.Errorf("SendVenue: message %d in %s chat, want message 2 in private chat", m.ID, m.Chat.Type)
	}
}

func TestSetClockDatesBotMessages(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, _ := startBot(t, srv, nil)
	srv.SetClock(func() time.Time { return at })
	sent, err := b.SendMessage(timeout(t), &tg.SendMessageParams{ChatID: ani.ID, Text: "Pengingat apel"})
	if err != nil || sent.Date != int(at.Unix()) {
		t.Errorf("SendMessage after SetClock: got %+v, %v, want date %d", sent, err, at.Unix())
	}
}
