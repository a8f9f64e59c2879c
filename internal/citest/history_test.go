package citest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// only returns the new findings of a report.
func newFindings(rep jsonReport) []finding {
	var out []finding
	for _, f := range rep.Findings {
		if f.Status == "new" {
			out = append(out, f)
		}
	}
	return out
}

// TestSinceAddThenRemove is issue 5's "done when": a token added in HEAD~2
// and removed in HEAD~1 stays in history, so --since HEAD~3 reports it, with
// its commit, while a scan of the tree is clean. Baselined, it is known.
func TestSinceAddThenRemove(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	tok := testrepo.GitHubToken(101)
	r.Write("README.md", "# app\n")
	r.Commit("start")
	r.Write("app/settings.py", "DEBUG = False\nTOKEN = \""+tok+"\"\n")
	added := r.Commit("add a token")
	r.Write("app/settings.py", "DEBUG = False\nTOKEN = os.environ[\"TOKEN\"]\n")
	r.Commit("read it from the environment")
	r.Write("README.md", "# app\n\nRead the docs.\n")
	r.Commit("docs")

	rep, res := scanJSON(t, r.Dir, "--since", "HEAD~3")
	got := newFindings(rep)
	if res.code != 1 || len(got) != 1 {
		t.Fatalf("--since HEAD~3: want exit 1 and one new finding, got %v\n%s", got, res)
	}
	if f := got[0]; f.File != "app/settings.py" || f.Line != 2 || f.Rule != "github-pat" || f.Commit != added {
		t.Fatalf("finding = %v, want app/settings.py:2 github-pat in %s", f, added)
	}
	text := clawgate(t, r.Dir, "scan", "--since", "HEAD~3")
	if text.code != 1 || !strings.Contains(text.stdout, "2:") || !strings.Contains(text.stdout, "@"+added[:7]) {
		t.Fatalf("text report lacks the line and commit: %s", text)
	}
	noSecret(t, []string{tok}, res.stdout, text.stdout, text.stderr)

	if tree := clawgate(t, r.Dir, "scan"); tree.code != 0 {
		t.Fatalf("the tree holds no secret, yet: %s", tree)
	}
	if short := clawgate(t, r.Dir, "scan", "--since", "HEAD~1"); short.code != 0 {
		t.Fatalf("a range after the removal reports it: %s", short)
	}

	// Accepted in the baseline (same file, same hash), it is known: the
	// baseline written while the token was in the tree, committed now.
	r.Git("checkout", "-q", added)
	if b := clawgate(t, r.Dir, "baseline"); b.code != 0 {
		t.Fatalf("baseline: %s", b)
	}
	bl, err := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(r.Dir, ".secrets.baseline"))
	r.Git("checkout", "-q", "main")
	r.Write(".secrets.baseline", string(bl))
	r.Commit("accept the old token")
	rep, res = scanJSON(t, r.Dir, "--since", "HEAD~4")
	if res.code != 0 || rep.Summary.New != 0 || rep.Summary.Known != 1 {
		t.Fatalf("baselined token in the range: want exit 0 with 1 known, got %+v\n%s", rep.Summary, res)
	}
}

// TestSinceRename: a renamed file's old lines are not added lines, so a
// pure rename reports nothing, and a rename with one new line reports that
// line at the new path.
func TestSinceRename(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	old, added := testrepo.Secrets(111)["stripe"], testrepo.Secrets(112)["gitlab"]
	var cfg strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&cfg, "SETTING_%d=value-%d\n", i, i)
	}
	cfg.WriteString("STRIPE_KEY=" + old + "\n")
	r.Write("old/service.env", cfg.String())
	base := r.Commit("base")

	os.MkdirAll(filepath.Join(r.Dir, "config"), 0o755)
	r.Git("mv", "old/service.env", "config/service.env")
	r.Commit("move it")
	rep, res := scanJSON(t, r.Dir, "--since", base)
	if res.code != 0 || len(rep.Findings) != 0 {
		t.Fatalf("a pure rename reports its old lines: %v\n%s", rep.Findings, res)
	}

	r.Git("mv", "config/service.env", "config/prod.env")
	r.Write("config/prod.env", cfg.String()+"GITLAB_TOKEN="+added+"\n")
	renamed := r.Commit("rename and add a line")
	if out := r.Git("show", "--stat", "-M", "--format=", "HEAD"); !strings.Contains(out, "=>") {
		t.Fatalf("git did not see a rename, the test proves nothing: %s", out)
	}
	rep, res = scanJSON(t, r.Dir, "--since", base)
	got := newFindings(rep)
	if res.code != 1 || len(got) != 1 || got[0].File != "config/prod.env" || got[0].Line != 14 || got[0].Rule != "gitlab-pat" || got[0].Commit != renamed {
		t.Fatalf("want only config/prod.env:14 gitlab-pat in %s, got %v\n%s", renamed, got, res)
	}
}

// TestSinceMergeFirstParent: on a branch that merges others, --since walks
// the first-parent line and scans a merge as its diff to the first parent,
// the net change it brought. Ending the range at the merged branch's tip
// (REV..TIP) scans that branch's own commits instead.
func TestSinceMergeFirstParent(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	s := testrepo.Secrets(121)
	r.Write("README.md", "# app\n")
	base := r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("feature/tmp.env", "NPM_TOKEN="+s["npm"]+"\n")
	addedTmp := r.Commit("try a token")
	r.Git("rm", "-q", "feature/tmp.env")
	r.Write("feature/keep.env", "\nAWS_KEY="+s["aws"]+"\n")
	addedKeep := r.Commit("another")
	tip := r.Git("rev-parse", "HEAD")
	r.Git("checkout", "-q", "main")
	r.Write("CHANGES.md", "main moves on\n")
	r.Commit("main")
	r.Git("merge", "-q", "--no-ff", "--no-edit", "feature")
	merge := r.Git("rev-parse", "HEAD")

	rep, res := scanJSON(t, r.Dir, "--since", base)
	got := newFindings(rep)
	if res.code != 1 || len(got) != 1 || got[0].File != "feature/keep.env" || got[0].Line != 2 || got[0].Commit != merge {
		t.Fatalf("first parent: want feature/keep.env:2 in the merge %s only, got %v\n%s", merge, got, res)
	}

	rep, res = scanJSON(t, r.Dir, "--since", base+".."+tip)
	got = newFindings(rep)
	sort.Slice(got, func(i, j int) bool { return got[i].File < got[j].File })
	if res.code != 1 || len(got) != 2 ||
		got[0].File != "feature/keep.env" || got[0].Commit != addedKeep ||
		got[1].File != "feature/tmp.env" || got[1].Commit != addedTmp {
		t.Fatalf("REV..TIP: want both of the branch's tokens with their commits, got %v\n%s", got, res)
	}
	for _, bad := range []string{base + "...", "..." + tip, base + "..." + tip, ".." + tip} {
		if res := clawgate(t, r.Dir, "scan", "--since", bad); res.code != 2 {
			t.Errorf("--since %q: want a usage error: %s", bad, res)
		}
	}
}

// TestSincePathsAndBinary: paths with spaces and non-ASCII letters come
// out as they are; a binary file in the range (skipped, as tree scans skip
// binaries) does not upset the files after it.
func TestSincePathsAndBinary(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	s := testrepo.Secrets(131)
	r.Write("README.md", "# app\n")
	base := r.Commit("base")
	r.Write("assets/blob.bin", "\x00\x01\x02GITHUB="+s["github"]+"\x00\n")
	r.Write("my dir/my file.env", "x=1\nSTRIPE="+s["stripe"]+"\n")
	r.Write("naïve/café.env", "GITLAB="+s["gitlab"]+"\n")
	r.Write("zz/after.env", "NPM="+s["npm"]+"\n")
	r.Commit("add")
	if out := r.Git("-c", "core.quotepath=true", "log", "-p", "-1", "--format="); !strings.Contains(out, "Binary files") {
		t.Fatalf("git did not see a binary file, the test proves nothing:\n%s", out)
	}

	rep, res := scanJSON(t, r.Dir, "--since", base)
	var got []string
	for _, f := range newFindings(rep) {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	sort.Strings(got)
	want := []string{"my dir/my file.env:2", "naïve/café.env:1", "zz/after.env:1"}
	if res.code != 1 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q\n%s", got, want, res)
	}
}

// TestSinceShallowClone: a clone without the history --since needs gets a
// message saying how to fetch it, not a git error.
func TestSinceShallowClone(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	for i := 0; i < 4; i++ {
		r.Write("n.txt", fmt.Sprint(i))
		r.Commit(fmt.Sprint("c", i))
	}
	first := r.Git("rev-list", "--max-parents=0", "HEAD")
	dir := filepath.Join(t.TempDir(), "shallow")
	if res := run(t, "", nil, "git", "clone", "-q", "--depth", "1", "file://"+r.Dir, dir); res.code != 0 {
		t.Fatalf("clone: %s", res)
	}
	for _, rev := range []string{"HEAD~3", first} {
		res := clawgate(t, dir, "scan", "--since", rev)
		if res.code != 2 || !strings.Contains(res.stderr, "shallow") || !strings.Contains(res.stderr, "git fetch") || !strings.Contains(res.stderr, "fetch-depth: 0") {
			t.Errorf("--since %s in a shallow clone: want exit 2 saying how to fetch: %s", rev, res)
		}
	}
	// In a full clone, a wrong revision is named as such.
	if res := clawgate(t, r.Dir, "scan", "--since", "no-such-branch"); res.code != 2 || !strings.Contains(res.stderr, "no-such-branch") || strings.Contains(res.stderr, "shallow") {
		t.Errorf("unknown revision: %s", res)
	}
}

// TestStagedReadsTheIndex: --staged judges what the commit will hold, not
// the work tree, for secrets and configs alike.
func TestStagedReadsTheIndex(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	tok := testrepo.GitHubToken(141)
	r.Write("README.md", "# app\n")
	r.Commit("base")

	r.Write("app.env", "TOKEN="+tok+"\n")
	r.Git("add", "app.env")
	r.Write("app.env", "TOKEN=${TOKEN}\n") // fixed in the work tree, not in the index
	rep, res := scanJSON(t, r.Dir, "--staged")
	if got := newFindings(rep); res.code != 1 || len(got) != 1 || got[0].File != "app.env" {
		t.Fatalf("staged token: want one finding in app.env, got %v\n%s", got, res)
	}
	r.Git("add", "app.env")
	r.Write("notes.env", "TOKEN="+tok+"\n") // untracked, not staged
	if res := clawgate(t, r.Dir, "scan", "--staged"); res.code != 0 {
		t.Fatalf("an unstaged file failed the staged scan: %s", res)
	}
	r.Write("coderclaw.json", "{ gateway: { bind: 'lan' } }\n")
	r.Git("add", "coderclaw.json")
	rep, res = scanJSON(t, r.Dir, "--staged")
	if got := newFindings(rep); res.code != 1 || len(got) == 0 || got[0].Kind != "config" || got[0].File != "coderclaw.json" {
		t.Fatalf("staged config: got %v\n%s", got, res)
	}
}

// TestShardUnion: the shards of a matrix together report exactly what one
// unsharded scan reports, each finding once, for the tree (secrets and
// config findings) and for a commit range.
func TestShardUnion(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	r.Write("README.md", "# app\n")
	base := r.Commit("base")
	for i := 0; i < 30; i++ {
		content := fmt.Sprintf("name = \"file %d\"\n", i)
		if i%4 == 0 {
			content += "token = \"" + testrepo.GitHubToken(int64(150+i)) + "\"\n"
		}
		r.Write(fmt.Sprintf("pkg%d/file%d.py", i%5, i), content)
	}
	r.Write("coderclaw.json", "{ gateway: { bind: 'lan' }, $include: './.coderclaw/agents.json5' }\n")
	r.Write(".coderclaw/agents.json5", "{ logging: { redactSensitive: 'off' } }\n")
	r.Write("team/ops.coderclaw.json", "{ gateway: { bind: 'lan' } }\n")
	r.Commit("files")

	key := func(f finding) string {
		return fmt.Sprintf("%s:%d:%s:%s:%s", f.File, f.Line, f.Rule, f.Status, f.Commit)
	}
	for _, mode := range [][]string{nil, {"--since", base}} {
		whole, _ := scanJSON(t, r.Dir, mode...)
		var want []string
		kinds := map[string]int{}
		for _, f := range whole.Findings {
			want = append(want, key(f))
			kinds[f.Kind]++
		}
		if kinds["secret"] != 8 || kinds["config"] == 0 {
			t.Fatalf("%v: the unsharded scan should hold 8 secrets and config findings, got %v", mode, kinds)
		}
		sort.Strings(want)
		for _, n := range []int{2, 3, 7} {
			var got []string
			for k := 1; k <= n; k++ {
				rep, _ := scanJSON(t, r.Dir, append([]string{"--shard", fmt.Sprintf("%d/%d", k, n)}, mode...)...)
				for _, f := range rep.Findings {
					got = append(got, key(f))
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%v: the union of %d shards differs from the whole scan:\nshards:\n%s\nwhole:\n%s", mode, n, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	for _, bad := range []string{"0/2", "3/2", "1/0", "1-2", "1/2x"} {
		if res := clawgate(t, r.Dir, "scan", "--shard", bad); res.code != 2 {
			t.Errorf("--shard %s: want a usage error: %s", bad, res)
		}
	}
}
