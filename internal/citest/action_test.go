package citest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/sarifcheck"
	"github.com/coderclaw/clawgate/internal/testrepo"
)

// pr is a repository checked out the way actions/checkout checks out a
// pull request: GitHub's merge commit (first parent the base, second the
// pull request's head), detached, with the whole history (fetch-depth: 0).
type pr struct {
	*testrepo.Repo
	base, head, merge string
}

func newPR(t *testing.T, setup func(r *testrepo.Repo), commits ...func(r *testrepo.Repo)) *pr {
	t.Helper()
	r := testrepo.New(t)
	setup(r)
	p := &pr{Repo: r, base: r.Commit("base")}
	r.Git("checkout", "-q", "-b", "feature")
	for i, c := range commits {
		c(r)
		p.head = r.Commit(fmt.Sprint("pull request commit ", i+1))
	}
	r.Git("checkout", "-q", "--detach", p.base)
	r.Git("merge", "-q", "--no-ff", "--no-edit", "feature")
	p.merge = r.Git("rev-parse", "HEAD")
	return p
}

func (p *pr) payload() map[string]any {
	repo := map[string]any{"full_name": "octo/app"}
	return map[string]any{
		"action": "synchronize",
		"number": 7,
		"pull_request": map[string]any{
			"number": 7,
			"base":   map[string]any{"sha": p.base, "ref": "main", "repo": repo},
			"head":   map[string]any{"sha": p.head, "ref": "feature", "repo": repo},
		},
		"repository": repo,
	}
}

func (p *pr) runAction(t *testing.T, inputs map[string]string) *actionRun {
	t.Helper()
	return runAction(t, runOpts{Workspace: p.Dir, Event: "pull_request", Payload: p.payload(), Inputs: inputs})
}

// sarifLog is the part of a SARIF log the tests read.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, path string) (sarifLog, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("SARIF log: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("SARIF log %s: %v, %d runs", path, err, len(log.Runs))
	}
	return log, string(data)
}

// results lists a log's results as "file:line rule", sorted.
func (l sarifLog) results() []string {
	var out []string
	for _, r := range l.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		out = append(out, fmt.Sprintf("%s:%d %s", loc.ArtifactLocation.URI, loc.Region.StartLine, r.RuleID))
	}
	sort.Strings(out)
	return out
}

// checkWiring checks what the run would hand to the steps it does not run.
func checkWiring(t *testing.T, run *actionRun, wantUpload bool, category string) {
	t.Helper()
	setup := run.step(t, "Set up Go")
	if !setup.Ran || setup.With["go-version-file"] != filepath.Join(repoRoot, "go.mod") {
		t.Errorf("setup-go: ran=%v with %v, want go-version-file %s/go.mod", setup.Ran, setup.With, repoRoot)
	}
	up := run.step(t, "Upload SARIF to code scanning")
	if up.Ran != wantUpload {
		t.Fatalf("upload-sarif would run: %v, want %v\n%s", up.Ran, wantUpload, run)
	}
	if !wantUpload {
		return
	}
	if up.With["sarif_file"] != run.Outputs["sarif-file"] || up.With["category"] != category {
		t.Errorf("upload-sarif with %v, want sarif_file %s and category %s", up.With, run.Outputs["sarif-file"], category)
	}
	if _, err := os.Stat(up.With["sarif_file"]); err != nil {
		t.Errorf("upload-sarif would get a missing file: %v", err)
	}
}

// TestActionPullRequestAddsOneSecret is issue 4's "done when": the action
// run on a pull request that adds one secret fails with exit 1,
// new-findings 1, a summary naming the file, an annotation at its line, and
// a SARIF log with that one result, uploaded although the gate failed.
func TestActionPullRequestAddsOneSecret(t *testing.T) {
	t.Parallel()
	tok := testrepo.GitHubToken(201)
	p := newPR(t, func(r *testrepo.Repo) {
		r.Write("README.md", "# app\n")
		r.Write("src/app.py", "import os\n")
	}, func(r *testrepo.Repo) {
		r.Write("config/settings.py", "# settings\nDEBUG = False\nGITHUB_TOKEN = \""+tok+"\"\n")
	})
	run := p.runAction(t, nil)

	gate := run.step(t, "gate")
	if !run.Failed || run.Code != 1 || gate.Code != 1 {
		t.Fatalf("want the gate to fail with exit 1\n%s", run)
	}
	if run.Outputs["new-findings"] != "1" {
		t.Fatalf("new-findings = %q, want 1\n%s", run.Outputs["new-findings"], run)
	}
	if !strings.Contains(gate.Summary, "config/settings.py") {
		t.Fatalf("the step summary does not name the file:\n%s", gate.Summary)
	}
	if !strings.Contains(gate.Stdout, "::error file=config/settings.py,line=3,") {
		t.Fatalf("no error annotation at config/settings.py:3:\n%s", gate.Stdout)
	}
	if !strings.Contains(gate.Stdout, "scanning the lines added by the pull request's commits ("+p.base+".."+p.head+")") {
		t.Fatalf("the pull request was not scanned as a range ending at its head:\n%s", gate.Stdout)
	}
	log, raw := readSARIF(t, run.Outputs["sarif-file"])
	if got := log.results(); len(got) != 1 || got[0] != "config/settings.py:3 github-pat" {
		t.Fatalf("SARIF results = %v, want config/settings.py:3 github-pat", got)
	}
	if id := log.Runs[0].AutomationDetails.ID; id != "clawgate/" {
		t.Errorf("automationDetails.id = %q, want clawgate/", id)
	}
	noSecret(t, []string{tok}, run.log(), gate.Summary, raw)
	checkWiring(t, run, true, "clawgate")
}

// TestActionPullRequestHistory: a token added by one commit of a pull
// request and deleted by the next is still in history; the pull request's
// scan reports it while a scan of the merged tree cannot see it.
func TestActionPullRequestHistory(t *testing.T) {
	t.Parallel()
	tok := testrepo.Secrets(211)["stripe"]
	var added string
	p := newPR(t, func(r *testrepo.Repo) {
		r.Write("README.md", "# app\n")
	}, func(r *testrepo.Repo) {
		r.Write("billing.env", "STRIPE_KEY="+tok+"\n")
	}, func(r *testrepo.Repo) {
		added = r.Git("rev-parse", "HEAD")
		r.Write("billing.env", "STRIPE_KEY=${STRIPE_KEY}\n")
	})
	run := p.runAction(t, nil)
	if run.Code != 1 || run.Outputs["new-findings"] != "1" {
		t.Fatalf("the deleted token went unreported\n%s", run)
	}
	if gate := run.step(t, "gate"); !strings.Contains(gate.Stdout, "@"+added[:7]) {
		t.Fatalf("the finding does not name the commit that added it (%s)\n%s", added, gate.Stdout)
	}
	full := p.runAction(t, map[string]string{"scan-mode": "full"})
	if full.Failed || full.Outputs["new-findings"] != "0" {
		t.Fatalf("scan-mode full sees only the tree, which is clean\n%s", full)
	}
	checkWiring(t, full, true, "clawgate")
}

// TestActionBaselinedAndMoved: a pull request that moves a baselined
// secret and adds clean code passes, with new-findings 0 and the SARIF log
// uploaded all the same (code scanning then closes stale alerts).
func TestActionBaselinedAndMoved(t *testing.T) {
	t.Parallel()
	tok := testrepo.AWSKey(221)
	p := newPR(t, func(r *testrepo.Repo) {
		r.Write("deploy/aws.env", "AWS_ACCESS_KEY_ID="+tok+"\n")
		if res := clawgate(t, r.Dir, "baseline"); res.code != 0 {
			t.Fatalf("baseline: %s", res)
		}
	}, func(r *testrepo.Repo) {
		r.Write("deploy/aws.env", "# moved down\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID="+tok+"\n")
		r.Write("src/main.go", "package main\n\nfunc main() {}\n")
	})
	run := p.runAction(t, nil)
	if run.Failed || run.Outputs["new-findings"] != "0" {
		t.Fatalf("a moved, baselined secret failed the pull request\n%s", run)
	}
	log, raw := readSARIF(t, run.Outputs["sarif-file"])
	if len(log.Runs[0].Results) != 0 {
		t.Fatalf("known findings reached the SARIF log: %v", log.results())
	}
	noSecret(t, []string{tok}, run.log(), raw)
	checkWiring(t, run, true, "clawgate")
}

// TestActionPushFullScanSARIF: on a push the action scans the tree; the
// SARIF log of a repository with a planted token and a coderclaw.json that
// binds to "lan" without auth validates with the GitHub rules, holds no
// secret bytes, and has one result per new finding, at its line.
func TestActionPushFullScanSARIF(t *testing.T) {
	t.Parallel()
	tok := testrepo.GitHubToken(231)
	r := testrepo.New(t)
	r.Write("README.md", "# app\n")
	r.Write("scripts/release.sh", "#!/bin/sh\n\nexport GITHUB_TOKEN="+tok+"\n")
	r.Write("coderclaw.json", "{\n  // reachable from the LAN\n  gateway: { bind: 'lan' },\n}\n")
	before := r.Commit("first")
	r.Write("README.md", "# app\n\nmore\n")
	r.Commit("second")
	run := runAction(t, runOpts{Workspace: r.Dir, Event: "push", Payload: map[string]any{"before": before, "after": r.Git("rev-parse", "HEAD")}})

	// The gate's own view, from a separate JSON run of the same tree.
	want, _ := scanJSON(t, r.Dir)
	var wantResults []string
	for _, f := range newFindings(want) {
		wantResults = append(wantResults, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
	}
	sort.Strings(wantResults)
	kinds := map[string]bool{}
	for _, f := range want.Findings {
		kinds[f.Kind] = true
	}
	if !kinds["secret"] || !kinds["config"] {
		t.Fatalf("the planted token and config should both be found: %+v", want.Findings)
	}
	if run.Code != 1 || run.Outputs["new-findings"] != fmt.Sprint(len(wantResults)) {
		t.Fatalf("push: want exit 1 and new-findings %d\n%s", len(wantResults), run)
	}
	path := run.Outputs["sarif-file"]
	log, raw := readSARIF(t, path)
	if got := log.results(); strings.Join(got, "\n") != strings.Join(wantResults, "\n") {
		t.Fatalf("SARIF results:\n%s\nwant one per new finding:\n%s", strings.Join(got, "\n"), strings.Join(wantResults, "\n"))
	}
	noSecret(t, []string{tok}, raw, run.log())
	if strings.Contains(raw, tok[len(tok)-12:]) {
		t.Fatal("the SARIF log holds the token's tail")
	}
	checkWiring(t, run, true, "clawgate")

	bin := os.Getenv(sarifcheck.EnvVar)
	if bin == "" {
		msg := sarifcheck.EnvVar + " is not set, so the SARIF Multitool does not run; " +
			"set it with: export " + sarifcheck.EnvVar + "=\"$(scripts/sarif-validate --install)\""
		if os.Getenv("CLAWGATE_REQUIRE_TOOLS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	problems, err := sarifcheck.Validate(bin, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestActionSubdirectoryAndInputs: a project in a subdirectory gets its own
// baseline, while annotations and SARIF name files from the repository root;
// the sarif-file, sarif-category, args, fail-on and upload-sarif inputs all
// take effect.
func TestActionSubdirectoryAndInputs(t *testing.T) {
	t.Parallel()
	s := testrepo.Secrets(241)
	p := newPR(t, func(r *testrepo.Repo) {
		r.Write("README.md", "# mono\n")
		r.Write("services/api/old.env", "NPM_TOKEN="+s["npm"]+"\n")
		if res := clawgate(t, filepath.Join(r.Dir, "services/api"), "baseline"); res.code != 0 {
			t.Fatalf("baseline: %s", res)
		}
	}, func(r *testrepo.Repo) {
		r.Write("services/api/handler.py", "\nKEY = \""+s["gitlab"]+"\"\n")
		r.Write("services/api/vendor/lib.py", "KEY = \""+s["stripe"]+"\"\n")
		r.Write("services/web/app.env", "AWS="+s["aws"]+"\n") // outside path
	})
	inputs := map[string]string{
		"path":           "services/api",
		"sarif-file":     "reports/api.sarif",
		"sarif-category": "clawgate-api",
		// The action's own flags win over args: annotations still come.
		"args": "--exclude-files ^vendor/\n--workers 2 --format text",
	}
	run := p.runAction(t, inputs)
	gate := run.step(t, "gate")
	if run.Code != 1 || run.Outputs["new-findings"] != "1" {
		t.Fatalf("want exactly the handler.py token\n%s", run)
	}
	if !strings.Contains(gate.Stdout, "::error file=services/api/handler.py,line=2,") {
		t.Fatalf("the annotation does not name the file from the repository root:\n%s", gate.Stdout)
	}
	if want := filepath.Join(p.Dir, "reports/api.sarif"); run.Outputs["sarif-file"] != want {
		t.Fatalf("sarif-file = %q, want %q", run.Outputs["sarif-file"], want)
	}
	log, _ := readSARIF(t, run.Outputs["sarif-file"])
	if got := log.results(); len(got) != 1 || got[0] != "services/api/handler.py:2 gitlab-pat" {
		t.Fatalf("SARIF results = %v", got)
	}
	if id := log.Runs[0].AutomationDetails.ID; id != "clawgate-api/" {
		t.Fatalf("automationDetails.id = %q, want clawgate-api/ (upload-sarif keeps a log's own id)", id)
	}
	checkWiring(t, run, true, "clawgate-api")

	// fail-on: a config warning passes at critical and fails at warn;
	// upload-sarif false skips the upload.
	cfg := newPR(t, func(r *testrepo.Repo) { r.Write("README.md", "# app\n") }, func(r *testrepo.Repo) {
		r.Write("coderclaw.json", "{ gateway: { auth: { token: '${GATEWAY_TOKEN}' }, trustedProxies: ['10.0.0.1'] },\n  logging: { redactSensitive: 'off' } }\n")
	})
	lenient := cfg.runAction(t, map[string]string{"fail-on": "critical", "upload-sarif": "false"})
	if lenient.Failed || lenient.Outputs["new-findings"] != "1" {
		t.Fatalf("fail-on critical: a warning should be reported but pass\n%s", lenient)
	}
	checkWiring(t, lenient, false, "")
	if strict := cfg.runAction(t, map[string]string{"fail-on": "warn"}); strict.Code != 1 {
		t.Fatalf("fail-on warn: a warning should fail\n%s", strict)
	}
}

// TestActionCannotRun: when the gate cannot run, the action fails with
// exit 2 and an error annotation that says why, and uploads nothing.
func TestActionCannotRun(t *testing.T) {
	t.Parallel()
	p := newPR(t, func(r *testrepo.Repo) { r.Write("README.md", "# app\n") }, func(r *testrepo.Repo) {
		r.Write("a.txt", "a\n")
	})
	// actions/checkout's default, fetch-depth 1: the merge commit alone.
	shallow := filepath.Join(t.TempDir(), "shallow")
	if res := run(t, "", nil, "git", "clone", "-q", "--depth", "1", "--no-local", p.Dir, shallow); res.code != 0 {
		t.Fatalf("clone: %s", res)
	}
	run1 := runAction(t, runOpts{Workspace: shallow, Event: "pull_request", Payload: p.payload()})
	gate := run1.step(t, "gate")
	if run1.Code != 2 || !strings.Contains(gate.Stdout, "::error title=clawgate could not run::") || !strings.Contains(gate.Stdout, "fetch-depth: 0") {
		t.Fatalf("shallow checkout: want exit 2 and an annotation naming fetch-depth: 0\n%s", run1)
	}
	if run1.Outputs["sarif-file"] != "" || run1.Outputs["new-findings"] != "" {
		t.Fatalf("outputs of a run that did not happen: %v", run1.Outputs)
	}
	checkWiring(t, run1, false, "")

	bad := p.runAction(t, map[string]string{"scan-mode": "sideways"})
	if bad.Code != 2 || !strings.Contains(bad.step(t, "gate").Stdout, "scan-mode: sideways") {
		t.Fatalf("bad scan-mode\n%s", bad)
	}
	// An error of clawgate itself reaches the annotation, with its text.
	missing := p.runAction(t, map[string]string{"baseline": "no/such.baseline"})
	if g := missing.step(t, "gate"); missing.Code != 2 || !regexp.MustCompile(`::error title=clawgate could not run::.*no/such\.baseline`).MatchString(g.Stdout) {
		t.Fatalf("a missing baseline: want exit 2 and an annotation naming it\n%s", missing)
	}
}

// TestActionPushModes: on a push, scan-mode diff scans the pushed commits
// (github.event.before..HEAD); a new branch (before all zeros) or a before
// commit missing from the clone falls back to the whole tree, saying so.
func TestActionPushModes(t *testing.T) {
	t.Parallel()
	old, added := testrepo.Secrets(251)["gitlab"], testrepo.Secrets(252)["npm"]
	r := testrepo.New(t)
	r.Write("legacy.env", "GITLAB="+old+"\n") // not baselined: only a tree scan sees it
	before := r.Commit("old")
	r.Write("new.env", "NPM="+added+"\n")
	r.Commit("push")

	push := func(before string) *actionRun {
		return runAction(t, runOpts{Workspace: r.Dir, Event: "push", Payload: map[string]any{"before": before}, Inputs: map[string]string{"scan-mode": "diff"}})
	}
	diff := push(before)
	if diff.Code != 1 || diff.Outputs["new-findings"] != "1" || !strings.Contains(diff.step(t, "gate").Stdout, "::error file=new.env,") {
		t.Fatalf("diff on push: want only new.env\n%s", diff)
	}
	for _, b := range []string{strings.Repeat("0", 40), strings.Repeat("1", 40)} {
		full := push(b)
		if full.Outputs["new-findings"] != "2" || !strings.Contains(full.step(t, "gate").Stdout, "::notice title=clawgate::") {
			t.Fatalf("before %s: want a whole-tree scan with a notice\n%s", b, full)
		}
	}
	// auto on a push is a whole-tree scan: code scanning closes the alerts
	// of the category that the latest analysis lacks, so a push must carry
	// all of them.
	auto := runAction(t, runOpts{Workspace: r.Dir, Event: "push", Payload: map[string]any{"before": before}})
	if auto.Outputs["new-findings"] != "2" {
		t.Fatalf("auto on push: want the whole tree\n%s", auto)
	}
}

// TestActionVersion: the binary reports the action's version: git describe
// in a checkout of the action, github.action_ref where the runner
// downloaded it without history.
func TestActionVersion(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	r.Write("README.md", "# app\n")
	r.Commit("one")
	// A copy of the action without .git, like the runner's download.
	dl := snapshot(t)
	downloaded := runAction(t, runOpts{ActionPath: dl, ActionRef: "v9.9.9", Workspace: r.Dir, Event: "push", Payload: map[string]any{}})
	if build := downloaded.step(t, "build"); build.Code != 0 || !strings.Contains(build.Stdout, "clawgate v9.9.9") {
		t.Fatalf("downloaded action: want version v9.9.9\n%s", downloaded)
	}
	log, _ := readSARIF(t, downloaded.Outputs["sarif-file"])
	if d := log.Runs[0].Tool.Driver; d.SemanticVersion != "9.9.9" {
		t.Fatalf("SARIF tool.driver = %+v, want semanticVersion 9.9.9", d)
	}
	// git describe, when this checkout is a repository of its own.
	described := "v9.9.9"
	if top := strings.TrimSpace(run(t, repoRoot, nil, "git", "rev-parse", "--show-toplevel").stdout); top != "" {
		if a, b := realpath(t, top), realpath(t, repoRoot); a == b {
			described = strings.TrimSpace(run2(t, repoRoot, "git", "describe", "--tags", "--always", "--dirty"))
		}
	}
	local := runAction(t, runOpts{ActionRef: "v9.9.9", Workspace: r.Dir, Event: "push", Payload: map[string]any{}})
	if build := local.step(t, "build"); !strings.Contains(build.Stdout, "clawgate "+described+"\n") {
		t.Fatalf("checked-out action: want version %s\n%s", described, local)
	}
}

func realpath(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func run2(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	res := run(t, dir, nil, name, args...)
	if res.code != 0 {
		t.Fatalf("%s %v: %s", name, args, res)
	}
	return res.stdout
}

// TestActionDefinition checks action.yml as a reader would: every run step
// names its shell and takes the workflow's values through env: only, and
// every action it uses is pinned to a commit.
func TestActionDefinition(t *testing.T) {
	a := loadAction(t, repoRoot)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	ids := map[string]bool{}
	for _, st := range a.Runs.Steps {
		ids[st.ID] = true
		switch {
		case st.Uses != "":
			if !pinned.MatchString(st.Uses) {
				t.Errorf("step %q uses %s, not pinned to a full commit SHA", st.Name, st.Uses)
			}
		case st.Run != "":
			if st.Shell == "" {
				t.Errorf("step %q has no shell:", st.Name)
			}
			if strings.Contains(st.Run, "${{") {
				t.Errorf("step %q pastes ${{ }} into its script", st.Name)
			}
		default:
			t.Errorf("step %q neither runs nor uses", st.Name)
		}
	}
	for _, want := range []string{"path", "baseline", "args", "fail-on", "sarif-file", "upload-sarif", "scan-mode", "sarif-category"} {
		if _, ok := a.Inputs[want]; !ok {
			t.Errorf("input %s is missing", want)
		}
	}
	if d := a.Inputs["upload-sarif"].Default; d != "true" {
		t.Errorf("upload-sarif defaults to %q, want true", d)
	}
	for _, want := range []string{"new-findings", "sarif-file"} {
		if _, ok := a.Outputs[want]; !ok {
			t.Errorf("output %s is missing", want)
		}
	}
}
