package telegramtest

import (
	"time"

	"github.com/go-telegram/bot/models"
)

// SendLiveLocation queues a live location the user starts sharing in the
// private chat with the bot, for livePeriod, and returns the update id and
// the message id (which the edits carry).
func (s *Server) SendLiveLocation(from User, at time.Time, lat, lon, accuracy float64, livePeriod time.Duration) (int64, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessageLocked(from, from.ID, at)
	m.Location = &models.Location{Latitude: lat, Longitude: lon, HorizontalAccuracy: accuracy, LivePeriod: int(livePeriod.Seconds())}
	return s.pushLocked(models.Update{Message: m}), m.ID
}

// EditLiveLocation queues the edited_message Telegram sends when a shared
// live location moves: message messageID of the private chat, first sent
// at sentAt, now at lat, lon as of editAt.
func (s *Server) EditLiveLocation(from User, messageID int, sentAt, editAt time.Time, lat, lon, accuracy float64, livePeriod time.Duration) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := from.model()
	m := &models.Message{ID: messageID, From: &u, Chat: s.chatForLocked(from, from.ID), Date: int(sentAt.Unix()),
		EditDate: int(editAt.Unix()),
		Location: &models.Location{Latitude: lat, Longitude: lon, HorizontalAccuracy: accuracy, LivePeriod: int(livePeriod.Seconds())}}
	return s.pushLocked(models.Update{EditedMessage: m})
}
