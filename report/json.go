package report

import (
	"encoding/json"
	"io"

	"github.com/coderclaw/clawgate/scan"
)

// JSONDoc is the document `--format json` writes (docs/json.md).
type JSONDoc struct {
	Tool     string         `json:"tool"`
	Version  string         `json:"version"`
	Findings []scan.Finding `json:"findings"`
	Skipped  []scan.Skipped `json:"skipped"`
	Summary  Summary        `json:"summary"`
}

// WriteJSON writes findings as one indented JSON document.
func WriteJSON(w io.Writer, version string, findings []scan.Finding, skipped []scan.Skipped, sum Summary) error {
	if findings == nil {
		findings = []scan.Finding{}
	}
	if skipped == nil {
		skipped = []scan.Skipped{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(JSONDoc{Tool: "clawgate", Version: version, Findings: findings, Skipped: skipped, Summary: sum})
}
