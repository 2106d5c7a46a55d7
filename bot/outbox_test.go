package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// flush waits for the outbox to have nothing due.
func (h *harness) flush() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.bot.Flush(ctx); err != nil {
		h.t.Fatalf("Flush: %v", err)
	}
}

// outboxState returns the state of outbox message key.
func (h *harness) outboxState(key string) string {
	h.t.Helper()
	_, st, err := h.db.Outbound(h.t.Context(), key)
	if err != nil {
		h.t.Fatalf("outbox %s: %v", key, err)
	}
	return st
}

// briefCalls describes calls as "method chat".
func briefCalls(calls []telegramtest.Call) []string {
	out := []string{}
	for _, c := range calls {
		s := c.Method + " " + itoa(c.ChatID())
		if c.ErrorCode != 0 {
			s += " " + itoa(int64(c.ErrorCode))
		}
		out = append(out, s)
	}
	return out
}

func TestPromptQueuedTwicePostedOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, msgID := postPrompt(t, h) // posts and checks the recorded message id
	if err := h.bot.PostPrompt(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Pending: 4}); err != nil {
		t.Fatal(err)
	}
	h.flush()
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("prompt queued again: calls %v, want none", calls)
	}
	if got, _ := h.db.Session(t.Context(), s.ID); got.MessageID != msgID {
		t.Errorf("session message id %d, want %d", got.MessageID, msgID)
	}
}

// TestOutboxSurvivesRestart: messages queued by a bot that stopped before
// sending them go out once the next one starts, each once.
func TestOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.register("rina", "kepala")
	h.setTime(monday, 7, 15)
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	first := h.build(nil, nil) // never runs: queues only
	ctx := t.Context()
	if err := first.PostPrompt(ctx, s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Pending: 4}); err != nil {
		t.Fatal(err)
	}
	if err := first.Remind(ctx, h.emp("rina"), s); err != nil {
		t.Fatal(err)
	}
	sum := apel.Summarize(h.opds[0], s, nil, nil, nil, nil)
	if err := first.SendSummary(ctx, h.emp("kepala"), sum); err != nil {
		t.Fatal(err)
	}
	if calls := h.srv.History(); len(calls) != 0 {
		t.Fatalf("a bot that is not running sent %v", calls)
	}

	h.start(nil)
	h.flush()
	got := briefCalls(h.drain())
	want := []string{"sendMessage " + itoa(groupKominfo), "sendMessage " + itoa(userID("rina")), "sendMessage " + itoa(userID("kepala"))}
	// Three chats, no contention: the order on the wire is not fixed.
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("after the restart (-want +got):\n%s", diff)
	}
	for _, key := range []string{"prompt:" + itoa(s.ID), "remind:" + itoa(s.ID) + ":" + itoa(h.emp("rina").ID)} {
		if st := h.outboxState(key); st != "sent" {
			t.Errorf("%s: %s, want sent", key, st)
		}
	}
	if got, _ := h.db.Session(ctx, s.ID); got.MessageID == 0 {
		t.Errorf("session after the prompt went out: no message id")
	}
}

// TestOutboxInterruptedSend: a send under way when the process died is in
// doubt. A prompt is never posted twice, so it is not resent; a reminder is.
func TestOutboxInterruptedSend(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.setTime(monday, 7, 20)
	ctx := t.Context()
	for _, o := range []apel.Outbound{
		{Key: "prompt:x", Priority: int(prioPrompt), ChatID: groupKominfo, Text: "prompt", AtMostOnce: true},
		{Key: "remind:x", Priority: int(prioReminder), ChatID: userID("rina"), Text: "remind"},
	} {
		if _, err := h.db.QueueOutbound(ctx, o, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := h.db.DueOutbound(ctx, h.clock.Now(), 10)
	for _, o := range due {
		if err := h.db.MarkOutboundTried(ctx, o.ID, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	h.start(nil)
	h.flush()
	if diff := cmp.Diff([]string{"sendMessage " + itoa(userID("rina"))}, briefCalls(h.drain())); diff != "" {
		t.Errorf("after a crash mid-send (-want +got):\n%s", diff)
	}
	if st := h.outboxState("prompt:x"); st != "doubt" {
		t.Errorf("interrupted prompt: %s, want doubt", st)
	}
	if !strings.Contains(h.logs.String(), `"in_doubt":1`) {
		t.Errorf("logs lack the in-doubt count:\n%s", h.logs.String())
	}
}

// TestOutboxRetriedInLaterRounds: a message the queue gave up on (server
// errors on every attempt) is tried again a minute later, by the bot's clock.
func TestOutboxRetriedInLaterRounds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala")
	h.setTime(monday, 8, 30)
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.srv.FailNext("sendMessage", maxAttempts, 502, "", 0)
	if err := h.bot.SendSummary(t.Context(), h.emp("kepala"), apel.Summarize(h.opds[0], s, nil, nil, nil, nil)); err != nil {
		t.Fatal(err)
	}
	h.flush()
	calls := h.drain()
	if len(calls) != maxAttempts || calls[len(calls)-1].ErrorCode != 502 {
		t.Fatalf("first round: calls %v, want %d failed attempts", briefCalls(calls), maxAttempts)
	}
	key := "summary:" + itoa(s.ID) + ":" + itoa(h.emp("kepala").ID)
	if st := h.outboxState(key); st != "pending" {
		t.Errorf("after a failed round: %s, want pending", st)
	}
	h.setTime(monday, 8, 31)
	h.flush()
	if got := briefCalls(h.drain()); !cmp.Equal(got, []string{"sendMessage " + itoa(userID("kepala"))}) {
		t.Errorf("a minute later: calls %v, want the summary", got)
	}
	if st := h.outboxState(key); st != "sent" {
		t.Errorf("after the second round: %s, want sent", st)
	}
}

// TestOutboxExpiredPromptNotSent: a prompt still queued when its session
// closed (the bot was down) is dropped, not posted late.
func TestOutboxExpiredPromptNotSent(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.setTime(monday, 7, 15)
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	if err := h.build(nil, nil).PostPrompt(t.Context(), s, h.opds[0], apel.Tally{Held: true}); err != nil {
		t.Fatal(err)
	}
	h.setTime(monday, 8, 30)
	h.start(nil)
	h.flush()
	if calls := h.drain(); len(calls) != 0 {
		t.Errorf("expired prompt: calls %v, want none", calls)
	}
	if st := h.outboxState("prompt:" + itoa(s.ID)); st != "expired" {
		t.Errorf("expired prompt: %s, want expired", st)
	}
}

// TestOutboxResumesLongText: a long report cut off after its first part
// continues with the second part only.
func TestOutboxResumesLongText(t *testing.T) {
	t.Parallel()
	h := setup(t)
	ctx := t.Context()
	var sb strings.Builder
	for i := 0; sb.Len() < 9000; i++ {
		sb.WriteString("Dinas nomor " + itoa(int64(i)) + " — hadir 12/14\n")
	}
	text := sb.String()
	parts := split(text, maxMessage)
	if len(parts) != 3 {
		t.Fatalf("fixture: %d parts, want 3", len(parts))
	}
	if _, err := h.db.QueueOutbound(ctx, apel.Outbound{Key: "report:x", ChatID: -1005, Text: text}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	due, _ := h.db.DueOutbound(ctx, h.clock.Now(), 1)
	if err := h.db.MarkOutboundPartSent(ctx, due[0].ID, 1); err != nil {
		t.Fatal(err)
	}
	h.start(nil)
	h.flush()
	calls := h.drain()
	if len(calls) != 2 || calls[0].Text() != parts[1] || calls[1].Text() != parts[2] {
		t.Errorf("resumed report: got %d calls %v, want parts 2 and 3", len(calls), briefCalls(calls))
	}
}

func TestFinalProgressQueued(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, msgID := postPrompt(t, h)
	s.MessageID, s.Closed = msgID, true
	h.setTime(monday, 8, 30)
	if err := h.bot.ShowProgress(t.Context(), s, h.opds[0], apel.Tally{Held: true, Headcount: 4, Present: 3, Absent: 1}); err != nil {
		t.Fatal(err)
	}
	c := h.next()
	if c.Method != "editMessageText" || c.Params["message_id"] != itoa(int64(msgID)) || c.Params["reply_markup"] != "" ||
		!strings.Contains(c.Text(), "ditutup") {
		t.Errorf("final prompt: got %v, want an edit of message %d, closed, without the button", c, msgID)
	}
	h.flush()
	if st := h.outboxState("final:" + itoa(s.ID)); st != "sent" {
		t.Errorf("final prompt: %s, want sent", st)
	}
}

// TestOutboxKeepsAChatsOrder: messages queued for one chat go out in the
// order they were queued (two answers in one batch, say), even when the
// first is slow.
func TestOutboxKeepsAChatsOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.DelayNext("sendMessage", 1, 100*time.Millisecond)
	var want []string
	for i := range 20 {
		key := "reply:" + itoa(int64(i))
		want = append(want, key)
		if _, err := h.db.QueueOutbound(t.Context(), apel.Outbound{Key: key, Priority: int(prioReply), ChatID: 7002, Text: key}, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	h.flush()
	var got []string
	for _, c := range h.drain() {
		got = append(got, c.Text())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages to one chat (-want +got):\n%s", diff)
	}
}

// TestOutboxUrgentOvertakesInOneChat: a confirmation does not wait behind a
// reminder to the same person that is itself waiting behind the other
// confirmations: with the queue full, the confirmations go first, then the
// reminders, then the reports.
func TestOutboxUrgentOvertakesInOneChat(t *testing.T) {
	t.Parallel()
	h := setup(t)
	// One at a time: a call holds its place in the global window from its
	// start until a second after its answer, so with a limit of one the
	// next starts only after the last was answered, and the fake sees the
	// calls in the order the queue chose. (With a limit of four, four start
	// at once and may reach the fake in any order: that failed under load.)
	h.start(func(c *Config) { c.Limits = Limits{Global: 1, Private: 1000, Group: 1000} })
	q := h.bot.queue
	// Every send is held (as after a 429 without a chat) until all the
	// deliveries wait in the queue: the order is then the queue's choice,
	// not the machine's speed.
	q.mu.Lock()
	q.blocked[0] = time.Now().Add(time.Hour)
	q.mu.Unlock()
	waitFor := func(n int) {
		t.Helper()
		h.bot.outbox.wake(-1)
		deadline := time.Now().Add(30 * time.Second)
		for q.waiting() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d deliveries waiting in the queue, want %d", q.waiting(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	queue := func(key string, prio priority, chat int64) {
		t.Helper()
		if _, err := h.db.QueueOutbound(t.Context(), apel.Outbound{Key: key, Priority: int(prio), ChatID: chat, Text: key}, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// Reports and reminders first, one of them to 7002; their deliveries
	// start and wait in the queue (but 8002's report, which waits for the
	// reminder to 8002).
	for i := range 3 {
		queue("report:"+itoa(int64(i)), prioReport, int64(8000+i))
		queue("remind:"+itoa(int64(i)), prioReminder, int64(7002+i*1000))
	}
	waitFor(5)
	// Then the confirmations, 7002's among them: its delivery starts beside
	// the reminder's (were a chat's messages strictly sequenced, the
	// confirmations to 7002, 8002 and 9002 would not reach the queue).
	for i := range 5 {
		queue("reply:"+itoa(int64(i)), prioReply, int64(7002+i*1000))
	}
	waitFor(10)
	q.mu.Lock()
	delete(q.blocked, 0)
	q.mu.Unlock()
	q.signal()
	h.flush()
	var got []string
	for _, c := range h.drain() {
		got = append(got, strings.SplitN(c.Text(), ":", 2)[0])
	}
	rank := map[string]int{"reply": 0, "remind": 1, "report": 2}
	if len(got) != 11 || !slices.IsSortedFunc(got, func(a, b string) int { return rank[a] - rank[b] }) {
		t.Errorf("delivery order %v, want the replies, then the reminders, then the reports", got)
	}
}

// TestOutboxStockedSkipsOnlyWhatCannotOvertake checks when a wake-up of
// the deliverer is left without a pass: with enough deliveries on their
// way and nothing held back, a delivery ending or a message no more urgent
// than those on their way needs none; a more urgent message (a
// confirmation queued behind waiting reminders), a pass that held a
// message back, a queue running dry, and Flush always get one.
func TestOutboxStockedSkipsOnlyWhatCannotOvertake(t *testing.T) {
	t.Parallel()
	stocked := func(n, prio int) *outbox {
		o := newOutbox()
		o.stocked = true
		for i := range n {
			o.inFlight[int64(i)] = true
		}
		o.prios[prio] = n
		return o
	}
	unread := func(o *outbox, prio int) *outbox { o.unread = prio; return o }
	for _, tc := range []struct {
		name string
		o    *outbox
		wake int // priority queued; -2: a delivery ended
		want bool
	}{
		{"delivery ended, well stocked", stocked(outboxStock, int(prioReminder)), -2, true},
		{"delivery ended, running dry", stocked(outboxStock-1, int(prioReminder)), -2, false},
		{"reminder behind reminders", stocked(outboxStock, int(prioReminder)), int(prioReminder), true},
		{"report behind reminders", stocked(outboxStock, int(prioReminder)), int(prioReport), true},
		{"confirmation behind reminders", stocked(outboxStock, int(prioReminder)), int(prioReply), false},
		{"confirmation behind confirmations", stocked(outboxStock, int(prioReply)), int(prioReply), true},
		{"flush", stocked(outboxStock, int(prioReply)), -1, false},
		{"delivery ended, reminders on their way, confirmations unread", unread(stocked(outboxStock, int(prioReminder)), int(prioReply)), -2, false},
		{"delivery ended, confirmations on their way, reminders unread", unread(stocked(outboxStock, int(prioReply)), int(prioReminder)), -2, true},
	} {
		if tc.wake >= -1 {
			tc.o.kicked = tc.wake
		}
		if got := tc.o.isStocked(tc.wake >= -1); got != tc.want {
			t.Errorf("%s: isStocked = %v, want %v", tc.name, got, tc.want)
		}
	}
	held := stocked(outboxStock, int(prioReminder))
	held.stocked = false // the latest pass held a message back
	if held.isStocked(false) {
		t.Error("after a pass that held a message back: isStocked = true, want a pass when a delivery ends")
	}
}
