package baseline

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// realBaselines lists the corpus; the test fails if files go missing, so
// "every real baseline" cannot silently become "none".
func realBaselines(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/real/*.secrets.baseline")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 14 {
		t.Fatalf("expected the 14 real baselines of SOURCES.md, found %d", len(paths))
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".secrets.baseline")] = data
	}
	return out
}

// corpusFacts are taken from testdata/real/SOURCES.md (counted there from
// the files with Python), not from this package's output.
var corpusFacts = map[string]struct {
	version                     string
	results, files              int
	secretTrue, secretFalse     int // -1: not stated
	verified                    int
	legacy                      bool
	excludeFile, excludeLine    bool
	extraEntryKey               string
	noTrailingNewline, allFalse bool
}{
	"dod-ccpo__atst__0.12.5":    {version: "0.12.5", results: 20, files: 17, allFalse: true, legacy: true, excludeFile: true},
	"NCI-GDC__psqlgraph":        {version: "0.13.0", results: 5, files: 5, secretTrue: 1, secretFalse: 4, legacy: true},
	"uc-cdis__data-portal":      {version: "0.13.1", results: 4, files: 4, allFalse: true, legacy: true, excludeFile: true, excludeLine: true, noTrailingNewline: true},
	"dod-ccpo__atst":            {version: "0.14.3", results: 1255, files: 18, secretFalse: 8, legacy: true, excludeFile: true},
	"Yelp__Tron":                {version: "1.1.0", results: 4, files: 3, excludeFile: true},
	"GSA__notifications-api":    {version: "1.2.0", results: 32, files: 22},
	"Yelp__detect-secrets":      {version: "1.3.0", results: 16, files: 4, excludeFile: true},
	"mitodl__mitxonline":        {version: "1.4.0", results: 14, files: 12, excludeFile: true},
	"uc-cdis__cloud-automation": {version: "1.4.0", results: 469, files: 166, secretFalse: 46, excludeFile: true},
	"18F__identity-idp":         {version: "1.5.0", results: 5, files: 4, excludeFile: true},
	"18F__identity-terraform":   {version: "1.5.0", results: 3, files: 3, excludeLine: true},
	"uc-cdis__gen3-helm":        {version: "1.5.0", results: 87, files: 50, secretTrue: 2, secretFalse: 11, excludeFile: true},
	"kedro-org__kedro":          {version: "1.5.0", results: 11, files: 7},
	"IBM__mcp-context-forge":    {version: "0.13.1+ibm.64.dss", results: 1120, files: 423, verified: 6, allFalse: true, legacy: true, excludeFile: true, extraEntryKey: "verified_result"},
}

func TestRealBaselinesMatchSources(t *testing.T) {
	for name, data := range realBaselines(t) {
		t.Run(name, func(t *testing.T) {
			want, ok := corpusFacts[name]
			if !ok {
				t.Fatalf("no facts for %s", name)
			}
			f, err := Parse(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if f.SourceVersion != want.version {
				t.Errorf("SourceVersion = %q, want %q", f.SourceVersion, want.version)
			}
			if f.Upgraded != want.legacy {
				t.Errorf("Upgraded = %v, want %v", f.Upgraded, want.legacy)
			}
			if want.legacy && f.Version != CurrentVersion {
				t.Errorf("upgraded file has Version %q, want %q", f.Version, CurrentVersion)
			}
			if len(f.Results) != want.results {
				t.Errorf("%d results, want %d", len(f.Results), want.results)
			}
			files := map[string]bool{}
			var nTrue, nFalse, nVerified, nExtra int
			for _, e := range f.Results {
				files[e.Filename] = true
				if e.IsSecret != nil && *e.IsSecret {
					nTrue++
				}
				if e.IsSecret != nil && !*e.IsSecret {
					nFalse++
				}
				if e.IsVerified {
					nVerified++
				}
				for _, x := range e.Extra {
					if x.Key == want.extraEntryKey {
						nExtra++
					}
				}
				if e.Type == "" || len(e.HashedSecret) != 40 {
					t.Errorf("entry with empty type or odd hash: %+v", e)
				}
			}
			if len(files) != want.files {
				t.Errorf("%d files, want %d", len(files), want.files)
			}
			if want.allFalse {
				if nFalse != want.results {
					t.Errorf("is_secret false on %d entries, want all %d", nFalse, want.results)
				}
			} else {
				if nTrue != want.secretTrue || nFalse != want.secretFalse {
					t.Errorf("labels true=%d false=%d, want %d/%d", nTrue, nFalse, want.secretTrue, want.secretFalse)
				}
			}
			if nVerified != want.verified {
				t.Errorf("is_verified true on %d, want %d", nVerified, want.verified)
			}
			if want.extraEntryKey != "" && nExtra != want.results {
				t.Errorf("extra key %q kept on %d entries, want %d", want.extraEntryKey, nExtra, want.results)
			}
			if got := hasFilter(f, FilterExcludeFiles); got != want.excludeFile {
				t.Errorf("should_exclude_file present = %v, want %v", got, want.excludeFile)
			}
			if got := hasFilter(f, FilterExcludeLines); got != want.excludeLine {
				t.Errorf("should_exclude_line present = %v, want %v", got, want.excludeLine)
			}
			if want.noTrailingNewline == bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("trailing newline expectation wrong for the input itself")
			}
		})
	}
}

func hasFilter(f *File, path string) bool {
	for _, x := range f.Filters {
		if x.Path() == path {
			return true
		}
	}
	return false
}

// TestRealBaselinesRoundTrip: every 1.x file is rewritten byte for byte;
// every 0.x file becomes the golden 1.x file, which reads back to the same
// entries and labels and is itself stable.
func TestRealBaselinesRoundTrip(t *testing.T) {
	for name, data := range realBaselines(t) {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(name, data)
			if err != nil {
				t.Fatal(err)
			}
			out := f.Marshal(WriteOptions{})
			if !f.Upgraded {
				if !bytes.Equal(out, data) {
					t.Fatalf("1.x file not reproduced byte for byte:\n%s", firstDiff(data, out))
				}
				return
			}
			golden := filepath.Join("testdata", "golden", name+".upgraded.json")
			checkGolden(t, golden, out)

			g, err := Parse(golden, out)
			if err != nil {
				t.Fatalf("upgraded output does not parse: %v", err)
			}
			if g.Upgraded || g.Version != CurrentVersion {
				t.Errorf("upgraded output read as Upgraded=%v Version=%q", g.Upgraded, g.Version)
			}
			if !sameEntries(f.Results, g.Results) {
				t.Errorf("entries or labels changed through the upgrade")
			}
			if again := g.Marshal(WriteOptions{}); !bytes.Equal(again, out) {
				t.Errorf("upgraded output is not stable:\n%s", firstDiff(out, again))
			}
			// Nothing of the old layout may remain.
			for _, k := range []string{`"exclude"`, `"word_list"`, `"base64_limit"`, `"hex_limit"`, `"custom_plugin_paths"`} {
				if bytes.Contains(out, []byte(k)) {
					t.Errorf("upgraded output still has %s", k)
				}
			}
		})
	}
}

// sameEntries compares what a user cares about: identity, labels, line,
// and extra keys (by their Python-style text).
func sameEntries(a, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Type != y.Type || x.Filename != y.Filename || x.HashedSecret != y.HashedSecret ||
			x.IsVerified != y.IsVerified || x.LineNumber != y.LineNumber ||
			(x.IsSecret == nil) != (y.IsSecret == nil) || x.IsSecret != nil && *x.IsSecret != *y.IsSecret {
			return false
		}
		if len(x.Extra) != len(y.Extra) {
			return false
		}
		for j := range x.Extra {
			if x.Extra[j].Key != y.Extra[j].Key ||
				string(appendPyRaw(nil, x.Extra[j].Value, 0)) != string(appendPyRaw(nil, y.Extra[j].Value, 0)) {
				return false
			}
		}
	}
	return true
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, firstDiff(want, got))
	}
}

func firstDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || i >= len(wl) || i >= len(gl) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no difference in lines)"
}

// pythonDumps runs Python's json.dumps(json.loads(doc), indent=2) + "\n"
// on each document, in one Python process. It lets the tests check the
// writer against Python itself where Python is installed; without it those
// checks are skipped.
func pythonDumps(t *testing.T, docs ...[]byte) [][]byte {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed: skipping the check against Python's json module")
	}
	const script = `import json,sys
docs = sys.stdin.buffer.read().decode('utf-8','surrogatepass').split('\0')
sys.stdout.buffer.write('\0'.join(json.dumps(json.loads(d), indent=2) + '\n' for d in docs).encode('utf-8','surrogatepass'))`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(bytes.Join(docs, []byte{0}))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	res := bytes.Split(out, []byte{0})
	if len(res) != len(docs) {
		t.Fatalf("python3 returned %d documents for %d", len(res), len(docs))
	}
	return res
}

// TestMarshalMatchesPython feeds every written baseline (the upgraded 0.x
// ones above all) through Python's json module and expects the same bytes.
func TestMarshalMatchesPython(t *testing.T) {
	var names []string
	var docs [][]byte
	for name, data := range realBaselines(t) {
		f, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, slim := range []bool{false, true} {
			names = append(names, name+map[bool]string{false: "", true: " (slim)"}[slim])
			docs = append(docs, f.Marshal(WriteOptions{Slim: slim}))
		}
	}
	for i, py := range pythonDumps(t, docs...) {
		if !bytes.Equal(py, docs[i]) {
			t.Errorf("%s: differs from Python's json.dumps:\n%s", names[i], firstDiff(py, docs[i]))
		}
	}
}
