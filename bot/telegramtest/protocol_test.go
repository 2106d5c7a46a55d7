package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

// apiResult is a decoded Bot API answer.
type apiResult struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

// post calls a method URL with a raw HTTP request and fails the test on a
// transport error or an answer that is not JSON.
func post(t *testing.T, ctx context.Context, url, contentType, body string) apiResult {
	t.Helper()
	r, err := postErr(ctx, url, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// postErr is post for goroutines other than the test's.
func postErr(ctx context.Context, url, contentType, body string) (apiResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return apiResult{}, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return apiResult{}, fmt.Errorf("POST %s: %w", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return apiResult{}, fmt.Errorf("POST %s: read: %w", url, err)
	}
	r := apiResult{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		return apiResult{}, fmt.Errorf("POST %s: answer %q is not JSON: %w", url, raw, err)
	}
	return r, nil
}

func methodURL(srv *telegramtest.Server, method string) string {
	return srv.URL() + "/bot" + srv.Token() + "/" + method
}

// updateIDs decodes a getUpdates result to its update ids.
func updateIDs(t *testing.T, r apiResult) []int64 {
	t.Helper()
	var us []models.Update
	if err := json.Unmarshal(r.Result, &us); err != nil {
		t.Fatalf("getUpdates result %s: %v", r.Result, err)
	}
	ids := []int64{}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

func TestUnknownMethodIsAProtocolError(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	defer srv.Close()
	ctx := timeout(t)

	r := post(t, ctx, methodURL(srv, "sendSticker"), "application/json", `{"chat_id":1,"sticker":"x"}`)
	if r.Status != 404 || r.OK || r.ErrorCode != 404 || r.Description != "Not Found: method sendSticker" {
		t.Errorf("sendSticker: got %+v, want 404 Not Found: method sendSticker", r)
	}
	if err := srv.Err(); err == nil || !strings.Contains(err.Error(), "sendSticker") {
		t.Errorf("Err after sendSticker: got %v, want unknown method sendSticker", err)
	}
	if c := nextCall(t, srv, "sendSticker"); c.ErrorCode != 404 || c.Params["sticker"] != "x" {
		t.Errorf("recorded sendSticker: got %v, want 404 with sticker x", c)
	}
}

func TestUnparsableBodyIsAProtocolError(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	defer srv.Close()
	r := post(t, timeout(t), methodURL(srv, "sendMessage"), "application/json", `{"chat_id":`)
	if r.ErrorCode != 400 || r.OK {
		t.Errorf("truncated JSON: got %+v, want 400", r)
	}
	if srv.Err() == nil {
		t.Error("Err after truncated JSON: nil, want an error")
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, err := tg.New("1000:WRONG", tg.WithServerURL(srv.URL()))
	if !errors.Is(err, tg.ErrorUnauthorized) {
		t.Errorf("tg.New with a wrong token: got %v, want ErrorUnauthorized", err)
	}
	r := post(t, timeout(t), srv.URL()+"/bot1000:WRONG/getMe", "application/json", "")
	if r.Status != 401 || r.ErrorCode != 401 || r.Description != "Unauthorized" {
		t.Errorf("getMe with a wrong token: got %+v, want 401 Unauthorized", r)
	}
}

func TestGetMe(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	me, err := b.GetMe(timeout(t))
	if err != nil || me.ID != 1000 || !me.IsBot || me.Username != srv.BotUsername() {
		t.Errorf("GetMe: got %+v, %v, want bot 1000 @%s", me, err, srv.BotUsername())
	}
	if h := srv.History(); len(h) != 0 {
		t.Errorf("History after getMe: %v, want none", h)
	}
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t)
	for range 3 {
		srv.SendText(ani, ani.ID, at, "hadir")
	}
	url := methodURL(srv, "getUpdates")
	form := "application/x-www-form-urlencoded"

	if got := updateIDs(t, post(t, ctx, url, form, "limit=2")); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("limit=2: got ids %v, want [1 2]", got)
	}
	if got := updateIDs(t, post(t, ctx, url, "application/json", `{"offset":3}`)); len(got) != 1 || got[0] != 3 {
		t.Errorf("offset=3: got ids %v, want [3]", got)
	}
	if n := srv.Pending(); n != 1 {
		t.Errorf("Pending after offset=3: %d, want 1", n)
	}
	if err := srv.WaitConfirmed(ctx, 2); err != nil {
		t.Errorf("WaitConfirmed(2) after offset=3: %v", err)
	}
	srv.Push(models.Update{Message: &models.Message{ID: 9, Date: 1, Chat: models.Chat{ID: 1, Type: "private"}}})
	if got := updateIDs(t, post(t, ctx, url, form, "offset=-1")); len(got) != 1 || got[0] != 4 {
		t.Errorf("offset=-1: got ids %v, want [4]", got)
	}
	if got := updateIDs(t, post(t, ctx, url, form, "offset=5")); len(got) != 0 || srv.Pending() != 0 {
		t.Errorf("offset=5: got ids %v with %d pending, want none", got, srv.Pending())
	}
}

func TestLongPollWakesOnPushAndExpires(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := timeout(t)
	url := methodURL(srv, "getUpdates")
	type answer struct {
		r   apiResult
		err error
	}
	got := make(chan answer, 1)
	go func() {
		// Long enough that only the push can end it within the test timeout.
		r, err := postErr(ctx, url, "application/json", `{"offset":1,"timeout":50}`)
		got <- answer{r, err}
	}()
	srv.SendText(ani, ani.ID, at, "hadir")
	select {
	case a := <-got:
		if a.err != nil {
			t.Fatal(a.err)
		}
		if ids := updateIDs(t, a.r); len(ids) != 1 || ids[0] != 1 {
			t.Errorf("woken long poll: got ids %v, want [1]", ids)
		}
	case <-ctx.Done():
		t.Fatal("long poll was not woken by Push")
	}

	start := time.Now()
	if ids := updateIDs(t, post(t, ctx, url, "application/json", `{"offset":2,"timeout":1}`)); len(ids) != 0 {
		t.Errorf("expired long poll: got ids %v, want none", ids)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("long poll with timeout 1 returned after %v, want about 1s", d)
	}
}

func TestCloseEndsLongPollAndWaits(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New()
	ctx := timeout(t)
	id := srv.SendText(ani, ani.ID, at, "hadir")
	polled := make(chan error, 1)
	go func() {
		r, err := postErr(ctx, methodURL(srv, "getUpdates"), "application/json", `{"offset":2,"timeout":50}`)
		if err == nil && string(r.Result) != "[]" {
			err = fmt.Errorf("long poll ended by Close: got %s, want []", r.Result)
		}
		polled <- err
	}()
	// The poll confirms update 1 before it starts waiting.
	if err := srv.WaitConfirmed(ctx, id); err != nil {
		t.Fatalf("WaitConfirmed(%d): %v", id, err)
	}
	srv.Close() // must not wait 50s for the poll
	srv.Close()
	if err := <-polled; err != nil {
		t.Error(err)
	}
	if _, err := srv.Next(ctx); !errors.Is(err, telegramtest.ErrClosed) {
		t.Errorf("Next after Close: got %v, want ErrClosed", err)
	}
	if err := srv.WaitConfirmed(ctx, 5); !errors.Is(err, telegramtest.ErrClosed) {
		t.Errorf("WaitConfirmed after Close: got %v, want ErrClosed", err)
	}
	if err := srv.Err(); err != nil {
		t.Errorf("Err: %v", err)
	}
}

func TestOtherMethodsAnswer(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	b, _ := startBot(t, srv, nil)
	ctx := timeout(t)
	const group = -100777
	srv.SendText(ani, group, at, "halo")

	chat, err := b.GetChat(ctx, &tg.GetChatParams{ChatID: int64(group)})
	if err != nil || chat.ID != group || chat.Type != models.ChatTypeSupergroup {
		t.Errorf("GetChat(%d): got %+v, %v, want the supergroup", group, chat, err)
	}
	sent, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(group), Text: "rekap"})
	if err != nil || sent.ID != 2 {
		t.Fatalf("SendMessage to group: got %+v, %v, want message 2 (after the user's)", sent, err)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Lagi", CallbackData: "again"}}}}
	edited, err := b.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: int64(group), MessageID: sent.ID, ReplyMarkup: kb})
	if err != nil || edited.ReplyMarkup == nil || edited.Text != "rekap" || edited.EditDate == 0 {
		t.Errorf("EditMessageReplyMarkup: got %+v, %v, want the keyboard on rekap", edited, err)
	}
	checks := []struct {
		name string
		call func() (bool, error)
	}{
		{"SendChatAction", func() (bool, error) {
			return b.SendChatAction(ctx, &tg.SendChatActionParams{ChatID: int64(group), Action: models.ChatActionUploadDocument})
		}},
		{"DeleteMessage", func() (bool, error) {
			return b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: int64(group), MessageID: sent.ID})
		}},
		{"SetMyCommands", func() (bool, error) {
			return b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "hadir", Description: "Absen"}}})
		}},
		{"DeleteMyCommands", func() (bool, error) { return b.DeleteMyCommands(ctx, &tg.DeleteMyCommandsParams{}) }},
		{"SetWebhook", func() (bool, error) { return b.SetWebhook(ctx, &tg.SetWebhookParams{URL: "https://example.org/hook"}) }},
		{"DeleteWebhook", func() (bool, error) { return b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}) }},
		{"LeaveChat", func() (bool, error) { return b.LeaveChat(ctx, &tg.LeaveChatParams{ChatID: int64(group)}) }},
	}
	for _, c := range checks {
		if ok, err := c.call(); !ok || err != nil {
			t.Errorf("%s: got %v, %v, want true", c.name, ok, err)
		}
	}
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(group), Text: " "}); !errors.Is(err, tg.ErrorBadRequest) {
		t.Errorf("SendMessage with blank text: got %v, want ErrorBadRequest", err)
	}
	var methods []string
	for _, c := range srv.History() {
		methods = append(methods, c.Method)
	}
	want := "getChat sendMessage editMessageReplyMarkup sendChatAction deleteMessage setMyCommands " +
		"deleteMyCommands setWebhook deleteWebhook leaveChat sendMessage"
	if got := strings.Join(methods, " "); got != want {
		t.Errorf("History methods:\n got %s\nwant %s", got, want)
	}
}
