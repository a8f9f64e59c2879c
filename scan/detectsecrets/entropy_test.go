package detectsecrets

import (
	"math"
	"testing"
)

// HighEntropyStringsPlugin reports a string when its entropy is strictly
// above the limit (detect_secrets/plugins/high_entropy_strings.py,
// analyze_string: `if entropy_value > self.entropy_limit`). Strings whose
// entropy is exactly the limit are not reported. The expected values are
// those CPython 3.11 computes with calculate_shannon_entropy (checked
// locally), e.g. 3.0 for eight distinct hex letters.
func TestEntropyOnTheLimit(t *testing.T) {
	cases := []struct {
		plugin string
		s      string
		want   bool
	}{
		// Eight distinct characters, once each: exactly 3.0.
		{"HexHighEntropyString", "abcdefAB", false},
		{"HexHighEntropyString", "aabbccddeeffAABB", false},
		// Nine: log2(9) = 3.1699...
		{"HexHighEntropyString", "abcdefABC", true},
		// Eight letters twice and sixteen once, 32 long: exactly 4.5.
		{"Base64HighEntropyString", "AABBCCDDEEFFGGHHijklmnopqrstuvwx", false},
		{"Base64HighEntropyString", "AABBCCDDEEFFGGHHijklmnopqrstuvwxyz", true},
	}
	for _, c := range cases {
		line := `x = "` + c.s + `"`
		got := analyzeLine(t, PluginSpec{Name: c.plugin}, "f.txt", line)
		if (len(got) == 1) != c.want {
			t.Errorf("%s %q: reported=%v, want %v", c.plugin, c.s, len(got) == 1, c.want)
		}
	}
	// A limit set to a value the entropy lands on exactly.
	for _, c := range []struct {
		s     string
		limit float64
		want  bool
	}{
		{"abcd", 2.0, false},
		{"abcd", 1.99, true},
		{"aabbccddeeffAABB", 3.0, false},
		{"aabbccddeeffAAB", 3.0, false}, // 15 long: 2.9735...
	} {
		spec := PluginSpec{Name: "HexHighEntropyString", Options: map[string]any{"limit": c.limit}}
		got := analyzeLine(t, spec, "f.txt", `"`+c.s+`"`)
		if (len(got) == 1) != c.want {
			t.Errorf("%q limit %v: reported=%v, want %v", c.s, c.limit, len(got) == 1, c.want)
		}
	}
}

// CPython's math.log(x, 2) is log(x)/log(2) with the C library's log;
// Go's math.Log differs from it in the last bit for some ratios count/len
// (about 6% of them up to 400), crLog does not. The expected values are
// CPython 3.11's math.log on glibc.
func TestCorrectlyRoundedLog(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want float64
	}{
		{4.0 / 13, -1.1786549963416462},
		{0.125, -2.0794415416798357},
		{2, math.Ln2},
		{1, 0},
		{0.5, -math.Ln2},
	} {
		if got := crLog(c.x); got != c.want {
			t.Errorf("crLog(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	// The all-digit adjustment of HexHighEntropyString:
	// 3.25 - 1.2/log2(16) = 2.95.
	hex, _ := newEntropyPlugin(hexCharset, 3, true)
	if got := hex.entropyWith("0123456789012345", crLog); got != 2.95 {
		t.Errorf("all-digit entropy %v, want 2.95", got)
	}
}
