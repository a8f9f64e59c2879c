package main

import (
	"context"
	"fmt"
	"os"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw"
	"github.com/coderclaw/clawgate/scan/secrets"
)

type scanFlags struct {
	gateFlags
	engine     string
	cpuProfile string
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
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return errorf("%v", err)
		}
		defer stop()
	}
	root := scanRoot(args)
	g, err := runGate(&f.gateFlags, root, args, f.engine)
	if err != nil {
		return err
	}
	if err := render(&f.gateFlags, g.rules, g.res, g.sum); err != nil {
		return errorf("%v", err)
	}
	why := f.auditVerdict(g.base)
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
func runGate(g *gateFlags, root string, args []string, engine string) (*gateRun, error) {
	bl, blPath, err := loadBaseline(root, g.baseline)
	if err != nil {
		return nil, errorf("%v", err)
	}
	res, rules, err := scanTree(g, root, args, bl, blPath, engine)
	if err != nil {
		return nil, err
	}
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
func scanTree(g *gateFlags, root string, args []string, bl *baseline.File, blPath, engine string) (*scan.Result, *secrets.Rules, error) {
	rules, err := secrets.LoadFor(root, g.gitleaksConfig)
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	ex, err := excludes(bl, g.exclude)
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
	res, err := scan.Run(context.Background(), scan.Options{
		Root:        root,
		Paths:       args,
		MaxFileSize: g.maxFileSize.bytes(),
		Rules:       rules,
		Detector:    det,
		Exclude:     excludeBaselineFile{Excludes: ex, rel: relTo(root, blPath)},
		Workers:     g.workers,
		Configs:     coderclaw.Linter{Globs: g.coderclawGlobs},
	})
	if err != nil {
		return nil, nil, errorf("%v", err)
	}
	return res, rules, nil
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
