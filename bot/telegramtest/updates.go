package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// maxLimit is the largest batch getUpdates returns, as in the real API.
const maxLimit = 100

// queuedUpdate is an update waiting for confirmation, already encoded.
type queuedUpdate struct {
	id  int64
	raw json.RawMessage
}

// Push queues u for getUpdates and returns its update id. The server
// assigns ids, increasing from 1; u.ID is overwritten.
func (s *Server) Push(u models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushLocked(u)
}

func (s *Server) pushLocked(u models.Update) int64 {
	s.lastID++
	u.ID = s.lastID
	raw, err := json.Marshal(&u)
	if err != nil {
		s.protocolErrorLocked(fmt.Errorf("telegramtest: encode update %d: %w", u.ID, err))
		return u.ID
	}
	s.queue = append(s.queue, queuedUpdate{id: u.ID, raw: raw})
	s.broadcastLocked()
	return u.ID
}

// WaitConfirmed returns nil once the bot has confirmed the update, that is
// once some getUpdates call carried an offset greater than updateID. It
// returns ctx.Err() when ctx ends first and ErrClosed when the server is
// closed. go-telegram/bot confirms an update when it hands it to a worker,
// so the handler may still be running.
func (s *Server) WaitConfirmed(ctx context.Context, updateID int64) error {
	for {
		s.mu.Lock()
		confirmed := s.offset > updateID
		wake := s.wake
		s.mu.Unlock()
		if confirmed {
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return ErrClosed
		}
	}
}

// Confirmed returns the highest update id the bot has confirmed (every
// update up to it is forgotten), 0 when none.
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.offset-1, 0)
}

// ServedAt returns when getUpdates first handed out update id (the moment
// the update became available to the bot), and false when it has not.
func (s *Server) ServedAt(id int64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.served[id]
	return t, ok
}

// Hold makes getUpdates hand out no update until the returned release is
// called, as if Telegram were slow to deliver: a load test queues a whole
// burst first, then releases it at once. Confirmations still apply.
func (s *Server) Hold() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = true
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.held = false
			s.broadcastLocked()
		})
	}
}

// Pending returns the number of updates queued and not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// confirmLocked applies a getUpdates offset: a positive offset confirms
// every update with a smaller id, a negative one keeps only the last -offset
// queued updates.
func (s *Server) confirmLocked(offset int64) {
	if offset < 0 {
		keep := -offset
		if int64(len(s.queue)) <= keep {
			return
		}
		offset = s.queue[int64(len(s.queue))-keep].id
	}
	if offset <= s.offset {
		return
	}
	s.offset = offset
	i := 0
	for i < len(s.queue) && s.queue[i].id < offset {
		i++
	}
	s.queue = s.queue[i:]
	s.broadcastLocked()
}

// batchLocked returns up to limit queued updates with id >= offset as a JSON
// array, and notes when each was first handed out.
func (s *Server) batchLocked(offset, limit int64) json.RawMessage {
	if s.held {
		return nil
	}
	var parts []string
	now := time.Now()
	for _, q := range s.queue {
		if int64(len(parts)) == limit {
			break
		}
		if q.id >= offset {
			parts = append(parts, string(q.raw))
			if _, ok := s.served[q.id]; !ok {
				s.served[q.id] = now
			}
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

// getUpdates answers a long poll: it applies offset, then returns queued
// updates at once or waits up to timeout seconds for one to be pushed.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, req request) {
	offset, e1 := req.int("offset", 0)
	limit, e2 := req.int("limit", maxLimit)
	timeout, e3 := req.int("timeout", 0)
	for _, e := range []*apiError{e1, e2, e3} {
		if e != nil {
			s.protocolError(fmt.Errorf("telegramtest: getUpdates: %s", e.Description))
			writeError(w, *e)
			return
		}
	}
	limit = min(max(limit, 1), maxLimit)

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	// woken reports whether wake fired before the poll had to end.
	woken := func(wake <-chan struct{}) bool {
		if expired == nil {
			return false
		}
		select {
		case <-wake:
			return true
		case <-expired:
		case <-r.Context().Done():
		case <-s.done:
		}
		return false
	}

	s.mu.Lock()
	s.confirmLocked(offset)
	s.mu.Unlock()
	for {
		s.mu.Lock()
		batch := s.batchLocked(offset, limit)
		wake := s.wake
		s.mu.Unlock()
		if batch != nil {
			writeJSON(w, http.StatusOK, response{OK: true, Result: batch})
			return
		}
		if !woken(wake) {
			writeJSON(w, http.StatusOK, response{OK: true, Result: json.RawMessage("[]")})
			return
		}
	}
}
