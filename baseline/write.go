package baseline

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/internal/fsutil"
)

// WriteOptions changes how the file is written.
type WriteOptions struct {
	// Slim leaves out generated_at and every line_number, like
	// `detect-secrets scan --slim`, so parallel branches stop conflicting
	// on them. Entries are still ordered by line number first, as
	// detect-secrets does.
	Slim bool
}

// reserved entry keys, written from Entry fields; an Extra field with one of
// these keys is ignored.
var entryKeys = map[string]bool{"type": true, "filename": true, "hashed_secret": true, "is_verified": true, "line_number": true, "is_secret": true}

var configKeys = map[string]bool{"filename": true, "check_id": true, "setting": true, "line_number": true}

var topKeys = map[string]bool{"version": true, "plugins_used": true, "filters_used": true, "results": true, ConfigKey: true, "generated_at": true}

// Marshal writes the file in the detect-secrets 1.x layout, byte for byte as
// Python's json.dumps(baseline, indent=2) + "\n" writes it:
//
//   - keys version, plugins_used, filters_used, results,
//     clawgate_config_findings (only when non-empty), unknown top-level keys,
//     generated_at (not when empty or Slim);
//   - results grouped by filename in sorted order, each file's entries by
//     (line_number, hashed_secret, type); entry keys type, filename,
//     hashed_secret, is_verified, line_number (when non-zero and not Slim),
//     is_secret (when set), then unknown keys;
//   - plugins_used sorted by lowercase name, filters_used by lowercase path,
//     each re-emitted from its verbatim JSON (numbers as Python prints them);
//   - non-ASCII escaped as \uXXXX, '/' not escaped.
//
// Marshal writes f.Version (CurrentVersion when empty) and f.GeneratedAt as
// they are; Update is what sets them anew.
func (f *File) Marshal(opts WriteOptions) []byte {
	if f == nil {
		f = &File{}
	}
	buf := make([]byte, 0, 256+len(f.Results)*220)
	version := f.Version
	if version == "" {
		version = CurrentVersion
	}
	buf = append(buf, "{\n  \"version\": "...)
	buf = appendPyString(buf, version)

	buf = append(buf, ",\n  \"plugins_used\": "...)
	plugins := slices.Clone(f.Plugins)
	slices.SortStableFunc(plugins, func(a, b Plugin) int {
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	})
	raws := make([][]byte, len(plugins))
	for i, p := range plugins {
		raws[i] = p.raw
		if len(p.raw) == 0 {
			raws[i] = rawObject(Field{"name", pyString(p.name)})
		}
	}
	buf = appendRawList(buf, raws)

	buf = append(buf, ",\n  \"filters_used\": "...)
	filters := slices.Clone(f.Filters)
	slices.SortStableFunc(filters, func(a, b Filter) int {
		return strings.Compare(strings.ToLower(a.path), strings.ToLower(b.path))
	})
	raws = raws[:0]
	for _, x := range filters {
		r := x.raw
		if len(r) == 0 {
			r = rawObject(Field{"path", pyString(x.path)})
		}
		raws = append(raws, r)
	}
	buf = appendRawList(buf, raws)

	buf = append(buf, ",\n  \"results\": "...)
	buf = appendResults(buf, f.Results, opts)

	if len(f.Config) > 0 {
		buf = append(buf, ",\n  "...)
		buf = appendPyString(buf, ConfigKey)
		buf = append(buf, ": "...)
		buf = appendConfig(buf, f.Config, opts)
	}

	seen := map[string]bool{}
	for _, x := range f.Extra {
		if topKeys[x.Key] || seen[x.Key] {
			continue
		}
		seen[x.Key] = true
		buf = append(buf, ",\n  "...)
		buf = appendPyString(buf, x.Key)
		buf = append(buf, ": "...)
		buf = appendPyRaw(buf, x.Value, 1)
	}

	if !opts.Slim && f.GeneratedAt != "" {
		buf = append(buf, ",\n  \"generated_at\": "...)
		buf = appendPyString(buf, f.GeneratedAt)
	}
	return append(buf, "\n}\n"...)
}

// appendRawList writes a list of JSON objects at nesting level 1.
func appendRawList(buf []byte, raws [][]byte) []byte {
	if len(raws) == 0 {
		return append(buf, "[]"...)
	}
	buf = append(buf, '[')
	for i, r := range raws {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n    "...)
		buf = appendPyRaw(buf, r, 2)
	}
	return append(buf, "\n  ]"...)
}

// sortedRefs returns pointers to xs's elements in the stable order of
// compare, leaving xs as it is.
func sortedRefs[T any](xs []T, compare func(a, b *T) int) []*T {
	order := make([]*T, len(xs))
	for i := range xs {
		order[i] = &xs[i]
	}
	slices.SortStableFunc(order, compare)
	return order
}

func appendResults(buf []byte, results []Entry, opts WriteOptions) []byte {
	if len(results) == 0 {
		return append(buf, "{}"...)
	}
	order := sortedRefs(results, cmpEntry)
	buf = append(buf, '{')
	for i, e := range order {
		first := i == 0 || order[i-1].Filename != e.Filename
		if first {
			if i > 0 {
				buf = append(buf, "\n    ],"...)
			}
			buf = append(buf, "\n    "...)
			buf = appendPyString(buf, e.Filename)
			buf = append(buf, ": ["...)
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n      {\n        \"type\": "...)
		buf = appendPyString(buf, e.Type)
		buf = append(buf, ",\n        \"filename\": "...)
		buf = appendPyString(buf, e.Filename)
		buf = append(buf, ",\n        \"hashed_secret\": "...)
		buf = appendPyString(buf, e.HashedSecret)
		buf = append(buf, ",\n        \"is_verified\": "...)
		buf = strconv.AppendBool(buf, e.IsVerified)
		if e.LineNumber != 0 && !opts.Slim {
			buf = append(buf, ",\n        \"line_number\": "...)
			buf = strconv.AppendInt(buf, int64(e.LineNumber), 10)
		}
		if e.IsSecret != nil {
			buf = append(buf, ",\n        \"is_secret\": "...)
			buf = strconv.AppendBool(buf, *e.IsSecret)
		}
		buf = appendExtra(buf, e.Extra, entryKeys)
		buf = append(buf, "\n      }"...)
	}
	return append(buf, "\n    ]\n  }"...)
}

func appendConfig(buf []byte, cs []ConfigEntry, opts WriteOptions) []byte {
	order := sortedRefs(cs, cmpConfig)
	buf = append(buf, '[')
	for i, c := range order {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n    {\n      \"filename\": "...)
		buf = appendPyString(buf, c.Filename)
		buf = append(buf, ",\n      \"check_id\": "...)
		buf = appendPyString(buf, c.CheckID)
		buf = append(buf, ",\n      \"setting\": "...)
		buf = appendPyString(buf, c.Setting)
		if c.LineNumber != 0 && !opts.Slim {
			buf = append(buf, ",\n      \"line_number\": "...)
			buf = strconv.AppendInt(buf, int64(c.LineNumber), 10)
		}
		buf = appendExtraAt(buf, c.Extra, configKeys, 3)
		buf = append(buf, "\n    }"...)
	}
	return append(buf, "\n  ]"...)
}

func appendExtra(buf []byte, extra []Field, reserved map[string]bool) []byte {
	return appendExtraAt(buf, extra, reserved, 4)
}

// appendExtraAt writes unknown members of an object nested at level-1.
func appendExtraAt(buf []byte, extra []Field, reserved map[string]bool, level int) []byte {
	var seen map[string]bool
	for _, x := range extra {
		if reserved[x.Key] || seen[x.Key] {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[x.Key] = true
		buf = append(buf, ",\n"...)
		buf = appendIndent(buf, level)
		buf = appendPyString(buf, x.Key)
		buf = append(buf, ": "...)
		buf = appendPyRaw(buf, x.Value, level)
	}
	return buf
}

// WriteFile writes f to path atomically: the bytes go to a temporary file in
// the same directory, which is synced and then renamed over path, so
// readers (and a crash) see either the old file or the new one, never a
// part. The old file's permissions are kept (0644 for a new file); a
// symlink is followed and its target replaced. On any error the old file is
// left untouched.
func WriteFile(path string, f *File, opts WriteOptions) error {
	return writeBytes(path, f.Marshal(opts))
}

// writeBytes is WriteFile for a file already marshalled.
func writeBytes(path string, data []byte) error {
	fail := func(msg string, err error) error {
		return &Error{File: path, Msg: msg + ": " + errText(err), Err: err}
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail("cannot write the baseline", err)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		if !st.Mode().IsRegular() {
			return &Error{File: path, Msg: "cannot write the baseline: not a regular file"}
		}
		mode = st.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail("cannot write the baseline", err)
	}

	err := fsutil.WriteAtomic(target, mode, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	var we *fsutil.WriteError
	if errors.As(err, &we) {
		msg := map[string]string{
			fsutil.StepCreate: "cannot create a temporary file next to the baseline",
			fsutil.StepChmod:  "cannot set the baseline's permissions",
			fsutil.StepSync:   "cannot sync the baseline to disk",
			fsutil.StepRename: "cannot replace the baseline",
		}[we.Step]
		if msg == "" {
			msg = "cannot write the baseline"
		}
		return fail(msg, we.Err)
	}
	return err
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + ": " + le.Err.Error()
	}
	return err.Error()
}
