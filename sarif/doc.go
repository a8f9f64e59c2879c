// Package sarif owns the SARIF writer: it renders scan.Findings as one
// SARIF 2.1.0 run shaped for GitHub code scanning (rule metadata with help
// and security-severity, levels, stable fingerprints, no snippets).
//
// It does not scan and does not read baselines: every Finding arrives with
// its Status already decided, and the writer only chooses what to emit.
package sarif
