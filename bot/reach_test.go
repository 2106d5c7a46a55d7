package bot

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
)

// summaryTo sends the head of DISKOMINFO the summary of s and returns its
// text.
func (h *harness) summaryTo(s apel.Session) string {
	h.t.Helper()
	if err := h.bot.SendSummary(h.t.Context(), h.emp("kepala"), apel.Summarize(h.opds[0], s, nil, nil, nil, nil)); err != nil {
		h.t.Fatal(err)
	}
	c := h.next()
	if c.ChatID() != userID("kepala") {
		h.t.Fatalf("summary: got %v, want a message to the head", c)
	}
	return c.Text()
}

// TestBlockedPersonShownToHead: a 403 marks the person unreachable, without
// retries; the head's summary names them; writing to the bot again clears it.
func TestBlockedPersonShownToHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala", "rina")
	h.setTime(monday, 7, 20)
	h.srv.FailNext("sendMessage", 1, 403, "", 0)
	if calls := h.text(user("rina"), "/status"); len(calls) != 1 || calls[0].ErrorCode != 403 {
		t.Fatalf("reply to a person who blocked the bot: calls %v, want one 403", briefCalls(calls))
	}
	if !strings.Contains(h.logs.String(), "person unreachable: the bot is blocked") {
		t.Errorf("no log line for the blocked person:\n%s", h.logs.String())
	}
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	text := h.summaryTo(s)
	if !strings.Contains(text, "Tidak dapat dihubungi bot (1)") || !strings.Contains(text, "Rina Marasabessy") {
		t.Errorf("summary lacks the unreachable person:\n%s", text)
	}

	// Rina unblocks the bot and writes again.
	if got := sent(h.text(user("rina"), "/status"), userID("rina")); len(got) != 1 {
		t.Fatalf("/status after unblocking: got %q, want a reply", got)
	}
	s2 := h.open("DISKOMINFO", apel.Sore, groupKominfo)
	if text := h.summaryTo(s2); strings.Contains(text, "Tidak dapat dihubungi") {
		t.Errorf("summary after Rina wrote again still warns:\n%s", text)
	}
}

func TestBlockViaMembershipUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("rina")
	h.handled(h.srv.ChangeMembership(user("rina"), userID("rina"), h.clock.Now(), models.ChatMemberTypeBanned))
	if un, _ := h.db.Unreachable(t.Context(), "DISKOMINFO"); len(un) != 1 {
		t.Errorf("after Rina blocked the bot: unreachable %v, want Rina", un)
	}
	h.handled(h.srv.ChangeMembership(user("rina"), userID("rina"), h.clock.Now(), models.ChatMemberTypeMember))
	if un, _ := h.db.Unreachable(t.Context(), "DISKOMINFO"); len(un) != 0 {
		t.Errorf("after Rina unblocked the bot: unreachable %v, want none", un)
	}
}

// TestBotRemovedFromGroup: the group is lost (no prompts, a line in the
// head's summary) until the bot is added back.
func TestBotRemovedFromGroup(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.register("kepala")
	ctx := t.Context()
	if err := h.db.BindGroup(ctx, "DISKOMINFO", groupKominfo, h.emp("kepala").ID, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.handled(h.srv.ChangeMembership(user("kepala"), groupKominfo, h.clock.Now(), models.ChatMemberTypeBanned))
	if groups, _ := h.db.Groups(ctx); len(groups) != 0 {
		t.Errorf("groups after the bot was removed: %v, want none", groups)
	}
	if !strings.Contains(h.logs.String(), "group lost: the bot was removed") {
		t.Errorf("no log line for the lost group")
	}
	h.setTime(monday, 8, 30)
	s := h.open("DISKOMINFO", apel.Pagi, 0)
	if text := h.summaryTo(s); !strings.Contains(text, "Bot sudah tidak ada di grup OPD ini") {
		t.Errorf("summary lacks the lost group:\n%s", text)
	}
	h.handled(h.srv.ChangeMembership(user("kepala"), groupKominfo, h.clock.Now(), models.ChatMemberTypeMember))
	if groups, _ := h.db.Groups(ctx); groups["DISKOMINFO"] != groupKominfo {
		t.Errorf("groups after the bot was added back: %v, want DISKOMINFO's", groups)
	}
}

// TestPromptRefusedByGroup: a 403 on a prompt (the bot was removed while
// offline) loses the group and fails the message for good.
func TestPromptRefusedByGroup(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := t.Context()
	if err := h.db.BindGroup(ctx, "DISKOMINFO", groupKominfo, 1, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.setTime(monday, 7, 15)
	s := h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	h.srv.FailNext("sendMessage", 1, 403, "Forbidden: bot was kicked from the supergroup chat", 0)
	if err := h.bot.PostPrompt(ctx, s, h.opds[0], apel.Tally{Held: true}); err != nil {
		t.Fatal(err)
	}
	h.flush()
	if calls := h.drain(); len(calls) != 1 || calls[0].ErrorCode != 403 {
		t.Errorf("prompt to a group that removed the bot: calls %v, want one 403", briefCalls(calls))
	}
	if st := h.outboxState("prompt:" + itoa(s.ID)); st != "failed" {
		t.Errorf("prompt: %s, want failed", st)
	}
	if lost, _ := h.db.GroupLost(ctx, "DISKOMINFO"); !lost {
		t.Errorf("group not marked lost after a 403")
	}
}
