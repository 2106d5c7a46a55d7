package bot

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

// fuzzSeeds are updates at the edges: forwarded and picked locations,
// coordinates that are not numbers or out of range, stale and future dates,
// unknown chats, long and odd text, forged or malformed callback data, and
// JSON that is not an update at all. Rina (7002) and the heads are
// registered; apel pagi of DISKOMINFO is open.
func fuzzSeeds() []string {
	const rina = `"from":{"id":7002,"is_bot":false,"first_name":"rina","language_code":"id"},"chat":{"id":7002,"type":"private"}`
	const date = `"date":1795386000` // Mon 23 Nov 2026 07:20 WIT
	// JSON escapes: a NUL is valid inside a JSON string.
	long := strings.Repeat(`ا‮ 👩‍👩‍👧‍👦 \u200b\u0000 ǅ ﷽ <b>&amp;</b> `, 500)
	return []string{
		`{"update_id":1,"message":{"message_id":1,` + rina + `,` + date + `,"location":{"latitude":-2.533,"longitude":140.717,"horizontal_accuracy":5}}}`,
		`{"update_id":1,"message":{"message_id":2,` + rina + `,` + date + `,"forward_origin":{"type":"user","date":1795380000,"sender_user":{"id":9,"is_bot":false,"first_name":"x"}},"location":{"latitude":-2.533,"longitude":140.717}}}`,
		`{"update_id":1,"message":{"message_id":3,` + rina + `,` + date + `,"venue":{"location":{"latitude":-2.533,"longitude":140.717},"title":"Rumah","address":"Jl."},"location":{"latitude":-2.533,"longitude":140.717}}}`,
		`{"update_id":1,"message":{"message_id":4,` + rina + `,` + date + `,"location":{"latitude":"NaN","longitude":"Infinity"}}}`,
		`{"update_id":1,"message":{"message_id":5,` + rina + `,` + date + `,"location":{"latitude":1e999,"longitude":-1e999}}}`,
		`{"update_id":1,"message":{"message_id":6,` + rina + `,` + date + `,"location":{"latitude":91,"longitude":181,"horizontal_accuracy":-5}}}`,
		`{"update_id":1,"message":{"message_id":7,` + rina + `,"date":0,"location":{"latitude":-2.533,"longitude":140.717}}}`,
		`{"update_id":1,"message":{"message_id":8,` + rina + `,"date":99999999999,"location":{"latitude":-2.533,"longitude":140.717}}}`,
		`{"update_id":1,"message":{"message_id":9,` + rina + `,"date":-1795386000,"location":{"latitude":-2.533,"longitude":140.717}}}`,
		`{"update_id":1,"edited_message":{"message_id":10,` + rina + `,` + date + `,"edit_date":1795386060,"location":{"latitude":-2.533,"longitude":140.717,"live_period":900}}}`,
		`{"update_id":1,"message":{"message_id":11,"from":{"id":424242,"is_bot":false,"first_name":"?"},"chat":{"id":-100999,"type":"supergroup","title":"?"},` + date + `,"text":"/ikat@apel_test_bot DISKOMINFO"}}`,
		`{"update_id":1,"message":{"message_id":12,"chat":{"id":-100998,"type":"channel","title":"?"},` + date + `,"text":"/start"}}`,
		`{"update_id":1,"message":{"message_id":13,` + rina + `,` + date + `,"text":"` + long + `"}}`,
		`{"update_id":1,"message":{"message_id":14,` + rina + `,` + date + `,"text":"/izin 197501012000031001 sakit\n/ikat","entities":[{"type":"bot_command","offset":-3,"length":900}]}}`,
		`{"update_id":1,"message":{"message_id":15,"from":{"id":9001,"is_bot":false,"first_name":"x"},"chat":{"id":9001,"type":"private"},` + date + `,"text":"1975 0101.2000 03 1 001"}}`,
		`{"update_id":1,"callback_query":{"id":"q1","from":{"id":7002,"is_bot":false,"first_name":"rina"},"chat_instance":"c","data":"ci:-1","message":{"message_id":1,"date":0,"chat":{"id":-1001000000001,"type":"supergroup"}}}}`,
		`{"update_id":1,"callback_query":{"id":"q2","from":{"id":7002,"is_bot":false,"first_name":"rina"},"chat_instance":"c","data":"ci:99999999999999999999999"}}`,
		`{"update_id":1,"callback_query":{"id":"q3","from":{"id":7001,"is_bot":false,"first_name":"kepala"},"chat_instance":"c","data":"hp:a:"}}`,
		`{"update_id":1,"callback_query":{"id":"q4","from":{"id":7002,"is_bot":false,"first_name":"rina"},"chat_instance":"c","data":"hp:a:1","message":{"message_id":3,"date":1795386000,"chat":{"id":7002,"type":"private"},"text":"x"}}}`,
		`{"update_id":1,"callback_query":{"id":"q5","from":{"id":7002,"is_bot":false,"first_name":"rina"},"chat_instance":"c","data":"\u0000\uffff hp:r:-9"}}`,
		`{"update_id":1,"my_chat_member":{"chat":{"id":-1001000000001,"type":"supergroup","title":"g"},"from":{"id":7001,"is_bot":false,"first_name":"k"},"date":1795386000,"old_chat_member":{"status":"member","user":{"id":1000,"is_bot":true,"first_name":"b"}},"new_chat_member":{"status":"kicked","user":{"id":1000,"is_bot":true,"first_name":"b"},"until_date":0}}}`,
		`{"update_id":1,"my_chat_member":{"chat":{"id":7002,"type":"private"},"from":{"id":7002,"is_bot":false,"first_name":"r"},"date":1795386000,"old_chat_member":{"status":"kicked"},"new_chat_member":{"status":"nonsense"}}}`,
		`{"update_id":1,"message":{"message_id":16,"from":{"id":7001,"is_bot":false,"first_name":"k"},"chat":{"id":-4001,"type":"group","title":"g"},` + date + `,"migrate_to_chat_id":-4001}}`,
		`{"update_id":1}`, `{}`, `null`, `[]`, `"update"`, `{"update_id":"x","message":[]}`, `{"message":{"chat":null}}`,
		`{"update_id":1,"callback_query":{"id":"q6"}}`, `{"update_id":1,"edited_message":{}}`,
	}
}

// FuzzUpdate feeds arbitrary JSON through the real update handling (decode,
// middleware, routing, handlers) with a real store and the fake Bot API.
// Whatever arrives, the bot answers or logs a refusal; it never panics. The
// recover middleware is there for bugs, so a "handler panicked" line fails
// the test too.
func FuzzUpdate(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	h := setup(f)
	h.register("rina", "kepala", "admin")
	h.setTime(monday, 7, 20)
	h.open("DISKOMINFO", apel.Pagi, groupKominfo)
	if err := h.db.BindGroup(f.Context(), "DISKOMINFO", groupKominfo, h.emp("kepala").ID, h.clock.Now()); err != nil {
		f.Fatal(err)
	}
	h.start(nil)
	var next atomic.Int64
	next.Store(1_000_000)
	f.Fuzz(func(t *testing.T, raw []byte) {
		id := next.Add(1)
		ctx := context.Background()
		h.logs.Reset()
		if err := h.db.SaveUpdates(ctx, []apel.Inbound{{ID: id, Raw: raw}}, h.clock.Now()); err != nil {
			t.Fatalf("save update: %v", err)
		}
		if err := h.bot.handle(ctx, apel.Inbound{ID: id, Raw: raw}); err != nil {
			t.Errorf("handle %q: %v", raw, err)
		}
		checkTexts(t, h.drain())
		if logs := h.logs.String(); strings.Contains(logs, "handler panicked") {
			t.Fatalf("update %q: a handler panicked:\n%s", raw, logs)
		}
	})
}
