package bot

import (
	"slices"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// TestRemindAll: a session's reminders are queued at once, as Remind
// queues each: the same texts, once per person and session.
func TestRemindAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, _ := postPrompt(t, h)
	h.register("rina", "budi")
	rina, budi := h.emp("rina"), h.emp("budi")
	budi.Lang = "en"
	if err := h.bot.RemindAll(t.Context(), []apel.Employee{rina, budi}, s); err != nil {
		t.Fatalf("RemindAll: %v", err)
	}
	if err := h.bot.RemindAll(t.Context(), []apel.Employee{rina}, s); err != nil {
		t.Fatalf("RemindAll again: %v", err)
	}
	h.flush()
	got := map[int64][]string{}
	for _, c := range h.drain() {
		got[c.ChatID()] = append(got[c.ChatID()], c.Text())
	}
	p, en := h.id(), h.cat.Printer("en")
	wantRina := p.T("remind.text", p.T("session."+string(s.Kind)), p.Time(s.Closes.In(h.loc)))
	wantBudi := en.T("remind.text", en.T("session."+string(s.Kind)), en.Time(s.Closes.In(h.loc)))
	if !slices.Equal(got[userID("rina")], []string{wantRina}) || !slices.Equal(got[userID("budi")], []string{wantBudi}) {
		t.Errorf("reminders: got %v, want one to each, in their language", got)
	}
}
