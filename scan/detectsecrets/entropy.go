package detectsecrets

import (
	"fmt"
	"math"
	"math/big"
	"sync"
)

const (
	hexCharset = "0123456789abcdefABCDEF"
	// string.ascii_letters + digits + '+/' + '\\-_' + '=': the backslash
	// is part of the charset in detect-secrets.
	base64Charset = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\\-_="
)

// ln2 is CPython's math.log(2.0): libm's log, correctly rounded here.
const ln2 = math.Ln2

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

// entropy is calculate_shannon_entropy with Go's math.Log: within a few
// units in the last place of Python's value, which is all the search for
// candidates needs. exceeds decides the comparison with the limit.
func (p *entropyPlugin) entropy(data string) float64 {
	return p.entropyWith(data, math.Log)
}

// entropyWith computes as detect-secrets does, operation for operation:
// for each charset character in charset order, p = count/len and
// entropy += -p * math.log(p, 2), where CPython's math.log(p, 2) is
// log(p) / log(2); HexHighEntropyString then subtracts
// 1.2 / math.log(len, 2) from all-digit strings. The float64 conversions
// keep each product rounded before the sum (no fused multiply-add).
func (p *entropyPlugin) entropyWith(data string, log func(float64) float64) float64 {
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
			lg := float64(log(px) / ln2)
			term := float64(-px * lg)
			e = float64(e + term)
		}
	}
	if p.hex && len(data) > 1 && allDigits(data) {
		// int(data) succeeds: mostly numbers rather than secrets.
		e = float64(e - float64(1.2/float64(log(n)/ln2)))
	}
	return e
}

// exceeds reports entropy > limit as Python computes it. Go's math.Log
// differs from the C library's log in the last bit for some inputs, which
// moves a sum that lands on the limit (a string of eight distinct hex
// letters has entropy 3.0 exactly) to either side of it. Far from the
// limit the fast value decides; near it the sum is redone with a
// correctly rounded log. glibc's log (what CPython calls on Linux) is
// correctly rounded on every power of two, and a sum can equal the limit
// only when every probability is a power of two, so this reproduces
// Python's comparisons; elsewhere glibc is off by an ulp on about 0.05%
// of inputs, which can only matter within ~1e-15 of the limit.
func (p *entropyPlugin) exceeds(data string) bool {
	e := p.entropy(data)
	if e > p.limit+1e-9 {
		return true
	}
	if e < p.limit-1e-9 {
		return false
	}
	return p.entropyWith(data, crLog) > p.limit
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
			if math.Log2(float64(len(s))) > p.limit-1e-9 && p.exceeds(s) {
				e.emit(s)
			}
			i = j + 1
			continue
		}
		i++
	}
}

// crLog is a correctly rounded natural logarithm for positive finite x:
// x = m*2^e with m in [sqrt(1/2), sqrt(2)), ln x = e*ln2 + 2*atanh((m-1)/(m+1))
// summed with 192-bit floats, then rounded to nearest. Results are cached:
// the inputs are ratios count/len, few and repeated.
func crLog(x float64) float64 {
	if v, ok := crLogCache.Load(x); ok {
		return v.(float64)
	}
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	bm := newBig().SetFloat64(m)
	t := newBig().Quo(newBig().Sub(bm, bigOne), newBig().Add(bm, bigOne))
	r := twoAtanh(t)
	r.Add(r, newBig().Mul(newBig().SetInt64(int64(e)), bigLn2))
	f, _ := r.Float64()
	crLogCache.Store(x, f)
	return f
}

const crPrec = 192

var (
	crLogCache sync.Map
	bigOne     = newBig().SetInt64(1)
	bigLn2     = twoAtanh(newBig().Quo(newBig().SetInt64(1), newBig().SetInt64(3))) // ln 2 = 2 atanh(1/3)
)

func newBig() *big.Float { return new(big.Float).SetPrec(crPrec) }

// twoAtanh returns 2*atanh(t) = 2*(t + t^3/3 + t^5/5 + ...) for |t| <= 1/3.
func twoAtanh(t *big.Float) *big.Float {
	sum := newBig().Set(t)
	if t.Sign() == 0 {
		return sum
	}
	t2 := newBig().Mul(t, t)
	pow := newBig().Set(t)
	term, d := newBig(), newBig()
	for k := int64(3); ; k += 2 {
		pow.Mul(pow, t2)
		term.Quo(pow, d.SetInt64(k))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -crPrec-8 {
			break
		}
		sum.Add(sum, term)
	}
	return sum.Mul(sum, newBig().SetInt64(2))
}
