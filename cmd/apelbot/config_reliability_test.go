package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfigReliabilityKeys(t *testing.T) {
	t.Parallel()
	const secret = "Hush_hush-42"
	data := configBaseYAML + `shutdown_timeout: 45s
privacy:
  retention: 30d
telegram:
  webhook:
    url: https://apel.kotauji.go.id:8443/telegram
    listen: 127.0.0.1:8080
`
	c, err := ParseConfig([]byte(data), configEnv(map[string]string{envWebhookSecret: secret}))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	want := WebhookConfig{URL: "https://apel.kotauji.go.id:8443/telegram", Listen: "127.0.0.1:8080", Secret: secret}
	if diff := cmp.Diff(want, c.Telegram.Webhook); diff != "" {
		t.Errorf("webhook (-want +got):\n%s", diff)
	}
	if c.ShutdownTimeout != 45*time.Second || c.Privacy.Retention != 30*24*time.Hour {
		t.Errorf("shutdown_timeout %v, retention %v; want 45s and 720h", c.ShutdownTimeout, c.Privacy.Retention)
	}
	for name, out := range map[string]string{
		"String": c.String(), "%+v of Telegram": fmt.Sprintf("%+v", c.Telegram), "%#v of Telegram": fmt.Sprintf("%#v", c.Telegram),
		"%v of Webhook": fmt.Sprintf("%v", c.Telegram.Webhook), "%#v of Webhook": fmt.Sprintf("%#v", c.Telegram.Webhook),
	} {
		if strings.Contains(out, secret) {
			t.Errorf("%s shows the webhook secret: %s", name, out)
		}
	}

	c, err = ParseConfig([]byte(configBaseYAML+"telegram:\n  webhook: { url: \"https://apel.kotauji.go.id/tg\" }\nprivacy: { retention: 2160h }\n"),
		configEnv(map[string]string{envWebhookSecret: secret}))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	if c.Telegram.Webhook.Listen != ":8443" || c.Privacy.Retention != 90*24*time.Hour {
		t.Errorf("listen %q, retention %v; want the default :8443 and 90 days", c.Telegram.Webhook.Listen, c.Privacy.Retention)
	}

	// Polling: the secret in the environment alone changes nothing.
	c, err = ParseConfig([]byte(configBaseYAML), configEnv(map[string]string{envWebhookSecret: secret}))
	if err != nil || c.Telegram.Webhook != (WebhookConfig{}) {
		t.Errorf("no webhook in the file: got %#v, %v; want polling", c.Telegram.Webhook, err)
	}
}

func TestParseConfigReliabilityErrors(t *testing.T) {
	t.Parallel()
	okSecret := map[string]string{envWebhookSecret: "abc"}
	for _, tc := range []struct {
		name  string
		extra string
		env   map[string]string
		want  string
	}{
		{"plain http webhook", "telegram: { webhook: { url: \"http://apel.example.go.id/tg\" } }", okSecret, "telegram.webhook.url: invalid URL"},
		{"webhook port", "telegram: { webhook: { url: \"https://apel.example.go.id:9000/tg\" } }", okSecret, "telegram.webhook.url: port 9000"},
		{"webhook without secret", "telegram: { webhook: { url: \"https://apel.example.go.id/tg\" } }", nil, envWebhookSecret + " is not set"},
		{"secret with spaces", "telegram: { webhook: { url: \"https://apel.example.go.id/tg\" } }", map[string]string{envWebhookSecret: "a b"}, envWebhookSecret + ": want 1 to 256"},
		{"secret in the file", "telegram: { webhook: { url: \"https://apel.example.go.id/tg\", secret: abc } }", okSecret, "telegram.webhook.secret: not allowed"},
		{"listen without url", "telegram: { webhook: { listen: \":8443\" } }", okSecret, "telegram.webhook.listen: set without"},
		{"bad listen", "telegram: { webhook: { url: \"https://apel.example.go.id/tg\", listen: \"8443\" } }", okSecret, "telegram.webhook.listen: \"8443\""},
		{"shutdown timeout zero", "shutdown_timeout: 0s", nil, "shutdown_timeout: 0s: want between 1s and 10m"},
		{"shutdown timeout words", "shutdown_timeout: lama", nil, `shutdown_timeout: invalid duration "lama"`},
		{"retention under a day", "privacy: { retention: 3h }", nil, "privacy.retention: 3h0m0s: want at least 1 day"},
		{"retention zero days", "privacy: { retention: 0d }", nil, "privacy.retention: 0s: want at least 1 day"},
		{"retention words", "privacy: { retention: sebulan }", nil, `privacy.retention: invalid duration "sebulan"`},
		{"outage threshold too short", "telegram: { outage_threshold: 30s }", nil, "telegram.outage_threshold: 30s: want 1m to 2h"},
		{"outage threshold words", "telegram: { outage_threshold: lama }", nil, `telegram.outage_threshold: invalid duration "lama"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(configBaseYAML+tc.extra+"\n"), configEnv(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseConfig with %q: error %v, want it to mention %q", tc.extra, err, tc.want)
			}
			if err != nil && tc.env[envWebhookSecret] != "" && strings.Contains(err.Error(), "secret: abc") {
				t.Errorf("error echoes the secret: %v", err)
			}
		})
	}
}
