package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/locales"
)

// person is one ASN of the sample roster, with a Telegram account.
type person struct {
	apel.Employee
	User telegramtest.User
	Home apel.Point
}

// demo drives the simulated day and prints what each person sees.
type demo struct {
	ctx     context.Context
	app     *app
	srv     *telegramtest.Server
	clock   *simClock
	p       locales.Printer
	out     io.Writer
	mute    bool
	people  []*person
	byName  map[string]*person
	chats   map[int64]string // chat id → who it is, for the transcript
	groups  map[string]int64 // OPD code → group chat id
	prompts map[int64]prompt // group chat id → the latest prompt
	missing []string         // names the script asked for that the roster lacks
}

// prompt is a posted group prompt: its message and its button's data.
type prompt struct {
	MessageID int
	Data      string
}

// at moves the clock to hh:mm on the demo day (or the evening before).
func (d *demo) at(day apel.Date, hh, mm int) {
	t := day.At(apel.Clock{Hour: hh, Minute: mm}, d.app.cfg.Policy.Location)
	d.clock.Set(t)
}

// say prints a line of narration, stamped with the simulated time.
func (d *demo) say(key string, args ...any) {
	if d.mute {
		return
	}
	fmt.Fprintf(d.out, "\n── %s ── %s\n", d.p.Time(d.clock.Now().In(d.app.cfg.Policy.Location)), d.p.T(key, args...))
}

// user prints what a person sends.
func (d *demo) user(who *person, what string) {
	if !d.mute {
		fmt.Fprintf(d.out, "👤 %s: %s\n", who.Name, what)
	}
}

// demoWait bounds each wait of the demo for the bot (an update handled, the
// outbox drained): a hang ends the demo with an error instead of blocking
// it. Not a speed requirement: the demo's tests run it under the race
// detector on loaded machines, where 10 s was not always enough.
const demoWait = 2 * time.Minute

// wait blocks until the bot has handled update id, then prints its replies.
func (d *demo) wait(id int64) error {
	ctx, cancel := context.WithTimeout(d.ctx, demoWait)
	defer cancel()
	if err := d.app.bot.WaitHandled(ctx, id); err != nil {
		return fmt.Errorf("update %d not handled: %w", id, err)
	}
	if err := d.app.bot.Flush(ctx); err != nil { // the check-in replies go through the outbox
		return fmt.Errorf("update %d: replies: %w", id, err)
	}
	d.flush()
	return nil
}

// tick runs the scheduler at the current simulated time, waits for the
// messages it queued to go out, and prints them.
func (d *demo) tick() error {
	if err := d.app.sched.Tick(d.ctx); err != nil {
		return fmt.Errorf("tick at %s: %w", d.clock.Now(), err)
	}
	ctx, cancel := context.WithTimeout(d.ctx, demoWait)
	defer cancel()
	if err := d.app.bot.Flush(ctx); err != nil {
		return fmt.Errorf("tick at %s: outbox: %w", d.clock.Now(), err)
	}
	d.flush()
	return nil
}

// flush prints every Bot API call recorded so far.
func (d *demo) flush() {
	for {
		select {
		case c := <-d.srv.Calls():
			d.show(c)
		default:
			return
		}
	}
}

// show prints one call the bot made, as the person or group sees it.
func (d *demo) show(c telegramtest.Call) {
	var kb struct {
		Inline [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
		Keyboard [][]struct {
			Text string `json:"text"`
		} `json:"keyboard"`
	}
	_ = json.Unmarshal([]byte(c.Params["reply_markup"]), &kb)
	if c.Method == "sendMessage" && len(kb.Inline) == 1 && strings.HasPrefix(kb.Inline[0][0].Data, "ci:") {
		var m struct {
			ID int `json:"message_id"`
		}
		_ = json.Unmarshal(c.Result, &m)
		d.prompts[c.ChatID()] = prompt{MessageID: m.ID, Data: kb.Inline[0][0].Data}
	}
	if d.mute {
		return
	}
	to := d.chats[c.ChatID()]
	var buttons []string
	for _, row := range kb.Inline {
		for _, b := range row {
			buttons = append(buttons, "["+b.Text+"]")
		}
	}
	for _, row := range kb.Keyboard {
		for _, b := range row {
			buttons = append(buttons, "["+b.Text+"]")
		}
	}
	text := indent(plain(c.Text()))
	switch c.Method {
	case "sendMessage":
		fmt.Fprintf(d.out, "🤖 → %s:\n%s\n", to, text)
	case "editMessageText":
		fmt.Fprintf(d.out, "🤖 ✎ %s %s:\n%s\n", to, d.p.T("demo.edited"), text)
	case "sendDocument":
		f := c.Files["document"]
		fmt.Fprintf(d.out, "🤖 → %s: %s\n%s\n", to, d.p.T("demo.document", f.Name, (len(f.Data)+1023)/1024), text)
	case "answerCallbackQuery":
		if u := c.Params["url"]; u != "" {
			fmt.Fprintf(d.out, "🤖 ⤷ %s\n", d.p.T("demo.opens_private", u))
		} else {
			fmt.Fprintf(d.out, "🤖 ⤷ %s\n", d.p.T("demo.toast", c.Params["text"]))
		}
	default:
		fmt.Fprintf(d.out, "🤖 %s → %s\n", c.Method, to)
	}
	if len(buttons) > 0 {
		fmt.Fprintf(d.out, "    %s\n", strings.Join(buttons, " "))
	}
}

// indent prefixes every line of s for the transcript.
func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
