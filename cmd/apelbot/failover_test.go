package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot/telegramtest"
	"github.com/apelbot/apelbot/store"
	"github.com/apelbot/apelbot/store/storetest"
)

// Lease timings of the failover test: short, so that the takeover is quick.
const (
	failoverTTL   = 2 * time.Second
	failoverRenew = 500 * time.Millisecond
)

// roundRobin is a load balancer in front of replicas: each request goes to
// the next backend; a backend that does not answer gets a 502 (the caller,
// Telegram, retries).
type roundRobin struct {
	backends []*httputil.ReverseProxy
	next     atomic.Uint64
	failed   atomic.Int64
}

func newRoundRobin(targets ...string) *roundRobin {
	rr := &roundRobin{}
	for _, t := range targets {
		u, _ := url.Parse(t)
		p := httputil.NewSingleHostReverseProxy(u)
		p.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) {
			rr.failed.Add(1)
			w.WriteHeader(http.StatusBadGateway)
		}
		rr.backends = append(rr.backends, p)
	}
	return rr
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.backends[rr.next.Add(1)%uint64(len(rr.backends))].ServeHTTP(w, r)
}

// freeAddr returns a loopback address nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// fileClockWriter is the test side of the binary's test clock: the time is
// written to a file that every replica reads.
type fileClockWriter struct {
	t    *testing.T
	path string
	mu   sync.Mutex
	now  time.Time
}

func (c *fileClockWriter) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fileClockWriter) Set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = at
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(at.Format(time.RFC3339Nano)), 0o600); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, c.path); err != nil { // atomic: a replica never reads half a time
		c.t.Fatal(err)
	}
}

// replicaProc is one `apelbot serve` of the failover test.
type replicaProc struct {
	name    string
	addr    string // where it serves the webhook
	proc    *serveProcess
	log     string
	exited  chan struct{} // closed when the process has ended
	exitErr error         // how it ended, once exited is closed
}

// startReplica starts replica name serving its webhook on a free loopback
// port, with the configuration config(name, addr), and waits until it
// serves. A port taken meanwhile by another process (the tests run in
// parallel) makes it try another.
func startReplica(t *testing.T, bin, name, dir string, env []string, config func(name, addr string) string) *replicaProc {
	t.Helper()
	for try := 0; ; try++ {
		r := &replicaProc{name: name, addr: freeAddr(t), log: filepath.Join(dir, fmt.Sprintf("serve-%s-%d.log", name, try)),
			exited: make(chan struct{})}
		r.proc = startServe(t, bin, config(name, r.addr), env, r.log)
		go func() { r.exitErr = <-r.proc.done; close(r.exited) }()
		deadline := time.After(time.Minute)
		for {
			b, _ := os.ReadFile(r.log)
			if strings.Contains(string(b), `"message":"webhook serving"`) {
				return r
			}
			select {
			case <-r.exited:
				b, _ = os.ReadFile(r.log)
				if strings.Contains(string(b), "address already in use") && try < 5 {
					break
				}
				t.Fatalf("replica %s exited at start: %v\n%s", name, r.exitErr, b)
			case <-deadline:
				t.Fatalf("replica %s not serving a minute after start:\n%s", name, b)
			case <-time.After(20 * time.Millisecond):
				continue
			}
			break
		}
	}
}

// TestReplicaFailover runs two `apelbot serve` replicas of the real binary
// in webhook mode on one database, behind a round-robin load balancer that
// the fake Bot API delivers updates to, through a whole apel day on a
// simulated clock. The leader (the replica holding the lease, which runs
// the scheduler and the outbox sender) is killed with SIGKILL after apel
// pagi's check-ins; an update arriving meanwhile is delivered to the
// survivor, which takes over within the lease's bound and runs the rest of
// the day. The day comes out exactly right: every check-in recorded once,
// every prompt, reminder, confirmation, summary and report delivered once,
// and no call refused by Telegram's flood limits.
//
// On a SQLite file here (two processes on one machine share it); on
// PostgreSQL, as in production, in TestReplicaFailoverOnPostgres.
func TestReplicaFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary: two replicas and a whole day")
	}
	t.Parallel()
	dir := t.TempDir()
	replicaFailover(t, dir, "APELBOT_DB", filepath.Join(dir, "apelbot.db"), false)
}

// TestReplicaStalledLeader is TestReplicaFailover with a leader that
// stalls (SIGSTOP) instead of dying, long enough for the other replica to
// take over, and then comes back (SIGCONT): it finds the lease gone and
// stops its scheduler and sender without sending anything (its send
// claims are fenced by the lease token), and serves on as a plain replica.
func TestReplicaStalledLeader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary: two replicas and a whole day")
	}
	t.Parallel()
	dir := t.TempDir()
	replicaFailover(t, dir, "APELBOT_DB", filepath.Join(dir, "apelbot.db"), true)
}

// TestReplicaFailoverOnPostgres is TestReplicaFailover with the replicas on
// a PostgreSQL database (a fresh schema on the server named by
// APELBOT_TEST_POSTGRES; skipped, saying so, when it is not set).
func TestReplicaFailoverOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary: two replicas and a whole day")
	}
	dsn := storetest.PostgresDSN(t)
	t.Parallel()
	replicaFailover(t, t.TempDir(), "APELBOT_DATABASE_URL", dsn, false)
}

// replicaFailover is the failover test with the database dbURL, given to
// the replicas in the environment variable dbVar; stall stops the leader
// and lets it go on after the takeover, instead of killing it.
func replicaFailover(t *testing.T, dir, dbVar, dbURL string, stall bool) {
	ctx := context.Background()
	bin := filepath.Join(dir, "apelbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	srv := telegramtest.New()
	defer srv.Close()
	srv.EnforceLimits(telegramtest.Limits{})
	loc, _ := time.LoadLocation("Asia/Jakarta")
	day := faultDay()
	clock := &fileClockWriter{t: t, path: filepath.Join(dir, "clock")}
	at := func(hh, mm int) { clock.Set(day.At(apel.Clock{Hour: hh, Minute: mm}, loc)) }
	at(6, 0)
	srv.SetClock(clock.Now)

	people := e2ePeople(20)
	const late, absent = 5, 8 // 5 checks in while the leader is dead; 8 misses apel pagi
	env := append(os.Environ(), "TELEGRAM_BOT_TOKEN="+srv.Token(), "TELEGRAM_API_URL="+srv.URL(),
		"TELEGRAM_WEBHOOK_SECRET=failover-secret", dbVar+"="+dbURL, envTestClock+"="+clock.path,
		"APELBOT_LOG_LEVEL=info", "APELBOT_LOG_FORMAT=json")
	config := func(name, addr string) string {
		return e2eConfig(t, "Asia/Jakarta", "07:30", "16:00", fmt.Sprintf(`telegram:
  webhook:
    url: https://apel.kotauji.go.id/telegram
    listen: %s
shutdown_timeout: 5s
replicas:
  enabled: true
  id: %s
  lease_ttl: %s
  lease_renew: %s
  outbox_poll: 50ms
`, addr, name, failoverTTL, failoverRenew))
	}
	imp := exec.Command(bin, "import", "-config", config("import", "127.0.0.1:1"), e2eRoster(t, people))
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("apelbot import: %v\n%s", err, out)
	}

	reps := map[string]*replicaProc{}
	for _, name := range []string{"a", "b"} {
		reps[name] = startReplica(t, bin, name, dir, env, config)
	}
	lb := newRoundRobin("http://"+reps["a"].addr, "http://"+reps["b"].addr)
	front := &http.Server{Handler: lb, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go front.Serve(ln)
	defer front.Close()
	srv.DeliverWebhook("http://"+ln.Addr().String()+"/telegram", 4)

	defer func() {
		if t.Failed() {
			for _, name := range []string{"a", "b"} {
				if b, err := os.ReadFile(reps[name].log); err == nil {
					t.Logf("replica %s log:\n%s", name, b)
				}
			}
		}
	}()

	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	confirmed := func(id int64) {
		t.Helper()
		if err := srv.WaitConfirmed(wctx, id); err != nil {
			t.Fatalf("update %d not handled: %v", id, err)
		}
	}
	// until waits for cond, looking every 20ms.
	var dead *replicaProc // the replica killed on purpose
	until := func(what string, cond func() bool) {
		t.Helper()
		for !cond() {
			if wctx.Err() != nil {
				t.Fatalf("waiting for %s: %v", what, wctx.Err())
			}
			for _, r := range reps {
				select {
				case <-r.exited:
					if r != dead {
						t.Fatalf("waiting for %s: replica %s exited: %v", what, r.name, r.exitErr)
					}
				default:
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	count := func(method string, chat int64, sub string) int {
		return len(delivered(srv.History(), method, chat, sub))
	}
	leaderNow := func() store.Lease {
		l, err := db.CurrentLease(ctx, leaderLease)
		if err != nil && !errors.Is(err, apel.ErrNotFound) {
			t.Fatal(err)
		}
		return l
	}
	until("a leader", func() bool { return leaderNow().Token != 0 })

	// Registration and the groups, through whichever replica gets them.
	// Waves of five: each registration is answered with two messages, and
	// the next wave waits for a second without sends, so that no second
	// sees more than Telegram's 30 messages. (The leader's queue paces a
	// longer burst at 29 a second, which the fake, on a loaded machine,
	// sometimes sees compressed by the jitter into 31 in one second:
	// not what this test is about.)
	var last int64
	for i, p := range people {
		last = srv.SendText(p.User, p.User.ID, clock.Now(), p.NIP)
		if i%5 == 4 {
			confirmed(last)
			until("a wave of registrations answered", func() bool { return countPrefix(srv.History(), "Perintah") == i+1 })
			until("a quiet second", func() bool {
				h := srv.History()
				return len(h) == 0 || time.Since(h[len(h)-1].At) > time.Second
			})
		}
	}
	confirmed(last)
	for _, p := range people[:2] {
		confirmed(srv.SendText(p.User, e2eOPDs()[p.I].Group, clock.Now(), "/ikat"))
	}

	// Apel pagi opens: the leader's scheduler posts the prompts.
	at(7, 15)
	until("the pagi prompts", func() bool {
		return count("sendMessage", e2eOPDs()[0].Group, "Sudah hadir") == 1 && count("sendMessage", e2eOPDs()[1].Group, "Sudah hadir") == 1
	})
	at(7, 20)
	want := 0
	for _, p := range people {
		if p.I != late && p.I != absent {
			lat, lon := p.office()
			last = srv.SendLocation(p.User, clock.Now(), lat, lon, 10)
			want++
		}
	}
	confirmed(last)
	until("the pagi confirmations", func() bool { return countPrefix(srv.History(), "Kehadiran tercatat") == want })

	// Kill the leader, when no send is on the wire: a message whose send a
	// kill interrupts is resent by the next leader (or, a prompt, never),
	// as after the crash of a single process; Telegram has no way to tell
	// whether it arrived.
	until("the pagi sends recorded", func() bool { return pendingOutbox(t, db) == 0 })
	old := leaderNow()
	var killed, survivor *replicaProc
	for name, r := range reps {
		if strings.HasPrefix(old.Holder, name+"-") {
			killed = r
		} else {
			survivor = r
		}
	}
	if killed == nil {
		t.Fatalf("leader %q is neither replica", old.Holder)
	}
	sig := syscall.SIGKILL
	if stall {
		sig = syscall.SIGSTOP
	}
	if err := killed.proc.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	if !stall {
		dead = killed
		<-killed.exited
	}
	killedAt := time.Now()
	// A check-in meanwhile: the load balancer sends it to the dead (or
	// frozen) replica or the live one, and Telegram retries until one has
	// it. The confirmation waits in the outbox for a leader.
	at(7, 25)
	lat, lon := people[late].office()
	lateID := srv.SendLocation(people[late].User, clock.Now(), lat, lon, 10)
	if !stall {
		confirmed(lateID)
	}
	var took time.Duration
	until("a new leader", func() bool {
		l := leaderNow()
		if l.Token > old.Token && strings.HasPrefix(l.Holder, survivor.name+"-") {
			took = time.Since(killedAt)
			return true
		}
		return false
	})
	t.Logf("leader %s stopped (%v); %s took over after %v (lease ttl %v, renew %v)", killed.name, sig, survivor.name, took, failoverTTL, failoverRenew)
	// The bound is ttl+renew; the margin is for a loaded machine.
	if bound := failoverTTL + failoverRenew + 10*time.Second; took > bound {
		t.Errorf("takeover took %v, want at most %v", took, bound)
	}
	if stall {
		// The old leader wakes up: it must notice it lost the lease.
		if err := killed.proc.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		confirmed(lateID)
		until("the stalled leader stepping down", func() bool {
			b, _ := os.ReadFile(killed.log)
			return strings.Contains(string(b), `"message":"leader: stopped"`)
		})
	}
	until("the late confirmation", func() bool {
		return count("sendMessage", people[late].User.ID, "Kehadiran tercatat") == 1
	})

	// The rest of the day on the survivor: reminders, closing, apel sore,
	// the daily report.
	at(8, 15)
	until("the reminder", func() bool { return count("sendMessage", people[absent].User.ID, "belum tercatat hadir") == 1 })
	at(8, 30)
	until("the pagi summaries", func() bool {
		return count("sendMessage", people[0].User.ID, "Rekap apel") == 1 && count("sendMessage", people[1].User.ID, "Rekap apel") == 1
	})
	at(15, 45)
	until("the sore prompts", func() bool {
		return count("sendMessage", e2eOPDs()[0].Group, "Sudah hadir") == 2 && count("sendMessage", e2eOPDs()[1].Group, "Sudah hadir") == 2
	})
	at(15, 50)
	for _, p := range people {
		lat, lon := p.office()
		last = srv.SendLocation(p.User, clock.Now(), lat, lon, 10)
	}
	confirmed(last)
	want += 1 + len(people)
	until("the sore confirmations", func() bool { return countPrefix(srv.History(), "Kehadiran tercatat") == want })
	at(17, 0)
	until("the daily report", func() bool { return count("sendMessage", e2eBKPSDMChat, "LAPORAN APEL HARIAN") == 1 })
	until("the report documents", func() bool { return count("sendDocument", e2eBKPSDMChat, "") == 2 })
	until("an empty outbox", func() bool { return pendingOutbox(t, db) == 0 })

	// Every check-in once.
	cis, err := db.CheckIns(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := db.Sessions(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	kind := map[int64]apel.SessionKind{}
	for _, s := range sessions {
		kind[s.ID] = s.Kind
	}
	perKind := map[apel.SessionKind]int{}
	seen := map[[2]int64]bool{}
	for _, c := range cis {
		k := [2]int64{c.SessionID, c.EmployeeID}
		if seen[k] {
			t.Errorf("employee %d has two check-ins in session %d", c.EmployeeID, c.SessionID)
		}
		seen[k] = true
		perKind[kind[c.SessionID]]++
	}
	if perKind[apel.Pagi] != len(people)-1 || perKind[apel.Sore] != len(people) {
		t.Errorf("check-ins: pagi %d, sore %d; want %d and %d", perKind[apel.Pagi], perKind[apel.Sore], len(people)-1, len(people))
	}

	// What people saw, exactly once each.
	calls := srv.History()
	for _, p := range people {
		want := 2
		if p.I == absent {
			want = 1
		}
		if n := len(delivered(calls, "sendMessage", p.User.ID, "Kehadiran tercatat")); n != want {
			t.Errorf("person %d: %d check-in confirmations, want %d", p.I, n, want)
		}
		wantRemind := 0
		if p.I == absent {
			wantRemind = 1
		}
		if n := len(delivered(calls, "sendMessage", p.User.ID, "belum tercatat hadir")); n != wantRemind {
			t.Errorf("person %d: %d reminders, want %d", p.I, n, wantRemind)
		}
	}
	for _, o := range e2eOPDs() {
		if n := len(delivered(calls, "sendMessage", o.Group, "Sudah hadir")); n != 2 {
			t.Errorf("group %s: %d prompts, want 2 (pagi and sore)", o.Code, n)
		}
	}
	for _, h := range people[:2] {
		if n := len(delivered(calls, "sendMessage", h.User.ID, "Rekap apel")); n != 2 {
			t.Errorf("head %d: %d summaries, want 2", h.I, n)
		}
	}
	reports := delivered(calls, "sendMessage", e2eBKPSDMChat, "LAPORAN APEL HARIAN")
	if len(reports) != 1 {
		t.Fatalf("daily reports: %d, want 1", len(reports))
	}
	for _, want := range []string{"Pagi: hadir 19/20", "Sore: hadir 20/20"} {
		if !strings.Contains(reports[0].Text(), want) {
			t.Errorf("daily report lacks %q:\n%s", want, reports[0].Text())
		}
	}
	if n := len(delivered(calls, "sendDocument", e2eBKPSDMChat, "")); n != 2 {
		t.Errorf("report documents: %d, want 2 (xlsx and pdf)", n)
	}
	for _, c := range calls {
		if c.ErrorCode == http.StatusTooManyRequests {
			t.Errorf("refused by the flood limits: %s to %d at %s", c.Method, c.ChatID(), c.At.Format("15:04:05.000"))
			n := 0
			for _, d := range calls {
				if d.At.After(c.At.Add(-time.Second)) && !d.At.After(c.At) && d.OK() && d.Method != "answerCallbackQuery" {
					n++
				}
				if d.ChatID() == c.ChatID() {
					t.Logf("  to the chat: %s at %s ok=%v", d.Method, d.At.Format("15:04:05.000"), d.OK())
				}
			}
			t.Logf("  messages in the second before: %d", n)
		}
	}
	if n := srv.Refused(); n != 0 {
		t.Errorf("%d calls refused by the flood limits", n)
	}
	attempts, refused := srv.WebhookDeliveries()
	t.Logf("webhook deliveries: %d, %d not answered 2xx (%d at the dead replica)", attempts, refused, lb.failed.Load())
	if err := srv.Err(); err != nil {
		t.Errorf("fake Bot API: %v", err)
	}

	// The replicas stop cleanly, the leader handing the lease back.
	stopping := []*replicaProc{survivor}
	if stall {
		stopping = append(stopping, killed)
	}
	for _, r := range stopping {
		if err := r.proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-r.exited:
			if r.exitErr != nil {
				t.Errorf("replica %s after SIGTERM: %v, want a clean exit", r.name, r.exitErr)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("replica %s did not stop 30s after SIGTERM", r.name)
		}
	}
	if l := leaderNow(); l.Expires.UnixMilli() != 0 {
		t.Errorf("lease after a clean stop: %+v, want released", l)
	}
}

// countPrefix counts the successful sendMessage calls whose text contains
// sub, in any chat.
func countPrefix(calls []telegramtest.Call, sub string) int {
	n := 0
	for _, c := range calls {
		if c.OK() && c.Method == "sendMessage" && strings.Contains(c.Text(), sub) {
			n++
		}
	}
	return n
}

// pendingOutbox counts the outbox messages not yet settled, due or not.
func pendingOutbox(t *testing.T, db *store.DB) int {
	t.Helper()
	due, err := db.DueOutbound(context.Background(), time.Now().AddDate(10, 0, 0), 10000)
	if err != nil {
		t.Fatal(err)
	}
	return len(due)
}
