// Package report renders findings for people and machines: human text,
// JSON, GitHub workflow annotations and the step summary. It renders the
// one scan.Finding type and never sees a raw secret; SARIF has its own
// package.
package report
