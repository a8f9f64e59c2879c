// Command bench measures clawgate beside the gitleaks CLI on the same trees
// and prints the figures docs/performance.md records:
//
//   - large: the Go source tree ($(go env GOROOT)/src) committed into a
//     scratch git repository, scanned by `gitleaks dir` (its defaults) and
//     `clawgate scan`, in alternation: median wall time, peak RSS, the
//     ratio, and whether both report the same (file, line, rule) set;
//   - pr: `clawgate scan --since` over a commit that touches 10 files of
//     that tree;
//   - small: a repository holding one small staged file, scanned by
//     `clawgate scan --staged` and `gitleaks dir`, median of 10 runs each.
//
// Run it from the repository root: go run ./bench (see -h).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

const gitleaksVersion = "v8.30.1"

var (
	work      = flag.String("work", filepath.Join(".cache", "bench"), "scratch `DIR` for the corpus and the binaries")
	runs      = flag.Int("runs", 3, "runs of each tool on the large tree")
	smallRuns = flag.Int("small-runs", 10, "runs of each tool on the one-file repository")
	only      = flag.String("only", "", "run one case: large, ds, pr or small")
)

func main() {
	flag.Parse()
	log := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", a...) }
	must := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
	}
	dir, err := filepath.Abs(*work)
	must(err)
	bin := filepath.Join(dir, "bin")
	must(os.MkdirAll(bin, 0o755))

	gitleaks := filepath.Join(bin, "gitleaks")
	if _, err := os.Stat(gitleaks); err != nil {
		log("building gitleaks %s from the Go module proxy", gitleaksVersion)
		cmd := exec.Command("go", "install", "github.com/zricethezav/gitleaks/v8@"+gitleaksVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+bin)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		must(cmd.Run())
	}
	clawgate := filepath.Join(bin, "clawgate")
	log("building clawgate")
	build := exec.Command("go", "build", "-trimpath", "-o", clawgate, "./cmd/clawgate")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	must(build.Run())

	fmt.Printf("machine: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	ok := true
	if *only == "" || *only == "large" || *only == "ds" || *only == "pr" {
		corpus := filepath.Join(dir, "gosrc")
		must(ensureCorpus(corpus, log))
		if *only == "" || *only == "large" {
			ok = large(corpus, gitleaks, clawgate, dir) && ok
		}
		if *only == "" || *only == "ds" {
			ok = withDetectSecrets(corpus, clawgate) && ok
		}
		if *only == "" || *only == "pr" {
			ok = prMode(corpus, clawgate) && ok
		}
	}
	if *only == "" || *only == "small" {
		ok = small(filepath.Join(dir, "one"), gitleaks, clawgate) && ok
	}
	if !ok {
		os.Exit(1)
	}
}

// ensureCorpus copies GOROOT/src into a git repository once.
func ensureCorpus(dst string, log func(string, ...any)) error {
	if _, err := os.Stat(filepath.Join(dst, ".git")); err == nil {
		return nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src")
	log("copying %s into a scratch git repository", src)
	os.RemoveAll(dst)
	if err := copyTree(src, dst); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "-A"},
		{"-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "corpus"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dst
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", args[0], err, out)
		}
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		}
		return nil
	})
}

// run is one timed execution.
type run struct {
	wall time.Duration
	rss  int64 // kB
}

func timed(dir string, name string, args ...string) (run, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	r := run{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.rss = ru.Maxrss
		}
	}
	// Both tools exit 1 when they find something; that is no failure here.
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil
	}
	if err != nil {
		return r, fmt.Errorf("%s: %v\n%s", name, err, stderr.String())
	}
	return r, nil
}

// alternate runs the commands a and b n times each in dir, in turns, so
// that a change in the machine's load falls on both; each is name and
// arguments. progress, when set, hears each pair.
func alternate(n int, dir string, a, b []string, progress func(i int, ra, rb run)) (ras, rbs []run, ok bool) {
	for i := 0; i < n; i++ {
		ra, err := timed(dir, a[0], a[1:]...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return nil, nil, false
		}
		rb, err := timed(dir, b[0], b[1:]...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return nil, nil, false
		}
		ras, rbs = append(ras, ra), append(rbs, rb)
		if progress != nil {
			progress(i, ra, rb)
		}
	}
	return ras, rbs, true
}

func median(rs []run) run {
	sort.Slice(rs, func(i, j int) bool { return rs[i].wall < rs[j].wall })
	m := rs[len(rs)/2]
	for _, r := range rs {
		m.rss = max(m.rss, r.rss)
	}
	return m
}

type key struct {
	file string
	line int
	rule string
}

func gitleaksSet(path string) (map[key]bool, error) {
	var fs []struct {
		File      string
		StartLine int
		RuleID    string
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &fs); err != nil {
		return nil, err
	}
	set := map[key]bool{}
	for _, f := range fs {
		set[key{filepath.ToSlash(f.File), f.StartLine, f.RuleID}] = true
	}
	return set, nil
}

func clawgateSet(path string) (map[key]bool, error) {
	var doc struct {
		Findings []struct {
			Kind, File, Rule string
			Line             int
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	set := map[key]bool{}
	for _, f := range doc.Findings {
		if f.Kind == "secret" {
			set[key{f.File, f.Line, f.Rule}] = true
		}
	}
	return set, nil
}

func compare(gl, cg map[key]bool) (same bool, onlyGL, onlyCG []key) {
	for k := range gl {
		if !cg[k] {
			onlyGL = append(onlyGL, k)
		}
	}
	for k := range cg {
		if !gl[k] {
			onlyCG = append(onlyCG, k)
		}
	}
	return len(onlyGL) == 0 && len(onlyCG) == 0, onlyGL, onlyCG
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "NOT MET"
}

func large(corpus, gitleaks, clawgate, dir string) bool {
	glOut := filepath.Join(dir, "gitleaks.json")
	cgOut := filepath.Join(dir, "clawgate.json")
	gl, cg, ok := alternate(*runs, corpus,
		[]string{gitleaks, "dir", ".", "--no-banner", "--log-level", "error", "--report-format", "json", "--report-path", glOut, "--exit-code", "0"},
		[]string{clawgate, "scan", ".", "--format", "json", "--output", cgOut},
		func(i int, a, b run) {
			fmt.Fprintf(os.Stderr, "bench: large run %d: gitleaks %.2fs, clawgate %.2fs\n", i+1, a.wall.Seconds(), b.wall.Seconds())
		})
	if !ok {
		return false
	}
	g, c := median(gl), median(cg)
	glSet, err1 := gitleaksSet(glOut)
	cgSet, err2 := clawgateSet(cgOut)
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "reading reports:", err1, err2)
		return false
	}
	same, onlyGL, onlyCG := compare(glSet, cgSet)
	ratio := g.wall.Seconds() / c.wall.Seconds()
	fmt.Printf("\nlarge: %s (median of %d runs each, alternating)\n", corpus, *runs)
	fmt.Printf("  gitleaks %s dir   %7.2fs  peak RSS %4d MB  %d findings\n", gitleaksVersion, g.wall.Seconds(), g.rss/1024, len(glSet))
	fmt.Printf("  clawgate scan          %7.2fs  peak RSS %4d MB  %d findings\n", c.wall.Seconds(), c.rss/1024, len(cgSet))
	fmt.Printf("  ratio %.1fx (want >= 10): %s\n", ratio, verdict(ratio >= 10))
	fmt.Printf("  same findings on (file, line, rule): %v: %s\n", same, verdict(same))
	for _, k := range onlyGL {
		fmt.Printf("    only gitleaks: %s:%d %s\n", k.file, k.line, k.rule)
	}
	for _, k := range onlyCG {
		fmt.Printf("    only clawgate: %s:%d %s\n", k.file, k.line, k.rule)
	}
	fmt.Printf("  clawgate peak RSS %d MB (want <= 120): %s\n", c.rss/1024, verdict(c.rss/1024 <= 120))
	return ratio >= 10 && same && c.rss/1024 <= 120
}

// withDetectSecrets measures what detect-secrets' 27 plugins add to a
// scan of the tree when they run beside the gitleaks rules.
func withDetectSecrets(corpus, clawgate string) bool {
	base, ds, ok := alternate(*runs, corpus,
		[]string{clawgate, "scan", ".", "--format", "json", "--output", os.DevNull},
		[]string{clawgate, "scan", ".", "--plugins", "detect-secrets", "--format", "json", "--output", os.DevNull}, nil)
	if !ok {
		return false
	}
	b, d := median(base), median(ds)
	added := (d.wall.Seconds() - b.wall.Seconds()) / b.wall.Seconds() * 100
	fmt.Printf("\nds: the same tree with detect-secrets' 27 plugins beside the gitleaks rules (median of %d)\n", *runs)
	fmt.Printf("  clawgate scan                            %6.2fs  peak RSS %4d MB\n", b.wall.Seconds(), b.rss/1024)
	fmt.Printf("  clawgate scan --plugins detect-secrets   %6.2fs  peak RSS %4d MB\n", d.wall.Seconds(), d.rss/1024)
	fmt.Printf("  added %.0f%% (want <= 50%%): %s\n", added, verdict(added <= 50))
	return added <= 50
}

// prMode times the scan of one commit that touches 10 files, then undoes it.
func prMode(corpus, clawgate string) bool {
	git := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-c", "user.name=bench", "-c", "user.email=bench@example.com"}, args...)...)
		cmd.Dir = corpus
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("git %s: %v\n%s", args[0], err, out)
		}
		return nil
	}
	files := []string{"fmt/print.go", "net/http/server.go", "os/file.go", "strings/strings.go", "bytes/buffer.go",
		"encoding/json/decode.go", "crypto/tls/conn.go", "runtime/proc.go", "sort/sort.go", "time/time.go"}
	for i, f := range files {
		p := filepath.Join(corpus, filepath.FromSlash(f))
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return false
		}
		b = append(b, fmt.Sprintf("\n// bench change %d\n", i)...)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return false
		}
	}
	if err := git("commit", "-q", "-am", "bench: touch 10 files"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return false
	}
	defer git("reset", "-q", "--hard", "HEAD~1")
	var rs []run
	for i := 0; i < 5; i++ {
		r, err := timed(corpus, clawgate, "scan", "--since", "HEAD~1", "--format", "json", "--output", os.DevNull)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return false
		}
		rs = append(rs, r)
	}
	m := median(rs)
	fmt.Printf("\npr: clawgate scan --since HEAD~1 over a commit touching 10 files of the tree\n")
	fmt.Printf("  %.3fs median of 5 (want <= 1s): %s\n", m.wall.Seconds(), verdict(m.wall <= time.Second))
	return m.wall <= time.Second
}

// small times a repository with one small staged file.
func small(dir, gitleaks, clawgate string) bool {
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return false
	}
	// A planted token (assembled here, so this file holds none) makes the
	// comparison of findings meaningful.
	token := "gh" + "p_" + strings.Repeat("aB3dE5fG7h", 4)[:36]
	src := "package main\n\nimport \"fmt\"\n\nconst token = \"" + token + "\"\n\nfunc main() { fmt.Println(\"hello\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return false
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "main.go"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "git: %v\n%s", err, out)
			return false
		}
	}
	glOut := filepath.Join(dir, "..", "small-gitleaks.json")
	cgOut := filepath.Join(dir, "..", "small-clawgate.json")
	gl, cg, ok := alternate(*smallRuns, dir,
		[]string{gitleaks, "dir", ".", "--no-banner", "--log-level", "error", "--report-format", "json", "--report-path", glOut, "--exit-code", "0"},
		[]string{clawgate, "scan", "--staged", "--format", "json", "--output", cgOut}, nil)
	if !ok {
		return false
	}
	g, c := median(gl), median(cg)
	glSet, err1 := gitleaksSet(glOut)
	cgSet, err2 := clawgateSet(cgOut)
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "reading reports:", err1, err2)
		return false
	}
	same, _, _ := compare(glSet, cgSet)
	fmt.Printf("\nsmall: one staged file (median of %d runs each)\n", *smallRuns)
	fmt.Printf("  gitleaks %s dir        %6.3fs  %d findings\n", gitleaksVersion, g.wall.Seconds(), len(glSet))
	fmt.Printf("  clawgate scan --staged      %6.3fs  %d findings\n", c.wall.Seconds(), len(cgSet))
	fmt.Printf("  clawgate median %.3fs (want <= 0.3s): %s\n", c.wall.Seconds(), verdict(c.wall.Seconds() <= 0.3))
	fmt.Printf("  same findings: %v: %s\n", same, verdict(same))
	return c.wall.Seconds() <= 0.3 && same
}
