package secrets

import (
	"bytes"
	"context"
	"io"

	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// DecodeDepth is how many base64/hex/percent/unicode decoding passes run,
// the gitleaks CLI's default, so both find the same secrets.
const DecodeDepth = 5

// Match is one secret a rule found, with gitleaks' positions: 1-based lines
// and columns of the whole regex match.
type Match struct {
	RuleID      string
	Description string
	StartLine   int
	EndLine     int
	StartColumn int
	EndColumn   int
	// Secret is the raw value (the rule's secret group). It stays inside
	// the scan package: callers hash and mask it.
	Secret string
	// Line is the source text spanning the match, for pragma checks.
	Line string
	// Tags carries gitleaks' decode tags (e.g. decoded:base64).
	Tags []string
}

// Detector finds matches in one fragment of a file. Implementations must be
// safe for concurrent use.
type Detector interface {
	Detect(ctx context.Context, f sources.Fragment) []Match
}

// Reference is the gitleaks library's own detector. It is the definition of
// "the same findings as gitleaks" that the fast detector is tested against.
type Reference struct {
	d *detect.Detector
}

// NewReference builds gitleaks' detector over rules.
func NewReference(r *Rules) *Reference {
	d := detect.NewDetector(r.Config)
	d.MaxDecodeDepth = DecodeDepth
	return &Reference{d: d}
}

// Detect implements Detector.
func (r *Reference) Detect(ctx context.Context, f sources.Fragment) []Match {
	var out []Match
	for _, gf := range r.d.DetectContext(ctx, detect.Fragment(f)) {
		if len(gf.Tags) == 0 {
			gf.Tags = nil
		}
		out = append(out, Match{
			RuleID:      gf.RuleID,
			Description: gf.Description,
			StartLine:   gf.StartLine,
			EndLine:     gf.EndLine,
			StartColumn: gf.StartColumn,
			EndColumn:   gf.EndColumn,
			Secret:      gf.Secret,
			Line:        gf.Line,
			Tags:        gf.Tags,
		})
	}
	return out
}

// ScanContent splits content into fragments exactly as gitleaks' file
// source does (100 kB reads extended to a whitespace boundary, binary and
// archive files skipped by type) and runs d over each. path is
// '/'-separated and relative to the scan root.
func ScanContent(ctx context.Context, d Detector, path string, content []byte) (matches []Match, err error) {
	src := &sources.File{Content: bytes.NewReader(content), Path: path}
	err = src.Fragments(ctx, func(f sources.Fragment, ferr error) error {
		if ferr != nil {
			return ferr
		}
		if len(f.Raw) == 0 {
			return nil
		}
		matches = append(matches, d.Detect(ctx, f)...)
		return nil
	})
	if err == io.EOF {
		err = nil
	}
	return matches, err
}
