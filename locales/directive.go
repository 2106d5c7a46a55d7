package locales

import (
	"fmt"
	"strings"
)

// verbs are the fmt verbs a catalogue message may use.
const verbs = "bcdeEfFgGoOqstTUvxXp"

// directives returns the fmt directives of msg in order ("%s", "%02d",
// "%[2]s"), leaving out the "%%" escape. A malformed directive ends the scan;
// [checkDirectives] reports it.
func directives(msg string) []string {
	ds, _ := scanDirectives(msg)
	return ds
}

// checkDirectives reports the first malformed fmt directive in msg.
func checkDirectives(msg string) error {
	_, err := scanDirectives(msg)
	return err
}

// scanDirectives splits out the fmt directives of msg following the fmt
// grammar %[flags][[n]][width][.[[n]]precision][[n]]verb. The space flag is
// refused: in a catalogue, "100% hadir" is a forgotten "%%", not "% h".
func scanDirectives(msg string) ([]string, error) {
	var ds []string
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' {
			continue
		}
		if i+1 < len(msg) && msg[i+1] == '%' {
			i++
			continue
		}
		end, ok := directiveEnd(msg, i+1)
		if !ok {
			bad := msg[i:min(end+1, len(msg))]
			return ds, fmt.Errorf("malformed fmt directive %q at byte %d (write %%%% for a literal percent sign)", bad, i)
		}
		ds = append(ds, msg[i:end+1])
		i = end
	}
	return ds, nil
}

// directiveEnd parses the directive whose text after '%' starts at msg[i]. It
// returns the index of the verb and true, or the index where parsing stopped
// and false.
func directiveEnd(msg string, i int) (int, bool) {
	for i < len(msg) && strings.IndexByte("+-#0", msg[i]) >= 0 {
		i++
	}
	i = skipArgIndex(msg, i)
	i = skipNumber(msg, i)
	if i < len(msg) && msg[i] == '.' {
		i = skipArgIndex(msg, i+1)
		i = skipNumber(msg, i)
	}
	i = skipArgIndex(msg, i)
	if i >= len(msg) || strings.IndexByte(verbs, msg[i]) < 0 {
		return i, false
	}
	return i, true
}

// skipArgIndex skips an explicit argument index "[n]" at msg[i].
func skipArgIndex(msg string, i int) int {
	if i >= len(msg) || msg[i] != '[' {
		return i
	}
	j := i + 1
	for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
		j++
	}
	if j == i+1 || j >= len(msg) || msg[j] != ']' {
		return i // not an index; the verb check will fail on '['
	}
	return j + 1
}

// skipNumber skips a width or precision at msg[i]: digits or '*'.
func skipNumber(msg string, i int) int {
	if i < len(msg) && msg[i] == '*' {
		return i + 1
	}
	for i < len(msg) && msg[i] >= '0' && msg[i] <= '9' {
		i++
	}
	return i
}
