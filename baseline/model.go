package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// CurrentVersion is the detect-secrets version whose layout Marshal writes
// and which Update (and the upgrade of pre-1.1 files) records in "version".
const CurrentVersion = "1.5.0"

// ConfigKey is the top-level key holding accepted CoderClaw config findings.
// detect-secrets ignores top-level keys it does not know, so the file stays
// readable by it.
const ConfigKey = "clawgate_config_findings"

// File is a parsed .secrets.baseline.
//
// Marshal writes Version and GeneratedAt as they are, so an unchanged file
// is written back byte for byte; only Update sets them anew.
type File struct {
	// Version is the "version" key. After Parse upgraded a pre-1.1 file it is
	// CurrentVersion, because the file now has the 1.x layout and writing an
	// old version next to it would make detect-secrets upgrade it twice.
	// Empty means the file had none; Marshal then writes CurrentVersion.
	Version string
	// SourceVersion is the "version" the file had when read ("" if none).
	SourceVersion string
	// Upgraded is true when Parse turned an old layout (exclude, word_list,
	// base64_limit, ... before detect-secrets 1.1) into the current one.
	Upgraded bool

	// Plugins and Filters are plugins_used and filters_used, each entry kept
	// verbatim so that options this package does not know survive.
	Plugins []Plugin
	Filters []Filter

	// Results holds one Entry per (filename, hashed_secret, type), sorted by
	// filename, then line number, hashed secret and type — the order in
	// which detect-secrets writes them.
	Results []Entry

	// Config holds the accepted CoderClaw config findings, sorted by
	// filename, check id and setting.
	Config []ConfigEntry

	// GeneratedAt is "generated_at" ("" when absent, as in --slim files).
	GeneratedAt string

	// Extra holds top-level keys this package does not know, verbatim and in
	// file order. Marshal writes them just before generated_at.
	Extra []Field
}

// Entry is one result: a secret accepted into the baseline.
type Entry struct {
	Type         string
	Filename     string
	HashedSecret string
	IsVerified   bool
	// LineNumber is a hint for humans and for label migration; it never
	// decides whether a finding is known. 0 means absent.
	LineNumber int
	// IsSecret is the audit label: nil unaudited, false a false positive,
	// true a real secret.
	IsSecret *bool
	// Extra holds per-entry keys other tools wrote (the IBM fork's
	// verified_result, old line_position, ...). Marshal writes them after
	// is_secret, in this order. detect-secrets 1.x drops such keys when it
	// rewrites the file; we keep them because a fork may need them.
	Extra []Field
}

// ConfigEntry is one accepted CoderClaw config finding. Its identity is
// (Filename, CheckID, Setting).
type ConfigEntry struct {
	Filename   string
	CheckID    string
	Setting    string
	LineNumber int
	Extra      []Field
}

// Field is a JSON object member kept verbatim.
type Field struct {
	Key   string
	Value json.RawMessage
}

// Plugin is one plugins_used entry. It is kept as the JSON object that was
// read, so unknown plugins and options round-trip exactly.
type Plugin struct {
	name string
	raw  []byte
}

// Filter is one filters_used entry, kept verbatim like Plugin.
type Filter struct {
	path string
	raw  []byte
}

// Well-known filter paths.
const (
	FilterExcludeFiles   = "detect_secrets.filters.regex.should_exclude_file"
	FilterExcludeLines   = "detect_secrets.filters.regex.should_exclude_line"
	FilterExcludeSecrets = "detect_secrets.filters.regex.should_exclude_secret"
	FilterWordlist       = "detect_secrets.filters.wordlist.should_exclude_secret"
)

// NewPlugin makes a Plugin from a JSON object that has a string "name".
func NewPlugin(raw []byte) (Plugin, error) {
	_, name, err := objectWithString(raw, "name")
	if err != nil {
		return Plugin{}, fmt.Errorf("plugin: %w", err)
	}
	return Plugin{name: name, raw: bytes.Clone(raw)}, nil
}

// NewFilter makes a Filter from a JSON object that has a string "path".
func NewFilter(raw []byte) (Filter, error) {
	_, path, err := objectWithString(raw, "path")
	if err != nil {
		return Filter{}, fmt.Errorf("filter: %w", err)
	}
	return Filter{path: path, raw: bytes.Clone(raw)}, nil
}

// NewRegexFilter builds a regex filter entry as detect-secrets writes it:
// {"path": path, "pattern": [patterns...]}.
func NewRegexFilter(path string, patterns []string) Filter {
	var b []byte
	b = append(b, `{"path": `...)
	b = appendPyString(b, path)
	b = append(b, `, "pattern": [`...)
	for i, p := range patterns {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPyString(b, p)
	}
	b = append(b, "]}"...)
	return Filter{path: path, raw: b}
}

func objectWithString(raw []byte, key string) (jvalue, string, error) {
	v, serr := parseJSON(raw)
	if serr != nil {
		return v, "", fmt.Errorf("invalid JSON: %s", serr.msg)
	}
	if v.kind != jObject {
		return v, "", fmt.Errorf("expected a JSON object, found %s", v.kind)
	}
	m := lastMember(&v, key)
	if m == nil || m.val.kind != jString {
		return v, "", fmt.Errorf("expected a string %q", key)
	}
	return v, m.val.str, nil
}

// Name is the plugin's class name, e.g. "AWSKeyDetector".
func (p Plugin) Name() string { return p.name }

// Raw is the plugin's JSON object as read. Do not modify it.
func (p Plugin) Raw() json.RawMessage { return p.raw }

// Options returns the plugin's settings other than its name, decoded with
// numbers as json.Number (so 3 and 3.0 stay apart).
func (p Plugin) Options() map[string]any { return options(p.raw, "name") }

// Path is the filter's Python import path (or file://... for custom ones).
func (f Filter) Path() string { return f.path }

// Raw is the filter's JSON object as read. Do not modify it.
func (f Filter) Raw() json.RawMessage { return f.raw }

// Options returns the filter's settings other than its path.
func (f Filter) Options() map[string]any { return options(f.raw, "path") }

// Patterns returns the "pattern" setting of a regex filter. detect-secrets
// 1.x writes a list; a pre-1.0 development release wrote a single string,
// which is accepted too. ok is false when there is no usable pattern list.
func (f Filter) Patterns() (patterns []string, ok bool) {
	v, serr := parseJSON(f.raw)
	if serr != nil || v.kind != jObject {
		return nil, false
	}
	m := lastMember(&v, "pattern")
	if m == nil {
		return nil, false
	}
	switch m.val.kind {
	case jString:
		return []string{m.val.str}, true
	case jArray:
		for _, k := range m.val.kids {
			if k.val.kind != jString {
				return nil, false
			}
			patterns = append(patterns, k.val.str)
		}
		return patterns, true
	}
	return nil, false
}

func options(raw []byte, skip string) map[string]any {
	v, serr := parseJSON(raw)
	if serr != nil || v.kind != jObject {
		return nil
	}
	out := map[string]any{}
	for _, m := range v.kids {
		if m.key != skip {
			out[m.key] = toAny(&m.val)
		}
	}
	return out
}

func toAny(v *jvalue) any {
	switch v.kind {
	case jBool:
		return v.b
	case jNumber:
		return json.Number(v.str)
	case jString:
		return v.str
	case jArray:
		out := make([]any, len(v.kids))
		for i := range v.kids {
			out[i] = toAny(&v.kids[i].val)
		}
		return out
	case jObject:
		out := make(map[string]any, len(v.kids))
		for i := range v.kids {
			out[v.kids[i].key] = toAny(&v.kids[i].val)
		}
		return out
	}
	return nil
}

// lastMember finds key in an object; the last one wins, as in Python.
func lastMember(v *jvalue, key string) *jmember {
	for i := len(v.kids) - 1; i >= 0; i-- {
		if v.kids[i].key == key {
			return &v.kids[i]
		}
	}
	return nil
}

// NormalizePath is how filenames are compared: '\' becomes '/', and
// leading "./" are removed. Baselines written on Windows use '\'; findings
// always use '/'.
func NormalizePath(name string) string {
	if strings.IndexByte(name, '\\') >= 0 {
		name = strings.ReplaceAll(name, `\`, "/")
	}
	for strings.HasPrefix(name, "./") {
		name = strings.TrimLeft(name[2:], "/")
	}
	return name
}

// secretID is the identity of a result: detect-secrets compares
// (filename, hashed_secret, type) and deliberately not line numbers.
// Hashes are compared case-insensitively because hand-edited files exist.
type secretID struct{ file, hash, typ string }

func newSecretID(filename, hash, typ string) secretID {
	return secretID{NormalizePath(filename), strings.ToLower(hash), typ}
}

// configID is the identity of a config entry.
type configID struct{ file, check, setting string }

func newConfigID(filename, checkID, setting string) configID {
	return configID{NormalizePath(filename), checkID, setting}
}
