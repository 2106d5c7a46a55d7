package apel_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/apelbot/apelbot/apel"
)

func TestRefusalError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *apel.Refusal
		want string
	}{
		{"reason only", &apel.Refusal{Reason: apel.ReasonSessionClosed}, "refused: session_closed"},
		{"reason with detail for logs", &apel.Refusal{Reason: apel.ReasonNotAllowed, Detail: "employee 7 is staff"}, "refused: not_allowed: employee 7 is staff"},
	}
	for _, tt := range tests {
		if got := tt.in.Error(); got != tt.want {
			t.Errorf("%s: %#v.Error() = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestReasonOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		want   apel.Reason
		wantOK bool
	}{
		{"a refusal gives its reason", apel.Refuse(apel.ReasonAlreadyCheckedIn), apel.ReasonAlreadyCheckedIn, true},
		{"a wrapped refusal gives its reason", fmt.Errorf("record check-in: %w", apel.Refuse(apel.ReasonSessionClosed)), apel.ReasonSessionClosed, true},
		{"a refusal wrapped twice gives its reason", fmt.Errorf("a: %w", fmt.Errorf("b: %w", apel.Refuse(apel.ReasonNIPTaken))), apel.ReasonNIPTaken, true},
		{"a refusal value with detail", &apel.Refusal{Reason: apel.ReasonUnknownNIP, Detail: "x"}, apel.ReasonUnknownNIP, true},
		{"a sentinel is not a refusal", apel.ErrNotFound, "", false},
		{"a plain error is not a refusal", errors.New("refused: session_closed"), "", false},
		{"nil is not a refusal", nil, "", false},
	}
	for _, tt := range tests {
		got, ok := apel.ReasonOf(tt.err)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: ReasonOf(%v) = %q, %v; want %q, %v", tt.name, tt.err, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSentinelsMatchWhenWrapped(t *testing.T) {
	t.Parallel()
	for _, sentinel := range []error{apel.ErrNotFound, apel.ErrConflict} {
		err := fmt.Errorf("load employee: %w", sentinel)
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(%v, %v) = false, want true", err, sentinel)
		}
	}
	if errors.Is(apel.ErrNotFound, apel.ErrConflict) {
		t.Errorf("errors.Is(ErrNotFound, ErrConflict) = true, want false")
	}
}

func TestReasonsAreStableLocaleKeys(t *testing.T) {
	t.Parallel()
	key := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[apel.Reason]bool{}
	for _, r := range apel.Reasons() {
		if !key.MatchString(string(r)) {
			t.Errorf("reason %q: want a lower-case snake_case locale key", r)
		}
		if seen[r] {
			t.Errorf("reason %q listed twice in Reasons()", r)
		}
		seen[r] = true
	}
	// Every code the package itself produces must be listed, or the bot
	// would lack a message for it.
	for _, r := range []apel.Reason{
		apel.ReasonForwardedLocation, apel.ReasonVenueLocation, apel.ReasonLiveOnly, apel.ReasonInvalidLocation,
		apel.ReasonNoSession, apel.ReasonSessionNotOpen, apel.ReasonSessionClosed, apel.ReasonAlreadyCheckedIn,
		apel.ReasonNotRegistered, apel.ReasonExcused, apel.ReasonNotAllowed, apel.ReasonNIPTaken,
		apel.ReasonAccountBound, apel.ReasonUnknownNIP, apel.ReasonInvalidNIP, apel.ReasonUnknownOPD,
		apel.ReasonNoHomePoint, apel.ReasonAlreadyDecided,
	} {
		if !seen[r] {
			t.Errorf("reason %q missing from Reasons()", r)
		}
	}
}
