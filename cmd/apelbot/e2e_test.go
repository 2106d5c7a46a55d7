package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apelbot/apelbot/bot/telegramtest"
)

// The end-to-end pemda: two OPDs, their groups and the BKPSDM chat.
const (
	e2eBKPSDMChat int64 = -1001000000099
	e2eUserBase   int64 = 5000000 // Telegram user id of roster person i is e2eUserBase + i
)

// e2eOPDs are the OPD codes of the end-to-end pemda with their group chats.
func e2eOPDs() []struct {
	Code  string
	Group int64
	Lat   float64
	Lon   float64
} {
	return []struct {
		Code  string
		Group int64
		Lat   float64
		Lon   float64
	}{
		{"DISKOMINFO", -1001000000001, -6.9175, 107.6191},
		{"BAPPEDA", -1001000000002, -6.9147, 107.6098},
	}
}

// e2ePerson is roster person i: OPD i%2, a head for i < 2.
type e2ePerson struct {
	I    int
	NIP  string
	OPD  string
	Head bool
	User telegramtest.User
}

func e2ePeople(n int) []e2ePerson {
	out := make([]e2ePerson, n)
	for i := range out {
		// Born 1 January 1970, appointed January 2000, man, sequence i+1.
		out[i] = e2ePerson{I: i, NIP: fmt.Sprintf("197001012000011%03d", i+1), OPD: e2eOPDs()[i%2].Code, Head: i < 2,
			User: telegramtest.User{ID: e2eUserBase + int64(i), FirstName: fmt.Sprintf("Pegawai %d", i), LanguageCode: "id"}}
	}
	return out
}

// e2eRoster writes the roster of people as a CSV file.
func e2eRoster(t *testing.T, people []e2ePerson) string {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("NIP;Nama;Kode OPD;Jabatan;Peran\n")
	for _, p := range people {
		role := "staf"
		if p.Head {
			role = "kepala"
		}
		fmt.Fprintf(&sb, "%s;Pegawai %d;%s;Staf;%s\n", p.NIP, p.I, p.OPD, role)
	}
	return writeFile(t, "roster.csv", sb.String())
}

// e2eConfig writes the configuration of the end-to-end pemda: apel pagi and
// sore at the given times on every day of the week, all WFO, no holidays,
// in zone; extra is appended as is.
func e2eConfig(t *testing.T, zone, pagi, sore, extra string) string {
	t.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "pemda: Kota Uji\ntimezone: %s\nschedule:\n  national_holidays: false\n  days:\n", zone)
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		fmt.Fprintf(&sb, "    %s: { pagi: %q, sore: %q, mode: WFO }\n", d, pagi, sore)
	}
	sb.WriteString("opds:\n")
	for _, o := range e2eOPDs() {
		fmt.Fprintf(&sb, "  - code: %s\n    name: Dinas %s\n    office: { lat: %v, lon: %v }\n", o.Code, o.Code, o.Lat, o.Lon)
	}
	fmt.Fprintf(&sb, "report:\n  bkpsdm_chat: %d\n%s", e2eBKPSDMChat, extra)
	return writeFile(t, "apelbot.yaml", sb.String())
}

// office returns the office point of the person's OPD.
func (p e2ePerson) office() (lat, lon float64) {
	for _, o := range e2eOPDs() {
		if o.Code == p.OPD {
			return o.Lat, o.Lon
		}
	}
	return 0, 0
}

// delivered returns the successful calls of method to chat whose text
// contains sub.
func delivered(calls []telegramtest.Call, method string, chat int64, sub string) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range calls {
		if c.OK() && c.Method == method && c.ChatID() == chat && strings.Contains(c.Text(), sub) {
			out = append(out, c)
		}
	}
	return out
}
