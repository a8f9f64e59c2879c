// Package baseline owns the committed .secrets.baseline file: it reads it,
// writes it, compares findings with it and computes its update.
//
// The file is a detect-secrets baseline, so teams switching from
// detect-secrets keep their file and their audit labels, and detect-secrets
// can still read what clawgate writes:
//
//   - Parse and Read accept every layout from detect-secrets 0.x to 1.5
//     (and the IBM fork), upgrading pre-1.1 layouts the way detect-secrets
//     does. Unknown plugins, filters and keys are kept verbatim.
//   - Marshal writes exactly what Python's json.dumps(indent=2) would, so an
//     unchanged 1.x file is rewritten byte for byte, and WriteFile replaces
//     the file atomically. The file is never written any other way.
//   - Classify marks findings known or new by (filename, hashed secret,
//     type) — never by line number — and by (filename, check id, setting)
//     for CoderClaw config findings, kept under the extra top-level key
//     "clawgate_config_findings".
//   - Update computes the next baseline from a full scan, keeping labels and
//     migrating them from detect-secrets types to gitleaks rules.
//   - Excludes turns the file's regex and wordlist filters (Python regexes)
//     into checks the scanner calls.
//
// The package does no scanning and no output formatting: findings come from
// package scan, and what is printed is decided by the outputs. scan must
// never import baseline.
package baseline
