package detectsecrets

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// detect-secrets runs on Python 3 str values, so its regexes use Unicode
// classes: \w, \s and \d match far more than RE2's ASCII versions. These
// fragments are the RE2 spelling of Python's classes, to be placed inside
// brackets.
const (
	pyWordClass  = `\p{L}\p{N}_`
	pySpaceClass = `\t\n\v\f\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}`
	pyDigit      = `\p{Nd}`
)

// isPySpace reports whether r is whitespace for Python's str.isspace (and
// so for str.strip and the \s of str patterns).
func isPySpace(r rune) bool {
	switch {
	case r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f):
		return true
	case r < 0x80:
		return false
	case r == 0x85 || r == 0xa0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200a) ||
		r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000:
		return true
	}
	return false
}

// isPyWord reports whether r matches Python's Unicode \w.
func isPyWord(r rune) bool {
	if r < 0x80 {
		return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// pyRstrip is str.rstrip() with no argument.
func pyRstrip(s string) string {
	for len(s) > 0 {
		c := s[len(s)-1]
		if c < utf8.RuneSelf {
			if !isPySpace(rune(c)) {
				return s
			}
			s = s[:len(s)-1]
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s)
		if !isPySpace(r) {
			return s
		}
		s = s[:len(s)-n]
	}
	return s
}

// pyStrip is str.strip() with no argument.
func pyStrip(s string) string {
	s = pyRstrip(s)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if !isPySpace(r) {
			break
		}
		s = s[n:]
	}
	return s
}

// pySplitext returns the extension as os.path.splitext does: the last dot
// of the last path component, unless that component only starts with dots
// (".bashrc" has no extension).
func pySplitext(filename string) string {
	base := filename
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	dot := strings.LastIndexByte(base, '.')
	if dot <= 0 {
		return ""
	}
	for i := 0; i < dot; i++ {
		if base[i] != '.' {
			return base[dot:]
		}
	}
	return ""
}

// pyBasename is os.path.basename for '/'-separated paths.
func pyBasename(filename string) string {
	if i := strings.LastIndexByte(filename, '/'); i >= 0 {
		return filename[i+1:]
	}
	return filename
}

// pyReadlines splits text as Python's readlines() on a file opened in text
// mode: universal newlines turn "\r\n" and a lone "\r" into "\n", and each
// line keeps its "\n".
func pyReadlines(text string) []string {
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if text == "" {
		return nil
	}
	n := strings.Count(text, "\n")
	lines := make([]string, 0, n+1)
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// pySplitlines is str.splitlines(): it breaks on every line boundary
// Python knows, not only "\n".
func pySplitlines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i])
			i += n
			start = i
		case '\r':
			out = append(out, s[start:i])
			i += n
			if i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
		default:
			i += n
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// isUnicodeDigit is Python's \d for str patterns (category Nd).
func isUnicodeDigit(r rune) bool {
	if r < 0x80 {
		return r >= '0' && r <= '9'
	}
	return unicode.Is(unicode.Nd, r)
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// pyA2BBase64 is binascii.a2b_base64 in its default, lenient mode:
// characters outside the alphabet are skipped, a '=' pad after two or three
// data characters of a quad ends the input, and a dangling quad is an
// error. base64.decodebytes (YAML's !!binary) calls it as it is;
// base64.urlsafe_b64decode (JwtTokenDetector) first turns '-' and '_' into
// '+' and '/', which urlsafe does here. Both encode the str as ASCII first,
// so non-ASCII text fails.
func pyA2BBase64(s string, urlsafe bool) ([]byte, bool) {
	out := make([]byte, 0, len(s)*3/4)
	quad, left, pads := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return nil, false
		}
		if c == '=' {
			pads++
			if quad >= 2 && quad+pads >= 4 {
				return out, true
			}
			continue
		}
		v := b64Value(c, urlsafe)
		if v < 0 {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			quad, left = 1, v
		case 1:
			quad = 2
			out = append(out, byte(left<<2|v>>4))
			left = v & 0x0f
		case 2:
			quad = 3
			out = append(out, byte(left<<4|v>>2))
			left = v & 0x03
		case 3:
			quad = 0
			out = append(out, byte(left<<6|v))
			left = 0
		}
	}
	return out, quad == 0
}

// b64Value is c's value in the base64 alphabet, or -1.
func b64Value(c byte, urlsafe bool) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+' || urlsafe && c == '-':
		return 62
	case c == '/' || urlsafe && c == '_':
		return 63
	}
	return -1
}
