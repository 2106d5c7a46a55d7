package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the zones must resolve wherever the tests run

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/scheduler"
)

// The test week: Monday 2 February 2026 to Sunday 8 February, in a pemda
// whose weekday table runs Monday to Friday. Tuesday 17 February (Imlek) is
// a day off.
const (
	mon   = 2
	tue   = 3
	fri   = 6
	sat   = 7
	sun   = 8
	imlek = 17

	pemda       = "Kabupaten Gowa"
	kominfo     = "DISKOMINFO" // has a bound group
	bappeda     = "BAPPEDA"    // has no bound group
	kominfoChat = int64(-1001234567890)
)

// Employee IDs.
const (
	idAni   = 1 // DISKOMINFO head, registered
	idBudi  = 2 // registered
	idCitra = 3 // registered
	idDedi  = 4 // not registered
	idEka   = 5 // registered, excused (sakit) on Monday
	idFajar = 6 // registered, no longer active
	idGita  = 11
	idHadi  = 12
	idIndah = 13 // not registered
)

func feb(day int) apel.Date { return apel.Date{Year: 2026, Month: time.February, Day: day} }

func loadZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time.LoadLocation(%q): %v", name, err)
	}
	return loc
}

func clock(t *testing.T, hhmm string) apel.Clock {
	t.Helper()
	c, err := apel.ParseClock(hhmm)
	if err != nil {
		t.Fatalf("apel.ParseClock(%q): %v", hhmm, err)
	}
	return c
}

// testPolicy is the pemda's policy in loc: apel pagi 07:30 and sore 16:00,
// 16:30 on Friday; the window opens 15 minutes before, is late after 5,
// closes after 60 and reminds 15 minutes before it closes.
func testPolicy(loc *time.Location) apel.Policy {
	day := apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: apel.Clock{Hour: 16}, Mode: apel.WFO}
	friday := day
	friday.Sore = apel.Clock{Hour: 16, Minute: 30}
	return apel.Policy{
		Location: loc,
		Days: map[time.Weekday]apel.DayRule{
			time.Monday: day, time.Tuesday: day, time.Wednesday: day, time.Thursday: day, time.Friday: friday,
		},
		Window: apel.Window{
			OpenBefore: 15 * time.Minute, LateAfter: 5 * time.Minute,
			CloseAfter: 60 * time.Minute, RemindBefore: 15 * time.Minute,
		},
		RadiusM: 100,
		OffDays: map[apel.Date]string{feb(imlek): "Tahun Baru Imlek"},
	}
}

func testOPDs() []apel.OPD {
	return []apel.OPD{
		{Code: kominfo, Name: "Dinas Komunikasi dan Informatika", Office: apel.Point{Lat: -5.2, Lon: 119.45}},
		{Code: bappeda, Name: "Badan Perencanaan Pembangunan Daerah", Office: apel.Point{Lat: -5.21, Lon: 119.46}},
	}
}

func testEmployees() []apel.Employee {
	e := func(id int64, name, opd string, role apel.Role, tg int64) apel.Employee {
		return apel.Employee{ID: id, NIP: fmt.Sprintf("1985031220100110%02d", id), Name: name, OPD: opd, Role: role, Active: true, TelegramID: tg}
	}
	fajar := e(idFajar, "Fajar", kominfo, apel.RoleStaff, 106)
	fajar.Active = false
	return []apel.Employee{
		e(idAni, "Ani", kominfo, apel.RoleHead, 101),
		e(idBudi, "Budi", kominfo, apel.RoleStaff, 102),
		e(idCitra, "Citra", kominfo, apel.RoleStaff, 103),
		e(idDedi, "Dedi", kominfo, apel.RoleStaff, 0),
		e(idEka, "Eka", kominfo, apel.RoleStaff, 105),
		fajar,
		e(idGita, "Gita", bappeda, apel.RoleHead, 111),
		e(idHadi, "Hadi", bappeda, apel.RoleStaff, 112),
		e(idIndah, "Indah", bappeda, apel.RoleStaff, 0),
	}
}

// testClock is a settable clock, safe for use by Run's goroutines.
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

// fixture is a scheduler over the fakes with the test policy, OPDs and
// employees: DISKOMINFO's group is bound, BAPPEDA's is not, and Eka is
// excused on Monday.
type fixture struct {
	t      *testing.T
	policy apel.Policy
	opds   []apel.OPD
	clock  *testClock
	store  *fakeStore
	msgr   *fakeMessenger
	sched  *scheduler.Scheduler
}

func newFixture(t *testing.T, zone string) *fixture {
	t.Helper()
	return newFixtureWith(t, testPolicy(loadZone(t, zone)))
}

func newFixtureWith(t *testing.T, policy apel.Policy) *fixture {
	t.Helper()
	if err := policy.Validate(); err != nil {
		t.Fatalf("test policy: Validate() = %v, want nil", err)
	}
	f := &fixture{t: t, policy: policy, opds: testOPDs(), clock: &testClock{}, msgr: newFakeMessenger()}
	f.store = newFakeStore(f.opds...)
	f.msgr.Posted = f.store.Posted
	f.store.BindGroup(kominfo, kominfoChat)
	f.store.AddEmployees(testEmployees()...)
	f.store.AddExcuse(apel.Excuse{EmployeeID: idEka, Date: feb(mon), Kind: apel.Sakit, By: idAni})
	f.sched = f.newScheduler()
	return f
}

// newScheduler returns another Scheduler over the same store and messenger,
// as a restarted process would build.
func (f *fixture) newScheduler() *scheduler.Scheduler {
	return scheduler.New(scheduler.Config{
		Pemda: pemda, Policy: f.policy, OPDs: f.opds, Store: f.store, Messenger: f.msgr,
		Logger: zerolog.New(io.Discard).Level(zerolog.DebugLevel), Now: f.clock.Now,
	})
}

// at returns hh:mm on d in the policy's zone.
func (f *fixture) at(d apel.Date, hhmm string) time.Time {
	f.t.Helper()
	return d.At(clock(f.t, hhmm), f.policy.Location)
}

// slot returns the policy's slot of kind k on d.
func (f *fixture) slot(d apel.Date, k apel.SessionKind) apel.Slot {
	f.t.Helper()
	s, ok := f.policy.Slot(d, k)
	if !ok {
		f.t.Fatalf("policy.Slot(%s, %s): no slot", d, k)
	}
	return s
}

// tickAt sets the clock to now, ticks, and returns the Messenger calls that
// Tick made and its error.
func (f *fixture) tickAt(now time.Time) ([]call, error) {
	f.t.Helper()
	f.clock.Set(now)
	err := f.sched.Tick(f.t.Context())
	return f.msgr.Take(), err
}

// tick ticks at hh:mm on d and fails the test if Tick fails.
func (f *fixture) tick(d apel.Date, hhmm string) []call {
	f.t.Helper()
	calls, err := f.tickAt(f.at(d, hhmm))
	if err != nil {
		f.t.Fatalf("Tick at %s %s: error %v, want nil", d, hhmm, err)
	}
	return calls
}

// session returns the stored session of opd, d and kind.
func (f *fixture) session(opd string, d apel.Date, k apel.SessionKind) apel.Session {
	f.t.Helper()
	s, ok := f.store.Session(opd, d, k)
	if !ok {
		f.t.Fatalf("no %s session of %s on %s in the store", k, opd, d)
	}
	return s
}

// checkIn records a check-in of employee emp of opd into the session of
// kind k on d; inPlace false marks it out of the fence.
func (f *fixture) checkIn(opd string, d apel.Date, k apel.SessionKind, emp int64, late, inPlace bool) {
	f.t.Helper()
	s := f.session(opd, d, k)
	f.store.AddCheckIn(apel.CheckIn{
		SessionID: s.ID, EmployeeID: emp, Mode: apel.WFO, ModeReason: apel.ModeByWeekday,
		Verdict: apel.Verdict{Late: late, Place: apel.PlaceOffice, InPlace: inPlace},
	})
}

// brief is a one-line description of c, for diffs.
func brief(c call) string {
	var s string
	switch c.Method {
	case mPostPrompt:
		s = fmt.Sprintf("PostPrompt %s %s", c.OPD, c.Session.Kind)
	case mShowProgress:
		s = fmt.Sprintf("ShowProgress %s %s present=%d", c.OPD, c.Session.Kind, c.Tally.Present)
	case mRemind:
		s = fmt.Sprintf("Remind %s %s", c.Employee.Name, c.Session.Kind)
	case mSendSummary:
		s = fmt.Sprintf("SendSummary %s %s %s", c.Employee.Name, c.OPD, c.Session.Kind)
	case mSendDailyReport:
		s = fmt.Sprintf("SendDailyReport %s", c.Report.Date)
	default:
		s = c.Method
	}
	if c.Err != nil {
		s += " (failed)"
	}
	return s
}

// briefs describes calls, sorted: the order of independent sends is not part
// of the contract.
func briefs(calls []call) []string {
	out := make([]string, 0, len(calls))
	for _, c := range calls {
		out = append(out, brief(c))
	}
	sort.Strings(out)
	return out
}

// only returns the calls of method.
func only(method string, calls []call) []call {
	var out []call
	for _, c := range calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func TestFixtureCalendar(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		day  int
		want time.Weekday
	}{{mon, time.Monday}, {tue, time.Tuesday}, {fri, time.Friday}, {sat, time.Saturday}, {sun, time.Sunday}, {imlek, time.Tuesday}} {
		if got := feb(tc.day).Weekday(); got != tc.want {
			t.Errorf("feb(%d).Weekday() = %v, want %v", tc.day, got, tc.want)
		}
	}
}

func TestTickBeforeOpeningDoesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		delta time.Duration // before 07:15, when apel pagi opens
	}{
		{"midnight", 7*time.Hour + 15*time.Minute},
		{"one minute before", time.Minute},
		{"one nanosecond before", time.Nanosecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			now := f.at(feb(mon), "07:15").Add(-tc.delta)
			calls, err := f.tickAt(now)
			if err != nil || len(calls) != 0 {
				t.Errorf("Tick at %v: calls %v, error %v; want no calls, nil", now, briefs(calls), err)
			}
			if got := f.store.AllSessions(); len(got) != 0 {
				t.Errorf("Tick at %v: sessions %+v, want none", now, got)
			}
		})
	}
}

func TestTickOpensSessionsOfEveryOPDAndPromptsBoundGroups(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	pagi := f.slot(feb(mon), apel.Pagi)

	calls := f.tick(feb(mon), "07:15")

	want := []apel.Session{
		{ID: 1, OPD: kominfo, Slot: pagi, ChatID: kominfoChat, MessageID: 1001},
		{ID: 2, OPD: bappeda, Slot: pagi},
	}
	if diff := cmp.Diff(want, f.store.AllSessions()); diff != "" {
		t.Errorf("Tick at Mon 07:15: stored sessions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(calls)); diff != "" {
		t.Fatalf("Tick at Mon 07:15: calls (-want +got):\n%s", diff)
	}
	// Eka is excused, Fajar is inactive: five on the roster, four awaited.
	wantTally := apel.Tally{Held: true, Headcount: 5, Excused: 1, Pending: 4}
	if diff := cmp.Diff(wantTally, calls[0].Tally); diff != "" {
		t.Errorf("Tick at Mon 07:15: prompt tally (-want +got):\n%s", diff)
	}
	if got := calls[0].Session; got.ChatID != kominfoChat || got.Slot != pagi {
		t.Errorf("Tick at Mon 07:15: prompt for chat %d, slot %+v; want chat %d, slot %+v", got.ChatID, got.Slot, kominfoChat, pagi)
	}

	for _, hhmm := range []string{"07:16", "07:30", "08:14"} {
		if calls := f.tick(feb(mon), hhmm); len(calls) != 0 {
			t.Errorf("second Tick at Mon %s: calls %v, want none", hhmm, briefs(calls))
		}
	}
	if diff := cmp.Diff(want, f.store.AllSessions()); diff != "" {
		t.Errorf("after repeated Ticks: stored sessions (-want +got):\n%s", diff)
	}
}

func TestTickRetriesFailedPrompt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.msgr.FailNext(mPostPrompt, 1)

	calls, err := f.tickAt(f.at(feb(mon), "07:15"))
	if !errors.Is(err, errFake) {
		t.Errorf("Tick at Mon 07:15 with PostPrompt failing: error %v, want one wrapping %v", err, errFake)
	}
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi (failed)"}, briefs(calls)); diff != "" {
		t.Errorf("Tick at Mon 07:15: calls (-want +got):\n%s", diff)
	}
	if s := f.session(kominfo, feb(mon), apel.Pagi); s.MessageID != 0 {
		t.Errorf("after a failed prompt: session MessageID %d, want 0", s.MessageID)
	}
	f.session(bappeda, feb(mon), apel.Pagi) // opened despite the failure

	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(f.tick(feb(mon), "07:16"))); diff != "" {
		t.Errorf("Tick at Mon 07:16: calls (-want +got):\n%s", diff)
	}
	if s := f.session(kominfo, feb(mon), apel.Pagi); s.MessageID != 1001 || s.ChatID != kominfoChat {
		t.Errorf("after the retry: session chat %d message %d, want chat %d message 1001", s.ChatID, s.MessageID, kominfoChat)
	}
	if calls := f.tick(feb(mon), "07:17"); len(calls) != 0 {
		t.Errorf("Tick at Mon 07:17: calls %v, want none", briefs(calls))
	}
}

func TestTickPromptsGroupBoundDuringWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.tick(feb(mon), "07:15")
	f.store.BindGroup(bappeda, -1009)

	calls := f.tick(feb(mon), "07:40")
	if diff := cmp.Diff([]string{"PostPrompt BAPPEDA pagi"}, briefs(calls)); diff != "" {
		t.Errorf("Tick at Mon 07:40 after binding BAPPEDA's group: calls (-want +got):\n%s", diff)
	}
	if s := f.session(bappeda, feb(mon), apel.Pagi); s.ChatID != -1009 || s.MessageID == 0 {
		t.Errorf("BAPPEDA session: chat %d message %d, want chat -1009 and a message", s.ChatID, s.MessageID)
	}
}

func TestTickShowsProgressOnlyWhenCountChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	steps := []struct {
		at      string
		before  func()
		want    []string
		wantErr bool
	}{
		{at: "07:15", want: []string{"PostPrompt DISKOMINFO pagi"}},
		{at: "07:20"},
		{at: "07:25", before: func() { f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true) },
			want: []string{"ShowProgress DISKOMINFO pagi present=1"}},
		{at: "07:26"},
		// BAPPEDA has no prompt to edit, and DISKOMINFO's count did not move.
		{at: "07:30", before: func() { f.checkIn(bappeda, d, apel.Pagi, idHadi, false, true) }},
		// An excuse is not a check-in: the shown count stays.
		{at: "07:31", before: func() {
			f.store.AddExcuse(apel.Excuse{EmployeeID: idDedi, Date: d, Kind: apel.Izin, By: idAni})
		}},
		{at: "07:40", before: func() { f.checkIn(kominfo, d, apel.Pagi, idCitra, true, true) },
			want: []string{"ShowProgress DISKOMINFO pagi present=2"}},
		{at: "07:41"},
		{at: "07:45", before: func() {
			f.checkIn(kominfo, d, apel.Pagi, idAni, true, true)
			f.msgr.FailNext(mShowProgress, 1)
		}, want: []string{"ShowProgress DISKOMINFO pagi present=3 (failed)"}, wantErr: true},
		{at: "07:46", want: []string{"ShowProgress DISKOMINFO pagi present=3"}},
		{at: "07:47"},
	}
	var last call
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		calls, err := f.tickAt(f.at(d, st.at))
		if (err != nil) != st.wantErr || (err != nil && !errors.Is(err, errFake)) {
			t.Errorf("Tick at Mon %s: error %v, want error %v", st.at, err, st.wantErr)
		}
		if diff := cmp.Diff(st.want, briefs(calls), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Tick at Mon %s: calls (-want +got):\n%s", st.at, diff)
		}
		if p := only(mShowProgress, calls); len(p) > 0 {
			last = p[len(p)-1]
		}
	}
	want := apel.Tally{Held: true, Headcount: 5, Present: 3, Late: 2, WFO: 3, Excused: 2}
	if diff := cmp.Diff(want, last.Tally); diff != "" {
		t.Errorf("last progress tally (-want +got):\n%s", diff)
	}
	if s := f.session(kominfo, d, apel.Pagi); s.Shown != 3 {
		t.Errorf("stored Shown = %d, want 3", s.Shown)
	}
}

func TestTickRemindsPendingRegisteredEmployeesOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	f.tick(d, "07:15")
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	f.checkIn(bappeda, d, apel.Pagi, idHadi, false, true)

	if diff := cmp.Diff([]string{"ShowProgress DISKOMINFO pagi present=1"}, briefs(f.tick(d, "08:14"))); diff != "" {
		t.Errorf("Tick at Mon 08:14, before reminder time: calls (-want +got):\n%s", diff)
	}

	// Budi and Hadi checked in, Eka is excused, Dedi and Indah have no
	// Telegram account, Fajar is inactive.
	calls := f.tick(d, "08:15")
	want := []string{"Remind Ani pagi", "Remind Citra pagi", "Remind Gita pagi"}
	if diff := cmp.Diff(want, briefs(calls)); diff != "" {
		t.Errorf("Tick at Mon 08:15: calls (-want +got):\n%s", diff)
	}
	for _, c := range calls {
		if s := f.session(c.Employee.OPD, d, apel.Pagi); c.Session.ID != s.ID {
			t.Errorf("reminder to %s: session %d, want %d (%s pagi)", c.Employee.Name, c.Session.ID, s.ID, c.Employee.OPD)
		}
	}
	for _, opd := range []string{kominfo, bappeda} {
		if _, reminded := f.store.Stamps(f.session(opd, d, apel.Pagi).ID); !reminded.Equal(f.at(d, "08:15")) {
			t.Errorf("%s pagi reminded at %v, want %v", opd, reminded, f.at(d, "08:15"))
		}
	}

	for _, hhmm := range []string{"08:16", "08:29"} {
		if calls := f.tick(d, hhmm); len(calls) != 0 {
			t.Errorf("Tick at Mon %s: calls %v, want none", hhmm, briefs(calls))
		}
	}
}

// summaryView is the part of an apel.Summary the tests compare.
type summaryView struct {
	Head                              string
	OPD                               string
	SessionID                         int64
	Closed                            bool
	Tally                             apel.Tally
	Absent, Late, OutOfPlace, Excused []string
}

func viewSummary(c call) summaryView {
	names := func(as []apel.Attendance) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Employee.Name)
		}
		return out
	}
	s := c.Summary
	return summaryView{
		Head: c.Employee.Name, OPD: s.OPD.Code, SessionID: s.Session.ID, Closed: s.Session.Closed, Tally: s.Tally,
		Absent: names(s.Absent), Late: names(s.Late), OutOfPlace: names(s.OutOfPlace), Excused: names(s.Excused),
	}
}

func TestTickClosesSessionsAndSendsSummaries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	f.tick(d, "07:15")
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	f.checkIn(kominfo, d, apel.Pagi, idCitra, true, false) // late and outside the fence
	f.checkIn(bappeda, d, apel.Pagi, idHadi, false, true)
	f.tick(d, "08:00")
	kSess, bSess := f.session(kominfo, d, apel.Pagi), f.session(bappeda, d, apel.Pagi)

	calls := f.tick(d, "08:30")

	want := []string{
		"SendSummary Ani DISKOMINFO pagi",
		"SendSummary Gita BAPPEDA pagi",
		"ShowProgress DISKOMINFO pagi present=2",
	}
	if diff := cmp.Diff(want, briefs(calls)); diff != "" {
		t.Fatalf("Tick at Mon 08:30: calls (-want +got):\n%s", diff)
	}
	kTally := apel.Tally{Held: true, Headcount: 5, Present: 2, Late: 1, OutOfPlace: 1, WFO: 2, Excused: 1, Absent: 2}
	bTally := apel.Tally{Held: true, Headcount: 3, Present: 1, WFO: 1, Absent: 2}
	wantSums := []summaryView{
		{Head: "Ani", OPD: kominfo, SessionID: kSess.ID, Closed: true, Tally: kTally,
			Absent: []string{"Ani", "Dedi"}, Late: []string{"Citra"}, OutOfPlace: []string{"Citra"}, Excused: []string{"Eka"}},
		{Head: "Gita", OPD: bappeda, SessionID: bSess.ID, Closed: true, Tally: bTally,
			Absent: []string{"Gita", "Indah"}},
	}
	var gotSums []summaryView
	for _, c := range only(mSendSummary, calls) {
		gotSums = append(gotSums, viewSummary(c))
	}
	sortByHead := cmpopts.SortSlices(func(a, b summaryView) bool { return a.Head < b.Head })
	if diff := cmp.Diff(wantSums, gotSums, sortByHead, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Tick at Mon 08:30: summaries (-want +got):\n%s", diff)
	}
	final := only(mShowProgress, calls)[0]
	if diff := cmp.Diff(kTally, final.Tally); diff != "" || !final.Session.Closed || final.Session.MessageID != kSess.MessageID {
		t.Errorf("final progress: session closed=%v message %d, tally diff (-want +got):\n%s\nwant closed=true message %d",
			final.Session.Closed, final.Session.MessageID, diff, kSess.MessageID)
	}
	for _, s := range []apel.Session{kSess, bSess} {
		if closedAt, _ := f.store.Stamps(s.ID); !closedAt.Equal(f.at(d, "08:30")) {
			t.Errorf("%s pagi closed at %v, want %v", s.OPD, closedAt, f.at(d, "08:30"))
		}
		if !f.session(s.OPD, d, apel.Pagi).Closed {
			t.Errorf("%s pagi: Closed false after close", s.OPD)
		}
	}

	for _, hhmm := range []string{"08:30", "08:31", "12:00", "15:44"} {
		if calls := f.tick(d, hhmm); len(calls) != 0 {
			t.Errorf("Tick again at Mon %s: calls %v, want none", hhmm, briefs(calls))
		}
	}
}

func TestTickCloseSkipsUnregisteredHeads(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.store.AddEmployees(apel.Employee{ID: 14, Name: "Joko", OPD: bappeda, Role: apel.RoleHead, Active: true})
	f.tick(feb(mon), "07:15")
	want := []string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi", "ShowProgress DISKOMINFO pagi present=0"}
	if diff := cmp.Diff(want, briefs(f.tick(feb(mon), "08:30"))); diff != "" {
		t.Errorf("Tick at Mon 08:30 with an unregistered second head: calls (-want +got):\n%s", diff)
	}
}

// playMonday runs Monday through the given check-ins: pagi with Budi on
// time, Citra late outside the fence and Hadi; sore with Budi, Citra and
// Gita on time.
func playMonday(f *fixture) {
	f.t.Helper()
	d := feb(mon)
	f.tick(d, "07:15")
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	f.checkIn(kominfo, d, apel.Pagi, idCitra, true, false)
	f.checkIn(bappeda, d, apel.Pagi, idHadi, false, true)
	f.tick(d, "08:30")
	f.tick(d, "15:45")
	f.checkIn(kominfo, d, apel.Sore, idBudi, false, true)
	f.checkIn(kominfo, d, apel.Sore, idCitra, false, true)
	f.checkIn(bappeda, d, apel.Sore, idGita, false, true)
	f.tick(d, "16:59")
}

func TestTickSendsDailyReportOnceAfterSoreCloses(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	playMonday(f)
	if r := only(mSendDailyReport, f.msgr.Calls()); len(r) != 0 {
		t.Fatalf("before Mon 17:00: %d daily reports sent, want none", len(r))
	}

	calls := f.tick(d, "17:00")
	reports := only(mSendDailyReport, calls)
	if len(reports) != 1 {
		t.Fatalf("Tick at Mon 17:00: calls %v, want exactly one SendDailyReport", briefs(calls))
	}
	opds := testOPDs()
	kPagi := apel.Tally{Held: true, Headcount: 5, Present: 2, Late: 1, OutOfPlace: 1, WFO: 2, Excused: 1, Absent: 2}
	bPagi := apel.Tally{Held: true, Headcount: 3, Present: 1, WFO: 1, Absent: 2}
	kSore := apel.Tally{Held: true, Headcount: 5, Present: 2, WFO: 2, Excused: 1, Absent: 2}
	bSore := apel.Tally{Held: true, Headcount: 3, Present: 1, WFO: 1, Absent: 2}
	want := apel.DailyReport{
		Pemda: pemda, Date: d, Headcount: 8,
		OPDs: []apel.OPDDay{
			{OPD: opds[0], Pagi: kPagi, Sore: kSore},
			{OPD: opds[1], Pagi: bPagi, Sore: bSore},
		},
		Pagi: apel.Tally{Held: true, Headcount: 8, Present: 3, Late: 1, OutOfPlace: 1, WFO: 3, Excused: 1, Absent: 4},
		Sore: apel.Tally{Held: true, Headcount: 8, Present: 3, WFO: 3, Excused: 1, Absent: 4},
		// The plan of a WFO Monday: everyone in office but Eka, excused.
		Plan: apel.PlanTally{Planned: true, Headcount: 8, WFO: 7, Excused: 1},
	}
	want.OPDs[0].Plan = apel.PlanTally{Planned: true, Headcount: 5, WFO: 4, Excused: 1}
	want.OPDs[1].Plan = apel.PlanTally{Planned: true, Headcount: 3, WFO: 3}
	if diff := cmp.Diff(want, reports[0].Report); diff != "" {
		t.Errorf("Tick at Mon 17:00: daily report (-want +got):\n%s", diff)
	}
	if at, ok := f.store.DoneAt("report:2026-02-02"); !ok || !at.Equal(f.at(d, "17:00")) {
		t.Errorf("job report:2026-02-02 done at %v (%v), want %v", at, ok, f.at(d, "17:00"))
	}
	for _, hhmm := range []string{"17:00", "17:01", "23:59"} {
		if calls := f.tick(d, hhmm); len(calls) != 0 {
			t.Errorf("Tick again at Mon %s: calls %v, want none", hhmm, briefs(calls))
		}
	}
}

func TestTickFridaySoreAt1630(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(fri)
	f.tick(d, "07:15")
	f.tick(d, "08:30")
	steps := []struct {
		at   string
		want []string
	}{
		{"15:45", nil}, // Monday to Thursday's sore opening
		{"16:14", nil},
		{"16:15", []string{"PostPrompt DISKOMINFO sore"}},
		{"17:14", nil},
		{"17:15", []string{"Remind Ani sore", "Remind Budi sore", "Remind Citra sore", "Remind Eka sore", "Remind Gita sore", "Remind Hadi sore"}},
		{"17:29", nil},
		{"17:30", []string{"SendDailyReport 2026-02-06", "SendSummary Ani DISKOMINFO sore", "SendSummary Gita BAPPEDA sore", "ShowProgress DISKOMINFO sore present=0"}},
	}
	for _, st := range steps {
		if diff := cmp.Diff(st.want, briefs(f.tick(d, st.at)), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Tick at Fri %s: calls (-want +got):\n%s", st.at, diff)
		}
	}
}

func TestTickReportRetry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		arm  func(f *fixture)
		want [][]string // SendDailyReport calls at 17:00, 17:01, 17:02
		errs []bool     // whether those Ticks fail; nil means only the first
	}{
		{
			name: "SendDailyReport fails once",
			arm:  func(f *fixture) { f.msgr.FailNext(mSendDailyReport, 1) },
			want: [][]string{{"SendDailyReport 2026-02-02 (failed)"}, {"SendDailyReport 2026-02-02"}, nil},
		},
		{
			name: "SendDailyReport fails twice",
			arm:  func(f *fixture) { f.msgr.FailNext(mSendDailyReport, 2) },
			want: [][]string{{"SendDailyReport 2026-02-02 (failed)"}, {"SendDailyReport 2026-02-02 (failed)"}, {"SendDailyReport 2026-02-02"}},
			errs: []bool{true, true, false},
		},
		{
			name: "Store.Done fails once",
			arm:  func(f *fixture) { f.store.Fail = failing(map[string]int{"Done": 1}) },
			want: [][]string{nil, {"SendDailyReport 2026-02-02"}, nil},
		},
		{
			name: "Store.Day fails once",
			arm:  func(f *fixture) { f.store.Fail = failing(map[string]int{"Day": 1}) },
			want: [][]string{nil, {"SendDailyReport 2026-02-02"}, nil},
		},
		{
			// At least once: a report whose done mark was lost goes out again.
			name: "Store.MarkDone fails once",
			arm:  func(f *fixture) { f.store.Fail = failing(map[string]int{"MarkDone": 1}) },
			want: [][]string{{"SendDailyReport 2026-02-02"}, {"SendDailyReport 2026-02-02"}, nil},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			d := feb(mon)
			playMonday(f)
			tc.arm(f)
			for i, hhmm := range []string{"17:00", "17:01", "17:02"} {
				calls, err := f.tickAt(f.at(d, hhmm))
				got := briefs(only(mSendDailyReport, calls))
				if diff := cmp.Diff(tc.want[i], got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("Tick at Mon %s: daily report calls (-want +got):\n%s", hhmm, diff)
				}
				wantErr := i == 0
				if tc.errs != nil {
					wantErr = tc.errs[i]
				}
				if (err != nil) != wantErr || (err != nil && !errors.Is(err, errFake)) {
					t.Errorf("Tick at Mon %s: error %v, want error %v wrapping %v", hhmm, err, wantErr, errFake)
				}
			}
			if _, ok := f.store.DoneAt("report:2026-02-02"); !ok {
				t.Errorf("report:2026-02-02 not marked done after the retry")
			}
		})
	}
}

func TestTickOnDaysOffDoesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		day  int
	}{{"Saturday", sat}, {"Sunday", sun}, {"Imlek, an OffDay on a Tuesday", imlek}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			for _, hhmm := range []string{"00:00", "07:15", "08:15", "08:30", "15:45", "16:45", "17:00", "23:59"} {
				calls, err := f.tickAt(f.at(feb(tc.day), hhmm))
				if err != nil || len(calls) != 0 {
					t.Errorf("Tick on %s %s: calls %v, error %v; want none, nil", feb(tc.day), hhmm, briefs(calls), err)
				}
			}
			if got := f.store.AllSessions(); len(got) != 0 {
				t.Errorf("after Ticks on %s: sessions %+v, want none", feb(tc.day), got)
			}
			if _, ok := f.store.DoneAt("report:" + feb(tc.day).String()); ok {
				t.Errorf("after Ticks on %s: daily report marked done, want not", feb(tc.day))
			}
		})
	}
}

// TestTickAfterDowntime documents the catch-up of a scheduler whose first
// Tick comes late: a window that is still open is opened (and reminded, past
// the reminder time); a window that closed while the bot was down is not
// opened late, and the daily report shows that session as not held.
func TestTickAfterDowntime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		at   string
		want []string
	}{
		{"inside the window", "08:00", []string{"PostPrompt DISKOMINFO pagi"}},
		{"past the reminder time", "08:20", []string{
			"PostPrompt DISKOMINFO pagi",
			"Remind Ani pagi", "Remind Budi pagi", "Remind Citra pagi", "Remind Gita pagi", "Remind Hadi pagi",
		}},
		{"on the closing minute", "08:30", nil},
		{"after the window", "09:10", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			if diff := cmp.Diff(tc.want, briefs(f.tick(feb(mon), tc.at)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("first Tick at Mon %s: calls (-want +got):\n%s", tc.at, diff)
			}
			wantSessions := 2
			if tc.want == nil {
				wantSessions = 0
			}
			if got := f.store.AllSessions(); len(got) != wantSessions {
				t.Errorf("first Tick at Mon %s: %d sessions, want %d", tc.at, len(got), wantSessions)
			}
		})
	}

	t.Run("missed pagi is reported as not held", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "Asia/Makassar")
		d := feb(mon)
		f.tick(d, "09:10")
		f.tick(d, "15:45")
		calls := f.tick(d, "17:05")
		reports := only(mSendDailyReport, calls)
		if len(reports) != 1 {
			t.Fatalf("Tick at Mon 17:05: calls %v, want one SendDailyReport", briefs(calls))
		}
		opds := testOPDs()
		want := apel.DailyReport{
			Pemda: pemda, Date: d,
			OPDs: []apel.OPDDay{
				{OPD: opds[0], Pagi: apel.Tally{Headcount: 5}, Sore: apel.Tally{Held: true, Headcount: 5, Excused: 1, Absent: 4}},
				{OPD: opds[1], Pagi: apel.Tally{Headcount: 3}, Sore: apel.Tally{Held: true, Headcount: 3, Absent: 3}},
			},
			Headcount: 8,
			Sore:      apel.Tally{Held: true, Headcount: 8, Excused: 1, Absent: 7},
			Plan:      apel.PlanTally{Planned: true, Headcount: 8, WFO: 7, Excused: 1},
		}
		want.OPDs[0].Plan = apel.PlanTally{Planned: true, Headcount: 5, WFO: 4, Excused: 1}
		want.OPDs[1].Plan = apel.PlanTally{Planned: true, Headcount: 3, WFO: 3}
		if diff := cmp.Diff(want, reports[0].Report); diff != "" {
			t.Errorf("daily report after missing pagi (-want +got):\n%s", diff)
		}
	})

	t.Run("restart after the window closes sessions opened before", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "Asia/Makassar")
		d := feb(mon)
		f.tick(d, "07:15")
		f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
		f.sched = f.newScheduler() // the process restarts; the store remains
		calls := f.tick(d, "09:10")
		want := []string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi", "ShowProgress DISKOMINFO pagi present=1"}
		if diff := cmp.Diff(want, briefs(calls)); diff != "" {
			t.Errorf("first Tick after restart at Mon 09:10: calls (-want +got):\n%s", diff)
		}
		// Closed when the scheduler came back, not at 08:30.
		if closedAt, _ := f.store.Stamps(f.session(kominfo, d, apel.Pagi).ID); !closedAt.Equal(f.at(d, "09:10")) {
			t.Errorf("DISKOMINFO pagi closed at %v, want %v", closedAt, f.at(d, "09:10"))
		}
	})
}

// TestTickTimeZones checks that Tick follows the policy's zone whatever the
// zone of the instant its clock returns: 07:15 on Monday in WIB, WITA and
// WIT is 00:15Z Monday, 23:15Z and 22:15Z on Sunday.
func TestTickTimeZones(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone        string
		opens       time.Time // 07:15 Monday in zone
		closesSore  time.Time // 17:00 Monday in zone
		clockInZone string    // the zone of the instants the clock returns
	}{
		{"Asia/Jakarta", time.Date(2026, 2, 2, 0, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC), "UTC"},
		{"Asia/Makassar", time.Date(2026, 2, 1, 23, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC), "UTC"},
		{"Asia/Jayapura", time.Date(2026, 2, 1, 22, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC), "UTC"},
		{"Asia/Jayapura", time.Date(2026, 2, 1, 22, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC), "Asia/Jayapura"},
		{"Asia/Jayapura", time.Date(2026, 2, 1, 22, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC), "America/Los_Angeles"},
		{"Asia/Jayapura", time.Date(2026, 2, 1, 22, 15, 0, 0, time.UTC), time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC), "Pacific/Kiritimati"},
	} {
		t.Run(tc.zone+" clock in "+tc.clockInZone, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.zone)
			in := loadZone(t, tc.clockInZone)
			tickAt := func(at time.Time) []call {
				t.Helper()
				calls, err := f.tickAt(at.In(in))
				if err != nil {
					t.Fatalf("Tick at %v: error %v, want nil", at.In(in), err)
				}
				return calls
			}
			if calls := tickAt(tc.opens.Add(-time.Second)); len(calls) != 0 || len(f.store.AllSessions()) != 0 {
				t.Errorf("Tick at %v: calls %v, sessions %d; want none before opening", tc.opens.Add(-time.Second), briefs(calls), len(f.store.AllSessions()))
			}
			if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(tickAt(tc.opens))); diff != "" {
				t.Errorf("Tick at %v: calls (-want +got):\n%s", tc.opens, diff)
			}
			s := f.session(kominfo, feb(mon), apel.Pagi)
			if !s.Opens.Equal(tc.opens) || s.Opens.Location() != f.policy.Location {
				t.Errorf("opened session: Opens %v, want %v in %s", s.Opens, tc.opens, tc.zone)
			}
			tickAt(tc.closesSore.Add(-time.Hour)) // closes pagi, opens sore
			if r := only(mSendDailyReport, tickAt(tc.closesSore.Add(-time.Second))); len(r) != 0 {
				t.Errorf("Tick at %v: daily report sent one second before sore closes", tc.closesSore.Add(-time.Second))
			}
			r := only(mSendDailyReport, tickAt(tc.closesSore))
			if len(r) != 1 || r[0].Report.Date != feb(mon) {
				t.Errorf("Tick at %v: daily reports %v, want one for %s", tc.closesSore, briefs(r), feb(mon))
			}
		})
	}
}

func TestTickStoreFailuresAreRetried(t *testing.T) {
	t.Parallel()
	checkInBudi := func(f *fixture) { f.checkIn(kominfo, feb(mon), apel.Pagi, idBudi, false, true) }
	for _, tc := range []struct {
		method    string   // a fakeStore.Fail key, failing once
		prep      []string // ticks before the failure is armed
		fail, ok  string   // the failing Tick, then the one that recovers
		wantFail  []string
		wantRetry []string
		times     int              // how many calls fail; 0 means 1
		before    func(f *fixture) // after prep, before the failing Tick
	}{
		{"Groups", nil, "07:15", "07:16", nil, []string{"PostPrompt DISKOMINFO pagi"}, 0, nil},
		// The first OpenSession call (DISKOMINFO) fails; BAPPEDA opens.
		{"OpenSession", nil, "07:15", "07:16", nil, []string{"PostPrompt DISKOMINFO pagi"}, 0, nil},
		{"EmployeesOf", nil, "07:15", "07:16", nil, []string{"PostPrompt DISKOMINFO pagi"}, 0, nil},
		{"CheckInsOf", nil, "07:15", "07:16", nil, []string{"PostPrompt DISKOMINFO pagi"}, 0, nil},
		{"Excuses", nil, "07:15", "07:16", nil, []string{"PostPrompt DISKOMINFO pagi"}, 0, nil},
		// The prompt was queued but the scheduler could not record it; the
		// fake messenger posts at once and records the post itself, so the
		// next Tick sees it and queues nothing. (Not posted yet, it would be
		// queued again and delivered once, by the Messenger contract.)
		{"MarkPromptQueued", nil, "07:15", "07:16", []string{"PostPrompt DISKOMINFO pagi"}, nil, 0, nil},
		// The shown count was not recorded: the next Tick edits the prompt
		// only if the count differs from the stale one, which it does not.
		{"SetShown", nil, "07:15", "07:16", []string{"PostPrompt DISKOMINFO pagi"}, nil, 0, nil},
		{"Sessions", []string{"07:15"}, "08:30", "08:31", nil,
			[]string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi", "ShowProgress DISKOMINFO pagi present=0"}, 0, nil},
		// BAPPEDA's close (the first) fails after its summary was queued: the
		// summary is queued again with the close.
		{"CloseSession", []string{"07:15"}, "08:30", "08:31",
			[]string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi", "ShowProgress DISKOMINFO pagi present=0"},
			[]string{"SendSummary Gita BAPPEDA pagi"}, 0, nil},
		{"MarkReminded", []string{"07:15"}, "08:15", "08:16",
			[]string{"Remind Ani pagi", "Remind Citra pagi", "Remind Budi pagi", "Remind Gita pagi", "Remind Hadi pagi"},
			[]string{"Remind Gita pagi", "Remind Hadi pagi"}, 0, nil},
		// Both progress and remind list the sessions at 08:15.
		{"Sessions", []string{"07:15"}, "08:15", "08:16", nil,
			[]string{"Remind Ani pagi", "Remind Budi pagi", "Remind Citra pagi", "Remind Gita pagi", "Remind Hadi pagi"}, 2, nil},
		{"EmployeesOf DISKOMINFO", []string{"07:15"}, "07:20", "07:21", nil,
			[]string{"ShowProgress DISKOMINFO pagi present=1"}, 0, checkInBudi},
		// The edit went out but its count was not recorded: it is made again.
		{"SetShown", []string{"07:15"}, "07:20", "07:21", []string{"ShowProgress DISKOMINFO pagi present=1"},
			[]string{"ShowProgress DISKOMINFO pagi present=1"}, 0, checkInBudi},
	} {
		t.Run(tc.method+" at "+tc.fail, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			d := feb(mon)
			for _, hhmm := range tc.prep {
				f.tick(d, hhmm)
			}
			if tc.before != nil {
				tc.before(f)
			}
			f.store.Fail = failing(map[string]int{tc.method: max(tc.times, 1)})
			calls, err := f.tickAt(f.at(d, tc.fail))
			if !errors.Is(err, errFake) {
				t.Errorf("Tick at Mon %s with %s failing once: error %v, want one wrapping %v", tc.fail, tc.method, err, errFake)
			}
			sort.Strings(tc.wantFail)
			if diff := cmp.Diff(tc.wantFail, briefs(calls), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Tick at Mon %s with %s failing once: calls (-want +got):\n%s", tc.fail, tc.method, diff)
			}
			calls, err = f.tickAt(f.at(d, tc.ok))
			if err != nil {
				t.Errorf("Tick at Mon %s after %s recovered: error %v, want nil", tc.ok, tc.method, err)
			}
			sort.Strings(tc.wantRetry)
			if diff := cmp.Diff(tc.wantRetry, briefs(calls), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Tick at Mon %s after %s recovered: calls (-want +got):\n%s", tc.ok, tc.method, diff)
			}
			if got := len(f.store.AllSessions()); got != 2 {
				t.Errorf("after the retry: %d sessions, want 2", got)
			}
		})
	}
}

// TestTickRequeuesRemindersAndSummaries: reminders and head summaries are
// queued before the step is recorded done, so one that cannot be queued is
// reported in Tick's error, the others are still queued, and the next Tick
// queues the session's messages again (each delivered once, by the
// Messenger contract) before recording the step.
func TestTickRequeuesRemindersAndSummaries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method   string
		prep     []string
		at, next string
		want     []string
		again    []string
	}{
		{mRemind, []string{"07:15"}, "08:15", "08:16",
			[]string{"Remind Ani pagi", "Remind Budi pagi", "Remind Citra pagi", "Remind Gita pagi (failed)", "Remind Hadi pagi"},
			[]string{"Remind Gita pagi", "Remind Hadi pagi"}},
		{mSendSummary, []string{"07:15"}, "08:30", "08:31",
			[]string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi (failed)", "ShowProgress DISKOMINFO pagi present=0"},
			[]string{"SendSummary Gita BAPPEDA pagi"}},
		{mShowProgress, []string{"07:15"}, "08:30", "08:31",
			[]string{"SendSummary Ani DISKOMINFO pagi", "SendSummary Gita BAPPEDA pagi", "ShowProgress DISKOMINFO pagi present=0 (failed)"},
			[]string{"SendSummary Ani DISKOMINFO pagi", "ShowProgress DISKOMINFO pagi present=0"}},
	} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			d := feb(mon)
			for _, hhmm := range tc.prep {
				f.tick(d, hhmm)
			}
			f.msgr.FailNext(tc.method, 1)
			calls, err := f.tickAt(f.at(d, tc.at))
			if !errors.Is(err, errFake) {
				t.Errorf("Tick at Mon %s with %s failing once: error %v, want one wrapping %v", tc.at, tc.method, err, errFake)
			}
			if diff := cmp.Diff(tc.want, briefs(calls)); diff != "" {
				t.Errorf("Tick at Mon %s with %s failing once: calls (-want +got):\n%s", tc.at, tc.method, diff)
			}
			if diff := cmp.Diff(tc.again, briefs(f.tick(d, tc.next))); diff != "" {
				t.Errorf("Tick at Mon %s: calls (-want +got):\n%s", tc.next, diff)
			}
			if calls := f.tick(d, tc.next); len(calls) != 0 {
				t.Errorf("Tick at Mon %s again: calls %v, want none", tc.next, briefs(calls))
			}
		})
	}
}

// staleStore is a fakeStore whose Sessions returns a snapshot taken
// earlier, as a second process sees it when it read just before the first
// one wrote.
type staleStore struct {
	*fakeStore
	snapshot []apel.Session
}

func (s *staleStore) Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error) {
	return slices.Clone(s.snapshot), nil
}

// TestTickRacingSchedulersActOnce: two schedulers on one store (an
// overlapping deploy) both decide to close and remind. The second, on a
// stale read, queues the same messages again, which the Messenger contract
// makes harmless (each is delivered once), and records nothing twice.
func TestTickRacingSchedulersActOnce(t *testing.T) {
	t.Parallel()
	for _, at := range []string{"08:15", "08:30"} {
		t.Run(at, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			d := feb(mon)
			f.tick(d, "07:15")
			snapshot, err := f.store.Sessions(t.Context(), d)
			if err != nil {
				t.Fatal(err)
			}
			other := scheduler.New(scheduler.Config{
				Pemda: pemda, Policy: f.policy, OPDs: f.opds, Messenger: f.msgr, Logger: zerolog.Nop(), Now: f.clock.Now,
				Store: &staleStore{fakeStore: f.store, snapshot: snapshot},
			})
			first := f.tick(d, at)
			if len(first) == 0 {
				t.Fatalf("first scheduler's Tick at Mon %s: no calls", at)
			}
			if err := other.Tick(t.Context()); err != nil {
				t.Errorf("second scheduler's Tick at Mon %s: error %v, want nil", at, err)
			}
			if diff := cmp.Diff(briefs(first), briefs(f.msgr.Take())); diff != "" {
				t.Errorf("second scheduler's Tick at Mon %s on a stale read: calls (-first +second), want the same messages queued again:\n%s", at, diff)
			}
			if calls := f.tick(d, at); len(calls) != 0 {
				t.Errorf("Tick at Mon %s after both: calls %v, want none", at, briefs(calls))
			}
		})
	}
}

func TestNewDefaultsToTheSystemClock(t *testing.T) {
	t.Parallel()
	// With no working day, Tick has nothing to do whatever time.Now says;
	// what is checked is that a nil Now does not crash Tick.
	p := testPolicy(loadZone(t, "Asia/Makassar"))
	p.Days = nil
	msgr := newFakeMessenger()
	s := scheduler.New(scheduler.Config{Pemda: pemda, Policy: p, OPDs: testOPDs(), Store: newFakeStore(testOPDs()...), Messenger: msgr, Logger: zerolog.Nop()})
	if err := s.Tick(t.Context()); err != nil || len(msgr.Calls()) != 0 {
		t.Errorf("Tick with Now unset and no working day: calls %v, error %v; want none, nil", briefs(msgr.Calls()), err)
	}
}

func TestTickSkipsUnknownOPD(t *testing.T) {
	t.Parallel()
	// The configuration names an OPD the store does not know: the others
	// still open, and the error says which one failed.
	f := newFixture(t, "Asia/Makassar")
	f.opds = append(f.opds, apel.OPD{Code: "DINKES", Name: "Dinas Kesehatan"})
	f.sched = f.newScheduler()
	calls, err := f.tickAt(f.at(feb(mon), "07:15"))
	if !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("Tick with an unknown OPD: error %v, want one wrapping %v", err, apel.ErrNotFound)
	}
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(calls)); diff != "" {
		t.Errorf("Tick with an unknown OPD: calls (-want +got):\n%s", diff)
	}
	if got := len(f.store.AllSessions()); got != 2 {
		t.Errorf("Tick with an unknown OPD: %d sessions, want 2", got)
	}
}

func TestSpecs(t *testing.T) {
	t.Parallel()
	wita := loadZone(t, "Asia/Makassar")
	weekday := func(wd int) []string {
		return []string{
			fmt.Sprintf("15 7 * * %d", wd), fmt.Sprintf("15 8 * * %d", wd), fmt.Sprintf("30 8 * * %d", wd),
			fmt.Sprintf("45 15 * * %d", wd), fmt.Sprintf("45 16 * * %d", wd), fmt.Sprintf("0 17 * * %d", wd),
		}
	}
	var full []string
	for wd := 1; wd <= 4; wd++ {
		full = append(full, weekday(wd)...)
	}
	full = append(full, "15 7 * * 5", "15 8 * * 5", "30 8 * * 5", "15 16 * * 5", "15 17 * * 5", "30 17 * * 5")
	sort.Strings(full)

	window := testPolicy(wita).Window
	one := func(wd time.Weekday, pagi, sore apel.Clock, w apel.Window) apel.Policy {
		return apel.Policy{Location: wita, Days: map[time.Weekday]apel.DayRule{wd: {Pagi: pagi, Sore: sore, Mode: apel.WFO}}, Window: w, RadiusM: 100}
	}
	noRemind := window
	noRemind.RemindBefore = 0
	for _, tc := range []struct {
		name   string
		policy apel.Policy
		want   []string
	}{
		{"Monday to Friday, Friday sore at 16:30", testPolicy(wita), full},
		{"no working day", apel.Policy{Location: wita, Window: window, RadiusM: 100}, nil},
		// Remind equals close, and pagi's close equals sore's opening.
		{"coinciding edges are listed once", one(time.Monday, apel.Clock{Hour: 7, Minute: 30}, apel.Clock{Hour: 8, Minute: 45}, noRemind),
			[]string{"15 7 * * 1", "30 8 * * 1", "45 9 * * 1"}},
		{"a sore closing at midnight wakes on the next weekday", one(time.Saturday, apel.Clock{Hour: 7, Minute: 30}, apel.Clock{Hour: 23}, window),
			[]string{"0 0 * * 0", "15 7 * * 6", "15 8 * * 6", "30 8 * * 6", "45 22 * * 6", "45 23 * * 6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.policy.Validate(); err != nil {
				t.Fatalf("policy.Validate() = %v, want nil", err)
			}
			got := scheduler.Specs(tc.policy)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Specs(%s) (-want +got):\n%s", tc.name, diff)
			}
			if !sort.StringsAreSorted(got) {
				t.Errorf("Specs(%s) = %q, want sorted", tc.name, got)
			}
			if c := slices.Compact(slices.Clone(got)); len(c) != len(got) {
				t.Errorf("Specs(%s) = %q, want no duplicates", tc.name, got)
			}
		})
	}

	t.Run("Friday's sore edges are on weekday 5 only", func(t *testing.T) {
		t.Parallel()
		got := scheduler.Specs(testPolicy(wita))
		for _, spec := range []string{"15 16 * * 5", "15 17 * * 5", "30 17 * * 5"} {
			if !slices.Contains(got, spec) {
				t.Errorf("Specs(test policy) = %q, want it to contain %q", got, spec)
			}
			for wd := 0; wd <= 6; wd++ {
				other := spec[:len(spec)-1] + fmt.Sprint(wd)
				if wd != 5 && slices.Contains(got, other) {
					t.Errorf("Specs(test policy) contains %q: Friday's sore time on weekday %d", other, wd)
				}
			}
		}
		if slices.Contains(got, "45 15 * * 5") {
			t.Errorf("Specs(test policy) contains %q: the Monday-Thursday sore opening on Friday", "45 15 * * 5")
		}
	})
}

// TestTickCatchesUpPreviousDay: Tick only looks at the slots of the date of
// its clock (scheduler.go:96-117), so once the civil date has changed, the
// previous day's open sessions are never closed, their heads never get a
// summary and its daily report is never sent.
func TestTickCatchesUpPreviousDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		sore  apel.Clock       // Monday's apel sore
		play  func(f *fixture) // Monday, until the bot goes quiet
		nextT string           // the next Tick, on Tuesday
	}{
		{
			name: "bot down from 16:50 until 07:00 the next day",
			sore: apel.Clock{Hour: 16},
			play: func(f *fixture) {
				f.tick(feb(mon), "07:15")
				f.tick(feb(mon), "08:30")
				f.tick(feb(mon), "15:45")
				f.tick(feb(mon), "16:50")
			},
			nextT: "07:00",
		},
		{
			name: "daily report failing until midnight",
			sore: apel.Clock{Hour: 16},
			play: func(f *fixture) {
				playMonday(f)
				f.msgr.FailNext(mSendDailyReport, 2)
				for _, hhmm := range []string{"17:00", "23:59"} {
					if _, err := f.tickAt(f.at(feb(mon), hhmm)); !errors.Is(err, errFake) {
						f.t.Fatalf("Tick at Mon %s with SendDailyReport failing: error %v, want one wrapping %v", hhmm, err, errFake)
					}
				}
			},
			nextT: "00:00",
		},
		{
			// Validate accepts sore + close_after = 24:00, and Specs wakes
			// Tick at "0 0 * * 2", but then the date is already Tuesday.
			name: "apel sore closing at midnight",
			sore: apel.Clock{Hour: 23},
			play: func(f *fixture) {
				f.tick(feb(mon), "07:15")
				f.tick(feb(mon), "08:30")
				f.tick(feb(mon), "22:45")
				f.tick(feb(mon), "23:59")
			},
			nextT: "00:00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := testPolicy(loadZone(t, "Asia/Makassar"))
			p.Days[time.Monday] = apel.DayRule{Pagi: apel.Clock{Hour: 7, Minute: 30}, Sore: tc.sore, Mode: apel.WFO}
			f := newFixtureWith(t, p)
			tc.play(f)
			f.msgr.Take()

			calls := f.tick(feb(tue), tc.nextT)
			want := []string{
				"SendDailyReport 2026-02-02",
				"SendSummary Ani DISKOMINFO sore",
				"SendSummary Gita BAPPEDA sore",
			}
			got := briefs(calls)
			got = slices.DeleteFunc(got, func(s string) bool { return strings.HasPrefix(s, "ShowProgress") })
			if tc.name == "daily report failing until midnight" {
				want = want[:1] // the sore summaries went out at 17:00
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("first Tick on Tue %s after %s: calls (-want +got):\n%s", tc.nextT, tc.name, diff)
			}
			for _, opd := range []string{kominfo, bappeda} {
				if !f.session(opd, feb(mon), apel.Sore).Closed {
					t.Errorf("after the first Tick on Tue %s: %s's Monday sore session still open", tc.nextT, opd)
				}
			}
		})
	}
}

// TestTickRemindersSurviveStoreReadError: remind claims the session with
// MarkReminded (jobs.go:110) before it reads the roll (jobs.go:118); when the
// read fails, the next Tick finds the session already reminded and nobody
// is ever reminded.
func TestTickRemindersSurviveStoreReadError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	d := feb(mon)
	f.tick(d, "07:15")
	f.store.Fail = failing(map[string]int{"EmployeesOf BAPPEDA": 1})
	calls, err := f.tickAt(f.at(d, "08:15"))
	if !errors.Is(err, errFake) {
		t.Errorf("Tick at Mon 08:15 with EmployeesOf(BAPPEDA) failing: error %v, want one wrapping %v", err, errFake)
	}
	if diff := cmp.Diff([]string{"Remind Ani pagi", "Remind Budi pagi", "Remind Citra pagi"}, briefs(calls)); diff != "" {
		t.Errorf("Tick at Mon 08:15: calls (-want +got):\n%s", diff)
	}
	calls = f.tick(d, "08:16")
	if diff := cmp.Diff([]string{"Remind Gita pagi", "Remind Hadi pagi"}, briefs(calls), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Tick at Mon 08:16 after the read recovered: calls (-want +got):\n%s", diff)
	}
}

// TestTickSummariesSurviveStoreReadError: close claims the session with
// CloseSession (jobs.go:152) before it reads the roll (jobs.go:161) and the
// heads (jobs.go:173); when a read fails, the next Tick skips the closed
// session and the heads never get the summary.
func TestTickSummariesSurviveStoreReadError(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"Heads BAPPEDA", "EmployeesOf BAPPEDA"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Asia/Makassar")
			d := feb(mon)
			f.tick(d, "07:15")
			f.store.Fail = failing(map[string]int{method: 1})
			calls, err := f.tickAt(f.at(d, "08:30"))
			if !errors.Is(err, errFake) {
				t.Errorf("Tick at Mon 08:30 with %s failing: error %v, want one wrapping %v", method, err, errFake)
			}
			if diff := cmp.Diff([]string{"SendSummary Ani DISKOMINFO pagi", "ShowProgress DISKOMINFO pagi present=0"}, briefs(calls)); diff != "" {
				t.Errorf("Tick at Mon 08:30 with %s failing: calls (-want +got):\n%s", method, diff)
			}
			calls = f.tick(d, "08:31")
			if diff := cmp.Diff([]string{"SendSummary Gita BAPPEDA pagi"}, briefs(calls), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Tick at Mon 08:31 after %s recovered: calls (-want +got):\n%s", method, diff)
			}
		})
	}
}

// TestTickQueuesPromptOnce: a prompt queued but not posted yet is not
// queued again, and its progress is not shown until it is posted.
func TestTickQueuesPromptOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.msgr.Posted = nil // queued, not sent
	d := feb(mon)
	if diff := cmp.Diff([]string{"PostPrompt DISKOMINFO pagi"}, briefs(f.tick(d, "07:15"))); diff != "" {
		t.Errorf("Tick at 07:15 (-want +got):\n%s", diff)
	}
	f.checkIn(kominfo, d, apel.Pagi, idBudi, false, true)
	if calls := f.tick(d, "07:20"); len(calls) != 0 {
		t.Errorf("Tick at 07:20 with the prompt still queued: calls %v, want none", briefs(calls))
	}
	if s := f.session(kominfo, d, apel.Pagi); s.ChatID != kominfoChat || s.MessageID != 0 {
		t.Errorf("session: chat %d message %d, want chat %d and no message yet", s.ChatID, s.MessageID, kominfoChat)
	}
	f.store.Posted(f.session(kominfo, d, apel.Pagi).ID, kominfoChat, 77)
	if diff := cmp.Diff([]string{"ShowProgress DISKOMINFO pagi present=1"}, briefs(f.tick(d, "07:21"))); diff != "" {
		t.Errorf("Tick at 07:21 once posted (-want +got):\n%s", diff)
	}
}

func TestTickPurgesHomePointsDaily(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Asia/Makassar")
	f.sched = scheduler.New(scheduler.Config{
		Pemda: pemda, Policy: f.policy, OPDs: f.opds, Store: f.store, Messenger: f.msgr,
		Logger: zerolog.Nop(), Now: f.clock.Now, Retention: 90 * 24 * time.Hour,
	})
	f.store.Fail = failing(map[string]int{"PurgeHomePoints": 1})
	if _, err := f.tickAt(f.at(feb(sat), "03:00")); !errors.Is(err, errFake) {
		t.Errorf("Tick with PurgeHomePoints failing: error %v, want one wrapping %v", err, errFake)
	}
	f.tick(feb(sat), "03:01")
	f.tick(feb(sat), "23:59")
	f.tick(feb(sun), "00:00")
	want := []time.Time{
		f.at(feb(sat), "03:01").Add(-90 * 24 * time.Hour),
		f.at(feb(sun), "00:00").Add(-90 * 24 * time.Hour),
	}
	if diff := cmp.Diff(want, f.store.Purges()); diff != "" {
		t.Errorf("purges, once a day after a failure (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, f.store.ForeignPurges()); diff != "" {
		t.Errorf("purges of foreign locations, with the home points' (-want +got):\n%s", diff)
	}
}
