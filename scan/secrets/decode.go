package secrets

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file reproduces gitleaks' decoder (detect/codec): find encoded text,
// decode it in place, and keep track of where each decoded segment came
// from so findings in decoded text point at the encoded original. It finds
// encoded text with the hand-written scanner of encodings.go instead of the
// combined regexp, which is what made decoding cost as much as detection.
// Its results are compared with gitleaks' codec in decode_test.go.

// span is a half-open byte range; overlaps treats touching ranges as
// overlapping, as gitleaks does.
type span struct{ start, end int }

func (s span) overlaps(o span) bool { return o.start <= s.end && o.end >= s.start }
func (s span) contains(o span) bool { return s.start <= o.start && o.end <= s.end }
func (s span) add(o span) span      { return span{s.start + o.start, s.end + o.end} }
func (s span) sub(o span) span      { return span{s.start - o.start, s.end - o.end} }
func (s span) merge(o span) span    { return span{min(s.start, o.start), max(s.end, o.end)} }
func (s span) overflow(o span) span { return s.merge(o).sub(s) }

// Encoding kinds are bits so a segment can carry several (decoded twice).
const (
	bitPercent = 1 << iota
	bitUnicode
	bitHex
	bitBase64
)

var kindBits = [...]int{encPercent: bitPercent, encUnicode: bitUnicode, encHex: bitHex, encBase64: bitBase64}

// precedence decides which of two touching encodings waits for the next pass.
var precedence = [...]int{encPercent: 4, encUnicode: 3, encHex: 2, encBase64: 1}

var kindNames = []string{"percent", "unicode", "hex", "base64"}

type segment struct {
	preds     []*segment
	original  span
	encoded   span
	decoded   span
	value     string
	encodings int
	depth     int
}

type decoder struct {
	cache map[string]string
}

func newDecoder() *decoder { return &decoder{cache: map[string]string{}} }

type encMatch struct {
	span
	kind encKind
}

// matches lists the encoded runs gitleaks would decode in data: every match
// of its encodings regexp, minus those that touch a neighbour of higher
// precedence.
func encodingMatches(data string) []encMatch {
	var all []encMatch
	for pos := 0; pos < len(data); {
		s, e, k, ok := nextEncoding(data, pos)
		if !ok {
			break
		}
		all = append(all, encMatch{span{s, e}, k})
		pos = e
	}
	if len(all) <= 1 {
		return all
	}
	filtered := make([]encMatch, 0, len(all))
	for i, m := range all {
		if i > 0 {
			p := all[i-1]
			if m.overlaps(p.span) && precedence[p.kind] > precedence[m.kind] {
				continue
			}
		}
		if i+1 < len(all) {
			n := all[i+1]
			if m.overlaps(n.span) && precedence[n.kind] > precedence[m.kind] {
				continue
			}
		}
		filtered = append(filtered, m)
	}
	return filtered
}

// decode runs one decoding pass over data.
func (d *decoder) decode(data string, preds []*segment) (string, []*segment) {
	if len(data) == 0 {
		return data, nil
	}
	var segs []*segment
	shift := 0
	for _, m := range encodingMatches(data) {
		enc := data[m.start:m.end]
		dec, ok := d.cache[enc]
		if !ok {
			dec = decodeValue(m.kind, enc)
			d.cache[enc] = dec
		}
		if dec == "" {
			continue
		}
		s := &segment{
			preds:     preds,
			original:  toOriginal(preds, m.span),
			encoded:   m.span,
			decoded:   span{m.start + shift, m.start + shift + len(dec)},
			value:     dec,
			encodings: kindBits[m.kind],
			depth:     1,
		}
		shift += len(dec) - len(enc)
		if len(preds) != 0 {
			s.depth = 1 + preds[0].depth
			for _, p := range preds {
				if s.encoded.overlaps(p.decoded) {
					s.encodings |= p.encodings
				}
			}
		}
		segs = append(segs, s)
	}
	if len(segs) == 0 {
		return data, nil
	}
	var b strings.Builder
	b.Grow(len(data) + shift)
	at := 0
	for _, s := range segs {
		b.WriteString(data[at:s.encoded.start])
		b.WriteString(s.value)
		at = s.encoded.end
	}
	b.WriteString(data[at:])
	return b.String(), segs
}

func decodeValue(kind encKind, v string) string {
	switch kind {
	case encBase64:
		// As gitleaks' decodeBase64: a run with none of the characters
		// that make base64 likely is left alone; else standard, then
		// URL-safe unpadded, kept only when it decodes to printable text.
		if !strings.ContainsFunc(v, func(r rune) bool { return r < 128 && isLikelyB64[r] }) {
			return ""
		}
		if b, err := base64.StdEncoding.DecodeString(v); err == nil && printableBytes(b) {
			return string(b)
		}
		if b, err := base64.RawURLEncoding.DecodeString(v); err == nil && printableBytes(b) {
			return string(b)
		}
		return ""
	case encHex:
		// As gitleaks' decodeHex: whole bytes, at least one digit,
		// printable text.
		if len(v)%2 != 0 || !strings.ContainsAny(v, "0123456789") {
			return ""
		}
		b := make([]byte, len(v)/2)
		for i := range b {
			b[i] = unhex(v[2*i])<<4 | unhex(v[2*i+1])
		}
		if !printableBytes(b) {
			return ""
		}
		return string(b)
	case encPercent:
		b := make([]byte, 0, len(v))
		for i := 0; i < len(v); i++ {
			if v[i] == '%' && i+2 < len(v) && isHex[v[i+1]] && isHex[v[i+2]] {
				c := unhex(v[i+1])<<4 | unhex(v[i+2])
				if !isPrintable[c] {
					return ""
				}
				b = append(b, c)
				i += 2
				continue
			}
			b = append(b, v[i])
		}
		return string(b)
	case encUnicode:
		return decodeUnicodeRun(v)
	}
	return ""
}

// decodeUnicodeRun decodes a whole run of U+XXXX code points or \uXXXX
// escapes, which is what gitleaks' unicode decoder returns for such a run.
func decodeUnicodeRun(v string) string {
	var runes []rune
	if strings.HasPrefix(v, "U+") {
		for _, f := range strings.Fields(v) {
			if len(f) >= 6 && strings.HasPrefix(f, "U+") {
				runes = append(runes, rune(hexValue(f[2:6])))
			}
		}
	} else {
		for i := 0; i < len(v); {
			for i < len(v) && v[i] == '\\' {
				i++
			}
			if i+5 > len(v) {
				break
			}
			runes = append(runes, rune(hexValue(v[i+1:i+5])))
			i += 5
		}
	}
	if len(runes) == 0 {
		return v
	}
	var b strings.Builder
	for _, r := range runes {
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hexValue(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n<<4 | int(unhex(s[i]))
	}
	return n
}

func toOriginal(preds []*segment, decoded span) span {
	if len(preds) == 0 {
		return decoded
	}
	var enc span
	for _, p := range preds {
		if !p.decoded.overlaps(decoded) {
			continue
		}
		if p.decoded.contains(decoded) {
			return p.original
		}
		if enc.end == 0 {
			enc = p.encoded.add(p.decoded.overflow(decoded))
		} else {
			enc = enc.merge(p.encoded.add(p.decoded.overflow(decoded)))
		}
	}
	if enc.end == 0 {
		return decoded
	}
	return toOriginal(preds[0].preds, enc)
}

func overlapping(segs []*segment, start, end int) []*segment {
	se := span{start, end}
	var out []*segment
	for _, s := range segs {
		if s.decoded.overlaps(se) {
			out = append(out, s)
		}
	}
	return out
}

func adjustMatch(segs []*segment, start, end int) (int, int) {
	if len(segs) == 0 {
		return start, end
	}
	o := toOriginal(segs, span{start, end})
	return o.start, o.end
}

func segmentTags(segs []*segment) []string {
	if len(segs) == 0 {
		return nil
	}
	enc := 0
	for _, s := range segs {
		enc |= s.encodings
	}
	var tags []string
	for i, name := range kindNames {
		if enc&(1<<i) != 0 {
			tags = append(tags, "decoded:"+name)
		}
	}
	return append(tags, fmt.Sprintf("decode-depth:%d", segs[0].depth))
}

// currentLine is the decoded line around the segments, as gitleaks builds it
// for line-targeted allowlists (it keeps the leading newline).
func currentLine(segs []*segment, text string) string {
	if len(segs) == 0 {
		return text
	}
	start, end := 0, len(text)
	d := segs[0].decoded
	for _, s := range segs[1:] {
		d = d.merge(s.decoded)
	}
	for i := d.start; i > -1; i-- {
		if text[i] == '\n' {
			start = i
			break
		}
	}
	for i := d.end; i < end; i++ {
		if text[i] == '\n' {
			end = i
			break
		}
	}
	return text[start:end]
}
