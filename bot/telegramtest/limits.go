package telegramtest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits are the flood limits the fake enforces once EnforceLimits is
// called, modelled on Telegram's Bots FAQ: about 30 messages per second
// overall, one per second in a private chat (short bursts tolerated), 20
// per minute in a group. Zero fields take those values.
//
// Messages are the calls that put or change a message in a chat:
// sendMessage, sendDocument, sendPhoto, editMessageText and
// editMessageReplyMarkup. Other calls (answerCallbackQuery, getChat, ...)
// are not limited.
type Limits struct {
	// Global is the most messages over all chats in any one-second window;
	// default 30.
	Global int
	// Private is the rate of a private chat's token bucket, in messages per
	// second; default 1.
	Private float64
	// PrivateBurst is that bucket's size: how many messages a private chat
	// may get back to back; default 2.
	PrivateBurst int
	// GroupPerMinute is the most messages to one group or channel (negative
	// chat id) in any 60-second window; default 20.
	GroupPerMinute int
	// Now is the clock the limits are kept by; default time.Now. Tests
	// give a fake one, so that what is refused does not depend on speed.
	Now func() time.Time
}

func (l Limits) withDefaults() Limits {
	if l.Global <= 0 {
		l.Global = 30
	}
	if l.Private <= 0 {
		l.Private = 1
	}
	if l.PrivateBurst <= 0 {
		l.PrivateBurst = 2
	}
	if l.GroupPerMinute <= 0 {
		l.GroupPerMinute = 20
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// limiter is the state of the enforced limits.
type limiter struct {
	l       Limits
	global  window
	groups  map[int64]*window
	private map[int64]*bucket
	refused int
}

// window remembers the times of the last n events, oldest first.
type window struct {
	times []time.Time
}

// wait returns how long until one more event fits in n per span at now.
func (w *window) wait(now time.Time, n int, span time.Duration) time.Duration {
	if len(w.times) < n {
		return 0
	}
	return max(w.times[len(w.times)-n].Add(span).Sub(now), 0)
}

func (w *window) add(now time.Time, n int) {
	w.times = append(w.times, now)
	if len(w.times) > n {
		w.times = append(w.times[:0], w.times[len(w.times)-n:]...)
	}
}

// bucket is a token bucket.
type bucket struct {
	tokens float64
	at     time.Time
}

func (b *bucket) wait(now time.Time, rate float64, burst int) time.Duration {
	b.tokens = math.Min(float64(burst), b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// EnforceLimits makes the fake answer 429 Too Many Requests, with
// retry_after in whole seconds (at least 1), to any message that would
// break l, as Telegram does to a bot that floods. A refused message is not
// sent and does not count against the limits; it is recorded with
// ErrorCode 429 and counted by Refused. Injected faults and delays apply
// before the limits.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = &limiter{l: l.withDefaults(), groups: map[int64]*window{}, private: map[int64]*bucket{}}
}

// Refused returns how many messages EnforceLimits refused with 429.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limits == nil {
		return 0
	}
	return s.limits.refused
}

// limitedMethod reports whether a lower-case method name sends or changes
// a message, and so counts against the limits.
func limitedMethod(name string) bool {
	switch name {
	case "sendmessage", "senddocument", "sendphoto", "editmessagetext", "editmessagereplymarkup":
		return true
	}
	return false
}

// admit counts a message to the chat of req against the limits, or returns
// the 429 that refuses it.
func (s *Server) admit(name string, req request) (apiError, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lim := s.limits
	if lim == nil || !limitedMethod(name) {
		return apiError{}, true
	}
	chat, err := strconv.ParseInt(strings.TrimSpace(req.params["chat_id"]), 10, 64)
	if err != nil {
		return apiError{}, true // not a numeric chat: the method answers the error
	}
	now := lim.l.Now()
	wait := lim.global.wait(now, lim.l.Global, time.Second)
	var g *window
	var p *bucket
	if chat < 0 {
		if g = lim.groups[chat]; g == nil {
			g = &window{}
			lim.groups[chat] = g
		}
		wait = max(wait, g.wait(now, lim.l.GroupPerMinute, time.Minute))
	} else {
		if p = lim.private[chat]; p == nil {
			p = &bucket{tokens: float64(lim.l.PrivateBurst), at: now}
			lim.private[chat] = p
		}
		wait = max(wait, p.wait(now, lim.l.Private, lim.l.PrivateBurst))
	}
	if wait > 0 {
		lim.refused++
		after := max(int(math.Ceil(wait.Seconds())), 1)
		return apiError{Code: http.StatusTooManyRequests, Description: defaultDescription(http.StatusTooManyRequests, after),
			RetryAfter: after}, false
	}
	lim.global.add(now, lim.l.Global)
	if g != nil {
		g.add(now, lim.l.GroupPerMinute)
	} else {
		p.tokens--
	}
	return apiError{}, true
}
