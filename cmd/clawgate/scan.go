package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw"
	"github.com/coderclaw/clawgate/scan/secrets"
)

type scanFlags struct {
	gateFlags
	mode       scanMode
	shard      string
	progress   bool
	engine     string
	cpuProfile string
}

// scanMode says what a scan reads: the tree, the git index, or history.
type scanMode struct {
	staged bool
	since  string
	shard  scan.Shard
}

func init() {
	register(&command{
		name:    "scan",
		args:    "[PATH...]",
		summary: "Scan for secrets and risky CoderClaw settings; exit 1 on anything new",
		long: `Scans PATH (default: the current directory) for secrets with the gitleaks rules,
and lints the CoderClaw configs among the files. Inside a git work tree a
directory means its tracked files plus the untracked files git does not
ignore; outside git, every file below it; a file means that file only. Binary
files are skipped; files over --max-file-size are reported. Findings are
relative to the scan root: the directory when exactly one is given, else the
current directory.

A finding is known when the baseline (.secrets.baseline at the scan root, or
--baseline) holds it: same file, same secret hash, same type — line numbers
never decide. Inline pragmas (gitleaks:allow, pragma: allowlist secret,
pragma: allowlist nextline secret, // clawgate:ignore CHECKID reason) accept a
finding where it stands.

Exit status: 0 when nothing new fails the gate, 1 when something does, 2 on a
usage error, a bad baseline or config, or any other error.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			f := &scanFlags{}
			f.register(fs)
			fs.BoolVar(&f.mode.staged, "staged", false, "scan what is staged for commit (the git index), not the work tree")
			fs.StringVar(&f.mode.since, "since", "", "scan the lines every commit in `REV`..HEAD adds (first parent), e.g. a pull request's base; REV..TIP ends at TIP instead of HEAD")
			fs.BoolVar(&f.progress, "progress", false, "show a progress line on stderr even when it is not a terminal (it shows on a terminal for scans longer than 2s)")
			fs.StringVar(&f.shard, "shard", "", "scan only share `K/N` of the files (stable partition by path), for a CI matrix of N jobs")
			fs.StringVar(&f.engine, "engine", "fast", "detection engine: fast, or reference (gitleaks' own detector, for comparison)")
			_ = fs.MarkHidden("engine")
			fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE` (for performance work)")
			_ = fs.MarkHidden("cpuprofile")
			return func(args []string) error { return runScan(f, args) }
		},
	})
}

func runScan(f *scanFlags, args []string) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.mode.staged && f.mode.since != "" {
		return usageErr("--staged and --since cannot be combined")
	}
	if (f.mode.staged || f.mode.since != "") && len(args) > 0 {
		return usageErr("--staged and --since scan the repository; give no PATH")
	}
	if f.shard != "" {
		var err error
		if f.mode.shard, err = parseShard(f.shard); err != nil {
			return err
		}
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return errorf("%v", err)
		}
		defer stop()
	}
	root := scanRoot(args)
	if f.progress || term.IsTerminal(int(os.Stderr.Fd())) {
		p := startProgress(os.Stderr, 2*time.Second)
		defer p.stop()
		f.gateFlags.onProgress = p.update
	}
	g, err := runGate(&f.gateFlags, root, args, f.engine, f.mode)
	if err != nil {
		return err
	}
	if err := render(&f.gateFlags, g.rules, g.res, g.sum); err != nil {
		return errorf("%v", err)
	}
	why := f.auditVerdict(g.base)
	for _, s := range g.res.Skipped {
		if s.Truncated {
			why = append(why, fmt.Sprintf("%s has more secrets than clawgate checks in one file; the rest were not checked (exclude the file with --exclude-files, or split it)", s.File))
		}
	}
	for _, w := range why {
		fmt.Fprintf(os.Stderr, "clawgate: %s\n", w)
	}
	if g.sum.Failing > 0 || len(why) > 0 {
		return errFound
	}
	return nil
}

// gateRun is one run of the gate: what was found and how it compares with
// the baseline.
type gateRun struct {
	root     string
	rules    *secrets.Rules
	base     *baseline.File
	basePath string
	res      *scan.Result
	sum      report.Summary
}

// runGate scans, lints and classifies against the baseline.
func runGate(g *gateFlags, root string, args []string, engine string, mode scanMode) (*gateRun, error) {
	bl, _, blPath, err := loadBaseline(root, g.baseline)
	if err != nil {
		return nil, errorf("%v", err)
	}
	res, rules, err := scanTree(g, root, args, bl, blPath, engine, mode)
	if err != nil {
		return nil, err
	}
	ig, err := scan.ReadGitleaksIgnore(root)
	if err != nil {
		return nil, errorf("%v", err)
	}
	ig.Apply(res.Findings)
	if bl != nil {
		bl.Classify(res.Findings)
	}
	for i := range res.Findings {
		if res.Findings[i].Status == "" {
			res.Findings[i].Status = scan.StatusNew
		}
	}
	failOn, _ := scan.ParseSeverity(g.failOn)
	sum := report.Summarize(res.Findings, res.Files, len(res.Skipped))
	sum.Failing = verdict(res.Findings, failOn)
	return &gateRun{root: root, rules: rules, base: bl, basePath: blPath, res: res, sum: sum}, nil
}

// scanTree runs the detectors over the tree, with the baseline's regex
// filters and the --exclude-* flags applied.
func scanTree(g *gateFlags, root string, args []string, bl *baseline.File, blPath, engine string, mode scanMode) (*scan.Result, *secrets.Rules, error) {
	rules, err := secrets.LoadFor(root, g.gitleaksConfig)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	cfgPath := g.detectSecretsCfg
	if cfgPath == "" {
		cfgPath = filepath.Join(root, baseline.DetectSecretsCfg)
	} else if _, err := os.Stat(cfgPath); err != nil {
		return nil, nil, errorf("%v", err)
	}
	cfg, err := baseline.ReadDetectSecretsCfg(cfgPath)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	ex, err := excludes(bl, g.exclude, cfg)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	if g.plugins == "gitleaks" {
		bl = withoutPlugins(bl)
	}
	ds, _, _, err := detectSecrets(bl, g.plugins)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	var det secrets.Detector
	switch engine {
	case "", "fast":
		det = secrets.NewFast(rules)
	case "reference":
		det = secrets.NewReference(rules)
	default:
		return nil, nil, usageErr("unknown --engine %q", engine)
	}
	ctx := context.Background()
	exclude := excludeBaselineFile{Excludes: ex, rel: relTo(root, blPath)}
	opts := scan.Options{
		Root:          root,
		Paths:         args,
		MaxFileSize:   g.maxFileSize.bytes(),
		Rules:         rules,
		Detector:      det,
		Exclude:       exclude,
		Workers:       g.workers,
		Configs:       coderclaw.Linter{Globs: g.coderclawGlobs},
		Shard:         mode.shard,
		Progress:      g.onProgress,
		DetectSecrets: ds,
	}
	var history *scan.Result
	switch {
	case mode.staged:
		files, err := scan.Staged(ctx, root, g.maxFileSize.bytes())
		if err != nil {
			return nil, nil, errorf("%v", err)
		}
		defer files.Close()
		staged := map[string]scan.Target{}
		for _, t := range files.Targets {
			staged[t.Rel] = t
		}
		opts.Targets = append([]scan.Target{}, files.Targets...)
		opts.Read = files.Read
		opts.Lint, err = lintChanged(ctx, root, func(rel string) bool { _, ok := staged[rel]; return ok })
		if err != nil {
			return nil, nil, err
		}
		opts.Lint.Read = func(rel string) ([]byte, error) {
			t, ok := staged[rel]
			if !ok {
				return nil, os.ErrNotExist
			}
			return files.Read(t)
		}
	case mode.since != "":
		since, tip, err := parseRange(mode.since)
		if err != nil {
			return nil, nil, err
		}
		hist, changed, err := scan.ScanHistory(ctx, scan.HistoryOptions{
			Root: root, Since: since, Head: tip, Rules: rules, Detector: det, Exclude: exclude, Workers: g.workers,
			Shard: mode.shard, DetectSecrets: ds, MaxFileSize: g.maxFileSize.bytes(),
		})
		if err != nil {
			return nil, nil, errorf("%v", err)
		}
		history = hist
		in := map[string]bool{}
		for _, c := range changed {
			in[c] = true
		}
		// Configs are linted as they are now, when the range touched them.
		opts.Targets = []scan.Target{}
		if opts.Lint, err = lintChanged(ctx, root, func(rel string) bool { return in[rel] }); err != nil {
			return nil, nil, err
		}
	}
	res, err := scan.Run(ctx, opts)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	if history != nil {
		res.Findings = append(history.Findings, res.Findings...)
		res.Skipped = append(history.Skipped, res.Skipped...)
		res.Files = history.Files
		scan.SortFindings(res.Findings)
	}
	return res, rules, nil
}

// lintChanged lints the repository's configs that changed files touch
// (the config itself or a file it includes).
func lintChanged(ctx context.Context, root string, changed func(string) bool) (*scan.LintRequest, error) {
	all, err := scan.ListTargets(ctx, root, nil)
	if err != nil {
		return nil, errorf("%v", err)
	}
	req := &scan.LintRequest{Root: root, Only: changed}
	for _, t := range all {
		req.Files = append(req.Files, t.Rel)
	}
	return req, nil
}

// parseRange splits --since REV or REV..TIP. A pull request checked out
// as GitHub's merge commit has the base as its first parent, so HEAD's
// first-parent history holds only the merge: the pull request's own
// commits (a secret added in one and removed in the next) are reached by
// ending the range at the pull request's head commit instead.
func parseRange(s string) (since, tip string, err error) {
	if strings.Contains(s, "...") {
		return "", "", usageErr("--since %q: want REV or REV..TIP (the symmetric difference ... is not supported)", s)
	}
	since, tip, ok := strings.Cut(s, "..")
	if !ok {
		return s, "HEAD", nil
	}
	if since == "" || tip == "" {
		return "", "", usageErr("--since %q: want REV or REV..TIP, both sides named", s)
	}
	return since, tip, nil
}

// parseShard reads K/N.
func parseShard(s string) (scan.Shard, error) {
	var k, n int
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 1 || k > n || fmt.Sprintf("%d/%d", k, n) != s {
		return scan.Shard{}, usageErr("--shard %q: want K/N with 1 <= K <= N, e.g. 2/4", s)
	}
	return scan.Shard{K: k, N: n}, nil
}

// scanRoot is the directory findings are relative to: the one directory
// given, else the current directory.
func scanRoot(args []string) string {
	if len(args) == 1 {
		if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
			return args[0]
		}
	}
	return "."
}

// sizeFlag parses sizes like 10MB, 512KB, 1GiB or plain bytes.
type sizeFlag int64

func (s *sizeFlag) String() string { return fmt.Sprintf("%d", int64(*s)) }
func (s *sizeFlag) Type() string   { return "size" }
func (s *sizeFlag) bytes() int64 {
	if *s == 0 {
		return -1 // 0 on the command line means no limit
	}
	return int64(*s)
}
func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

// withoutPlugins hides a baseline's plugins_used from the engine choice
// (--plugins gitleaks) without changing the baseline.
func withoutPlugins(bl *baseline.File) *baseline.File {
	if bl == nil {
		return nil
	}
	c := *bl
	c.Plugins = nil
	return &c
}
