package citest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// The tests run the real binary, built once, as CI and people do.
var binary string

// repoRoot is this checkout: the action's path and the hook repository.
var repoRoot string

func TestMain(m *testing.M) {
	repoRoot = testrepo.Root()
	testrepo.RunWithBinary(m, &binary)
}

// needTool skips a test whose tool is missing, or fails it when
// CLAWGATE_REQUIRE_TOOLS is set (scripts/test installs them all and sets
// it, so in CI a missing tool is an error, never a silent skip).
func needTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (%s; ./scripts/test installs it)", name, install)
	if os.Getenv("CLAWGATE_REQUIRE_TOOLS") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs a command in dir and returns what it printed and its exit code.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	o := testrepo.Run(t, dir, env, "", name, args...)
	return result{o.Stdout, o.Stderr, o.Code}
}

// clawgate runs the binary in dir.
func clawgate(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return run(t, dir, nil, binary, args...)
}

// finding is the part of a JSON finding the tests look at.
type finding struct {
	Kind   string `json:"kind"`
	Rule   string `json:"rule"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Commit string `json:"commit"`
	Status string `json:"status"`
	Masked string `json:"masked"`
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d %s %s %s", f.File, f.Line, f.Rule, f.Status, f.Commit)
}

type jsonReport struct {
	Findings []finding `json:"findings"`
	Summary  struct {
		New, Known, Failing int
	} `json:"summary"`
}

// scanJSON runs clawgate scan --format json and decodes the report; exit
// codes 0 and 1 both carry one.
func scanJSON(t *testing.T, dir string, args ...string) (jsonReport, result) {
	t.Helper()
	res := clawgate(t, dir, append([]string{"scan", "--format", "json"}, args...)...)
	var rep jsonReport
	if res.code > 1 {
		t.Fatalf("scan %v: %s", args, res)
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("scan %v: %v\n%s", args, err, res)
	}
	return rep, res
}

// noSecret fails when a planted secret, or its first 8 characters, shows
// up in any of the texts.
func noSecret(t *testing.T, secrets []string, texts ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, text := range texts {
			if strings.Contains(text, s[:8]) {
				t.Fatalf("a planted secret's first 8 characters leaked:\n%s", text)
			}
		}
	}
}

// snapshot copies this checkout's work tree as it is now (tracked files and
// the untracked ones git does not ignore, uncommitted changes included) to
// a new directory without .git, so tests exercise the current code.
func snapshot(t *testing.T) string {
	t.Helper()
	list := run(t, repoRoot, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if list.code != 0 {
		t.Fatalf("git ls-files: %s", list)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(list.stdout, "\x00") {
		if name == "" {
			continue
		}
		src, dst := filepath.Join(repoRoot, name), filepath.Join(dir, name)
		st, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if st.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, dst); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
