package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// The seed page's "safe default" CoderClaw config.
const safeDefault = `{
  gateway: {
    mode: "local",
    bind: "loopback",
    port: 18789,
    auth: { mode: "token", token: "your-long-random-token" },
  },
  channels: {
    whatsapp: {
      dmPolicy: "pairing",
      groups: { "*": { requireMention: true } },
    },
  },
}
`

// TestConfigGate is issue 3's "done when": the safe default yields no
// critical finding, a baseline records its warnings and the gate passes;
// then a commit binding the gateway to "lan" fails with
// gateway.bind_no_auth at that line.
func TestConfigGate(t *testing.T) {
	r := testrepo.New(t)
	r.Write("coderclaw.json", safeDefault)
	r.Commit("safe default")

	res := clawgate(t, r.Dir, "scan", "--format", "json")
	if strings.Contains(res.stdout, `"severity": "critical"`) {
		t.Fatalf("safe default has a critical finding: %s", res)
	}
	if b := clawgate(t, r.Dir, "baseline"); b.code != 0 || !strings.Contains(b.stdout, "config finding") {
		t.Fatalf("baseline: %s", b)
	}
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("scan after baseline: %s", res)
	}

	exposed := strings.Replace(safeDefault, `bind: "loopback"`, `bind: "lan"`, 1)
	exposed = strings.Replace(exposed, `    auth: { mode: "token", token: "your-long-random-token" },`+"\n", "", 1)
	r.Write("coderclaw.json", exposed)
	r.Commit("expose the gateway")
	res = clawgate(t, r.Dir, "scan")
	if res.code != 1 || !strings.Contains(res.stdout, "coderclaw.json:4:11  new  critical  gateway.bind_no_auth") {
		t.Fatalf("bind lan: %s", res)
	}
	if strings.Contains(res.stdout, "your-long-random-token") {
		t.Fatal("the config's token was printed")
	}
	// The same through the lint command, and in a pull request's range.
	if l := clawgate(t, r.Dir, "lint"); l.code != 1 || !strings.Contains(l.stdout, "gateway.bind_no_auth") {
		t.Fatalf("lint: %s", l)
	}
	if s := clawgate(t, r.Dir, "scan", "--since", "HEAD~1"); s.code != 1 || !strings.Contains(s.stdout, "gateway.bind_no_auth") {
		t.Fatalf("--since: %s", s)
	}
	// --fail-on critical still fails: bind_no_auth is critical.
	if s := clawgate(t, r.Dir, "scan", "--fail-on", "critical"); s.code != 1 {
		t.Fatalf("--fail-on critical: %s", s)
	}
}

func TestLintErrorsAndFix(t *testing.T) {
	r := testrepo.New(t)
	r.Write("coderclaw.json", "{\n  gateway: {\n    bind: 'loopback'\n    port: 1,\n  },\n}\n")
	res := clawgate(t, r.Dir, "lint")
	if res.code != 2 || !strings.Contains(res.stderr, "coderclaw.json:4:5") {
		t.Fatalf("syntax error: %s", res)
	}
	if s := clawgate(t, r.Dir, "scan"); s.code != 2 || !strings.Contains(s.stderr, "coderclaw.json:4:5") {
		t.Fatalf("scan on a broken config: %s", s)
	}

	src := "// gateway\n{\n  /* logs */ logging: { redactSensitive: 'off' }, // keep this comment\n  channels: { discord: { groupPolicy: \"open\", token: '${DISCORD_TOKEN}' } },\n}\n"
	r.Write("coderclaw.json", src)
	dry := clawgate(t, r.Dir, "lint", "--fix", "--dry-run")
	if dry.code != 0 || !strings.Contains(dry.stdout, "-  /* logs */ logging: { redactSensitive: 'off' }") {
		t.Fatalf("dry run: %s", dry)
	}
	if got, _ := os.ReadFile(filepath.Join(r.Dir, "coderclaw.json")); string(got) != src {
		t.Fatal("--dry-run changed the file")
	}
	clawgate(t, r.Dir, "lint", "--fix")
	got, _ := os.ReadFile(filepath.Join(r.Dir, "coderclaw.json"))
	want := strings.Replace(strings.Replace(src, "'off'", "'tools'", 1), `"open"`, `"allowlist"`, 1)
	if string(got) != want {
		t.Fatalf("--fix changed more than the values:\n%s", got)
	}
}

func TestChecksCommand(t *testing.T) {
	res := clawgate(t, t.TempDir(), "checks")
	if res.code != 0 || !strings.Contains(res.stdout, "gateway.bind_no_auth") || !strings.Contains(res.stdout, "critical") {
		t.Fatalf("checks: %s", res)
	}
	md := clawgate(t, t.TempDir(), "checks", "--format", "markdown")
	doc, _ := os.ReadFile("../../docs/checks.md")
	if md.stdout != string(doc) {
		t.Fatal("clawgate checks --format markdown differs from docs/checks.md")
	}
}
