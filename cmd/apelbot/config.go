package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones must resolve in a distroless image without /usr/share/zoneinfo

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/apelbot/apelbot/apel"
)

// Environment variables read by LoadConfig and ParseConfig. Secrets come only
// from the environment; the others override the file.
const (
	envToken    = "TELEGRAM_BOT_TOKEN"
	envAPIURL   = "TELEGRAM_API_URL"
	envDatabase = "APELBOT_DB"
	// envDatabaseURL names the database as a URL (postgres://... for
	// PostgreSQL, sqlite:PATH): it overrides APELBOT_DB and the file.
	envDatabaseURL = "APELBOT_DATABASE_URL"
	envLogLevel    = "APELBOT_LOG_LEVEL"
	envLogFormat   = "APELBOT_LOG_FORMAT"
)

// Defaults applied when the file leaves a key out.
const (
	defaultLanguage    = "id"
	defaultDatabase    = "apelbot.db"
	defaultAPIURL      = "https://api.telegram.org"
	defaultPollTimeout = 30 * time.Second
	defaultRadiusM     = 100
	defaultLogLevel    = "info"
	defaultLogFormat   = "json"
)

// Config is the whole validated configuration: the YAML file plus the
// environment. Build it with LoadConfig or ParseConfig; tests may fill it in
// directly.
type Config struct {
	Pemda        string            // pemda name, e.g. "Kota Ternate"
	BKPSDM       string            // name of the HR agency shown on reports, default "BKPSDM <pemda>"
	Policy       apel.Policy       // time zone, weekday table, window, radius, off days, heads in office
	OPDs         []apel.OPD        // in file order, codes unique
	Report       ReportConfig      // where the daily report goes
	Language     string            // "id" (default) or "en"
	HomeApprover apel.HomeApprover // who approves home points: "head" (default) or "bkpsdm"
	Database     string            // SQLite path or postgres:// URL (see store.Open); default "apelbot.db"; env APELBOT_DATABASE_URL, then APELBOT_DB, override
	Telegram     TelegramConfig    // Bot API access
	Log          LogConfig         // root logger settings
	// ShutdownTimeout bounds how long serve finishes the work in hand after
	// SIGTERM or SIGINT: file key shutdown_timeout, default 20s.
	ShutdownTimeout time.Duration
	Privacy         PrivacyConfig  // personal data kept (config_reliability.go)
	CheckIn         CheckInConfig  // live locations and review flags (config_checkin.go)
	Replicas        ReplicasConfig // several processes on one database (config_replicas.go)
}

// ReportConfig says where the daily report is posted.
type ReportConfig struct {
	// BKPSDMChat is the BKPSDM chat the report is posted to; 0 means the
	// report goes only to the admins' private chats.
	BKPSDMChat int64
	// Recipients are further chats (Sekda, mayor or regent) that get the
	// report, in file order.
	Recipients []int64
	// Threshold is the attendance rate, 0 to 1, under which the monthly
	// evaluation flags an OPD: file key report.threshold, a percentage; 0
	// when left out, which means apel.DefaultThreshold (config_report.go).
	Threshold float64
}

// TelegramConfig is the Bot API access. Its String and GoString methods
// redact the token.
type TelegramConfig struct {
	// Token is the bot token, from env TELEGRAM_BOT_TOKEN only, never from
	// the file. Empty when unset; see Config.RequireToken.
	Token string `json:"-"`
	// APIURL is the Bot API base URL without a trailing slash: file key
	// telegram.api_url, env TELEGRAM_API_URL overrides, default
	// "https://api.telegram.org".
	APIURL string
	// PollTimeout is the long-polling timeout of getUpdates: file key
	// telegram.poll_timeout, default 30s.
	PollTimeout time.Duration
	// OutageThreshold is how long the bot may be without contact with
	// Telegram (every call failing, or the process down) before the gap is
	// recorded as an outage that disrupts the sessions it overlaps: file
	// key telegram.outage_threshold, default 3m, 1m to 2h.
	OutageThreshold time.Duration
	// Webhook is webhook mode (telegram.webhook); its URL is empty for long
	// polling, the default.
	Webhook WebhookConfig
}

// LogConfig sets up the root logger.
type LogConfig struct {
	Level  string // trace, debug, info (default), warn, error or disabled; env APELBOT_LOG_LEVEL overrides
	Format string // "json" (default) or "console"; env APELBOT_LOG_FORMAT overrides
}

// String implements fmt.Stringer with the token redacted.
func (t TelegramConfig) String() string {
	return fmt.Sprintf("api_url=%s token=%s poll_timeout=%s outage_threshold=%s webhook={%s}", t.APIURL, redactSecret(t.Token), t.PollTimeout, t.OutageThreshold, t.Webhook)
}

// GoString implements fmt.GoStringer so that %#v redacts the token too.
func (t TelegramConfig) GoString() string {
	return fmt.Sprintf("main.TelegramConfig{Token:%q, APIURL:%q, PollTimeout:%d, Webhook:%#v}", redactSecret(t.Token), t.APIURL, t.PollTimeout, t.Webhook)
}

// String returns a one-line summary of c for the startup log. The token is
// shown as "***" when set and "" when not; coordinates are left out.
func (c Config) String() string {
	zone := ""
	if c.Policy.Location != nil {
		zone = c.Policy.Location.String()
	}
	var days []string
	for _, wd := range weekOrder() {
		if _, ok := c.Policy.Days[wd]; ok {
			days = append(days, wd.String()[:3])
		}
	}
	return fmt.Sprintf("pemda=%q bkpsdm=%q timezone=%s days=%s radius_m=%v off_days=%d holidays=%d "+
		"flexible_work=%t weekly_cap=%d overrides=%d heads_in_office=%t opds=%d "+
		"language=%s home_point_approver=%s database=%q report.bkpsdm_chat=%d report.recipients=%d "+
		"telegram.api_url=%s telegram.token=%s telegram.poll_timeout=%s telegram.webhook.url=%s telegram.webhook.listen=%s "+
		"telegram.webhook.token=%s shutdown_timeout=%s privacy.retention=%s replicas={%s} log.level=%s log.format=%s",
		c.Pemda, c.BKPSDM, zone, strings.Join(days, ","), c.Policy.RadiusM, len(c.Policy.OffDays), len(c.Policy.Holidays),
		!c.Policy.NoFlexibleWork, c.Policy.WeeklyCap, len(c.Policy.Overrides), c.Policy.HeadsInOffice, len(c.OPDs),
		c.Language, c.HomeApprover, redactDatabase(c.Database), c.Report.BKPSDMChat, len(c.Report.Recipients),
		c.Telegram.APIURL, redactSecret(c.Telegram.Token), c.Telegram.PollTimeout, c.Telegram.Webhook.URL, c.Telegram.Webhook.Listen,
		redactSecret(c.Telegram.Webhook.Secret), c.ShutdownTimeout, c.Privacy.Retention, c.Replicas, c.Log.Level, c.Log.Format)
}

// RequireToken returns an error when the bot token is not set. `serve` needs
// it; the offline commands (demo, import, report) do not.
func (c Config) RequireToken() error {
	if c.Telegram.Token == "" {
		return errors.New(envToken + " is not set")
	}
	return nil
}

// LoadConfig reads the YAML file at path and returns ParseConfig's result.
// getenv is usually os.Getenv.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := ParseConfig(data, getenv)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses the YAML configuration strictly (unknown keys are errors
// with their line), applies defaults and the environment (read through
// getenv, which may be nil), and validates the result. It connects to
// nothing. Every error names the offending key (or environment variable),
// e.g. `schedule.days.monday.mode: unknown mode "WFX": want WFO, WFH or WFA`;
// YAML errors carry the line and column. When several keys are wrong the
// errors are joined, one per line.
func ParseConfig(data []byte, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var f fileConfig
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return Config{}, fmt.Errorf("parse yaml: %w", err)
	}
	var v configValidator
	c := v.config(f, getenv)
	if err := errors.Join(v.errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// fileConfig is the YAML file as written.
type fileConfig struct {
	Pemda             string       `yaml:"pemda"`
	BKPSDM            string       `yaml:"bkpsdm"`
	Timezone          string       `yaml:"timezone"`
	Language          string       `yaml:"language"`
	Database          string       `yaml:"database"`
	HomePointApprover string       `yaml:"home_point_approver"`
	HeadsInOffice     yamlText     `yaml:"heads_in_office"`
	Telegram          fileTelegram `yaml:"telegram"`
	Schedule          fileSchedule `yaml:"schedule"`
	OPDs              []fileOPD    `yaml:"opds"`
	Report            fileReport   `yaml:"report"`
	Log               fileLog      `yaml:"log"`
	ShutdownTimeout   yamlText     `yaml:"shutdown_timeout"` // config_reliability.go
	Privacy           filePrivacy  `yaml:"privacy"`          // config_reliability.go
	Policy            filePolicy   `yaml:"policy"`           // config_policy.go
	CheckIn           fileCheckIn  `yaml:"checkin"`          // config_checkin.go
	Replicas          fileReplicas `yaml:"replicas"`         // config_replicas.go
}

type fileTelegram struct {
	APIURL      string      `yaml:"api_url"`
	PollTimeout yamlText    `yaml:"poll_timeout"`
	Outage      yamlText    `yaml:"outage_threshold"`
	Token       *yamlText   `yaml:"token"`   // refused: the token comes from the environment only
	Webhook     fileWebhook `yaml:"webhook"` // config_reliability.go
}

type fileSchedule struct {
	RadiusM yamlText            `yaml:"radius_m"`
	Window  fileWindow          `yaml:"window"`
	Days    map[string]*fileDay `yaml:"days"`
	OffDays []fileOffDay        `yaml:"off_days"`
	// Holidays are the pemda's additions to the national holidays;
	// NationalHolidays false leaves the shipped ones out.
	Holidays         []fileHoliday `yaml:"holidays"`
	NationalHolidays yamlText      `yaml:"national_holidays"`
}

type fileWindow struct {
	OpenBefore   yamlText `yaml:"open_before"`
	LateAfter    yamlText `yaml:"late_after"`
	CloseAfter   yamlText `yaml:"close_after"`
	RemindBefore yamlText `yaml:"remind_before"`
}

type fileDay struct {
	Pagi     yamlText   `yaml:"pagi"`
	Sore     yamlText   `yaml:"sore"`
	Mode     string     `yaml:"mode"`
	Shift    yamlText   `yaml:"shift"`    // a mixed day: part of the staff off-site by rotation
	Quota    *fileQuota `yaml:"quota"`    // share of the headcount that may be off-site
	Requests []string   `yaml:"requests"` // off-site modes an ASN may ask for
}

type fileOffDay struct {
	Date yamlText `yaml:"date"`
	Name string   `yaml:"name"`
}

type fileOPD struct {
	Code          string    `yaml:"code"`
	Name          string    `yaml:"name"`
	Office        filePoint `yaml:"office"`
	DirectService yamlText  `yaml:"direct_service"`
}

type filePoint struct {
	Lat yamlText `yaml:"lat"`
	Lon yamlText `yaml:"lon"`
}

type fileReport struct {
	BKPSDMChat yamlText   `yaml:"bkpsdm_chat"`
	Recipients []yamlText `yaml:"recipients"`
	Threshold  yamlText   `yaml:"threshold"` // config_report.go
}

type fileLog struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// yamlText is a scalar kept as the operator wrote it, parsed later by the
// validator so that errors name the key. YAML reads an unquoted 07.30 as the
// number 7.3, and the decoder silently truncates 1.5 into an int64 chat id;
// apel times, dates, durations, numbers and switches want the source text
// instead. Quoted strings are unquoted; null is "".
type yamlText string

// UnmarshalYAML implements yaml.NodeUnmarshaler: a scalar is read from its
// token as written. (As a yaml.BytesUnmarshaler it had the node formatted
// into bytes first, and goccy/go-yaml formats a node by walking every
// token of the file: a configuration of 1,000 OPDs took five seconds to
// load.) The decoder resolves anchors and aliases before.
func (t *yamlText) UnmarshalYAML(n ast.Node) error {
	switch n := n.(type) {
	case *ast.NullNode:
		*t = ""
	case *ast.StringNode:
		*t = yamlText(strings.TrimSpace(n.Value))
	case *ast.LiteralNode: // | and > blocks
		*t = yamlText(strings.TrimSpace(n.Value.Value))
	case *ast.TagNode:
		return t.UnmarshalYAML(n.Value)
	case ast.ScalarNode: // numbers, booleans, infinities
		*t = yamlText(strings.TrimSpace(n.GetToken().Value))
	default: // mappings or lists, which validation refuses
		*t = yamlText(strings.TrimSpace(n.String()))
	}
	return nil
}

// fromBytes sets t from the YAML source of one value, for the
// yaml.BytesUnmarshaler of a type that holds a yamlText.
func (t *yamlText) fromBytes(b []byte) error {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*t = ""
	case string:
		*t = yamlText(strings.TrimSpace(v))
	default: // numbers, booleans, and mappings or lists that validation will refuse
		*t = yamlText(strings.TrimSpace(string(b)))
	}
	return nil
}

// configValidator turns a fileConfig into a Config, collecting every error
// so that the operator sees them all at once.
type configValidator struct {
	errs []error
}

func (v *configValidator) fail(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

func (v *configValidator) config(f fileConfig, getenv func(string) string) Config {
	c := Config{
		Pemda:  strings.TrimSpace(f.Pemda),
		BKPSDM: strings.TrimSpace(f.BKPSDM),
		Database: cmp.Or(strings.TrimSpace(getenv(envDatabaseURL)), strings.TrimSpace(getenv(envDatabase)),
			strings.TrimSpace(f.Database), defaultDatabase),
	}
	if err := checkDatabase(c.Database); err != nil {
		v.fail("database: %v", err)
	}
	if c.Pemda == "" {
		v.fail(`pemda: missing: want the name of the pemda, e.g. "Kota Ternate"`)
	}
	if c.BKPSDM == "" && c.Pemda != "" {
		c.BKPSDM = "BKPSDM " + c.Pemda
	}

	c.Language = strings.ToLower(cmp.Or(strings.TrimSpace(f.Language), defaultLanguage))
	if c.Language != "id" && c.Language != "en" {
		v.fail("language: %q is not supported: want id or en", f.Language)
	}

	switch a := apel.HomeApprover(strings.ToLower(strings.TrimSpace(f.HomePointApprover))); a {
	case "":
		c.HomeApprover = apel.ApproveByHead
	case apel.ApproveByHead, apel.ApproveByBKPSDM:
		c.HomeApprover = a
	default:
		v.fail("home_point_approver: %q is not supported: want %s or %s", f.HomePointApprover, apel.ApproveByHead, apel.ApproveByBKPSDM)
	}

	c.Policy = v.policy(f)
	c.Policy.HeadsInOffice = v.boolean("heads_in_office", f.HeadsInOffice)
	c.OPDs = v.opds(f.OPDs)
	v.policyRules(&c.Policy, f, c.OPDs)
	c.Report = v.report(f.Report)
	c.Telegram = v.telegram(f.Telegram, getenv)
	c.Telegram.Webhook = v.webhook(f.Telegram.Webhook, getenv)
	c.ShutdownTimeout = v.shutdownTimeout(f.ShutdownTimeout)
	c.Privacy = v.privacy(f.Privacy)
	c.CheckIn = v.checkIn(f.CheckIn)
	c.Replicas = v.replicas(f.Replicas, c.Telegram.Webhook)
	c.Log = v.log(f.Log, getenv)
	return c
}

func (v *configValidator) opds(in []fileOPD) []apel.OPD {
	if len(in) == 0 {
		v.fail("opds: missing: want at least one OPD")
		return nil
	}
	out := make([]apel.OPD, 0, len(in))
	first := make(map[string]int, len(in))
	for i, fo := range in {
		path := fmt.Sprintf("opds[%d]", i)
		o := apel.OPD{
			Code:          strings.TrimSpace(fo.Code),
			Name:          strings.TrimSpace(fo.Name),
			DirectService: v.boolean(path+".direct_service", fo.DirectService),
		}
		office, ok := v.point(path+".office", fo.Office)
		check := o
		if check.Office = office; !ok {
			// The office error is already reported; let the domain check
			// the rest with a stand-in point.
			check.Office = apel.Point{Lat: 1, Lon: 1}
		}
		if err := check.Validate(); err != nil {
			v.fail("%s: %w", path, err)
		}
		o.Office = office
		if j, dup := first[o.Code]; dup && o.Code != "" {
			v.fail("opds[%d].code: duplicate code %q (first at opds[%d])", i, o.Code, j)
		} else {
			first[o.Code] = i
		}
		out = append(out, o)
	}
	return out
}

func (v *configValidator) report(in fileReport) ReportConfig {
	var r ReportConfig
	if in.BKPSDMChat != "" {
		r.BKPSDMChat = v.chatID("report.bkpsdm_chat", in.BKPSDMChat, ": leave it out to send reports only to admins' private chats")
	}
	seen := make(map[int64]bool, len(in.Recipients))
	for i, raw := range in.Recipients {
		path := fmt.Sprintf("report.recipients[%d]", i)
		if raw == "" {
			v.fail("%s: missing chat id", path)
			continue
		}
		id := v.chatID(path, raw, "")
		if id == 0 {
			continue
		}
		if seen[id] {
			v.fail("%s: duplicate chat id %d", path, id)
			continue
		}
		seen[id] = true
		r.Recipients = append(r.Recipients, id)
	}
	r.Threshold = v.threshold(in.Threshold)
	return r
}

// chatID parses a Telegram chat id: a non-zero whole number (groups are
// negative). It returns 0 after reporting an error; zeroHint ends the
// message about a 0.
func (v *configValidator) chatID(path string, raw yamlText, zeroHint string) int64 {
	id, err := strconv.ParseInt(string(raw), 10, 64)
	switch {
	case err != nil:
		v.fail("%s: invalid chat id %q: want a whole number such as -1001234567890: %w", path, raw, numErrorCause(err))
		return 0
	case id == 0:
		v.fail("%s: chat id must not be 0%s", path, zeroHint)
	}
	return id
}

// boolean parses a switch: true or false in any case; missing is false.
func (v *configValidator) boolean(path string, raw yamlText) bool {
	switch strings.ToLower(string(raw)) {
	case "", "false":
		return false
	case "true":
		return true
	}
	v.fail("%s: %q is not supported: want true or false", path, raw)
	return false
}

// number parses a finite decimal number.
func (v *configValidator) number(path string, raw yamlText) (float64, bool) {
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		v.fail("%s: invalid number %q: %w", path, raw, numErrorCause(err))
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.fail("%s: invalid number %q: want a finite number", path, raw)
		return 0, false
	}
	return f, true
}

// numErrorCause drops the strconv prefix that repeats the input.
func numErrorCause(err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return ne.Err
	}
	return err
}

// point parses an office point. Leaving out both lat and lon gives the zero
// point, which apel.OPD.Validate refuses with its own message; ok is false
// when an error was reported here.
func (v *configValidator) point(path string, in filePoint) (apel.Point, bool) {
	if in.Lat == "" && in.Lon == "" {
		return apel.Point{}, true
	}
	ok := true
	coord := func(key string, raw yamlText) float64 {
		if raw == "" {
			v.fail("%s.%s: missing", path, key)
			ok = false
			return 0
		}
		f, good := v.number(path+"."+key, raw)
		ok = ok && good
		return f
	}
	p := apel.Point{Lat: coord("lat", in.Lat), Lon: coord("lon", in.Lon)}
	if !ok {
		return p, false
	}
	// apel.OPD.Validate only says the office is missing; say what is wrong.
	if err := p.Validate(); err != nil {
		v.fail("%s: %w", path, err)
		return p, false
	}
	return p, true
}

func (v *configValidator) telegram(in fileTelegram, getenv func(string) string) TelegramConfig {
	if in.Token != nil {
		// The value is never echoed: it is a secret in the wrong place.
		v.fail("telegram.token: not allowed in the file: set the environment variable %s instead", envToken)
	}
	t := TelegramConfig{
		Token:           strings.TrimSpace(getenv(envToken)),
		PollTimeout:     defaultPollTimeout,
		OutageThreshold: apel.DefaultOutageThreshold,
	}
	key, raw := "telegram.api_url", strings.TrimSpace(in.APIURL)
	if env := strings.TrimSpace(getenv(envAPIURL)); env != "" {
		key, raw = envAPIURL, env
	}
	t.APIURL = cmp.Or(raw, defaultAPIURL)
	if u, err := url.Parse(t.APIURL); err != nil {
		v.fail("%s: %w", key, err)
	} else if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		v.fail("%s: invalid URL %q: want http(s)://host[:port][/path]", key, t.APIURL)
	}
	t.APIURL = strings.TrimRight(t.APIURL, "/")
	if in.PollTimeout != "" {
		d, err := time.ParseDuration(string(in.PollTimeout))
		switch {
		case err != nil:
			v.fail("telegram.poll_timeout: invalid duration %q: want e.g. 30s: %w", in.PollTimeout, err)
		case d < time.Second:
			v.fail("telegram.poll_timeout: %v: want at least 1s", d)
		default:
			t.PollTimeout = d
		}
	}
	if in.Outage != "" {
		d, err := time.ParseDuration(string(in.Outage))
		switch {
		case err != nil:
			v.fail("telegram.outage_threshold: invalid duration %q: want e.g. 3m: %w", in.Outage, err)
		case d < time.Minute || d > 2*time.Hour:
			v.fail("telegram.outage_threshold: %v: want 1m to 2h", d)
		default:
			t.OutageThreshold = d
		}
	}
	return t
}

func (v *configValidator) log(in fileLog, getenv func(string) string) LogConfig {
	var l LogConfig
	levelKey, level := "log.level", cmp.Or(strings.TrimSpace(in.Level), defaultLogLevel)
	if env := strings.TrimSpace(getenv(envLogLevel)); env != "" {
		levelKey, level = envLogLevel, env
	}
	l.Level = strings.ToLower(level)
	switch l.Level {
	case "trace", "debug", "info", "warn", "error", "disabled":
	default:
		v.fail("%s: %q is not supported: want trace, debug, info, warn, error or disabled", levelKey, level)
	}
	formatKey, format := "log.format", cmp.Or(strings.TrimSpace(in.Format), defaultLogFormat)
	if env := strings.TrimSpace(getenv(envLogFormat)); env != "" {
		formatKey, format = envLogFormat, env
	}
	l.Format = strings.ToLower(format)
	if l.Format != "json" && l.Format != "console" {
		v.fail("%s: %q is not supported: want json or console", formatKey, format)
	}
	return l
}

func (v *configValidator) policy(f fileConfig) apel.Policy {
	s := f.Schedule
	before := len(v.errs)
	p := apel.Policy{Location: v.location(f.Timezone)}

	w, windowOK := v.window(s.Window)
	p.Window = w

	p.RadiusM = defaultRadiusM
	radiusOK := true
	if s.RadiusM != "" {
		p.RadiusM, radiusOK = v.number("schedule.radius_m", s.RadiusM)
	}
	// The domain owns the radius limits; a policy that is valid but for its
	// radius lets it say so.
	if radiusOK {
		if err := (apel.Policy{Location: time.UTC, Window: defaultWindow(), RadiusM: p.RadiusM}).Validate(); err != nil {
			v.fail("schedule.radius_m: %w", err)
			radiusOK = false
		}
	}

	p.Days = v.days(s.Days, windowOK && radiusOK, w)
	p.OffDays = v.offDays(s.OffDays)

	if len(v.errs) == before {
		// Every part passed on its own; the whole must pass too.
		if err := p.Validate(); err != nil {
			v.fail("schedule: %w", err)
		}
	}
	return p
}

// zoneError is a timezone key that does not load.
type zoneError struct {
	name string
	err  error
}

func (e *zoneError) Error() string { return fmt.Sprintf("timezone: unknown time zone %q", e.name) }
func (e *zoneError) Unwrap() error { return e.err }

func (v *configValidator) location(name string) *time.Location {
	name = strings.TrimSpace(name)
	switch name {
	case "":
		v.fail("timezone: missing: want an IANA zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)")
		return nil
	case "Local":
		v.fail(`timezone: "Local" depends on the host: want an IANA zone such as Asia/Jakarta`)
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.errs = append(v.errs, &zoneError{name: name, err: err})
		return nil
	}
	return loc
}

// defaultWindow is the check-in window when the file sets none: prompt 15
// minutes before apel, late 5 minutes after, closed after an hour, reminder
// 15 minutes before closing.
func defaultWindow() apel.Window {
	return apel.Window{
		OpenBefore:   15 * time.Minute,
		LateAfter:    5 * time.Minute,
		CloseAfter:   60 * time.Minute,
		RemindBefore: 15 * time.Minute,
	}
}

// window reads schedule.window; each key left out keeps its default. ok is
// false when the window is unusable.
func (v *configValidator) window(in fileWindow) (w apel.Window, ok bool) {
	w, ok = defaultWindow(), true
	for _, f := range []struct {
		key string
		raw yamlText
		dst *time.Duration
	}{
		{"open_before", in.OpenBefore, &w.OpenBefore},
		{"late_after", in.LateAfter, &w.LateAfter},
		{"close_after", in.CloseAfter, &w.CloseAfter},
		{"remind_before", in.RemindBefore, &w.RemindBefore},
	} {
		if f.raw == "" {
			continue
		}
		d, err := time.ParseDuration(string(f.raw))
		if err != nil {
			v.fail("schedule.window.%s: %w (want a duration such as 15m)", f.key, err)
			ok = false
			continue
		}
		*f.dst = d
	}
	if !ok {
		return w, false
	}
	if err := w.Validate(); err != nil {
		v.fail("schedule: %w", err)
		return w, false
	}
	return w, true
}

// defaultDays is the weekday table when the file sets none: Monday to
// Thursday 07:30 and 16:00, Friday 07:30 and 16:30, all WFO.
func defaultDays() map[time.Weekday]apel.DayRule {
	pagi, sore, soreFri := apel.Clock{Hour: 7, Minute: 30}, apel.Clock{Hour: 16}, apel.Clock{Hour: 16, Minute: 30}
	return map[time.Weekday]apel.DayRule{
		time.Monday:    {Pagi: pagi, Sore: sore, Mode: apel.WFO},
		time.Tuesday:   {Pagi: pagi, Sore: sore, Mode: apel.WFO},
		time.Wednesday: {Pagi: pagi, Sore: sore, Mode: apel.WFO},
		time.Thursday:  {Pagi: pagi, Sore: sore, Mode: apel.WFO},
		time.Friday:    {Pagi: pagi, Sore: soreFri, Mode: apel.WFO},
	}
}

// weekOrder lists the weekdays the way an Indonesian office counts them.
func weekOrder() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}

// parseWeekday reads a schedule.days key: an English or Indonesian day name
// in any case.
func parseWeekday(key string) (time.Weekday, bool) {
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "monday", "senin":
		return time.Monday, true
	case "tuesday", "selasa":
		return time.Tuesday, true
	case "wednesday", "rabu":
		return time.Wednesday, true
	case "thursday", "kamis":
		return time.Thursday, true
	case "friday", "jumat":
		return time.Friday, true
	case "saturday", "sabtu":
		return time.Saturday, true
	case "sunday", "minggu":
		return time.Sunday, true
	}
	return 0, false
}

// days reads schedule.days. Each day is also checked against the window
// (apel pagi and sore must not overlap) when the window and radius are
// usable, so that the error names the day.
func (v *configValidator) days(in map[string]*fileDay, checkWindow bool, w apel.Window) map[time.Weekday]apel.DayRule {
	if in == nil {
		return defaultDays()
	}
	out := make(map[time.Weekday]apel.DayRule, len(in))
	if len(in) == 0 {
		v.fail("schedule.days: empty: want at least one weekday with apel, or leave days out for Monday to Friday")
		return out
	}
	rank := func(key string) int {
		wd, ok := parseWeekday(key)
		if !ok {
			return 7
		}
		return slices.Index(weekOrder(), wd)
	}
	keys := slices.SortedFunc(maps.Keys(in), func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
	seen := make(map[time.Weekday]string, len(in))
	for _, key := range keys {
		path := "schedule.days." + key
		wd, ok := parseWeekday(key)
		if !ok {
			v.fail("%s: unknown weekday: want monday to sunday or senin to minggu", path)
			continue
		}
		if prev, dup := seen[wd]; dup {
			v.fail("%s: same day as %s", path, prev)
			continue
		}
		seen[wd] = key
		d := in[key]
		if d == nil {
			d = &fileDay{}
		}
		r, ok := v.day(path, *d)
		if !ok {
			continue
		}
		if checkWindow {
			one := apel.Policy{Location: time.UTC, Window: w, RadiusM: defaultRadiusM, Days: map[time.Weekday]apel.DayRule{wd: r}}
			if err := one.Validate(); err != nil {
				v.fail("%s: %w", path, err)
				continue
			}
		}
		out[wd] = r
	}
	return out
}

// day reads one weekday entry; a missing mode means WFO. shift, quota and
// requests are read by work (config_policy.go).
func (v *configValidator) day(path string, d fileDay) (apel.DayRule, bool) {
	ok := true
	clock := func(key string, raw yamlText) apel.Clock {
		if raw == "" {
			v.fail("%s.%s: missing: want HH:MM", path, key)
			ok = false
			return apel.Clock{}
		}
		c, err := apel.ParseClock(string(raw))
		if err != nil {
			v.fail("%s.%s: %w", path, key, err)
			ok = false
		}
		return c
	}
	r := apel.DayRule{Pagi: clock("pagi", d.Pagi), Sore: clock("sore", d.Sore)}
	w, workOK := v.work(path, d.Mode, d.Shift, d.Quota, d.Requests)
	r.Mode, r.Shift, r.Quota, r.Requests = w.Mode, w.Shift, w.Quota, w.Requests
	return r, ok && workOK
}

// offDays reads schedule.off_days.
func (v *configValidator) offDays(in []fileOffDay) map[apel.Date]string {
	out := make(map[apel.Date]string, len(in))
	for i, od := range in {
		path := fmt.Sprintf("schedule.off_days[%d].date", i)
		if od.Date == "" {
			v.fail("%s: missing: want YYYY-MM-DD", path)
			continue
		}
		d, err := apel.ParseDate(string(od.Date))
		if err != nil {
			v.fail("%s: %w", path, err)
			continue
		}
		if _, dup := out[d]; dup {
			v.fail("%s: duplicate date %s", path, d)
			continue
		}
		out[d] = strings.TrimSpace(od.Name)
	}
	return out
}

// redactSecret hides a secret: "***" when set, "" when not.
// checkDatabase accepts what store.Open opens: a SQLite file path,
// sqlite:PATH, or a postgres:// (postgresql://) URL. Anything else with a
// scheme would otherwise become a SQLite file of that odd name.
func checkDatabase(s string) error {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok || strings.ContainsAny(scheme, `/\`) {
		return nil
	}
	switch scheme {
	case "postgres", "postgresql":
		if _, err := url.Parse(s); err != nil {
			return fmt.Errorf("%s: not a valid URL", redactDatabase(s))
		}
		return nil
	}
	return fmt.Errorf("%q: unsupported: want a SQLite file path, sqlite:PATH or a postgres:// URL", scheme+"://")
}

// redactDatabase hides the password of a database URL (in its user part or
// a password= parameter), for logs and errors.
func redactDatabase(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable database URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

func redactSecret(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}
