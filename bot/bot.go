// Package bot is apelbot's Telegram adapter: it turns updates into domain
// inputs, asks package apel for decisions, saves them through a small Store
// interface and renders the answers from the locale catalogues. It holds no
// rules of its own.
//
// The package polls Telegram itself (poll.go) instead of using the library's
// poller, because the library confirms an update before its handler has run:
// here every update is saved in the store before it is confirmed, and marked
// done once handled, so a crash never loses an accepted update. Webhook mode
// (webhook.go) keeps the same promise by answering Telegram only then.
//
// Every outbound call waits in one queue (queue.go) that keeps Telegram's
// rate limits and retries what can be retried; the scheduler's messages go
// through a durable outbox (outbox.go) that survives restarts.
package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/locales"
)

// Targets are the chats that receive the pemda's daily report.
type Targets struct {
	BKPSDMChat int64   // the BKPSDM group or chat; 0 sends to admins' private chats instead
	Recipients []int64 // further chats, e.g. the Sekda's and the mayor's
}

// Config holds what a Bot needs.
type Config struct {
	Token        string
	ServerURL    string // Bot API base URL: https://api.telegram.org, a self-hosted server or the test fake
	PollTimeout  time.Duration
	Pemda        string
	BKPSDM       string // name of the HR agency, for report headers
	Policy       apel.Policy
	Planner      apel.Planner // decides each person's mode; defaults to Policy
	OPDs         []apel.OPD
	HomeApprover apel.HomeApprover
	Targets      Targets
	Language     string // the pemda's default language
	Catalog      *locales.Catalog
	Store        Store
	Logger       zerolog.Logger
	Now          func() time.Time // processing time; defaults to time.Now
	HTTPClient   *http.Client     // optional
	// Limits are the outbound rates; zero fields take Telegram's published
	// limits (about 30 messages/s overall, 1/s per private chat, 20/min
	// per group).
	Limits Limits
	// CallTimeout bounds one attempt of one Bot API call; default 15s.
	CallTimeout time.Duration
	// Webhook, when its URL is set, makes Run take updates from a webhook
	// instead of long polling.
	Webhook Webhook
	// ShutdownTimeout bounds how long Run finishes the work in hand once
	// its context ends; default 20s.
	ShutdownTimeout time.Duration
	// Threshold is the attendance rate, 0 to 1, under which the monthly
	// evaluation (/bulanan) flags an OPD; 0 means apel.DefaultThreshold.
	Threshold float64
	// Outage is how long the bot may be without contact with Telegram
	// (calls failing, or the process down) before the gap is recorded as an
	// outage; 0 means apel.DefaultOutageThreshold.
	Outage apel.Liveness
	// Flags are the thresholds of the review flags; zero fields take the
	// defaults (flags.go).
	Flags apel.FlagRules
	// Live is the live-location policy: whether a static location is
	// refused, and how long and how far a live one is followed (trail.go).
	Live apel.LiveRules
	// Replicas is set when several bots share the store (webhook mode
	// behind a load balancer): Run then leaves the outbox to RunOutbox,
	// which only the elected leader runs.
	Replicas Replicas
}

// Replicas configures a bot that is one of several sharing one store.
type Replicas struct {
	// Enabled makes Run leave the durable outbox alone: the caller runs
	// RunOutbox on the one replica that holds the sender's lease, so that
	// Telegram's limits hold across replicas and nothing is sent twice.
	Enabled bool
	// ID names this replica in update claims (see Store.ClaimUpdate); it
	// must differ between live replicas. Default: random.
	ID string
	// OutboxPoll is how often the outbox deliverer looks at the store for
	// messages another replica queued (it cannot wake it directly); 0
	// means the single-replica default, once a minute.
	OutboxPoll time.Duration
}

// Bot is the Telegram adapter. Create it with New, run it with Run.
type Bot struct {
	cfg      Config
	tg       *tg.Bot
	http     *http.Client
	username string
	opds     map[string]apel.OPD
	queue    *queue         // every outbound call waits here
	outbox   *outbox        // delivers the durable messages
	plans    planCache      // the check-in path's plans (plancache.go)
	handled  handledMark    // the updates handled so far (WaitHandled)
	evq      *evidenceQueue // traces and flags of recorded batches (evidenceq.go)
	live     liveness       // contact with Telegram, for outages (liveness.go)
}

// New builds the Telegram client and asks Telegram who the bot is. It fails
// when the server cannot be reached or rejects the token.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Planner == nil {
		cfg.Planner = cfg.Policy
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.Language == "" {
		cfg.Language = "id"
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = defaultShutdownTimeout
	}
	if cfg.Replicas.ID == "" {
		cfg.Replicas.ID = randomID()
	}
	if cfg.Replicas.OutboxPoll <= 0 {
		cfg.Replicas.OutboxPoll = outboxIdlePoll
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.PollTimeout + 15*time.Second}
	}
	b := &Bot{
		cfg:    cfg,
		http:   hc,
		opds:   make(map[string]apel.OPD, len(cfg.OPDs)),
		queue:  newQueue(cfg.Limits, cfg.CallTimeout),
		outbox: newOutbox(),
		evq:    newEvidenceQueue(),
		live:   liveness{rule: cfg.Outage},
	}
	for _, o := range cfg.OPDs {
		b.opds[o.Code] = o
	}
	log := cfg.Logger
	client, err := tg.New(cfg.Token,
		tg.WithServerURL(strings.TrimRight(cfg.ServerURL, "/")),
		tg.WithHTTPClient(cfg.PollTimeout, hc),
		tg.WithSkipGetMe(),
		tg.WithNotAsyncHandlers(),
		tg.WithDefaultHandler(b.route),
		tg.WithMiddlewares(b.logMiddleware, b.recoverMiddleware), // logger outermost, so a recovered panic is logged
		tg.WithErrorsHandler(func(err error) {
			ev := log.Error()
			var tmr *tg.TooManyRequestsError
			if errors.As(err, &tmr) {
				ev = log.Warn().Int("retry_after", tmr.RetryAfter)
			}
			ev.Err(err).Msg("telegram")
		}),
		tg.WithDebugHandler(func(format string, args ...any) { log.Debug().Msgf(format, args...) }),
	)
	if err != nil {
		return nil, fmt.Errorf("create telegram client: %w", err)
	}
	b.tg = client
	gctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	me, err := client.GetMe(gctx)
	if err != nil {
		return nil, fmt.Errorf("get bot identity: %w", err)
	}
	b.username = me.Username
	// The time the process was down, if long, is an outage, recorded (as
	// going on) before the scheduler first looks; the first updates
	// fetched end it.
	b.started(ctx, cfg.Now())
	return b, nil
}

// Username returns the bot's Telegram username, without "@".
func (b *Bot) Username() string { return b.username }

// printer returns the message printer for a language, falling back to the
// pemda's default.
func (b *Bot) printer(lang string) locales.Printer {
	if lang == "" {
		lang = b.cfg.Language
	}
	return b.cfg.Catalog.Printer(lang) // resolves "en-US" to "en"
}

// printerFor returns the printer for an employee's language.
func (b *Bot) printerFor(e apel.Employee) locales.Printer { return b.printer(e.Lang) }

// deepLink returns the t.me link that opens the bot's private chat with
// /start payload.
func (b *Bot) deepLink(payload string) string {
	return "https://t.me/" + b.username + "?start=" + payload
}
