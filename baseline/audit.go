package baseline

// Audit labels: which entries `clawgate audit` walks, bulk marking and
// the per-type stats. The labels live in Entry.IsSecret; everything here
// reads or sets that field and nothing else, so a labelled file differs
// from the original only in its is_secret lines.

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/coderclaw/clawgate/internal/pathglob"
)

// Label is an entry's audit label, spelled the way the CLI spells it.
type Label string

const (
	// LabelUnlabelled is an entry nobody has audited (no is_secret).
	LabelUnlabelled Label = "unlabelled"
	// LabelFalsePositive may be committed: is_secret false.
	LabelFalsePositive Label = "false-positive"
	// LabelSecret is a real secret: is_secret true.
	LabelSecret Label = "secret"
)

// LabelOf reads an entry's label.
func LabelOf(e *Entry) Label {
	switch {
	case e.IsSecret == nil:
		return LabelUnlabelled
	case *e.IsSecret:
		return LabelSecret
	}
	return LabelFalsePositive
}

// ParseLabel accepts the three labels and a few obvious spellings
// ("fp", "false_positive", "real", "true", "none", "clear").
func ParseLabel(s string) (Label, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false-positive", "false_positive", "falsepositive", "fp", "false":
		return LabelFalsePositive, true
	case "secret", "real", "true":
		return LabelSecret, true
	case "unlabelled", "unlabeled", "none", "clear":
		return LabelUnlabelled, true
	}
	return "", false
}

// isSecret is the is_secret value a label stands for.
func (l Label) isSecret() *bool {
	switch l {
	case LabelSecret:
		t := true
		return &t
	case LabelFalsePositive:
		f := false
		return &f
	}
	return nil
}

// setLabel sets e's label and reports whether it changed.
func setLabel(e *Entry, l Label) bool {
	if LabelOf(e) == l {
		return false
	}
	e.IsSecret = l.isSecret()
	return true
}

// Selector narrows entries by file glob, type and hash. Within one list any
// item may match; every non-empty list must match. The zero Selector
// selects everything.
type Selector struct {
	// Files are globs over the entry's filename ('/'-separated): '*', '?'
	// and '[...]' stay within a path segment, "**" spans any number of
	// segments, and a glob without '/' matches the base name at any depth
	// (as in .gitignore).
	Files []string
	// Types are compared with the entry's type, ignoring case.
	Types []string
	// Hashes are hashed_secret values or prefixes of at least MinHashPrefix
	// hex digits, ignoring case.
	Hashes []string
}

// MinHashPrefix is the shortest hash prefix a Selector accepts: short
// enough to type, long enough not to match by accident.
const MinHashPrefix = 7

// Empty reports whether s selects everything.
func (s Selector) Empty() bool {
	return len(s.Files) == 0 && len(s.Types) == 0 && len(s.Hashes) == 0
}

// Validate rejects malformed globs and hashes, so a typo is an error
// instead of a selection of nothing.
func (s Selector) Validate() error {
	for _, g := range s.Files {
		if g == "" {
			return fmt.Errorf("empty file glob")
		}
		for _, seg := range strings.Split(g, "/") {
			if _, err := path.Match(seg, ""); err != nil {
				return fmt.Errorf("file glob %q: %v", g, err)
			}
		}
	}
	for _, t := range s.Types {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("empty type")
		}
	}
	for _, h := range s.Hashes {
		if len(h) < MinHashPrefix || len(h) > 40 || !isHex(h) {
			return fmt.Errorf("hash %q: want a hashed_secret (40 hex digits) or a prefix of at least %d", h, MinHashPrefix)
		}
	}
	return nil
}

// Match reports whether s selects e.
func (s Selector) Match(e *Entry) bool {
	if len(s.Files) > 0 {
		name := NormalizePath(e.Filename)
		ok := false
		for _, g := range s.Files {
			if pathglob.Match(g, name) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(s.Types) > 0 {
		ok := false
		for _, t := range s.Types {
			if strings.EqualFold(strings.TrimSpace(t), e.Type) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(s.Hashes) > 0 {
		h := strings.ToLower(e.HashedSecret)
		ok := false
		for _, p := range s.Hashes {
			if strings.HasPrefix(h, strings.ToLower(p)) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// AuditQueue lists the entries `clawgate audit` walks, as indexes into
// f.Results in file order: the unlabelled ones (every one with all),
// narrowed by sel.
func AuditQueue(f *File, all bool, sel Selector) []int {
	var q []int
	for i := range f.Results {
		e := &f.Results[i]
		if (all || e.IsSecret == nil) && sel.Match(e) {
			q = append(q, i)
		}
	}
	return q
}

// Mark sets the label of every entry sel selects. matched counts the
// selected entries, changed those whose label was different before.
func (f *File) Mark(sel Selector, l Label) (matched, changed int) {
	for i := range f.Results {
		e := &f.Results[i]
		if !sel.Match(e) {
			continue
		}
		matched++
		if setLabel(e, l) {
			changed++
		}
	}
	return matched, changed
}

// LabelCounts counts entries by label.
type LabelCounts struct {
	Real          int `json:"real"`
	FalsePositive int `json:"false_positive"`
	Unlabelled    int `json:"unlabelled"`
	Total         int `json:"total"`
}

// Add counts one entry with label l.
func (c *LabelCounts) Add(l Label) {
	switch l {
	case LabelSecret:
		c.Real++
	case LabelFalsePositive:
		c.FalsePositive++
	default:
		c.Unlabelled++
	}
	c.Total++
}

// TypeCounts is the LabelCounts of one type.
type TypeCounts struct {
	Type string `json:"type"`
	LabelCounts
}

// AuditStats is what `clawgate audit --stats` prints: labels per type.
// It reads the labels only; nothing is rescanned.
type AuditStats struct {
	// Types is sorted by type.
	Types []TypeCounts `json:"types"`
	Total LabelCounts  `json:"total"`
}

// Stats counts the labels of the entries sel selects, per type.
func (f *File) Stats(sel Selector) AuditStats {
	by := map[string]*TypeCounts{}
	var st AuditStats
	for i := range f.Results {
		e := &f.Results[i]
		if !sel.Match(e) {
			continue
		}
		tc := by[e.Type]
		if tc == nil {
			tc = &TypeCounts{Type: e.Type}
			by[e.Type] = tc
		}
		l := LabelOf(e)
		tc.Add(l)
		st.Total.Add(l)
	}
	st.Types = make([]TypeCounts, 0, len(by))
	for _, tc := range by {
		st.Types = append(st.Types, *tc)
	}
	sort.Slice(st.Types, func(i, j int) bool { return st.Types[i].Type < st.Types[j].Type })
	return st
}

// WriteOptionsFor finds the WriteOptions that reproduce data, the file f was
// parsed from, so a label change rewrites nothing else. exact is false when
// no option does (an old layout, duplicate entries, hand formatting): the
// first write then brings the file to the layout Marshal writes.
func WriteOptionsFor(f *File, data []byte) (opts WriteOptions, exact bool) {
	for _, o := range []WriteOptions{{}, {Slim: true}} {
		if bytes.Equal(f.Marshal(o), data) {
			return o, true
		}
	}
	// Not reproducible: keep the file slim when it was slim.
	slim := f.GeneratedAt == "" && len(f.Results) > 0
	for _, e := range f.Results {
		if e.LineNumber != 0 {
			slim = false
			break
		}
	}
	return WriteOptions{Slim: slim}, false
}
