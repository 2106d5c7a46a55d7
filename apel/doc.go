// Package apel is the domain of apelbot: civil servants (ASN), their agencies
// (OPD), the pemda's work policy, apel sessions, check-in judgement and report
// compilation.
//
// The package is pure: it imports only the standard library, does no I/O,
// never logs, never reads the clock (the current time is always an argument)
// and never reads time.Local (a Policy carries its own *time.Location). The
// adapters (bot, scheduler, store) depend on it; it depends on none of them.
package apel
