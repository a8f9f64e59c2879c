package sarif

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/sarifcheck"
	"github.com/coderclaw/clawgate/scan"
)

// TestMultitoolValidates runs Microsoft's SARIF Multitool with the SARIF and
// GitHub rule sets over what Write produces and requires 0 errors and 0
// warnings. CLAWGATE_SARIF_MULTITOOL names the native Sarif.Multitool binary;
// `scripts/sarif-validate --install` installs it and prints that path.
func TestMultitoolValidates(t *testing.T) {
	bin := os.Getenv(sarifcheck.EnvVar)
	if bin == "" {
		t.Skip("CLAWGATE_SARIF_MULTITOOL is not set, so the SARIF Multitool does not run; " +
			"set it with: export CLAWGATE_SARIF_MULTITOOL=\"$(scripts/sarif-validate --install)\"")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("CLAWGATE_SARIF_MULTITOOL=%s: %v", bin, err)
	}

	fs := loadFindings(t)
	cases := []struct {
		name     string
		findings []scan.Finding
		opts     Options
		limit    int
	}{
		{"new only", fs, testOptions, MaxResults},
		{"include known", fs, Options{ToolVersion: "v1.2.3", IncludeKnown: true}, MaxResults},
		{"no findings, dev build", nil, Options{}, MaxResults},
		// Truncation adds a notification and run properties; a lower limit
		// keeps the Multitool fast (25,000 results take it half a minute).
		{"truncated", fs, testOptions, 3},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func(l int) { resultLimit = l }(resultLimit)
			resultLimit = c.limit
			in := filepath.Join(dir, fmt.Sprintf("in%d.sarif", i))
			if err := os.WriteFile(in, []byte(render(t, c.findings, testRules(), c.opts)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range runMultitool(t, bin, in) {
				t.Error(p)
			}
		})
	}
	// The same harness must see problems where there are some, or the
	// passes above would prove nothing: gitleaks-shaped rules lack
	// fullDescription and help, which GitHub requires.
	t.Run("gitleaks-style log draws errors", func(t *testing.T) {
		problems := runMultitool(t, bin, filepath.Join("testdata", "gitleaks-style.sarif"))
		if !strings.Contains(strings.Join(problems, "\n"), "error GH2012") {
			t.Errorf("want GH2012 errors for a rule without fullDescription and help, got %q", problems)
		}
	})
}

// runMultitool validates one file and returns its errors and warnings.
func runMultitool(t *testing.T, bin, in string) []string {
	t.Helper()
	problems, err := sarifcheck.Validate(bin, in)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}
