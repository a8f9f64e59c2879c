package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadFindings reads the test findings: secrets and config findings of every
// severity, new and known, plus hostile file names and messages (commas,
// colons, pipes, backticks, newlines, '%') and an over-long Masked.
func loadFindings(t *testing.T) []scan.Finding {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fs []scan.Finding
	if err := json.Unmarshal(data, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

func annotations(t *testing.T, fs []scan.Finding) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteAnnotations(&b, fs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteAnnotationsGolden(t *testing.T) {
	golden(t, "annotations.golden", annotations(t, loadFindings(t)))
}

// maskedRE finds anything shown as masked: a run of non-space characters
// before five asterisks.
var maskedRE = regexp.MustCompile("([^\\s(`]*)\\*\\*\\*\\*\\*")

// assertMaskedOnly checks that every masked value shows at most four
// leading characters, and that no over-long Masked leaked through.
func assertMaskedOnly(t *testing.T, out string, fs []scan.Finding) {
	t.Helper()
	for _, m := range maskedRE.FindAllStringSubmatch(out, -1) {
		prefix := strings.ReplaceAll(m[1], `\`, "")
		if utf8.RuneCountInString(prefix) > 4 {
			t.Errorf("masked value %q shows more than 4 leading characters", m[0])
		}
	}
	for _, f := range fs {
		if p := strings.TrimRight(f.Masked, "*"); utf8.RuneCountInString(p) > 4 && strings.Contains(out, p) {
			t.Errorf("output contains %q from an over-long Masked", p)
		}
		if f.HashedSecret != "" && strings.Contains(out, f.HashedSecret) {
			t.Errorf("output contains the hash of the secret in %s", f.File)
		}
	}
}

func TestAnnotationsShowOnlyMaskedValues(t *testing.T) {
	fs := loadFindings(t)
	out := annotations(t, fs)
	assertMaskedOnly(t, out, fs)
	if !strings.Contains(out, "(value xoxb*****)") {
		t.Errorf("the over-long masked value should be cut to xoxb*****:\n%s", out)
	}
}

func TestAnnotationsOnlyNew(t *testing.T) {
	fs := loadFindings(t)
	out := annotations(t, fs)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := 0
	for _, f := range fs {
		if f.Status == scan.StatusNew {
			want++
		}
		if f.Status == scan.StatusKnown && strings.Contains(out, fmt.Sprintf("file=%s,line=%d,", escapeProperty(f.File), f.Line)) {
			t.Errorf("known finding in %s was annotated", f.File)
		}
	}
	if len(lines) != want {
		t.Errorf("%d annotations for %d new findings:\n%s", len(lines), want, out)
	}
}

func TestAnnotationFormat(t *testing.T) {
	f := scan.Finding{Kind: scan.KindSecret, Rule: "slack-bot-token", File: "scripts/deploy, prod:1.sh", Line: 9, Column: 8,
		EndLine: 9, EndColumn: 60, Status: scan.StatusNew, Severity: scan.SeverityWarn,
		Message: "100% live\r\nrotate", Masked: "xoxb*****", Remediation: "Rotate it."}
	got := annotations(t, []scan.Finding{f})
	want := "::error file=scripts/deploy%2C prod%3A1.sh,line=9,endLine=9,col=8,endColumn=60,title=clawgate%3A slack-bot-token::100%25 live%0D%0Arotate (value xoxb*****)%0ARotate it.\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Multi-line: no end column; no position at all: no line.
	f = scan.Finding{Kind: scan.KindConfig, Rule: "logging.redact_off", File: "c.json", Line: 3, Column: 2, EndLine: 5, EndColumn: 9,
		Status: scan.StatusNew, Severity: scan.SeverityInfo, Message: "m"}
	if got := annotations(t, []scan.Finding{f}); got != "::notice file=c.json,line=3,endLine=5,col=2,title=clawgate%3A logging.redact_off::m\n" {
		t.Errorf("multi-line: %q", got)
	}
	f = scan.Finding{Kind: scan.KindConfig, Rule: "gateway.bind_no_auth", File: "c.json", Status: scan.StatusNew, Severity: scan.SeverityCritical, Message: "m"}
	if got := annotations(t, []scan.Finding{f}); got != "::error file=c.json,title=clawgate%3A gateway.bind_no_auth::m\n" {
		t.Errorf("no position: %q", got)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A", "%250A", "%250A"}, // an escape in the input stays literal
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

func many(n int, kind scan.Kind, sev scan.Severity, rule string) []scan.Finding {
	var fs []scan.Finding
	for i := 0; i < n; i++ {
		fs = append(fs, scan.Finding{Kind: kind, Rule: rule, File: fmt.Sprintf("%s/%03d.txt", rule, i), Line: i + 1,
			Status: scan.StatusNew, Severity: sev, Message: rule})
	}
	return fs
}

func TestAnnotationCaps(t *testing.T) {
	tests := []struct {
		name                      string
		findings                  []scan.Finding
		errors, warnings, notices int
		closing                   string
		mustHave                  string
	}{
		{"under the caps", concat(many(3, scan.KindSecret, scan.SeverityCritical, "github-pat"), many(10, scan.KindConfig, scan.SeverityInfo, "info")),
			3, 0, 10, "", ""},
		{"errors over", many(11, scan.KindSecret, scan.SeverityCritical, "github-pat"),
			10, 0, 1, "1 more new finding was not annotated", ""},
		{"every level over: room kept for the closing notice",
			concat(many(15, scan.KindConfig, scan.SeverityCritical, "crit"), many(12, scan.KindConfig, scan.SeverityWarn, "warn"),
				many(12, scan.KindConfig, scan.SeverityInfo, "info"), many(1, scan.KindSecret, scan.SeverityInfo, "aws-access-token")),
			10, 10, 10, "11 more new findings were not annotated", "title=clawgate%3A aws-access-token"},
	}
	for _, tt := range tests {
		out := annotations(t, tt.findings)
		count := func(prefix string) int { return strings.Count("\n"+out, "\n::"+prefix) }
		if e, w, n := count("error "), count("warning "), count("notice"); e != tt.errors || w != tt.warnings || n != tt.notices {
			t.Errorf("%s: %d errors, %d warnings, %d notices; want %d, %d, %d", tt.name, e, w, n, tt.errors, tt.warnings, tt.notices)
		}
		if tt.closing == "" && strings.Contains(out, "::notice::") {
			t.Errorf("%s: unexpected closing notice", tt.name)
		}
		if tt.closing != "" && !strings.Contains(lastLine(out), "::notice::clawgate: "+tt.closing) {
			t.Errorf("%s: last line %q, want it to say %q", tt.name, lastLine(out), tt.closing)
		}
		// The secret, though its severity is only info, is an error and
		// comes first.
		if tt.mustHave != "" && !strings.HasPrefix(out, "::error file=aws-access-token/000.txt") {
			t.Errorf("%s: the secret is not the first annotation:\n%s", tt.name, out)
		}
	}
}

func concat(parts ...[]scan.Finding) []scan.Finding {
	var all []scan.Finding
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}
