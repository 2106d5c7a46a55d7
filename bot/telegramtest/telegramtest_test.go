package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

var (
	ani = telegramtest.User{ID: 501, FirstName: "Ani", Username: "ani", LanguageCode: "id"}
	at  = time.Date(2026, 11, 23, 7, 12, 0, 0, time.FixedZone("WIB", 7*3600))
)

// newServer starts a fake server that is closed, and checked for protocol
// errors, when the test ends.
func newServer(t *testing.T) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New()
	t.Cleanup(func() {
		srv.Close()
		if err := srv.Err(); err != nil {
			t.Errorf("protocol error: %v", err)
		}
	})
	return srv
}

// startBot builds the real client against srv and runs its poller until
// the test ends. Updates the handler receives are forwarded on the returned
// channel after h has run (h may be nil).
func startBot(t *testing.T, srv *telegramtest.Server, h tg.HandlerFunc) (*tg.Bot, <-chan *models.Update) {
	t.Helper()
	updates := make(chan *models.Update, 100)
	var mu sync.Mutex
	var libErrs []error
	b, err := tg.New(srv.Token(),
		tg.WithServerURL(srv.URL()),
		tg.WithErrorsHandler(func(err error) { mu.Lock(); libErrs = append(libErrs, err); mu.Unlock() }),
		tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *models.Update) {
			if h != nil {
				h(ctx, b, u)
			}
			updates <- u
		}))
	if err != nil {
		t.Fatalf("tg.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, err := range libErrs {
			t.Logf("client error: %v", err)
		}
	})
	return b, updates
}

func timeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func nextUpdate(t *testing.T, ch <-chan *models.Update) *models.Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update reached the handler within 5s")
		return nil
	}
}

func nextCall(t *testing.T, srv *telegramtest.Server, method string) telegramtest.Call {
	t.Helper()
	c, err := srv.Next(timeout(t))
	if err != nil {
		t.Fatalf("waiting for %s: %v", method, err)
	}
	if c.Method != method {
		t.Fatalf("next call: got %v, want %s", c, method)
	}
	return c
}

func TestTextMessageReachesHandlerAndReplyIsRecorded(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, updates := startBot(t, srv, func(ctx context.Context, b *tg.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{
			ChatID: u.Message.Chat.ID,
			Text:   "Halo " + u.Message.From.FirstName,
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
				{{Text: "Hadir", CallbackData: "ci:wfo"}},
			}},
		})
		if err != nil {
			t.Errorf("SendMessage: %v", err)
		}
	})

	id := srv.SendText(ani, ani.ID, at, "/start hadir")
	if id != 1 {
		t.Errorf("SendText(/start hadir): update id %d, want 1", id)
	}
	u := nextUpdate(t, updates)
	want := &models.Message{
		ID:       1,
		From:     &models.User{ID: 501, FirstName: "Ani", Username: "ani", LanguageCode: "id"},
		Chat:     models.Chat{ID: 501, Type: models.ChatTypePrivate, FirstName: "Ani", Username: "ani"},
		Date:     int(at.Unix()),
		Text:     "/start hadir",
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 6}},
	}
	if diff := cmp.Diff(want, u.Message); diff != "" {
		t.Errorf("SendText(/start hadir): message (-want +got):\n%s", diff)
	}

	c := nextCall(t, srv, "sendMessage")
	if c.ChatID() != ani.ID || c.Text() != "Halo Ani" {
		t.Errorf("sendMessage: chat %d text %q, want %d %q", c.ChatID(), c.Text(), ani.ID, "Halo Ani")
	}
	if !strings.Contains(c.Params["reply_markup"], `"callback_data":"ci:wfo"`) {
		t.Errorf("sendMessage reply_markup: got %s, want callback_data ci:wfo", c.Params["reply_markup"])
	}
	var sent models.Message
	if err := json.Unmarshal(c.Result, &sent); err != nil {
		t.Fatalf("sendMessage result %s: %v", c.Result, err)
	}
	if sent.ID != 2 || sent.From == nil || !sent.From.IsBot || sent.ReplyMarkup == nil {
		t.Errorf("sendMessage result: got %s, want message 2 from the bot with the keyboard", c.Result)
	}
}

func TestGroupCommandHasMentionEntity(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, updates := startBot(t, srv, nil)
	const group = -1001234567890
	srv.SendText(ani, group, at, "/hadir@apel_test_bot wfo")
	m := nextUpdate(t, updates).Message
	if m.Chat.ID != group || m.Chat.Type != models.ChatTypeSupergroup || m.Chat.Title == "" {
		t.Errorf("group message chat: got %+v, want supergroup %d with a title", m.Chat, group)
	}
	if len(m.Entities) != 1 || m.Entities[0].Length != len("/hadir@apel_test_bot") {
		t.Errorf("group command entities: got %+v, want one bot_command of length 20", m.Entities)
	}
}

func TestTapIsAnsweredAndEdited(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, updates := startBot(t, srv, func(ctx context.Context, b *tg.Bot, u *models.Update) {
		q := u.CallbackQuery
		if _, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Tercatat 07.12"}); err != nil {
			t.Errorf("AnswerCallbackQuery: %v", err)
		}
		m := q.Message.Message
		_, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID, Text: "Hadir 07.12"})
		if err != nil {
			t.Errorf("EditMessageText: %v", err)
		}
	})
	ctx := timeout(t)
	sent, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: ani.ID, Text: "Absen?"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	nextCall(t, srv, "sendMessage")

	srv.Tap(ani, ani.ID, sent.ID, "ci:wfo", at)
	q := nextUpdate(t, updates).CallbackQuery
	if q.Data != "ci:wfo" || q.From.ID != ani.ID || q.Message.Type != models.MaybeInaccessibleMessageTypeMessage {
		t.Fatalf("Tap: got %+v, want data ci:wfo from Ani on an accessible message", q)
	}
	if m := q.Message.Message; m.ID != sent.ID || m.Text != "Absen?" || m.Date != int(at.Unix()) {
		t.Errorf("Tap message: got id %d text %q date %d, want %d %q %d", m.ID, m.Text, m.Date, sent.ID, "Absen?", at.Unix())
	}
	if c := nextCall(t, srv, "answerCallbackQuery"); c.Params["callback_query_id"] != q.ID || c.Text() != "Tercatat 07.12" {
		t.Errorf("answerCallbackQuery: got %v, want id %s text Tercatat 07.12", c, q.ID)
	}
	if c := nextCall(t, srv, "editMessageText"); c.ChatID() != ani.ID || c.Params["message_id"] != "1" || !c.OK() {
		t.Errorf("editMessageText: got %v, want chat 501 message 1 answered ok", c)
	}

	// Telegram refuses an edit that changes nothing.
	_, err = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: ani.ID, MessageID: sent.ID, Text: "Hadir 07.12"})
	if !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same edit again: got %v, want bad request: message is not modified", err)
	}
}

func TestSendDocumentArrivesIntact(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, _ := startBot(t, srv, nil)
	data := make([]byte, 123456)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}
	msg, err := b.SendDocument(timeout(t), &tg.SendDocumentParams{
		ChatID:   int64(-1001),
		Caption:  "Rekap 23 November",
		Document: &models.InputFileUpload{Filename: "rekap-2026-11-23.xlsx", Data: bytes.NewReader(data)},
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	c := nextCall(t, srv, "sendDocument")
	f := c.Files["document"]
	if f.Name != "rekap-2026-11-23.xlsx" || !bytes.Equal(f.Data, data) {
		t.Errorf("sendDocument file: got %q with %d bytes (equal: %v), want rekap-2026-11-23.xlsx with %d bytes",
			f.Name, len(f.Data), bytes.Equal(f.Data, data), len(data))
	}
	if c.ChatID() != -1001 || c.Text() != "Rekap 23 November" {
		t.Errorf("sendDocument: chat %d caption %q, want -1001 %q", c.ChatID(), c.Text(), "Rekap 23 November")
	}
	if msg.Document == nil || msg.Document.FileName != "rekap-2026-11-23.xlsx" || msg.Document.FileSize != 123456 || msg.Caption != "Rekap 23 November" {
		t.Errorf("sendDocument result: got %+v, want the document echoed", msg)
	}

	photo, err := b.SendPhoto(timeout(t), &tg.SendPhotoParams{
		ChatID: ani.ID,
		Photo:  &models.InputFileUpload{Filename: "peta.png", Data: bytes.NewReader([]byte("\x89PNG"))},
	})
	if err != nil || len(photo.Photo) == 0 {
		t.Fatalf("SendPhoto: got %+v, %v, want a message with photo sizes", photo, err)
	}
	if c := nextCall(t, srv, "sendPhoto"); string(c.Files["photo"].Data) != "\x89PNG" {
		t.Errorf("sendPhoto file: got %q, want PNG magic", c.Files["photo"].Data)
	}
}

func TestFailNextSurfacesAsLibraryErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, _ := startBot(t, srv, nil)
	ctx := timeout(t)
	send := func() error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(-100), Text: "rekap"})
		return err
	}

	srv.FailNext("sendMessage", 1, 429, "", 7)
	var tooMany *tg.TooManyRequestsError
	if err := send(); !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
		t.Errorf("after FailNext 429: got %v, want *TooManyRequestsError with RetryAfter 7", err)
	}
	if c := nextCall(t, srv, "sendMessage"); c.ErrorCode != 429 || c.Result != nil {
		t.Errorf("failed call: got %v, want recorded with error code 429", c)
	}
	if err := send(); err != nil {
		t.Errorf("after the injected fault was used: %v", err)
	}
	nextCall(t, srv, "sendMessage")

	srv.FailNextMigrate("sendMessage", -1009999)
	var migrate *tg.MigrateError
	if err := send(); !errors.As(err, &migrate) || migrate.MigrateToChatID != -1009999 {
		t.Errorf("after FailNextMigrate: got %v, want *MigrateError to -1009999", err)
	}
	nextCall(t, srv, "sendMessage")

	srv.FailNext("SENDMESSAGE", 2, 403, "", 0)
	for i := range 2 {
		if err := send(); !errors.Is(err, tg.ErrorForbidden) {
			t.Errorf("call %d after FailNext 403 x2: got %v, want ErrorForbidden", i+1, err)
		}
	}
	if got := len(srv.History()); got != 5 {
		t.Errorf("History: %d calls, want 5", got)
	}
}

func TestWaitConfirmedWhileHandlerRuns(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	release := make(chan struct{})
	_, updates := startBot(t, srv, func(context.Context, *tg.Bot, *models.Update) { <-release })

	id := srv.SendLocation(ani, at, -6.2, 106.8, 12)
	if err := srv.WaitConfirmed(timeout(t), id); err != nil {
		t.Fatalf("WaitConfirmed(%d): %v", id, err)
	}
	if n := srv.Pending(); n != 0 {
		t.Errorf("Pending after confirmation: %d, want 0", n)
	}
	close(release)
	if loc := nextUpdate(t, updates).Message.Location; loc == nil || loc.Latitude != -6.2 || loc.HorizontalAccuracy != 12 {
		t.Errorf("SendLocation: got %+v, want -6.2,106.8 ±12", loc)
	}
}

func TestDelayNextDropsCallsTheClientGaveUpOn(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	srv.DelayNext("sendMessage", 1, time.Minute)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 1, Text: "slow"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SendMessage with a 1m delay and a 100ms deadline: got %v, want the deadline", err)
	}
	srv.DelayNext("sendMessage", 1, 10*time.Millisecond)
	if _, err := b.SendMessage(timeout(t), &tg.SendMessageParams{ChatID: 1, Text: "late but there"}); err != nil {
		t.Fatalf("SendMessage with a short delay: %v", err)
	}
	var texts []string
	for _, c := range srv.History() {
		texts = append(texts, c.Text())
	}
	if diff := cmp.Diff([]string{"late but there"}, texts); diff != "" {
		t.Errorf("recorded calls (-want +got):\n%s", diff)
	}
}

func TestDelayNextToDelaysOneChat(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	srv.DelayNextTo("sendMessage", 2, 1, time.Minute)
	if _, err := b.SendMessage(timeout(t), &tg.SendMessageParams{ChatID: 1, Text: "other chat"}); err != nil {
		t.Fatalf("SendMessage to another chat: %v, want it undelayed", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 2, Text: "slow"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SendMessage to the delayed chat with a 100ms deadline: got %v, want the deadline", err)
	}
	if _, err := b.SendMessage(timeout(t), &tg.SendMessageParams{ChatID: 2, Text: "delay used up"}); err != nil {
		t.Fatalf("SendMessage to that chat again: %v", err)
	}
	var texts []string
	for _, c := range srv.History() {
		texts = append(texts, c.Text())
	}
	if diff := cmp.Diff([]string{"other chat", "delay used up"}, texts); diff != "" {
		t.Errorf("recorded calls (-want +got):\n%s", diff)
	}
}

func TestConfirmed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	if got := srv.Confirmed(); got != 0 {
		t.Errorf("Confirmed with nothing polled: %d, want 0", got)
	}
	srv.SendText(ani, ani.ID, at, "a")
	id := srv.SendText(ani, ani.ID, at, "b")
	_, updates := startBot(t, srv, nil)
	for range 2 {
		select {
		case <-updates:
		case <-time.After(5 * time.Second):
			t.Fatal("update not delivered")
		}
	}
	if err := srv.WaitConfirmed(timeout(t), id); err != nil {
		t.Fatal(err)
	}
	if got := srv.Confirmed(); got != id {
		t.Errorf("Confirmed: %d, want %d", got, id)
	}
}
