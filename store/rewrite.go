package store

import (
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, with SQLite's placeholders: '?' (the next
// parameter) and '?NNN' (parameter NNN). PostgreSQL numbers them: $1, $2...
// rewritePlaceholders translates one into the other, leaving alone what is
// quoted ('...', "...", $tag$...$tag$) or commented (-- ..., /* ... */), so
// that no store code has to know which engine it talks to.
//
// Numbering follows SQLite: '?' takes one more than the largest number used
// so far in the statement, '?NNN' takes NNN. So a statement that says ?1
// twice binds one argument twice on both engines.
func rewritePlaceholders(q string) string {
	if strings.IndexByte(q, '?') < 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	maxN := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := quoteEnd(q, i, c, c == '\'' && escapeString(q, i))
			b.WriteString(q[i:j])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := blockCommentEnd(q, i)
			b.WriteString(q[i:j])
			i = j
		case c == '$' && dollarTagAt(q, i) != "":
			tag := dollarTagAt(q, i)
			j := strings.Index(q[i+len(tag):], tag)
			if j < 0 {
				j = len(q)
			} else {
				j = i + len(tag) + j + len(tag)
			}
			b.WriteString(q[i:j])
			i = j
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := maxN + 1
			if j > i+1 {
				if v, err := strconv.Atoi(q[i+1 : j]); err == nil {
					n = v
				}
			}
			maxN = max(maxN, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// quoteEnd returns the index just past the quoted string or identifier that
// starts at i with quote q (” or "" inside it is an escaped quote, and so
// is \' in an E'...' string when backslash is set), or len(s) when it is not
// closed.
func quoteEnd(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		if backslash && s[j] == '\\' {
			j++
			continue
		}
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// escapeString reports whether the quote at i opens a PostgreSQL escape
// string: E'...' (the E not part of a longer identifier).
func escapeString(s string, i int) bool {
	return i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i == 1 || !isIdentChar(s[i-2]))
}

// blockCommentEnd returns the index just past the /* */ comment starting at
// i; PostgreSQL nests them.
func blockCommentEnd(s string, i int) int {
	depth := 0
	for j := i; j+1 < len(s); j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j++
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// dollarTagAt returns the dollar-quote tag ("$$" or "$name$") starting at i,
// or "" when there is none ($1 is a parameter, not a tag). A tag's name
// cannot follow an identifier character: "a$b$" is an identifier.
func dollarTagAt(s string, i int) string {
	if i > 0 && isIdentChar(s[i-1]) {
		return ""
	}
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[i : j+1]
		}
		if !isIdentChar(c) || (j == i+1 && c >= '0' && c <= '9') {
			return ""
		}
	}
	return ""
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// rewriteCache keeps the rewritten text of the statements the store runs:
// they are a few hundred fixed strings, plus batch statements whose length
// depends on the batch. It is cleared when full rather than grown without
// bound.
type rewriteCache struct {
	mu sync.RWMutex
	m  map[string]string
}

const (
	rewriteCacheEntries = 4096
	rewriteCacheMaxLen  = 8 << 10 // longer statements (big batches) are rewritten each time
)

func (c *rewriteCache) get(q string) string {
	if strings.IndexByte(q, '?') < 0 {
		return q
	}
	if len(q) > rewriteCacheMaxLen {
		return rewritePlaceholders(q)
	}
	c.mu.RLock()
	r, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return r
	}
	r = rewritePlaceholders(q)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= rewriteCacheEntries {
		c.m = make(map[string]string, 256)
	}
	c.m[q] = r
	c.mu.Unlock()
	return r
}
