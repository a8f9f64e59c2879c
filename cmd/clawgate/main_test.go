package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// The CLI tests run the real binary, as CI and people do.
var binary string

func TestMain(m *testing.M) { testrepo.RunWithBinary(m, &binary) }

type result struct {
	stdout, stderr string
	code           int
}

// clawgate runs the binary in dir with args.
func clawgate(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return clawgateEnv(t, dir, nil, args...)
}

func clawgateEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	o := testrepo.Run(t, dir, env, "", binary, args...)
	return result{o.Stdout, o.Stderr, o.Code}
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

func TestHelpAndUsage(t *testing.T) {
	dir := t.TempDir()
	if r := clawgate(t, dir); r.code != 2 || !strings.Contains(r.stderr, "Usage: clawgate <command>") {
		t.Fatalf("no args: %s", r)
	}
	if r := clawgate(t, dir, "help"); r.code != 0 || !strings.Contains(r.stdout, "scan") || !strings.Contains(r.stdout, "baseline") {
		t.Fatalf("help: %s", r)
	}
	for _, c := range []string{"scan", "baseline", "version"} {
		r := clawgate(t, dir, c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: clawgate "+c) {
			t.Fatalf("%s --help: %s", c, r)
		}
		if r2 := clawgate(t, dir, "help", c); r2.stdout != r.stdout {
			t.Fatalf("help %s differs from %s --help", c, c)
		}
	}
	if r := clawgate(t, dir, "scan", "--no-such-flag"); r.code != 2 || !strings.Contains(r.stderr, "unknown flag") {
		t.Fatalf("bad flag: %s", r)
	}
	if r := clawgate(t, dir, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Fatalf("bad command: %s", r)
	}
	if r := clawgate(t, dir, "version"); r.code != 0 || !strings.Contains(r.stdout, "regexp engine") || !strings.Contains(r.stdout, "gitleaks rules v8.30.1") {
		t.Fatalf("version: %s", r)
	}
}
