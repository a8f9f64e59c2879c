package coderclaw

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/checks.md")

// copyTree copies a testdata tree into a temp dir.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasSuffix(p, ".golden") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o640)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scan/coderclaw -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (run go test ./scan/coderclaw -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestFixByteExact: --fix changes only the fixed values, byte for byte, in
// the file where each value is written, keeps quotes, comments and mode,
// and leaves accepted findings and untouched channels alone.
func TestFixByteExact(t *testing.T) {
	src := filepath.Join("testdata", "fix", "commented")
	dir := copyTree(t, src)
	before := map[string][]byte{}
	for _, f := range []string{"coderclaw.json5", "conf.d/channels.json5"} {
		before[f], _ = os.ReadFile(filepath.Join(dir, f))
	}
	res, err := Fix(dir, []string{"coderclaw.json5"}, Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	var diffs strings.Builder
	for _, r := range res {
		if !r.Written {
			t.Errorf("%s not written", r.File)
		}
		diffs.WriteString(r.Diff)
		diffs.WriteString("# changes: " + strings.Join(r.Changes, "; ") + "\n")
	}
	golden(t, filepath.Join(src, "diff.golden"), []byte(diffs.String()))

	// Exactly these replacements, nothing else.
	want := map[string][][2]string{
		"coderclaw.json5": {
			{`redactSensitive:   'off' ,`, `redactSensitive:   'tools' ,`},
			{`groupPolicy:"open",`, `groupPolicy:"allowlist",`},
			{`main: { groupPolicy: 'open' }`, `main: { groupPolicy: 'allowlist' }`},
		},
		"conf.d/channels.json5": {
			{`groupPolicy: "open",  // flipped`, `groupPolicy: "allowlist",  // flipped`},
		},
	}
	for f, reps := range want {
		exp := string(before[f])
		for _, r := range reps {
			if strings.Count(exp, r[0]) != 1 {
				t.Fatalf("test data: %q must occur once in %s", r[0], f)
			}
			exp = strings.Replace(exp, r[0], r[1], 1)
		}
		got, _ := os.ReadFile(filepath.Join(dir, f))
		if string(got) != exp {
			t.Errorf("%s after fix:\n%s\nwant:\n%s", f, got, exp)
		}
		if st, _ := os.Stat(filepath.Join(dir, f)); st.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, want 0640 kept", f, st.Mode().Perm())
		}
	}
	// A second run finds nothing left to fix.
	res, err = Fix(dir, []string{"coderclaw.json5"}, Options{}, false)
	if err != nil || len(res) != 0 {
		t.Errorf("second fix: %v %+v", err, res)
	}
}

func TestFixDryRunWritesNothing(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "fix", "commented"))
	orig, _ := os.ReadFile(filepath.Join(dir, "coderclaw.json5"))
	res, err := Fix(dir, []string{"coderclaw.json5"}, Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Written || !strings.Contains(res[0].Diff, "+    redactSensitive:   'tools' ,// TODO: revert after the incident") {
		t.Fatalf("dry run: %+v", res)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "coderclaw.json5")); string(now) != string(orig) {
		t.Error("dry run changed the file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("dry run left files behind: %v", ents)
	}
}

// A value that is "off" or "open" only through a ${VAR} reference is a
// finding, but --fix leaves the reference alone: the file does not hold
// the value, and rewriting it would drop the variable.
func TestFixKeepsEnvReferences(t *testing.T) {
	dir := t.TempDir()
	src := `{ env: { MODE: "off", POL: "open" }, logging: { redactSensitive: "${MODE}" }, channels: { telegram: { groupPolicy: "${POL}" } } }` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "coderclaw.json5"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, "coderclaw.json5", Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := c.lintRaw()
	rules := map[string]bool{}
	for _, f := range fs {
		rules[f.Rule] = true
	}
	if !rules["logging.redact_off"] || !rules["channels.telegram.group_policy_open"] {
		t.Fatalf("the substituted values are not findings: %v", rules)
	}
	res, err := Fix(dir, []string{"coderclaw.json5"}, Options{}, false)
	if err != nil || len(res) != 0 {
		t.Fatalf("fixes = %+v, err = %v", res, err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "coderclaw.json5")); string(now) != src {
		t.Errorf("the file changed:\n%s", now)
	}
}

// TestFixRefusesBrokenConfig: a config that does not parse is reported with
// its position and stays byte-identical.
func TestFixRefusesBrokenConfig(t *testing.T) {
	dir := t.TempDir()
	src := "{\n  logging: { redactSensitive: \"off\" }\n  gateway: {},\n}\n"
	p := filepath.Join(dir, "coderclaw.json5")
	os.WriteFile(p, []byte(src), 0o600)
	res, err := Fix(dir, []string{"coderclaw.json5"}, Options{}, false)
	var se *json5.SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || se.Col != 3 || len(res) != 0 {
		t.Fatalf("want a syntax error at 3:3, got %v %+v", err, res)
	}
	if got, _ := os.ReadFile(p); string(got) != src {
		t.Error("broken config was modified")
	}
}

func TestFixThroughSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json5")
	os.WriteFile(real, []byte("{ logging: { redactSensitive: \"off\" } } // keep\n"), 0o600)
	os.Symlink("real.json5", filepath.Join(dir, "coderclaw.json5"))
	if _, err := Fix(dir, []string{"coderclaw.json5"}, Options{}, false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(filepath.Join(dir, "coderclaw.json5")); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if got, _ := os.ReadFile(real); string(got) != "{ logging: { redactSensitive: \"tools\" } } // keep\n" {
		t.Errorf("target: %q", got)
	}
}

// A dry run's diff shows the lines around a fix; the credentials on them
// (by key, or found by the gitleaks rules) show only their first
// characters. The fix itself still writes the file byte for byte.
func TestDryRunDiffMasksCredentials(t *testing.T) {
	// Assembled at run time: this repository scans itself.
	password, token := "Zq8v"+"3LkP2mXw-9TfR4bN7cYh", "Qm3x"+"V8pL2kR9wT4zN7bC1dF6gH5jK0sA"
	stripe := "sk" + "_live_" + strings.Repeat("a1B2", 6)
	src := "{\n  gateway: {\n    auth: { mode: \"password\", password: \"" + password + "\" },\n  },\n" +
		"  logging: { redactSensitive: \"off\" }, hooks: { token: \"" + token + "\" },\n" +
		"  env: { vars: { BILLING: \"" + stripe + "\" } },\n}\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "coderclaw.json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := Fix(dir, []string{"coderclaw.json"}, Options{}, true)
	if err != nil || len(rs) != 1 {
		t.Fatalf("Fix: %v, %d results", err, len(rs))
	}
	diff := rs[0].Diff
	for _, s := range []string{password, token, stripe} {
		if strings.Contains(diff, s[:8]) {
			t.Errorf("the diff shows a credential (%d bytes)", len(s))
		}
	}
	for _, want := range []string{`password: "Zq8v*****`, `+  logging: { redactSensitive: "tools" }, hooks: { token: "Qm3x****`, `BILLING: "sk_l****`} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if _, err := Fix(dir, []string{"coderclaw.json"}, Options{}, false); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := strings.Replace(src, `"off"`, `"tools"`, 1); string(got) != want {
		t.Fatalf("fixed file:\n%s", got)
	}
}
