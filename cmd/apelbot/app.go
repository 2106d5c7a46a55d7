package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/bot"
	"github.com/apelbot/apelbot/locales"
	"github.com/apelbot/apelbot/scheduler"
	"github.com/apelbot/apelbot/store"
)

// app is one running apelbot: store, bot and scheduler wired together.
type app struct {
	cfg    Config
	opt    options
	log    zerolog.Logger
	db     *store.DB
	bot    *bot.Bot
	sched  *scheduler.Scheduler
	leader *leader // nil unless cfg.Replicas.Enabled
}

// options are the knobs tests and the demo turn; production uses the zero value.
type options struct {
	Now    func() time.Time // the clock; time.Now when nil
	Logger *zerolog.Logger  // the root logger; built from cfg.Log when nil
	NoCron bool             // the caller ticks the scheduler itself
	// Limits override the outbound rate limits; the demo's fake server has
	// none to respect.
	Limits bot.Limits
	// CallTimeout overrides the bound of one Bot API call attempt (tests
	// with a slow fake server).
	CallTimeout time.Duration
	// BotStore, when set, wraps the store the bot is given: the load test
	// notes when each check-in is committed.
	BotStore func(bot.Store) bot.Store
	// TickEvery, when set, makes the scheduler tick at this interval of
	// real time instead of on its cron schedule: for a clock that is not
	// the real one (APELBOT_TEST_CLOCK_FILE, testclock.go).
	TickEvery time.Duration
}

// newLogger builds the root logger from the config.
func newLogger(c LogConfig, w io.Writer) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(c.Level)
	if err != nil {
		return zerolog.Logger{}, fmt.Errorf("parse log level: %w", err)
	}
	if c.Format == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Str("app", "apelbot").Logger(), nil
}

// newApp opens the store, syncs the OPDs, connects the bot and builds the
// scheduler. The caller closes it.
func newApp(ctx context.Context, cfg Config, opt options) (*app, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var log zerolog.Logger
	if opt.Logger != nil {
		log = *opt.Logger
	} else {
		l, err := newLogger(cfg.Log, os.Stderr)
		if err != nil {
			return nil, err
		}
		log = l
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, fmt.Errorf("load locales: %w", err)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var bs bot.Store = db
	if opt.BotStore != nil {
		bs = opt.BotStore(db)
	}
	var lead *leader
	replicas := bot.Replicas{}
	if cfg.Replicas.Enabled {
		holder := replicaHolder(cfg.Replicas.ID)
		lead = &leader{db: db, holder: holder, ttl: cfg.Replicas.LeaseTTL, renew: cfg.Replicas.LeaseRenew, now: time.Now,
			log: log.With().Str("component", "leader").Str("replica", holder).Logger()}
		bs = fencedStore{Store: bs, db: db, leader: lead}
		replicas = bot.Replicas{Enabled: true, ID: holder, OutboxPoll: cfg.Replicas.OutboxPoll}
	}
	b, err := bot.New(ctx, bot.Config{
		Token: cfg.Telegram.Token, ServerURL: cfg.Telegram.APIURL, PollTimeout: cfg.Telegram.PollTimeout,
		Pemda: cfg.Pemda, BKPSDM: cfg.BKPSDM, Policy: cfg.Policy, OPDs: cfg.OPDs,
		HomeApprover: cfg.HomeApprover, Language: cfg.Language, Catalog: cat, Store: bs,
		Targets: bot.Targets{BKPSDMChat: cfg.Report.BKPSDMChat, Recipients: cfg.Report.Recipients},
		Logger:  log.With().Str("component", "bot").Logger(), Now: opt.Now, Limits: opt.Limits, CallTimeout: opt.CallTimeout,
		Webhook:         bot.Webhook{URL: cfg.Telegram.Webhook.URL, Listen: cfg.Telegram.Webhook.Listen, Secret: cfg.Telegram.Webhook.Secret},
		ShutdownTimeout: cfg.ShutdownTimeout, Threshold: cfg.Report.EvaluationThreshold(),
		Outage: apel.Liveness{Threshold: cfg.Telegram.OutageThreshold},
		Flags:  cfg.CheckIn.Flags, Live: cfg.CheckIn.Live, Replicas: replicas,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	s := scheduler.New(scheduler.Config{
		Pemda: cfg.Pemda, Policy: cfg.Policy, OPDs: cfg.OPDs, Store: db, Messenger: b,
		Logger: log.With().Str("component", "scheduler").Logger(), Now: opt.Now, Retention: cfg.Privacy.Retention,
	})
	return &app{cfg: cfg, opt: opt, log: log, db: db, bot: b, sched: s, leader: lead}, nil
}

// openStore opens the database and syncs the configured OPDs into it.
func openStore(ctx context.Context, cfg Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.SyncOPDs(ctx, cfg.OPDs); err != nil {
		db.Close()
		return nil, fmt.Errorf("sync OPDs: %w", err)
	}
	return db, nil
}

// errShutdownTimeout is returned when the bot or the scheduler has not
// finished within the shutdown timeout (and a margin) after a stop.
var errShutdownTimeout = errors.New("shutdown timed out")

// shutdownMargin is what run allows beyond the bot's own shutdown timeout,
// for the last database writes.
const shutdownMargin = 5 * time.Second

// run takes updates from Telegram and, unless noCron, runs the scheduler,
// until ctx is done or one of them fails (which stops the other); then it
// waits for both to finish, at most the shutdown timeout (plus a margin).
// The bot stops taking updates at once, finishes the updates in hand and
// answers the sends on the wire within the shutdown timeout; the scheduler
// lets a running tick end.
func (a *app) run(parent context.Context, noCron bool) error {
	ctx, stop := context.WithCancel(parent)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	start := func(f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				errs <- err
				stop() // no bot without the scheduler, nor the other way round
			}
		}()
	}
	start(a.bot.Run)
	switch {
	case a.leader != nil:
		start(func(ctx context.Context) error { return a.leader.run(ctx, a.singletons(noCron)) })
	case a.opt.TickEvery > 0 && !noCron:
		start(a.tickEvery)
	case !noCron:
		start(a.sched.Run)
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-ctx.Done():
		limit := time.NewTimer(a.cfg.ShutdownTimeout + shutdownMargin)
		defer limit.Stop()
		select {
		case <-finished:
		case <-limit.C:
			a.log.Error().Dur("shutdown_timeout", a.cfg.ShutdownTimeout).Msg("shutdown timed out: exiting with work cut off")
			return errShutdownTimeout
		}
	}
	close(errs)
	return <-errs // the first error, nil when none
}

// singletons is the work of the leader among replicas: the scheduler
// (unless noCron) and the outbox sender, until ctx is done or one fails.
func (a *app) singletons(noCron bool) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, stop := context.WithCancel(ctx)
		defer stop()
		errs := make(chan error, 2)
		n := 1
		go func() { errs <- a.bot.RunOutbox(ctx) }()
		switch {
		case noCron:
		case a.opt.TickEvery > 0:
			n++
			go func() { errs <- a.tickEvery(ctx) }()
		default:
			n++
			go func() { errs <- a.sched.Run(ctx) }()
		}
		err := <-errs
		stop()
		for range n - 1 {
			err = errors.Join(err, <-errs)
		}
		return err
	}
}

// tickEvery ticks the scheduler every opt.TickEvery of real time until
// ctx is done.
func (a *app) tickEvery(ctx context.Context) error {
	t := time.NewTicker(a.opt.TickEvery)
	defer t.Stop()
	for {
		if err := a.sched.Tick(ctx); err != nil && ctx.Err() == nil {
			a.log.Error().Err(err).Msg("tick")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Close releases the store.
func (a *app) Close() error { return a.db.Close() }

// run is the whole serve command once the configuration is loaded.
func run(ctx context.Context, cfg Config, opt options) error {
	a, err := newApp(ctx, cfg, opt)
	if err != nil {
		return err
	}
	a.log.Info().Str("config", cfg.String()).Str("bot", a.bot.Username()).Msg("apelbot started")
	if opt.TickEvery > 0 {
		a.log.Warn().Dur("tick_every", opt.TickEvery).Msg("test clock: the scheduler ticks on a timer, not on its schedule")
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	warnMissingHolidays(a.log, cfg.Policy, now())
	err = a.run(ctx, opt.NoCron)
	if errors.Is(err, errShutdownTimeout) {
		return err // goroutines may still use the database: exit without closing it
	}
	a.Close()
	a.log.Info().Msg("apelbot stopped")
	return err
}
