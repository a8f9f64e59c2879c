// Package detectsecrets owns the detect-secrets-compatible detectors: the
// 27 plugins of detect-secrets 1.5.0 and the filters a baseline's
// filters_used can list, reimplemented in Go so that, for the same file,
// they yield what detect-secrets would store in .secrets.baseline: the same
// raw value (so the same hashed_secret), type string and line number, one
// result per (file, type, value) with the first line kept.
//
// It is a pure library. The caller decodes plugins_used and filters_used
// (ParsePluginsUsed and ParseFiltersUsed help), builds a Scanner with New
// and calls ScanFile per file; building scan.Finding values, hashing for
// output and baseline I/O belong to other packages.
//
//	s, err := detectsecrets.New(detectsecrets.DefaultPlugins(), detectsecrets.DefaultFilters())
//	results := s.ScanFile("dir/app.py", content)
//
// # Fidelity
//
// The Python regexes are translated to RE2. Python's str patterns are
// Unicode-aware, so \w, \s and \d become Unicode classes. Where detect-secrets
// relies on back-references (the keyword detector's quotes) or lookarounds
// (IPPublicDetector, GitLab, the IBM/Cloudant/SoftLayer assignment regexes),
// the equivalent logic is hand-written or written as consumed characters,
// and every line is matched in one pass; Go's regexp returns the
// leftmost-first match a backtracking engine finds, so alternation order
// is kept. Files are read as detect-secrets reads them: invalid UTF-8 skips the
// file, universal newlines ("\r\n" and a lone "\r" end lines), each line is
// rstripped before the plugins see it.
//
// # Transformers
//
// Files go through detect-secrets' transformers as core/scan.py's
// _get_lines_from_file applies them: ConfigFileTransformer on every file
// (a file that configparser reads and that has a [section] becomes
// `key = "value"` lines at the values' line numbers; ini.go follows
// CPython 3.11/3.12's configparser and transformers/config.py's IniFileParser,
// whose DEFAULT handling and interpolation it keeps), then YAMLTransformer
// on .yaml/.yml/.eyaml files (yamlscan.go and yamlparse.go reimplement
// PyYAML 6.0's SafeLoader closely enough that each value gets the
// __line__ detect-secrets computes from the reader's position, flow
// mappings and anchors included; values become `key: "value"` plus the
// line's comment). The first transformer that parses wins; an empty
// result means the raw lines. When that first pass yields nothing and the
// file type is OTHER, the eager pass parses the file as INI with a
// [global] header. Both were compared, locally, with detect-secrets'
// transformer code on CPython 3.11, configparser and PyYAML 6.0 over
// generated and real files, without a difference.
//
// Where detect-secrets itself would crash (a YAML value PyYAML's
// constructor rejects with a Python exception, a recursive anchor, a
// document nested past Python's recursion limit) the transformer is
// treated as failing and the raw lines are scanned.
//
// # Other choices
//
// The entropy plugins compare with the limit as CPython does: near the
// limit the sum is recomputed with a correctly rounded log (see
// entropy.go). KeywordDetector's denylist has no bare "pass" (as in 1.x
// keyword.py); GitLabTokenDetector has the seven regexes of PR #782, so
// the value of a glpat- token is the prefix group; PrivateKeyDetector's
// value is the header text. The gibberish filter needs its model and is
// skipped with a warning; network verification is never done, so every
// result counts as unverified. An unknown plugin name is an error from
// New, while an unknown filter is skipped and listed by Warnings.
package detectsecrets
