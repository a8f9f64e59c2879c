package baseline

// Finding a recorded secret again. A baseline holds only the SHA-1 of each
// secret, so to show an entry (or mask it in a report) its value must be
// found in the file once more — at its recorded line, or wherever the code
// moved it. This is the one place the package reads the scanned files.

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// Location is where an entry's secret is in its file now.
type Location struct {
	// Found is false when the secret is gone; Reason then says why.
	Found  bool
	Reason string
	// Line is the 1-based line the secret starts on.
	Line int
	// Start and End are byte offsets in the file of the span to highlight:
	// the secret itself, or the whole match when gitleaks found the value
	// only after decoding (base64, hex, ...) and it is not in the text.
	Start, End int
	// Secret is the raw value. Only the interactive screen on a terminal
	// and --unmask may print it; everything else prints scan.Mask(Secret).
	Secret string
	// Via names how it was found: "gitleaks", "detect-secrets" or
	// "hash search".
	Via string
}

// Moved reports whether the secret was found on another line than the one
// recorded (never when the entry has no line number).
func (l Location) Moved(e *Entry) bool {
	return l.Found && e.LineNumber != 0 && l.Line != e.LineNumber
}

// Locator finds the secrets of baseline entries in their files. Files are
// read and scanned once and kept, so walking many entries of one file is
// cheap. It is safe for concurrent use.
type Locator struct {
	// Root is the directory the baseline's filenames are relative to.
	Root string
	// Rules are the gitleaks rules; nil means the defaults.
	Rules *secrets.Rules
	// MaxFileSize: larger files are not searched; 0 means
	// scan.DefaultMaxFileSize.
	MaxFileSize int64

	once  sync.Once
	det   secrets.Detector
	ds    *detectsecrets.Scanner
	err   error
	mu    sync.Mutex
	files map[string]*locFile
}

// locFile is one file's content and the secrets found in it so far.
type locFile struct {
	mu      sync.Mutex
	content []byte
	starts  []int  // byte offset of each line's start
	reason  string // why it cannot be searched; "" when it can
	// byHash maps a lowercase hex hash to the spans where each engine
	// found that value; filled engine by engine as needed.
	byHash map[string][]span
	done   map[string]bool // engines run: "gitleaks", "detect-secrets", "tokens"
	tokens map[[sha1.Size]byte][]span
	// located caches each answer, found or not.
	located map[locKey]Location
	// values are the raw secrets known in the file, for masking a
	// snippet's other lines.
	values map[string]bool
}

// span is a found value: bytes [start, end) of the file hold it (or, when
// decoded, the match it was decoded from).
type span struct {
	start, end int
	secret     string
	via        string
}

// init builds the engines once. detect-secrets runs with all of its 1.5
// plugins and no filters, so every value a detect-secrets baseline can hold
// is a candidate.
func (l *Locator) init() {
	l.once.Do(func() {
		l.files = map[string]*locFile{}
		rules := l.Rules
		if rules == nil {
			rules, l.err = secrets.DefaultRules()
			if l.err != nil {
				return
			}
		}
		l.det = secrets.NewFast(rules)
		l.ds, l.err = detectsecrets.New(detectsecrets.DefaultPlugins(), nil)
	})
}

// path is where the entry's file is on disk. A committed baseline decides
// which files are read and shown, so a name that leaves Root (absolute, or
// through "..") is refused: ok is false.
func (l *Locator) path(name string) (path string, ok bool) {
	rel := filepath.FromSlash(NormalizePath(name))
	if filepath.IsAbs(rel) || strings.HasPrefix(name, "/") || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.Join(l.Root, rel), true
}

// file returns the cached file, reading it on first use.
func (l *Locator) file(name string) *locFile {
	name = NormalizePath(name)
	l.mu.Lock()
	f := l.files[name]
	if f == nil {
		f = &locFile{byHash: map[string][]span{}, done: map[string]bool{}, values: map[string]bool{}, located: map[locKey]Location{}}
		l.files[name] = f
		f.mu.Lock()
		l.mu.Unlock()
		if p, ok := l.path(name); ok {
			f.load(p, l.maxSize())
		} else {
			f.reason = "the path leaves the root directory; not read"
		}
		f.mu.Unlock()
		return f
	}
	l.mu.Unlock()
	return f
}

func (l *Locator) maxSize() int64 {
	if l.MaxFileSize > 0 {
		return l.MaxFileSize
	}
	return scan.DefaultMaxFileSize
}

func (f *locFile) load(path string, maxSize int64) {
	content, err := fsutil.ReadRegular(path, maxSize)
	var tooLarge *fsutil.ErrTooLarge
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.reason = "the file is gone"
		return
	case errors.Is(err, fsutil.ErrNotRegular):
		f.reason = "not a regular file"
		return
	case errors.As(err, &tooLarge):
		f.reason = fmt.Sprintf("the file is larger than %d bytes", maxSize)
		return
	case err != nil:
		f.reason = "cannot read the file: " + errText(err)
		return
	}
	// The scan reads UTF-16 text as UTF-8; so must the search for what it
	// found.
	content, binary := scan.Text(content)
	if binary {
		f.reason = "binary file"
		return
	}
	f.content = content
	f.starts = []int{0}
	for i, b := range content {
		if b == '\n' {
			f.starts = append(f.starts, i+1)
		}
	}
}

// lineOf is the 1-based line holding byte offset off.
func (f *locFile) lineOf(off int) int {
	return sort.Search(len(f.starts), func(i int) bool { return f.starts[i] > off })
}

// lineBounds is line n's (1-based) byte range without its terminator.
func (f *locFile) lineBounds(n int) (start, end int) {
	if n < 1 || n > len(f.starts) {
		return 0, 0
	}
	start = f.starts[n-1]
	end = len(f.content)
	if n < len(f.starts) {
		end = f.starts[n] - 1
	}
	if end > start && f.content[end-1] == '\r' {
		end--
	}
	return start, end
}

// offset is the byte offset of 1-based line and character column.
func (f *locFile) offset(line, col int) int {
	start, end := f.lineBounds(line)
	if line > len(f.starts) {
		return len(f.content)
	}
	off := start
	for c := 1; c < col && off < end; c++ {
		_, n := utf8.DecodeRune(f.content[off:end])
		off += n
	}
	return off
}

// Locate finds e's secret in its file. The value is identified by its hash
// with, in order until one succeeds:
//
//  1. the gitleaks rules (what clawgate records);
//  2. detect-secrets' 27 plugins without filters (what a detect-secrets
//     baseline records, when no gitleaks rule yields the same value);
//  3. a hash search over candidate tokens of every line — runs split at
//     white space, quotes and punctuation, quoted strings, values after
//     '=' or ':' — indexed once per file, so each lookup costs one map
//     probe;
//  4. every substring of the lines, hashed incrementally, starting at the
//     recorded line and going outward, within a budget (bruteForceBudget).
//
// Where the value occurs more than once, the occurrence nearest the
// recorded line wins (the first one when the entry has no line number).
func (l *Locator) Locate(ctx context.Context, e *Entry) (Location, error) {
	locs, err := l.LocateAll(ctx, []*Entry{e})
	if err != nil {
		return Location{}, err
	}
	return locs[0], nil
}

// LocateAll is Locate for many entries; the entries of one file share one
// pass of the last, costly step.
func (l *Locator) LocateAll(ctx context.Context, es []*Entry) ([]Location, error) {
	l.init()
	if l.err != nil {
		return nil, l.err
	}
	out := make([]Location, len(es))
	byFile := map[string][]int{}
	var names []string
	for i, e := range es {
		name := NormalizePath(e.Filename)
		if _, ok := byFile[name]; !ok {
			names = append(names, name)
		}
		byFile[name] = append(byFile[name], i)
	}
	for _, name := range names {
		if err := l.locateIn(ctx, name, es, byFile[name], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// locateIn locates the entries es[idx...], all of file name, into out.
func (l *Locator) locateIn(ctx context.Context, name string, es []*Entry, idx []int, out []Location) error {
	f := l.file(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reason != "" {
		for _, i := range idx {
			out[i] = Location{Reason: f.reason}
		}
		return nil
	}
	pending := map[[sha1.Size]byte][]int{}
	for _, i := range idx {
		e := es[i]
		key := locKey{strings.ToLower(e.HashedSecret), e.LineNumber}
		if loc, ok := f.located[key]; ok {
			out[i] = loc
			continue
		}
		want, err := hex.DecodeString(key.hash)
		if err != nil || len(want) != sha1.Size {
			out[i] = Location{Reason: "the entry's hashed_secret is not a SHA-1"}
			continue
		}
		if err := f.runGitleaks(ctx, l.det, name); err != nil {
			return err
		}
		spans := f.byHash[key.hash]
		if len(spans) == 0 {
			f.runDetectSecrets(l.ds, name)
			spans = f.byHash[key.hash]
		}
		var target [sha1.Size]byte
		copy(target[:], want)
		if len(spans) == 0 {
			f.indexTokens()
			spans = f.withOccurrences(f.tokens[target])
		}
		if len(spans) == 0 {
			pending[target] = append(pending[target], i)
			continue
		}
		out[i] = f.nearest(spans, e.LineNumber)
		f.located[key] = out[i]
	}
	if len(pending) == 0 {
		return nil
	}
	var lines []int
	for _, is := range pending {
		for _, i := range is {
			lines = append(lines, es[i].LineNumber)
		}
	}
	found := f.bruteForce(lines, pending)
	for target, is := range pending {
		for _, i := range is {
			e := es[i]
			loc := Location{Reason: "no string in the file has this hash"}
			if s, ok := found[target]; ok {
				loc = f.nearest(f.withOccurrences([]span{s}), e.LineNumber)
			}
			out[i] = loc
			f.located[locKey{strings.ToLower(e.HashedSecret), e.LineNumber}] = loc
		}
	}
	return nil
}

// locKey caches a lookup: the same hash and recorded line give the same
// answer as long as the file is unchanged.
type locKey struct {
	hash string
	line int
}

// runGitleaks scans the file with the gitleaks rules once.
func (f *locFile) runGitleaks(ctx context.Context, det secrets.Detector, name string) error {
	if f.done["gitleaks"] {
		return nil
	}
	matches, err := secrets.ScanContent(ctx, det, name, f.content)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	f.done["gitleaks"] = true
	for _, m := range matches {
		if m.Secret == "" || m.StartLine == 0 {
			continue
		}
		start := f.offset(m.StartLine, m.StartColumn)
		end := max(start, f.offset(m.EndLine, m.EndColumn))
		s := span{start: start, end: end, secret: m.Secret, via: "gitleaks"}
		// The match covers the whole rule (e.g. `api_key = "..."`);
		// highlight the secret group inside it when it is there.
		if i := bytes.Index(f.content[start:end], []byte(m.Secret)); i >= 0 {
			s.start, s.end = start+i, start+i+len(m.Secret)
		}
		f.add(s)
	}
	return nil
}

// runDetectSecrets runs detect-secrets' plugins once. They report a value
// once per file with its first line.
func (f *locFile) runDetectSecrets(ds *detectsecrets.Scanner, name string) {
	if f.done["detect-secrets"] {
		return
	}
	f.done["detect-secrets"] = true
	for _, r := range ds.ScanFile(name, f.content) {
		if r.Secret == "" {
			continue
		}
		start, end := f.lineBounds(r.Line)
		if i := bytes.Index(f.content[start:end], []byte(r.Secret)); i >= 0 {
			start, end = start+i, start+i+len(r.Secret)
		}
		for _, s := range f.withOccurrences([]span{{start: start, end: end, secret: r.Secret, via: "detect-secrets"}}) {
			f.add(s)
		}
	}
}

func (f *locFile) add(s span) {
	h := scan.HashSecret(s.secret)
	for _, o := range f.byHash[h] {
		if o.start == s.start && o.end == s.end {
			return
		}
	}
	f.byHash[h] = append(f.byHash[h], s)
	f.values[s.secret] = true
}

// withOccurrences adds the other places the value stands as a whole token
// (not inside a longer word), so a value an engine reports once per file
// can still be shown where it moved.
func (f *locFile) withOccurrences(spans []span) []span {
	if len(spans) == 0 {
		return spans
	}
	secret := spans[0].secret
	via := spans[0].via
	out := append([]span(nil), spans...)
	seen := map[int]bool{}
	for _, s := range spans {
		seen[s.start] = true
	}
	for off := 0; ; {
		i := bytes.Index(f.content[off:], []byte(secret))
		if i < 0 {
			break
		}
		start := off + i
		end := start + len(secret)
		off = start + 1
		if seen[start] || !bounded(f.content, start, end) {
			continue
		}
		seen[start] = true
		out = append(out, span{start: start, end: end, secret: secret, via: via})
	}
	return out
}

// bounded reports whether content[start:end] is not part of a longer word.
func bounded(content []byte, start, end int) bool {
	word := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b >= 0x80
	}
	if start > 0 && word(content[start-1]) && word(content[start]) {
		return false
	}
	if end < len(content) && word(content[end]) && word(content[end-1]) {
		return false
	}
	return true
}

// nearest picks the span closest to the recorded line (ties and entries
// without a line number: the earlier one).
func (f *locFile) nearest(spans []span, line int) Location {
	best, bestDist := -1, 0
	for i, s := range spans {
		d := 0
		if line > 0 {
			d = f.lineOf(s.start) - line
			if d < 0 {
				d = -d
			}
		}
		if best < 0 || d < bestDist || d == bestDist && s.start < spans[best].start {
			best, bestDist = i, d
		}
	}
	s := spans[best]
	f.values[s.secret] = true
	return Location{Found: true, Line: f.lineOf(s.start), Start: s.start, End: s.end, Secret: s.secret, Via: s.via}
}

// tokenDelims are the sets a line is split at for candidate tokens, from
// coarse (white space) to fine (URL and path punctuation too).
var tokenDelims = []string{
	" \t\r\v\f",
	" \t\r\v\f\"'`=:,;()[]{}<>",
	" \t\r\v\f\"'`=:,;()[]{}<>@/?&#|\\!",
}

// indexTokens hashes every candidate token of every line once, so each
// entry's lookup is one map probe.
func (f *locFile) indexTokens() {
	if f.done["tokens"] {
		return
	}
	f.done["tokens"] = true
	f.tokens = map[[sha1.Size]byte][]span{}
	for n := 1; n <= len(f.starts); n++ {
		ls, le := f.lineBounds(n)
		line := f.content[ls:le]
		seen := map[[2]int]bool{}
		emit := func(a, b int) {
			// Trim what rarely ends a secret but often follows one.
			for a < b && strings.IndexByte(" \t\"'`", line[a]) >= 0 {
				a++
			}
			for b > a && strings.IndexByte(" \t\"'`,;", line[b-1]) >= 0 {
				b--
			}
			if a >= b || seen[[2]int{a, b}] {
				return
			}
			seen[[2]int{a, b}] = true
			h := sha1.Sum(line[a:b])
			f.tokens[h] = append(f.tokens[h], span{start: ls + a, end: ls + b, secret: string(line[a:b]), via: "hash search"})
		}
		for _, delims := range tokenDelims {
			a := 0
			for i := 0; i <= len(line); i++ {
				if i == len(line) || strings.IndexByte(delims, line[i]) >= 0 {
					emit(a, i)
					a = i + 1
				}
			}
		}
		// Quoted strings, spaces and all.
		for _, q := range []byte{'"', '\'', '`'} {
			for i := 0; i < len(line); {
				j := bytes.IndexByte(line[i:], q)
				if j < 0 {
					break
				}
				k := bytes.IndexByte(line[i+j+1:], q)
				if k < 0 {
					break
				}
				emit(i+j+1, i+j+1+k)
				i += j + 1 + k + 1
			}
		}
		// The value of key = value or key: value, to the end of the line.
		if i := bytes.IndexAny(line, "=:"); i >= 0 {
			emit(i+1, len(line))
		}
	}
}

// bruteForceBudget caps the substrings hashed per file (about 0.1 µs
// each): a few thousand ordinary lines, or the lines near the recorded ones
// in a bigger file.
const bruteForceBudget = 4 << 20

// bruteForce hashes every substring that neither starts nor ends with white
// space, line by line — the lines in near, then outward from them (from the
// top when near holds no line) — until every target is found or the budget
// is spent. Each start position extends one SHA-1 state a byte at a time,
// so a substring costs one finalisation, not a rehash.
func (f *locFile) bruteForce(near []int, targets map[[sha1.Size]byte][]int) map[[sha1.Size]byte]span {
	found := map[[sha1.Size]byte]span{}
	budget := bruteForceBudget
	space := func(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f' }
	var sum [sha1.Size]byte
	for _, n := range lineOrder(near, len(f.starts)) {
		ls, le := f.lineBounds(n)
		line := f.content[ls:le]
		cost := len(line) * (len(line) + 1) / 2
		if cost > budget {
			continue
		}
		budget -= cost
		for i := range line {
			if space(line[i]) {
				continue
			}
			h := sha1.New()
			for j := i; j < len(line); j++ {
				h.Write(line[j : j+1])
				if space(line[j]) {
					continue
				}
				var k [sha1.Size]byte
				copy(k[:], h.Sum(sum[:0]))
				if _, ok := targets[k]; ok {
					if _, dup := found[k]; !dup {
						found[k] = span{start: ls + i, end: ls + j + 1, secret: string(line[i : j+1]), via: "hash search"}
					}
				}
			}
		}
		if len(found) == len(targets) || budget == 0 {
			break
		}
	}
	return found
}

// lineOrder lists the lines 1..count nearest first: each line of near,
// then those one away, two away, and so on; 1..count when near has no
// line.
func lineOrder(near []int, count int) []int {
	var seeds []int
	for _, n := range near {
		if n >= 1 && n <= count {
			seeds = append(seeds, n)
		}
	}
	if len(seeds) == 0 {
		seeds = []int{1}
	}
	seen := make([]bool, count+1)
	out := make([]int, 0, count)
	for d := 0; len(out) < count; d++ {
		for _, s := range seeds {
			for _, n := range []int{s + d, s - d} {
				if n >= 1 && n <= count && !seen[n] {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	return out
}
