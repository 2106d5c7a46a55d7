package bot

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

// rawKey is what a missing catalogue key looks like in a reply.
var rawKey = regexp.MustCompile(`^[a-z_]+(\.[a-z0-9_]+)+$`) //nolint:gochecknoglobals // compiled once

// checkTexts fails for any text the bot sent with a formatting error (the
// wrong number of arguments for a message) or a bare catalogue key.
func checkTexts(t testing.TB, calls []telegramtest.Call) {
	t.Helper()
	for _, c := range calls {
		text := c.Text()
		if strings.Contains(text, "%!") || rawKey.MatchString(text) {
			t.Errorf("%s to %d: text %q has a formatting error or is a bare key", c.Method, c.ChatID(), text)
		}
	}
}

// reply returns the text of the only call in calls, which must be a
// successful sendMessage to chat.
func reply(t *testing.T, calls []telegramtest.Call, chat int64) string {
	t.Helper()
	if len(calls) != 1 || calls[0].Method != "sendMessage" || calls[0].ChatID() != chat || !calls[0].OK() {
		t.Fatalf("got calls %v, want one sendMessage to %d", calls, chat)
	}
	return calls[0].Text()
}

// sent returns the texts of the sendMessage calls to chat.
func sent(calls []telegramtest.Call, chat int64) []string {
	var out []string
	for _, c := range calls {
		if c.Method == "sendMessage" && c.ChatID() == chat {
			out = append(out, c.Text())
		}
	}
	return out
}

// answer returns the only answerCallbackQuery among calls.
func answer(t *testing.T, calls []telegramtest.Call) telegramtest.Call {
	t.Helper()
	var out []telegramtest.Call
	for _, c := range calls {
		if c.Method == "answerCallbackQuery" {
			out = append(out, c)
		}
	}
	if len(out) != 1 {
		t.Fatalf("got calls %v, want one answerCallbackQuery", calls)
	}
	return out[0]
}

// sentMessage decodes the message the fake answered a call with.
func sentMessage(t *testing.T, c telegramtest.Call) models.Message {
	t.Helper()
	var m models.Message
	if err := json.Unmarshal(c.Result, &m); err != nil {
		t.Fatalf("decode result of %v: %v", c, err)
	}
	return m
}

// buttons returns the callback data of an inline keyboard in a call.
func buttons(t *testing.T, c telegramtest.Call) []string {
	t.Helper()
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(c.Params["reply_markup"]), &kb); err != nil {
		t.Fatalf("reply_markup of %v: %v", c, err)
	}
	var out []string
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}
