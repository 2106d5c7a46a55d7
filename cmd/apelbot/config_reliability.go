package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// envWebhookSecret is the environment variable holding the webhook's secret
// token; like the bot token it never comes from the file.
const envWebhookSecret = "TELEGRAM_WEBHOOK_SECRET"

// Defaults of the reliability and privacy keys.
const (
	defaultShutdownTimeout = 20 * time.Second
	defaultRetention       = 90 * 24 * time.Hour
	defaultWebhookListen   = ":8443"
)

// WebhookConfig is webhook mode: Telegram posts updates to URL instead of the
// bot long-polling for them. Its String and GoString methods redact the
// secret.
type WebhookConfig struct {
	// URL is the public HTTPS address Telegram posts to: file key
	// telegram.webhook.url. Empty means long polling (the default). Telegram
	// only posts to ports 443, 80, 88 and 8443.
	URL string
	// Listen is the local address the bot serves the webhook on: file key
	// telegram.webhook.listen, default ":8443" (a reverse proxy may forward
	// to another).
	Listen string
	// Secret is the secret token Telegram sends with every update, from env
	// TELEGRAM_WEBHOOK_SECRET only; required with a URL.
	Secret string `json:"-"`
}

// String implements fmt.Stringer with the secret redacted.
func (w WebhookConfig) String() string {
	return fmt.Sprintf("url=%s listen=%s token=%s", w.URL, w.Listen, redactSecret(w.Secret))
}

// GoString implements fmt.GoStringer so that %#v redacts the secret too.
func (w WebhookConfig) GoString() string {
	return fmt.Sprintf("main.WebhookConfig{URL:%q, Listen:%q, Secret:%q}", w.URL, w.Listen, redactSecret(w.Secret))
}

// PrivacyConfig is how long personal data is kept (UU 27/2022).
type PrivacyConfig struct {
	// Retention is how long the coordinates of superseded and rejected home
	// points are kept: file key privacy.retention, e.g. "90d" or "2160h",
	// default 90 days, at least 1 day.
	Retention time.Duration
}

type fileWebhook struct {
	URL    string    `yaml:"url"`
	Listen string    `yaml:"listen"`
	Secret *yamlText `yaml:"secret"` // refused: the secret comes from the environment only
}

type filePrivacy struct {
	Retention yamlText `yaml:"retention"`
}

// webhook reads telegram.webhook and the secret from the environment.
func (v *configValidator) webhook(in fileWebhook, getenv func(string) string) WebhookConfig {
	if in.Secret != nil {
		v.fail("telegram.webhook.secret: not allowed in the file: set the environment variable %s instead", envWebhookSecret)
	}
	w := WebhookConfig{URL: strings.TrimSpace(in.URL), Listen: strings.TrimSpace(in.Listen)}
	if w.URL == "" {
		if w.Listen != "" {
			v.fail("telegram.webhook.listen: set without telegram.webhook.url")
		}
		return WebhookConfig{}
	}
	u, err := url.Parse(w.URL)
	switch {
	case err != nil:
		v.fail("telegram.webhook.url: %w", err)
	case u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		v.fail("telegram.webhook.url: invalid URL %q: want https://host[:port]/path (Telegram posts only over HTTPS)", w.URL)
	case u.Port() != "" && u.Port() != "443" && u.Port() != "80" && u.Port() != "88" && u.Port() != "8443":
		v.fail("telegram.webhook.url: port %s: Telegram posts only to ports 443, 80, 88 and 8443", u.Port())
	}
	if w.Listen == "" {
		w.Listen = defaultWebhookListen
	}
	if _, port, err := net.SplitHostPort(w.Listen); err != nil {
		v.fail("telegram.webhook.listen: %q: want host:port or :port, e.g. :8443", w.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.fail("telegram.webhook.listen: %q: invalid port", w.Listen)
	}
	w.Secret = strings.TrimSpace(getenv(envWebhookSecret))
	switch {
	case w.Secret == "":
		v.fail("%s is not set: telegram.webhook.url needs a secret token", envWebhookSecret)
	case len(w.Secret) > 256 || strings.IndexFunc(w.Secret, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0:
		// The value is never echoed: it is a secret.
		v.fail("%s: want 1 to 256 characters A-Z, a-z, 0-9, _ and -", envWebhookSecret)
	}
	return w
}

// shutdownTimeout reads shutdown_timeout: between 1s and 10m.
func (v *configValidator) shutdownTimeout(raw yamlText) time.Duration {
	if raw == "" {
		return defaultShutdownTimeout
	}
	d, err := time.ParseDuration(string(raw))
	switch {
	case err != nil:
		v.fail("shutdown_timeout: invalid duration %q: want e.g. 20s: %w", raw, err)
	case d < time.Second || d > 10*time.Minute:
		v.fail("shutdown_timeout: %v: want between 1s and 10m", d)
	default:
		return d
	}
	return defaultShutdownTimeout
}

// privacy reads privacy.retention: a duration, or whole days as "90d".
func (v *configValidator) privacy(in filePrivacy) PrivacyConfig {
	p := PrivacyConfig{Retention: defaultRetention}
	raw := strings.TrimSpace(string(in.Retention))
	if raw == "" {
		return p
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(raw, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(raw)
	}
	switch {
	case err != nil:
		v.fail("privacy.retention: invalid duration %q: want days such as 90d, or hours such as 2160h", raw)
	case d < 24*time.Hour:
		v.fail("privacy.retention: %v: want at least 1 day", d)
	default:
		p.Retention = d
	}
	return p
}
