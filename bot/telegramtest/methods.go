package telegramtest

import (
	"encoding/json"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"github.com/go-telegram/bot/models"
)

// methodFunc answers one Bot API method; a nil *apiError means success.
type methodFunc func(s *Server, req request) (any, *apiError)

// lookupMethod returns the handler of a method by lower-case name; getMe and
// getUpdates are handled by the server itself.
func lookupMethod(name string) (methodFunc, bool) {
	switch name {
	case "setwebhook":
		return (*Server).setWebhook, true
	case "deletewebhook":
		return (*Server).deleteWebhook, true
	case "setmycommands", "deletemycommands":
		return answerTrue, true
	case "sendmessage":
		return (*Server).sendMessage, true
	case "editmessagetext":
		return (*Server).editMessageText, true
	case "editmessagereplymarkup":
		return (*Server).editMessageReplyMarkup, true
	case "deletemessage":
		return (*Server).deleteMessage, true
	case "answercallbackquery":
		return answerCallbackQuery, true
	case "senddocument":
		return (*Server).sendDocument, true
	case "sendphoto":
		return (*Server).sendPhoto, true
	case "sendchataction":
		return sendChatAction, true
	case "getchat":
		return (*Server).getChat, true
	case "leavechat":
		return leaveChat, true
	}
	return nil, false
}

func answerTrue(*Server, request) (any, *apiError) { return true, nil }

func (s *Server) sendMessage(req request) (any, *apiError) {
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	text := req.params["text"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	markup, e := inlineMarkup(req)
	if e != nil {
		return nil, e
	}
	return s.newBotMessage(chatID, func(m *models.Message) {
		m.Text = text
		m.ReplyMarkup = markup
	}), nil
}

func (s *Server) editMessageText(req request) (any, *apiError) {
	text := req.params["text"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	return s.editMessage(req, func(m *models.Message) { m.Text = text })
}

func (s *Server) editMessageReplyMarkup(req request) (any, *apiError) {
	return s.editMessage(req, func(*models.Message) {})
}

// editMessage edits the message named by chat_id and message_id; the new
// reply_markup replaces the old one (none removes it). Editing an inline
// message (inline_message_id) answers true. A known message that does not
// change gets Telegram's "message is not modified".
func (s *Server) editMessage(req request, edit func(*models.Message)) (any, *apiError) {
	markup, e := inlineMarkup(req)
	if e != nil {
		return nil, e
	}
	if req.params["inline_message_id"] != "" {
		return true, nil
	}
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	id, e := req.int("message_id", 0)
	if e != nil {
		return nil, e
	}
	if id <= 0 {
		return nil, badRequest("message identifier is not specified")
	}
	key := msgKey{chatID, int(id)}

	s.mu.Lock()
	defer s.mu.Unlock()
	old, known := s.messages[key]
	m := old
	if !known {
		bot := s.bot
		m = models.Message{ID: key.id, From: &bot, Chat: s.chatLocked(chatID), Date: int(s.nowLocked().Unix())}
	}
	edit(&m)
	m.ReplyMarkup = markup
	if known && m.Text == old.Text && sameJSON(m.ReplyMarkup, old.ReplyMarkup) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.EditDate = int(s.nowLocked().Unix())
	s.messages[key] = m
	return &m, nil
}

func (s *Server) deleteMessage(req request) (any, *apiError) {
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	id, e := req.int("message_id", 0)
	if e != nil {
		return nil, e
	}
	if id <= 0 {
		return nil, badRequest("message identifier is not specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.messages, msgKey{chatID, int(id)})
	return true, nil
}

func answerCallbackQuery(_ *Server, req request) (any, *apiError) {
	if req.params["callback_query_id"] == "" {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	return true, nil
}

func (s *Server) sendDocument(req request) (any, *apiError) {
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	doc := &models.Document{}
	if f, ok := req.files["document"]; ok {
		id := s.nextFileID("doc")
		mimeType := mime.TypeByExtension(filepath.Ext(f.Name))
		if mimeType == "" {
			mimeType = "application/octet-stream"
		}
		*doc = models.Document{FileID: id, FileUniqueID: "u" + id, FileName: f.Name, MimeType: mimeType, FileSize: int64(len(f.Data))}
	} else if ref := req.params["document"]; ref != "" {
		*doc = models.Document{FileID: ref, FileUniqueID: "u" + ref}
	} else {
		return nil, badRequest("there is no document in the request")
	}
	return s.sendMedia(chatID, req, func(m *models.Message) { m.Document = doc })
}

func (s *Server) sendPhoto(req request) (any, *apiError) {
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	var id string
	size := 0
	if f, ok := req.files["photo"]; ok {
		id, size = s.nextFileID("photo"), len(f.Data)
	} else if id = req.params["photo"]; id == "" {
		return nil, badRequest("there is no photo in the request")
	}
	photo := []models.PhotoSize{
		{FileID: id + "-s", FileUniqueID: "u" + id + "-s", Width: 90, Height: 67, FileSize: min(size, 1500)},
		{FileID: id, FileUniqueID: "u" + id, Width: 800, Height: 600, FileSize: size},
	}
	return s.sendMedia(chatID, req, func(m *models.Message) { m.Photo = photo })
}

// sendMedia builds the message of sendDocument or sendPhoto.
func (s *Server) sendMedia(chatID int64, req request, set func(*models.Message)) (any, *apiError) {
	markup, e := inlineMarkup(req)
	if e != nil {
		return nil, e
	}
	return s.newBotMessage(chatID, func(m *models.Message) {
		set(m)
		m.Caption = req.params["caption"]
		m.ReplyMarkup = markup
	}), nil
}

func sendChatAction(_ *Server, req request) (any, *apiError) {
	if _, e := req.chatID(); e != nil {
		return nil, e
	}
	if req.params["action"] == "" {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}

func (s *Server) getChat(req request) (any, *apiError) {
	chatID, e := req.chatID()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	c := s.chatLocked(chatID)
	s.mu.Unlock()
	return &models.ChatFullInfo{
		ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username,
		FirstName: c.FirstName, LastName: c.LastName, IsForum: c.IsForum,
	}, nil
}

func leaveChat(_ *Server, req request) (any, *apiError) {
	if _, e := req.chatID(); e != nil {
		return nil, e
	}
	return true, nil
}

// newBotMessage stores and returns a new message from the bot in chatID,
// dated now.
func (s *Server) newBotMessage(chatID int64, fill func(*models.Message)) *models.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	bot := s.bot
	chat := s.chatLocked(chatID)
	m := models.Message{ID: s.nextMessageIDLocked(chat.ID), From: &bot, Chat: chat, Date: int(s.nowLocked().Unix())}
	fill(&m)
	s.messages[msgKey{chat.ID, m.ID}] = m
	return &m
}

func (s *Server) nextFileID(kind string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s-%d", kind, s.seq)
}

// inlineMarkup decodes an inline keyboard from reply_markup, which Telegram
// echoes in the sent message. Other markups (reply keyboards, remove,
// force reply) are not echoed.
func inlineMarkup(req request) (*models.InlineKeyboardMarkup, *apiError) {
	raw := strings.TrimSpace(req.params["reply_markup"])
	if raw == "" {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if _, ok := fields["inline_keyboard"]; !ok {
		return nil, nil
	}
	var m models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, badRequest("can't parse inline keyboard button: " + err.Error())
	}
	if len(m.InlineKeyboard) == 0 {
		return nil, nil
	}
	return &m, nil
}

func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
