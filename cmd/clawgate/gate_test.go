package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

var update = flag.Bool("update", false, "rewrite golden files")

// noSecrets fails when any planted secret, or an 8-character prefix of
// one, appears in the outputs.
func noSecrets(t *testing.T, secrets []string, outputs ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, out := range outputs {
			if strings.Contains(out, s[:8]) {
				t.Fatalf("output carries a planted secret's first 8 characters:\n%s", out)
			}
		}
	}
}

// TestSecretGateLifecycle is the "done when": a repository with a
// planted AWS key and GitHub token fails, a baseline makes it pass, moved
// lines still pass, one more secret fails with exactly one new finding, and
// a label set by hand survives the next baseline run.
func TestSecretGateLifecycle(t *testing.T) {
	r := testrepo.New(t)
	aws, gh, gl := testrepo.AWSKey(10), testrepo.GitHubToken(10), testrepo.Secrets(11)["gitlab"]
	planted := []string{aws, gh, gl}
	r.Write("config.env", "AWS_ACCESS_KEY_ID="+aws+"\n")
	r.Write("src/app.py", "import os\nTOKEN = \""+gh+"\"\n")
	r.Commit("plant")

	res := clawgate(t, r.Dir, "scan")
	if res.code != 1 || !strings.Contains(res.stdout, "2 new, 0 known") {
		t.Fatalf("first scan: %s", res)
	}
	noSecrets(t, planted, res.stdout, res.stderr)
	js := clawgate(t, r.Dir, "scan", "--format", "json")
	noSecrets(t, planted, js.stdout)

	if b := clawgate(t, r.Dir, "baseline"); b.code != 0 || !strings.Contains(b.stdout, "created") {
		t.Fatalf("baseline: %s", b)
	}
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 || !strings.Contains(res.stdout, "0 new, 2 known") {
		t.Fatalf("scan after baseline: %s", res)
	}

	// Lines move: still known.
	r.Write("src/app.py", "# a header\n\n\nimport os\nTOKEN = \""+gh+"\"\n")
	r.Write("config.env", "REGION=eu\nAWS_ACCESS_KEY_ID="+aws+"\n")
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("moved lines fail the gate: %s", res)
	}

	// One more secret: exactly one new finding.
	r.Write("deploy.sh", "export GITLAB_TOKEN="+gl+"\n")
	res = clawgate(t, r.Dir, "scan", "--format", "json")
	if res.code != 1 {
		t.Fatalf("new secret passes: %s", res)
	}
	var doc struct {
		Findings []map[string]any
		Summary  struct{ New, Known int }
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.New != 1 || doc.Summary.Known != 2 {
		t.Fatalf("summary = %+v", doc.Summary)
	}
	for _, f := range doc.Findings {
		if f["status"] == "new" && (f["file"] != "deploy.sh" || f["rule"] != "gitlab-pat") {
			t.Fatalf("unexpected new finding %v", f)
		}
	}
	noSecrets(t, planted, res.stdout, res.stderr)

	// A label set by hand survives `clawgate baseline`.
	blPath := filepath.Join(r.Dir, ".secrets.baseline")
	data, _ := os.ReadFile(blPath)
	var raw map[string]any
	json.Unmarshal(data, &raw)
	entry := raw["results"].(map[string]any)["src/app.py"].([]any)[0].(map[string]any)
	entry["is_secret"] = false
	out, _ := json.MarshalIndent(raw, "", "  ")
	os.WriteFile(blPath, append(out, '\n'), 0o644)

	if b := clawgate(t, r.Dir, "baseline"); b.code != 0 || !strings.Contains(b.stdout, "1 label(s) kept") {
		t.Fatalf("baseline update: %s", b)
	}
	data, _ = os.ReadFile(blPath)
	if !strings.Contains(string(data), `"is_secret": false`) || !strings.Contains(string(data), `"deploy.sh"`) {
		t.Fatalf("label lost or new entry missing:\n%s", data)
	}
	noSecrets(t, planted, string(data))
	// Running it again changes nothing, not even the timestamp.
	before, _ := os.ReadFile(blPath)
	if b := clawgate(t, r.Dir, "baseline"); !strings.Contains(b.stdout, "up to date") {
		t.Fatalf("second baseline run: %s", b)
	}
	after, _ := os.ReadFile(blPath)
	if string(before) != string(after) {
		t.Fatal("an unchanged baseline was rewritten")
	}
}

// TestBaselineGolden pins the written file byte for byte.
func TestBaselineGolden(t *testing.T) {
	r := testrepo.New(t)
	s := testrepo.Secrets(20)
	r.Write("b.env", "NPM_TOKEN="+s["npm"]+"\nSTRIPE="+s["stripe"]+"\n")
	r.Write("a/config.env", "AWS="+s["aws"]+"\n")
	r.Write("a/x.py", "t = \""+s["github"]+"\"\nu = \""+s["github"]+"\"\n")
	r.Write("coderclaw.json", "{ gateway: { bind: 'lan' } }\n")
	res := clawgateEnv(t, r.Dir, []string{"SOURCE_DATE_EPOCH=1767225600"}, "baseline")
	if res.code != 0 {
		t.Fatalf("baseline: %s", res)
	}
	got, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	golden(t, "testdata/baseline.golden", got)

	slim := clawgate(t, r.Dir, "baseline", "--slim")
	if slim.code != 0 {
		t.Fatalf("slim: %s", slim)
	}
	got, _ = os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	golden(t, "testdata/baseline-slim.golden", got)
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
		t.Fatalf("%v (run with -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs (run go test ./cmd/clawgate -update to refresh)\ngot:\n%s", path, got)
	}
}

func TestBadBaselines(t *testing.T) {
	r := testrepo.New(t)
	r.Write("a.txt", "hello\n")
	for _, tc := range []struct {
		name, content, want string
	}{
		{"truncated", "{\n  \"version\": \"1.5.0\",\n  \"results\": {\n", ".secrets.baseline:4:1"},
		{"wrong type", "{\"version\": \"1.5.0\", \"results\": []}", ".secrets.baseline:1:33"},
		{"future version", "{\"version\": \"2.0.0\", \"results\": {}}", "2.0.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(r.Dir, ".secrets.baseline")
			os.WriteFile(p, []byte(tc.content), 0o644)
			for _, cmd := range []string{"scan", "baseline"} {
				res := clawgate(t, r.Dir, cmd)
				if res.code != 2 || !strings.Contains(res.stderr, tc.want) {
					t.Fatalf("%s: want exit 2 naming %q: %s", cmd, tc.want, res)
				}
				if got, _ := os.ReadFile(p); string(got) != tc.content {
					t.Fatalf("%s changed the bad baseline", cmd)
				}
			}
		})
	}
	if res := clawgate(t, r.Dir, "scan", "--baseline", "nope.json"); res.code != 2 || !strings.Contains(res.stderr, "nope.json") {
		t.Fatalf("missing --baseline: %s", res)
	}
	os.Remove(filepath.Join(r.Dir, ".secrets.baseline"))
	os.Mkdir(filepath.Join(r.Dir, "dir.baseline"), 0o755)
	if res := clawgate(t, r.Dir, "scan", "--baseline", "dir.baseline"); res.code != 2 || !strings.Contains(res.stderr, "dir.baseline") {
		t.Fatalf("directory baseline: %s", res)
	}
}

// TestDetectSecretsBaselineFilters: a baseline's filters_used regex
// exclusions apply as detect-secrets applies them, --exclude-* add more and
// are recorded, and old 0.x layouts work.
func TestDetectSecretsBaselineFilters(t *testing.T) {
	r := testrepo.New(t)
	s := testrepo.Secrets(30)
	r.Write("tests/fixture.py", "k = \""+s["github"]+"\"\n")
	r.Write("app/main.py", "k = \""+s["stripe"]+"\"\n")
	r.Write("app/other.py", "k = \""+s["npm"]+"\"  # noqa-secret\n")
	r.Write(".secrets.baseline", `{
  "exclude": {"files": "^tests/", "lines": null},
  "generated_at": "2019-01-01T00:00:00Z",
  "plugins_used": [{"name": "AWSKeyDetector"}],
  "results": {},
  "version": "0.13.1"
}
`)
	res := clawgate(t, r.Dir, "scan", "--format", "json")
	if res.code != 1 || strings.Contains(res.stdout, "tests/fixture.py") || !strings.Contains(res.stdout, "app/main.py") {
		t.Fatalf("0.x exclude.files not honoured: %s", res)
	}
	res = clawgate(t, r.Dir, "scan", "--exclude-lines", "noqa-secret", "--exclude-secrets", "^sk_live_", "--format", "json")
	if res.code != 0 {
		t.Fatalf("--exclude-lines/--exclude-secrets: %s", res)
	}
	if b := clawgate(t, r.Dir, "baseline", "--exclude-lines", "noqa-secret"); b.code != 0 {
		t.Fatalf("baseline: %s", b)
	}
	data, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	for _, want := range []string{`"version": "1.5.0"`, "should_exclude_file", `"^tests/"`, "should_exclude_line", `"noqa-secret"`, `"app/main.py"`} {
		if !strings.Contains(string(data), want) {
			t.Fatalf("baseline lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), "app/other.py") {
		t.Fatal("a line excluded by --exclude-lines was recorded")
	}
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("recorded filters not applied: %s", res)
	}
}

func TestSizeCapAndBinaryFiles(t *testing.T) {
	r := testrepo.New(t)
	r.Write("big.log", strings.Repeat("line\n", 3000))
	r.Write("blob.dat", "\x00\x01"+testrepo.GitHubToken(40))
	res := clawgate(t, r.Dir, "scan", "--max-file-size", "10KB")
	if res.code != 0 || !strings.Contains(res.stdout, "skipped big.log: too large") {
		t.Fatalf("size cap not reported: %s", res)
	}
	js := clawgate(t, r.Dir, "scan", "--max-file-size", "10KB", "--format", "json")
	if !strings.Contains(js.stdout, `"reason": "too large"`) {
		t.Fatalf("json lacks the skipped file: %s", js)
	}
}

func TestFailOnUnauditedAndSecret(t *testing.T) {
	r := testrepo.New(t)
	r.Write("a.env", "T="+testrepo.GitHubToken(50)+"\n")
	r.Write("b.env", "T="+testrepo.AWSKey(50)+"\n")
	clawgate(t, r.Dir, "baseline")
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("plain scan: %s", res)
	}
	if res := clawgate(t, r.Dir, "scan", "--fail-on-unaudited"); res.code != 1 || !strings.Contains(res.stderr, "2 unaudited entries") {
		t.Fatalf("--fail-on-unaudited: %s", res)
	}
	p := filepath.Join(r.Dir, ".secrets.baseline")
	data, _ := os.ReadFile(p)
	// Label a.env a false positive and b.env a real secret.
	s := strings.Replace(string(data), "\"line_number\": 1\n", "\"line_number\": 1,\n        \"is_secret\": false\n", 1)
	s = strings.Replace(s, "\"line_number\": 1\n", "\"line_number\": 1,\n        \"is_secret\": true\n", 1)
	os.WriteFile(p, []byte(s), 0o644)
	if res := clawgate(t, r.Dir, "scan", "--fail-on-unaudited"); res.code != 0 {
		t.Fatalf("all labelled: %s", res)
	}
	if res := clawgate(t, r.Dir, "scan", "--fail-on-secret"); res.code != 1 || !strings.Contains(res.stderr, "1 entry labelled as real") {
		t.Fatalf("--fail-on-secret: %s", res)
	}
}

// Writing a report to a device must write to it, never replace it.
func TestOutputToDevice(t *testing.T) {
	r := testrepo.New(t)
	r.Write("a.txt", "hello\n")
	before, err := os.Stat(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	if res := clawgate(t, r.Dir, "scan", "--output", os.DevNull, "--sarif", os.DevNull); res.code != 0 {
		t.Fatalf("scan: %s", res)
	}
	after, err := os.Stat(os.DevNull)
	if err != nil || after.Mode() != before.Mode() || after.Mode().IsRegular() {
		t.Fatalf("%s was replaced: %v %v", os.DevNull, after.Mode(), err)
	}
}

// A finding a .gitleaksignore fingerprint accepts stays accepted when a
// baseline exists that does not hold it, and the baseline never records
// it: only one of the two mechanisms decides a finding.
func TestGitleaksIgnoreWithABaseline(t *testing.T) {
	r := testrepo.New(t)
	r.Write("config.env", "AWS_ACCESS_KEY_ID="+testrepo.AWSKey(30)+"\n")
	r.Write("app.py", "TOKEN = \""+testrepo.GitHubToken(30)+"\"\n")
	r.Write(".gitleaksignore", "config.env:aws-access-token:1\n")
	r.Commit("plant")
	if res := clawgate(t, r.Dir, "scan"); res.code != 1 || !strings.Contains(res.stdout, "1 new, 1 known") {
		t.Fatalf("without a baseline: %s", res)
	}
	if res := clawgate(t, r.Dir, "baseline"); res.code != 0 {
		t.Fatalf("baseline: %s", res)
	}
	if b, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline")); strings.Contains(string(b), "config.env") {
		t.Fatalf("the baseline records the ignored finding:\n%s", b)
	}
	res := clawgate(t, r.Dir, "scan", "--format", "json", "--show-known")
	if res.code != 0 || !strings.Contains(res.stdout, `"known_by": "gitleaksignore"`) || !strings.Contains(res.stdout, `"known_by": "baseline"`) {
		t.Fatalf("with the baseline: %s", res)
	}
}
