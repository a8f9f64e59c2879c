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
		dec, ok := pyA2BBase64(part, true)
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

// pyJSONValid accepts what Python's json.loads accepts: strict JSON plus
// the NaN, Infinity and -Infinity literals, surrounded by ' \t\n\r'.
func pyJSONValid(b []byte) bool {
	if json.Valid(b) {
		return true
	}
	if !strings.Contains(string(b), "NaN") && !strings.Contains(string(b), "Infinity") {
		return false
	}
	// Replace the extra literals outside strings with null and retry: null
	// stands wherever Python accepts them, and not glued to a sign, digit or
	// fraction, where Python rejects them too (-NaN, 1NaN, NaN.5).
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
			sb.WriteString("null")
			i += 2
		case strings.HasPrefix(s[i:], "-Infinity"):
			sb.WriteString("null")
			i += 8
		case strings.HasPrefix(s[i:], "Infinity"):
			sb.WriteString("null")
			i += 7
		default:
			sb.WriteByte(c)
		}
	}
	return json.Valid([]byte(sb.String()))
}
