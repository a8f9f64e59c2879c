package scan

import (
	"strings"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// Engine names of secret findings.
const (
	EngineGitleaks      = "gitleaks"
	EngineDetectSecrets = "detect-secrets"
	// EngineBoth marks a secret both engines found: one finding, with
	// detect-secrets' type so baseline labels match.
	EngineBoth = "gitleaks+detect-secrets"
)

// detectSecretsFindings runs detect-secrets' plugins over content, a
// file's text or a hunk's added lines starting at line firstLine, and turns
// the results into findings. checks are content's line checks, shared with
// the gitleaks matches: pragmas, hash lines, --exclude-lines.
func detectSecretsFindings(ds *detectsecrets.Scanner, file string, content []byte, checks *lineChecks, firstLine int) []Finding {
	var out []Finding
	for _, r := range ds.ScanFile(file, content) {
		if checks.drop(secrets.Match{StartLine: r.Line, EndLine: r.Line}) || (checks.ex != nil && checks.ex.Secret(r.Secret)) {
			continue
		}
		text := lineText(content, checks.starts, r.Line)
		col, end := 1, 1
		if i := strings.Index(text, r.Secret); i >= 0 {
			col = utf8.RuneCountInString(text[:i]) + 1
			end = col + utf8.RuneCountInString(r.Secret)
		}
		line := r.Line + firstLine - 1
		out = append(out, Finding{
			Kind:         KindSecret,
			Rule:         r.Type,
			Type:         r.Type,
			Engine:       EngineDetectSecrets,
			File:         file,
			Line:         line,
			Column:       col,
			EndLine:      line,
			EndColumn:    end,
			Severity:     SeverityCritical,
			Message:      r.Type + " found by detect-secrets' " + r.Plugin,
			Remediation:  secretRemediation,
			HashedSecret: HashSecret(r.Secret),
			Masked:       Mask(r.Secret),
		})
	}
	return out
}

// mergeDetectSecrets folds detect-secrets' findings of one file into the
// gitleaks ones. A secret both found (the same value) is reported as
// detect-secrets reports it — once per type it has, at its first line — so
// the findings line up with the baseline entries detect-secrets wrote.
func mergeDetectSecrets(gl, ds []Finding) []Finding {
	if len(ds) == 0 {
		return gl
	}
	byDS := map[string]bool{}
	for _, d := range ds {
		byDS[d.HashedSecret] = true
	}
	both := map[string]bool{}
	out := gl[:0]
	for _, g := range gl {
		if byDS[g.HashedSecret] {
			both[g.HashedSecret] = true
			continue
		}
		out = append(out, g)
	}
	for _, d := range ds {
		if both[d.HashedSecret] {
			d.Engine = EngineBoth
		}
		out = append(out, d)
	}
	return out
}
