package baseline

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("test.baseline", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func boolp(b bool) *bool { return &b }

func filterPaths(f *File) []string {
	var out []string
	for _, x := range f.Filters {
		out = append(out, x.Path())
	}
	return out
}

func filterByPath(f *File, path string) (Filter, bool) {
	for _, x := range f.Filters {
		if x.Path() == path {
			return x, true
		}
	}
	return Filter{}, false
}

func TestParseLayouts(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, f *File)
	}{
		{
			name: "1.x without trailing newline, generated_at or version",
			src:  `{"plugins_used": [], "filters_used": [], "results": {"a.py": [{"type": "Secret Keyword", "filename": "a.py", "hashed_secret": "aa", "is_verified": false, "line_number": 3}]}}`,
			check: func(t *testing.T, f *File) {
				if f.Version != "" || f.GeneratedAt != "" || f.Upgraded {
					t.Errorf("Version=%q GeneratedAt=%q Upgraded=%v", f.Version, f.GeneratedAt, f.Upgraded)
				}
				if len(f.Results) != 1 || f.Results[0].LineNumber != 3 || f.Results[0].IsSecret != nil {
					t.Errorf("results = %+v", f.Results)
				}
				if out := string(f.Marshal(WriteOptions{})); !strings.HasPrefix(out, "{\n  \"version\": \"1.5.0\",") || strings.Contains(out, "generated_at") {
					t.Errorf("a file without version must be written with %s and without generated_at:\n%s", CurrentVersion, out)
				}
			},
		},
		{
			name: "labels, is_verified true, null is_secret, extra keys kept in order",
			src: `{"version": "1.4.0", "plugins_used": [], "filters_used": [], "results": {"x": [
				{"type": "T", "hashed_secret": "h1", "is_verified": true, "is_secret": true, "verified_result": null, "line_position": 7},
				{"type": "T", "hashed_secret": "h2", "is_verified": false, "is_secret": null, "line_number": null}]}}`,
			check: func(t *testing.T, f *File) {
				a, b := f.Results[0], f.Results[1]
				if !a.IsVerified || a.IsSecret == nil || !*a.IsSecret {
					t.Errorf("first entry labels lost: %+v", a)
				}
				if len(a.Extra) != 2 || a.Extra[0].Key != "verified_result" || string(a.Extra[0].Value) != "null" || a.Extra[1].Key != "line_position" || string(a.Extra[1].Value) != "7" {
					t.Errorf("extra keys = %+v", a.Extra)
				}
				if b.IsSecret != nil || b.LineNumber != 0 {
					t.Errorf("null is_secret/line_number must read as unset: %+v", b)
				}
				if a.Filename != "x" {
					t.Errorf("filename must come from the results key, got %q", a.Filename)
				}
			},
		},
		{
			name: "0.13 layout: exclude files and lines, word_list, renamed limits",
			src: `{"exclude": {"files": "^vendor/", "lines": "integrity"}, "generated_at": "2020-01-01T00:00:00Z",
				"plugins_used": [{"base64_limit": 4.5, "name": "Base64HighEntropyString"}, {"hex_limit": 3, "name": "HexHighEntropyString"}, {"name": "KeywordDetector", "keyword_exclude": null}],
				"results": {}, "version": "0.13.1", "word_list": {"file": "words.txt", "hash": "abc"}}`,
			check: func(t *testing.T, f *File) {
				if !f.Upgraded || f.Version != CurrentVersion || f.SourceVersion != "0.13.1" || f.GeneratedAt != "2020-01-01T00:00:00Z" {
					t.Errorf("Upgraded=%v Version=%q Source=%q GeneratedAt=%q", f.Upgraded, f.Version, f.SourceVersion, f.GeneratedAt)
				}
				if x, ok := filterByPath(f, FilterExcludeFiles); !ok {
					t.Error("exclude.files not upgraded")
				} else if p, _ := x.Patterns(); len(p) != 1 || p[0] != "^vendor/" {
					t.Errorf("file patterns = %q", p)
				}
				if x, ok := filterByPath(f, FilterExcludeLines); !ok {
					t.Error("exclude.lines not upgraded")
				} else if p, _ := x.Patterns(); len(p) != 1 || p[0] != "integrity" {
					t.Errorf("line patterns = %q", p)
				}
				if x, ok := filterByPath(f, FilterWordlist); !ok {
					t.Error("word_list not upgraded")
				} else {
					o := x.Options()
					if o["file_name"] != "words.txt" || o["file_hash"] != "abc" || o["min_length"] != jsonNumber("3") {
						t.Errorf("wordlist options = %v", o)
					}
				}
				for _, p := range []string{"detect_secrets.filters.heuristic.is_lock_file", "detect_secrets.filters.allowlist.is_line_allowlisted", filterVerificationPolicy} {
					if _, ok := filterByPath(f, p); !ok {
						t.Errorf("default filter %s missing after upgrade", p)
					}
				}
				if o := f.Plugins[0].Options(); o["limit"] != jsonNumber("4.5") || o["base64_limit"] != nil {
					t.Errorf("Base64HighEntropyString options = %v", o)
				}
				if o := f.Plugins[1].Options(); o["limit"] != jsonNumber("3") || o["hex_limit"] != nil {
					t.Errorf("HexHighEntropyString options = %v", o)
				}
				if string(f.Plugins[2].Raw()) != `{"name": "KeywordDetector", "keyword_exclude": null}` {
					t.Errorf("an unrelated plugin must stay verbatim, got %s", f.Plugins[2].Raw())
				}
				if len(f.Extra) != 0 {
					t.Errorf("old keys must be consumed, Extra = %+v", f.Extra)
				}
			},
		},
		{
			name: "0.9 layout: exclude_regex, no word_list",
			src:  `{"exclude_regex": "test.*", "plugins_used": [], "results": {}, "version": "0.9.1"}`,
			check: func(t *testing.T, f *File) {
				x, ok := filterByPath(f, FilterExcludeFiles)
				if !ok {
					t.Fatalf("exclude_regex not upgraded: %v", filterPaths(f))
				}
				if p, _ := x.Patterns(); len(p) != 1 || p[0] != "test.*" {
					t.Errorf("patterns = %q", p)
				}
				if _, ok := filterByPath(f, FilterWordlist); ok {
					t.Error("no word list filter expected")
				}
			},
		},
		{
			name: "0.x with null exclude parts and empty custom_plugin_paths",
			src:  `{"custom_plugin_paths": [], "exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.14.3", "word_list": {"file": null, "hash": null}}`,
			check: func(t *testing.T, f *File) {
				if hasFilter(f, FilterExcludeFiles) || hasFilter(f, FilterExcludeLines) || hasFilter(f, FilterWordlist) {
					t.Errorf("null excludes must not become filters: %v", filterPaths(f))
				}
				if len(f.Extra) != 0 {
					t.Errorf("Extra = %+v", f.Extra)
				}
			},
		},
		{
			name: "0.x custom plugin paths are kept, not lost",
			src:  `{"custom_plugin_paths": ["plugins/my.py"], "exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.14.0"}`,
			check: func(t *testing.T, f *File) {
				if len(f.Extra) != 1 || f.Extra[0].Key != "custom_plugin_paths" {
					t.Errorf("Extra = %+v", f.Extra)
				}
			},
		},
		{
			name: "pre-1.0 development layout: filters_used with a string pattern, plus exclude",
			src: `{"version": "0.14.3", "plugins_used": [], "results": {}, "exclude": {"files": "^y/", "lines": null},
				"filters_used": [{"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": "^x/"}, {"path": "custom.filter", "k": 1}]}`,
			check: func(t *testing.T, f *File) {
				x, ok := filterByPath(f, FilterExcludeFiles)
				if !ok {
					t.Fatal("regex filter lost")
				}
				if p, _ := x.Patterns(); len(p) != 2 || p[0] != "^x/" || p[1] != "^y/" {
					t.Errorf("patterns = %q, want both the filter's and exclude.files", p)
				}
				if c, ok := filterByPath(f, "custom.filter"); !ok || string(c.Raw()) != `{"path": "custom.filter", "k": 1}` {
					t.Errorf("existing filter not kept verbatim: %s", c.Raw())
				}
			},
		},
		{
			name: "1.0 gets the 1.1 default filters once",
			src:  `{"version": "1.0.3", "plugins_used": [], "filters_used": [{"path": "detect_secrets.filters.heuristic.is_lock_file"}], "results": {}}`,
			check: func(t *testing.T, f *File) {
				n := 0
				for _, p := range filterPaths(f) {
					if strings.HasPrefix(p, "detect_secrets.filters.heuristic.is_") {
						n++
					}
				}
				if n != 3 || f.Version != CurrentVersion {
					t.Errorf("filters %v, version %q", filterPaths(f), f.Version)
				}
			},
		},
		{
			name: "1.1+ file keeps stray old keys as unknown keys",
			src:  `{"version": "1.2.0", "plugins_used": [], "filters_used": [], "results": {}, "exclude": {"files": "x", "lines": null}}`,
			check: func(t *testing.T, f *File) {
				if f.Upgraded || hasFilter(f, FilterExcludeFiles) || len(f.Extra) != 1 || f.Extra[0].Key != "exclude" {
					t.Errorf("Upgraded=%v filters=%v Extra=%+v", f.Upgraded, filterPaths(f), f.Extra)
				}
			},
		},
		{
			name: "IBM fork version suffix",
			src:  `{"exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.13.1+ibm.64.dss"}`,
			check: func(t *testing.T, f *File) {
				if !f.Upgraded || f.SourceVersion != "0.13.1+ibm.64.dss" {
					t.Errorf("Upgraded=%v SourceVersion=%q", f.Upgraded, f.SourceVersion)
				}
			},
		},
		{
			name: "duplicate entries merge, first wins, across ./ and \\ spellings",
			src: `{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": {
				"a/b.py": [{"type": "T", "hashed_secret": "h", "is_verified": false, "line_number": 5, "is_secret": false},
				           {"type": "T", "hashed_secret": "h", "is_verified": false, "line_number": 9, "is_secret": true}],
				"./a/b.py": [{"type": "T", "hashed_secret": "H", "is_verified": false, "line_number": 1}],
				"a\\b.py": [{"type": "U", "hashed_secret": "h", "is_verified": false}]}}`,
			check: func(t *testing.T, f *File) {
				if len(f.Results) != 2 {
					t.Fatalf("want 2 entries (T and U), got %+v", f.Results)
				}
				for _, e := range f.Results {
					if e.Type == "T" && (e.LineNumber != 5 || e.IsSecret == nil || *e.IsSecret) {
						t.Errorf("first duplicate must win, got %+v", e)
					}
				}
			},
		},
		{
			name: "repeated top-level keys: last scalar wins, results merge",
			src: `{"version": "1.5.0", "generated_at": "A", "plugins_used": [], "filters_used": [], "results": {"a": [{"type": "T", "hashed_secret": "1"}]},
				"results": {"b": [{"type": "T", "hashed_secret": "2"}]}, "generated_at": "B"}`,
			check: func(t *testing.T, f *File) {
				if f.GeneratedAt != "B" || len(f.Results) != 2 {
					t.Errorf("GeneratedAt=%q results=%d", f.GeneratedAt, len(f.Results))
				}
			},
		},
		{
			name: "clawgate_config_findings",
			src: `{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": {},
				"clawgate_config_findings": [{"filename": "coderclaw.json", "check_id": "gateway.bind-public", "setting": "gateway.bind", "line_number": 4, "note": "ok"},
				{"filename": "a.json", "check_id": "x"}]}`,
			check: func(t *testing.T, f *File) {
				if len(f.Config) != 2 || f.Config[0].Filename != "a.json" || f.Config[1].Setting != "gateway.bind" || f.Config[1].LineNumber != 4 {
					t.Errorf("Config = %+v", f.Config)
				}
				if len(f.Config[1].Extra) != 1 || f.Config[1].Extra[0].Key != "note" {
					t.Errorf("config extra keys lost: %+v", f.Config[1].Extra)
				}
			},
		},
		{
			name: "UTF-8 BOM and unusual filenames",
			src:  "\ufeff" + `{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": {"d/{{ x }}/caf\u00e9 \ud83d\ude00.yml": [{"type": "T", "hashed_secret": "h"}]}}`,
			check: func(t *testing.T, f *File) {
				if f.Results[0].Filename != "d/{{ x }}/café 😀.yml" {
					t.Errorf("filename = %q", f.Results[0].Filename)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, mustParse(t, tt.src)) })
	}
}

// pastedToken looks like a GitHub token, assembled at run time.
var pastedToken = "gh" + "p_" + strings.Repeat("aB3", 12)

func TestParseErrors(t *testing.T) {
	// ‸ marks where the error must point; it is removed before parsing.
	const head = `{"version": "1.5.0", "plugins_used": [], "filters_used": [], "results": `
	tests := []struct {
		name string
		src  string
		msg  string
	}{
		{"empty", "‸", "empty"},
		{"whitespace only", " \n ‸", "empty"},
		{"truncated", head + `{"a.py": [{"type": "T",‸`, "truncated"},
		{"truncated string", head + `{‸"a.py`, "unterminated string"},
		{"top level list", `‸[1, 2]`, "top level must be a JSON object"},
		{"top level string", `‸"x"`, "top level must be a JSON object"},
		{"no results", `‸{"version": "1.5.0"}`, `no "results"`},
		{"results not an object", head + `‸[]}`, `"results" must be an object`},
		{"file list not a list", head + `{"a.py": ‸{}}}`, `results["a.py"] must be a list`},
		{"entry not an object", head + `{"a.py": [‸1]}}`, `results["a.py"][0] must be an object`},
		{"is_secret string", head + "{\"a.py\": [\n  {\"type\": \"T\", \"hashed_secret\": \"h\",\n   \"is_secret\": ‸\"yes\"}]}}", `results["a.py"][0].is_secret must be true, false or null, found a string`},
		{"is_secret after non-ASCII", head + "{\"caf\u00e9 \U0001F600.py\": [{\"type\": \"T\", \"hashed_secret\": \"h\", \"is_secret\": ‸1}]}}", "is_secret must be true, false or null, found a number"},
		{"is_verified number", head + `{"a.py": [{"type": "T", "hashed_secret": "h", "is_verified": ‸1}]}}`, "is_verified must be true or false"},
		{"line_number string", head + `{"a.py": [{"type": "T", "hashed_secret": "h", "line_number": ‸"12"}]}}`, "line_number must be an integer, found a string"},
		{"line_number float", head + `{"a.py": [{"type": "T", "hashed_secret": "h", "line_number": ‸12.5}]}}`, "line_number must be an integer, found a non-integer number"},
		{"line_number huge", head + `{"a.py": [{"type": "T", "hashed_secret": "h", "line_number": ‸99999999999999999999}]}}`, "out of range"},
		{"missing type", head + `{"a.py": [‸{"hashed_secret": "h"}]}}`, `has no "type"`},
		{"hash not a string", head + `{"a.py": [{"type": "T", "hashed_secret": ‸5}]}}`, "hashed_secret must be a string"},
		{"version 2", `{"version": ‸"2.0.0", "results": {}}`, `baseline version "2.0.0" is newer than this clawgate understands`},
		{"version nonsense", `{"version": ‸"latest", "results": {}}`, "not a detect-secrets version"},
		{"version number", `{"version": ‸1.5, "results": {}}`, `"version" must be a string`},
		// A value is never echoed whole: it may be a pasted secret.
		{"version pasted token", `{"version": ‸"` + pastedToken + `", "results": {}}`, `"version" "ghp_…" is not a detect-secrets version`},
		{"version 2 pasted token", `{"version": ‸"2.0.` + pastedToken + `", "results": {}}`, `baseline version "2.0.…" is newer`},
		{"plugins not a list", `{"version": "1.5.0", "plugins_used": ‸{}, "results": {}}`, `"plugins_used" must be a list`},
		{"plugin without name", `{"version": "1.5.0", "plugins_used": [‸{"limit": 3}], "results": {}}`, `plugins_used[0] has no "name"`},
		{"filter path number", `{"version": "1.5.0", "filters_used": [{"path": ‸3}], "results": {}}`, "filters_used[0].path must be a string"},
		{"generated_at number", `{"version": "1.5.0", "results": {}, "generated_at": ‸5}`, `"generated_at" must be a string`},
		{"trailing comma", head + `{},‸}`, "trailing comma"},
		{"single quotes", `{‸'version': '1.5.0'}`, "expected a key in double quotes"},
		{"extra data", head + `{}} ‸{}`, "after the end"},
		{"bad escape", `{"version": "1.‸\q"}`, "invalid escape"},
		{"control char", "{\"version\": \"1.‸\t5\"}", "must be escaped"},
		{"invalid utf-8", "{\"version\": \"1.‸\xff\"}", "invalid UTF-8"},
		{"merge conflict", "{\n‸<<<<<<< HEAD\n  \"version\": \"1.5.0\",\n=======\n  \"version\": \"1.4.0\",\n>>>>>>> branch\n}", "merge conflict"},
		{"exclude not object", `{"exclude": ‸[], "results": {}, "version": "0.13.0"}`, `"exclude" must be an object`},
		{"config not a list", head + `{}, "clawgate_config_findings": ‸{}}`, "must be a list"},
		{"config without check_id", head + `{}, "clawgate_config_findings": [‸{"filename": "a"}]}`, `has no "check_id"`},
		{"deep nesting", strings.Repeat("[", 1000) + "‸" + strings.Repeat("[", 4000), "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mark := strings.Index(tt.src, "‸")
			if mark < 0 {
				t.Fatal("test source has no ‸ marker")
			}
			src := tt.src[:mark] + tt.src[mark+len("‸"):]
			before := src[:mark]
			wantLine := 1 + strings.Count(before, "\n")
			wantCol := 1 + utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:])

			f, err := Parse("dir/.secrets.baseline", []byte(src))
			if err == nil {
				t.Fatalf("no error; parsed %+v", f)
			}
			var be *Error
			if !errors.As(err, &be) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if be.File != "dir/.secrets.baseline" || be.Line != wantLine || be.Column != wantCol {
				t.Errorf("position %s:%d:%d, want %d:%d (%v)", be.File, be.Line, be.Column, wantLine, wantCol, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not say %q", err.Error(), tt.msg)
			}
			if want := "dir/.secrets.baseline:" + strconv.Itoa(wantLine) + ":" + strconv.Itoa(wantCol) + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q does not start with %q", err.Error(), want)
			}
		})
	}
}

// TestErrorsNeverQuoteValues: whatever is wrong, the message never repeats
// a value from the file; it might be a secret someone pasted.
func TestErrorsNeverQuoteValues(t *testing.T) {
	const s = "ghp_SENTINELsecretVALUE0123456789abcdefgh"
	srcs := []string{
		`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": "h", "is_secret": "` + s + `"}]}}`,
		`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": "h", "line_number": "` + s + `"}]}}`,
		`{"version": "1.5.0", "results": ` + s + `}`,
		`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": "` + s,
		`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": ["` + s + `"]}]}}`,
		`{"version": "1.5.0", "results": {}, "` + s + `"}`,
		`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": "h"}] ` + s + `}}`,
		`{"version": "1.5.0", "plugins_used": [{"name": ["` + s + `"]}], "results": {}}`,
	}
	for _, src := range srcs {
		_, err := Parse("b", []byte(src))
		if err == nil {
			t.Errorf("no error for %s", src)
			continue
		}
		if strings.Contains(err.Error(), "SENTINEL") || strings.Contains(err.Error(), "ghp_") {
			t.Errorf("error quotes file content: %v", err)
		}
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()

	t.Run("directory", func(t *testing.T) {
		_, err := Read(dir)
		var be *Error
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "is a directory") || be.File != dir {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := Read(filepath.Join(dir, "nope"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v, want one wrapping fs.ErrNotExist", err)
		}
	})
	t.Run("file", func(t *testing.T) {
		p := filepath.Join(dir, ".secrets.baseline")
		if err := os.WriteFile(p, []byte(`{"version": "1.5.0", "results": {"a": [{"type": "T", "hashed_secret": "h"}]}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Read(p)
		if err != nil || len(f.Results) != 1 {
			t.Fatalf("f=%+v err=%v", f, err)
		}
	})
	t.Run("a symlink to an endless device", func(t *testing.T) {
		// A repository can commit its baseline (or .detect-secrets.cfg) as
		// one: refused at once, never read.
		p := filepath.Join(dir, "zero")
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		_, err := Read(p)
		var be *Error
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "cannot read the baseline: not a regular file") {
			t.Fatalf("err = %v", err)
		}
		if _, err := ReadDetectSecretsCfg(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf(".detect-secrets.cfg: err = %v", err)
		}
	})
	t.Run("broken file names the path", func(t *testing.T) {
		p := filepath.Join(dir, "broken")
		if err := os.WriteFile(p, []byte("{\n  \"results\": {\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(p)
		if err == nil || !strings.HasPrefix(err.Error(), p+":3:1: ") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestPositionCountsCharacters(t *testing.T) {
	data := []byte("ab\ncé\u00e9x")
	off := strings.Index(string(data), "x")
	if l, c := position(data, off); l != 2 || c != 4 {
		t.Errorf("position = %d:%d, want 2:4", l, c)
	}
}

func jsonNumber(s string) json.Number { return json.Number(s) }
