package report

import "github.com/coderclaw/clawgate/scan"

// Summary counts what a run found.
type Summary struct {
	New   int `json:"new"`
	Known int `json:"known"`
	// Failing counts the new findings that fail the gate (all new
	// secrets; new config findings at or above --fail-on).
	Failing int `json:"failing"`
	Files   int `json:"files_scanned"`
	Skipped int `json:"files_skipped"`
	// BySeverity counts new findings per severity.
	BySeverity map[scan.Severity]int `json:"new_by_severity"`
	// ByKind counts new findings per kind (secret, config).
	ByKind map[scan.Kind]int `json:"new_by_kind"`
}

// Summarize counts findings; files and skipped come from the scan.
func Summarize(findings []scan.Finding, files, skipped int) Summary {
	s := Summary{Files: files, Skipped: skipped, BySeverity: map[scan.Severity]int{}, ByKind: map[scan.Kind]int{}}
	for i := range findings {
		f := &findings[i]
		if f.Status == scan.StatusNew {
			s.New++
			s.BySeverity[f.Severity]++
			s.ByKind[f.Kind]++
		} else {
			s.Known++
		}
	}
	return s
}
