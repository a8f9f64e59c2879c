package citest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// hookRepo commits a snapshot of this checkout's work tree to a new
// repository and returns it with the commit: pre-commit clones rev: from
// repo:, so pointing it at this checkout's HEAD would test the last commit,
// not the code being worked on.
func hookRepo(t *testing.T) (dir, rev string) {
	t.Helper()
	dir = snapshot(t)
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot"},
	} {
		if res := run(t, dir, nil, "git", args...); res.code != 0 {
			t.Fatalf("git %v: %s", args, res)
		}
	}
	return dir, strings.TrimSpace(run2(t, dir, "git", "rev-parse", "HEAD"))
}

// preCommitEnv points pre-commit at a private store, and the go install it
// runs in the hook repository at this machine's module cache, proxy and
// flags (-trimpath too, so the build cache hits whatever the clone's
// directory), so the hook builds from cache instead of downloading.
func preCommitEnv(t *testing.T) []string {
	t.Helper()
	goenv := strings.Split(strings.TrimSpace(run2(t, repoRoot, "go", "env", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN")), "\n")
	for len(goenv) < 5 {
		goenv = append(goenv, "")
	}
	return []string{
		"PRE_COMMIT_HOME=" + filepath.Join(t.TempDir(), "pre-commit"),
		"GOMODCACHE=" + goenv[0],
		"GOCACHE=" + goenv[1],
		"GOPROXY=" + goenv[2],
		"GOFLAGS=" + strings.TrimSpace(goenv[3]+" -trimpath"),
		"GOTOOLCHAIN=" + goenv[4],
		"PRE_COMMIT_COLOR=never",
		"SKIP=",
	}
}

// usePreCommit writes a .pre-commit-config.yaml with the given hooks of the
// hook repository and installs the git hook.
func usePreCommit(t *testing.T, r *testrepo.Repo, env []string, repo, rev string, hooks ...string) {
	t.Helper()
	cfg := "repos:\n  - repo: " + repo + "\n    rev: " + rev + "\n    hooks:\n"
	for _, h := range hooks {
		cfg += "      - id: " + h + "\n"
	}
	r.Write(".pre-commit-config.yaml", cfg)
	r.Write("README.md", "# app\n")
	if res := run(t, r.Dir, env, "pre-commit", "install"); res.code != 0 {
		t.Fatalf("pre-commit install: %s", res)
	}
	// The first commit installs the hook's environment (go install in the
	// hook repository); a clean commit goes through.
	if res := commit(t, r, env, "set up pre-commit"); res.code != 0 {
		t.Fatalf("a clean first commit was refused: %s", res)
	}
}

// commit stages everything and runs git commit, hooks and all.
func commit(t *testing.T, r *testrepo.Repo, env []string, msg string) result {
	t.Helper()
	r.Git("add", "-A")
	return run(t, r.Dir, env, "git", "commit", "-q", "-m", msg)
}

// TestPreCommit is issue 5's "done when", tried as a new user would, with
// the real pre-commit: a commit holding a GitHub token is refused without
// printing it; after `clawgate baseline` it goes through; moving the line
// later still passes and the hook writes nothing; clawgate-config runs when
// a config changes and only then.
func TestPreCommit(t *testing.T) {
	needTool(t, "pre-commit", "apt-get install pre-commit")
	repo, rev := hookRepo(t)
	env := preCommitEnv(t)

	t.Run("clawgate", func(t *testing.T) {
		r := testrepo.New(t)
		usePreCommit(t, r, env, repo, rev, "clawgate")
		tok := testrepo.GitHubToken(301)
		r.Write("src/deploy.py", "import os\n\nTOKEN = \""+tok+"\"\n")
		res := commit(t, r, env, "deploy")
		out := res.stdout + res.stderr
		if res.code == 0 {
			t.Fatalf("a commit holding a GitHub token went through:\n%s", out)
		}
		noSecret(t, []string{tok}, out)
		for _, want := range []string{"src/deploy.py", "3:10", "ghp_*****", "clawgate baseline", "clawgate audit", "pragma: allowlist secret"} {
			if !strings.Contains(out, want) {
				t.Errorf("the refusal does not show %q:\n%s", want, out)
			}
		}
		if _, err := os.Stat(filepath.Join(r.Dir, ".secrets.baseline")); err == nil {
			t.Fatal("the hook wrote a baseline")
		}
		if head := r.Git("log", "--format=%s", "-1"); head != "set up pre-commit" {
			t.Fatalf("the refused commit was made: %s", head)
		}

		if b := clawgate(t, r.Dir, "baseline"); b.code != 0 {
			t.Fatalf("clawgate baseline: %s", b)
		}
		if res := commit(t, r, env, "deploy, accepted"); res.code != 0 {
			t.Fatalf("the baselined commit was refused: %s", res)
		}
		baseline, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))

		// Lines move: the baselined secret is the same finding.
		r.Write("src/deploy.py", "\"\"\"Deploys the app.\"\"\"\nimport os\nimport sys\n\n\nTOKEN = \""+tok+"\"\n")
		if res := commit(t, r, env, "move"); res.code != 0 {
			t.Fatalf("moving a baselined secret was refused: %s", res)
		}
		if after, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline")); string(after) != string(baseline) {
			t.Fatal("the hook rewrote the baseline when a line moved")
		}
		if st := r.Git("status", "--porcelain"); st != "" {
			t.Fatalf("the hook left changes behind:\n%s", st)
		}

		r.Write("docs/notes.md", "Nothing secret here.\n")
		if res := commit(t, r, env, "docs"); res.code != 0 {
			t.Fatalf("a clean commit was refused: %s", res)
		}
		other := testrepo.Secrets(302)["gitlab"]
		r.Write("ci/env.sh", "export GITLAB_TOKEN="+other+"\n")
		if res := commit(t, r, env, "another"); res.code == 0 || !strings.Contains(res.stdout+res.stderr, "ci/env.sh") {
			t.Fatalf("a second, new token went through: %s", res)
		}
	})

	t.Run("clawgate-config", func(t *testing.T) {
		r := testrepo.New(t)
		usePreCommit(t, r, env, repo, rev, "clawgate-config")
		r.Write("coderclaw.json", "{ gateway: { bind: 'lan' } }\n")
		res := commit(t, r, env, "expose the gateway")
		if res.code == 0 || !strings.Contains(res.stdout+res.stderr, "gateway.bind_no_auth") {
			t.Fatalf("a config binding to lan without auth went through: %s", res)
		}
		// Committed anyway, with the hook skipped: a commit that touches
		// no config does not run the lint.
		r.Git("commit", "-q", "--no-verify", "-m", "forced")
		r.Write("README.md", "# app\n\nmore\n")
		res = commit(t, r, env, "readme")
		if res.code != 0 {
			t.Fatalf("a commit without config changes ran the config lint: %s", res)
		}
		r.Write("coderclaw.json", "// still exposed\n{ gateway: { bind: 'lan' } }\n")
		if res := commit(t, r, env, "touch the config"); res.code == 0 {
			t.Fatalf("a changed risky config went through: %s", res)
		}
		// Accepted in the baseline, the settings pass.
		if b := clawgate(t, r.Dir, "baseline"); b.code != 0 {
			t.Fatalf("clawgate baseline: %s", b)
		}
		if res := commit(t, r, env, "accept"); res.code != 0 {
			t.Fatalf("baselined config findings were refused: %s", res)
		}
	})
}
