package coderclaw

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

// lintText lints one config written to a temp dir.
func lintText(t *testing.T, name, text string) []scan.Finding {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	fs, err := Lint(dir, []string{name}, Options{})
	if err != nil {
		t.Fatalf("lint %s: %v", text, err)
	}
	return fs
}

func rules(fs []scan.Finding, known bool) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		if (f.Status == scan.StatusKnown) == known {
			out[f.Rule] = true
		}
	}
	return out
}

// TestDocExamples: every check's Bad example fires it and its Good example
// does not, so the documentation cannot drift from the behaviour.
func TestDocExamples(t *testing.T) {
	for _, c := range Checks() {
		if c.StateDir {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			if c.Bad == "" || c.Good == "" {
				t.Fatal("Bad and Good examples are required")
			}
			fired := func(text string) bool {
				for _, f := range lintText(t, "coderclaw.json5", text) {
					if f.Status != scan.StatusKnown && (f.Rule == c.ID || matchPattern(c.ID, f.Rule)) {
						return true
					}
				}
				return false
			}
			if !fired(c.Bad) {
				t.Errorf("Bad example does not fire:\n%s", c.Bad)
			}
			if fired(c.Good) {
				t.Errorf("Good example fires:\n%s", c.Good)
			}
		})
	}
}
