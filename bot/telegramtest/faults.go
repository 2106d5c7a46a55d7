package telegramtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FailNext makes the next n calls of method (case-insensitive, e.g.
// "sendMessage") fail with error_code code and description instead of being
// answered. retryAfter > 0 adds "parameters":{"retry_after":retryAfter}. An
// empty description gets Telegram's usual one for the code, e.g. "Too Many
// Requests: retry after 5" or "Forbidden: bot was blocked by the user".
// Faults queue up: a second FailNext for the same method applies after the
// first one is used up. Failed calls are recorded with ErrorCode set; faults
// also apply to getUpdates and getMe, which are never recorded. A code
// outside 400-599 is a protocol error (see Err) and injects nothing.
func (s *Server) FailNext(method string, n int, code int, description string, retryAfter int) {
	if code < 400 || code > 599 {
		s.protocolError(fmt.Errorf("telegramtest: FailNext(%q): error code %d is not an HTTP error", method, code))
		return
	}
	if description == "" {
		description = defaultDescription(code, retryAfter)
	}
	e := apiError{Code: code, Description: description, RetryAfter: retryAfter}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := strings.ToLower(method)
	for range n {
		s.faults[name] = append(s.faults[name], e)
	}
}

// FailNextMigrate makes the next call of method fail as it does when the
// target group was upgraded to a supergroup: 400 "Bad Request: group chat
// was upgraded to a supergroup chat" with parameters.migrate_to_chat_id set
// to newChatID. The client reports it as *bot.MigrateError.
func (s *Server) FailNextMigrate(method string, newChatID int64) {
	e := apiError{
		Code:        http.StatusBadRequest,
		Description: "Bad Request: group chat was upgraded to a supergroup chat",
		MigrateTo:   newChatID,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := strings.ToLower(method)
	s.faults[name] = append(s.faults[name], e)
}

// takeFault pops the next injected fault for the lower-case method name.
func (s *Server) takeFault(name string) (apiError, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[name]
	if len(q) == 0 {
		return apiError{}, false
	}
	e := q[0]
	if len(q) == 1 {
		delete(s.faults, name)
	} else {
		s.faults[name] = q[1:]
	}
	return e, true
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusUnauthorized:
		return "Unauthorized"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return fmt.Sprintf("Error %d", code)
}

// DelayNext makes the next n calls of method (case-insensitive) wait d
// before the fake looks at them, as a slow or congested Bot API does. A
// client that gives up meanwhile (a timeout) has its call dropped: not
// answered, not recorded, and not acted on, as if it never reached
// Telegram. Delays queue up like faults, and a delayed call can still get
// an injected fault.
func (s *Server) DelayNext(method string, n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := strings.ToLower(method)
	for range n {
		s.delays[name] = append(s.delays[name], d)
	}
}

// DelayNextTo is DelayNext for the calls of method to chat chatID only:
// calls to other chats pass undelayed and leave it queued. A test that
// holds up one reply is then not upset by whatever else the bot sends
// first (a scheduled report, say).
func (s *Server) DelayNextTo(method string, chatID int64, n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := chatDelayKey(strings.ToLower(method), chatID)
	for range n {
		s.delays[key] = append(s.delays[key], d)
	}
}

// chatDelayKey is the key of DelayNextTo's delays in s.delays.
func chatDelayKey(name string, chatID int64) string {
	return name + "@" + strconv.FormatInt(chatID, 10)
}

// takeDelay pops the next injected delay for a call of the lower-case
// method name to chat chatID: one for that chat first, then one for any.
func (s *Server) takeDelay(name string, chatID int64) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{chatDelayKey(name, chatID), name} {
		q := s.delays[key]
		if len(q) == 0 {
			continue
		}
		if len(q) == 1 {
			delete(s.delays, key)
		} else {
			s.delays[key] = q[1:]
		}
		return q[0], true
	}
	return 0, false
}

// ClearFaults drops the faults still queued for method (case-insensitive):
// an outage injected with a large FailNext ends here.
func (s *Server) ClearFaults(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, strings.ToLower(method))
}
