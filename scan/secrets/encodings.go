package secrets

import (
	"strings"
)

// gitleaks' decoder finds encoded text with one regexp over the whole
// fragment, `%XX(.*%XX)?` | `U+XXXX...` or `\uXXXX...` | 32+ hex digits |
// 16+ base64 characters, and decodes each match. Running that regexp on
// every fragment costs as much as the rules themselves. nextEncoding is an
// exact hand-written equivalent of that search, leftmost-first alternation
// order included.

var (
	isHex        [256]bool
	isB64Class   [256]bool // [\w/+-]
	isLikelyB64  [256]bool // digits and +/-_: gitleaks decodes only runs holding one
	isDigit      [256]bool
	isPrintable  [256]bool
	isRegexSpace [256]bool // \s in RE2: [\t\n\f\r ]
	isEncStart   [256]bool // bytes an encoded run can start with
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		isHex[c] = '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
		isB64Class[c] = '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_' || b == '/' || b == '+' || b == '-'
		isDigit[c] = '0' <= b && b <= '9'
		isLikelyB64[c] = isDigit[c] || b == '+' || b == '/' || b == '-' || b == '_'
		isPrintable[c] = '\x08' < b && b < '\x7f'
	}
	for _, b := range []byte("\t\n\f\r ") {
		isRegexSpace[b] = true
	}
	for c := 0; c < 256; c++ {
		isEncStart[c] = isB64Class[c] || c == '%' || c == '\\'
	}
}

type encKind int

const (
	encPercent encKind = iota
	encUnicode
	encHex
	encBase64
)

// nextEncoding finds the leftmost match of gitleaks' encodings regexp at or
// after pos, with its leftmost-first alternative order.
func nextEncoding(s string, pos int) (start, end int, kind encKind, ok bool) {
	n := len(s)
	for p := pos; p < n; {
		c := s[p]
		if !isEncStart[c] {
			p++
			continue
		}
		switch {
		case c == '%':
			if e, ok := matchPercent(s, p); ok {
				return p, e, encPercent, true
			}
			p++
		case c == '\\':
			if e, ok := matchUnicodeEscapes(s, p); ok {
				return p, e, encUnicode, true
			}
			p++
		case isB64Class[c]:
			if c == 'U' {
				if e, ok := matchCodePoints(s, p); ok {
					return p, e, encUnicode, true
				}
			}
			// One pass measures both the hex run and the base64 run.
			h := p
			for h < n && isHex[s[h]] {
				h++
			}
			if h-p >= 32 {
				return p, h, encHex, true
			}
			r := h
			for r < n && isB64Class[s[r]] {
				r++
			}
			if r-p >= 16 {
				e := r
				for k := 0; k < 2 && e < n && s[e] == '='; k++ {
					e++
				}
				return p, e, encBase64, true
			}
			// No suffix of a short run is long enough either; only a
			// code point (U+XXXX) can start inside it.
			for q := p + 1; q < r; q++ {
				if s[q] == 'U' {
					if e, ok := matchCodePoints(s, q); ok {
						return q, e, encUnicode, true
					}
				}
			}
			p = r
		default:
			p++
		}
	}
	return 0, 0, 0, false
}

// matchPercent: %[0-9A-Fa-f]{2}(?:.*%[0-9A-Fa-f]{2})? with a greedy .* that
// stops at a newline.
func matchPercent(s string, p int) (int, bool) {
	if p+2 >= len(s) || !isHex[s[p+1]] || !isHex[s[p+2]] {
		return 0, false
	}
	lineEnd := strings.IndexByte(s[p:], '\n')
	if lineEnd < 0 {
		lineEnd = len(s)
	} else {
		lineEnd += p
	}
	for q := lineEnd - 3; q >= p+3; q-- {
		if s[q] == '%' && isHex[s[q+1]] && isHex[s[q+2]] {
			return q + 3, true
		}
	}
	return p + 3, true
}

// matchCodePoints: (?:U\+[a-fA-F0-9]{4}(?:\s|$))+
func matchCodePoints(s string, p int) (int, bool) {
	e := p
	for {
		q := e
		if q+6 > len(s) || s[q] != 'U' || s[q+1] != '+' ||
			!isHex[s[q+2]] || !isHex[s[q+3]] || !isHex[s[q+4]] || !isHex[s[q+5]] {
			break
		}
		q += 6
		if q == len(s) {
			e = q
			break
		}
		if !isRegexSpace[s[q]] {
			break
		}
		e = q + 1
	}
	return e, e > p
}

// matchUnicodeEscapes: (?i)(?:\\{1,2}u[a-fA-F0-9]{4})+, each repetition
// preferring two backslashes.
func matchUnicodeEscapes(s string, p int) (int, bool) {
	e := p
	for {
		if l := escapeAt(s, e, 2); l > 0 {
			e += l
		} else if l := escapeAt(s, e, 1); l > 0 {
			e += l
		} else {
			break
		}
	}
	return e, e > p
}

func escapeAt(s string, q, slashes int) int {
	if q+slashes+5 > len(s) {
		return 0
	}
	for i := 0; i < slashes; i++ {
		if s[q+i] != '\\' {
			return 0
		}
	}
	u := q + slashes
	if s[u] != 'u' && s[u] != 'U' {
		return 0
	}
	for i := 1; i <= 4; i++ {
		if !isHex[s[u+i]] {
			return 0
		}
	}
	return slashes + 5
}

func printableBytes(b []byte) bool {
	for _, c := range b {
		if !isPrintable[c] {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
