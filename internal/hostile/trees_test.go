//go:build unix

package hostile

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// scanDoc is the part of `scan --format json` the tree cases read.
type scanDoc struct {
	Findings []struct {
		File, Rule, Status string
		Line, Column       int
		EndColumn          int    `json:"end_column"`
		HashedSecret       string `json:"hashed_secret"`
	}
	Skipped []struct {
		File, Reason string
		Size         int64
		Truncated    bool
	}
	Summary struct {
		New, Known int
		// Files counts the files read as text (binary ones are not).
		Files int `json:"files_scanned"`
	}
}

func parseScan(t *testing.T, r result) scanDoc {
	t.Helper()
	var d scanDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("scan json: %v (%s)", err, r.describe())
	}
	return d
}

// where lists findings as file:line:column rule, sorted as clawgate sorts.
func (d scanDoc) where() string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule))
	}
	return strings.Join(out, ", ")
}

// treeCase is one hostile tree: build writes it and returns the command
// line; check judges the run. Runs are bounded in time and memory.
type treeCase struct {
	name string
	// git makes dir a repository (build commits what it wants).
	git   bool
	build func(t *testing.T, dir string) []string
	check func(t *testing.T, dir string, r result)
	// maxMB bounds the run's peak memory (default 200 MB).
	maxMB   int64
	timeout time.Duration
	opts    func(t *testing.T) runOpts
}

func gh(seed int64) string  { return testrepo.GitHubToken(seed) }
func aws(seed int64) string { return testrepo.AWSKey(seed) }

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func utf16Text(s string, bigEndian bool) string {
	b := []byte{0xFF, 0xFE}
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// assignments is a line unit that is one generic-api-key finding
// (assembled at run time: this repository scans itself).
var assignments = "pass" + `word="Zr8KqT3vXw9LmN2pBc7Y" `

var treeCases = []treeCase{
	{
		name: "200 MB file is reported, never read",
		build: func(t *testing.T, dir string) []string {
			// Sparse: 200 MB on the file system's books, a few blocks on disk.
			f, err := os.Create(filepath.Join(dir, "dump.txt"))
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("token = \"" + gh(1) + "\"\n")
			if err := f.Truncate(200 << 20); err != nil {
				t.Fatal(err)
			}
			f.Close()
			write(t, dir, "app.py", "TOKEN = \""+gh(2)+"\"\n")
			return []string{"scan", "--format", "json", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "app.py:1:10 github-pat" {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
			if len(d.Skipped) != 1 || d.Skipped[0].File != "dump.txt" || d.Skipped[0].Reason != "too large" || d.Skipped[0].Size != 200<<20 {
				t.Fatalf("skipped = %+v", d.Skipped)
			}
		},
		maxMB: 100,
	},
	{
		name: "a single 50 MB line, --max-file-size 100MB: scanned to its end",
		build: func(t *testing.T, dir string) []string {
			writeStream(t, filepath.Join(dir, "line.txt"), "a", 50<<20, " token="+gh(3)+" end\n")
			return []string{"scan", "--format", "json", "--max-file-size", "100MB", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if want := fmt.Sprintf("line.txt:1:%d github-pat", 50<<20+len(" token=")+1); r.code != 1 || d.where() != want {
				t.Fatalf("findings %q, want %q (%s)", d.where(), want, r.describe())
			}
		},
		// The file is held once, plus gitleaks' fragments.
		maxMB: 400,
	},
	{
		name: "a single 50 MB line, default cap: reported as too large",
		build: func(t *testing.T, dir string) []string {
			writeStream(t, filepath.Join(dir, "line.txt"), "a", 50<<20, "\n")
			return []string{"scan", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			if r.code != 0 || !strings.Contains(r.stdout, "skipped line.txt: too large (52.4 MB)") {
				t.Fatalf("%s", r)
			}
		},
		maxMB: 100,
	},
	{
		name: "a 50 MB line of assignments, --max-file-size 100MB: truncated, bounded, fails",
		build: func(t *testing.T, dir string) []string {
			writeStream(t, filepath.Join(dir, "gen.txt"), assignments, 50<<20, "\n")
			return []string{"scan", "--format", "json", "--max-file-size", "100MB", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if r.code != 1 || len(d.Findings) != 10000 || len(d.Skipped) != 1 || !d.Skipped[0].Truncated {
				t.Fatalf("%d findings, skipped %+v (%s)", len(d.Findings), d.Skipped, r.describe())
			}
			if !strings.Contains(r.stderr, "gen.txt has more secrets than clawgate checks in one file") {
				t.Fatalf("stderr: %s", r.stderr)
			}
		},
		// Before the per-line and per-file caps this ran for hours.
		maxMB: 400, timeout: 30 * time.Second,
	},
	{
		name: "a truncated file fails the gate even when what it reports is known",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			writeStream(t, filepath.Join(dir, "gen.txt"), assignments, 2<<20, "\n")
			git(t, dir, "add", "-A")
			if r := clawgate(t, dir, "baseline"); r.code != 0 {
				t.Fatalf("baseline: %s", r)
			}
			return []string{"scan"}
		},
		check: func(t *testing.T, dir string, r result) {
			if r.code != 1 || !strings.Contains(r.stdout, "0 new, 10000 known") || !strings.Contains(r.stdout, "skipped gen.txt: more than 10000 secrets") {
				t.Fatalf("%s", r)
			}
		},
	},
	{
		name: "binary and NUL-laden files",
		build: func(t *testing.T, dir string) []string {
			write(t, dir, "img.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR token="+gh(4)+"\n")
			write(t, dir, "nul-early.txt", "abc\x00def\ntoken = \""+gh(5)+"\"\n")
			write(t, dir, "nul-late.txt", strings.Repeat("x", 9000)+"\x00\ntoken = \""+gh(6)+"\"\n")
			write(t, dir, "all-nul.bin.txt", strings.Repeat("\x00", 4096))
			return []string{"scan", "--format", "json", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			// git's test: a NUL in the first 8000 bytes makes a file binary.
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "nul-late.txt:2:10 github-pat" || d.Summary.Files != 1 {
				t.Fatalf("findings %s, %d files read (%s)", d.where(), d.Summary.Files, r.describe())
			}
		},
	},
	{
		name: "invalid UTF-8 around a secret",
		build: func(t *testing.T, dir string) []string {
			// Starting with the bytes of a UTF-16 BOM, too: it is not UTF-16.
			write(t, dir, "bad.txt", "\xff\xfe\xc3 caf\xc3\xa9 \xe2\x82 key = \""+gh(7)+"\" \xff\n")
			return []string{"scan", "--format", "json", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			// Columns count characters; an invalid byte counts as one.
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "bad.txt:1:20 github-pat" || d.Findings[0].EndColumn != 60 {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
		},
	},
	{
		name: "UTF-16 with a BOM: decoded and scanned; without one, binary",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			text := "# deploy\r\n$x = \"é😀\"; $env:AWS_KEY = \"" + aws(8) + "\"\r\n"
			write(t, dir, "le.ps1", utf16Text(text, false))
			write(t, dir, "be.reg", utf16Text(text, true))
			write(t, dir, "nobom.ps1", utf16Text(text, false)[2:])
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "utf16")
			return []string{"scan", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if want := "be.reg:2:28 aws-access-token, le.ps1:2:28 aws-access-token"; r.code != 1 || d.where() != want || d.Summary.Files != 2 {
				t.Fatalf("findings %q, want %q; %d files read (%s)", d.where(), want, d.Summary.Files, r.describe())
			}
			// audit finds them again the same way.
			clawgate(t, dir, "baseline")
			rep := clawgate(t, dir, "audit", "--report")
			if rep.code != 0 || !strings.Contains(rep.stdout, "be.reg:2") || !strings.Contains(rep.stdout, "le.ps1:2") || strings.Contains(rep.stdout, "gone") {
				t.Fatalf("audit --report: %s", rep)
			}
		},
	},
	{
		name: "CRLF line ends",
		build: func(t *testing.T, dir string) []string {
			write(t, dir, "win.ini", "[a]\r\nx=1\r\ntoken = \""+gh(9)+"\"\r\n"+
				"ok = \""+gh(10)+"\" # pragma: allowlist secret\r\n"+
				"# pragma: allowlist nextline secret\r\nok2 = \""+gh(11)+"\"\r\n")
			return []string{"scan", "--format", "json", "."}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "win.ini:3:10 github-pat" || d.Findings[0].EndColumn != 50 {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
		},
	},
	{
		name: "symlink loops",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			symlink(t, "self", filepath.Join(dir, "self"))
			symlink(t, "b", filepath.Join(dir, "a"))
			symlink(t, "a", filepath.Join(dir, "b"))
			os.Mkdir(filepath.Join(dir, "d"), 0o755)
			symlink(t, "..", filepath.Join(dir, "d", "up"))
			write(t, dir, "d/x.txt", "token = \""+gh(12)+"\"\n")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "loops")
			// Untracked loops too.
			symlink(t, "loop2", filepath.Join(dir, "loop2"))
			return []string{"scan", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "d/x.txt:1:10 github-pat" {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
			// Outside git, the walk does not follow them either.
			os.RemoveAll(filepath.Join(dir, ".git"))
			if r := clawgate(t, dir, "scan", "--format", "json", "."); r.code != 1 || parseScan(t, r).where() != "d/x.txt:1:10 github-pat" {
				t.Fatalf("outside git: %s", r.describe())
			}
		},
	},
	{
		name: "symlinks out of the repository are never followed",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			outside := t.TempDir()
			write(t, outside, "secret.env", "TOKEN="+gh(13)+"\n")
			write(t, outside, "sub/more.env", "TOKEN="+gh(14)+"\n")
			symlink(t, filepath.Join(outside, "secret.env"), filepath.Join(dir, "linked.env"))
			symlink(t, filepath.Join(outside, "sub"), filepath.Join(dir, "linkdir"))
			symlink(t, "../../../../../../.."+outside+"/secret.env", filepath.Join(dir, "relative.env"))
			write(t, dir, "README.md", "hello\n")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "links")
			symlink(t, filepath.Join(outside, "secret.env"), filepath.Join(dir, "untracked.env"))
			return []string{"scan", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			if d := parseScan(t, r); r.code != 0 || len(d.Findings) != 0 {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
			for _, args := range [][]string{{"scan", "linked.env"}, {"scan", "linkdir"}, {"scan", "--staged"}, {"baseline"}} {
				if r := clawgate(t, dir, args...); r.code != 0 || strings.Contains(r.stdout, "github-pat") {
					t.Fatalf("%s: %s", strings.Join(args, " "), r.describe())
				}
			}
			if b, _ := os.ReadFile(filepath.Join(dir, ".secrets.baseline")); strings.Contains(string(b), "linked.env") {
				t.Fatal("the baseline records a file outside the repository")
			}
		},
	},
	{
		name: "an unreadable file is reported and the scan goes on",
		build: func(t *testing.T, dir string) []string {
			write(t, dir, "open.txt", "token = \""+gh(15)+"\"\n")
			p := write(t, dir, "locked.txt", "token = \""+gh(16)+"\"\n")
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
			return []string{"scan", "--format", "json", "."}
		},
		opts: func(t *testing.T) runOpts {
			if os.Geteuid() != 0 {
				return runOpts{}
			}
			// Root reads a mode 000 file: run without the capabilities that
			// allow it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as root
			// still, so the file system sees an ordinary user's read.
			p, err := exec.LookPath("setpriv")
			if err != nil {
				t.Skip("running as root without setpriv: a mode 000 file is readable")
			}
			return runOpts{wrap: []string{p, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-all"}}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			if r.code != 1 || d.where() != "open.txt:1:10 github-pat" || len(d.Skipped) != 1 || d.Skipped[0].Reason != "unreadable: permission denied" {
				t.Fatalf("findings %s, skipped %+v (%s)", d.where(), d.Skipped, r.describe())
			}
		},
	},
	{
		name: "paths with spaces, newlines, non-ASCII and workflow commands",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			for i, name := range hostileNames {
				write(t, dir, name, "token = \""+gh(int64(20+i))+"\"\n")
			}
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "names")
			return []string{"scan", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			d := parseScan(t, r)
			got := map[string]bool{}
			for _, f := range d.Findings {
				got[f.File] = true
			}
			for _, name := range hostileNames {
				if !got[name] {
					t.Errorf("no finding for %q", name)
				}
			}
			var sarif struct {
				Runs []struct {
					Results []struct {
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
							}
						}
					}
				}
			}
			sr := clawgate(t, dir, "scan", "--format", "sarif")
			if err := json.Unmarshal([]byte(sr.stdout), &sarif); err != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != len(hostileNames) {
				t.Fatalf("SARIF: %v (%s)", err, sr.describe())
			}
			for _, res := range sarif.Runs[0].Results {
				if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; strings.ContainsAny(uri, " \n\r\t\x1b\"") {
					t.Errorf("SARIF uri not escaped: %q", uri)
				}
			}
			summary := filepath.Join(t.TempDir(), "summary.md")
			text := clawgate(t, dir, "scan")
			gh := clawgateWith(t, dir, runOpts{env: []string{"GITHUB_STEP_SUMMARY=" + summary}}, "scan", "--format", "github")
			rep := func() result { clawgate(t, dir, "baseline"); return clawgate(t, dir, "audit", "--report") }()
			noWorkflowCommands(t, "text output", text.stdout, text.stderr, rep.stdout)
			// In github format, exactly one annotation per finding, each on
			// one line.
			n := 0
			for _, line := range strings.Split(gh.stdout, "\n") {
				if strings.HasPrefix(line, "::") {
					n++
					if !strings.HasPrefix(line, "::error file=") {
						t.Errorf("forged workflow command: %q", line)
					}
				}
			}
			if n != len(hostileNames) {
				t.Errorf("%d annotations for %d findings:\n%s", n, len(hostileNames), gh.stdout)
			}
			b, _ := os.ReadFile(summary)
			if rows := strings.Count(string(b), "| `github-pat` |"); rows != len(hostileNames) {
				t.Errorf("%d summary rows for %d findings:\n%s", rows, len(hostileNames), b)
			}
		},
	},
	{
		name: "50,000 small files",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			// Untracked, so git lists them without an index of 50,000
			// entries to write first.
			err := parallel(100, 8, func(d int) error {
				sub := filepath.Join(dir, fmt.Sprintf("d%03d", d))
				if err := os.Mkdir(sub, 0o755); err != nil {
					return err
				}
				for i := 0; i < 500; i++ {
					if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%03d.txt", i)), []byte(fmt.Sprintf("hello %d %d\n", d, i)), 0o644); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			write(t, dir, "d042/f123.txt", "token = \""+gh(17)+"\"\n")
			return []string{"scan"}
		},
		check: func(t *testing.T, dir string, r result) {
			if r.code != 1 || !strings.Contains(r.stdout, "d042/f123.txt") || !strings.Contains(r.stdout, "1 new, 0 known (50000 files scanned)") {
				t.Fatalf("%s", r)
			}
		},
		timeout: 60 * time.Second,
	},
	{
		name: "an empty repository",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			return []string{"scan"}
		},
		check: func(t *testing.T, dir string, r result) {
			if r.code != 0 || r.stdout != "0 new, 0 known\n" {
				t.Fatalf("%s", r)
			}
			for _, args := range [][]string{{"scan", "--staged"}, {"lint"}, {"baseline"}, {"audit", "--report"}, {"scan"}} {
				if r := clawgate(t, dir, args...); r.code != 0 {
					t.Fatalf("%s: %s", strings.Join(args, " "), r)
				}
			}
		},
	},
	{
		name: "a repository with no commits",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			write(t, dir, "staged.env", "TOKEN="+gh(18)+"\n")
			git(t, dir, "add", "staged.env")
			write(t, dir, "untracked.env", "TOKEN="+gh(19)+"\n")
			return []string{"scan", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			if d := parseScan(t, r); r.code != 1 || d.where() != "staged.env:1:7 github-pat, untracked.env:1:7 github-pat" {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
			if r := clawgate(t, dir, "scan", "--staged"); r.code != 1 || !strings.Contains(r.stdout, "staged.env") || strings.Contains(r.stdout, "untracked.env") {
				t.Fatalf("--staged: %s", r)
			}
			if r := clawgate(t, dir, "scan", "--since", "HEAD"); r.code != 2 || !strings.Contains(r.stderr, `unknown revision "HEAD"`) {
				t.Fatalf("--since HEAD: %s", r)
			}
		},
	},
	{
		name: "a detached HEAD",
		git:  true,
		build: func(t *testing.T, dir string) []string {
			write(t, dir, "a.txt", "a\n")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "one")
			write(t, dir, "b.env", "TOKEN="+gh(20)+"\n")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "two")
			write(t, dir, "c.env", "TOKEN="+gh(21)+"\n")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-qm", "three")
			git(t, dir, "checkout", "-q", "--detach", "HEAD~1")
			return []string{"scan", "--since", "HEAD~1", "--format", "json"}
		},
		check: func(t *testing.T, dir string, r result) {
			if d := parseScan(t, r); r.code != 1 || d.where() != "b.env:1:7 github-pat" {
				t.Fatalf("findings %s (%s)", d.where(), r.describe())
			}
			if r := clawgate(t, dir, "scan"); r.code != 1 || !strings.Contains(r.stdout, "b.env") || strings.Contains(r.stdout, "c.env") {
				t.Fatalf("scan: %s", r)
			}
		},
	},
}

// hostileNames are file names a scan must report exactly and print
// without forging output lines.
var hostileNames = []string{
	"with space.txt",
	"new\nline.txt",
	"tab\there.txt",
	"café/naïve 日本.txt",
	"::error file=x.txt::forged.txt",
	"::stop-commands::abc.txt",
	"cr\r.txt",
	"-dash.txt",
	"quote\"and'.txt",
	"esc\x1b[31mred.txt",
}

func TestHostileTrees(t *testing.T) {
	for _, c := range treeCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.git {
				dir = testrepo.New(t).Dir
			}
			argv := c.build(t, dir)
			o := runOpts{timeout: c.timeout}
			if c.opts != nil {
				o = c.opts(t)
				o.timeout = c.timeout
			}
			if o.timeout == 0 {
				o.timeout = 20 * time.Second
			}
			r := clawgateWith(t, dir, o, argv...)
			max := c.maxMB
			if max == 0 {
				max = 200
			}
			if r.peakKB > max<<10 {
				t.Errorf("peak memory %d MB, over %d MB", r.peakKB>>10, max)
			}
			t.Logf("%s", r.describe())
			c.check(t, dir, r)
		})
	}
}
