package telegramtest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// User is a Telegram user that sends updates to the bot.
type User struct {
	ID           int64
	FirstName    string
	Username     string // without "@"; may be empty
	LanguageCode string // IETF tag such as "id" or "en"; may be empty
}

func (u User) model() models.User {
	return models.User{ID: u.ID, FirstName: u.FirstName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// msgKey identifies a message: ids are unique per chat only.
type msgKey struct {
	chat int64
	id   int
}

// SendText queues a text message from the user and returns its update id.
// chatID == from.ID means the private chat with the bot; any other chatID is
// a supergroup (pass a negative id such as -1001234567890). A text starting
// with "/" gets a bot_command entity over its first word, as Telegram adds.
func (s *Server) SendText(from User, chatID int64, at time.Time, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessageLocked(from, chatID, at)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		cmd, _, _ = strings.Cut(cmd, "\n")
		m.Entities = []models.MessageEntity{{
			Type:   models.MessageEntityTypeBotCommand,
			Offset: 0,
			Length: len(utf16.Encode([]rune(cmd))),
		}}
	}
	return s.pushLocked(models.Update{Message: m})
}

// SendLocation queues a location pin sent by the user in the private chat
// with the bot; accuracy is the horizontal accuracy in metres (0 = unknown).
func (s *Server) SendLocation(from User, at time.Time, lat, lon, accuracy float64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessageLocked(from, from.ID, at)
	m.Location = &models.Location{Latitude: lat, Longitude: lon, HorizontalAccuracy: accuracy}
	return s.pushLocked(models.Update{Message: m})
}

// SendForwardedLocation queues a location the user forwarded into the
// private chat: Message.ForwardOrigin is a MessageOriginUser naming the user
// as the original sender, one hour before at.
func (s *Server) SendForwardedLocation(from User, at time.Time, lat, lon float64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessageLocked(from, from.ID, at)
	m.Location = &models.Location{Latitude: lat, Longitude: lon}
	m.ForwardOrigin = &models.MessageOrigin{
		Type: models.MessageOriginTypeUser,
		MessageOriginUser: &models.MessageOriginUser{
			Type:       models.MessageOriginTypeUser,
			Date:       int(at.Add(-time.Hour).Unix()),
			SenderUser: from.model(),
		},
	}
	return s.pushLocked(models.Update{Message: m})
}

// SendVenue queues a venue (a place picked from the map) sent in the private
// chat: both Message.Venue and Message.Location are set, as Telegram does.
func (s *Server) SendVenue(from User, at time.Time, lat, lon float64, title string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessageLocked(from, from.ID, at)
	loc := models.Location{Latitude: lat, Longitude: lon}
	m.Location = &loc
	m.Venue = &models.Venue{Location: loc, Title: title, Address: title + ", Test Street 1"}
	return s.pushLocked(models.Update{Message: m})
}

// Tap queues a callback query: the user pressed an inline button with
// callback data on message messageID in chatID (from.ID for the private
// chat). The embedded message is the one the bot sent or last edited there,
// if the fake knows it, else a bare bot message; its Date is at, since a
// callback query itself has no date. Returns the update id.
func (s *Server) Tap(from User, chatID int64, messageID int, data string, at time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat := s.chatForLocked(from, chatID)
	m, ok := s.messages[msgKey{chat.ID, messageID}]
	if !ok {
		bot := s.bot
		m = models.Message{ID: messageID, From: &bot, Chat: chat}
	}
	m.Date = int(at.Unix())
	if m.Date == 0 {
		m.Date = 1 // date 0 marks an inaccessible message
	}
	s.seq++
	q := &models.CallbackQuery{
		ID:           fmt.Sprintf("cbq-%d", s.seq),
		From:         from.model(),
		Message:      models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &m},
		ChatInstance: fmt.Sprintf("ci%d", chat.ID),
		Data:         data,
	}
	return s.pushLocked(models.Update{CallbackQuery: q})
}

// newMessageLocked starts a message from the user in chatID with the next
// message id of that chat.
func (s *Server) newMessageLocked(from User, chatID int64, at time.Time) *models.Message {
	u := from.model()
	chat := s.chatForLocked(from, chatID)
	return &models.Message{ID: s.nextMessageIDLocked(chat.ID), From: &u, Chat: chat, Date: int(at.Unix())}
}

// chatForLocked returns the chat a user writes in: the private chat when
// chatID == from.ID, else a supergroup.
func (s *Server) chatForLocked(from User, chatID int64) models.Chat {
	if chatID == from.ID {
		c := models.Chat{ID: from.ID, Type: models.ChatTypePrivate, FirstName: from.FirstName, Username: from.Username}
		s.chats[c.ID] = c
		return c
	}
	if c, ok := s.chats[chatID]; ok && c.Type != models.ChatTypePrivate {
		return c
	}
	c := models.Chat{ID: chatID, Type: models.ChatTypeSupergroup, Title: fmt.Sprintf("Test group %d", chatID)}
	s.chats[chatID] = c
	return c
}

// chatLocked returns a chat the bot addresses by id: a known one, or a new
// private chat (positive id) or supergroup (negative id).
func (s *Server) chatLocked(id int64) models.Chat {
	if c, ok := s.chats[id]; ok {
		return c
	}
	c := models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: fmt.Sprintf("User %d", id)}
	if id < 0 {
		c = models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: fmt.Sprintf("Test group %d", id)}
	}
	s.chats[id] = c
	return c
}

// nextMessageIDLocked returns the next message id in a chat; users and the
// bot share the sequence, as in Telegram.
func (s *Server) nextMessageIDLocked(chatID int64) int {
	s.msgIDs[chatID]++
	return s.msgIDs[chatID]
}

// ChangeMembership queues the my_chat_member update Telegram sends when the
// bot's own membership in chatID changes, caused by from: in a group,
// status "member" or "administrator" when it is added and "left" or
// "kicked" when it is removed; in the private chat (chatID == from.ID),
// "kicked" when from blocks the bot and "member" when they unblock it.
func (s *Server) ChangeMembership(from User, chatID int64, at time.Time, status models.ChatMemberType) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	bot := s.bot
	member := func(st models.ChatMemberType) models.ChatMember {
		m := models.ChatMember{Type: st}
		switch st {
		case models.ChatMemberTypeOwner:
			m.Owner = &models.ChatMemberOwner{User: &bot}
		case models.ChatMemberTypeAdministrator:
			m.Administrator = &models.ChatMemberAdministrator{User: bot}
		case models.ChatMemberTypeRestricted:
			m.Restricted = &models.ChatMemberRestricted{User: &bot}
		case models.ChatMemberTypeLeft:
			m.Left = &models.ChatMemberLeft{User: &bot}
		case models.ChatMemberTypeBanned:
			m.Banned = &models.ChatMemberBanned{User: &bot}
		default:
			m.Member = &models.ChatMemberMember{User: &bot}
		}
		return m
	}
	old := models.ChatMemberTypeMember
	if status == models.ChatMemberTypeMember || status == models.ChatMemberTypeAdministrator {
		old = models.ChatMemberTypeLeft
		if chatID == from.ID {
			old = models.ChatMemberTypeBanned
		}
	}
	return s.pushLocked(models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: s.chatForLocked(from, chatID), From: from.model(), Date: int(at.Unix()),
		OldChatMember: member(old), NewChatMember: member(status),
	}})
}
