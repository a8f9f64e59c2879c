package secrets

import (
	"fmt"
	"sort"
	"strings"
)

// RulesMarkdown renders docs/secrets.md: one section per rule, which SARIF
// help links point to (docs/secrets.md#<rule-id>).
func RulesMarkdown(r *Rules) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from the embedded gitleaks rules in scan/secrets. Do not edit.\n" +
		"     Regenerate: go test ./scan/secrets -run TestSecretsDoc -update -->\n\n")
	b.WriteString("# Secret rules\n\n")
	fmt.Fprintf(&b, "`clawgate scan` looks for secrets with the %d rules of gitleaks %s, the same rules the gitleaks CLI "+
		"runs by default, with the same allowlists and decoding (base64, hex, percent and unicode escapes, five passes "+
		"deep). A repository's `.gitleaks.toml` replaces or extends them, as it does for gitleaks.\n\n", len(r.Config.Rules), GitleaksVersion())
	b.WriteString(`A finding is **known** when the baseline (` + "`.secrets.baseline`" + `) has an entry with the same file, the
same hashed secret (SHA-1 of the value) and the same type; line numbers never decide. Every new secret fails
the gate.

## What to do with a finding

1. **A real secret**: remove it, rotate it (it stays in git history), and commit the removal.
2. **Not a secret** (a test fixture, an example, a hash): accept it, in one of these ways:
   - ` + "`clawgate baseline`" + ` records every finding present now in ` + "`.secrets.baseline`" + `; commit the file;
   - ` + "`clawgate audit`" + ` labels baseline entries as real secrets or false positives ([audit.md](audit.md));
   - end the line with a ` + "`pragma: allowlist secret`" + ` comment (` + "`# pragma: allowlist secret`" + `,
     ` + "`// pragma: allowlist secret`" + `, ...), or put ` + "`pragma: allowlist nextline secret`" + ` alone on the line
     above, or anywhere on the line ` + "`gitleaks:allow`" + `;
   - for a secret that only remains in history (` + "`--since`" + `), add its gitleaks fingerprint
     ` + "`commit:file:rule:line`" + ` to ` + "`.gitleaksignore`" + `.

The **type** column is the detect-secrets type a baseline entry carries for the rule, so labels written by
detect-secrets carry over; rules without a detect-secrets counterpart use their own id.

## Rules

| Rule | Type in the baseline |
|---|---|
`)
	ids := make([]string, 0, len(r.Config.Rules))
	for id := range r.Config.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", id, id, TypeForRule(id))
	}
	for _, id := range ids {
		rule := r.Config.Rules[id]
		fmt.Fprintf(&b, "\n### %s\n\n", id)
		if d := strings.TrimSpace(rule.Description); d != "" {
			b.WriteString(d + "\n\n")
		}
		fmt.Fprintf(&b, "- Type in the baseline: `%s`\n", TypeForRule(id))
		if len(rule.Keywords) > 0 {
			kws := append([]string(nil), rule.Keywords...)
			sort.Strings(kws)
			fmt.Fprintf(&b, "- Runs where the text contains: `%s`\n", strings.Join(kws, "`, `"))
		}
		if rule.Regex == nil && rule.Path != nil {
			b.WriteString("- Matches on the file's path alone\n")
		}
		if rule.Entropy > 0 {
			fmt.Fprintf(&b, "- Needs a secret with Shannon entropy above %g\n", rule.Entropy)
		}
	}
	return b.String()
}
