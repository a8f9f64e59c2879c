package sarif

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan"
)

// DocsURL is where rule help links point; anchors follow GitHub's heading
// slugs, so a rule documented under a heading named after its id is found.
const DocsURL = "https://github.com/coderclaw/clawgate/blob/main/docs/"

// GitHub code scanning limits for reportingDescriptor fields (reference §3.1).
const (
	maxNameLen        = 255
	maxDescriptionLen = 1024
	maxTags           = 20
)

// Rule is the metadata of one SARIF rule (reportingDescriptor). The caller
// builds it from the detector's registry (gitleaks rule descriptions, the
// CoderClaw check registry) with SecretRule or ConfigRule.
type Rule struct {
	ID               string
	Name             string // PascalCase, ≤255 characters
	ShortDescription string // one sentence
	FullDescription  string // ≤1024 characters
	HelpText         string
	HelpMarkdown     string
	HelpURI          string
	Tags             []string
	// SecuritySeverity is GitHub's 0.0–10.0 score as a string; its presence
	// makes code scanning treat results as security alerts.
	SecuritySeverity string
	// Precision is very-high, high, medium or low.
	Precision string
	// Level is the default SARIF level: error, warning or note.
	Level string
}

// genericSecretRules are the rules that match on keywords or entropy rather
// than a provider's token format; their hits are more often false positives.
var genericSecretRules = map[string]bool{
	"generic-api-key":            true,
	"Secret Keyword":             true,
	"Base64 High Entropy String": true,
	"Hex High Entropy String":    true,
	"KeywordDetector":            true,
	"Base64HighEntropyString":    true,
	"HexHighEntropyString":       true,
}

// SecretRule describes a secret rule: a gitleaks rule id with its
// description, or a detect-secrets type (whose name is its description).
func SecretRule(ruleID, description string) Rule {
	desc := sentence(description)
	if desc == "" {
		desc = sentence("A value matches the " + ruleID + " secret rule")
	}
	generic := genericSecretRules[ruleID] || strings.Contains(strings.ToLower(ruleID), "generic")
	severity, precision := "9.3", "high"
	if generic {
		severity, precision = "7.5", "medium"
	}
	full := desc + " A credential committed to a repository can be read by everyone with access to it, and it stays in the git history after the file is changed."

	text := desc + "\n\n" +
		"clawgate reports where the value is, never the value itself.\n\n" +
		"How to fix it:\n" +
		"1. Remove the secret from the file and load it at run time instead (an environment variable or a secret manager).\n" +
		"2. Rotate it at its provider: the old value stays in the git history and in every clone.\n\n" +
		"If it is not a secret (a test fixture, an example or a public value), accept it instead:\n" +
		"- run `clawgate baseline` to record it in .secrets.baseline, then `clawgate audit` to label it a false positive; or\n" +
		"- add an inline `pragma: allowlist secret` (or `gitleaks:allow`) comment at the end of its line.\n\n" +
		"Accepted findings no longer fail the gate and are left out of the SARIF upload."
	md := desc + "\n\n" +
		"clawgate reports where the value is, never the value itself.\n\n" +
		"### How to fix it\n\n" +
		"1. **Remove** the secret from the file and load it at run time instead (an environment variable or a secret manager).\n" +
		"2. **Rotate** it at its provider: the old value stays in the git history and in every clone.\n\n" +
		"### If it is not a secret\n\n" +
		"Accept it when it is a test fixture, an example or a public value:\n\n" +
		"- run `clawgate baseline` to record it in `.secrets.baseline`, then `clawgate audit` to label it a false positive " +
		"([baseline](" + DocsURL + "baseline.md), [audit](" + DocsURL + "audit.md)); or\n" +
		"- add an inline `pragma: allowlist secret` (or `gitleaks:allow`) comment at the end of its line.\n\n" +
		"Accepted findings no longer fail the gate and are left out of the SARIF upload."

	return Rule{
		ID:               ruleID,
		Name:             PascalCase(ruleID),
		ShortDescription: firstSentence(desc),
		FullDescription:  full,
		HelpText:         text,
		HelpMarkdown:     md,
		HelpURI:          DocsURL + "secrets.md#" + Anchor(ruleID),
		Tags:             []string{"security", "secret", "external/cwe/cwe-798"},
		SecuritySeverity: severity,
		Precision:        precision,
		Level:            "error",
	}
}

// ConfigRule describes a CoderClaw config check from its registry entry:
// title (one line), doc (why it matters) and remediation (how to fix it).
func ConfigRule(checkID, title, doc, remediation string, severity scan.Severity) Rule {
	short := sentence(title)
	if short == "" {
		short = sentence("CoderClaw config check " + checkID)
	}
	full := sentence(doc)
	if full == "" {
		full = short
	}
	fix := sentence(remediation)
	if fix == "" {
		fix = "See the check's documentation."
	}
	accept := "If the setting is deliberate, accept the finding with an inline `// clawgate:ignore " + checkID +
		" <reason>` comment on or above its line, or record it with `clawgate baseline`; accepted findings no longer fail the gate."

	text := full + "\n\nHow to fix it: " + fix + "\n\n" + accept
	md := full + "\n\n### How to fix it\n\n" + fix + "\n\n### If it is deliberate\n\n" + accept +
		"\n\nSee [" + checkID + "](" + DocsURL + "checks.md#" + Anchor(checkID) + ") in the checks reference."

	tags := []string{"security", "config"}
	if cwe := configCWE(checkID); cwe != "" {
		tags = append(tags, "external/cwe/"+cwe)
	}
	return Rule{
		ID:               checkID,
		Name:             PascalCase(checkID),
		ShortDescription: firstSentence(short),
		FullDescription:  full,
		HelpText:         text,
		HelpMarkdown:     md,
		HelpURI:          DocsURL + "checks.md#" + Anchor(checkID),
		Tags:             tags,
		SecuritySeverity: securitySeverity(severity),
		Precision:        "very-high", // config checks are exact, not heuristic
		Level:            Level(severity),
	}
}

// configCWE maps a checkId to the weakness it exposes; first match wins, so
// specific ids come before prefixes.
func configCWE(id string) string {
	has := func(s string) bool { return strings.Contains(id, s) }
	switch {
	case strings.HasPrefix(id, "config.secrets."):
		return "cwe-260" // password in configuration file
	case has("token_too_short"):
		return "cwe-521" // weak credential requirements
	case has("no_auth") || has("device_auth_disabled"):
		return "cwe-306" // missing authentication for critical function
	case has("insecure_auth") || has("remote_cdp_http"):
		return "cwe-319" // cleartext transmission
	case strings.HasPrefix(id, "gateway.trusted_proxy"):
		return "cwe-290" // authentication bypass by spoofing
	case has("rate_limit"):
		return "cwe-307" // excessive authentication attempts
	case strings.HasPrefix(id, "logging.redact"):
		return "cwe-532" // sensitive information in logs
	case id == "gateway.tailscale_funnel":
		return "cwe-668" // exposure to the wrong sphere (the internet)
	case strings.HasPrefix(id, "sandbox.dangerous") || strings.HasPrefix(id, "sandbox.bind_mount"):
		return "cwe-250" // unnecessary privileges
	case strings.HasPrefix(id, "fs.") && has("perms"):
		return "cwe-732" // incorrect permission assignment
	case has("wildcard") || has(".dm.open") || has("allowFrom.missing") || has("open_groups"):
		return "cwe-284" // improper access control
	}
	return ""
}

// Level maps a severity to a SARIF level. Unknown severities become warning,
// which is also what GitHub assumes when no level is given.
func Level(s scan.Severity) string {
	switch s {
	case scan.SeverityCritical:
		return "error"
	case scan.SeverityInfo:
		return "note"
	}
	return "warning"
}

// securitySeverity keeps clear of GitHub's band edges (critical is > 9.0).
func securitySeverity(s scan.Severity) string {
	switch s {
	case scan.SeverityCritical:
		return "9.3"
	case scan.SeverityInfo:
		return "2.5"
	}
	return "6.5"
}

// PascalCase turns a rule id into a SARIF rule name: "github-pat" →
// "GithubPat", "gateway.bind_no_auth" → "GatewayBindNoAuth", "Secret
// Keyword" → "SecretKeyword". A name must not start with a digit, so such
// ids get an "R" in front.
func PascalCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	name := b.String()
	if name == "" {
		name = "Rule"
	}
	if first, _ := utf8.DecodeRuneInString(name); unicode.IsDigit(first) {
		name = "R" + name
	}
	return truncate(name, maxNameLen, "")
}

// Anchor is GitHub's slug for a markdown heading with this text: lower case,
// spaces to '-', everything but letters, digits, '-' and '_' dropped.
func Anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sentence trims s and makes it end with a full stop; the SARIF validator
// warns on messages that do not.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// firstSentence is the text up to the first ". " — shortDescription is shown
// where there is room for one line.
func firstSentence(s string) string {
	for from := 0; ; {
		i := strings.Index(s[from:], ". ")
		if i < 0 {
			return s
		}
		end := from + i
		if !strings.HasSuffix(s[:end], "e.g") && !strings.HasSuffix(s[:end], "i.e") {
			return s[:end+1]
		}
		from = end + 2
	}
}

// truncate cuts s to at most max runes, ending it with tail when it cuts.
func truncate(s string, max int, tail string) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	keep := max - utf8.RuneCountInString(tail)
	i := 0
	for pos := range s {
		if i == keep {
			return s[:pos] + tail
		}
		i++
	}
	return s
}
