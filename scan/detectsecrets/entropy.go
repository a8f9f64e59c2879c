package detectsecrets

import (
	"fmt"
	"math"
)

const (
	hexCharset = "0123456789abcdefABCDEF"
	// string.ascii_letters + digits + '+/' + '\\-_' + '=': the backslash
	// is part of the charset in detect-secrets.
	base64Charset = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\\-_="
)

var log2 = math.Log(2)

// entropyPlugin is HighEntropyStringsPlugin: quoted runs of charset
// characters whose Shannon entropy is strictly above the limit.
type entropyPlugin struct {
	charset string
	inSet   [256]bool
	limit   float64
	hex     bool
}

func newEntropyPlugin(charset string, limit float64, hex bool) (*entropyPlugin, error) {
	if limit < 0 || limit > 8 {
		return nil, fmt.Errorf("the limit set for HighEntropyStrings must be between 0.0 and 8.0, got %v", limit)
	}
	p := &entropyPlugin{charset: charset, limit: limit, hex: hex}
	for i := 0; i < len(charset); i++ {
		p.inSet[charset[i]] = true
	}
	return p, nil
}

// entropy is calculate_shannon_entropy, summing in charset order so the
// floating-point result matches Python's.
func (p *entropyPlugin) entropy(data string) float64 {
	if data == "" {
		return 0
	}
	var counts [256]int32
	for i := 0; i < len(data); i++ {
		counts[data[i]]++
	}
	n := float64(len(data))
	e := 0.0
	for i := 0; i < len(p.charset); i++ {
		if c := counts[p.charset[i]]; c > 0 {
			px := float64(c) / n
			e += -px * (math.Log(px) / log2)
		}
	}
	if p.hex && len(data) > 1 && allDigits(data) {
		// HexHighEntropyString lowers all-digit strings, which are
		// mostly numbers rather than secrets.
		e -= 1.2 / (math.Log(n) / log2)
	}
	return e
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// find scans for `(['"])([charset]+)(\1)` by hand. The charset never holds
// a quote, so the greedy run is the only candidate after an opening quote.
func (p *entropyPlugin) find(c *lineCtx, e emitter) {
	if !c.has('"') && !c.has('\'') {
		return
	}
	line := c.line
	i := 0
	for i < len(line) {
		c := line[i]
		if c != '"' && c != '\'' {
			i++
			continue
		}
		j := i + 1
		for j < len(line) && p.inSet[line[j]] {
			j++
		}
		if j > i+1 && j < len(line) && line[j] == c {
			s := line[i+1 : j]
			// log2(len) bounds the entropy; the margin keeps ties that
			// rounding could push above the limit.
			if math.Log2(float64(len(s))) > p.limit-1e-9 && p.entropy(s) > p.limit {
				e.emit(s)
			}
			i = j + 1
			continue
		}
		i++
	}
}
