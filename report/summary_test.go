package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

func summary(t *testing.T, fs []scan.Finding, opts SummaryOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteStepSummary(&b, fs, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteStepSummaryGolden(t *testing.T) {
	fs := loadFindings(t)
	golden(t, "summary.golden", summary(t, fs, SummaryOptions{Scope: "Files changed in pull request #12"}))
	var known []scan.Finding
	for _, f := range fs {
		if f.Status == scan.StatusKnown {
			known = append(known, f)
		}
	}
	golden(t, "summary-clean.golden", summary(t, known, SummaryOptions{Title: "secrets gate"}))
}

func TestSummaryShowsOnlyMaskedValues(t *testing.T) {
	fs := loadFindings(t)
	out := summary(t, fs, SummaryOptions{})
	assertMaskedOnly(t, out, fs)
	if !strings.Contains(out, "`xoxb*****`") {
		t.Errorf("the over-long masked value should be cut to xoxb*****:\n%s", out)
	}
}

// unescapedPipes counts the '|' that split cells.
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' {
			i++
			continue
		}
		if line[i] == '|' {
			n++
		}
	}
	return n
}

func TestSummaryTableHoldsTogether(t *testing.T) {
	fs := loadFindings(t)
	out := summary(t, fs, SummaryOptions{})
	rows := 0
	for _, line := range findingsTable(out) {
		rows++
		if n := unescapedPipes(line); n != 7 {
			t.Errorf("row splits into %d cells, want 6: %s", n-1, line)
		}
	}
	if rows != 2+newCount(fs) { // header, delimiter row, one per new finding
		t.Errorf("%d table lines, want %d:\n%s", rows, 2+newCount(fs), out)
	}
	for _, link := range []string{"docs/baseline.md", "docs/audit.md", "docs/checks.md"} {
		if !strings.Contains(out, link+")") {
			t.Errorf("summary lacks a link to %s", link)
		}
	}
}

// findingsTable returns the lines of the new-findings table.
func findingsTable(out string) []string {
	_, table, ok := strings.Cut(out, "### New findings\n\n")
	if !ok {
		return nil
	}
	table, _, _ = strings.Cut(table, "\n\n")
	return strings.Split(table, "\n")
}

func newCount(fs []scan.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Status == scan.StatusNew {
			n++
		}
	}
	return n
}

func TestEscapeText(t *testing.T) {
	tests := map[string]string{
		"plain.json":           "plain.json",
		"a|b":                  `a\|b`,
		"line\nbreak\r\ttab":   "line break  tab",
		"<script>x</script>":   `\<script\>x\</script\>`,
		"[link](http://e.com)": `\[link\](http://e.com)`,
		"*bold* _it_ ~s~ `c`":  "\\*bold\\* \\_it\\_ \\~s\\~ \\`c\\`",
		`back\slash`:           `back\\slash`,
		"$x$ & #1 !":           `\$x\$ \& \#1 \!`,
		"ünïcode\u2028sep":     "ünïcode sep",
	}
	for in, want := range tests {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := map[string]string{
		"github-pat": "`github-pat`",
		"ghp_*****":  "`ghp_*****`",
		"a|b":        "`a\\|b`",
		"a`b":        "``a`b``",
		"`x":         "`` `x ``",
		"a``b`":      "``` a``b` ```",
		"new\nline":  "`new line`",
	}
	for in, want := range tests {
		if got := codeSpan(in); got != want {
			t.Errorf("codeSpan(%q) = %q, want %q", in, got, want)
		}
	}
}

var omittedRE = regexp.MustCompile(`_(\d+) more new findings left out`)

func TestSummaryStaysUnderItsCap(t *testing.T) {
	long := strings.Repeat("long message with | pipes and `ticks` ", 20)
	var fs []scan.Finding
	for i := 0; i < 20000; i++ {
		fs = append(fs, scan.Finding{Kind: scan.KindConfig, Rule: "logging.redact_off", File: fmt.Sprintf("dir/%05d/coderclaw.json", i),
			Line: i + 1, Status: scan.StatusNew, Severity: scan.SeverityWarn, Message: long, Setting: "logging.redactSensitive"})
	}
	for _, limit := range []int{0, 4096, MaxSummaryBytes * 2} {
		out := summary(t, fs, SummaryOptions{MaxBytes: limit})
		want := limit
		if want == 0 || want > MaxSummaryBytes {
			want = MaxSummaryBytes
		}
		if len(out) > want {
			t.Errorf("MaxBytes %d: summary is %d bytes", limit, len(out))
		}
		m := omittedRE.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("MaxBytes %d: no line saying how many rows were left out", limit)
		}
		left, _ := strconv.Atoi(m[1])
		rows := len(findingsTable(out)) - 2
		if rows+left != len(fs) || rows == 0 {
			t.Errorf("MaxBytes %d: %d rows + %d left out, want %d in all", limit, rows, left, len(fs))
		}
		// Filled up to the cap: the room left is less than one more row
		// (plus the left-out line it keeps room for).
		if room := want - len(out); room >= len(tableRow(&fs[0]))+len(m[0])+100 {
			t.Errorf("MaxBytes %d: %d bytes left unused", limit, room)
		}
	}

	// A cap too small for the counts is an error, not a broken summary.
	var b bytes.Buffer
	if err := WriteStepSummary(&b, fs, SummaryOptions{MaxBytes: 100}); err == nil || b.Len() != 0 {
		t.Errorf("MaxBytes 100: err %v, %d bytes written", err, b.Len())
	}
}

func TestAppendStepSummary(t *testing.T) {
	fs := loadFindings(t)
	if err := AppendStepSummary("", fs, SummaryOptions{}); err != nil {
		t.Errorf("empty path: %v", err)
	}

	path := filepath.Join(t.TempDir(), "step_summary.md")
	if err := os.WriteFile(path, []byte("# Build\nearlier output"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendStepSummary(path, fs, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# Build\nearlier output\n\n" + summary(t, fs, SummaryOptions{})
	if string(got) != want {
		t.Errorf("appended file:\n%s\nwant:\n%s", got, want)
	}

	// What the step already wrote counts against GitHub's 1 MiB.
	var big []scan.Finding
	for i := 0; i < 5000; i++ {
		big = append(big, scan.Finding{Kind: scan.KindSecret, Rule: "github-pat", File: fmt.Sprintf("f%04d.env", i), Line: 1,
			Status: scan.StatusNew, Severity: scan.SeverityCritical, Message: strings.Repeat("x", 150), Masked: "ghp_*****"})
	}
	path = filepath.Join(t.TempDir(), "step_summary.md")
	if err := os.WriteFile(path, bytes.Repeat([]byte("y"), MaxSummaryBytes-200_000), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendStepSummary(path, big, SummaryOptions{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Size() > MaxSummaryBytes || st.Size() < MaxSummaryBytes-2000 {
		t.Errorf("file is %d bytes after appending; want just under %d", st.Size(), MaxSummaryBytes)
	}

	// A file already at the cap: an error, and the file is left alone.
	if err := os.WriteFile(path, bytes.Repeat([]byte("y"), MaxSummaryBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendStepSummary(path, big, SummaryOptions{}); err == nil {
		t.Error("appending to a full summary file: no error")
	}
	if st, _ := os.Stat(path); st.Size() != MaxSummaryBytes {
		t.Errorf("full summary file changed to %d bytes", st.Size())
	}
}
