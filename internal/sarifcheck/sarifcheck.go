// Package sarifcheck runs Microsoft's SARIF Multitool with the SARIF and
// GitHub rule sets (the rules GitHub code scanning applies on upload) and
// lists what it reports. Tests use it wherever clawgate's SARIF must
// validate clean: the sarif package's own tests and the GitHub Action's.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// EnvVar names the native Sarif.Multitool binary;
// `scripts/sarif-validate --install` installs it and prints the path.
const EnvVar = "CLAWGATE_SARIF_MULTITOOL"

// Validate validates one SARIF file and returns its errors and warnings,
// one line each. An empty slice is a clean file.
func Validate(bin, in string) ([]string, error) {
	dir, err := os.MkdirTemp("", "sarifcheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "multitool.sarif")
	// The Multitool skips files over 10 MB; GitHub's limit is 10 MB gzipped.
	cmd := exec.Command(bin, "validate", "--rule-kind", "Sarif;Gh", "--max-file-size-in-kb", "1048576", "--output", out, in)
	// The Multitool is a .NET program; without ICU (minimal images) it would abort.
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	console, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("Sarif.Multitool: %v\n%s", err, console)
	}
	problems, err := Problems(out)
	if err != nil {
		return nil, fmt.Errorf("%v\n%s", err, console)
	}
	return problems, nil
}

// Problems lists the errors and warnings in a Multitool log. The
// tool exits 0 whatever it finds, so the log is the verdict.
func Problems(path string) ([]string, error) {
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
