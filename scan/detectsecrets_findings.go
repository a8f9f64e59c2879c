package scan

import (
	"strings"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/pragma"
)

// Engine names of secret findings.
const (
	EngineGitleaks      = "gitleaks"
	EngineDetectSecrets = "detect-secrets"
	// EngineBoth marks a secret both engines found: one finding, with
	// detect-secrets' type so baseline labels match.
	EngineBoth = "gitleaks+detect-secrets"
)

// detectSecretsFindings runs detect-secrets' plugins over one file's
// content and turns the results into findings.
func detectSecretsFindings(ds *detectsecrets.Scanner, file string, content []byte, lines []int, ex Excluder) []Finding {
	return detectSecretsAt(ds, file, content, lines, ex, 1, nil)
}

// detectSecretsAt is detectSecretsFindings for content whose first line is
// line firstLine of the file (a hunk's added lines in history); above, when
// set, returns the file's line before content, for its nextline pragma.
func detectSecretsAt(ds *detectsecrets.Scanner, file string, content []byte, lines []int, ex Excluder, firstLine int, above func() string) []Finding {
	var out []Finding
	for _, r := range ds.ScanFile(file, content) {
		text := lineText(content, lines, r.Line)
		if pragma.AllowsLine(file, text) || (r.Line > 1 && pragma.AllowsNext(file, lineText(content, lines, r.Line-1))) ||
			(r.Line == 1 && above != nil && pragma.AllowsNext(file, above())) {
			continue
		}
		if isHashLine(text) || (ex != nil && (ex.Secret(r.Secret) || ex.Line(text))) {
			continue
		}
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
