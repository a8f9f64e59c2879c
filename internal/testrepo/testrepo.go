// Package testrepo builds throwaway git repositories for tests, and plants
// secrets assembled at run time (so this repository's own scan stays clean).
package testrepo

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Repo is a git work tree in a temporary directory.
type Repo struct {
	t   testing.TB
	Dir string
}

// New makes an empty repository with a committer identity.
func New(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	r.Git("config", "user.name", "Test")
	r.Git("config", "user.email", "test@example.com")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write creates a file (and its directories) with content.
func (r *Repo) Write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages everything and commits.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func pick(rng *rand.Rand, chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rng.Intn(len(chars))]
	}
	return string(b)
}

// Secrets returns planted secrets of well-known formats, different for each
// seed. Keys are names, values the raw secrets.
func Secrets(seed int64) map[string]string {
	rng := rand.New(rand.NewSource(seed))
	return map[string]string{
		"aws":    "AK" + "IA" + pick(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
		"github": "gh" + "p_" + pick(rng, alnum, 36),
		"stripe": "sk" + "_live_" + pick(rng, alnum, 24),
		"gitlab": "gl" + "pat-" + pick(rng, alnum, 20),
		"npm":    "np" + "m_" + pick(rng, alnum, 36),
	}
}

// AWSKey and GitHubToken return one planted secret each.
func AWSKey(seed int64) string      { return Secrets(seed)["aws"] }
func GitHubToken(seed int64) string { return Secrets(seed)["github"] }

// RunWithBinary builds the clawgate binary from this checkout into a
// temporary directory, runs the tests of m with its path and exits with
// their status. The CLI suites drive the real binary, as CI and people do.
func RunWithBinary(m *testing.M, binary *string) {
	dir, err := os.MkdirTemp("", "clawgate-bin")
	if err != nil {
		panic(err)
	}
	*binary = filepath.Join(dir, "clawgate")
	build := exec.Command("go", "build", "-o", *binary, "./cmd/clawgate")
	build.Dir = Root()
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building clawgate: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Root is this checkout's top directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Output is what one run of a command printed, and its exit status.
type Output struct {
	Stdout, Stderr string
	Code           int
}

// Run runs name with args in dir, with stdin as its input (none when
// empty) and env added to an environment without colour or the user's git
// config. A command that cannot start fails the test; a non-zero exit is a
// Code.
func Run(t testing.TB, dir string, env []string, stdin, name string, args ...string) Output {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1", "GIT_CONFIG_GLOBAL=/dev/null"), env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return Output{out.String(), errb.String(), code}
}
