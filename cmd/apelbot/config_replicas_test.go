package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfigReplicas(t *testing.T) {
	t.Parallel()
	data := configBaseYAML + `telegram:
  webhook:
    url: https://apel.kotauji.go.id/telegram
replicas:
  enabled: true
  id: bot-1
  lease_ttl: 10s
  lease_renew: 2s
  outbox_poll: 100ms
`
	c, err := ParseConfig([]byte(data), configEnv(map[string]string{envWebhookSecret: "abc"}))
	if err != nil {
		t.Fatal(err)
	}
	want := ReplicasConfig{Enabled: true, ID: "bot-1", LeaseTTL: 10 * time.Second, LeaseRenew: 2 * time.Second, OutboxPoll: 100 * time.Millisecond}
	if diff := cmp.Diff(want, c.Replicas); diff != "" {
		t.Errorf("replicas (-want +got):\n%s", diff)
	}
	if !strings.Contains(c.String(), "replicas={enabled=true id=bot-1 lease_ttl=10s lease_renew=2s outbox_poll=100ms}") {
		t.Errorf("startup line lacks the replicas: %s", c.String())
	}
}

func TestParseConfigReplicasErrors(t *testing.T) {
	t.Parallel()
	hook := "telegram: { webhook: { url: \"https://apel.example.go.id/tg\" } }\n"
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"polling", "replicas: { enabled: true }", "replicas.enabled: needs telegram.webhook.url"},
		{"enabled words", hook + "replicas: { enabled: ya }", `replicas.enabled: "ya" is not supported`},
		{"renew too slow", hook + "replicas: { lease_ttl: 10s, lease_renew: 6s }", "replicas.lease_renew: 6s: want at most half"},
		{"ttl too short", hook + "replicas: { lease_ttl: 500ms }", "replicas.lease_ttl: 500ms: want between 1s and 10m0s"},
		{"poll words", hook + "replicas: { outbox_poll: cepat }", `replicas.outbox_poll: invalid duration "cepat"`},
		{"id with a space", hook + "replicas: { id: \"bot 1\" }", `replicas.id: "bot 1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(configBaseYAML+tc.extra+"\n"), configEnv(map[string]string{envWebhookSecret: "abc"}))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseConfig with %q: error %v, want it to mention %q", tc.extra, err, tc.want)
			}
		})
	}
}
