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
//   - Audit support (audit*.go) is the data behind `clawgate audit`: which
//     entries to walk (AuditQueue), answers written one by one (Session),
//     bulk labels (Mark), stats and the report, and Locator, which finds an
//     entry's secret in its file again by its hash after lines moved.
//
// The package does no output formatting: what is printed is decided by the
// outputs. Findings come from package scan; the only scanning done here is
// Locator's, which must look into a file to show the secret behind a hash.
// scan must never import baseline.
package baseline
