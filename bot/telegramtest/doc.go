// Package telegramtest is a fake Telegram Bot API server for tests and for
// the "apelbot demo" command.
//
// New starts an httptest server on the loopback interface that speaks the
// same wire protocol as api.telegram.org as far as github.com/go-telegram/bot
// uses it: every method is a POST to /bot<token>/<method> whose body is
// multipart/form-data (JSON and urlencoded bodies are accepted too), and every
// answer is {"ok":true,"result":...} or {"ok":false,"error_code":N,
// "description":"...","parameters":{...}} with the HTTP status equal to the
// error code. Point the real client at it:
//
//	srv := telegramtest.New()
//	defer srv.Close()
//	b, err := tg.New(srv.Token(), tg.WithServerURL(srv.URL()), tg.WithDefaultHandler(h))
//	go b.Start(ctx)
//
// # Updates
//
// Tests queue updates with Push or with the helpers SendText, SendLocation,
// SendForwardedLocation, SendVenue and Tap, which build realistic messages
// (per-chat message ids, From and Chat filled, Date taken from the given
// time). getUpdates serves them as a long poll: it honours offset (an offset
// confirms, and forgets, every earlier update), limit and timeout, and wakes
// up as soon as an update is pushed. WaitConfirmed blocks until the bot has
// confirmed an update, which go-telegram/bot does as soon as it has handed
// the update to a worker, so it does not mean the handler has finished.
//
// # Calls
//
// Every method call other than getUpdates and getMe is recorded as a Call,
// in order, on a buffered channel (Calls, Next) and in History. A test
// waits for the bot's reaction with Next and a context deadline; it never
// sleeps. The fake answers sendMessage, editMessageText,
// editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendDocument,
// sendPhoto, sendChatAction, getChat, leaveChat, setWebhook, deleteWebhook,
// setMyCommands and deleteMyCommands with results shaped like the real Bot
// API; it checks the parameters the real API insists on (chat_id, text, the
// file) and answers editMessageText or editMessageReplyMarkup that change
// nothing with the real 400 "message is not modified".
//
// # Errors
//
// The fake never panics. A request it cannot understand (an unknown method,
// an unparsable body, a path outside /bot<token>/) is answered with an error
// response and recorded as a protocol error that Err reports, so a test can
// end with
//
//	if err := srv.Err(); err != nil {
//		t.Fatal(err)
//	}
//
// A wrong token is answered with 401 Unauthorized, as Telegram does, and is
// not a protocol error. FailNext and FailNextMigrate inject API errors (429
// with retry_after, 403, a group migrated to a supergroup) for the next calls
// of a method; they surface in the client as *bot.TooManyRequestsError,
// bot.ErrorForbidden and *bot.MigrateError. DelayNext makes calls slow, so
// that a client's timeout fires; a call the client gave up on is dropped.
//
// # Flood limits
//
// EnforceLimits makes the fake keep Telegram's flood limits (about 30
// messages per second overall, one per second in a private chat, 20 per
// minute in a group) and answer 429 with retry_after to a message that
// breaks them; Refused counts those answers. Load tests use it to check that
// a bot goes as fast as the limits allow and no faster. ServedAt tells when
// an update was first handed out, and KeepHistory(false) keeps the memory of
// a long run flat.
package telegramtest
