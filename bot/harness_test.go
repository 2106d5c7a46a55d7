package bot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/locales"
	"github.com/apelbot/apelbot/store"
)

// harness is a running bot against the fake Bot API and a real store.
type harness struct {
	t      testing.TB
	db     *store.DB
	srv    *telegramtest.Server
	clock  *testClock
	cat    *locales.Catalog
	loc    *time.Location
	policy apel.Policy
	opds   []apel.OPD
	logs   *syncBuffer
	bot    *Bot
	stop   func() error // stops the running bot, waits for Run and returns its error

	runErrOK bool // Run may end with an error
}

// setup builds the store, the roster and the fake server, but starts no bot.
func setup(t testing.TB) *harness {
	t.Helper()
	ctx := t.Context()
	h := &harness{t: t, clock: &testClock{}, logs: &syncBuffer{}, opds: testOPDs(), loc: jayapura(t)}
	h.policy = testPolicy(h.loc)
	h.setTime(monday, 6, 0)
	cat, err := locales.Load()
	if err != nil {
		t.Fatalf("locales.Load: %v", err)
	}
	h.cat = cat
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	h.db = db
	if err := db.SyncOPDs(ctx, h.opds); err != nil {
		t.Fatalf("SyncOPDs: %v", err)
	}
	var roster []apel.Employee
	for _, e := range testRoster() {
		if p := apel.CheckNIP(e.NIP); p != "" {
			t.Fatalf("fixture NIP %s of %s: %s", e.NIP, e.Name, p)
		}
		roster = append(roster, e)
	}
	if _, err := db.ImportRoster(ctx, roster, h.clock.Now()); err != nil {
		t.Fatalf("ImportRoster: %v", err)
	}
	h.srv = telegramtest.New()
	h.srv.SetClock(h.clock.Now)
	t.Cleanup(func() {
		h.srv.Close()
		if err := h.srv.Err(); err != nil {
			t.Errorf("fake Bot API: %v", err)
		}
		checkTexts(t, h.srv.History())
	})
	return h
}

// start runs a bot and waits until it polls, after any replay; edit may
// change its Config (wrap the store, set targets).
func (h *harness) start(edit func(*Config)) {
	h.t.Helper()
	ready, done := h.launch(edit)
	select {
	case <-ready:
	case err := <-done:
		h.t.Fatalf("Run returned before polling: %v", err)
	case <-time.After(10 * time.Second):
		h.t.Fatalf("bot not polling 10s after start")
	}
}

// launch starts a bot without waiting; ready is closed once it polls, done
// receives Run's result (unless stop took it first).
func (h *harness) launch(edit func(*Config)) (ready <-chan struct{}, done <-chan error) {
	h.t.Helper()
	rw := &readyWriter{ready: make(chan struct{})}
	h.bot = h.build(rw, edit)
	return rw.ready, h.run(h.bot)
}

// build creates a bot that is not running; w, when set, also gets its logs.
func (h *harness) build(w io.Writer, edit func(*Config)) *Bot {
	h.t.Helper()
	if w == nil {
		w = io.Discard
	}
	cfg := Config{
		Token: h.srv.Token(), ServerURL: h.srv.URL(), PollTimeout: 2 * time.Second,
		Pemda: "Kota Jayapura", BKPSDM: "BKPSDM Kota Jayapura", Policy: h.policy, OPDs: h.opds,
		HomeApprover: apel.ApproveByHead, Language: "id", Catalog: h.cat, Store: h.db,
		Logger: zerolog.New(h.logWriter(w)),
		Now:    h.clock.Now,
		// The fake server has no limits; queue_test.go checks the real ones.
		Limits: Limits{Global: 1000, Private: 1000, Group: 1000},
	}
	if edit != nil {
		edit(&cfg)
	}
	b, err := New(h.t.Context(), cfg)
	if err != nil {
		h.t.Fatalf("New: %v", err)
	}
	return b
}

// run runs b until stop or the end of the test; the channel receives Run's
// result (unless stop took it first).
func (h *harness) run(b *Bot) <-chan error {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- b.Run(ctx) }()
	var once sync.Once
	var runErr error
	h.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-result:
			case <-time.After(15 * time.Second):
				runErr = errors.New("Run did not return 15s after cancel")
			}
		})
		return runErr
	}
	stop := h.stop
	h.t.Cleanup(func() {
		if err := stop(); err != nil && !h.runErrOK {
			h.t.Errorf("Run: %v", err)
		}
	})
	return result
}

// logWriter is where a bot's logs go: the test's log (not a fuzz test's,
// which may not log from its target), the harness's buffer and w.
func (h *harness) logWriter(w io.Writer) io.Writer {
	if t, ok := h.t.(*testing.T); ok {
		return io.MultiWriter(zerolog.NewTestWriter(t), h.logs, w)
	}
	return io.MultiWriter(h.logs, w)
}

// readyWriter closes ready when the bot logs that it is polling (or, in
// webhook mode, that the webhook is set).
type readyWriter struct {
	once  sync.Once
	ready chan struct{}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"message":"polling started"`)) || bytes.Contains(p, []byte(`"message":"webhook set"`)) {
		w.once.Do(func() { close(w.ready) })
	}
	return len(p), nil
}

// newHarness is setup and start with the default configuration.
func newHarness(t *testing.T) *harness {
	t.Helper()
	h := setup(t)
	h.start(nil)
	return h
}

// setTime sets the clock to hh:mm on d in the pemda's zone and returns it.
func (h *harness) setTime(d apel.Date, hh, mm int) time.Time {
	at := d.At(apel.Clock{Hour: hh, Minute: mm}, h.loc)
	h.clock.Set(at)
	return at
}

// id is the Indonesian printer: what users see by default.
func (h *harness) id() locales.Printer { return h.cat.Printer("id") }

// emp returns the stored employee by short name.
func (h *harness) emp(name string) apel.Employee {
	h.t.Helper()
	e, err := h.db.EmployeeByNIP(h.t.Context(), testRoster()[name].NIP)
	if err != nil {
		h.t.Fatalf("employee %s: %v", name, err)
	}
	return e
}

// user returns the Telegram user of a roster person.
func user(name string) telegramtest.User {
	return telegramtest.User{ID: userID(name), FirstName: name, LanguageCode: "id"}
}

// register binds the people's Telegram accounts directly in the store.
func (h *harness) register(names ...string) {
	h.t.Helper()
	for _, n := range names {
		if _, err := h.db.BindTelegram(h.t.Context(), testRoster()[n].NIP, userID(n), h.clock.Now()); err != nil {
			h.t.Fatalf("bind %s: %v", n, err)
		}
	}
}

// open opens the session of kind for opd on the clock's date.
func (h *harness) open(opd string, kind apel.SessionKind, chat int64) apel.Session {
	h.t.Helper()
	slot, ok := h.policy.Slot(apel.DateOf(h.clock.Now(), h.loc), kind)
	if !ok {
		h.t.Fatalf("no %s slot on %v", kind, h.clock.Now())
	}
	s, _, err := h.db.OpenSession(h.t.Context(), apel.Session{OPD: opd, Slot: slot, ChatID: chat})
	if err != nil {
		h.t.Fatalf("OpenSession: %v", err)
	}
	return s
}

// handled waits until the bot has handled update id (the poller takes
// updates ahead of handling them, so it waits for the batch to be
// finished) and the outbox has delivered what it queued (the replies of
// the check-in path), and returns the calls made since the last time calls
// were collected.
// mustWithin bounds the waits for what must happen (an update handled, a
// call made): a hang fails the test instead of blocking it until the test
// binary's timeout. It is not a speed requirement, so it is generous: the
// race detector on a loaded 2-core machine is many times slower (a
// /bulanan with its PDF charts took more than 10 s there).
const mustWithin = 2 * time.Minute

func (h *harness) handled(id int64) []telegramtest.Call {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), mustWithin)
	defer cancel()
	if err := h.bot.WaitHandled(ctx, id); err != nil {
		h.t.Fatalf("update %d not handled: %v", id, err)
	}
	if err := h.bot.Flush(ctx); err != nil {
		h.t.Fatalf("update %d: replies not sent: %v", id, err)
	}
	return h.drain()
}

// drain returns the recorded calls not read yet, without waiting.
func (h *harness) drain() []telegramtest.Call {
	var out []telegramtest.Call
	for {
		select {
		case c := <-h.srv.Calls():
			out = append(out, c)
		default:
			return out
		}
	}
}

// next waits for a call that must come.
func (h *harness) next() telegramtest.Call {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), mustWithin)
	defer cancel()
	c, err := h.srv.Next(ctx)
	if err != nil {
		h.t.Fatalf("waiting for a call: %v", err)
	}
	return c
}

func (h *harness) text(u telegramtest.User, text string) []telegramtest.Call {
	h.t.Helper()
	return h.handled(h.srv.SendText(u, u.ID, h.clock.Now(), text))
}

func (h *harness) groupText(u telegramtest.User, chat int64, text string) []telegramtest.Call {
	h.t.Helper()
	return h.handled(h.srv.SendText(u, chat, h.clock.Now(), text))
}

func (h *harness) location(u telegramtest.User, p apel.Point, accuracy float64) []telegramtest.Call {
	h.t.Helper()
	return h.handled(h.srv.SendLocation(u, h.clock.Now(), p.Lat, p.Lon, accuracy))
}

func (h *harness) tap(u telegramtest.User, chat int64, msgID int, data string) []telegramtest.Call {
	h.t.Helper()
	return h.handled(h.srv.Tap(u, chat, msgID, data, h.clock.Now()))
}

// office returns the office point of an OPD.
func (h *harness) office(code string) apel.Point {
	for _, o := range h.opds {
		if o.Code == code {
			return o.Office
		}
	}
	h.t.Fatalf("no OPD %s", code)
	return apel.Point{}
}
