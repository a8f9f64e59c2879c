package sarif

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

// TestMultitoolValidates runs Microsoft's SARIF Multitool with the SARIF and
// GitHub rule sets over what Write produces and requires 0 errors and 0
// warnings. CLAWGATE_SARIF_MULTITOOL names the native Sarif.Multitool binary;
// `scripts/sarif-validate --install` installs it and prints that path.
func TestMultitoolValidates(t *testing.T) {
	bin := os.Getenv("CLAWGATE_SARIF_MULTITOOL")
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
	out := filepath.Join(t.TempDir(), "multitool.sarif")
	// The Multitool skips files over 10 MB; GitHub's limit is 10 MB gzipped.
	cmd := exec.Command(bin, "validate", "--rule-kind", "Sarif;Gh", "--max-file-size-in-kb", "1048576", "--output", out, in)
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	console, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Sarif.Multitool: %v\n%s", err, console)
	}
	problems, err := multitoolProblems(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, console)
	}
	return problems
}

// multitoolProblems lists the errors and warnings in a Multitool log. The
// tool exits 0 whatever it finds, so the log is the verdict.
func multitoolProblems(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type message struct {
		Text      string   `json:"text"`
		ID        string   `json:"id"`
		Arguments []string `json:"arguments"`
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID                   string `json:"id"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
						MessageStrings map[string]message `json:"messageStrings"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string  `json:"ruleId"`
				RuleIndex *int    `json:"ruleIndex"`
				Level     string  `json:"level"`
				Message   message `json:"message"`
			} `json:"results"`
			Invocations []struct {
				Notifications []struct {
					Level   string  `json:"level"`
					Message message `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return nil, fmt.Errorf("reading the Multitool log: %v", err)
	}
	var problems []string
	for _, run := range log.Runs {
		rules := run.Tool.Driver.Rules
		for _, r := range run.Results {
			level, text := r.Level, r.Message.Text
			for i, rule := range rules {
				if (r.RuleIndex != nil && *r.RuleIndex == i) || (r.RuleIndex == nil && rule.ID == r.RuleID) {
					if level == "" {
						level = rule.DefaultConfiguration.Level
					}
					if text == "" {
						text = rule.MessageStrings[r.Message.ID].Text
					}
				}
			}
			if level == "" {
				level = "warning"
			}
			if level != "error" && level != "warning" {
				continue
			}
			for i, a := range r.Message.Arguments {
				text = strings.ReplaceAll(text, fmt.Sprintf("{%d}", i), a)
			}
			problems = append(problems, fmt.Sprintf("%s %s: %s", level, r.RuleID, text))
		}
		for _, inv := range run.Invocations {
			for _, n := range inv.Notifications {
				if n.Level == "error" {
					problems = append(problems, "tool error: "+n.Message.Text)
				}
			}
		}
	}
	return problems, nil
}
