package json5

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tPunct
	tString
	tNumber
	tIdent
)

type token struct {
	kind       tokKind
	punct      byte
	start, end int
	text       string // decoded string, identifier name, or canonical number
}

// describe names a token for an error without quoting its text: an
// unquoted token in a config may well be a secret someone forgot to quote.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tPunct:
		return fmt.Sprintf("'%c'", t.punct)
	case tString:
		return "a string"
	case tNumber:
		return "a number"
	case tIdent:
		return "an unquoted word"
	}
	return "a token"
}

// scanner tokenizes JSON5 and collects comments on the way.
type scanner struct {
	name     string
	src      []byte
	pos      int
	comments []Comment
	starts   []int
}

func (s *scanner) errAt(off int, expected, found string) error {
	line, col := position(s.src, s.starts, off)
	return &SyntaxError{File: s.name, Offset: off, Line: line, Col: col, Expected: expected, Found: found}
}

func (s *scanner) msgAt(off int, format string, args ...any) error {
	line, col := position(s.src, s.starts, off)
	return &SyntaxError{File: s.name, Offset: off, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) foundAt(off int) string {
	if off >= len(s.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(s.src[off:])
	switch r {
	case '\n':
		return "end of line"
	case '\t':
		return "tab"
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("control character U+%04X", r)
	}
	return fmt.Sprintf("%q", r)
}

func isLineTerminator(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0xA0, 0x2028, 0x2029, 0xFEFF:
		return true
	}
	return r > 0x7f && unicode.Is(unicode.Zs, r)
}

func isIDStart(r rune) bool {
	return r == '$' || r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

func isIDPart(r rune) bool {
	return isIDStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || r == 0x200C || r == 0x200D
}

// skip passes whitespace and comments.
func (s *scanner) skip() error {
	for s.pos < len(s.src) {
		r, n := utf8.DecodeRune(s.src[s.pos:])
		if isSpace(r) {
			s.pos += n
			continue
		}
		if r != '/' {
			return nil
		}
		start := s.pos
		if s.pos+1 >= len(s.src) {
			return s.errAt(s.pos+1, "'/' or '*' to start a comment", "end of file")
		}
		switch s.src[s.pos+1] {
		case '/':
			end := s.pos + 2
			for end < len(s.src) {
				r, n := utf8.DecodeRune(s.src[end:])
				if isLineTerminator(r) {
					break
				}
				end += n
			}
			s.comments = append(s.comments, Comment{Text: string(s.src[start:end]), Start: start, End: end})
			s.pos = end
		case '*':
			i := bytes.Index(s.src[s.pos+2:], []byte("*/"))
			if i < 0 {
				line, col := position(s.src, s.starts, start)
				return s.errAt(len(s.src), fmt.Sprintf("'*/' to close the comment opened at %d:%d", line, col), "end of file")
			}
			end := s.pos + 2 + i + 2
			s.comments = append(s.comments, Comment{Text: string(s.src[start:end]), Start: start, End: end, Block: true})
			s.pos = end
		default:
			return s.errAt(s.pos+1, "'/' or '*' to start a comment", s.foundAt(s.pos+1))
		}
	}
	return nil
}

// next returns the next token. what names the expected token for errors
// about a character that starts no token at all.
func (s *scanner) next(what string) (token, error) {
	if err := s.skip(); err != nil {
		return token{}, err
	}
	if s.pos >= len(s.src) {
		return token{kind: tEOF, start: s.pos, end: s.pos}, nil
	}
	c := s.src[s.pos]
	switch c {
	case '{', '}', '[', ']', ':', ',':
		s.pos++
		return token{kind: tPunct, punct: c, start: s.pos - 1, end: s.pos}, nil
	case '"', '\'':
		return s.str()
	}
	if c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9') {
		return s.number()
	}
	r, _ := utf8.DecodeRune(s.src[s.pos:])
	if isIDStart(r) || r == '\\' {
		return s.ident()
	}
	return token{}, s.errAt(s.pos, what, s.foundAt(s.pos))
}

func (s *scanner) str() (token, error) {
	start := s.pos
	q := s.src[s.pos]
	s.pos++
	var b strings.Builder
	var pendingHigh rune = -1 // a \uD800-\uDBFF escape waiting for its pair
	flushHigh := func() {
		if pendingHigh >= 0 {
			b.WriteRune(utf8.RuneError)
			pendingHigh = -1
		}
	}
	for {
		if s.pos >= len(s.src) {
			return token{}, s.errAt(s.pos, fmt.Sprintf("closing %c of the string", q), "end of file")
		}
		r, n := utf8.DecodeRune(s.src[s.pos:])
		switch {
		case byte(r) == q && r < utf8.RuneSelf:
			flushHigh()
			s.pos++
			return token{kind: tString, start: start, end: s.pos, text: b.String()}, nil
		case r == '\n' || r == '\r':
			return token{}, s.errAt(s.pos, fmt.Sprintf("closing %c of the string (end a line with \\ to continue a string)", q), "end of line")
		case r == '\\':
			esc := s.pos
			s.pos++
			if s.pos >= len(s.src) {
				return token{}, s.errAt(s.pos, "escape character", "end of file")
			}
			e, en := utf8.DecodeRune(s.src[s.pos:])
			s.pos += en
			if e == 'u' {
				v, ok := s.hex(4)
				if !ok {
					return token{}, s.errAt(esc, "four hex digits after \\u", s.foundAt(s.pos))
				}
				u := rune(v)
				switch {
				case utf16.IsSurrogate(u) && u < 0xDC00:
					flushHigh()
					pendingHigh = u
				case utf16.IsSurrogate(u) && pendingHigh >= 0:
					b.WriteRune(utf16.DecodeRune(pendingHigh, u))
					pendingHigh = -1
				default:
					flushHigh()
					if utf16.IsSurrogate(u) {
						u = utf8.RuneError
					}
					b.WriteRune(u)
				}
				continue
			}
			flushHigh()
			switch e {
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'v':
				b.WriteByte('\v')
			case '0':
				if s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
					return token{}, s.errAt(s.pos, "no digit after \\0 (octal escapes are not JSON5)", s.foundAt(s.pos))
				}
				b.WriteByte(0)
			case 'x':
				v, ok := s.hex(2)
				if !ok {
					return token{}, s.errAt(esc, "two hex digits after \\x", s.foundAt(s.pos))
				}
				b.WriteRune(rune(v))
			case '\r':
				// Line continuation: \ CR LF or \ CR adds nothing.
				if s.pos < len(s.src) && s.src[s.pos] == '\n' {
					s.pos++
				}
			case '\n', 0x2028, 0x2029:
				// Line continuation.
			case '1', '2', '3', '4', '5', '6', '7', '8', '9':
				return token{}, s.errAt(esc, "an escape other than \\1-\\9 (octal escapes are not JSON5)", fmt.Sprintf("\\%c", e))
			default:
				b.WriteRune(e) // \' \" \\ \/ and any other character stand for themselves
			}
		default:
			flushHigh()
			b.WriteString(string(s.src[s.pos : s.pos+n]))
			s.pos += n
		}
	}
}

func (s *scanner) hex(n int) (int, bool) {
	if s.pos+n > len(s.src) {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		d := hexVal(s.src[s.pos+i])
		if d < 0 {
			return 0, false
		}
		v = v*16 + d
	}
	s.pos += n
	return v, true
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (s *scanner) digits() string {
	st := s.pos
	for s.pos < len(s.src) && isDigit(s.src[s.pos]) {
		s.pos++
	}
	return string(s.src[st:s.pos])
}

func (s *scanner) number() (token, error) {
	start := s.pos
	neg := false
	if c := s.src[s.pos]; c == '+' || c == '-' {
		neg = c == '-'
		s.pos++
	}
	sign := ""
	if neg {
		sign = "-"
	}
	for _, word := range []string{"Infinity", "NaN"} {
		if strings.HasPrefix(string(s.src[s.pos:min(len(s.src), s.pos+len(word))]), word) {
			s.pos += len(word)
			if err := s.numberEnd(); err != nil {
				return token{}, err
			}
			return token{kind: tNumber, start: start, end: s.pos, text: sign + word}, nil
		}
	}
	if s.pos+1 < len(s.src) && s.src[s.pos] == '0' && (s.src[s.pos+1] == 'x' || s.src[s.pos+1] == 'X') {
		s.pos += 2
		hs := s.pos
		for s.pos < len(s.src) && hexVal(s.src[s.pos]) >= 0 {
			s.pos++
		}
		if s.pos == hs {
			return token{}, s.errAt(s.pos, "hex digits after 0x", s.foundAt(s.pos))
		}
		if err := s.numberEnd(); err != nil {
			return token{}, err
		}
		digits := bytes.TrimLeft(s.src[hs:s.pos], "0")
		if len(digits) > maxHexDigits {
			// At least 2^1024: JavaScript's Number, which CoderClaw reads it
			// as, is Infinity. Writing it in decimal instead cost seconds
			// for a config of a few megabytes of hex digits.
			return token{kind: tNumber, start: start, end: s.pos, text: sign + "Infinity"}, nil
		}
		v, _ := new(big.Int).SetString("0"+string(digits), 16)
		if neg {
			v.Neg(v)
		}
		return token{kind: tNumber, start: start, end: s.pos, text: v.String()}, nil
	}
	var intPart string
	if s.pos < len(s.src) && s.src[s.pos] == '0' {
		intPart = "0"
		s.pos++
	} else {
		intPart = s.digits()
	}
	frac := ""
	hasDot := false
	if s.pos < len(s.src) && s.src[s.pos] == '.' {
		hasDot = true
		s.pos++
		frac = s.digits()
	}
	if intPart == "" && frac == "" {
		what := "digit"
		if !hasDot && s.pos == start+1 {
			what = "digit, Infinity or NaN after the sign"
		}
		return token{}, s.errAt(s.pos, what, s.foundAt(s.pos))
	}
	exp := ""
	if s.pos < len(s.src) && (s.src[s.pos] == 'e' || s.src[s.pos] == 'E') {
		s.pos++
		es := ""
		if s.pos < len(s.src) && (s.src[s.pos] == '+' || s.src[s.pos] == '-') {
			es = string(s.src[s.pos])
			s.pos++
		}
		d := s.digits()
		if d == "" {
			return token{}, s.errAt(s.pos, "digits of the exponent", s.foundAt(s.pos))
		}
		exp = "e" + es + d
	}
	if err := s.numberEnd(); err != nil {
		return token{}, err
	}
	if intPart == "" {
		intPart = "0"
	}
	text := sign + intPart
	if frac != "" {
		text += "." + frac
	}
	return token{kind: tNumber, start: start, end: s.pos, text: text + exp}, nil
}

// maxHexDigits is the most significant hex digits a finite float64 can
// have: 256 digits are 1024 bits, and 2^1024 is past the largest float64.
const maxHexDigits = 256

// numberEnd refuses "01", "1x" or "Infinityx": JSON5 needs a separator.
func (s *scanner) numberEnd() error {
	if s.pos >= len(s.src) {
		return nil
	}
	r, _ := utf8.DecodeRune(s.src[s.pos:])
	if isIDPart(r) || r == '.' || r == '\\' {
		return s.errAt(s.pos, "end of number", s.foundAt(s.pos))
	}
	return nil
}

func (s *scanner) ident() (token, error) {
	start := s.pos
	var b strings.Builder
	first := true
	for s.pos < len(s.src) {
		r, n := utf8.DecodeRune(s.src[s.pos:])
		if r == '\\' {
			if s.pos+1 >= len(s.src) || s.src[s.pos+1] != 'u' {
				return token{}, s.errAt(s.pos, "\\u escape in identifier", s.foundAt(s.pos+1))
			}
			at := s.pos
			s.pos += 2
			v, ok := s.hex(4)
			if !ok || !(first && isIDStart(rune(v)) || !first && isIDPart(rune(v))) {
				return token{}, s.errAt(at, "\\u escape of an identifier character", "invalid escape")
			}
			b.WriteRune(rune(v))
			first = false
			continue
		}
		if first && !isIDStart(r) || !first && !isIDPart(r) {
			break
		}
		b.WriteRune(r)
		s.pos += n
		first = false
	}
	return token{kind: tIdent, start: start, end: s.pos, text: b.String()}, nil
}
