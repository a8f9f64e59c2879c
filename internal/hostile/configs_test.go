//go:build unix

package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// template is a CoderClaw config with every kind of JSON5 token: comments
// of both kinds, quoted and unquoted keys, both quote styles, escapes, a
// line continuation, hex, signed and fractional numbers, Infinity, nested
// objects and arrays, trailing commas. Every proper prefix of it that
// stops before its last '}' is broken.
const template = `// CoderClaw config
{
  /* the gateway */
  gateway: {
    bind: "loopback",
    port: 0x4965,
    'auth': { mode: 'token', token: "${CODERCLAW_GATEWAY_TOKEN}" },
    trustedProxies: ["10.0.0.1", '10.0.0.2',],
  },
  logging: { redactSensitive: "tools", note: "caf\u00e9 \
continued", },
  agents: { defaults: { sandbox: { mode: "all" }, ratio: -.5e+1, big: +Infinity, } },
  channels: { telegram: { dmPolicy: "pairing", allowFrom: [1, 2.5, "x"] } },
}
`

// TestConfigTruncatedEverywhere cuts the template at every byte and lints
// all the pieces in one run: each is refused with its own file:line:col
// error, none crashes, and the other pieces are still read.
func TestConfigTruncatedEverywhere(t *testing.T) {
	dir := t.TempDir()
	end := strings.LastIndex(template, "}")
	var files []string
	for n := 0; n < end; n++ {
		if !utf8.ValidString(template[:n]) {
			continue // a cut inside a character is the invalid UTF-8 case
		}
		name := fmt.Sprintf("cut%04d.json5", n)
		write(t, dir, name, template[:n])
		files = append(files, name)
	}
	write(t, dir, "whole.json5", template)
	r := clawgateWith(t, dir, runOpts{timeout: 30 * time.Second}, append([]string{"lint", "whole.json5"}, files...)...)
	if r.code != 2 {
		t.Fatalf("%s", r.describe())
	}
	for _, f := range files {
		if !regexp.MustCompile(`(?m)^(clawgate lint: )?` + regexp.QuoteMeta(f) + `:\d+:\d+: `).MatchString(r.stderr) {
			t.Errorf("%s: no positioned error", f)
		}
	}
	if strings.Contains(r.stderr, "whole.json5") || strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "internal:") {
		t.Errorf("stderr:\n%s", clip(r.stderr))
	}
	t.Logf("%d broken configs in one run: %s", len(files), r.describe())
}

// brokenConfig is one malformed config; ‸ marks where the error points.
type brokenConfig struct {
	name, src, msg string
}

var brokenConfigCases = []brokenConfig{
	{"empty file", "‸", "expected a value, found end of file"},
	{"only a comment", "// nothing\n‸", "expected a value, found end of file"},
	{"unterminated string", "{ a: \"abc‸\n}", "closing \" of the string"},
	{"unterminated single-quoted string", "{ a: 'abc‸", "closing ' of the string, found end of file"},
	{"unterminated block comment", "{ a: 1 } /* x‸", "'*/' to close the comment opened at 1:10"},
	{"lone slash", "{ a: 1 }\n/‸", "'/' or '*' to start a comment"},
	{"missing colon", "{ a ‸1 }", "':' after the object key"},
	{"missing comma", "{ a: 1 ‸b: 2 }", "',' or '}' after the object member"},
	{"extra closing brace", "{ a: 1 }‸}", "end of file after the top-level value"},
	{"unclosed object", "{ a: { b: 1 }\n‸", "the '{' at 1:1 is never closed"},
	{"unclosed array", "{ a: [1, 2‸", "the '[' at 1:6 is never closed"},
	{"bare word value", "{ a: ‸hello }", "a value, found an unquoted word"},
	{"octal escape", "{ a: 'x‸\\1' }", "octal escapes are not JSON5"},
	{"short hex escape", "{ a: '‸\\x4' }", "two hex digits after \\x"},
	{"short unicode escape", "{ a: '‸\\u12' }", "four hex digits after \\u"},
	{"leading zero", "{ a: 0‸1 }", "end of number"},
	{"hex without digits", "{ a: 0x‸ }", "hex digits after 0x"},
	{"sign alone", "{ a: +‸ }", "digit, Infinity or NaN after the sign"},
	{"Infinity glued", "{ a: +Infinity‸x }", "end of number"},
	{"a bare Infinity-like word", "{ a: ‸Infinityx }", "a value, found an unquoted word"},
	{"invalid UTF-8", "{ a: 'caf‸\xe9' }", "invalid UTF-8 (byte 0xE9)"},
	{"two top-level values", "{} ‸{}", "end of file after the top-level value"},
	{"number as key", "{ ‸1: 2 }", "an object key or '}'"},
	{"10,000 levels of objects", strings.Repeat("{a:", 200) + "‸" + strings.Repeat("{a:", 9800) + "1" + strings.Repeat("}", 10000), "nesting deeper than 200"},
	{"10,000 levels of arrays", strings.Repeat("[", 200) + "‸" + strings.Repeat("[", 9800) + strings.Repeat("]", 10000), "nesting deeper than 200"},
}

func TestBrokenConfigs(t *testing.T) {
	dir := t.TempDir()
	for _, c := range brokenConfigCases {
		t.Run(c.name, func(t *testing.T) {
			mark := strings.Index(c.src, "‸")
			src := c.src[:mark] + c.src[mark+len("‸"):]
			before := c.src[:mark]
			line := 1 + strings.Count(before, "\n")
			col := 1 + utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:])
			sub := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
			write(t, sub, "coderclaw.json", src)
			want := fmt.Sprintf("coderclaw.json:%d:%d: ", line, col)
			for _, args := range [][]string{{"lint", "coderclaw.json"}, {"scan", "."}} {
				r := clawgate(t, sub, args...)
				if r.code != 2 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, c.msg) {
					t.Errorf("%s: want exit 2 and %q ... %q\n%s", args[0], want, c.msg, r)
				}
			}
		})
	}
}

// TestIncludes: cycles, escapes from the config's directory (by path, by
// absolute path, through a symlink), nesting past CoderClaw's limit and
// includes of what is not a file are errors naming the $include; nothing
// outside the directory is read.
func TestIncludes(t *testing.T) {
	outside := t.TempDir()
	secret := gh(60)
	write(t, outside, "outside.json5", "{ hooks: { token: \""+secret+"\" }, gateway: { bind: \"lan\" } }")
	cases := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		msg   string
	}{
		{name: "self include", files: map[string]string{"coderclaw.json": `{ $include: "./coderclaw.json" }`}, msg: "circular $include: coderclaw.json -> coderclaw.json"},
		{name: "cycle of two", files: map[string]string{"coderclaw.json": `{ $include: "./a.json5" }`, "a.json5": `{ x: { $include: "./coderclaw.json" } }`}, msg: "circular $include: coderclaw.json -> a.json5 -> coderclaw.json"},
		{name: "up and out", files: map[string]string{"coderclaw.json": `{ $include: "../outside.json5" }`}, msg: `$include "../outside.json5" points outside the config directory`},
		{name: "absolute path out", files: map[string]string{"coderclaw.json": `{ $include: "` + filepath.Join(outside, "outside.json5") + `" }`}, msg: "points outside the config directory"},
		{name: "through a symlink", files: map[string]string{"coderclaw.json": `{ $include: "./link.json5" }`}, setup: func(t *testing.T, dir string) {
			symlink(t, filepath.Join(outside, "outside.json5"), filepath.Join(dir, "link.json5"))
		}, msg: `$include "./link.json5" resolves (through a symlink) outside the config directory`},
		{name: "a directory", files: map[string]string{"coderclaw.json": `{ $include: "./sub" }`, "sub/x": "1"}, msg: `$include "./sub": not a regular file`},
		{name: "a device", files: map[string]string{"coderclaw.json": `{ $include: "./zero.json5" }`}, setup: func(t *testing.T, dir string) {
			symlink(t, "/dev/zero", filepath.Join(dir, "zero.json5"))
		}, msg: "outside the config directory"},
		{name: "missing", files: map[string]string{"coderclaw.json": `{ $include: "./nope.json5" }`}, msg: `$include "./nope.json5": no such file or directory`},
		{name: "not a string", files: map[string]string{"coderclaw.json": `{ $include: 5 }`}, msg: "$include must be a string or an array of strings, found a number"},
		{name: "11 levels", files: chain(11), msg: "$include nested deeper than 10 files"},
		{name: "a broken include", files: map[string]string{"coderclaw.json": `{ $include: "./a.json5" }`, "a.json5": "{ a: 'x }"}, msg: "a.json5:1:10: expected closing ' of the string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range c.files {
				write(t, dir, name, content)
			}
			if c.setup != nil {
				c.setup(t, dir)
			}
			r := clawgate(t, dir, "lint", "coderclaw.json")
			if r.code != 2 || !strings.Contains(r.stderr, c.msg) {
				t.Errorf("want exit 2 and %q\n%s", c.msg, r.describe())
			}
			if found := leaks([]plant{{name: "outside", secret: secret}}, r.stdout+r.stderr); len(found) > 0 {
				t.Errorf("the output shows what lies outside: %v", found)
			}
		})
	}
	// Ten levels are CoderClaw's limit, and fine.
	dir := t.TempDir()
	for name, content := range chain(10) {
		write(t, dir, name, content)
	}
	if r := clawgate(t, dir, "lint", "coderclaw.json"); r.code == 2 {
		t.Errorf("10 levels: %s", r)
	}
}

// chain is a config including n files, each the next.
func chain(n int) map[string]string {
	files := map[string]string{"coderclaw.json": `{ $include: "./i1.json5" }`}
	for i := 1; i <= n; i++ {
		next := fmt.Sprintf(`{ $include: "./i%d.json5" }`, i+1)
		if i == n {
			next = `{ gateway: { bind: "loopback" } }`
		}
		files[fmt.Sprintf("i%d.json5", i)] = next
	}
	return files
}

// TestHugeNumbers: numbers far past float64, in decimal or hex, or megabytes
// long, are read quickly; a port that is one is a clear finding.
func TestHugeNumbers(t *testing.T) {
	dir := t.TempDir()
	digits := strings.Repeat("9", 4<<20)
	hexits := strings.Repeat("f", 4<<20)
	for name, port := range map[string]string{
		"exp.json5":   "1e999999999",
		"dec.json5":   digits,
		"hex.json5":   "0x" + hexits,
		"neg.json5":   "-0x" + hexits,
		"small.json5": "1e-999999999",
	} {
		write(t, dir, name, "{ gateway: { port: "+port+" } }\n")
	}
	r := clawgateWith(t, dir, runOpts{timeout: 20 * time.Second}, "lint", "--format", "json", "exp.json5", "dec.json5", "hex.json5", "neg.json5", "small.json5")
	t.Logf("%s", r.describe())
	if r.code != 1 || r.elapsed > 10*time.Second || r.peakKB > 300<<10 {
		t.Fatalf("%s", r.describe())
	}
	for _, f := range []string{"exp.json5", "dec.json5", "hex.json5", "neg.json5", "small.json5"} {
		if !regexp.MustCompile(`"file": "` + regexp.QuoteMeta(f) + `",\s*"line": 1,\s*"column": 20,[^}]*"rule": "config.schema_invalid"|"rule": "config.schema_invalid",[^}]*"file": "` + regexp.QuoteMeta(f) + `"`).MatchString(r.stdout) {
			t.Errorf("%s: no schema finding on the port", f)
		}
	}
	if len(r.stdout) > 64<<10 {
		t.Errorf("the report quotes the numbers: %d bytes", len(r.stdout))
	}
}

// A config over the 16 MiB cap is an error, not a read.
func TestConfigTooLarge(t *testing.T) {
	dir := t.TempDir()
	writeStream(t, filepath.Join(dir, "coderclaw.json"), "// padding padding padding\n", 17<<20, "{}\n")
	r := clawgate(t, dir, "lint", "coderclaw.json")
	if r.code != 2 || !strings.Contains(r.stderr, "coderclaw.json: cannot read config: larger than 16 MiB") || r.peakKB > 100<<10 {
		t.Fatalf("%s", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "coderclaw.json")); err != nil {
		t.Fatal(err)
	}
}
