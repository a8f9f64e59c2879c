// Package coderclaw lints CoderClaw configs (coderclaw.json, JSON5 with
// $include files) offline: the dangerous settings `coderclaw security
// audit` reports, with the same checkIds and severities, plus schema
// violations and a few flags the CoderClaw security page calls dangerous.
// It owns config discovery, loading (includes, ${VAR}), the check registry,
// inline ignores, --fix and the state-directory permission checks. It does
// not own baselines, output formats or the command line: it returns
// scan.Finding values (Kind "config", Engine "coderclaw", Rule = checkId,
// Setting = dotted config path) and the caller decides what is new.
//
// The CLI needs only these calls:
//
//	files := Discover(root, repoFiles, globs)        // clawgate lint / scan without FILE args
//	fs, err := Lint(root, files, Options{})          // err: *json5.SyntaxError / *ConfigError per config (exit 2)
//	res, err := Fix(root, files, Options{}, dryRun)  // --fix [--dry-run]: FixResult{File, Diff, Changes}
//	fs, acts, err := CheckStateDir(dir, fix)         // --state-dir DIR [--fix]
//	for _, c := range Checks() { ... }               // clawgate checks
//	Lookup(rule)                                     // title/doc for one finding's rule
//
// Positions: Line and Column are 1-based; columns count characters (see package
// json5). A finding points at the offending value, at the key of an
// offending object or array, at the nearest enclosing key when the setting
// is absent, and at 1:1 when nothing encloses it. Findings in an included
// file name that file.
//
// Status is left empty for the baseline stage, except for findings an
// inline comment accepts ("// clawgate:ignore CHECKID reason"), which come
// back as Status "known", KnownBy "inline".
//
// docs/coderclaw-lint.md describes the behaviour; docs/checks.md, generated
// from the registry, describes every check.
package coderclaw
