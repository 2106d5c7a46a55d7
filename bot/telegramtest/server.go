package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

const (
	botID       = 1000
	botUsername = "apel_test_bot"
	// callsCap is the capacity of the Calls channel; a call that does not
	// fit is still kept in History and reported by Err.
	callsCap = 10000
)

// ErrClosed is returned by Next and WaitConfirmed once the server is closed
// and there is nothing left to return.
var ErrClosed = errors.New("telegramtest: server closed")

// Server is a fake Telegram Bot API server. Create it with New and release
// it with Close. All methods are safe for concurrent use.
type Server struct {
	srv       *httptest.Server
	token     string
	bot       models.User
	done      chan struct{} // closed by Close; ends long polls
	closeOnce sync.Once
	calls     chan Call

	mu       sync.Mutex
	wake     chan struct{} // closed and replaced when updates are pushed or confirmed
	lastID   int64         // last update id handed out
	offset   int64         // updates with id < offset are confirmed
	queue    []queuedUpdate
	msgIDs   map[int64]int // last message id per chat
	chats    map[int64]models.Chat
	messages map[msgKey]models.Message  // messages sent or edited by the bot
	faults   map[string][]apiError      // by lower-case method name
	delays   map[string][]time.Duration // by lower-case method name, or name@chat (DelayNextTo)
	history  []Call
	err      error
	seq      int              // for file ids and callback query ids
	clock    func() time.Time // dates of the bot's messages; nil means time.Now
	limits   *limiter         // nil unless EnforceLimits
	served   map[int64]time.Time
	noKeep   bool // KeepHistory(false)
	held     bool // Hold: getUpdates hands nothing out
	hook     webhook
}

// New starts a fake Bot API server on a loopback address. The bot it
// impersonates has id 1000 and username "apel_test_bot".
func New() *Server {
	s := &Server{
		token: strconv.Itoa(botID) + ":TEST-TOKEN",
		bot: models.User{
			ID:                      botID,
			IsBot:                   true,
			FirstName:               "Apel Test",
			Username:                botUsername,
			CanJoinGroups:           true,
			CanReadAllGroupMessages: false,
		},
		done:     make(chan struct{}),
		calls:    make(chan Call, callsCap),
		wake:     make(chan struct{}),
		msgIDs:   make(map[int64]int),
		chats:    make(map[int64]models.Chat),
		messages: make(map[msgKey]models.Message),
		faults:   make(map[string][]apiError),
		delays:   make(map[string][]time.Duration),
		served:   make(map[int64]time.Time),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL returns the base URL of the server, for bot.WithServerURL.
func (s *Server) URL() string { return s.srv.URL }

// Token returns the bot token the server accepts, "1000:TEST-TOKEN".
func (s *Server) Token() string { return s.token }

// BotUsername returns the username of the fake bot, without the "@".
func (s *Server) BotUsername() string { return botUsername }

// Close ends pending long polls and shuts the server down. It is safe to
// call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// SetClock makes the server date the bot's messages (sendMessage,
// sendDocument, sendPhoto results and edit_date) with now instead of
// time.Now, for tests and demos that run on a fake clock. Updates built by
// SendText and the other helpers are dated by their own at argument. now
// is called with the server lock held and must not call the Server.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = now
}

func (s *Server) nowLocked() time.Time {
	if s.clock == nil {
		return time.Now()
	}
	return s.clock()
}

// Err returns the first protocol error: an unknown method, an unparsable
// request, a path outside /bot<token>/, a full Calls channel. It returns nil
// when the bot under test has only made well-formed calls.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// protocolErrorLocked records err unless an earlier error is kept.
func (s *Server) protocolErrorLocked(err error) {
	if s.err == nil {
		s.err = err
	}
}

func (s *Server) protocolError(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.protocolErrorLocked(err)
}

// broadcastLocked wakes every goroutine waiting on s.wake.
func (s *Server) broadcastLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		s.protocolError(fmt.Errorf("telegramtest: request outside the Bot API: %s %s", r.Method, r.URL.Path))
		writeError(w, apiError{Code: http.StatusNotFound, Description: "Not Found"})
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || token != s.token {
		writeError(w, apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	name := strings.ToLower(method)
	recorded := name != "getupdates" && name != "getme"
	req, err := parseRequest(r)
	call := Call{Method: method, Params: req.params, Files: req.files}
	if errors.Is(err, errClientGone) {
		return
	}
	if err != nil {
		e := apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + err.Error()}
		s.protocolError(fmt.Errorf("telegramtest: %s: unparsable request: %w", method, err))
		if recorded {
			s.record(call, e)
		}
		writeError(w, e)
		return
	}

	if d, ok := s.takeDelay(name, call.ChatID()); ok {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return // the client gave up: the call never happened
		case <-s.done:
			t.Stop()
			return
		}
	}

	if e, ok := s.takeFault(name); ok {
		if recorded {
			s.record(call, e)
		}
		writeError(w, e)
		return
	}

	if e, ok := s.admit(name, req); !ok {
		s.record(call, e)
		writeError(w, e)
		return
	}

	var result any
	var apiErr *apiError
	switch name {
	case "getme":
		result = s.bot
	case "getupdates":
		s.getUpdates(w, r, req)
		return
	default:
		h, ok := lookupMethod(name)
		if !ok {
			e := apiError{Code: http.StatusNotFound, Description: "Not Found: method " + method}
			s.protocolError(fmt.Errorf("telegramtest: unknown method %q", method))
			s.record(call, e)
			writeError(w, e)
			return
		}
		result, apiErr = h(s, req)
	}
	if apiErr != nil {
		s.record(call, *apiErr)
		writeError(w, *apiErr)
		return
	}
	raw, err := json.Marshal(result)
	if err != nil {
		e := apiError{Code: http.StatusInternalServerError, Description: "Internal Server Error"}
		s.protocolError(fmt.Errorf("telegramtest: %s: encode result: %w", method, err))
		s.record(call, e)
		writeError(w, e)
		return
	}
	call.Result = raw
	if recorded {
		s.record(call, apiError{})
	}
	writeJSON(w, http.StatusOK, response{OK: true, Result: raw})
}

// response is the envelope of every Bot API answer.
type response struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// apiError is an error answer; Code 0 means success.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
}

func badRequest(description string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + description}
}

func writeError(w http.ResponseWriter, e apiError) {
	resp := response{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 || e.MigrateTo != 0 {
		resp.Parameters = &responseParams{MigrateToChatID: e.MigrateTo, RetryAfter: e.RetryAfter}
	}
	writeJSON(w, e.Code, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only plain structs reach this point; keep the protocol shape anyway.
		status = http.StatusInternalServerError
		body = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client may have gone; nothing to do about it
}
