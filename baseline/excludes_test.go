package baseline

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonRegexCases are (Python pattern, subject, re.search result). The
// results are what Python says; TestPythonRegexAgainstPython re-checks them
// with Python when it is installed.
var pythonRegexCases = []struct {
	pattern, subject string
	match            bool
}{
	{`test*`, "src/tes", true}, // Yelp's own filter: "tes" followed by any t's
	{`test*`, "src/main.py", false},
	{`tests/*`, "app/tests/x.py", true},
	{`^\.secrets\.baseline$`, ".secrets.baseline", true},
	{`^\.secrets\.baseline$`, "a.secrets.baseline", false},
	{`node_modules\/`, "web/node_modules/x.js", true}, // escaped slash (18F)
	{`^config\/.*\.yml$`, "config/a.yml", true},
	{`SECRET_DETECTION.*:`, "  SECRET_DETECTION_X: abc", true},
	{`(?P<dir>vendor)/(?P<rest>.*)`, "vendor/x", true},
	{`\.lock\Z`, "Pipfile.lock", true},
	{`\.lock\Z`, "Pipfile.lock.bak", false},
	{`^a{,2}b$`, "aab", true},
	{`^a{,2}b$`, "aaab", false},
	{`^a{,2}$`, "a{,2}", false},
	{`x(?#comment)y`, "xy", true},
	{`caf\u00e9`, "café.txt", true},
	{`\x41\101`, "AA", true},
	{`\0`, "a\x00b", true},
	{`[[]x`, "[x", true},
	{`[[:a]`, ":", true},
	{`[]a]`, "]", true},
	{`[^]a]`, "b", true},
	{`(?i)readme`, "README.md", true},
	{`(?a)\w+\.md`, "x.md", true},
	{`(?i:abc)d`, "ABCd", true},
	{`(?i:abc)d`, "ABCD", false},
	{`a\-b\ c\#d`, "a-b c#d", true},
	{`[\b]`, "\b", true},
	{`\bword\b`, "a word here", true},
	{`.*integrity.*`, "  \"integrity\": \"sha512-...\"", true},
	{`^$`, "", true},
	{`a.c`, "a\nc", false},
	{`(?s)a.c`, "a\nc", true},
	{`^b`, "a\nb", false},
	{`(?m)^b`, "a\nb", true},
	{`a+?b`, "aab", true},
	{`package-lock.json|.*/dictionary.json|.*/schema.json`, "x/dictionary.json", true},
	{`\d{3}-\d{4}`, "555-1234", true},
	{`[\w.-]+@example\.com`, "me.x-y@example.com", true},
}

func TestPythonRegexTranslation(t *testing.T) {
	for _, c := range pythonRegexCases {
		re, err := compilePython(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if got := re.MatchString(c.subject); got != c.match {
			t.Errorf("re.search(%q, %q) = %v, want %v (Go pattern %q)", c.pattern, c.subject, got, c.match, re.String())
		}
	}
}

func TestPythonRegexAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	type item struct {
		P string `json:"p"`
		S string `json:"s"`
	}
	var items []item
	for _, c := range pythonRegexCases {
		items = append(items, item{c.pattern, c.subject})
	}
	in, _ := json.Marshal(items)
	cmd := exec.Command(py, "-c", "import json,re,sys; print(json.dumps([re.search(i['p'], i['s']) is not None for i in json.load(sys.stdin)]))")
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var res []bool
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for i, c := range pythonRegexCases {
		if res[i] != c.match {
			t.Errorf("table says re.search(%q, %q) = %v, Python says %v", c.pattern, c.subject, c.match, res[i])
		}
	}
}

func TestPythonRegexUnsupported(t *testing.T) {
	for _, p := range []string{
		`foo(?=bar)`, `foo(?!bar)`, `(?<=a)b`, `(?<!a)b`, `(a)\1`, `(?P<x>a)(?P=x)`,
		`(?>a)`, `a*+`, `a++`, `a?+`, `a{2}+`, `(?x) a b`, `(?(1)a|b)`, `\N{DIGIT ONE}`,
		`(?L)a`, `a\q`, `[`, `\`, `(?<name>a)`,
	} {
		if re, err := compilePython(p); err == nil {
			t.Errorf("%q compiled to %q; want an error", p, re)
		} else if strings.Contains(err.Error(), p) {
			t.Errorf("%q: the error repeats the pattern (the caller names it): %v", p, err)
		}
	}
}

func TestExcludesFromRealBaselines(t *testing.T) {
	files := realBaselines(t)
	for name, data := range files {
		f, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Excludes(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	tests := []struct {
		name       string
		file, line string
		want       bool
	}{
		{name: "Yelp__Tron", file: "tests/x_test.py", want: true},
		{name: "Yelp__Tron", file: "tron/core.py", want: false},
		{name: "uc-cdis__data-portal", file: "package-lock.json", want: true},
		{name: "uc-cdis__data-portal", file: "src/x/dictionary.json", want: true},
		{name: "uc-cdis__data-portal", line: `      "integrity": "sha512-abc",   `, want: true},
		{name: "uc-cdis__data-portal", line: `password = "x"`, want: false},
		{name: "18F__identity-terraform", line: `  SECRET_DETECTION_IGNORE: true`, want: true},
		{name: "IBM__mcp-context-forge", file: "go.sum", want: true},
		{name: "IBM__mcp-context-forge", file: "mcpgateway/main.py", want: false},
		{name: "dod-ccpo__atst__0.12.5", file: ".secrets.baseline", want: true},
	}
	for _, tt := range tests {
		f, err := Parse(tt.name, files[tt.name])
		if err != nil {
			t.Fatal(err)
		}
		ex, err := f.Excludes()
		if err != nil {
			t.Fatal(err)
		}
		var got bool
		if tt.file != "" {
			got = ex.File(tt.file)
		} else {
			got = ex.Line(tt.line)
		}
		if got != tt.want {
			t.Errorf("%s: file %q line %q excluded = %v, want %v", tt.name, tt.file, tt.line, got, tt.want)
		}
	}
}

func TestExcludesReportsBadPatternsAndKeepsGoodOnes(t *testing.T) {
	f := mustParse(t, `{"version": "1.5.0", "plugins_used": [], "filters_used": [
		{"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": ["^vendor/", "^(?!src/)"]},
		{"path": "detect_secrets.filters.regex.should_exclude_secret", "pattern": ["^dummy", "(a)\\1"]},
		{"path": "detect_secrets.filters.regex.should_exclude_line", "pattern": 5},
		{"path": "detect_secrets.filters.gibberish.should_exclude_secret", "limit": 3.7}
	], "results": {}}`)
	ex, err := f.Excludes()
	if err == nil {
		t.Fatal("no error for lookahead/backreference patterns")
	}
	for _, want := range []string{
		`detect_secrets.filters.regex.should_exclude_file: pattern 2 "^(…": a lookahead`,
		`detect_secrets.filters.regex.should_exclude_secret: pattern 2 "(a)\\1": a backreference`,
		`detect_secrets.filters.regex.should_exclude_line: "pattern" must be a list`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if !ex.File("vendor/x") || ex.File("lib/x") || !ex.Secret("dummy-password") || ex.Secret("real") {
		t.Error("the patterns that compile must still work")
	}
}

// An exclude-secrets pattern is often a literal secret: an error about it
// names it by position and a few characters, never whole.
func TestBadPatternIsNotEchoed(t *testing.T) {
	f := mustParse(t, `{"version": "1.5.0", "plugins_used": [], "filters_used": [
		{"path": "detect_secrets.filters.regex.should_exclude_secret", "pattern": ["`+pastedToken+`(?<=x)", "`+pastedToken+`("]}
	], "results": {}}`)
	_, err := f.Excludes()
	if err == nil {
		t.Fatal("no error for a lookbehind and a missing parenthesis")
	}
	for _, want := range []string{`pattern 1 "ghp_…": a lookbehind`, `pattern 2 "ghp_…": not supported by Go's RE2: missing closing )`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), pastedToken[:8]) {
		t.Errorf("error echoes the pattern: %q", err)
	}
	_, err = NewExcludes(ExcludePatterns{Secrets: []string{pastedToken + "(?<=x)"}})
	if err == nil || strings.Contains(err.Error(), pastedToken[:8]) || !strings.Contains(err.Error(), `--exclude-secrets "ghp_…"`) {
		t.Errorf("--exclude-secrets error = %v", err)
	}
}

func TestExcludesNilAndEmpty(t *testing.T) {
	var ex *Excludes
	if ex.File("a") || ex.Line("a") || ex.Secret("a") || !ex.Empty() {
		t.Error("nil Excludes must exclude nothing")
	}
	var f *File
	if ex, err := f.Excludes(); err != nil || !ex.Empty() {
		t.Error("nil File must give empty Excludes")
	}
}

func TestWordlist(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "words.txt")
	if err := os.WriteFile(words, []byte("AKIATEST\n  example  \nab\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wl, _ := json.Marshal(words)
	f := mustParse(t, `{"exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.13.1",
		"word_list": {"file": `+string(wl)+`, "hash": "x"}}`)
	ex, err := f.Excludes()
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{
		"AKIATEST12345678": true,
		"my_EXAMPLE_key":   true,
		"abcdef":           false, // "ab" is shorter than min_length 3
		"AKIAREAL":         false,
	} {
		if got := ex.Secret(s); got != want {
			t.Errorf("Secret(%q) = %v, want %v", s, got, want)
		}
	}

	dev := mustParse(t, `{"exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.13.1", "word_list": {"file": "/dev/stdin", "hash": null}}`)
	if _, err := dev.Excludes(); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("device as word list: err = %v", err)
	}

	missing := mustParse(t, `{"exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.13.1", "word_list": {"file": "/nonexistent/words.txt", "hash": null}}`)
	if _, err := missing.Excludes(); err == nil || !strings.Contains(err.Error(), FilterWordlist) {
		t.Errorf("missing word list: err = %v", err)
	}
}

func TestCommandLineExcludes(t *testing.T) {
	cli, err := NewExcludes(ExcludePatterns{Files: []string{`\.min\.js$`}, Lines: []string{`nosecret`}, Secrets: []string{`^EXAMPLE`}})
	if err != nil {
		t.Fatal(err)
	}
	if !cli.File("a/b.min.js") || !cli.Line("x = 1  # nosecret") || !cli.Secret("EXAMPLEKEY") || cli.Secret("key") {
		t.Error("command-line patterns not applied")
	}
	if _, err := NewExcludes(ExcludePatterns{Lines: []string{`(?<=x)y`}}); err == nil || !strings.Contains(err.Error(), `--exclude-lines "(?<=x)y"`) {
		t.Errorf("err = %v", err)
	}

	f := mustParse(t, `{"version": "1.5.0", "plugins_used": [], "filters_used": [
		{"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": ["^vendor/"], "note": 1}], "results": {}}`)
	base, _ := f.Excludes()
	both := base.Merge(cli)
	if !both.File("vendor/x") || !both.File("x.min.js") {
		t.Error("Merge lost patterns")
	}

	f.RecordExcludes(ExcludePatterns{Files: []string{`\.min\.js$`, `^vendor/`, `\.min\.js$`}, Secrets: []string{`^EXAMPLE`}})
	f.RecordExcludes(ExcludePatterns{Secrets: []string{`^EXAMPLE`}}) // recording twice adds nothing
	out := string(f.Marshal(WriteOptions{}))
	wantFile := "    {\n      \"path\": \"detect_secrets.filters.regex.should_exclude_file\",\n      \"pattern\": [\n        \"^vendor/\",\n        \"\\\\.min\\\\.js$\"\n      ],\n      \"note\": 1\n    }"
	wantSecret := "    {\n      \"path\": \"detect_secrets.filters.regex.should_exclude_secret\",\n      \"pattern\": [\n        \"^EXAMPLE\"\n      ]\n    }"
	if !strings.Contains(out, wantFile) || !strings.Contains(out, wantSecret) {
		t.Errorf("recorded filters:\n%s", out)
	}
	back, _ := mustParse(t, out).Excludes()
	if !back.File("x.min.js") || !back.Secret("EXAMPLE1") || !back.File("vendor/a") {
		t.Error("recorded patterns do not apply after a round trip")
	}
}

func TestLineStripsTrailingWhitespaceLikeDetectSecrets(t *testing.T) {
	ex, err := NewExcludes(ExcludePatterns{Lines: []string{`done$`}})
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Line("all done  \t\r\n") {
		t.Error("trailing white space must be stripped before matching")
	}
}

// FuzzPythonRegex: translating any pattern never panics, and a translated
// pattern either compiles or gives an error.
func FuzzPythonRegex(f *testing.F) {
	for _, c := range pythonRegexCases {
		f.Add(c.pattern, c.subject)
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		re, err := compilePython(pattern)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		re.MatchString(subject)
	})
}
