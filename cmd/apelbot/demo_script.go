package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/locales"
)

// newDemo prepares the cast: every roster person gets a Telegram account and
// a home near their office, every OPD a group chat.
func newDemo(ctx context.Context, a *app, srv *telegramtest.Server, clock *simClock, p locales.Printer, out io.Writer) *demo {
	d := &demo{ctx: ctx, app: a, srv: srv, clock: clock, p: p, out: out,
		byName: map[string]*person{}, chats: map[int64]string{}, groups: map[string]int64{}, prompts: map[int64]prompt{}}
	for i, o := range a.cfg.OPDs {
		id := -1001000000001 - int64(i)
		d.groups[o.Code], d.chats[id] = id, p.T("demo.group", o.Code)
	}
	d.chats[a.cfg.Report.BKPSDMChat] = p.T("demo.group_report")
	for _, r := range a.cfg.Report.Recipients {
		d.chats[r] = p.T("demo.group_leaders")
	}
	emps, _ := a.db.Employees(ctx)
	offices := map[string]apel.Point{}
	for _, o := range a.cfg.OPDs {
		offices[o.Code] = o.Office
	}
	for i, e := range emps {
		// Homes lie 1 to 3 km from the office, spread around it.
		angle := float64(i) * 2.4
		km := 1 + float64(i%3)
		home := apel.Point{Lat: offices[e.OPD].Lat + km*0.009*math.Sin(angle), Lon: offices[e.OPD].Lon + km*0.009*math.Cos(angle)}
		ps := &person{Employee: e, Home: home, User: telegramtest.User{ID: 7000001 + int64(i), FirstName: e.Name, LanguageCode: "id"}}
		d.people = append(d.people, ps)
		d.byName[e.Name] = ps
		d.chats[ps.User.ID] = e.Name
	}
	return d
}

// who returns the person named name; the names are the sample roster's.
func (d *demo) who(name string) *person {
	ps, ok := d.byName[name]
	if !ok {
		// A typo in the script: play reports it, the demo test catches it.
		d.missing = append(d.missing, name)
		return &person{}
	}
	return ps
}

// text sends a text message from ps to chat (ps's private chat when 0).
func (d *demo) text(ps *person, chat int64, text string) error {
	if chat == 0 {
		chat = ps.User.ID
	}
	if chat != ps.User.ID {
		d.user(ps, d.p.T("demo.in_group", text, d.chats[chat]))
	} else {
		d.user(ps, text)
	}
	return d.wait(d.srv.SendText(ps.User, chat, d.clock.Now(), text))
}

// locate sends ps's location at pt from their private chat.
func (d *demo) locate(ps *person, pt apel.Point, accuracy float64) error {
	d.user(ps, d.p.T("demo.sends_location", fmt.Sprintf("%.5f, %.5f", pt.Lat, pt.Lon), int(accuracy)))
	return d.wait(d.srv.SendLocation(ps.User, d.clock.Now(), pt.Lat, pt.Lon, accuracy))
}

// tap presses the "Hadir" button of the latest prompt in ps's OPD group.
func (d *demo) tap(ps *person) error {
	g := d.groups[ps.OPD]
	pr := d.prompts[g]
	d.user(ps, d.p.T("demo.taps", d.chats[g]))
	return d.wait(d.srv.Tap(ps.User, g, pr.MessageID, pr.Data, d.clock.Now()))
}

// tapReview presses a button of the latest review message sent to ps.
func (d *demo) tapReview(ps *person, approve bool) error {
	var msgID int
	var data string
	for _, c := range d.srv.History() {
		if c.Method == "sendMessage" && c.ChatID() == ps.User.ID {
			if a, r, ok := reviewButtons(c); ok {
				var m struct {
					ID int `json:"message_id"`
				}
				_ = json.Unmarshal(c.Result, &m)
				msgID, data = m.ID, r
				if approve {
					data = a
				}
			}
		}
	}
	d.user(ps, d.p.T("demo.taps_review", map[bool]string{true: "✅", false: "❌"}[approve]))
	return d.wait(d.srv.Tap(ps.User, ps.User.ID, msgID, data, d.clock.Now()))
}

// checkIn is the one-tap flow: button in the group, /start hadir in the
// private chat, location.
func (d *demo) checkIn(ps *person, pt apel.Point) error {
	if err := d.tap(ps); err != nil {
		return err
	}
	if err := d.text(ps, 0, "/start hadir"); err != nil {
		return err
	}
	return d.locate(ps, pt, 12)
}

// near returns a point a few metres from pt.
func near(pt apel.Point, metres float64) apel.Point {
	return apel.Point{Lat: pt.Lat + metres/111320, Lon: pt.Lon}
}

// office returns ps's office point.
func (d *demo) office(ps *person) apel.Point {
	for _, o := range d.app.cfg.OPDs {
		if o.Code == ps.OPD {
			return o.Office
		}
	}
	return apel.Point{}
}

// place is where ps should be today: office or home, by their mode.
func (d *demo) place(ps *person) apel.Point {
	for _, o := range d.app.cfg.OPDs {
		if o.Code == ps.OPD && d.app.cfg.Policy.ModeOf(o, ps.Employee, demoDay).Mode == apel.WFH {
			return ps.Home
		}
	}
	return d.office(ps)
}

// quietly runs f without printing; the caller sums it up in one line.
func (d *demo) quietly(f func() error) error {
	d.mute = true
	defer func() { d.mute = false }()
	return f()
}

// reviewButtons returns the approve and reject data of a home-point review
// message, if c sent one.
func reviewButtons(c telegramtest.Call) (approve, reject string, ok bool) {
	var kb struct {
		Inline [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(c.Params["reply_markup"]), &kb) != nil || len(kb.Inline) != 1 || len(kb.Inline[0]) != 2 {
		return "", "", false
	}
	return kb.Inline[0][0].Data, kb.Inline[0][1].Data, true
}

// steps runs fs in order, stopping at the first error.
func (d *demo) steps(fs ...func() error) error {
	for _, f := range fs {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// press presses the button whose callback data ends in suffix on the latest
// message sent (or edited) to ps that has one.
func (d *demo) press(ps *person, suffix string) error {
	calls := d.srv.History()
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		if !c.OK() || c.ChatID() != ps.User.ID || (c.Method != "sendMessage" && c.Method != "editMessageText") {
			continue
		}
		var kb models.InlineKeyboardMarkup
		if json.Unmarshal([]byte(c.Params["reply_markup"]), &kb) != nil {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if strings.HasSuffix(b.CallbackData, suffix) {
					var m struct {
						ID int `json:"message_id"`
					}
					_ = json.Unmarshal(c.Result, &m)
					d.user(ps, d.p.T("demo.presses", b.Text))
					return d.wait(d.srv.Tap(ps.User, ps.User.ID, m.ID, b.CallbackData, d.clock.Now()))
				}
			}
		}
	}
	return fmt.Errorf("demo: no button %q for %s", suffix, ps.Name)
}
