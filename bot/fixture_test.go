package bot

import (
	"bytes"
	"math"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Jayapura whatever the machine has installed

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
)

// Chats of the test pemda's OPD groups.
const (
	groupKominfo int64 = -1001000000001
	groupDinkes  int64 = -1001000000002
)

// Days of the test week: Monday is WFO, Tuesday WFH, Wednesday WFA.
var (
	monday    = apel.Date{Year: 2026, Month: time.November, Day: 23} //nolint:gochecknoglobals // a constant date
	tuesday   = monday.AddDays(1)                                    //nolint:gochecknoglobals // a constant date
	wednesday = monday.AddDays(2)                                    //nolint:gochecknoglobals // a constant date
)

// testClock is the bot's and the fake server's clock; tests move it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// syncBuffer collects the bot's log lines for tests that look at them.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Reset empties the buffer.
func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func jayapura(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jayapura")
	if err != nil {
		t.Fatalf("load Asia/Jayapura: %v", err)
	}
	return loc
}

func testOPDs() []apel.OPD {
	return []apel.OPD{
		{Code: "DISKOMINFO", Name: "Dinas Komunikasi dan Informatika", Office: apel.Point{Lat: -2.5330, Lon: 140.7170}},
		{Code: "DINKES", Name: "Dinas Kesehatan", Office: apel.Point{Lat: -2.5600, Lon: 140.7000}, DirectService: true},
	}
}

func testPolicy(loc *time.Location) apel.Policy {
	day := func(m apel.Mode) apel.DayRule {
		return apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: m}
	}
	return apel.Policy{
		Location: loc,
		Days: map[time.Weekday]apel.DayRule{
			time.Monday: day(apel.WFO), time.Tuesday: day(apel.WFH), time.Wednesday: day(apel.WFA),
			time.Thursday: day(apel.WFO), time.Friday: day(apel.WFH),
		},
		Window:  apel.Window{OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute, CloseAfter: 60 * time.Minute, RemindBefore: 15 * time.Minute},
		RadiusM: 100,
	}
}

// testRoster is the roster, keyed by the short names tests use. Every NIP
// passes apel.CheckNIP; each person's Telegram user id is 7000 + index.
func testRoster() map[string]apel.Employee {
	return map[string]apel.Employee{
		"kepala":   {NIP: "197501012000031001", Name: "Yohanis Kaiway", OPD: "DISKOMINFO", Role: apel.RoleHead},
		"rina":     {NIP: "198503122010012002", Name: "Rina Marasabessy", OPD: "DISKOMINFO", Role: apel.RoleStaff},
		"budi":     {NIP: "199002022015021003", Name: "Budi Santoso", OPD: "DISKOMINFO", Role: apel.RoleStaff},
		"maruf":    {NIP: "199107072016071004", Name: "Ma'ruf <Ucok> & Co", OPD: "DISKOMINFO", Role: apel.RoleStaff},
		"kadinkes": {NIP: "197805052003052005", Name: "Maria Rumbiak", OPD: "DINKES", Role: apel.RoleHead},
		"admin":    {NIP: "198001012005011006", Name: "Agus Admin", OPD: "DINKES", Role: apel.RoleAdmin},
		"sari":     {NIP: "199203032018032007", Name: "Sari Wonda", OPD: "DINKES", Role: apel.RoleStaff},
	}
}

// userID is the Telegram user id of a roster person.
func userID(name string) int64 {
	ids := map[string]int64{"kepala": 7001, "rina": 7002, "budi": 7003, "maruf": 7004, "kadinkes": 7005, "admin": 7006, "sari": 7007}
	return ids[name]
}

// stranger is a Telegram user who is on no roster.
func stranger() telegramtest.User {
	return telegramtest.User{ID: 9001, FirstName: "Orang", LanguageCode: "id"}
}

// north returns the point m metres north of p.
func north(p apel.Point, m float64) apel.Point {
	return apel.Point{Lat: p.Lat + m/6371008.8*180/math.Pi, Lon: p.Lon}
}
