package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coderclaw/clawgate/internal/fsutil"
)

// Expected strings are what Python's json.dumps(s) prints (ensure_ascii).
func TestPyString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain/path with <>&'", `"plain/path with <>&'"`},
		{`quote " and backslash \`, `"quote \" and backslash \\"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f\u007f"`},
		{"café", `"caf\u00e9"`},
		{"日本", `"\u65e5\u672c"`},
		{"😀", `"\ud83d\ude00"`},
		{"\U0010FFFF", `"\udbff\udfff"`},
		{"\u2028", `"\u2028"`},
		{"\xed\xa0\x80", `"\ud800"`}, // a lone surrogate as the reader keeps it
		{"\xff", `"\ufffd"`},         // invalid UTF-8 (only from callers)
	}
	for _, tt := range tests {
		if got := string(appendPyString(nil, tt.in)); got != tt.want {
			t.Errorf("appendPyString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestLoneSurrogatesRoundTrip(t *testing.T) {
	src := `{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": {"a\udc00b\ud83d": [{"type": "T", "hashed_secret": "h"}]}}`
	f := mustParse(t, src)
	out := string(f.Marshal(WriteOptions{}))
	if !strings.Contains(out, `"a\udc00b\ud83d": [`) {
		t.Errorf("lone surrogates not written back:\n%s", out)
	}
}

// Expected values are what Python 3 prints for json.dumps(json.loads(in)).
func TestPyNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3", "3"},
		{"3.0", "3.0"},
		{"4.5", "4.5"},
		{"3.70", "3.7"},
		{"-0", "0"},
		{"-0.0", "-0.0"},
		{"1E2", "100.0"},
		{"1e16", "1e+16"},
		{"1.5e16", "1.5e+16"},
		{"9999999999999998.0", "9999999999999998.0"},
		{"0.0001", "0.0001"},
		{"0.00001", "1e-05"},
		{"1e400", "Infinity"},
		{"-1e400", "-Infinity"},
		{"1e-400", "0.0"},
		{"-1e-400", "-0.0"},
		{"5e-324", "5e-324"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"123456789012345678901234567890.5", "1.2345678901234568e+29"},
		{"0.1", "0.1"},
		{"NaN", "NaN"},
		{"-Infinity", "-Infinity"},
	}
	for _, tt := range tests {
		if got := pyNumber(tt.in); got != tt.want {
			t.Errorf("pyNumber(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMarshalEmptyFile(t *testing.T) {
	f := &File{GeneratedAt: "2024-05-01T10:00:00Z"}
	want := "{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [],\n  \"filters_used\": [],\n  \"results\": {},\n  \"generated_at\": \"2024-05-01T10:00:00Z\"\n}\n"
	if got := string(f.Marshal(WriteOptions{})); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	wantSlim := "{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [],\n  \"filters_used\": [],\n  \"results\": {}\n}\n"
	if got := string(f.Marshal(WriteOptions{Slim: true})); got != wantSlim {
		t.Errorf("slim got:\n%s\nwant:\n%s", got, wantSlim)
	}
}

// constructedFile has everything out of order and every optional part.
func constructedFile(t *testing.T) *File {
	t.Helper()
	plugin := func(s string) Plugin {
		p, err := NewPlugin([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	filter := func(s string) Filter {
		x, err := NewFilter([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	return &File{
		Version:     "1.5.0",
		GeneratedAt: "2024-05-01T10:00:00Z",
		Plugins: []Plugin{
			plugin(`{"name": "KeywordDetector", "keyword_exclude": ""}`),
			plugin(`{"name":"HexHighEntropyString","limit":3.0}`),
			plugin(`{"name": "AWSKeyDetector"}`),
			plugin(`{"name": "ArtifactoryDetector"}`),
			plugin(`{"name": "MyCustom", "path": "file:///tmp/x.py", "opts": {"b": [1, 2.50, 1e2, true, null], "a": {}, "c": []}, "note": "caf\u00e9"}`),
		},
		Filters: []Filter{
			filter(`{"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": ["^vendor/", "\\.lock$"]}`),
			filter(`{"path": "Detect_Secrets.filters.allowlist.is_line_allowlisted"}`),
			filter(`{"path": "detect_secrets.filters.gibberish.should_exclude_secret", "limit": 3.7}`),
		},
		Results: []Entry{
			{Type: "Secret Keyword", Filename: "z.py", HashedSecret: "bbb", LineNumber: 2},
			{Type: "AWS Access Key", Filename: "a/b.py", HashedSecret: "ccc", LineNumber: 10, IsSecret: boolp(true), IsVerified: true},
			{Type: "AWS Access Key", Filename: "a/b.py", HashedSecret: "aaa", LineNumber: 10},
			{Type: "Private Key", Filename: "a/b.py", HashedSecret: "aaa", LineNumber: 10, IsSecret: boolp(false)},
			{Type: "Secret Keyword", Filename: "a/b.py", HashedSecret: "fff", LineNumber: 0, Extra: []Field{{"verified_result", []byte("null")}, {"x", []byte(`{"k":[1,2]}`)}, {"type", []byte(`"ignored"`)}}},
			{Type: "Secret Keyword", Filename: "docs/café.md", HashedSecret: "ddd", LineNumber: 1},
		},
		Config: []ConfigEntry{
			{Filename: "coderclaw.json", CheckID: "gateway.bind-public", Setting: "gateway.bind", LineNumber: 12},
			{Filename: "coderclaw.json", CheckID: "auth.none", Setting: "", LineNumber: 3},
		},
		Extra: []Field{{"custom_plugin_paths", []byte(`["a.py"]`)}, {"generated_at", []byte(`"ignored"`)}},
	}
}

func TestMarshalGolden(t *testing.T) {
	f := constructedFile(t)
	out := f.Marshal(WriteOptions{})
	checkGolden(t, "testdata/golden/constructed.json", out)
	slim := f.Marshal(WriteOptions{Slim: true})
	checkGolden(t, "testdata/golden/constructed.slim.json", slim)
	for i, py := range pythonDumps(t, out, slim) {
		if b := [][]byte{out, slim}[i]; !bytes.Equal(py, b) {
			t.Errorf("differs from Python's json.dumps:\n%s", firstDiff(py, b))
		}
	}
}

// TestMarshalLayout states the layout rules one by one, so a golden file
// refreshed by mistake cannot hide a regression.
func TestMarshalLayout(t *testing.T) {
	f := constructedFile(t)
	out := string(f.Marshal(WriteOptions{}))
	slim := string(f.Marshal(WriteOptions{Slim: true}))

	order := func(s string, parts ...string) bool {
		at := 0
		for _, p := range parts {
			i := strings.Index(s[at:], p)
			if i < 0 {
				return false
			}
			at += i + len(p)
		}
		return true
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"top-level key order", order(out, `"version"`, `"plugins_used"`, `"filters_used"`, `"results"`, `"clawgate_config_findings"`, `"custom_plugin_paths"`, `"generated_at"`)},
		{"generated_at is the last key", strings.HasSuffix(out, "  \"generated_at\": \"2024-05-01T10:00:00Z\"\n}\n")},
		{"plugins sorted by lowercase name", order(out, `"ArtifactoryDetector"`, `"AWSKeyDetector"`, `"HexHighEntropyString"`, `"KeywordDetector"`, `"MyCustom"`)},
		{"filters sorted by lowercase path", order(out, `"Detect_Secrets.filters.allowlist`, `gibberish`, `regex.should_exclude_file`)},
		{"files sorted", order(out, `"a/b.py": [`, `"docs/caf\u00e9.md": [`, `"z.py": [`)},
		{"entries by line (0 first), hash, type", order(out, `"fff"`, `"aaa",`, `"Private Key"`, `"ccc"`)},
		{"AWS before Private Key for the same hash and line", order(out, `"type": "AWS Access Key",`+"\n"+`        "filename": "a/b.py",`+"\n"+`        "hashed_secret": "aaa"`, `"type": "Private Key"`)},
		{"entry key order", strings.Contains(out, "{\n        \"type\": \"AWS Access Key\",\n        \"filename\": \"a/b.py\",\n        \"hashed_secret\": \"ccc\",\n        \"is_verified\": true,\n        \"line_number\": 10,\n        \"is_secret\": true\n      }")},
		{"no line_number when 0, extra keys after", strings.Contains(out, "\"hashed_secret\": \"fff\",\n        \"is_verified\": false,\n        \"verified_result\": null,\n        \"x\": {\n          \"k\": [\n            1,\n            2\n          ]\n        }\n      }")},
		{"reserved extra key not written", !strings.Contains(out, `"ignored"`)},
		{"no is_secret when unset", !strings.Contains(out, "\"hashed_secret\": \"bbb\",\n        \"is_verified\": false,\n        \"line_number\": 2,\n        \"is_secret\"")},
		{"plugin numbers as Python writes them", strings.Contains(out, "\"limit\": 3.0\n") && strings.Contains(out, "2.5,\n") && strings.Contains(out, "100.0,\n")},
		{"nested empty containers", strings.Contains(out, "\"a\": {},\n") && strings.Contains(out, "\"c\": []\n")},
		{"non-ASCII escaped", strings.Contains(out, `"caf\u00e9"`) && !strings.Contains(out, "é")},
		{"config entries sorted, setting always, line when set", strings.Contains(out, "  \"clawgate_config_findings\": [\n    {\n      \"filename\": \"coderclaw.json\",\n      \"check_id\": \"auth.none\",\n      \"setting\": \"\",\n      \"line_number\": 3\n    },\n    {\n      \"filename\": \"coderclaw.json\",\n      \"check_id\": \"gateway.bind-public\"")},
		{"slim: no generated_at", !strings.Contains(slim, "generated_at")},
		{"slim: no line_number", !strings.Contains(slim, "line_number")},
		{"slim: still ordered by line", order(slim, `"fff"`, `"aaa",`, `"ccc"`)},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s\n%s", c.name, out)
		}
	}

	if strings.Contains(string((&File{Results: f.Results}).Marshal(WriteOptions{})), ConfigKey) {
		t.Error("clawgate_config_findings written although empty")
	}
}

func TestMarshalDoesNotModifyFile(t *testing.T) {
	f := constructedFile(t)
	before := fmt.Sprintf("%+v", *f)
	f.Marshal(WriteOptions{})
	if after := fmt.Sprintf("%+v", *f); before != after {
		t.Error("Marshal reordered or changed the File")
	}
}

func writeString(t *testing.T, path, s string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	f := constructedFile(t)
	want := f.Marshal(WriteOptions{})

	t.Run("new file gets 0644 and exactly Marshal's bytes", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, ".secrets.baseline")
		if err := WriteFile(p, f, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		st, _ := os.Stat(p)
		if !bytes.Equal(got, want) || st.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, content equal %v", st.Mode().Perm(), bytes.Equal(got, want))
		}
		if names := dirEntries(t, dir); len(names) != 1 {
			t.Errorf("temporary files left behind: %v", names)
		}
	})
	t.Run("existing file keeps its mode", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, ".secrets.baseline")
		writeString(t, p, "old", 0o600)
		if err := WriteFile(p, f, WriteOptions{Slim: true}); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		got, _ := os.ReadFile(p)
		if st.Mode().Perm() != 0o600 || !bytes.Equal(got, f.Marshal(WriteOptions{Slim: true})) {
			t.Errorf("mode %v, content %q...", st.Mode().Perm(), got[:20])
		}
	})
	t.Run("symlink is followed, link kept", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real.baseline")
		writeString(t, real, "old", 0o640)
		link := filepath.Join(dir, ".secrets.baseline")
		if err := os.Symlink("real.baseline", link); err != nil {
			t.Skip("no symlinks:", err)
		}
		if err := WriteFile(link, f, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
			t.Error("symlink replaced by a file")
		}
		got, _ := os.ReadFile(real)
		if !bytes.Equal(got, want) {
			t.Error("target not written")
		}
	})
	t.Run("failed rename leaves the old file and no temp file", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, ".secrets.baseline")
		writeString(t, p, "old content", 0o644)
		fsutil.Rename = func(string, string) error { return errors.New("disk on fire") }
		defer func() { fsutil.Rename = os.Rename }()
		err := WriteFile(p, f, WriteOptions{})
		var be *Error
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "disk on fire") || be.File != p {
			t.Fatalf("err = %v", err)
		}
		if got, _ := os.ReadFile(p); string(got) != "old content" {
			t.Errorf("old file changed: %q", got)
		}
		if names := dirEntries(t, dir); len(names) != 1 {
			t.Errorf("temporary files left behind: %v", names)
		}
	})
	t.Run("errors", func(t *testing.T) {
		dir := t.TempDir()
		for _, p := range []string{
			dir, // a directory
			filepath.Join(dir, "missing", ".secrets.baseline"), // no such directory
		} {
			if err := WriteFile(p, f, WriteOptions{}); err == nil {
				t.Errorf("WriteFile(%s) succeeded", p)
			}
		}
		if names := dirEntries(t, dir); len(names) != 0 {
			t.Errorf("left behind: %v", names)
		}
	})
}

// TestWriteFileConcurrent: writers racing on one path never leave a partial
// file; a reader always sees one complete version.
func TestWriteFileConcurrent(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".secrets.baseline")
	const writers, rounds = 8, 25
	variants := make([][]byte, writers)
	files := make([]*File, writers)
	for w := range files {
		f := &File{Version: CurrentVersion, GeneratedAt: "2024-01-01T00:00:00Z"}
		for i := 0; i < 200*(w+1); i++ { // different sizes
			f.Results = append(f.Results, Entry{Type: "T", Filename: fmt.Sprintf("f%d/%05d.py", w, i), HashedSecret: fmt.Sprintf("%040d", i), LineNumber: i + 1})
		}
		files[w] = f
		variants[w] = f.Marshal(WriteOptions{})
	}
	if err := WriteFile(p, files[0], WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	isVariant := func(b []byte) bool {
		for _, v := range variants {
			if bytes.Equal(b, v) {
				return true
			}
		}
		return false
	}

	var wg sync.WaitGroup
	stop := make(chan struct{})
	readerErr := make(chan error, 1)
	go func() {
		defer close(readerErr)
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(p)
			if err != nil {
				readerErr <- err
				return
			}
			if !isVariant(b) {
				readerErr <- fmt.Errorf("reader saw a partial or mixed file (%d bytes)", len(b))
				return
			}
		}
	}()
	errs := make(chan error, writers*rounds)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				if err := WriteFile(p, files[w], WriteOptions{}); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := <-readerErr; err != nil {
		t.Error(err)
	}
	final, _ := os.ReadFile(p)
	if !isVariant(final) {
		t.Error("final file is not one complete version")
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("temporary files left behind: %v", names)
	}
}
