package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

func loadCatalog(t *testing.T) *locales.Catalog {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatalf("locales.Load: %v", err)
	}
	return cat
}

// requireKeys fails for every key missing from any catalogue.
func requireKeys(t *testing.T, cat *locales.Catalog, what string, keys []string) {
	t.Helper()
	have := map[string]bool{}
	for _, k := range cat.Keys() {
		have[k] = true
	}
	for _, k := range keys {
		if !have[k] {
			t.Errorf("%s: key %q missing from the catalogues %v", what, k, cat.Languages())
		}
	}
}

func TestEveryReasonHasMessage(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, r := range apel.Reasons() {
		keys = append(keys, "reason."+string(r))
	}
	requireKeys(t, loadCatalog(t), "apel.Reasons", keys)
}

func TestEveryRosterProblemHasMessage(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, p := range apel.Problems() {
		keys = append(keys, "roster.problem."+string(p))
	}
	requireKeys(t, loadCatalog(t), "apel.Problems", keys)
}

// dynamicKeys returns every key built at run time from a prefix, by prefix,
// enumerated from the apel constants the code feeds into it.
func dynamicKeys() map[string][]string {
	loc := time.UTC
	modes := []apel.Mode{apel.WFO, apel.WFH, apel.WFA}
	kinds := []apel.SessionKind{apel.Pagi, apel.Sore}
	out := map[string][]string{}
	add := func(prefix, suffix string) { out[prefix] = append(out[prefix], prefix+suffix) }
	for _, m := range modes {
		add("mode.", strings.ToLower(string(m)))
		add("place.", string(apel.PlaceOf(m)))
	}
	for _, k := range kinds {
		add("session.", string(k))
		add("report.session.", string(k))
	}
	for _, k := range []apel.ExcuseKind{apel.Izin, apel.Sakit, apel.Cuti, apel.DinasLuar} {
		add("excuse.", string(k))
	}
	for _, r := range apel.ModeReasons() {
		add("mode_reason.", string(r))
	}
	for _, r := range apel.Reasons() {
		add("reason.", string(r))
	}
	for _, p := range apel.Problems() {
		add("roster.problem.", string(p))
	}
	for _, k := range apel.FlagKinds() {
		add("flag.", string(k))
		add("flag.short.", string(k))
	}
	for _, d := range []apel.ReviewDecision{apel.ReviewAccept, apel.ReviewReject, "pending"} {
		add("flags.status.", string(d))
	}
	for _, s := range []apel.Status{apel.StatusOnTime, apel.StatusLate, apel.StatusExcused, apel.StatusAbsent,
		apel.StatusPending, apel.StatusNotJudged} {
		add("attendance.", string(s))
	}
	for _, r := range apel.CorrectionReasons() {
		add("correct.reason.", string(r))
	}
	for _, c := range []string{"p", "s", "b"} {
		add("correct.session.", c)
	}
	for _, c := range []string{"line", "nip", "name", "opd", "role", "new_hire", "disciplinary"} {
		add("roster.column.", c)
	}
	// Notes: whatever Judge can attach, for every mode with and without a
	// home, at the office and at home.
	s := apel.Session{Slot: apel.Slot{Opens: time.Date(2026, 1, 1, 7, 0, 0, 0, loc), LateFrom: time.Date(2026, 1, 1, 7, 5, 0, 0, loc), Closes: time.Date(2026, 1, 1, 8, 0, 0, 0, loc)}}
	seen := map[apel.Reason]bool{}
	office, home := apel.Point{Lat: 1, Lon: 1}, apel.Point{Lat: 1.1, Lon: 1}
	for _, m := range modes {
		for _, c := range []struct{ home, at apel.Point }{{apel.Point{}, office}, {home, office}, {apel.Point{}, home}, {home, home}} {
			v, err := apel.Judge(apel.Judgement{Session: s, Mode: m, Office: office, Home: c.home, RadiusM: 100,
				Fix: apel.Fix{Point: c.at, At: s.Opens.Add(time.Minute)}})
			if err == nil && v.Note != "" && !seen[v.Note] {
				seen[v.Note] = true
				add("note.", string(v.Note))
			}
		}
	}
	for _, d := range []string{"approved", "rejected"} {
		for _, w := range []string{"toast", "by", "owner"} {
			add("home.", d+"_"+w)
		}
	}
	// Request decisions: "request." + status + "_toast" and so on.
	for _, st := range []apel.RequestStatus{apel.RequestPendingPPK, apel.RequestApproved, apel.RequestRejected} {
		for _, w := range []string{"toast", "by", "owner"} {
			add("request.", string(st)+"_"+w)
		}
	}
	for _, k := range apel.RequestKinds() {
		add("request.kind.", string(k))
	}
	add("request.kind.", "wfa_abroad")
	for _, st := range []apel.RequestStatus{apel.RequestPending, apel.RequestPendingPPK, apel.RequestApproved, apel.RequestRejected} {
		add("request.status.", string(st))
	}
	for _, d := range apel.DayOffs() {
		add("dayoff.", string(d))
	}
	return out
}

func TestDynamicKeysExist(t *testing.T) {
	t.Parallel()
	cat := loadCatalog(t)
	dyn := dynamicKeys()
	if len(dyn["note."]) == 0 {
		t.Errorf("no note found by judging every mode; the enumeration is broken")
	}
	for prefix, keys := range dyn {
		requireKeys(t, cat, "prefix "+prefix, keys)
	}
}

// literalKey matches T("some.key") and T("some.prefix."+...) in Go source.
var literalKey = regexp.MustCompile(`T\("([a-z0-9_.]+)"`) //nolint:gochecknoglobals // compiled once

// keyLiteral matches any string literal shaped like a catalogue key, for keys
// passed around in variables (section("summary.absent", ...), key := ...).
// It is applied to the files that do that: bot and the demo script.
var keyLiteral = regexp.MustCompile(`"([a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9_])"`) //nolint:gochecknoglobals // compiled once

func sourceFiles(t *testing.T) map[string]string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"*.go", filepath.Join("..", "cmd", "apelbot", "*.go")} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	out := map[string]string{}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = string(b)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d source files; run the test from bot/", len(out))
	}
	return out
}

func TestKeysUsedInSourceExist(t *testing.T) {
	t.Parallel()
	cat := loadCatalog(t)
	have := map[string]bool{}
	namespaces := map[string]bool{}
	for _, k := range cat.Keys() {
		have[k] = true
		namespaces[k[:strings.IndexByte(k, '.')]] = true
	}
	dyn := dynamicKeys()
	found := map[string]bool{}
	for name, src := range sourceFiles(t) {
		for _, m := range literalKey.FindAllStringSubmatch(src, -1) {
			key := m[1]
			found[key] = true
			if strings.HasSuffix(key, ".") {
				if _, ok := dyn[key]; !ok {
					t.Errorf("%s: T(%q + ...) uses a prefix this test does not enumerate; add it to dynamicKeys", name, key)
				}
				continue
			}
			if !have[key] {
				t.Errorf("%s: T(%q): key missing from the catalogues", name, key)
			}
		}
		if strings.HasPrefix(name, "..") && !strings.Contains(name, "demo_") {
			continue
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(src, -1) {
			key := m[1]
			found[key] = true
			ns := key[:strings.IndexByte(key, '.')]
			if namespaces[ns] && !have[key] && !slices.Contains([]string{"home.approved", "home.rejected"}, key) {
				t.Errorf("%s: literal %q looks like a catalogue key but is missing", name, key)
			}
		}
	}
	for _, k := range []string{"common.error", "reason.", "home.sent_no_approver", "summary.absent", "demo.step_bind"} {
		if !found[k] {
			t.Errorf("the source scan did not find %q; the scan is broken", k)
		}
	}
}
