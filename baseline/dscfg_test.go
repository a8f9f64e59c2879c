package baseline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadDetectSecretsCfg(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, DetectSecretsCfg)
	os.WriteFile(p, []byte(`# Reference only: detect-secrets does not read this file.
[exclude-files]
pattern = ^docs/.*\.md$
pattern = (^|/)pnpm-lock\.yaml$
    ^vendor/

[exclude-lines]
; a comment
pattern = "integrity":
pattern=password: "\$\{

[other]
key = value
`), 0o644)
	got, err := ReadDetectSecretsCfg(p)
	if err != nil {
		t.Fatal(err)
	}
	want := ExcludePatterns{
		Files: []string{`^docs/.*\.md$`, `(^|/)pnpm-lock\.yaml$`, `^vendor/`},
		Lines: []string{`"integrity":`, `password: "\$\{`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if _, err := NewExcludes(got); err != nil {
		t.Fatalf("patterns do not compile: %v", err)
	}

	os.WriteFile(p, []byte("[exclude-lines]\npatern = x\n"), 0o644)
	if _, err := ReadDetectSecretsCfg(p); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Fatalf("misspelt key: %v", err)
	}
	// A pattern RE2 cannot express is named with this file and its line,
	// also on a continuation line.
	os.WriteFile(p, []byte("[exclude-lines]\npattern = ok\n    (?<=x)y\n"), 0o644)
	if _, err := ReadDetectSecretsCfg(p); err == nil || !strings.Contains(err.Error(), p+":3: pattern") || !strings.Contains(err.Error(), "lookbehind") {
		t.Fatalf("bad pattern: %v", err)
	}
	if got, err := ReadDetectSecretsCfg(filepath.Join(dir, "missing.cfg")); err != nil || len(got.Files) != 0 {
		t.Fatalf("missing file: %+v %v", got, err)
	}
}
