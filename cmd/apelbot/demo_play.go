package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// play runs the scripted day: registrations the evening before, then apel
// pagi and apel sore with people on time, late, absent, out of place, a
// forwarded and a picked location refused, the heads' summaries and the
// daily report.
func (d *demo) play() error {
	steps := []func() error{d.evening, d.morning, d.afternoon}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if len(d.missing) > 0 {
		return fmt.Errorf("script names people not on the roster: %s", strings.Join(d.missing, ", "))
	}
	return nil
}

// unregistered are the two people who never open the bot: they end up
// absent without notice and get no reminder.
var unregistered = map[string]bool{"Jufri Latif": true, "Agus Salim Tuanany": true}

// evening: registration, group binding and home points, the day before.
func (d *demo) evening() error {
	eve := demoDay.AddDays(-1)
	d.at(eve, 19, 0)
	d.say("demo.step_register")
	rina := d.who("Rina Marasabessy")
	steps := []func() error{
		func() error { return d.text(rina, 0, "/start") },
		func() error { return d.text(rina, 0, rina.NIP[:17]) },
		func() error {
			return d.text(rina, 0, rina.NIP[:8]+" "+rina.NIP[8:14]+" "+rina.NIP[14:15]+" "+rina.NIP[15:])
		},
	}
	if err := inOrder(steps); err != nil {
		return err
	}
	n := 0
	if err := d.quietly(func() error {
		for _, ps := range d.people {
			if ps == rina || unregistered[ps.Name] {
				continue
			}
			if err := d.text(ps, 0, ps.NIP); err != nil {
				return err
			}
			n++
		}
		return nil
	}); err != nil {
		return err
	}
	d.say("demo.step_register_rest", n)
	d.say("demo.step_impostor")
	impostor := &person{Employee: apel.Employee{Name: "Budi (?)"}, User: telegramtest.User{ID: 7999999, FirstName: "Budi", LanguageCode: "id"}}
	d.chats[impostor.User.ID] = impostor.Name
	if err := inOrder([]func() error{
		func() error { return d.text(impostor, 0, "halo, mau absen") },
		func() error { return d.text(impostor, 0, rina.NIP) },
	}); err != nil {
		return err
	}

	d.at(eve, 19, 30)
	d.say("demo.step_bind")
	head := d.who("Rahmat Hidayat")
	if err := inOrder([]func() error{
		func() error {
			return d.text(d.who("Ikbal Tomagola"), d.groups["DISKOMINFO"], "/ikat@"+d.srv.BotUsername())
		},
		func() error { return d.text(head, d.groups["DISKOMINFO"], "/ikat@"+d.srv.BotUsername()) },
		func() error { return d.text(d.who("Marwah Jafar"), d.groups["BKPSDM"], "/ikat BKPSDM") },
	}); err != nil {
		return err
	}
	if err := d.quietly(func() error {
		return inOrder([]func() error{
			func() error { return d.text(d.who("Hasan Basri Ibrahim"), d.groups["BAPPEDA"], "/ikat") },
			func() error { return d.text(d.who("dr. Sarina Hi. Ali"), d.groups["DINKES"], "/ikat") },
		})
	}); err != nil {
		return err
	}
	d.say("demo.step_bind_rest")

	d.at(eve, 20, 0)
	d.say("demo.step_home")
	if err := inOrder([]func() error{
		func() error { return d.text(rina, 0, "/domisili") },
		func() error { return d.locate(rina, rina.Home, 8) },
		func() error { return d.tapReview(head, true) },
	}); err != nil {
		return err
	}
	n = 0
	err := d.quietly(func() error {
		for _, ps := range d.people {
			// Arman never registers a home point; heads and direct-service staff need none.
			if ps == rina || unregistered[ps.Name] || ps.Name == "Arman Syah" || ps.Role == apel.RoleHead || ps.OPD == "DINKES" {
				continue
			}
			heads, err := d.app.db.Heads(d.ctx, ps.OPD)
			if err != nil || len(heads) == 0 {
				return errors.Join(err, fmt.Errorf("no head for %s", ps.OPD))
			}
			if err := inOrder([]func() error{
				func() error { return d.text(ps, 0, "/domisili") },
				func() error { return d.locate(ps, ps.Home, 10) },
				func() error { return d.tapReview(d.byName[heads[0].Name], true) },
			}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	d.say("demo.step_home_rest", n)
	return err
}

// inOrder runs steps in order, stopping at the first error.
func inOrder(steps []func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}
