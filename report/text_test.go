package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

func TestWriteTextGolden(t *testing.T) {
	fs := loadFindings(t)
	skipped := []scan.Skipped{{File: "dumps/big.sql", Reason: "too large", Size: 24_000_000}}
	sum := Summarize(fs, 120, len(skipped))
	sum.Failing = sum.New
	for _, tc := range []struct {
		name string
		opts TextOptions
	}{
		{"text.golden", TextOptions{Hints: true}},
		{"text-known.golden", TextOptions{ShowKnown: true}},
	} {
		var buf bytes.Buffer
		if err := WriteText(&buf, fs, skipped, sum, tc.opts); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, buf.String())
	}
}

func TestWriteTextWithoutFindings(t *testing.T) {
	var buf bytes.Buffer
	WriteText(&buf, nil, nil, Summarize(nil, 1, 0), TextOptions{Hints: true})
	if buf.String() != "0 new, 0 known (1 file scanned)\n" {
		t.Fatalf("clean output: %q", buf.String())
	}
}

// A hostile file name cannot forge report lines or terminal escapes.
func TestWriteTextEscapesFileNames(t *testing.T) {
	fs := []scan.Finding{{Kind: scan.KindSecret, Rule: "r", File: "a\nb\x1b[31m.txt", Line: 1, Column: 1, Status: scan.StatusNew, Masked: "x*****"}}
	var buf bytes.Buffer
	WriteText(&buf, fs, nil, Summarize(fs, 1, 0), TextOptions{})
	if strings.Contains(buf.String(), "\x1b") || strings.Count(buf.String(), "\n") != 3 {
		t.Fatalf("file name not escaped: %q", buf.String())
	}
}

// A file name cannot become a GitHub Actions workflow command: no output
// line starts with "::".
func TestWriteTextNoWorkflowCommands(t *testing.T) {
	fs := []scan.Finding{{Kind: scan.KindSecret, Rule: "r", File: "::error file=x::forged", Line: 1, Column: 1, Status: scan.StatusNew, Masked: "x*****"}}
	var buf bytes.Buffer
	WriteText(&buf, fs, nil, Summarize(fs, 1, 0), TextOptions{})
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "::") {
			t.Fatalf("a line is a workflow command: %q", line)
		}
	}
	if !strings.HasPrefix(buf.String(), "./::error file=x::forged:1:1 ") {
		t.Fatalf("finding line: %q", buf.String())
	}
}

func TestWriteJSONShape(t *testing.T) {
	fs := loadFindings(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, "1.0.0", fs, nil, Summarize(fs, 3, 0)); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tool", "version", "findings", "skipped", "summary"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"kind", "rule", "file", "line", "column", "status", "severity", "message"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if doc["skipped"] == nil {
		t.Error("skipped must be a list, not null")
	}
}
