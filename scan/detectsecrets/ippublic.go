package detectsecrets

import "unicode/utf8"

// findPublicIPs emulates IPPublicDetector's verbose regex by hand: a
// lookbehind (no word character or dot before), a negative lookahead for
// private prefixes, four octets tried in the alternation order of the
// Python pattern, an optional greedy :port, and a final negative lookahead
// (no word character or dot after). Backtracking order is kept, so e.g.
// "1.2.3.4:123456" yields "1.2.3.4" as Python does.
func findPublicIPs(c *lineCtx, e emitter) {
	line := c.line
	if !c.has('.') || !hasDotDigit(line) {
		return
	}
	p := 0
	for p < len(line) {
		c := line[p]
		if c < '0' || c > '9' || !ipBoundaryBefore(line, p) || isPrivatePrefix(line[p:]) {
			p++
			continue
		}
		if end, ok := ipOctets(line, p, 0); ok {
			e.emit(line[p:end])
			p = end
			continue
		}
		p++
	}
}

func hasDotDigit(s string) bool {
	dot, digit := false, false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dot = true
		} else if s[i] >= '0' && s[i] <= '9' {
			digit = true
		}
		if dot && digit {
			return true
		}
	}
	return false
}

func ipBoundaryBefore(line string, p int) bool {
	if p == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(line[:p])
	return r != '.' && !isPyWord(r)
}

func ipBoundaryAfter(line string, p int) bool {
	if p >= len(line) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(line[p:])
	return r != '.' && !isPyWord(r)
}

func isPrivatePrefix(s string) bool {
	switch {
	case len(s) >= 8 && s[:8] == "192.168.":
		return true
	case len(s) >= 4 && s[:4] == "127.":
		return true
	case len(s) >= 3 && s[:3] == "10.":
		return true
	case len(s) >= 6 && s[:4] == "172.":
		a, b := s[4], s[5]
		return (a == '1' && b >= '6' && b <= '9') || (a == '2' && b >= '0' && b <= '9') || (a == '3' && (b == '0' || b == '1'))
	}
	return false
}

func isD(c byte) bool { return c >= '0' && c <= '9' }

// octetLens lists the lengths an octet can take at s, in the order the
// alternation 25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9] tries them.
func octetLens(s string) []int {
	var out []int
	if len(s) >= 3 && isD(s[0]) && isD(s[1]) && isD(s[2]) {
		if (s[0] == '2' && s[1] == '5' && s[2] <= '5') || (s[0] == '2' && s[1] <= '4') || s[0] == '1' {
			out = append(out, 3)
		}
	}
	if len(s) >= 2 && s[0] >= '1' && s[0] <= '9' && isD(s[1]) {
		out = append(out, 2)
	}
	if len(s) >= 1 && isD(s[0]) {
		out = append(out, 1)
	}
	return out
}

// ipOctets matches octet k (0..3) at position i and everything after it,
// returning the end of the first successful path.
func ipOctets(line string, i, k int) (int, bool) {
	for _, n := range octetLens(line[i:]) {
		j := i + n
		if k < 3 {
			if j < len(line) && line[j] == '.' {
				if end, ok := ipOctets(line, j+1, k+1); ok {
					return end, true
				}
			}
			continue
		}
		// Optional port: ':' then 1 to 5 Unicode digits, greedy.
		if j < len(line) && line[j] == ':' {
			var ends []int
			q := j + 1
			for len(ends) < 5 && q < len(line) {
				r, size := utf8.DecodeRuneInString(line[q:])
				if !isUnicodeDigit(r) {
					break
				}
				q += size
				ends = append(ends, q)
			}
			for e := len(ends) - 1; e >= 0; e-- {
				if ipBoundaryAfter(line, ends[e]) {
					return ends[e], true
				}
			}
		}
		if ipBoundaryAfter(line, j) {
			return j, true
		}
	}
	return 0, false
}
