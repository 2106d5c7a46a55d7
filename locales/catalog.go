package locales

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// Reference is the language whose catalogue every other catalogue is checked
// against, and the language used when a requested one is unknown.
const Reference = "id"

// catalogFS holds the shipped catalogues, one <lang>.json per language.
//
//go:embed *.json
var catalogFS embed.FS

// requiredKeys returns the keys [Printer] formats with, each mapped to the fmt
// directives it must contain. They are checked in the reference catalogue; the
// other catalogues inherit the check through the key and directive comparison.
func requiredKeys() map[string][]string {
	keys := map[string][]string{
		"format.datetime":      {"%s", "%s"},
		"format.decimal_sep":   nil,
		"format.thousands_sep": nil,
		"format.time_sep":      nil,
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		keys[weekdayKey(d)] = nil
	}
	for m := time.January; m <= time.December; m++ {
		keys[monthKey(m)] = nil
	}
	return keys
}

// Catalog is the set of loaded message catalogues, keyed by language. It is
// read-only after [Load] or [LoadFS] returns and safe for concurrent use.
type Catalog struct {
	ref      string
	langs    []string                     // ref first, then the others sorted
	keys     []string                     // sorted; identical in every language
	messages map[string]map[string]string // lang -> key -> message
}

// Load parses the catalogues embedded in the binary with "id" as the
// reference. It returns an error naming the file and key of every problem
// found; see [LoadFS] for the checks.
func Load() (*Catalog, error) {
	return LoadFS(catalogFS, Reference)
}

// LoadFS parses every *.json file at the root of fsys, one catalogue per
// language named after the file ("en.json" is "en"), and checks them against
// the catalogue of language ref, which must exist.
//
// Each file must be a flat JSON object of unique, non-empty dotted keys
// (lowercase letters, digits and underscores between the dots) mapping to
// non-empty strings whose fmt directives are well formed; a literal percent
// sign is written "%%". The reference must contain the keys [Printer] needs
// (weekday.0..6, month.1..12, format.*). Every other catalogue must have
// exactly the reference's keys, and each of its messages must contain the
// same fmt directives, in the same order, as the reference message.
//
// All problems are reported at once, joined, each prefixed with the file name
// and key.
func LoadFS(fsys fs.FS, ref string) (*Catalog, error) {
	if ref == "" {
		return nil, errors.New("locales: empty reference language")
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("locales: list catalogues: %w", err)
	}
	refFile := ref + ".json"
	if !slices.Contains(names, refFile) {
		return nil, fmt.Errorf("locales: reference catalogue %s not found", refFile)
	}

	c := &Catalog{ref: ref, messages: make(map[string]map[string]string, len(names))}
	var errs []error
	for _, name := range names {
		if lang := strings.TrimSuffix(name, ".json"); lang != strings.ToLower(lang) {
			// T lowercases the requested code, so "EN.json" could never be chosen.
			errs = append(errs, fmt.Errorf("locales: %s: file name must be a lowercase language code", name))
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("locales: read %s: %w", name, err))
			continue
		}
		msgs, perrs := parseCatalog(name, data)
		errs = append(errs, perrs...)
		if msgs != nil {
			c.messages[strings.TrimSuffix(name, ".json")] = msgs
		}
	}
	if len(errs) > 0 {
		// Comparing against a half-parsed catalogue would only add noise.
		return nil, errors.Join(errs...)
	}

	refMsgs := c.messages[ref]
	required := requiredKeys()
	for _, key := range sortedKeys(required) {
		want := required[key]
		msg, ok := refMsgs[key]
		if !ok {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: missing (required for formatting)", refFile, key))
			continue
		}
		if got := directives(msg); !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: directives %q, want %q", refFile, key, got, want))
		}
	}

	c.keys = sortedKeys(refMsgs)
	c.langs = append(c.langs, ref)
	for _, name := range names {
		lang := strings.TrimSuffix(name, ".json")
		if lang == ref {
			continue
		}
		c.langs = append(c.langs, lang)
		errs = append(errs, compareCatalog(name, c.messages[lang], refFile, refMsgs)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// compareCatalog reports the keys of msgs (file name) that are missing, extra
// or whose directives differ from refMsgs (file refName).
func compareCatalog(name string, msgs map[string]string, refName string, refMsgs map[string]string) []error {
	var errs []error
	for _, key := range sortedKeys(refMsgs) {
		msg, ok := msgs[key]
		if !ok {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: missing (present in %s)", name, key, refName))
			continue
		}
		want, got := directives(refMsgs[key]), directives(msg)
		if !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: directives %q differ from %s %q", name, key, got, refName, want))
		}
	}
	for _, key := range sortedKeys(msgs) {
		if _, ok := refMsgs[key]; !ok {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: not in %s", name, key, refName))
		}
	}
	return errs
}

// parseCatalog decodes one flat catalogue. It walks the tokens itself, rather
// than unmarshalling into a map, so that duplicate keys (a common result of a
// bad merge) are reported instead of silently keeping the last one.
func parseCatalog(name string, data []byte) (map[string]string, []error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	syntaxErr := func(err error) []error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
			return []error{fmt.Errorf("locales: %s:%d: invalid JSON: %w", name, line, err)}
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return []error{fmt.Errorf("locales: %s: invalid JSON: %w", name, err)}
	}

	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxErr(err)
	}
	if tok != json.Delim('{') {
		return nil, []error{fmt.Errorf("locales: %s: invalid catalogue: want a JSON object of strings", name)}
	}
	msgs := make(map[string]string)
	var errs []error
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxErr(err)
		}
		key := tok.(string) // object keys are always strings
		tok, err = dec.Token()
		if err != nil {
			return nil, syntaxErr(err)
		}
		msg, ok := tok.(string)
		if !ok {
			return nil, []error{fmt.Errorf("locales: %s: key %q: value is not a string (catalogues are flat)", name, key)}
		}
		if _, dup := msgs[key]; dup {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: duplicate", name, key))
		}
		if !validKey(key) {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: invalid key (want dotted lowercase, e.g. checkin.accepted)", name, key))
		}
		if msg == "" {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: empty message", name, key))
		}
		if err := checkDirectives(msg); err != nil {
			errs = append(errs, fmt.Errorf("locales: %s: key %q: %w", name, key, err))
		}
		msgs[key] = msg
	}
	if _, err := dec.Token(); err != nil { // closing brace
		return nil, syntaxErr(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, []error{fmt.Errorf("locales: %s: invalid JSON: data after the top-level object", name)}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return msgs, nil
}

// validKey reports whether key is one or more non-empty segments of
// [a-z0-9_] separated by dots.
func validKey(key string) bool {
	for seg := range strings.SplitSeq(key, ".") {
		if seg == "" {
			return false
		}
		for _, r := range seg {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
				return false
			}
		}
	}
	return true
}

// Languages returns the loaded languages, the reference ("id") first and the
// others in alphabetical order. The slice is a copy.
func (c *Catalog) Languages() []string {
	return slices.Clone(c.langs)
}

// Has reports whether a catalogue for exactly lang is loaded. It does not
// apply the normalisation of [Catalog.T]: Has("en-US") is false.
func (c *Catalog) Has(lang string) bool {
	_, ok := c.messages[lang]
	return ok
}

// Keys returns every message key in sorted order; all languages have the same
// keys. The slice is a copy.
func (c *Catalog) Keys() []string {
	return slices.Clone(c.keys)
}

// T returns the message key in language lang formatted with args by
// fmt.Sprintf (so "%%" always renders as "%", with or without args).
//
// lang may be a Telegram language_code: it is matched case-insensitively,
// first whole ("pt-br") and then by its primary subtag ("en-US" is "en"), and
// the legacy code "in" means "id". An empty or unknown lang falls back to the
// reference language. A key missing from the catalogue is returned as is,
// unformatted, so a mistake shows up as the key in a reply (and in the tests)
// rather than as a panic.
func (c *Catalog) T(lang, key string, args ...any) string {
	return c.t(c.resolve(lang), key, args...)
}

// t formats key in lang, which must already be resolved.
func (c *Catalog) t(lang, key string, args ...any) string {
	msg, ok := c.messages[lang][key]
	if !ok {
		return key
	}
	return fmt.Sprintf(msg, args...)
}

// resolve maps a requested language code to a loaded language.
func (c *Catalog) resolve(lang string) string {
	tag := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	if tag == "" {
		return c.ref
	}
	if c.Has(tag) {
		return tag
	}
	primary, _, _ := strings.Cut(tag, "-")
	if primary == "in" { // pre-1989 ISO 639 code for Indonesian, still sent by some clients
		primary = "id"
	}
	if c.Has(primary) {
		return primary
	}
	return c.ref
}

// sortedKeys returns the keys of m in sorted order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
