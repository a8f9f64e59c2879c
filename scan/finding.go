package scan

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// Kind says which half of the gate produced a Finding.
type Kind string

const (
	KindSecret Kind = "secret"
	KindConfig Kind = "config"
)

// Severity uses the words of `coderclaw security audit`, for secrets too.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityWarn     Severity = "warn"
	SeverityInfo     Severity = "info"
)

// Rank orders severities: critical 3, warn 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 3
	case SeverityWarn:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// ParseSeverity accepts critical, warn (or warning) and info.
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return SeverityCritical, true
	case "warn", "warning":
		return SeverityWarn, true
	case "info", "note":
		return SeverityInfo, true
	}
	return "", false
}

// Status is decided after scanning, by comparing with the baseline and
// inline acceptances. Only new findings fail the gate.
type Status string

const (
	StatusNew   Status = "new"
	StatusKnown Status = "known"
)

// Finding is the one result type every output renders. It never holds a raw
// secret: detectors hash and mask the value before they build a Finding, so
// no renderer can leak it by mistake.
type Finding struct {
	Kind Kind `json:"kind"`
	// Rule is the gitleaks rule id, the detect-secrets plugin type, or the
	// CoderClaw checkId.
	Rule string `json:"rule"`
	// Type is the detect-secrets type string a baseline entry carries
	// ("AWS Access Key", or the rule id when no such name exists).
	Type string `json:"type,omitempty"`
	// Engine names the detector family: "gitleaks", "detect-secrets" or "coderclaw".
	Engine string `json:"engine,omitempty"`
	// File is relative to the scan root and '/'-separated.
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line,omitempty"`
	EndColumn int    `json:"end_column,omitempty"`
	// Commit is set by history scans (--since).
	Commit   string   `json:"commit,omitempty"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Remediation says how to fix or accept the finding.
	Remediation string `json:"remediation,omitempty"`
	// HashedSecret is the lowercase SHA-1 hex of the secret value, as in a
	// detect-secrets baseline.
	HashedSecret string `json:"hashed_secret,omitempty"`
	// Masked shows at most a few leading characters of the secret.
	Masked string `json:"masked,omitempty"`
	// Setting is the dotted config path a config finding is about
	// (e.g. "gateway.bind"); part of its identity.
	Setting string `json:"setting,omitempty"`
	// KnownBy says why a known finding is known: "baseline" (set by the
	// baseline package), KnownByInline or KnownByGitleaksIgnore.
	KnownBy string `json:"known_by,omitempty"`
	// Label is the baseline's is_secret for a known secret, when set.
	Label *bool `json:"is_secret,omitempty"`
}

// Fingerprint is a stable identity that does not change when lines move:
// (file, type, hash) for secrets, (file, checkId, setting) for config.
func (f *Finding) Fingerprint() string {
	var key string
	if f.Kind == KindSecret {
		key = strings.Join([]string{"secret", f.File, f.Type, f.HashedSecret}, "\x00")
	} else {
		key = strings.Join([]string{string(f.Kind), f.File, f.Rule, f.Setting}, "\x00")
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// HashSecret is detect-secrets' hashed_secret: SHA-1 of the UTF-8 value.
func HashSecret(secret string) string {
	sum := sha1.Sum([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Mask keeps at most four leading characters (fewer for short values) so a
// reader can tell findings apart without learning the secret.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	keep := n / 4
	if keep > 4 {
		keep = 4
	}
	var b strings.Builder
	i := 0
	for _, r := range secret {
		if i == keep {
			break
		}
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			break
		}
		b.WriteRune(r)
		i++
	}
	b.WriteString("*****")
	return b.String()
}

// KnownByInline marks findings accepted where they stand: a secret's
// allowlist pragma, a config's clawgate:ignore comment.
const KnownByInline = "inline"

// AcceptedInPlace reports a finding accepted by the repository itself (an
// inline comment, a .gitleaksignore fingerprint) rather than by the
// baseline: the baseline neither decides nor records it.
func (f *Finding) AcceptedInPlace() bool {
	return f.Status == StatusKnown && (f.KnownBy == KnownByInline || f.KnownBy == KnownByGitleaksIgnore)
}
