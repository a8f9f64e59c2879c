package baseline

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds a small JSON reader and a Python-style JSON writer.
//
// encoding/json is not enough for the committed file, for four reasons:
//   - errors must point at a line and column for type errors too, so every
//     value keeps its byte offset;
//   - numbers in plugin and filter options must survive as Python would
//     re-emit them (3 stays 3, 3.0 stays 3.0), so numbers keep their text;
//   - Python accepts NaN/Infinity and lone UTF-16 surrogates ("\ud800") and
//     writes them back; we keep them so a round trip loses nothing;
//   - duplicate object keys follow Python's dict semantics (the key keeps its
//     first position, the last value wins).

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	switch k {
	case jNull:
		return "null"
	case jBool:
		return "a boolean"
	case jNumber:
		return "a number"
	case jString:
		return "a string"
	case jArray:
		return "a list"
	case jObject:
		return "an object"
	}
	return "a value"
}

// jvalue is one parsed JSON value. Arrays and objects share kids; array
// elements have an empty key.
type jvalue struct {
	kind jkind
	b    bool
	off  int    // offset of the value's first byte
	end  int    // offset just past the value
	str  string // decoded string (WTF-8 for lone surrogates) or number text
	kids []jmember
}

type jmember struct {
	key    string
	keyOff int
	val    jvalue
}

// maxDepth bounds nesting. Python's json gives up around 1000 levels too; a
// baseline never nests more than five.
const maxDepth = 1000

type jparser struct {
	data  []byte
	pos   int
	depth int
	err   *syntaxErr
	// stack collects the members of the containers being parsed; each
	// container copies its own out once complete, so there is one
	// allocation per container instead of one per append.
	stack []jmember
	// keys interns object keys, which repeat for every entry.
	keys map[string]string
}

var entryKeyNames = [...]string{"type", "filename", "hashed_secret", "is_verified", "line_number", "is_secret"}

func (p *jparser) intern(b []byte) string {
	// The keys of every entry first; comparing string(b) with a constant
	// does not allocate.
	for _, k := range entryKeyNames {
		if string(b) == k {
			return k
		}
	}
	if s, ok := p.keys[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.keys) < 1024 {
		if p.keys == nil {
			p.keys = map[string]string{}
		}
		p.keys[s] = s
	}
	return s
}

func (p *jparser) collect(base int) []jmember {
	if len(p.stack) == base {
		return nil
	}
	kids := make([]jmember, len(p.stack)-base)
	copy(kids, p.stack[base:])
	clear(p.stack[base:]) // drop references for the GC
	p.stack = p.stack[:base]
	return kids
}

// syntaxErr is turned into an *Error with line and column by the caller,
// which knows the file name.
type syntaxErr struct {
	off int
	msg string
}

// parseJSON parses one JSON document. A UTF-8 byte-order mark is skipped:
// editors on Windows add one, and refusing the file would help nobody.
func parseJSON(data []byte) (jvalue, *syntaxErr) {
	p := &jparser{data: data}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
	p.skipWS()
	if p.pos >= len(p.data) {
		return jvalue{}, &syntaxErr{off: p.pos, msg: "the file is empty: expected a JSON object"}
	}
	v, ok := p.value()
	if !ok {
		return jvalue{}, p.err
	}
	p.skipWS()
	if p.pos < len(p.data) {
		return jvalue{}, &syntaxErr{off: p.pos, msg: "unexpected " + p.describe() + " after the end of the top-level JSON value"}
	}
	return v, nil
}

func (p *jparser) fail(off int, msg string) bool {
	if p.err == nil {
		p.err = &syntaxErr{off: off, msg: msg}
	}
	return false
}

// describe names the byte at pos without quoting file content at length;
// a broken baseline could hold anything, and errors must never echo a secret.
func (p *jparser) describe() string {
	if p.pos >= len(p.data) {
		return "end of file"
	}
	c := p.data[p.pos]
	switch {
	case strings.IndexByte("{}[]:,\"'<>=/#", c) >= 0:
		return "character '" + string(c) + "'"
	case c >= '0' && c <= '9', c == '-':
		return "number"
	case c < 0x20 || c == 0x7f:
		return "control character " + strconv.QuoteRune(rune(c))
	case c >= 0x80:
		return "non-ASCII character"
	}
	return "text"
}

func (p *jparser) skipWS() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value() (jvalue, bool) {
	p.skipWS()
	if p.pos >= len(p.data) {
		return jvalue{}, p.fail(p.pos, "unexpected end of file: expected a value (the file is truncated)")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, ok := p.string()
		return jvalue{kind: jString, str: s, off: start, end: p.pos}, ok
	case c == 't':
		return p.literal("true", jvalue{kind: jBool, b: true})
	case c == 'f':
		return p.literal("false", jvalue{kind: jBool})
	case c == 'n':
		return p.literal("null", jvalue{kind: jNull})
	case c == 'N':
		return p.literal("NaN", jvalue{kind: jNumber, str: "NaN"})
	case c == 'I':
		return p.literal("Infinity", jvalue{kind: jNumber, str: "Infinity"})
	case c == '-' && bytes.HasPrefix(p.data[p.pos:], []byte("-Infinity")):
		return p.literal("-Infinity", jvalue{kind: jNumber, str: "-Infinity"})
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return jvalue{}, p.fail(p.pos, "expected a value, found "+p.describe())
}

func (p *jparser) literal(word string, v jvalue) (jvalue, bool) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return jvalue{}, p.fail(p.pos, "expected a value, found "+p.describe())
	}
	v.off = p.pos
	p.pos += len(word)
	v.end = p.pos
	return v, true
}

// number accepts exactly Python's NUMBER_RE: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
func (p *jparser) number() (jvalue, bool) {
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		return jvalue{}, p.fail(i, "expected a digit after '-'")
	}
	if i+1 < len(d) && d[i] == '.' && d[i+1] >= '0' && d[i+1] <= '9' {
		i += 2
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		j := i + 1
		if j < len(d) && (d[j] == '+' || d[j] == '-') {
			j++
		}
		if j < len(d) && d[j] >= '0' && d[j] <= '9' {
			for j < len(d) && d[j] >= '0' && d[j] <= '9' {
				j++
			}
			i = j
		}
	}
	p.pos = i
	return jvalue{kind: jNumber, str: string(d[start:i]), off: start, end: i}, true
}

func (p *jparser) string() (string, bool) { return p.str(false) }

// str parses a string; keys are interned.
func (p *jparser) str(key bool) (string, bool) {
	start := p.pos
	p.pos++ // opening quote
	d := p.data
	// Fast path: no escapes, printable ASCII or valid UTF-8.
	i := p.pos
	for i < len(d) {
		c := d[i]
		if c == '"' {
			var s string
			if key {
				s = p.intern(d[p.pos:i])
			} else {
				s = string(d[p.pos:i])
			}
			p.pos = i + 1
			return s, true
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(d[i:])
		if r == utf8.RuneError && size == 1 {
			return "", p.fail(i, "invalid UTF-8 in a string (the baseline must be UTF-8 text)")
		}
		i += size
	}
	buf := make([]byte, 0, i-p.pos+16)
	buf = append(buf, d[p.pos:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), true
		case c < 0x20:
			return "", p.fail(i, "control character "+strconv.QuoteRune(rune(c))+" inside a string must be escaped")
		case c == '\\':
			if i+1 >= len(d) {
				return "", p.fail(start, "unterminated string (the file is truncated)")
			}
			e := d[i+1]
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(d, i+2)
				if !ok {
					return "", p.fail(i, `invalid \u escape: expected four hex digits`)
				}
				i += 6
				if r >= 0xd800 && r <= 0xdbff && i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
					if r2, ok := hex4(d, i+2); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
						buf = utf8.AppendRune(buf, 0x10000+((r-0xd800)<<10|(r2-0xdc00)))
						i += 6
						continue
					}
				}
				buf = appendWTF8(buf, r)
				continue
			default:
				return "", p.fail(i, "invalid escape sequence in a string")
			}
			i += 2
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.fail(i, "invalid UTF-8 in a string (the baseline must be UTF-8 text)")
			}
			buf = append(buf, d[i:i+size]...)
			i += size
		}
	}
	return "", p.fail(start, "unterminated string (the file is truncated)")
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// appendWTF8 appends r in the generalised UTF-8 form, which unlike
// utf8.AppendRune keeps lone surrogates (as ED A0..BF xx) so that the
// writer can turn them back into the \udXXX escapes Python would write.
func appendWTF8(buf []byte, r rune) []byte {
	if r >= 0xd800 && r <= 0xdfff {
		return append(buf, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	}
	return utf8.AppendRune(buf, r)
}

func (p *jparser) enter(off int) bool {
	p.depth++
	if p.depth > maxDepth {
		return p.fail(off, "JSON nested too deeply")
	}
	return true
}

func (p *jparser) array() (v jvalue, ok bool) {
	v = jvalue{kind: jArray, off: p.pos}
	return p.collection(v, ']', "a list", func() bool {
		el, ok := p.value()
		if ok {
			p.stack = append(p.stack, jmember{keyOff: -1, val: el})
		}
		return ok
	})
}

func (p *jparser) object() (v jvalue, ok bool) {
	v = jvalue{kind: jObject, off: p.pos}
	truncated := "unexpected end of file inside an object (the file is truncated)"
	return p.collection(v, '}', "an object", func() bool {
		p.skipWS()
		if p.pos >= len(p.data) {
			return p.fail(p.pos, truncated)
		}
		if p.data[p.pos] != '"' {
			return p.fail(p.pos, "expected a key in double quotes, found "+p.describe())
		}
		keyOff := p.pos
		key, ok := p.str(true)
		if !ok {
			return false
		}
		p.skipWS()
		if p.pos >= len(p.data) {
			return p.fail(p.pos, truncated)
		}
		if p.data[p.pos] != ':' {
			return p.fail(p.pos, "expected ':' after an object key, found "+p.describe())
		}
		p.pos++
		val, ok := p.value()
		if ok {
			p.stack = append(p.stack, jmember{key: key, keyOff: keyOff, val: val})
		}
		return ok
	})
}

// collection reads a list or an object from its opening bracket to close:
// member reads one element or key-value pair onto the stack, and name ("a
// list", "an object") goes into the messages.
func (p *jparser) collection(start jvalue, close byte, name string, member func() bool) (v jvalue, ok bool) {
	v = start
	if !p.enter(p.pos) {
		return v, false
	}
	defer func() { p.depth-- }()
	p.pos++
	p.skipWS()
	if p.pos < len(p.data) && p.data[p.pos] == close {
		p.pos++
		v.end = p.pos
		return v, true
	}
	base := len(p.stack)
	defer func() { v.kids = p.collect(base) }()
	for {
		if !member() {
			return v, false
		}
		p.skipWS()
		if p.pos >= len(p.data) {
			return v, p.fail(p.pos, "unexpected end of file inside "+name+" (the file is truncated)")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipWS()
			if p.pos < len(p.data) && p.data[p.pos] == close {
				return v, p.fail(p.pos, "trailing comma before '"+string(close)+"'")
			}
		case close:
			p.pos++
			v.end = p.pos
			return v, true
		default:
			return v, p.fail(p.pos, "expected ',' or '"+string(close)+"' in "+name+", found "+p.describe())
		}
	}
}

// ---------------------------------------------------------------------------
// Python-style writer: json.dumps(obj, indent=2) with the default
// ensure_ascii=True.

// appendPyString appends s as Python's ensure_ascii encoder writes it:
// printable ASCII as is ('/' and '<>&' too), the five short escapes, and
// \uXXXX (lowercase hex) for everything else, astral characters as
// surrogate pairs. Lone surrogates kept by the reader come back as \udXXX.
func appendPyString(buf []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	u := func(buf []byte, r rune) []byte {
		return append(buf, '\\', 'u', hexd[r>>12&0xf], hexd[r>>8&0xf], hexd[r>>4&0xf], hexd[r&0xf])
	}
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			i++
			continue
		}
		buf = append(buf, s[start:i]...)
		switch {
		case c == '"':
			buf = append(buf, '\\', '"')
			i++
		case c == '\\':
			buf = append(buf, '\\', '\\')
			i++
		case c == '\n':
			buf = append(buf, '\\', 'n')
			i++
		case c == '\r':
			buf = append(buf, '\\', 'r')
			i++
		case c == '\t':
			buf = append(buf, '\\', 't')
			i++
		case c == '\b':
			buf = append(buf, '\\', 'b')
			i++
		case c == '\f':
			buf = append(buf, '\\', 'f')
			i++
		case c < utf8.RuneSelf:
			buf = u(buf, rune(c))
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				if i+2 < len(s) && s[i] == 0xed && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
					buf = u(buf, rune(s[i]&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f))
					size = 3
				} else {
					buf = u(buf, utf8.RuneError) // not produced by Parse; only by callers
				}
			case r >= 0x10000:
				r -= 0x10000
				buf = u(buf, 0xd800+(r>>10))
				buf = u(buf, 0xdc00+(r&0x3ff))
			default:
				buf = u(buf, r)
			}
			i += size
		}
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// pyNumber gives the text Python writes for a number it read as text:
// ints keep their digits (Python ints are unbounded; "-0" becomes "0"),
// floats go through repr(float(text)).
func pyNumber(text string) string {
	switch text {
	case "NaN", "Infinity", "-Infinity":
		return text
	}
	isFloat := false
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '.' || c == 'e' || c == 'E' {
			isFloat = true
			break
		}
	}
	if !isFloat {
		if text == "-0" {
			return "0"
		}
		return text
	}
	f, _ := strconv.ParseFloat(text, 64) // the reader checked the syntax; range errors give ±Inf/±0 as in Python
	return pyFloatRepr(f)
}

// pyFloatRepr is Python's repr(float): the shortest round-tripping digits,
// positional when the decimal exponent is in [-4, 16), else d.ddde±XX.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign = "-"
		f = -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	k := strings.IndexByte(e, 'e')
	mant, exp := e[:k], e[k+1:]
	digits := mant[:1]
	if len(mant) > 2 {
		digits += mant[2:]
	}
	x, _ := strconv.Atoi(exp)
	decpt := x + 1 // digits[0:decpt] is the integer part
	var out []byte
	switch {
	case decpt <= -4 || decpt > 16:
		out = append(out, digits[0])
		if len(digits) > 1 {
			out = append(out, '.')
			out = append(out, digits[1:]...)
		}
		out = append(out, 'e')
		if x < 0 {
			out = append(out, '-')
			x = -x
		} else {
			out = append(out, '+')
		}
		if x < 10 {
			out = append(out, '0')
		}
		out = strconv.AppendInt(out, int64(x), 10)
	case decpt <= 0:
		out = append(out, "0."...)
		out = append(out, bytes.Repeat([]byte("0"), -decpt)...)
		out = append(out, digits...)
	case decpt >= len(digits):
		out = append(out, digits...)
		out = append(out, bytes.Repeat([]byte("0"), decpt-len(digits))...)
		out = append(out, ".0"...)
	default:
		out = append(out, digits[:decpt]...)
		out = append(out, '.')
		out = append(out, digits[decpt:]...)
	}
	return sign + string(out)
}

func appendIndent(buf []byte, level int) []byte {
	for i := 0; i < level; i++ {
		buf = append(buf, "  "...)
	}
	return buf
}

// appendPyValue writes v as json.dumps(..., indent=2) would at the given
// nesting level (the opening bracket is assumed to be already indented).
func appendPyValue(buf []byte, v *jvalue, level int) []byte {
	switch v.kind {
	case jNull:
		return append(buf, "null"...)
	case jBool:
		if v.b {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case jNumber:
		return append(buf, pyNumber(v.str)...)
	case jString:
		return appendPyString(buf, v.str)
	case jArray:
		if len(v.kids) == 0 {
			return append(buf, "[]"...)
		}
		buf = append(buf, '[')
		for i := range v.kids {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
			buf = appendIndent(buf, level+1)
			buf = appendPyValue(buf, &v.kids[i].val, level+1)
		}
		buf = append(buf, '\n')
		buf = appendIndent(buf, level)
		return append(buf, ']')
	case jObject:
		kids := dedupeMembers(v.kids)
		if len(kids) == 0 {
			return append(buf, "{}"...)
		}
		buf = append(buf, '{')
		for i := range kids {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
			buf = appendIndent(buf, level+1)
			buf = appendPyString(buf, kids[i].key)
			buf = append(buf, ": "...)
			buf = appendPyValue(buf, &kids[i].val, level+1)
		}
		buf = append(buf, '\n')
		buf = appendIndent(buf, level)
		return append(buf, '}')
	}
	return buf
}

// dedupeMembers applies Python dict semantics to an object with repeated
// keys: the key stays where it first appeared and takes the last value.
func dedupeMembers(kids []jmember) []jmember {
	seen := make(map[string]int, len(kids))
	dup := false
	for _, m := range kids {
		if _, ok := seen[m.key]; ok {
			dup = true
			break
		}
		seen[m.key] = 0
	}
	if !dup {
		return kids
	}
	clear(seen)
	out := make([]jmember, 0, len(kids))
	for _, m := range kids {
		if i, ok := seen[m.key]; ok {
			out[i].val = m.val
			continue
		}
		seen[m.key] = len(out)
		out = append(out, m)
	}
	return out
}

// appendPyRaw re-emits a raw JSON value in Python style at the given level. The
// caller guarantees raw is valid JSON (it came from the reader or was
// checked when built); anything else is written as null.
func appendPyRaw(buf []byte, raw []byte, level int) []byte {
	v, err := parseJSON(raw)
	if err != nil {
		return append(buf, "null"...)
	}
	return appendPyValue(buf, &v, level)
}
