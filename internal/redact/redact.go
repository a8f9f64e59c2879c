// Package redact shows text read from a repository's files in messages
// without showing a secret. A broken baseline, a gitleaks config or a regex
// pattern can hold anything — allowlists and exclude patterns often hold a
// literal secret on purpose — and an error message that quotes it puts the
// secret in a CI log. The rule every message follows: a string of eight or
// more characters is never shown whole, only its first few characters (at
// most four, as a masked finding shows).
package redact

import (
	"errors"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Short is the longest string shown whole: no secret format is this short,
// and a prefix of eight characters is already enough to tell a secret.
const Short = 7

// Cut returns s when it is short, else its first characters (a quarter of
// them, at most four) followed by "…".
func Cut(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= Short {
		return s
	}
	keep := min(n/4, 4)
	i := 0
	for k := 0; k < keep; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// Quote is strconv.Quote of Cut(s).
func Quote(s string) string { return strconv.Quote(Cut(s)) }

// Regexp describes a regexp compile error without the expression: Go's
// errors quote the offending part of the pattern, which may be the secret
// an allowlist names.
func Regexp(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return string(se.Code) + " at " + Quote(se.Expr)
	}
	return "invalid regex"
}

// Values replaces, in msg, every value of eight characters or more with
// its Cut form (longest values first, so a value inside another is not
// half-replaced).
func Values(msg string, values []string) string {
	vs := make([]string, 0, len(values))
	for _, v := range values {
		if utf8.RuneCountInString(v) > Short && strings.Contains(msg, v) {
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	for _, v := range vs {
		msg = strings.ReplaceAll(msg, v, Cut(v))
	}
	return msg
}
