package coderclaw

import (
	"os"
	"path/filepath"
	"testing"
)

// TestChecksDoc fails when docs/checks.md is not what the registry
// generates. Regenerate: go test ./scan/coderclaw -run TestChecksDoc -update
func TestChecksDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "checks.md")
	want := ChecksMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("docs/checks.md is stale or missing; regenerate it with:\n\tgo test ./scan/coderclaw -run TestChecksDoc -update")
	}
}

func TestChecksSortedAndComplete(t *testing.T) {
	cs := Checks()
	seen := map[string]bool{}
	for i, c := range cs {
		if i > 0 && cs[i-1].ID >= c.ID {
			t.Errorf("Checks() not sorted or duplicate at %s", c.ID)
		}
		if seen[c.ID] {
			t.Errorf("duplicate %s", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || c.Doc == "" || c.Severity.Rank() == 0 || c.Remediation == "" || c.Source == "" {
			t.Errorf("%s: Title, Doc, Severity, Remediation and Source are required", c.ID)
		}
		if (c.Run == nil) != c.StateDir {
			t.Errorf("%s: config checks have Run, state-dir checks do not", c.ID)
		}
	}
}
