package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apelbot/apelbot/apel"
	"github.com/apelbot/apelbot/store"
)

// status returns the state of outbox message key.
func status(t *testing.T, db *store.DB, key string) string {
	t.Helper()
	_, st, err := db.Outbound(context.Background(), key)
	if err != nil {
		t.Fatalf("Outbound(%s): %v", key, err)
	}
	return st
}

// keys returns the keys of os.
func keys(os []apel.Outbound) []string {
	out := []string{}
	for _, o := range os {
		out = append(out, o.Key)
	}
	return out
}

func TestOutboxQueueOnceByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	s := mustOpenSession(t, db, "DINKES", apel.Pagi)
	prompt := apel.Outbound{Key: "prompt:1", Priority: 1, ChatID: -100, Text: "<b>Apel</b>", Markup: []byte(`{"inline_keyboard":[]}`),
		SessionID: s.ID, AtMostOnce: true, Expires: s.Closes}
	for i, want := range []bool{true, false} {
		p := prompt
		p.Text = []string{"<b>Apel</b>", "changed"}[i]
		if got, err := db.QueueOutbound(ctx, p, at(7, 0)); err != nil || got != want {
			t.Errorf("QueueOutbound call %d: got %v, %v; want %v", i+1, got, err, want)
		}
	}
	if _, err := db.QueueOutbound(ctx, apel.Outbound{Key: "prompt:999", ChatID: -1, Text: "x", SessionID: 999}, at(7, 0)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("QueueOutbound for an unknown session: got %v, want apel.ErrNotFound", err)
	}
	got, err := db.DueOutbound(ctx, at(7, 0), 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("DueOutbound: got %v, %v; want the prompt", got, err)
	}
	want := prompt
	want.ID = got[0].ID
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("stored prompt (-want +got):\n%s", diff)
	}
}

func TestOutboxDueOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	for _, o := range []apel.Outbound{
		{Key: "report:a", Priority: 3, ChatID: 1, Text: "r"},
		{Key: "remind:a", Priority: 2, ChatID: 2, Text: "m"},
		{Key: "remind:b", Priority: 2, ChatID: 3, Text: "m"},
		{Key: "prompt:a", Priority: 1, ChatID: -4, Text: "p"},
	} {
		if _, err := db.QueueOutbound(ctx, o, at(7, 0)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.DueOutbound(ctx, at(7, 0), 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"prompt:a", "remind:a", "remind:b"}, keys(got)); diff != "" {
		t.Errorf("DueOutbound(limit 3) (-want +got):\n%s", diff)
	}
	if got, _ := db.DueOutbound(ctx, at(6, 59), 10); len(got) != 0 {
		t.Errorf("DueOutbound before anything is due: got %v, want none", keys(got))
	}
	if next, err := db.NextOutbound(ctx); err != nil || !next.Equal(at(7, 0)) {
		t.Errorf("NextOutbound: got %v, %v; want %v", next, err, at(7, 0))
	}
}

func TestOutboxLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	s := mustOpenSession(t, db, "DINKES", apel.Pagi)
	if err := db.MarkPromptQueued(ctx, s.ID, -100); err != nil {
		t.Fatalf("MarkPromptQueued: %v", err)
	}
	if got, _ := db.Session(ctx, s.ID); got.ChatID != -100 || got.MessageID != 0 {
		t.Errorf("session after MarkPromptQueued: chat %d message %d, want -100 and 0", got.ChatID, got.MessageID)
	}
	for _, o := range []apel.Outbound{
		{Key: "prompt", ChatID: -100, Text: "p", SessionID: s.ID, AtMostOnce: true},
		{Key: "summary", ChatID: 7, Text: "s"},
		{Key: "report", ChatID: 8, Text: "r"},
	} {
		if _, err := db.QueueOutbound(ctx, o, at(7, 0)); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := db.DueOutbound(ctx, at(7, 0), 10)
	id := map[string]int64{}
	for _, o := range due {
		id[o.Key] = o.ID
	}

	// The prompt is sent: the session learns its message id.
	if err := db.MarkOutboundTried(ctx, id["prompt"], at(7, 1)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboundSent(ctx, id["prompt"], 55, at(7, 1)); err != nil {
		t.Fatalf("MarkOutboundSent: %v", err)
	}
	if got, _ := db.Session(ctx, s.ID); got.ChatID != -100 || got.MessageID != 55 {
		t.Errorf("session after the prompt was sent: chat %d message %d, want -100 and 55", got.ChatID, got.MessageID)
	}
	if err := db.MarkOutboundSent(ctx, id["prompt"], 56, at(7, 2)); !errors.Is(err, apel.ErrNotFound) {
		t.Errorf("MarkOutboundSent twice: got %v, want apel.ErrNotFound", err)
	}
	if err := db.MarkPromptQueued(ctx, s.ID, -200); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Session(ctx, s.ID); got.ChatID != -100 {
		t.Errorf("MarkPromptQueued after posting moved the prompt to chat %d", got.ChatID)
	}

	// The summary fails a round and is retried later, after one part went out.
	if err := db.MarkOutboundPartSent(ctx, id["summary"], 1); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryOutbound(ctx, id["summary"], at(7, 10), "502"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueOutbound(ctx, at(7, 5), 10); !cmp.Equal(keys(due), []string{"report"}) {
		t.Errorf("due at 07:05: got %v, want only the report", keys(due))
	}
	due, _ = db.DueOutbound(ctx, at(7, 10), 10)
	if len(due) != 2 || due[0].Key != "summary" || due[0].Attempts != 1 || due[0].PartsSent != 1 {
		t.Errorf("due at 07:10: got %+v, want the report and the summary with 1 attempt and 1 part sent", due)
	}

	// The report is refused for good.
	if err := db.FinishOutbound(ctx, id["report"], store.OutboxFailed, "403", at(7, 11)); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishOutbound(ctx, id["summary"], "sent", "", at(7, 11)); err == nil {
		t.Errorf("FinishOutbound with status sent: got nil, want an error")
	}
	for key, want := range map[string]string{"prompt": store.OutboxSent, "summary": store.OutboxPending, "report": store.OutboxFailed} {
		if got := status(t, db, key); got != want {
			t.Errorf("status of %s: got %s, want %s", key, got, want)
		}
	}

	// Finished rows are purged after their time; pending ones never.
	if n, err := db.PurgeOutbound(ctx, at(7, 11)); err != nil || n != 1 {
		t.Errorf("PurgeOutbound(07:11): got %d, %v; want 1 (the prompt)", n, err)
	}
	if n, err := db.PurgeOutbound(ctx, at(23, 0)); err != nil || n != 1 {
		t.Errorf("PurgeOutbound(23:00): got %d, %v; want 1 (the report)", n, err)
	}
	if got := status(t, db, "summary"); got != store.OutboxPending {
		t.Errorf("pending summary after purges: %s", got)
	}
}

func TestOutboxRecover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	for _, o := range []apel.Outbound{
		{Key: "prompt", ChatID: -100, Text: "p", AtMostOnce: true},
		{Key: "remind", ChatID: 7, Text: "r"},
		{Key: "idle", ChatID: 8, Text: "i"},
	} {
		if _, err := db.QueueOutbound(ctx, o, at(7, 0)); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := db.DueOutbound(ctx, at(7, 0), 10)
	for _, o := range due[:2] { // prompt and remind were being sent when the process died
		if err := db.MarkOutboundTried(ctx, o.ID, at(7, 1)); err != nil {
			t.Fatal(err)
		}
	}
	resent, doubt, err := db.RecoverOutbound(ctx, at(7, 5))
	if err != nil || resent != 1 || doubt != 1 {
		t.Errorf("RecoverOutbound: got %d resent, %d in doubt, %v; want 1 and 1", resent, doubt, err)
	}
	for key, want := range map[string]string{"prompt": store.OutboxDoubt, "remind": store.OutboxPending, "idle": store.OutboxPending} {
		if got := status(t, db, key); got != want {
			t.Errorf("status of %s after recovery: got %s, want %s", key, got, want)
		}
	}
	if resent, doubt, err := db.RecoverOutbound(ctx, at(7, 6)); err != nil || resent != 0 || doubt != 0 {
		t.Errorf("RecoverOutbound again: got %d, %d, %v; want nothing to do", resent, doubt, err)
	}
}

func TestMigrateChatMovesQueuedMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t)
	mustSeed(t, db)
	if err := db.BindGroup(ctx, "DINKES", -100, 1, at(6, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueOutbound(ctx, apel.Outbound{Key: "k", ChatID: -100, Text: "t"}, at(7, 0)); err != nil {
		t.Fatal(err)
	}
	if err := db.MigrateChat(ctx, -100, -100200); err != nil {
		t.Fatal(err)
	}
	if o, _, err := db.Outbound(ctx, "k"); err != nil || o.ChatID != -100200 {
		t.Errorf("queued message after migration: chat %d, %v; want -100200", o.ChatID, err)
	}
}
