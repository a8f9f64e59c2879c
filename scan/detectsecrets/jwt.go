package detectsecrets

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// jwtFormallyValid is JwtTokenDetector.is_formally_valid: every part must
// base64url-decode the way Python's lenient binascii decoder does, and the
// first two parts must be UTF-8 JSON.
func jwtFormallyValid(token string) bool {
	for idx, part := range strings.Split(token, ".") {
		switch len(part) % 4 {
		case 1:
			return false
		case 2:
			part += "=="
		case 3:
			part += "==="
		}
		dec, ok := pyB64Decode(part)
		if !ok {
			return false
		}
		if idx < 2 {
			if !utf8.Valid(dec) || !pyJSONValid(dec) {
				return false
			}
		}
	}
	return true
}

func b64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+' || c == '-':
		return 62
	case c == '/' || c == '_':
		return 63
	}
	return -1
}

// pyB64Decode mirrors binascii.a2b_base64 in non-strict mode (what
// base64.urlsafe_b64decode uses): characters outside the alphabet are
// skipped, a complete pad sequence ends the input, and a dangling quad is
// an error.
func pyB64Decode(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s)*3/4)
	quad, pads := 0, 0
	var left int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			pads++
			if quad >= 2 && quad+pads >= 4 {
				return out, true
			}
			continue
		}
		v := b64Value(c)
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

// pyJSONValid accepts what Python's json.loads accepts: strict JSON plus
// the NaN, Infinity and -Infinity literals, surrounded by ' \t\n\r'.
func pyJSONValid(b []byte) bool {
	if json.Valid(b) {
		return true
	}
	if !strings.Contains(string(b), "NaN") && !strings.Contains(string(b), "Infinity") {
		return false
	}
	// Replace the extra literals outside strings with a number and retry.
	var sb strings.Builder
	s := string(b)
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			sb.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				sb.WriteByte(s[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			sb.WriteByte(c)
		case strings.HasPrefix(s[i:], "NaN"):
			sb.WriteByte('0')
			i += 2
		case strings.HasPrefix(s[i:], "-Infinity"):
			sb.WriteByte('0')
			i += 8
		case strings.HasPrefix(s[i:], "Infinity"):
			sb.WriteByte('0')
			i += 7
		default:
			sb.WriteByte(c)
		}
	}
	return json.Valid([]byte(sb.String()))
}
