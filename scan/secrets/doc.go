// Package secrets finds secrets with the gitleaks v8 rules and reports
// exactly what gitleaks' own detector reports, faster. It owns loading the
// rules (the embedded defaults, or a repository's .gitleaks.toml), the fast
// detector (Fast) and gitleaks' detector as the reference it is tested
// against (Reference), splitting files into fragments as gitleaks does,
// true line and column positions, and the map from gitleaks rule ids to
// detect-secrets types. It returns raw matches to the scan package, which
// hashes and masks them; nothing here prints a secret.
package secrets
