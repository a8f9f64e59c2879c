package baseline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/internal/redact"
)

// ExcludePatterns are Python regular expressions, as given to
// --exclude-files, --exclude-lines and --exclude-secrets.
type ExcludePatterns struct {
	Files, Lines, Secrets []string
}

// Excludes decides what the scanner skips, from the regex and wordlist
// filters of a baseline and from command-line patterns. A nil *Excludes
// excludes nothing.
type Excludes struct {
	files, lines, secrets []*regexp.Regexp
	words                 []string // lowercase wordlist entries
}

// NewExcludes compiles command-line patterns. Patterns that cannot be
// translated to Go's RE2 syntax are reported together in the error; the
// returned Excludes still holds the others.
func NewExcludes(p ExcludePatterns) (*Excludes, error) {
	e := &Excludes{}
	var errs []error
	add := func(dst *[]*regexp.Regexp, flag string, pats []string) {
		for _, pat := range pats {
			re, err := compilePython(pat)
			if err != nil {
				// Patterns are shown cut short: exclude patterns often
				// name a literal secret.
				errs = append(errs, fmt.Errorf("%s %s: %w", flag, redact.Quote(pat), err))
				continue
			}
			*dst = append(*dst, re)
		}
	}
	add(&e.files, "--exclude-files", p.Files)
	add(&e.lines, "--exclude-lines", p.Lines)
	add(&e.secrets, "--exclude-secrets", p.Secrets)
	return e, errors.Join(errs...)
}

// Excludes compiles the baseline's detect_secrets.filters.regex filters
// (should_exclude_file, should_exclude_line, should_exclude_secret) and its
// wordlist filter. Patterns are Python regexes; the common Python-only
// syntax is translated (\Z, {,n}, \uXXXX, octal escapes, (?#...),
// (?a)/(?u)). A pattern RE2 cannot express (lookarounds, backreferences,
// atomic groups, possessive quantifiers, verbose mode) is not dropped
// silently: it is named in the error, and the returned Excludes holds
// every filter that did compile. The wordlist file is read relative to the
// working directory, as detect-secrets does.
//
// Differences from Python that remain: \d, \w and \s match ASCII only (as
// with Python's re.ASCII), and $ matches only at the very end of the text.
// Line strips trailing white space before matching, as detect-secrets does,
// so the latter only matters for filenames and secrets ending in "\n".
func (f *File) Excludes() (*Excludes, error) {
	e := &Excludes{}
	if f == nil {
		return e, nil
	}
	var errs []error
	for _, flt := range f.Filters {
		var dst *[]*regexp.Regexp
		switch flt.path {
		case FilterExcludeFiles:
			dst = &e.files
		case FilterExcludeLines:
			dst = &e.lines
		case FilterExcludeSecrets:
			dst = &e.secrets
		case FilterWordlist:
			if err := e.loadWordlist(flt); err != nil {
				errs = append(errs, fmt.Errorf("filter %s: %w", flt.path, err))
			}
			continue
		default:
			continue
		}
		pats, ok := flt.Patterns()
		if !ok {
			errs = append(errs, fmt.Errorf("filter %s: \"pattern\" must be a list of strings", flt.path))
			continue
		}
		for i, pat := range pats {
			re, err := compilePython(pat)
			if err != nil {
				// Numbered and cut short: an exclude-secrets pattern is
				// often a literal secret.
				errs = append(errs, fmt.Errorf("filter %s: pattern %d %s: %w", flt.path, i+1, redact.Quote(pat), err))
				continue
			}
			*dst = append(*dst, re)
		}
	}
	return e, errors.Join(errs...)
}

const maxWordlistSize = 64 << 20

func (e *Excludes) loadWordlist(flt Filter) error {
	opts := flt.Options()
	name, _ := opts["file_name"].(string)
	if name == "" {
		return errors.New("no file_name")
	}
	minLen := 3
	if n, ok := opts["min_length"].(interface{ Int64() (int64, error) }); ok {
		if v, err := n.Int64(); err == nil {
			minLen = int(v)
		}
	}
	// The path comes from a committed file: refuse devices and pipes (a
	// word list of /dev/stdin would hang the gate) and absurd sizes.
	data, err := fsutil.ReadRegular(name, maxWordlistSize)
	var tooLarge *fsutil.ErrTooLarge
	switch {
	case errors.Is(err, fsutil.ErrNotRegular):
		return fmt.Errorf("the word list %q is not a regular file", name)
	case errors.As(err, &tooLarge):
		return fmt.Errorf("the word list %q is larger than %d MiB", name, maxWordlistSize>>20)
	case err != nil:
		return fmt.Errorf("cannot read the word list: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		w := strings.ToLower(strings.TrimFunc(sc.Text(), isPySpace))
		if utf8.RuneCountInString(w) < minLen {
			continue
		}
		e.words = append(e.words, w)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("cannot read the word list: %w", err)
	}
	return nil
}

// Merge returns the union of e and o (either may be nil).
func (e *Excludes) Merge(o *Excludes) *Excludes {
	out := &Excludes{}
	for _, x := range []*Excludes{e, o} {
		if x == nil {
			continue
		}
		out.files = append(out.files, x.files...)
		out.lines = append(out.lines, x.lines...)
		out.secrets = append(out.secrets, x.secrets...)
		out.words = append(out.words, x.words...)
	}
	return out
}

// File reports whether a file (path relative to the scan root, '/'
// separators) is excluded. Like Python's re.search, a pattern may match
// anywhere in the name.
func (e *Excludes) File(name string) bool {
	return e != nil && anyMatch(e.files, name)
}

// Line reports whether a line is excluded. Trailing white space is removed
// first, because detect-secrets filters line.rstrip().
func (e *Excludes) Line(text string) bool {
	return e != nil && anyMatch(e.lines, strings.TrimRightFunc(text, isPySpace))
}

// Secret reports whether a raw secret value is excluded by a regex or
// contains (case-insensitively) a word of the word list.
func (e *Excludes) Secret(s string) bool {
	if e == nil {
		return false
	}
	if anyMatch(e.secrets, s) {
		return true
	}
	if len(e.words) > 0 {
		ls := strings.ToLower(s)
		for _, w := range e.words {
			if strings.Contains(ls, w) {
				return true
			}
		}
	}
	return false
}

// Empty reports whether nothing is excluded.
func (e *Excludes) Empty() bool {
	return e == nil || len(e.files)+len(e.lines)+len(e.secrets)+len(e.words) == 0
}

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// isPySpace is Python's str.isspace, which also counts the ASCII
// separators 0x1c-0x1f.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// RecordExcludes adds command-line patterns to the matching regex filters in
// filters_used, so the next run (and detect-secrets) applies them too.
// Patterns already recorded are not added twice, and existing patterns are
// kept — detect-secrets replaces them, which silently drops exclusions
// someone once committed.
func (f *File) RecordExcludes(p ExcludePatterns) {
	f.recordPatterns(FilterExcludeFiles, p.Files)
	f.recordPatterns(FilterExcludeLines, p.Lines)
	f.recordPatterns(FilterExcludeSecrets, p.Secrets)
}

func (f *File) recordPatterns(path string, pats []string) {
	if len(pats) == 0 {
		return
	}
	for i, flt := range f.Filters {
		if flt.path != path {
			continue
		}
		have, _ := flt.Patterns()
		merged := append([]string(nil), have...)
		for _, p := range pats {
			if !slices.Contains(merged, p) {
				merged = append(merged, p)
			}
		}
		if len(merged) == len(have) {
			return
		}
		f.Filters[i] = Filter{path: path, raw: replaceMember(flt.raw, "pattern", patternList(merged))}
		return
	}
	var uniq []string
	for _, p := range pats {
		if !slices.Contains(uniq, p) {
			uniq = append(uniq, p)
		}
	}
	f.Filters = append(f.Filters, NewRegexFilter(path, uniq))
}

func patternList(pats []string) []byte {
	b := []byte{'['}
	for i, p := range pats {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPyString(b, p)
	}
	return append(b, ']')
}

// replaceMember sets key to value in a raw JSON object, in place if present
// and at the end otherwise; other members are kept as they are.
func replaceMember(raw []byte, key string, value []byte) []byte {
	v, serr := parseJSON(raw)
	if serr != nil || v.kind != jObject {
		return rawObject(Field{key, value})
	}
	var fields []Field
	done := false
	for i := range v.kids {
		m := &v.kids[i]
		if m.key == key {
			if !done {
				fields = append(fields, Field{key, value})
				done = true
			}
			continue
		}
		fields = append(fields, Field{m.key, raw[m.val.off:m.val.end]})
	}
	if !done {
		fields = append(fields, Field{key, value})
	}
	return rawObject(fields...)
}

// ---------------------------------------------------------------------------
// Python regex → RE2.

// compilePython translates a Python `re` pattern to Go syntax and compiles
// it. The error never repeats the pattern (the caller names it).
func compilePython(pat string) (*regexp.Regexp, error) {
	goPat, err := translatePython(pat)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(goPat)
	if err != nil {
		return nil, fmt.Errorf("not supported by Go's RE2: %s", redact.Regexp(err))
	}
	return re, nil
}

type unsupportedError string

func (u unsupportedError) Error() string {
	return string(u) + " cannot be expressed in Go's RE2 regex syntax"
}

func translatePython(p string) (string, error) {
	var b strings.Builder
	inClass := false
	classStart := 0 // index in p just after '[' (and '^')
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\\' {
			if i+1 >= len(p) {
				return "", errors.New("pattern ends with a lone backslash")
			}
			n, err := translateEscape(&b, p[i+1:], inClass)
			if err != nil {
				return "", err
			}
			i += 1 + n
			continue
		}
		if inClass {
			switch {
			case c == ']' && i > classStart:
				inClass = false
				b.WriteByte(c)
			case c == '[':
				// Python reads '[' in a set literally; RE2 would start a
				// POSIX class like [:alpha:].
				b.WriteString(`\[`)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		switch c {
		case '[':
			inClass = true
			b.WriteByte('[')
			i++
			if i < len(p) && p[i] == '^' {
				b.WriteByte('^')
				i++
			}
			classStart = i
			if i < len(p) && p[i] == ']' {
				// A leading ']' is literal in both; skip the end check.
				b.WriteString(`\]`)
				i++
			}
			continue
		case '(':
			n, err := translateGroup(&b, p[i:])
			if err != nil {
				return "", err
			}
			i += n
			continue
		case '{':
			// Python's {,n} means {0,n}; RE2 would read it literally.
			if j := strings.IndexByte(p[i:], '}'); j > 1 && p[i+1] == ',' && allDigits(p[i+2:i+j]) {
				b.WriteString("{0")
				b.WriteString(p[i+1 : i+j+1])
				i += j + 1
				if i < len(p) && p[i] == '+' {
					return "", unsupportedError("a possessive quantifier")
				}
				continue
			}
		case '*', '+', '?', '}':
			if i+1 < len(p) && p[i+1] == '+' {
				if c != '}' || isQuantifierEnd(p[:i+1]) {
					return "", unsupportedError("a possessive quantifier")
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	if inClass {
		return "", errors.New("unterminated character set")
	}
	return b.String(), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isQuantifierEnd reports whether s ends with a {m}, {m,} or {m,n} repeat.
func isQuantifierEnd(s string) bool {
	j := strings.LastIndexByte(s, '{')
	if j < 0 {
		return false
	}
	body := s[j+1 : len(s)-1]
	lo, hi, found := strings.Cut(body, ",")
	return (lo == "" || allDigits(lo)) && (!found || hi == "" || allDigits(hi)) && (lo != "" || hi != "")
}

// translateGroup handles "(" at the start of s and returns how many bytes it
// consumed.
func translateGroup(b *strings.Builder, s string) (int, error) {
	if !strings.HasPrefix(s, "(?") {
		b.WriteByte('(')
		return 1, nil
	}
	rest := s[2:]
	switch {
	case strings.HasPrefix(rest, "P<"):
		b.WriteString("(?P<")
		return 4, nil
	case strings.HasPrefix(rest, "P="):
		return 0, unsupportedError("a backreference (?P=name)")
	case strings.HasPrefix(rest, ":"):
		b.WriteString("(?:")
		return 3, nil
	case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"):
		return 0, unsupportedError("a lookahead")
	case strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, "<!"):
		return 0, unsupportedError("a lookbehind")
	case strings.HasPrefix(rest, ">"):
		return 0, unsupportedError("an atomic group")
	case strings.HasPrefix(rest, "("):
		return 0, unsupportedError("a conditional group")
	case strings.HasPrefix(rest, "#"):
		j := strings.IndexByte(rest, ')')
		if j < 0 {
			return 0, errors.New("unterminated comment group")
		}
		return 2 + j + 1, nil // Python comment: drop it
	}
	// Flags: (?aiLmsux), (?aiLmsux-imsx:...).
	j := 0
	for j < len(rest) && strings.IndexByte("aiLmsux-", rest[j]) >= 0 {
		j++
	}
	if j == 0 || j >= len(rest) || (rest[j] != ')' && rest[j] != ':') {
		return 0, errors.New("unknown or unterminated group syntax after \"(?\"")
	}
	var kept strings.Builder
	for _, f := range rest[:j] {
		switch f {
		case 'a', 'u':
			// ASCII/Unicode matching: RE2's \w, \d, \s are ASCII already.
		case 'L':
			return 0, unsupportedError("the locale flag (?L)")
		case 'x':
			return 0, unsupportedError("verbose mode (?x)")
		default:
			kept.WriteRune(f)
		}
	}
	flags := strings.TrimSuffix(kept.String(), "-")
	if flags == "" {
		if rest[j] == ')' {
			return 2 + j + 1, nil
		}
		b.WriteString("(?:")
		return 2 + j + 1, nil
	}
	b.WriteString("(?" + flags + string(rest[j]))
	return 2 + j + 1, nil
}

// translateEscape translates the escape whose text after the backslash
// starts s and returns how many bytes of s it consumed.
func translateEscape(b *strings.Builder, s string, inClass bool) (int, error) {
	c := s[0]
	switch {
	case c == 'Z':
		if inClass {
			return 0, errors.New(`bad escape \Z in a character set`)
		}
		b.WriteString(`\z`)
		return 1, nil
	case c == 'b' && inClass:
		b.WriteString(`\x08`) // backspace inside a set
		return 1, nil
	case strings.IndexByte("AbBzdDsSwWafnrtv", c) >= 0:
		if inClass && strings.IndexByte("AbBz", c) >= 0 {
			return 0, errors.New(`bad escape \` + string(c) + ` in a character set`)
		}
		b.WriteByte('\\')
		b.WriteByte(c)
		return 1, nil
	case c == 'x':
		if len(s) < 3 || !isHex(s[1:3]) {
			return 0, errors.New(`incomplete escape \x`)
		}
		b.WriteString(`\x{` + s[1:3] + `}`)
		return 3, nil
	case c == 'u' || c == 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if len(s) < 1+n || !isHex(s[1:1+n]) {
			return 0, errors.New(`incomplete escape \` + string(c))
		}
		b.WriteString(`\x{` + s[1:1+n] + `}`)
		return 1 + n, nil
	case c == '0':
		j := 1
		for j < 3 && j < len(s) && s[j] >= '0' && s[j] <= '7' {
			j++
		}
		fmt.Fprintf(b, `\x{%x}`, octal(s[:j]))
		return j, nil
	case c >= '1' && c <= '9':
		if len(s) >= 3 && c <= '3' && isOctal(s[1]) && isOctal(s[2]) {
			fmt.Fprintf(b, `\x{%x}`, octal(s[:3]))
			return 3, nil
		}
		if inClass {
			return 0, errors.New(`bad escape \` + string(c) + ` in a character set`)
		}
		return 0, unsupportedError("a backreference")
	case c == 'N':
		return 0, unsupportedError(`a named character \N{...}`)
	case c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
		return 0, errors.New(`bad escape \` + string(c))
	case c < utf8.RuneSelf:
		// Any other escaped ASCII character is itself, in both dialects.
		b.WriteByte('\\')
		b.WriteByte(c)
		return 1, nil
	}
	// An escaped non-ASCII character is that character.
	_, size := utf8.DecodeRuneInString(s)
	b.WriteString(regexp.QuoteMeta(s[:size]))
	return size, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func octal(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*8 + int(s[i]-'0')
	}
	return n
}
