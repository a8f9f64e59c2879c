package secrets

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/url"
	"strings"
)

// Secrets are assembled at run time so this repository's own scan does not
// flag its tests.

func alnum(r *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	return string(b)
}

func upper(r *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	return string(b)
}

// samples are planted secrets of well-known formats.
func samples(r *rand.Rand) map[string]string {
	return map[string]string{
		"aws":     "AK" + "IA" + upper(r, 16),
		"github":  "gh" + "p_" + alnum(r, 36),
		"slack":   "xo" + "xb-" + fmt.Sprint(1000000000+r.Intn(9e8)) + "-" + fmt.Sprint(1000000000+r.Intn(9e8)) + "-" + alnum(r, 24),
		"stripe":  "sk" + "_live_" + alnum(r, 24),
		"generic": "api" + "_key = \"" + alnum(r, 28) + "\"",
		"gitlab":  "gl" + "pat-" + alnum(r, 20),
		"npm":     "np" + "m_" + alnum(r, 36),
	}
}

func edgeCases() map[string]string {
	r := rand.New(rand.NewSource(7))
	s := samples(r)
	key := alnum(r, 30)
	cases := map[string]string{
		"multiline-generic":   "x := 1\napi" + "_key =\n\n  '" + key + "'\nmore\n",
		"generic-at-eof":      "password: " + alnum(r, 20),
		"generic-newline-end": "secret" + "_token=" + alnum(r, 24) + "\n",
		"aws-at-start":        s["aws"] + " trailing",
		"aws-crlf":            "a\r\nid = " + s["aws"] + "\r\nb\r\n",
		"allow-same-line":     "token = \"" + alnum(r, 30) + "\" // gitleaks" + ":allow\n",
		"allow-earlier-line":  "// gitleaks" + ":allow\nx\nauth" + "_token = " + alnum(r, 30),
		"github-in-text":      "use " + s["github"] + " here\n" + s["slack"] + "\n",
		"tokens-mixed":        strings.Join([]string{s["stripe"], s["gitlab"], s["npm"], s["generic"]}, "\n"),
		"base64-secret":       "data: " + base64.StdEncoding.EncodeToString([]byte(s["generic"])) + "\n",
		"base64-nested":       "v=" + base64.StdEncoding.EncodeToString([]byte("x="+base64.StdEncoding.EncodeToString([]byte(s["github"])))) + "\n",
		"hex-secret":          "h = " + hex.EncodeToString([]byte(s["github"])) + "\n",
		"percent-secret":      "q=" + url.QueryEscape(s["generic"]) + "\n",
		"unicode-escapes":     `"` + unicodeEscape(s["github"]) + `"` + "\n",
		"codepoints":          codePoints(s["aws"]) + "\n",
		"kelvin":              "\u212aey = " + alnum(r, 24) + "\n",
		"long-s":              "\u017fecret = " + alnum(r, 24) + "\n",
		"dotted-i":            "\u0130api_key = " + alnum(r, 24) + "\n",
		"private-key":         "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat(alnum(r, 64)+"\n", 5) + "-----END RSA PRIVATE KEY-----\n",
		"keywords-no-secrets": strings.Repeat("key token secret auth access api password credential\n", 50),
		"overlapping-windows": strings.Repeat("key\n", 20) + "api" + "_secret = " + alnum(r, 30) + "\n" + strings.Repeat("token\n", 20),
		"vault":               "VAULT=s." + alnum(r, 24) + "\n",
		"empty-lines":         "\n\n\n",
		"cr-only":             "api" + "_key=" + alnum(r, 20) + "\rnext",
		"invalid-utf8":        "api" + "_key = \xff\xfe" + alnum(r, 20) + "\n",
	}
	// A file larger than gitleaks' 100 kB read: secrets near the chunk
	// boundary and a keyword in another chunk than its value.
	var big strings.Builder
	for big.Len() < 99_950 {
		big.WriteString("filler line with words " + alnum(r, 20) + "\n")
	}
	big.WriteString("api" + "_key = " + alnum(r, 30) + "\n")
	for big.Len() < 230_000 {
		big.WriteString("more filler " + alnum(r, 30) + "\n")
	}
	big.WriteString(s["github"] + "\n")
	cases["big-file"] = big.String()
	// One long line of assignments: every match shares the line, which
	// the generic rule's "line" allowlists read (and the fast detector
	// remembers); with the allowlisted marker, every match is allowed.
	var long strings.Builder
	for long.Len() < 12_000 {
		long.WriteString("password=\"" + alnum(r, 20) + "\" ")
	}
	cases["long-line-assignments"] = long.String()
	// Generic findings whose secret a specific rule found on the same line
	// are dropped; on another line they stay.
	cases["generic-beside-specific"] = "api" + "_token = \"" + s["github"] + "\" " + long.String()[:200] + "\napi" + "_token = \"" + s["github"] + "x\"\n" + "gitleaks" + ":allow " + long.String()[:300] + "\n"
	cases["long-line-allowlisted"] = long.String() + "RUN --mount=type=secret,id=x true\n" + long.String() + " --mount=type=secret,id=y"
	return cases
}

func unicodeEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, `\u%04x`, c)
	}
	return b.String()
}

func codePoints(s string) string {
	var parts []string
	for _, c := range s {
		parts = append(parts, fmt.Sprintf("U+%04X", c))
	}
	return strings.Join(parts, " ")
}
