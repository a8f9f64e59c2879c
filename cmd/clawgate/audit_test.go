package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/internal/testrepo"
)

// clawgateIn runs the binary with stdin from a string (a pipe, not a
// terminal).
func clawgateIn(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	o := testrepo.Run(t, dir, nil, stdin, binary, args...)
	return result{o.Stdout, o.Stderr, o.Code}
}

// auditRepo is a repository with three planted secrets and a baseline of
// them: app.py (GitHub token, line 6), config.env (AWS key, line 2) and
// deploy.sh (Stripe key, line 2), in that order.
func auditRepo(t *testing.T, seed int64) (*testrepo.Repo, map[string]string) {
	t.Helper()
	r := testrepo.New(t)
	s := testrepo.Secrets(seed)
	r.Write("app.py", "import os\n\n\ndef token():\n    return 1\nTOKEN = \""+s["github"]+"\"\n")
	r.Write("config.env", "REGION=eu\nAWS_ACCESS_KEY_ID="+s["aws"]+"\n")
	r.Write("deploy.sh", "# deploy\nexport STRIPE_KEY="+s["stripe"]+"\n")
	res := clawgateEnv(t, r.Dir, []string{"SOURCE_DATE_EPOCH=1767225600"}, "baseline")
	if res.code != 0 || !strings.Contains(res.stdout, "3 secret(s)") {
		t.Fatalf("baseline: %s", res)
	}
	return r, s
}

func planted(s map[string]string) []string {
	return []string{s["github"], s["aws"], s["stripe"]}
}

// labelsOf reads the baseline's labels by file, failing on an invalid file.
func labelsOf(t *testing.T, dir string) map[string]baseline.Label {
	t.Helper()
	f, err := baseline.Read(filepath.Join(dir, ".secrets.baseline"))
	if err != nil {
		t.Fatalf("the baseline is not valid: %v", err)
	}
	out := map[string]baseline.Label{}
	for i := range f.Results {
		out[f.Results[i].Filename] = baseline.LabelOf(&f.Results[i])
	}
	return out
}

func wantLabels(t *testing.T, dir string, app, config, deploy baseline.Label) {
	t.Helper()
	got := labelsOf(t, dir)
	if got["app.py"] != app || got["config.env"] != config || got["deploy.sh"] != deploy {
		t.Fatalf("labels %v, want app.py %s, config.env %s, deploy.sh %s", got, app, config, deploy)
	}
}

const (
	U  = baseline.LabelUnlabelled
	FP = baseline.LabelFalsePositive
	S  = baseline.LabelSecret
)

// TestAuditPipedAnswers is the "done when" through a pipe: y, n, q
// leave false, true and unlabelled; the next run shows "entry 1 of 1".
// Nothing but the labels changes, and no secret reaches the output.
func TestAuditPipedAnswers(t *testing.T) {
	r, s := auditRepo(t, 70)
	blPath := filepath.Join(r.Dir, ".secrets.baseline")
	before, _ := os.ReadFile(blPath)

	res := clawgateIn(t, r.Dir, "y\nn\nq\n", "audit")
	if res.code != 0 {
		t.Fatalf("audit: %s", res)
	}
	for _, want := range []string{
		"entry 1 of 3\nFile:  app.py\nLine:  6\nType:  GitHub Token\n",
		"> 6 | TOKEN = \"ghp_*****\"\n",
		"entry 2 of 3\nFile:  config.env",
		"entry 3 of 3\nFile:  deploy.sh",
		promptLabel + "q\nQuitting. Every answer so far is saved in .secrets.baseline.\n",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Fatalf("output lacks %q:\n%s", want, res.stdout)
		}
	}
	noSecrets(t, planted(s), res.stdout, res.stderr)
	wantLabels(t, r.Dir, FP, S, U)
	after, _ := os.ReadFile(blPath)
	labelsOnly(t, before, after)

	res = clawgateIn(t, r.Dir, "maybe\n\nY\n", "audit")
	if res.code != 0 || !strings.Contains(res.stdout, "entry 1 of 1\nFile:  deploy.sh") {
		t.Fatalf("second run: %s", res)
	}
	if strings.Count(res.stdout, "Invalid input.") != 2 || !strings.Contains(res.stdout, "Done: went through all 1 entry") {
		t.Fatalf("invalid answers: %s", res)
	}
	wantLabels(t, r.Dir, FP, S, FP)

	if res := clawgateIn(t, r.Dir, "", "audit"); res.code != 0 || !strings.Contains(res.stdout, "Nothing to audit!") {
		t.Fatalf("all labelled: %s", res)
	}
	// --all walks labelled entries too; end of input quits and keeps all.
	before, _ = os.ReadFile(blPath)
	res = clawgateIn(t, r.Dir, "", "audit", "--all")
	if res.code != 0 || !strings.Contains(res.stdout, "entry 1 of 3") || !strings.Contains(res.stdout, "Label: false-positive") || !strings.Contains(res.stdout, "Quitting") {
		t.Fatalf("--all at end of input: %s", res)
	}
	if after, _ := os.ReadFile(blPath); !bytes.Equal(before, after) {
		t.Fatal("quitting changed the file")
	}
}

// labelsOnly fails unless the files differ in is_secret lines only; in
// particular generated_at is left alone.
func labelsOnly(t *testing.T, before, after []byte) {
	t.Helper()
	strip := func(b []byte) string {
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.Contains(l, `"is_secret"`) {
				out = append(out, strings.TrimSuffix(l, ","))
			}
		}
		return strings.Join(out, "\n")
	}
	if strip(before) != strip(after) {
		t.Fatalf("more than the labels changed:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

// TestAuditBackAndSkip: b goes back, s after b takes back the answer given
// in this session, b at the first entry says so.
func TestAuditBackAndSkip(t *testing.T) {
	r, _ := auditRepo(t, 71)
	res := clawgateIn(t, r.Dir, "b\ny\nn\nb\ns\nq\n", "audit")
	if res.code != 0 {
		t.Fatalf("audit: %s", res)
	}
	for _, want := range []string{
		"nothing to go back to",
		"Labelled a false positive (is_secret: false); saved.",
		"Labelled a real secret (is_secret: true); saved.",
		"label given earlier in this session is taken back (unlabelled)",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Fatalf("output lacks %q:\n%s", want, res.stdout)
		}
	}
	if n := strings.Count(res.stdout, "entry 2 of 3"); n != 2 {
		t.Fatalf("entry 2 shown %d times, want 2 (b went back):\n%s", n, res.stdout)
	}
	wantLabels(t, r.Dir, FP, U, U)
}

// TestAuditMovedAndGone: a secret whose lines moved is shown at its new
// line; one that is gone is said to be, and only s, b and q are offered.
func TestAuditMovedAndGone(t *testing.T) {
	r, s := auditRepo(t, 72)
	// The GitHub token is a context line now: masked too.
	r.Write("config.env", "# moved\nGH="+s["github"]+"\n\nREGION=eu\nAWS_ACCESS_KEY_ID="+s["aws"]+"\n")
	r.Write("deploy.sh", "# deploy\nexport STRIPE_KEY=$(vault read stripe)\n")
	res := clawgateIn(t, r.Dir, "s\ny\ny\nn\ns\n", "audit")
	if res.code != 0 {
		t.Fatalf("audit: %s", res)
	}
	for _, want := range []string{
		"File:  config.env\nLine:  5 (recorded as line 2)\n",
		"  2 | GH=ghp_*****\n",
		"> 5 | AWS_ACCESS_KEY_ID=AKIA*****\n",
		"File:  deploy.sh\nLine:  2 (recorded)\nType:  Stripe Access Key\n",
		"The secret is gone: no string in the file has this hash.",
		promptGone + "y\nInvalid input.\n" + promptGone + "n\nInvalid input.\n" + promptGone + "s\nSkipped.",
		"Done: went through all 3 entries",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Fatalf("output lacks %q:\n%s", want, res.stdout)
		}
	}
	noSecrets(t, planted(s), res.stdout, res.stderr)
	wantLabels(t, r.Dir, U, FP, U)

	// A slim baseline has no line numbers: secrets are found by hash. (It
	// now also holds the token in config.env.)
	if b := clawgate(t, r.Dir, "baseline", "--slim"); b.code != 0 {
		t.Fatalf("slim: %s", b)
	}
	res = clawgateIn(t, r.Dir, "q\n", "audit")
	if res.code != 0 || !strings.Contains(res.stdout, "entry 1 of 2\nFile:  app.py\nLine:  6\n") {
		t.Fatalf("slim baseline: %s", res)
	}
}

func TestAuditMark(t *testing.T) {
	r, s := auditRepo(t, 73)
	r.Write("tests/fixture.env", "K="+testrepo.Secrets(74)["npm"]+"\n")
	clawgate(t, r.Dir, "baseline")
	blPath := filepath.Join(r.Dir, ".secrets.baseline")
	before, _ := os.ReadFile(blPath)

	res := clawgate(t, r.Dir, "audit", "--mark", "false-positive", "--file", "tests/**")
	if res.code != 0 || res.stdout != "1 entry changed to false-positive (1 matched, 0 already were) in .secrets.baseline.\n" {
		t.Fatalf("--file: %s", res)
	}
	if got := labelsOf(t, r.Dir)["tests/fixture.env"]; got != FP {
		t.Fatalf("tests/fixture.env is %s", got)
	}
	// A glob without '/' matches the base name at any depth.
	res = clawgate(t, r.Dir, "audit", "--mark", "secret", "--file", "*.env")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "2 entries changed to secret (2 matched, 0 already were)") {
		t.Fatalf("*.env: %s", res)
	}
	// Type and hash, combined: both must match.
	f, _ := baseline.Read(blPath)
	var ghHash string
	for _, e := range f.Results {
		if e.Type == "GitHub Token" {
			ghHash = e.HashedSecret
		}
	}
	res = clawgate(t, r.Dir, "audit", "--mark", "secret", "--type", "Stripe Access Key", "--hash", ghHash)
	if res.code != 0 || !strings.HasPrefix(res.stdout, "No entry") {
		t.Fatalf("type and hash that select nothing: %s", res)
	}
	res = clawgate(t, r.Dir, "audit", "--mark", "false-positive", "--type", "github token", "--hash", ghHash[:10], "--file", "**")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "1 entry changed to false-positive") {
		t.Fatalf("type, hash prefix and glob: %s", res)
	}
	res = clawgate(t, r.Dir, "audit", "--mark", "false-positive", "--type", "GitHub Token")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "0 entries changed to false-positive (1 matched, 1 already was)") {
		t.Fatalf("unchanged: %s", res)
	}
	want := map[string]baseline.Label{"app.py": FP, "config.env": S, "deploy.sh": U, "tests/fixture.env": S}
	for file, l := range labelsOf(t, r.Dir) {
		if want[file] != l {
			t.Fatalf("%s is %s, want %s", file, l, want[file])
		}
	}
	res = clawgate(t, r.Dir, "audit", "--mark", "unlabelled", "--file", "**")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "3 entries changed to unlabelled") {
		t.Fatalf("clear: %s", res)
	}
	// Back where it started, byte for byte.
	if after, _ := os.ReadFile(blPath); !bytes.Equal(before, after) {
		t.Fatalf("marking and unmarking changed the file:\n%s", after)
	}
	noSecrets(t, planted(s), string(before))
}

// TestAuditReportAndStats pins --report and --stats (text and JSON) with
// goldens: masked, with moved and gone entries and every label.
func TestAuditReportAndStats(t *testing.T) {
	r, s := auditRepo(t, 75)
	clawgate(t, r.Dir, "audit", "--mark", "false-positive", "--file", "app.py")
	clawgate(t, r.Dir, "audit", "--mark", "secret", "--file", "config.env")
	r.Write("config.env", "# moved\nREGION=eu\nAWS_ACCESS_KEY_ID="+s["aws"]+"\n")
	r.Write("deploy.sh", "# the key moved to the vault\n")

	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"testdata/audit-report.golden", []string{"--report"}},
		{"testdata/audit-report-json.golden", []string{"--report", "--format", "json"}},
		{"testdata/audit-stats.golden", []string{"--stats"}},
		{"testdata/audit-stats-json.golden", []string{"--stats", "--format", "json"}},
	} {
		res := clawgate(t, r.Dir, append([]string{"audit"}, tc.args...)...)
		if res.code != 0 || res.stderr != "" {
			t.Fatalf("%v: %s", tc.args, res)
		}
		noSecrets(t, planted(s), res.stdout)
		golden(t, tc.golden, []byte(res.stdout))
	}
	res := clawgate(t, r.Dir, "audit", "--report", "--unmask", "--format", "json")
	if !strings.Contains(res.stdout, `"secret": "`+s["github"]+`"`) || !strings.Contains(res.stdout, `"secret": "`+s["aws"]+`"`) {
		t.Fatalf("--unmask does not show the secrets: %s", res)
	}
	// --file, --type and --hash narrow the report and the stats too.
	res = clawgate(t, r.Dir, "audit", "--stats", "--type", "AWS Access Key")
	if !strings.Contains(res.stdout, "AWS Access Key") || strings.Contains(res.stdout, "GitHub Token") {
		t.Fatalf("narrowed stats: %s", res)
	}
}

func TestAuditErrors(t *testing.T) {
	r, _ := auditRepo(t, 76)
	dir := r.Dir
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"audit", "a", "b"}, "one baseline at a time"},
		{[]string{"audit", "nope.json"}, "nope.json: cannot read the baseline"},
		{[]string{"audit", "--mark", "maybe", "--file", "**"}, `unknown --mark "maybe"`},
		{[]string{"audit", "--mark", "secret"}, "--mark needs --file, --type or --hash"},
		{[]string{"audit", "--mark", "secret", "--file", "a/[b"}, "syntax error in pattern"},
		{[]string{"audit", "--mark", "secret", "--hash", "abc"}, "prefix of at least 7"},
		{[]string{"audit", "--report", "--stats"}, "one at a time"},
		{[]string{"audit", "--report", "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"audit", "--format", "json"}, "--format applies to --report and --stats"},
		{[]string{"audit", "--unmask"}, "--unmask applies to --report"},
		{[]string{"audit", "--all", "--stats"}, "--all applies to the interactive walk"},
	} {
		res := clawgate(t, dir, tc.args...)
		if res.code != 2 || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: want exit 2 and %q: %s", tc.args, tc.want, res)
		}
	}
	empty := t.TempDir()
	if res := clawgate(t, empty, "audit"); res.code != 2 || !strings.Contains(res.stderr, ".secrets.baseline: cannot read the baseline") || !strings.Contains(res.stderr, "clawgate baseline") {
		t.Errorf("no baseline: %s", res)
	}
	p := filepath.Join(empty, "broken.baseline")
	broken := "{\n  \"version\": \"1.5.0\",\n  \"results\": {\n"
	os.WriteFile(p, []byte(broken), 0o644)
	for _, args := range [][]string{{"audit", "broken.baseline"}, {"audit", "--report", "broken.baseline"}, {"audit", "--mark", "secret", "--file", "**", "broken.baseline"}} {
		res := clawgateIn(t, empty, "y\n", args...)
		if res.code != 2 || !strings.Contains(res.stderr, "broken.baseline:4:1") {
			t.Errorf("%v: want the file and position: %s", args, res)
		}
	}
	if got, _ := os.ReadFile(p); string(got) != broken {
		t.Error("a broken baseline was changed")
	}
}

func TestAuditHelp(t *testing.T) {
	dir := t.TempDir()
	res := clawgate(t, dir, "audit", "--help")
	if res.code != 0 || !strings.Contains(res.stdout, "Usage: clawgate audit [BASELINE]") || !strings.Contains(res.stdout, strings.TrimSpace(promptLabel)) {
		t.Fatalf("audit --help: %s", res)
	}
	if res := clawgate(t, dir, "help"); !strings.Contains(res.stdout, "audit ") {
		t.Fatalf("help does not list audit: %s", res)
	}
}
