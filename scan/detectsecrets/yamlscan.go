package detectsecrets

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file and yamlparse.go reimplement the parts of PyYAML (6.0, the
// pure-Python SafeLoader that detect-secrets' YAMLTransformer drives) whose
// behaviour reaches the transformed lines: the reader's line counter, the
// scanner's token queue and simple-key lookahead (they decide where the
// reader stands when a node is composed, which is the line detect-secrets
// reports), the parser's states, the composer, the implicit resolver and
// SafeConstructor. Errors carry no messages: any YAMLError (or a Python
// exception PyYAML would let through) makes the transformation fail.

var errYAML = errors.New("yaml: not parsed")

// yReader is yaml.reader.Reader over a str: characters, not bytes, with
// the line and column counters forward() keeps.
type yReader struct {
	buf        []rune // the text plus a final '\0'
	ptr        int
	line, col  int
	nonPrintOK bool
}

// yPrintable is Reader.NON_PRINTABLE's complement.
func yPrintable(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

func newYReader(text string) (*yReader, bool) {
	buf := make([]rune, 0, utf8.RuneCountInString(text)+1)
	for _, r := range text {
		if !yPrintable(r) {
			return nil, false // ReaderError
		}
		buf = append(buf, r)
	}
	return &yReader{buf: append(buf, 0)}, true
}

func (r *yReader) peek(i int) rune {
	if r.ptr+i < len(r.buf) {
		return r.buf[r.ptr+i]
	}
	return 0
}

func (r *yReader) prefix(n int) string {
	end := r.ptr + n
	if end > len(r.buf) {
		end = len(r.buf)
	}
	return string(r.buf[r.ptr:end])
}

func (r *yReader) forward(n int) {
	for ; n > 0 && r.ptr < len(r.buf); n-- {
		ch := r.buf[r.ptr]
		r.ptr++
		if ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || (ch == '\r' && r.peek(0) != '\n') {
			r.line++
			r.col = 0
		} else if ch != 0xFEFF {
			r.col++
		}
	}
}

type yTokKind int

const (
	tStreamStart yTokKind = iota
	tStreamEnd
	tDirective
	tDocumentStart
	tDocumentEnd
	tBlockSequenceStart
	tBlockMappingStart
	tBlockEnd
	tFlowSequenceStart
	tFlowMappingStart
	tFlowSequenceEnd
	tFlowMappingEnd
	tKey
	tValue
	tBlockEntry
	tFlowEntry
	tAlias
	tAnchor
	tTag
	tScalar
)

type yToken struct {
	kind      yTokKind
	line      int // start mark line
	endLine   int
	value     string // scalar, anchor, alias; directive name
	plain     bool
	style     rune
	handle    string // tag handle; "" with noHandle for verbatim and "!"
	noHandle  bool
	suffix    string
	dirHandle string // %TAG handle
	dirPrefix string
	major     int // %YAML
	hasYAML   bool
}

type ySimpleKey struct {
	tokenNumber int
	required    bool
	index, line int
	column      int
	markLine    int
}

// yScanner is yaml.scanner.Scanner.
type yScanner struct {
	r               *yReader
	done            bool
	flowLevel       int
	tokens          []yToken
	tokensTaken     int
	indent          int
	indents         []int
	allowSimpleKey  bool
	possible        map[int]ySimpleKey
	err             bool
	fetchBudgetLeft int
}

func newYScanner(r *yReader) *yScanner {
	s := &yScanner{r: r, indent: -1, allowSimpleKey: true, possible: map[int]ySimpleKey{}}
	s.tokens = append(s.tokens, yToken{kind: tStreamStart, line: r.line, endLine: r.line})
	return s
}

// fail records a ScannerError; callers unwind by checking s.err.
func (s *yScanner) fail() { s.err = true; s.done = true }

func (s *yScanner) fill() {
	for !s.err && s.needMoreTokens() {
		s.fetchMoreTokens()
	}
}

func (s *yScanner) checkToken(kinds ...yTokKind) bool {
	s.fill()
	if s.err || len(s.tokens) == 0 {
		return false
	}
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if s.tokens[0].kind == k {
			return true
		}
	}
	return false
}

func (s *yScanner) peekToken() *yToken {
	s.fill()
	if s.err || len(s.tokens) == 0 {
		return nil
	}
	return &s.tokens[0]
}

func (s *yScanner) getToken() *yToken {
	s.fill()
	if s.err || len(s.tokens) == 0 {
		return nil
	}
	t := s.tokens[0]
	s.tokens = s.tokens[1:]
	s.tokensTaken++
	return &t
}

func (s *yScanner) needMoreTokens() bool {
	if s.done {
		return false
	}
	if len(s.tokens) == 0 {
		return true
	}
	s.staleSimpleKeys()
	if s.err {
		return false
	}
	n, ok := s.nextPossibleSimpleKey()
	return ok && n == s.tokensTaken
}

func isYBreakZ(r rune) bool {
	return r == 0 || r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

func isYBlankZ(r rune) bool { return r == ' ' || r == '\t' || isYBreakZ(r) }

func isYBreak(r rune) bool { return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029 }

func (s *yScanner) fetchMoreTokens() {
	s.scanToNextToken()
	s.staleSimpleKeys()
	if s.err {
		return
	}
	s.unwindIndent(s.r.col)
	ch := s.r.peek(0)
	switch {
	case ch == 0:
		s.fetchStreamEnd()
	case ch == '%' && s.r.col == 0:
		s.fetchDirective()
	case ch == '-' && s.checkDocumentIndicator("---"):
		s.fetchDocumentIndicator(tDocumentStart)
	case ch == '.' && s.checkDocumentIndicator("..."):
		s.fetchDocumentIndicator(tDocumentEnd)
	case ch == '[':
		s.fetchFlowCollectionStart(tFlowSequenceStart)
	case ch == '{':
		s.fetchFlowCollectionStart(tFlowMappingStart)
	case ch == ']':
		s.fetchFlowCollectionEnd(tFlowSequenceEnd)
	case ch == '}':
		s.fetchFlowCollectionEnd(tFlowMappingEnd)
	case ch == ',':
		s.fetchFlowEntry()
	case ch == '-' && isYBlankZ(s.r.peek(1)):
		s.fetchBlockEntry()
	case ch == '?' && (s.flowLevel != 0 || isYBlankZ(s.r.peek(1))):
		s.fetchKey()
	case ch == ':' && (s.flowLevel != 0 || isYBlankZ(s.r.peek(1))):
		s.fetchValue()
	case ch == '*':
		s.fetchAnchor(tAlias)
	case ch == '&':
		s.fetchAnchor(tAnchor)
	case ch == '!':
		s.fetchTag()
	case ch == '|' && s.flowLevel == 0:
		s.fetchBlockScalar(false)
	case ch == '>' && s.flowLevel == 0:
		s.fetchBlockScalar(true)
	case ch == '\'':
		s.fetchFlowScalar(false)
	case ch == '"':
		s.fetchFlowScalar(true)
	case s.checkPlain():
		s.fetchPlain()
	default:
		s.fail()
	}
}

func (s *yScanner) nextPossibleSimpleKey() (int, bool) {
	min, ok := 0, false
	for _, k := range s.possible {
		if !ok || k.tokenNumber < min {
			min, ok = k.tokenNumber, true
		}
	}
	return min, ok
}

func (s *yScanner) staleSimpleKeys() {
	for level, k := range s.possible {
		if k.line != s.r.line || s.r.ptr-k.index > 1024 {
			if k.required {
				s.fail()
				return
			}
			delete(s.possible, level)
		}
	}
}

func (s *yScanner) saveSimpleKey() {
	required := s.flowLevel == 0 && s.indent == s.r.col
	if s.allowSimpleKey {
		s.removeSimpleKey()
		if s.err {
			return
		}
		s.possible[s.flowLevel] = ySimpleKey{
			tokenNumber: s.tokensTaken + len(s.tokens), required: required,
			index: s.r.ptr, line: s.r.line, column: s.r.col, markLine: s.r.line,
		}
	}
}

func (s *yScanner) removeSimpleKey() {
	if k, ok := s.possible[s.flowLevel]; ok {
		if k.required {
			s.fail()
			return
		}
		delete(s.possible, s.flowLevel)
	}
}

func (s *yScanner) unwindIndent(col int) {
	if s.flowLevel != 0 {
		return
	}
	for s.indent > col {
		l := s.r.line
		s.indent = s.indents[len(s.indents)-1]
		s.indents = s.indents[:len(s.indents)-1]
		s.tokens = append(s.tokens, yToken{kind: tBlockEnd, line: l, endLine: l})
	}
}

func (s *yScanner) addIndent(col int) bool {
	if s.indent < col {
		s.indents = append(s.indents, s.indent)
		s.indent = col
		return true
	}
	return false
}

func (s *yScanner) simple(kind yTokKind, n int) {
	start := s.r.line
	s.r.forward(n)
	s.tokens = append(s.tokens, yToken{kind: kind, line: start, endLine: s.r.line})
}

func (s *yScanner) fetchStreamEnd() {
	s.unwindIndent(-1)
	s.removeSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	s.possible = map[int]ySimpleKey{}
	l := s.r.line
	s.tokens = append(s.tokens, yToken{kind: tStreamEnd, line: l, endLine: l})
	s.done = true
}

func (s *yScanner) fetchDirective() {
	s.unwindIndent(-1)
	s.removeSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	if t, ok := s.scanDirective(); ok {
		s.tokens = append(s.tokens, t)
	} else {
		s.fail()
	}
}

func (s *yScanner) checkDocumentIndicator(ind string) bool {
	return s.r.col == 0 && s.r.prefix(3) == ind && isYBlankZ(s.r.peek(3))
}

func (s *yScanner) fetchDocumentIndicator(kind yTokKind) {
	s.unwindIndent(-1)
	s.removeSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	s.simple(kind, 3)
}

func (s *yScanner) fetchFlowCollectionStart(kind yTokKind) {
	s.saveSimpleKey()
	if s.err {
		return
	}
	s.flowLevel++
	s.allowSimpleKey = true
	s.simple(kind, 1)
}

func (s *yScanner) fetchFlowCollectionEnd(kind yTokKind) {
	s.removeSimpleKey()
	if s.err {
		return
	}
	s.flowLevel--
	s.allowSimpleKey = false
	s.simple(kind, 1)
}

// blockStart is the block context's part of '-', '?' and a ':' without a
// simple key: the indicator must be allowed here, and at a deeper column it
// opens a block collection with a start token. False after a failure.
func (s *yScanner) blockStart(start yTokKind) bool {
	if s.flowLevel == 0 {
		if !s.allowSimpleKey {
			s.fail()
			return false
		}
		if s.addIndent(s.r.col) {
			l := s.r.line
			s.tokens = append(s.tokens, yToken{kind: start, line: l, endLine: l})
		}
	}
	return true
}

// indicator ends the fetching of ',', '-', '?' and ':': a simple key may
// follow when allow, the pending one is dropped, and the token is added.
func (s *yScanner) indicator(kind yTokKind, allow bool) {
	s.allowSimpleKey = allow
	s.removeSimpleKey()
	if s.err {
		return
	}
	s.simple(kind, 1)
}

func (s *yScanner) fetchFlowEntry() { s.indicator(tFlowEntry, true) }

func (s *yScanner) fetchBlockEntry() {
	if s.blockStart(tBlockSequenceStart) {
		s.indicator(tBlockEntry, true)
	}
}

func (s *yScanner) fetchKey() {
	if s.blockStart(tBlockMappingStart) {
		s.indicator(tKey, s.flowLevel == 0)
	}
}

func (s *yScanner) insertToken(at int, t yToken) {
	s.tokens = append(s.tokens, yToken{})
	copy(s.tokens[at+1:], s.tokens[at:])
	s.tokens[at] = t
}

func (s *yScanner) fetchValue() {
	if k, ok := s.possible[s.flowLevel]; ok {
		delete(s.possible, s.flowLevel)
		at := k.tokenNumber - s.tokensTaken
		s.insertToken(at, yToken{kind: tKey, line: k.markLine, endLine: k.markLine})
		if s.flowLevel == 0 && s.addIndent(k.column) {
			s.insertToken(at, yToken{kind: tBlockMappingStart, line: k.markLine, endLine: k.markLine})
		}
		s.allowSimpleKey = false
		s.simple(tValue, 1)
	} else if s.blockStart(tBlockMappingStart) {
		s.indicator(tValue, s.flowLevel == 0)
	}
}

func (s *yScanner) fetchAnchor(kind yTokKind) {
	s.saveSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	start := s.r.line
	s.r.forward(1)
	n := 0
	for isYAnchorChar(s.r.peek(n)) {
		n++
	}
	if n == 0 {
		s.fail()
		return
	}
	v := s.r.prefix(n)
	s.r.forward(n)
	if ch := s.r.peek(0); !(isYBlankZ(ch) || strings.ContainsRune("?:,]}%@`", ch)) {
		s.fail()
		return
	}
	s.tokens = append(s.tokens, yToken{kind: kind, value: v, line: start, endLine: s.r.line})
}

func isYAnchorChar(ch rune) bool {
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '_'
}

func (s *yScanner) fetchTag() {
	s.saveSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	t, ok := s.scanTag()
	if !ok {
		s.fail()
		return
	}
	s.tokens = append(s.tokens, t)
}

func (s *yScanner) fetchBlockScalar(folded bool) {
	s.allowSimpleKey = true
	s.removeSimpleKey()
	if s.err {
		return
	}
	t, ok := s.scanBlockScalar(folded)
	if !ok {
		s.fail()
		return
	}
	s.tokens = append(s.tokens, t)
}

func (s *yScanner) fetchFlowScalar(double bool) {
	s.saveSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	t, ok := s.scanFlowScalar(double)
	if !ok {
		s.fail()
		return
	}
	s.tokens = append(s.tokens, t)
}

func (s *yScanner) fetchPlain() {
	s.saveSimpleKey()
	if s.err {
		return
	}
	s.allowSimpleKey = false
	s.tokens = append(s.tokens, s.scanPlain())
}

func (s *yScanner) checkPlain() bool {
	ch := s.r.peek(0)
	if !(isYBlankZ(ch) || strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", ch)) {
		return true
	}
	return !isYBlankZ(s.r.peek(1)) && (ch == '-' || (s.flowLevel == 0 && (ch == '?' || ch == ':')))
}

func (s *yScanner) scanToNextToken() {
	r := s.r
	if r.ptr == 0 && r.peek(0) == 0xFEFF {
		r.forward(1)
	}
	for {
		for r.peek(0) == ' ' {
			r.forward(1)
		}
		if r.peek(0) == '#' {
			for !isYBreakZ(r.peek(0)) {
				r.forward(1)
			}
		}
		if s.scanLineBreak() != "" {
			if s.flowLevel == 0 {
				s.allowSimpleKey = true
			}
		} else {
			return
		}
	}
}

func (s *yScanner) scanLineBreak() string {
	ch := s.r.peek(0)
	switch ch {
	case '\r', '\n', 0x85:
		if s.r.prefix(2) == "\r\n" {
			s.r.forward(2)
		} else {
			s.r.forward(1)
		}
		return "\n"
	case 0x2028, 0x2029:
		s.r.forward(1)
		return string(ch)
	}
	return ""
}

func (s *yScanner) scanDirective() (yToken, bool) {
	r := s.r
	t := yToken{kind: tDirective, line: r.line}
	r.forward(1)
	n := 0
	for isYAnchorChar(r.peek(n)) {
		n++
	}
	if n == 0 {
		return t, false
	}
	t.value = r.prefix(n)
	r.forward(n)
	if ch := r.peek(0); !(ch == 0 || ch == ' ' || isYBreak(ch)) {
		return t, false
	}
	switch t.value {
	case "YAML":
		for r.peek(0) == ' ' {
			r.forward(1)
		}
		major, ok := s.scanDirectiveNumber()
		if !ok || r.peek(0) != '.' {
			return t, false
		}
		r.forward(1)
		if _, ok := s.scanDirectiveNumber(); !ok {
			return t, false
		}
		if ch := r.peek(0); !(ch == 0 || ch == ' ' || isYBreak(ch)) {
			return t, false
		}
		t.major, t.hasYAML = major, true
	case "TAG":
		for r.peek(0) == ' ' {
			r.forward(1)
		}
		h, ok := s.scanTagHandle()
		if !ok || r.peek(0) != ' ' {
			return t, false
		}
		for r.peek(0) == ' ' {
			r.forward(1)
		}
		p, ok := s.scanTagURI()
		if !ok {
			return t, false
		}
		if ch := r.peek(0); !(ch == 0 || ch == ' ' || isYBreak(ch)) {
			return t, false
		}
		t.dirHandle, t.dirPrefix = h, p
	default:
		for !isYBreakZ(r.peek(0)) {
			r.forward(1)
		}
	}
	t.endLine = r.line
	// scan_directive_ignored_line
	for r.peek(0) == ' ' {
		r.forward(1)
	}
	if r.peek(0) == '#' {
		for !isYBreakZ(r.peek(0)) {
			r.forward(1)
		}
	}
	if !isYBreakZ(r.peek(0)) {
		return t, false
	}
	s.scanLineBreak()
	return t, true
}

func (s *yScanner) scanDirectiveNumber() (int, bool) {
	r := s.r
	if ch := r.peek(0); ch < '0' || ch > '9' {
		return 0, false
	}
	n := 0
	for ch := r.peek(n); ch >= '0' && ch <= '9'; ch = r.peek(n) {
		n++
	}
	v, err := strconv.Atoi(r.prefix(n))
	if err != nil {
		v = 2 // far too many digits: not 1 either way
	}
	r.forward(n)
	return v, true
}

func (s *yScanner) scanTagHandle() (string, bool) {
	r := s.r
	if r.peek(0) != '!' {
		return "", false
	}
	n := 1
	ch := r.peek(n)
	if ch != ' ' {
		for isYAnchorChar(ch) {
			n++
			ch = r.peek(n)
		}
		if ch != '!' {
			r.forward(n)
			return "", false
		}
		n++
	}
	v := r.prefix(n)
	r.forward(n)
	return v, true
}

func isYURIChar(ch rune) bool {
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		(ch != 0 && strings.ContainsRune("-;/?:@&=+$,_.!~*'()[]%", ch))
}

func isYHex(ch rune) bool {
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f')
}

func (s *yScanner) scanTagURI() (string, bool) {
	r := s.r
	var b strings.Builder
	any := false
	n := 0
	for ch := r.peek(n); isYURIChar(ch); ch = r.peek(n) {
		if ch == '%' {
			b.WriteString(r.prefix(n))
			r.forward(n)
			n = 0
			any = true
			// scan_uri_escapes: %XX runs decoded as UTF-8.
			var raw []byte
			for r.peek(0) == '%' {
				r.forward(1)
				if !isYHex(r.peek(0)) || !isYHex(r.peek(1)) {
					return "", false
				}
				v, _ := strconv.ParseUint(r.prefix(2), 16, 8)
				raw = append(raw, byte(v))
				r.forward(2)
			}
			if !utf8.Valid(raw) {
				return "", false
			}
			b.Write(raw)
			continue
		}
		n++
	}
	if n > 0 {
		b.WriteString(r.prefix(n))
		r.forward(n)
		any = true
	}
	if !any {
		return "", false
	}
	return b.String(), true
}

func (s *yScanner) scanTag() (yToken, bool) {
	r := s.r
	t := yToken{kind: tTag, line: r.line}
	ch := r.peek(1)
	switch {
	case ch == '<':
		t.noHandle = true
		r.forward(2)
		suf, ok := s.scanTagURI()
		if !ok || r.peek(0) != '>' {
			return t, false
		}
		r.forward(1)
		t.suffix = suf
	case isYBlankZ(ch):
		t.noHandle = true
		t.suffix = "!"
		r.forward(1)
	default:
		n := 1
		useHandle := false
		for !(ch == 0 || ch == ' ' || isYBreak(ch)) {
			if ch == '!' {
				useHandle = true
				break
			}
			n++
			ch = r.peek(n)
		}
		if useHandle {
			h, ok := s.scanTagHandle()
			if !ok {
				return t, false
			}
			t.handle = h
		} else {
			t.handle = "!"
			r.forward(1)
		}
		suf, ok := s.scanTagURI()
		if !ok {
			return t, false
		}
		t.suffix = suf
	}
	if ch := r.peek(0); !(ch == 0 || ch == ' ' || isYBreak(ch)) {
		return t, false
	}
	t.endLine = r.line
	return t, true
}

func (s *yScanner) scanBlockScalar(folded bool) (yToken, bool) {
	r := s.r
	t := yToken{kind: tScalar, line: r.line, style: '|'}
	if folded {
		t.style = '>'
	}
	r.forward(1)
	// scan_block_scalar_indicators: chomping 0 none, 1 keep (+), -1 strip (-).
	chomping, increment := 0, 0
	ch := r.peek(0)
	if ch == '+' || ch == '-' {
		chomping = 1
		if ch == '-' {
			chomping = -1
		}
		r.forward(1)
		if ch = r.peek(0); ch >= '0' && ch <= '9' {
			if ch == '0' {
				return t, false
			}
			increment = int(ch - '0')
			r.forward(1)
		}
	} else if ch >= '0' && ch <= '9' {
		if ch == '0' {
			return t, false
		}
		increment = int(ch - '0')
		r.forward(1)
		if ch = r.peek(0); ch == '+' || ch == '-' {
			chomping = 1
			if ch == '-' {
				chomping = -1
			}
			r.forward(1)
		}
	}
	if ch := r.peek(0); !(ch == 0 || ch == ' ' || isYBreak(ch)) {
		return t, false
	}
	// scan_block_scalar_ignored_line
	for r.peek(0) == ' ' {
		r.forward(1)
	}
	if r.peek(0) == '#' {
		for !isYBreakZ(r.peek(0)) {
			r.forward(1)
		}
	}
	if !isYBreakZ(r.peek(0)) {
		return t, false
	}
	s.scanLineBreak()
	minIndent := s.indent + 1
	if minIndent < 1 {
		minIndent = 1
	}
	var breaks []string
	var indent int
	if increment == 0 {
		maxIndent := 0
		for ch := r.peek(0); ch == ' ' || isYBreak(ch); ch = r.peek(0) {
			if ch != ' ' {
				breaks = append(breaks, s.scanLineBreak())
			} else {
				r.forward(1)
				if r.col > maxIndent {
					maxIndent = r.col
				}
			}
		}
		indent = minIndent
		if maxIndent > indent {
			indent = maxIndent
		}
	} else {
		indent = minIndent + increment - 1
		breaks = s.blockScalarBreaks(indent)
	}
	var b strings.Builder
	lineBreak := ""
	for r.col == indent && r.peek(0) != 0 {
		for _, x := range breaks {
			b.WriteString(x)
		}
		leadingNonSpace := r.peek(0) != ' ' && r.peek(0) != '\t'
		n := 0
		for !isYBreakZ(r.peek(n)) {
			n++
		}
		b.WriteString(r.prefix(n))
		r.forward(n)
		lineBreak = s.scanLineBreak()
		breaks = s.blockScalarBreaks(indent)
		if r.col == indent && r.peek(0) != 0 {
			if folded && lineBreak == "\n" && leadingNonSpace && r.peek(0) != ' ' && r.peek(0) != '\t' {
				if len(breaks) == 0 {
					b.WriteByte(' ')
				}
			} else {
				b.WriteString(lineBreak)
			}
		} else {
			break
		}
	}
	if chomping != -1 {
		b.WriteString(lineBreak)
	}
	if chomping == 1 {
		for _, x := range breaks {
			b.WriteString(x)
		}
	}
	t.value = b.String()
	t.endLine = r.line
	return t, true
}

func (s *yScanner) blockScalarBreaks(indent int) []string {
	r := s.r
	var out []string
	for r.col < indent && r.peek(0) == ' ' {
		r.forward(1)
	}
	for isYBreak(r.peek(0)) {
		out = append(out, s.scanLineBreak())
		for r.col < indent && r.peek(0) == ' ' {
			r.forward(1)
		}
	}
	return out
}

var yEscapes = map[rune]string{
	'0': "\x00", 'a': "\x07", 'b': "\x08", 't': "\x09", '\t': "\x09", 'n': "\x0A", 'v': "\x0B",
	'f': "\x0C", 'r': "\x0D", 'e': "\x1B", ' ': " ", '"': "\"", '\\': "\\", '/': "/",
	'N': "\u0085", '_': "\u00A0", 'L': "\u2028", 'P': "\u2029",
}

func (s *yScanner) scanFlowScalar(double bool) (yToken, bool) {
	r := s.r
	t := yToken{kind: tScalar, line: r.line, style: '\''}
	if double {
		t.style = '"'
	}
	quote := r.peek(0)
	r.forward(1)
	var b strings.Builder
	if !s.flowNonSpaces(double, &b) {
		return t, false
	}
	for r.peek(0) != quote {
		if !s.flowSpaces(&b) || !s.flowNonSpaces(double, &b) {
			return t, false
		}
	}
	r.forward(1)
	t.value = b.String()
	t.endLine = r.line
	return t, true
}

func (s *yScanner) flowNonSpaces(double bool, b *strings.Builder) bool {
	r := s.r
	for {
		n := 0
		for ch := r.peek(n); !(ch == '\'' || ch == '"' || ch == '\\' || isYBlankZ(ch)); ch = r.peek(n) {
			n++
		}
		if n > 0 {
			b.WriteString(r.prefix(n))
			r.forward(n)
		}
		ch := r.peek(0)
		switch {
		case !double && ch == '\'' && r.peek(1) == '\'':
			b.WriteByte('\'')
			r.forward(2)
		case (double && ch == '\'') || (!double && (ch == '"' || ch == '\\')):
			b.WriteRune(ch)
			r.forward(1)
		case double && ch == '\\':
			r.forward(1)
			ch = r.peek(0)
			if rep, ok := yEscapes[ch]; ok {
				b.WriteString(rep)
				r.forward(1)
			} else if ch == 'x' || ch == 'u' || ch == 'U' {
				n := map[rune]int{'x': 2, 'u': 4, 'U': 8}[ch]
				r.forward(1)
				for k := 0; k < n; k++ {
					if !isYHex(r.peek(k)) {
						return false
					}
				}
				code, _ := strconv.ParseUint(r.prefix(n), 16, 32)
				// chr() of a surrogate gives a str Go cannot hold (and
				// detect-secrets could not hash); past 0x10FFFF it raises.
				if code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) {
					return false
				}
				b.WriteRune(rune(code))
				r.forward(n)
			} else if isYBreak(ch) {
				s.scanLineBreak()
				if !s.flowBreaks(b) {
					return false
				}
			} else {
				return false
			}
		default:
			return true
		}
	}
}

func (s *yScanner) flowSpaces(b *strings.Builder) bool {
	r := s.r
	n := 0
	for ch := r.peek(n); ch == ' ' || ch == '\t'; ch = r.peek(n) {
		n++
	}
	ws := r.prefix(n)
	r.forward(n)
	ch := r.peek(0)
	switch {
	case ch == 0:
		return false
	case isYBreak(ch):
		lb := s.scanLineBreak()
		var bb strings.Builder
		if !s.flowBreaks(&bb) {
			return false
		}
		if lb != "\n" {
			b.WriteString(lb)
		} else if bb.Len() == 0 {
			b.WriteByte(' ')
		}
		b.WriteString(bb.String())
	default:
		b.WriteString(ws)
	}
	return true
}

func (s *yScanner) flowBreaks(b *strings.Builder) bool {
	r := s.r
	for {
		p := r.prefix(3)
		if (p == "---" || p == "...") && isYBlankZ(r.peek(3)) {
			return false
		}
		for r.peek(0) == ' ' || r.peek(0) == '\t' {
			r.forward(1)
		}
		if isYBreak(r.peek(0)) {
			b.WriteString(s.scanLineBreak())
		} else {
			return true
		}
	}
}

func (s *yScanner) scanPlain() yToken {
	r := s.r
	t := yToken{kind: tScalar, line: r.line, plain: true}
	endLine := r.line
	var b strings.Builder
	indent := s.indent + 1
	var spaces []string
	for {
		n := 0
		if r.peek(0) == '#' {
			break
		}
		for {
			ch := r.peek(n)
			if isYBlankZ(ch) {
				break
			}
			if ch == ':' {
				nx := r.peek(n + 1)
				if isYBlankZ(nx) || (s.flowLevel != 0 && strings.ContainsRune(",[]{}", nx)) {
					break
				}
			}
			if s.flowLevel != 0 && strings.ContainsRune(",?[]{}", ch) {
				break
			}
			n++
		}
		if n == 0 {
			break
		}
		s.allowSimpleKey = false
		for _, x := range spaces {
			b.WriteString(x)
		}
		b.WriteString(r.prefix(n))
		r.forward(n)
		endLine = r.line
		var ok bool
		spaces, ok = s.plainSpaces()
		if !ok || len(spaces) == 0 || r.peek(0) == '#' || (s.flowLevel == 0 && r.col < indent) {
			break
		}
	}
	t.value = b.String()
	t.endLine = endLine
	return t
}

// plainSpaces is scan_plain_spaces; ok is false where Python returns None
// (a document marker after a line break).
func (s *yScanner) plainSpaces() ([]string, bool) {
	r := s.r
	n := 0
	for r.peek(n) == ' ' {
		n++
	}
	ws := r.prefix(n)
	r.forward(n)
	ch := r.peek(0)
	if isYBreak(ch) {
		lb := s.scanLineBreak()
		s.allowSimpleKey = true
		if p := r.prefix(3); (p == "---" || p == "...") && isYBlankZ(r.peek(3)) {
			return nil, false
		}
		var breaks []string
		for ch := r.peek(0); ch == ' ' || isYBreak(ch); ch = r.peek(0) {
			if ch == ' ' {
				r.forward(1)
			} else {
				breaks = append(breaks, s.scanLineBreak())
				if p := r.prefix(3); (p == "---" || p == "...") && isYBlankZ(r.peek(3)) {
					return nil, false
				}
			}
		}
		var out []string
		if lb != "\n" {
			out = append(out, lb)
		} else if len(breaks) == 0 {
			out = append(out, " ")
		}
		return append(out, breaks...), true
	}
	if ws != "" {
		return []string{ws}, true
	}
	return nil, true
}
