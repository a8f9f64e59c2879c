package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan"
)

// FuzzParse: Parse never panics and fails only with a positioned *Error;
// whatever it accepts is written as a file that reads back to the same
// entries, labels and config, and writing is idempotent. The seed corpus
// in testdata/fuzz/FuzzParse holds the small real baselines and broken
// variants of them.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b1, err := Parse("fuzz", data)
		if err != nil {
			var be *Error
			if !errors.As(err, &be) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if be.Line < 1 || be.Column < 1 || be.File != "fuzz" {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		out := b1.Marshal(WriteOptions{})
		b2, err := Parse("marshalled", out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		if !sameEntries(b1.Results, b2.Results) {
			t.Fatalf("entries changed through Marshal→Parse\nfirst:  %+v\nsecond: %+v", b1.Results, b2.Results)
		}
		if !sameConfig(b1.Config, b2.Config) {
			t.Fatalf("config changed through Marshal→Parse\nfirst:  %+v\nsecond: %+v", b1.Config, b2.Config)
		}
		if b2.Upgraded || b2.Version != CurrentVersion && b2.Version != b1.Version {
			t.Fatalf("re-read file: Upgraded=%v Version=%q (first %q)", b2.Upgraded, b2.Version, b1.Version)
		}
		if again := b2.Marshal(WriteOptions{}); !bytes.Equal(again, out) {
			t.Fatalf("Marshal is not stable:\n%s", firstDiff(out, again))
		}
		slim := b1.Marshal(WriteOptions{Slim: true})
		if _, err := Parse("slim", slim); err != nil {
			t.Fatalf("slim output does not parse: %v", err)
		}

		// The other views must not panic either, and every entry must be
		// known to Classify.
		_, _ = b1.Excludes()
		for _, p := range b1.Plugins {
			_ = p.Options()
		}
		fs := make([]scan.Finding, 0, len(b1.Results))
		for _, e := range b1.Results {
			if e.HashedSecret != "" {
				fs = append(fs, scan.Finding{Kind: scan.KindSecret, Type: e.Type, File: e.Filename, HashedSecret: e.HashedSecret})
			}
		}
		b2.Classify(fs)
		for _, fd := range fs {
			if fd.Status != scan.StatusKnown {
				t.Fatalf("entry %q %q not known after a round trip", fd.File, fd.Type)
			}
		}
	})
}

func sameConfig(a, b []ConfigEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Filename != b[i].Filename || a[i].CheckID != b[i].CheckID || a[i].Setting != b[i].Setting || a[i].LineNumber != b[i].LineNumber || len(a[i].Extra) != len(b[i].Extra) {
			return false
		}
	}
	return true
}

// FuzzJSONSyntax compares the hand-written JSON reader with encoding/json
// on what both should agree about: a document without Python's NaN and
// Infinity, without a byte-order mark, in valid UTF-8 and not nested
// deeper than our limit, is accepted by one exactly when by the other.
func FuzzJSONSyntax(f *testing.F) {
	for _, s := range []string{`[1e400]`, `{}`, `[1, 2.5e3, -0, "a\u00e9\ud83d\ude00"]`, `{"a": [true, false, null]}`, `[01]`, `[1.]`, `{"a":1,}`, `"\x"`, "[\"\t\"]", `[1e]`, `[-]`, ` {"a" : { } } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Infinity")) ||
			bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || !utf8.Valid(data) ||
			bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) >= maxDepth {
			return
		}
		v, serr := parseJSON(data)
		ours, theirs := serr == nil, json.Valid(data)
		if ours != theirs {
			t.Fatalf("parseJSON accepts=%v, encoding/json accepts=%v (err %v)", ours, theirs, serr)
		}
		if !ours {
			return
		}
		// Our Python-style output is valid JSON that encoding/json reads as
		// the same value.
		out := appendPyValue(nil, &v, 0)
		var a, b any
		if err := json.Unmarshal(data, &a); err != nil {
			return // a number out of float64 range: Python writes Infinity
		}
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("Python-style output is not JSON: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalizeNumbers(a), normalizeNumbers(b)) {
			t.Fatalf("value changed:\n%s\n%s", data, out)
		}
	})
}

// normalizeNumbers makes 1 and 1.0 compare equal (Python may print ints
// read as floats with ".0") and drops the -0/0 distinction.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		if x == 0 {
			return 0.0
		}
		return x
	case []any:
		for i := range x {
			x[i] = normalizeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeNumbers(x[k])
		}
	}
	return v
}
