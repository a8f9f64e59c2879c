package coderclaw

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// writeFiles lays out files (name → content) under a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIncludeErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"cycle", map[string]string{
			"cfg/coderclaw.json5": `{ $include: "./a.json5" }`,
			"cfg/a.json5":         "{\n  $include: './b.json5' }",
			"cfg/b.json5":         `{ x: { $include: "./a.json5" } }`,
		}, `cfg/b.json5:1:18: circular $include: cfg/a.json5 -> cfg/b.json5 -> cfg/a.json5`},
		{"self", map[string]string{"cfg/coderclaw.json5": `{ $include: "coderclaw.json5" }`},
			`cfg/coderclaw.json5:1:13: circular $include: cfg/coderclaw.json5 -> cfg/coderclaw.json5`},
		{"escape", map[string]string{
			"cfg/coderclaw.json5": "{\n  gateway: { $include: \"../secrets.json5\" },\n}",
			"secrets.json5":       `{}`,
		}, `cfg/coderclaw.json5:2:24: $include "../secrets.json5" points outside the config directory`},
		{"absolute escape", map[string]string{"cfg/coderclaw.json5": `{ $include: "/etc/passwd" }`},
			`cfg/coderclaw.json5:1:13: $include "/etc/passwd" points outside the config directory`},
		{"missing", map[string]string{"cfg/coderclaw.json5": `{ $include: ["./a.json5", "./nope.json5"] }`, "cfg/a.json5": `{}`},
			`cfg/coderclaw.json5:1:27: $include "./nope.json5": no such file or directory`},
		{"wrong type", map[string]string{"cfg/coderclaw.json5": `{ $include: 3 }`},
			`cfg/coderclaw.json5:1:13: $include must be a string or an array of strings, found a number`},
		{"wrong item", map[string]string{"cfg/coderclaw.json5": `{ $include: ["./a.json5", true] }`, "cfg/a.json5": `{}`},
			`cfg/coderclaw.json5:1:27: $include array items must be strings, found a boolean`},
		{"siblings need an object", map[string]string{
			"cfg/coderclaw.json5": `{ agents: { list: { $include: "./list.json5", extra: 1 } } }`,
			"cfg/list.json5":      `[{ id: "main" }]`,
		}, `cfg/coderclaw.json5:1:21: keys next to $include need the included content to be an object, but it is an array`},
		{"syntax error in include", map[string]string{
			"cfg/coderclaw.json5": `{ $include: "./conf/bad.json5" }`,
			"cfg/conf/bad.json5":  "{\n  a: 1\n  b: 2\n}",
		}, `cfg/conf/bad.json5:3:3: expected ',' or '}' after the object member, found an unquoted word`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Lint(dir, []string{"cfg/coderclaw.json5"}, Options{})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
			var ce *ConfigError
			var se *json5.SyntaxError
			if !errors.As(err, &ce) && !errors.As(err, &se) {
				t.Errorf("error is neither *ConfigError nor *json5.SyntaxError: %T", err)
			}
		})
	}
}

func TestIncludeDepth(t *testing.T) {
	chain := func(n int) map[string]string {
		files := map[string]string{"coderclaw.json5": `{ $include: "./i1.json5" }`}
		for i := 1; i < n; i++ {
			files[fmt.Sprintf("i%d.json5", i)] = fmt.Sprintf(`{ $include: "./i%d.json5" }`, i+1)
		}
		files[fmt.Sprintf("i%d.json5", n)] = `{ logging: { redactSensitive: "off" } }`
		return files
	}
	dir := writeFiles(t, chain(MaxIncludeDepth))
	fs, err := Lint(dir, []string{"coderclaw.json5"}, Options{})
	if err != nil {
		t.Fatalf("%d nested includes must load: %v", MaxIncludeDepth, err)
	}
	found := false
	for _, f := range fs {
		found = found || f.Rule == "logging.redact_off" && f.File == "i10.json5" && f.Line == 1 && f.Column == 31
	}
	if !found {
		t.Errorf("finding in the deepest include missing or misplaced: %+v", fs)
	}
	dir = writeFiles(t, chain(MaxIncludeDepth+1))
	_, err = Lint(dir, []string{"coderclaw.json5"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "i10.json5:1:13: $include nested deeper than 10 files") {
		t.Fatalf("want a depth error in i10.json5, got %v", err)
	}
}

func TestIncludeSymlinkEscape(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := writeFiles(t, map[string]string{
		"outside/secret.json5": `{ gateway: { auth: { token: "x" } } }`,
		"cfg/coderclaw.json5":  `{ $include: "./link.json5" }`,
		"cfg/inside/ok.json5":  `{ logging: { level: "info" } }`,
		"cfg2/coderclaw.json5": `{ $include: "./dirlink/ok.json5" }`,
	})
	os.Symlink(filepath.Join(dir, "outside", "secret.json5"), filepath.Join(dir, "cfg", "link.json5"))
	_, err := Lint(dir, []string{"cfg/coderclaw.json5"}, Options{})
	if err == nil || !strings.Contains(err.Error(), `cfg/coderclaw.json5:1:13: $include "./link.json5" resolves (through a symlink) outside the config directory`) {
		t.Fatalf("got %v", err)
	}
	// A symlink that stays inside the config directory is fine.
	os.Symlink(filepath.Join(dir, "cfg2", "real"), filepath.Join(dir, "cfg2", "dirlink"))
	os.MkdirAll(filepath.Join(dir, "cfg2", "real"), 0o755)
	os.WriteFile(filepath.Join(dir, "cfg2", "real", "ok.json5"), []byte(`{ gateway: { auth: { token: "${T}" }, trustedProxies: ["127.0.0.1"] } }`), 0o600)
	fs, err := Lint(dir, []string{"cfg2/coderclaw.json5"}, Options{})
	if err != nil || len(fs) != 0 {
		t.Fatalf("inside symlink: %v %+v", err, fs)
	}
}

// TestIncludeMerge: arrays concatenate, objects merge, siblings win, and
// each finding points at the file that holds its value.
func TestIncludeMerge(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"coderclaw.json5": `{
  $include: ["./a.json5", "./b.json5"],
  gateway: { trustedProxies: ["10.0.0.9"] },
}`,
		"a.json5": `{ gateway: { trustedProxies: ["127.0.0.1"], bind: "lan" } }`,
		"b.json5": `{ gateway: { bind: "loopback", auth: { token: "${T}" } } }`,
	})
	c, err := Load(dir, "coderclaw.json5", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.get("gateway.trustedProxies").list(); strings.Join(got, ",") != "127.0.0.1,10.0.0.9" {
		t.Errorf("arrays must concatenate: %v", got)
	}
	b := c.get("gateway.bind")
	if s, _ := b.str(); s != "loopback" || b.n.Doc.Name != "b.json5" {
		t.Errorf("later include must win: %q from %s", s, b.n.Doc.Name)
	}
	if len(c.Docs) != 3 {
		t.Errorf("docs read: %d", len(c.Docs))
	}
}

func TestLintErrorsDoNotStopOtherConfigs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/coderclaw.json5": `{ gateway: { bind: "lan" } `,
		"b/coderclaw.json5": `{ logging: { redactSensitive: "off" } }`,
	})
	fs, err := Lint(dir, []string{"a/coderclaw.json5", "b/coderclaw.json5"}, Options{})
	var se *json5.SyntaxError
	if !errors.As(err, &se) || se.File != "a/coderclaw.json5" {
		t.Fatalf("want the syntax error of a/, got %v", err)
	}
	if len(fs) == 0 || fs[0].File != "b/coderclaw.json5" {
		t.Errorf("b/ must still be linted: %+v", fs)
	}
}
