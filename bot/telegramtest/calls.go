package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Call is one recorded Bot API method call and the fake's answer. Treat its
// maps as read-only: they are shared between Calls and History.
type Call struct {
	// Method is the method name as the client sent it, e.g. "sendMessage".
	Method string
	// Params holds every form or JSON field as a string: "chat_id" is
	// "123", "reply_markup" is the raw JSON the client sent, a JSON string
	// field is unquoted.
	Params map[string]string
	// Files holds the multipart file parts by field name, e.g. "document".
	Files map[string]File
	// Result is the "result" the fake answered; nil when it answered an
	// error.
	Result json.RawMessage
	// ErrorCode is the error_code the fake answered (400, 403, 429, ...),
	// 0 on success.
	ErrorCode int
	// Description is the error description the fake answered, "" on
	// success.
	Description string
	// At is when the fake answered.
	At time.Time
}

// File is an uploaded multipart file part.
type File struct {
	// Name is the file name the client sent in Content-Disposition.
	Name string
	// Data is the file content.
	Data []byte
}

// ChatID returns the chat_id parameter, or 0 when it is absent or not a
// number (a "@channel" username).
func (c Call) ChatID() int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(c.Params["chat_id"]), 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// Text returns the "text" parameter, or the "caption" one when there is no
// text (sendDocument, sendPhoto).
func (c Call) Text() string {
	if t, ok := c.Params["text"]; ok {
		return t
	}
	return c.Params["caption"]
}

// OK reports whether the fake answered the call with success.
func (c Call) OK() bool { return c.ErrorCode == 0 }

// String formats the call for test failure messages.
func (c Call) String() string {
	if c.ErrorCode != 0 {
		return fmt.Sprintf("%s %v -> %d %s", c.Method, c.Params, c.ErrorCode, c.Description)
	}
	return fmt.Sprintf("%s %v -> %s", c.Method, c.Params, c.Result)
}

// Calls returns the channel on which every recorded call is delivered, in
// the order the fake answered them. Next reads from the same channel.
func (s *Server) Calls() <-chan Call { return s.calls }

// Next returns the next recorded call that has not been read from Calls yet.
// It returns ctx.Err() when ctx ends first, and ErrClosed when the server is
// closed and no call is left.
func (s *Server) Next(ctx context.Context) (Call, error) {
	select {
	case c := <-s.calls:
		return c, nil
	case <-ctx.Done():
		return Call{}, ctx.Err()
	case <-s.done:
		select {
		case c := <-s.calls:
			return c, nil
		default:
			return Call{}, ErrClosed
		}
	}
}

// KeepHistory says whether History keeps the calls (it does by default).
// A long load test that reads every call from Calls turns it off, so the
// fake's memory stays flat.
func (s *Server) KeepHistory(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noKeep = !keep
}

// History returns a copy of every call recorded so far, in order,
// including those already read from Calls (none while KeepHistory is off).
func (s *Server) History() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.history))
	copy(out, s.history)
	return out
}

// record stores c with the answer e (Code 0 for success) in History and on
// the Calls channel.
func (s *Server) record(c Call, e apiError) {
	c.ErrorCode = e.Code
	c.Description = e.Description
	c.At = time.Now()
	if e.Code != 0 {
		c.Result = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.noKeep {
		s.history = append(s.history, c)
	}
	select {
	case s.calls <- c:
	default:
		s.protocolErrorLocked(fmt.Errorf("telegramtest: Calls channel full (%d calls unread); %s dropped from it", callsCap, c.Method))
	}
}
