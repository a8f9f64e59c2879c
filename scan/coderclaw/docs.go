package coderclaw

import (
	"fmt"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// ChecksMarkdown renders the registry as docs/checks.md: an index, then
// each check with its doc, its examples and what the Bad example reports.
// It is the only source of that file (TestChecksDoc keeps it in sync).
func ChecksMarkdown() string {
	var b strings.Builder
	b.WriteString("<!-- Generated from the check registry in scan/coderclaw. Do not edit.\n")
	b.WriteString("     Regenerate: go test ./scan/coderclaw -run TestChecksDoc -update -->\n\n")
	b.WriteString("# CoderClaw config checks\n\n")
	b.WriteString("Every check `clawgate lint` runs on CoderClaw configs, and the `fs.*` checks of `--state-dir`. ")
	b.WriteString("Ids are the checkIds of `coderclaw security audit` where one exists (source \"audit\"), of later OpenClaw audits ")
	b.WriteString("(\"upstream\"), or clawgate's own (\"clawgate\"). Severities are the audit's: `critical`, `warn`, `info`. ")
	b.WriteString("How the lint works (discovery, `$include`, `${VAR}`, inline ignores, `--fix`): [coderclaw-lint.md](coderclaw-lint.md).\n\n")
	b.WriteString("| Check | Severity | Source | Title | --fix |\n|---|---|---|---|---|\n")
	cs := Checks()
	for _, c := range cs {
		sev := string(c.Severity)
		if c.Escalation != "" {
			sev += " → critical"
			if c.Severity == scan.SeverityInfo {
				sev = "info / critical"
			}
		}
		fix := ""
		if c.Fix != "" {
			fix = "yes"
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s | %s |\n", c.ID, anchor(c.ID), sev, c.Source, c.Title, fix)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "\n## %s\n\n", c.ID)
		fmt.Fprintf(&b, "**%s** · %s · source: %s", c.Severity, c.Title, c.Source)
		if c.StateDir {
			b.WriteString(" · runs on a state directory (`--state-dir`)")
		}
		b.WriteString("\n\n")
		b.WriteString(c.Doc + "\n\n")
		if c.Escalation != "" {
			fmt.Fprintf(&b, "Severity: %s by default, %s.\n\n", c.Severity, c.Escalation)
		}
		if c.Remediation != "" {
			fmt.Fprintf(&b, "Remediation: %s\n\n", c.Remediation)
		}
		if c.Fix != "" {
			fmt.Fprintf(&b, "`--fix`: %s.\n\n", strings.TrimSuffix(c.Fix, "."))
		}
		if c.Bad != "" {
			fmt.Fprintf(&b, "Fires on:\n\n```json5\n%s\n```\n\n", c.Bad)
			if fs, err := LintSource("coderclaw.json5", []byte(c.Bad), Options{}); err == nil {
				var lines []string
				for _, f := range fs {
					if f.Rule == c.ID || matchPattern(c.ID, f.Rule) {
						lines = append(lines, fmt.Sprintf("%s:%d:%d: %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message))
					}
				}
				if lines != nil {
					fmt.Fprintf(&b, "```text\n%s\n```\n\n", strings.Join(lines, "\n"))
				}
			}
		}
		if c.Good != "" {
			fmt.Fprintf(&b, "Quiet:\n\n```json5\n%s\n```\n", c.Good)
		}
	}
	return b.String()
}

// anchor is GitHub's heading anchor for an id heading.
func anchor(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
