package secrets

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated docs")

// TestSecretsDoc fails when docs/secrets.md no longer matches the rules.
func TestSecretsDoc(t *testing.T) {
	r, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../../docs/secrets.md"
	got := RulesMarkdown(r)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("docs/secrets.md is stale; regenerate it: go test ./scan/secrets -run TestSecretsDoc -update")
	}
}
