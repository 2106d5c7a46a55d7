package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// panickyStore panics when the bot looks up one Telegram account.
type panickyStore struct {
	Store
	victim int64
}

func (s panickyStore) EmployeeByTelegram(ctx context.Context, id int64) (apel.Employee, error) {
	if id == s.victim {
		panic("store exploded")
	}
	return s.Store.EmployeeByTelegram(ctx, id)
}

func panicky(t *testing.T) *harness {
	t.Helper()
	h := setup(t)
	h.register("rina", "budi")
	h.start(func(c *Config) { c.Store = panickyStore{Store: c.Store, victim: userID("rina")} })
	return h
}

func TestPanicInHandlerApologizesAndCarriesOn(t *testing.T) {
	t.Parallel()
	h := panicky(t)
	got := reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if want := "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi."; got != want {
		t.Errorf("panicking handler: got %q, want %q", got, want)
	}
	// The process is alive and the next update is handled normally.
	if got := reply(t, h.text(user("budi"), "halo"), userID("budi")); got != h.id().T("help.text") {
		t.Errorf("next update: got %q, want help", got)
	}
	if p := pending(t, h); len(p) != 0 {
		t.Errorf("pending: %d updates, want 0 (a panicking update is still marked done)", len(p))
	}
}

func TestPanicInCallbackAnswersQuery(t *testing.T) {
	t.Parallel()
	h := panicky(t)
	calls := h.tap(user("rina"), groupKominfo, 7, "ci:1")
	a := answer(t, calls)
	if want := "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi."; a.Params["text"] != want {
		t.Errorf("panicking callback: toast %q, want %q", a.Params["text"], want)
	}
	if got := sent(calls, groupKominfo); len(got) != 1 {
		t.Errorf("panicking callback: group got %q, want one apology", got)
	}
}

func TestPanicIsLogged(t *testing.T) {
	t.Parallel()
	h := panicky(t)
	reply(t, h.text(user("rina"), "/status"), userID("rina"))
	if !strings.Contains(h.logs.String(), "handler panicked") {
	}
}
