package scheduler_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/scheduler"
)

// errFake is the error the fakes return when told to fail.
var errFake = errors.New("fake: injected failure")

// Compile-time checks that the fakes implement the scheduler's ports.
var (
	_ scheduler.Store     = (*fakeStore)(nil)
	_ scheduler.Messenger = (*fakeMessenger)(nil)
)

// fakeStore is an in-memory scheduler.Store with the semantics of store.DB:
// one session per (OPD, date, kind), close and remind stamps that only the
// first call sets, job keys marked done once. It ignores ctx, like a store
// whose queries are quick, so that a cancelled Run still shows its ticks.
//
// Fail, when set, is called with the method name at the start of every
// interface method, then, for methods about one OPD or session, with
// "<method> <opd code or session ID>"; a non-nil result is returned as the
// method's error and nothing changes. OnOpenSession, when set, is called after every successful
// OpenSession, outside the lock.
type fakeStore struct {
	Fail          func(method string) error
	OnOpenSession func(s apel.Session, created bool)

	mu        sync.Mutex
	opds      map[string]bool
	groups    map[string]int64
	employees []apel.Employee
	sessions  []fakeSession // index is ID-1
	checkIns  []apel.CheckIn
	excuses   []apel.Excuse
	acts      []apel.Activity // activity_test.go
	done      map[string]time.Time
	purges    []time.Time // the before of each PurgeHomePoints
	foreign   []time.Time // the before of each PurgeForeignLocations
	fixes     []apel.Correction
	outages   []apel.Outage
	backlog   int
}

// fakeSession is a stored session and its stamps.
type fakeSession struct {
	apel.Session
	closedAt   time.Time
	remindedAt time.Time
}

// newFakeStore returns an empty store that knows opds.
func newFakeStore(opds ...apel.OPD) *fakeStore {
	s := &fakeStore{opds: map[string]bool{}, groups: map[string]int64{}, done: map[string]time.Time{}}
	for _, o := range opds {
		s.opds[o.Code] = true
	}
	return s
}

// fail asks Fail about method, then about "method arg" when arg is set
// (an OPD code or a session ID), so a test can fail one OPD's calls only.
func (s *fakeStore) fail(method string, arg ...any) error {
	if s.Fail == nil {
		return nil
	}
	keys := []string{method}
	if len(arg) > 0 {
		keys = append(keys, fmt.Sprint(method, " ", arg[0]))
	}
	for _, k := range keys {
		if err := s.Fail(k); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// session returns a copy of stored session id with Closed derived from its
// stamp. Callers hold mu.
func (s *fakeStore) session(id int64) (*fakeSession, error) {
	if id < 1 || int(id) > len(s.sessions) {
		return nil, fmt.Errorf("session %d: %w", id, apel.ErrNotFound)
	}
	return &s.sessions[id-1], nil
}

func (fs fakeSession) view() apel.Session {
	out := fs.Session
	out.Closed = !fs.closedAt.IsZero()
	out.Reminded = !fs.remindedAt.IsZero()
	return out
}

// Groups implements scheduler.Store.
func (s *fakeStore) Groups(ctx context.Context) (map[string]int64, error) {
	if err := s.fail("Groups"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.groups))
	for k, v := range s.groups {
		out[k] = v
	}
	return out, nil
}

// OpenSession implements scheduler.Store.
func (s *fakeStore) OpenSession(ctx context.Context, in apel.Session) (apel.Session, bool, error) {
	if err := s.fail("OpenSession"); err != nil {
		return apel.Session{}, false, err
	}
	stored, created, err := s.openSession(in)
	if err != nil {
		return apel.Session{}, false, err
	}
	if s.OnOpenSession != nil {
		s.OnOpenSession(stored, created)
	}
	return stored, created, nil
}

func (s *fakeStore) openSession(in apel.Session) (apel.Session, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.opds[in.OPD] {
		return apel.Session{}, false, fmt.Errorf("open session: opd %s: %w", in.OPD, apel.ErrNotFound)
	}
	for _, fs := range s.sessions {
		if fs.OPD == in.OPD && fs.Date == in.Date && fs.Kind == in.Kind {
			return fs.view(), false, nil
		}
	}
	fs := fakeSession{Session: in}
	fs.ID = int64(len(s.sessions) + 1)
	fs.Closed = false
	if in.Closed {
		fs.closedAt = in.Closes
	}
	s.sessions = append(s.sessions, fs)
	return fs.view(), true, nil
}

// MarkPromptQueued implements scheduler.Store: the session's chat is set
// unless its prompt is already posted.
func (s *fakeStore) MarkPromptQueued(ctx context.Context, sessionID int64, chatID int64) error {
	if err := s.fail("MarkPromptQueued", sessionID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(sessionID)
	if err != nil {
		return fmt.Errorf("mark prompt queued: %w", err)
	}
	if fs.MessageID == 0 {
		fs.ChatID = chatID
	}
	return nil
}

// PurgeHomePoints implements scheduler.Store: it records the call.
func (s *fakeStore) PurgeHomePoints(ctx context.Context, before, at time.Time) (int, error) {
	if err := s.fail("PurgeHomePoints"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purges = append(s.purges, before)
	return 0, nil
}

// PurgeForeignLocations implements scheduler.Store: it records the call.
func (s *fakeStore) PurgeForeignLocations(ctx context.Context, before time.Time) (int, error) {
	if err := s.fail("PurgeForeignLocations"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.foreign = append(s.foreign, before)
	return 0, nil
}

// Sessions implements scheduler.Store: the sessions of d by OPD, then kind.
func (s *fakeStore) Sessions(ctx context.Context, d apel.Date) ([]apel.Session, error) {
	if err := s.fail("Sessions"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionsOf(d), nil
}

func (s *fakeStore) sessionsOf(d apel.Date) []apel.Session {
	var out []apel.Session
	for _, fs := range s.sessions {
		if fs.Date == d {
			out = append(out, fs.view())
		}
	}
	slices.SortFunc(out, func(a, b apel.Session) int {
		return cmp.Or(cmp.Compare(a.OPD, b.OPD), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// CloseSession implements scheduler.Store.
func (s *fakeStore) CloseSession(ctx context.Context, id int64, at time.Time) (bool, error) {
	if err := s.fail("CloseSession", id); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(id)
	if err != nil {
		return false, fmt.Errorf("close session: %w", err)
	}
	if !fs.closedAt.IsZero() {
		return false, nil
	}
	fs.closedAt = at
	return true, nil
}

// MarkReminded implements scheduler.Store.
func (s *fakeStore) MarkReminded(ctx context.Context, id int64, at time.Time) (bool, error) {
	if err := s.fail("MarkReminded", id); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(id)
	if err != nil {
		return false, fmt.Errorf("mark reminded: %w", err)
	}
	if !fs.remindedAt.IsZero() {
		return false, nil
	}
	fs.remindedAt = at
	return true, nil
}

// SetShown implements scheduler.Store.
func (s *fakeStore) SetShown(ctx context.Context, id int64, count int) error {
	if err := s.fail("SetShown", id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(id)
	if err != nil {
		return fmt.Errorf("set shown: %w", err)
	}
	fs.Shown = count
	return nil
}

// EmployeesOf implements scheduler.Store: the active employees of opd by
// name, then ID.
func (s *fakeStore) EmployeesOf(ctx context.Context, opd string) ([]apel.Employee, error) {
	if err := s.fail("EmployeesOf", opd); err != nil {
		return nil, err
	}
	return s.active(func(e apel.Employee) bool { return e.OPD == opd }), nil
}

// Heads implements scheduler.Store: the active heads of opd by name, then ID.
func (s *fakeStore) Heads(ctx context.Context, opd string) ([]apel.Employee, error) {
	if err := s.fail("Heads", opd); err != nil {
		return nil, err
	}
	return s.active(func(e apel.Employee) bool { return e.OPD == opd && e.Role == apel.RoleHead }), nil
}

// active returns the active employees keep accepts, by OPD, name, ID.
func (s *fakeStore) active(keep func(apel.Employee) bool) []apel.Employee {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apel.Employee
	for _, e := range s.employees {
		if e.Active && keep(e) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b apel.Employee) int {
		return cmp.Or(cmp.Compare(a.OPD, b.OPD), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// CheckInsOf implements scheduler.Store.
func (s *fakeStore) CheckInsOf(ctx context.Context, sessionID int64) ([]apel.CheckIn, error) {
	if err := s.fail("CheckInsOf", sessionID); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apel.CheckIn
	for _, c := range s.checkIns {
		if c.SessionID == sessionID {
			out = append(out, c)
		}
	}
	return out, nil
}

// Excuses implements scheduler.Store: the excuses of d by employee ID.
func (s *fakeStore) Excuses(ctx context.Context, d apel.Date) ([]apel.Excuse, error) {
	if err := s.fail("Excuses"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.excusesOf(d), nil
}

func (s *fakeStore) excusesOf(d apel.Date) []apel.Excuse {
	var out []apel.Excuse
	for _, x := range s.excuses {
		if x.Date == d {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b apel.Excuse) int { return cmp.Compare(a.EmployeeID, b.EmployeeID) })
	return out
}

// DayAndFacts implements scheduler.Store: Day and Facts, each failing as
// it does alone.
func (s *fakeStore) DayAndFacts(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, apel.Facts, error) {
	day, err := s.Day(ctx, d, opds)
	if err != nil {
		return apel.Day{}, apel.Facts{}, err
	}
	f, err := s.Facts(ctx, "", apel.MondayOf(d), d)
	return day, f, err
}

// Day is every record of d, read under one lock.
func (s *fakeStore) Day(ctx context.Context, d apel.Date, opds []apel.OPD) (apel.Day, error) {
	if err := s.fail("Day"); err != nil {
		return apel.Day{}, err
	}
	emps := s.active(func(apel.Employee) bool { return true })
	s.mu.Lock()
	defer s.mu.Unlock()
	day := apel.Day{Date: d, OPDs: opds, Employees: emps, Sessions: s.sessionsOf(d), Excuses: s.excusesOf(d)}
	ids := map[int64]bool{}
	for _, ss := range day.Sessions {
		ids[ss.ID] = true
	}
	for _, c := range s.checkIns {
		if ids[c.SessionID] {
			day.CheckIns = append(day.CheckIns, c)
		}
	}
	for _, a := range s.acts {
		if a.Date == d {
			day.Activities = append(day.Activities, a)
		}
	}
	return day, nil
}

// MarkDone implements scheduler.Store.
func (s *fakeStore) MarkDone(ctx context.Context, key string, at time.Time) (bool, error) {
	if err := s.fail("MarkDone"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.done[key]; ok {
		return false, nil
	}
	s.done[key] = at
	return true, nil
}

// Done implements scheduler.Store.
func (s *fakeStore) Done(ctx context.Context, key string) (bool, error) {
	if err := s.fail("Done"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.done[key]
	return ok, nil
}

// The methods below set up and inspect the fake; they are not part of
// scheduler.Store.

// BindGroup binds OPD opd to group chat.
func (s *fakeStore) BindGroup(opd string, chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[opd] = chat
}

// Posted records that the prompt of session id went out as message msgID
// in chat, as the messenger does through the real store once it is sent.
func (s *fakeStore) Posted(id int64, chat int64, msgID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fs, err := s.session(id); err == nil {
		fs.ChatID, fs.MessageID = chat, msgID
	}
}

// Purges returns the before of every PurgeHomePoints call.
func (s *fakeStore) Purges() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.purges)
}

// ForeignPurges returns the before of every PurgeForeignLocations call.
func (s *fakeStore) ForeignPurges() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.foreign)
}

// AddEmployees adds es to the roster.
func (s *fakeStore) AddEmployees(es ...apel.Employee) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.employees = append(s.employees, es...)
}

// AddCheckIn records c and returns its ID.
func (s *fakeStore) AddCheckIn(c apel.CheckIn) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = int64(len(s.checkIns) + 1)
	s.checkIns = append(s.checkIns, c)
	return c.ID
}

// AddExcuse records x.
func (s *fakeStore) AddExcuse(x apel.Excuse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.excuses = append(s.excuses, x)
}

// Session returns the stored session of opd, d and kind.
func (s *fakeStore) Session(opd string, d apel.Date, kind apel.SessionKind) (apel.Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, fs := range s.sessions {
		if fs.OPD == opd && fs.Date == d && fs.Kind == kind {
			return fs.view(), true
		}
	}
	return apel.Session{}, false
}

// AllSessions returns every stored session in ID order.
func (s *fakeStore) AllSessions() []apel.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]apel.Session, 0, len(s.sessions))
	for _, fs := range s.sessions {
		out = append(out, fs.view())
	}
	return out
}

// Stamps returns when session id was closed and reminded (zero when not).
func (s *fakeStore) Stamps(id int64) (closedAt, remindedAt time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(id)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	return fs.closedAt, fs.remindedAt
}

// DoneAt returns when job key was marked done.
func (s *fakeStore) DoneAt(key string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.done[key]
	return at, ok
}

// failing returns a fakeStore.Fail that fails the next n calls of each
// key in counts ("Heads" or "Heads BAPPEDA"), and nothing else.
func failing(counts map[string]int) func(method string) error {
	var mu sync.Mutex
	left := maps.Clone(counts)
	return func(method string) error {
		mu.Lock()
		defer mu.Unlock()
		if left[method] > 0 {
			left[method]--
			return errFake
		}
		return nil
	}
}

// Messenger method names, as recorded in call.Method and given to FailNext.
const (
	mPostPrompt      = "PostPrompt"
	mShowProgress    = "ShowProgress"
	mRemind          = "Remind"
	mSendSummary     = "SendSummary"
	mSendDailyReport = "SendDailyReport"
)

// call is one recorded Messenger call. Only the fields of its method are
// set; Err is what the call returned.
type call struct {
	Method    string
	Session   apel.Session
	OPD       string // OPD code
	Tally     apel.Tally
	Employee  apel.Employee // the reminded employee or the head given a summary
	Summary   apel.Summary
	Report    apel.DailyReport
	Day       apel.Day // the records a SendDailyReport was given
	MessageID int      // the message a successful PostPrompt was posted as
	Err       error
}

// fakeMessenger is a scheduler.Messenger that records every call, failed
// ones included, and fails the next n calls of a method when told to with
// FailNext. A prompt is posted at once, as message 1001, 1002, ...: Posted,
// when set, is told (the real messenger records it in the store). OnCall,
// when set, is called after every call is recorded, outside the lock.
type fakeMessenger struct {
	OnCall func(call)
	Posted func(sessionID, chat int64, msgID int)

	mu     sync.Mutex
	calls  []call
	taken  int // calls before this index were returned by Take
	fails  map[string]int
	nextID int
}

func newFakeMessenger() *fakeMessenger {
	return &fakeMessenger{fails: map[string]int{}, nextID: 1000}
}

// FailNext makes the next n calls of method fail with errFake.
func (m *fakeMessenger) FailNext(method string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fails[method] = n
}

// record stores c, failing it when told to, and returns it.
func (m *fakeMessenger) record(c call) call {
	m.mu.Lock()
	if m.fails[c.Method] > 0 {
		m.fails[c.Method]--
		c.Err = fmt.Errorf("%s: %w", c.Method, errFake)
	} else if c.Method == mPostPrompt {
		m.nextID++
		c.MessageID = m.nextID
	}
	m.calls = append(m.calls, c)
	m.mu.Unlock()
	if m.OnCall != nil {
		m.OnCall(c)
	}
	return c
}

// Calls returns every call so far.
func (m *fakeMessenger) Calls() []call {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.calls)
}

// Take returns the calls made since the last Take.
func (m *fakeMessenger) Take() []call {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.calls[m.taken:])
	m.taken = len(m.calls)
	return out
}

// PostPrompt implements scheduler.Messenger.
func (m *fakeMessenger) PostPrompt(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error {
	c := m.record(call{Method: mPostPrompt, Session: s, OPD: opd.Code, Tally: t})
	if c.Err == nil && m.Posted != nil {
		m.Posted(s.ID, s.ChatID, c.MessageID)
	}
	return c.Err
}

// ShowProgress implements scheduler.Messenger.
func (m *fakeMessenger) ShowProgress(ctx context.Context, s apel.Session, opd apel.OPD, t apel.Tally) error {
	return m.record(call{Method: mShowProgress, Session: s, OPD: opd.Code, Tally: t}).Err
}

// Remind implements scheduler.Messenger.
func (m *fakeMessenger) Remind(ctx context.Context, e apel.Employee, s apel.Session) error {
	return m.record(call{Method: mRemind, Session: s, OPD: s.OPD, Employee: e}).Err
}

// SendSummary implements scheduler.Messenger.
func (m *fakeMessenger) SendSummary(ctx context.Context, head apel.Employee, sum apel.Summary) error {
	return m.record(call{Method: mSendSummary, Session: sum.Session, OPD: sum.OPD.Code, Employee: head, Summary: sum, Tally: sum.Tally}).Err
}

// SendDailyReport implements scheduler.Messenger.
func (m *fakeMessenger) SendDailyReport(ctx context.Context, r apel.DailyReport, day apel.Day) error {
	return m.record(call{Method: mSendDailyReport, Report: r, Day: day}).Err
}

// Corrections implements scheduler.Store.
func (s *fakeStore) Corrections(ctx context.Context, d apel.Date) ([]apel.Correction, error) {
	if err := s.fail("Corrections"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apel.Correction
	for _, c := range s.fixes {
		if c.Date == d {
			out = append(out, c)
		}
	}
	return out, nil
}

// Outages implements scheduler.Store.
func (s *fakeStore) Outages(ctx context.Context, from, to time.Time) ([]apel.Outage, error) {
	if err := s.fail("Outages"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []apel.Outage
	for _, o := range s.outages {
		if o.Overlaps(from, to) {
			out = append(out, o)
		}
	}
	return out, nil
}

// MarkDisrupted implements scheduler.Store.
func (s *fakeStore) MarkDisrupted(ctx context.Context, id int64, d apel.Disruption) error {
	if err := s.fail("MarkDisrupted", id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs, err := s.session(id)
	if err != nil {
		return fmt.Errorf("mark disrupted: %w", err)
	}
	fs.Disruption = d
	return nil
}

// Backlog implements scheduler.Store.
func (s *fakeStore) Backlog(ctx context.Context) (int, error) {
	if err := s.fail("Backlog"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backlog, nil
}
