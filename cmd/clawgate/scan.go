package main

import (
	"context"
	"fmt"
	"io"
	"os"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/secrets"
)

type scanFlags struct {
	format         string
	output         string
	gitleaksConfig string
	maxFileSize    sizeFlag
	showKnown      bool
	workers        int
	engine         string
	cpuProfile     string
}

func init() {
	register(&command{
		name:    "scan",
		args:    "[PATH...]",
		summary: "Scan for secrets and risky CoderClaw settings; exit 1 on anything new",
		long: `Scans PATH (default: the current directory) for secrets with the gitleaks rules.
Inside a git work tree a directory means its tracked files plus the untracked
files git does not ignore; outside git, every file below it; a file means that
file only. Binary files are skipped; files over --max-file-size are reported.
Findings are relative to the scan root: the directory when exactly one is
given, else the current directory.

Exit status: 0 when nothing is new, 1 when something is new, 2 on error.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			f := &scanFlags{maxFileSize: sizeFlag(scan.DefaultMaxFileSize)}
			fs.StringVar(&f.format, "format", "text", "output format: text or json")
			fs.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` instead of stdout")
			fs.StringVar(&f.gitleaksConfig, "gitleaks-config", "", "gitleaks config `FILE` (default: .gitleaks.toml at the scan root, else the default rules)")
			fs.Var(&f.maxFileSize, "max-file-size", "skip and report files larger than `SIZE` (e.g. 10MB, 512KB; 0 = no limit)")
			fs.BoolVar(&f.showKnown, "show-known", false, "list known findings too in text output")
			fs.IntVar(&f.workers, "workers", 0, "files scanned at once (default: one per CPU)")
			fs.StringVar(&f.engine, "engine", "fast", "detection engine: fast, or reference (gitleaks' own detector, for comparison)")
			_ = fs.MarkHidden("engine")
			fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE` (for performance work)")
			_ = fs.MarkHidden("cpuprofile")
			return func(args []string) error { return runScan(f, args) }
		},
	})
}

func runScan(f *scanFlags, args []string) error {
	switch f.format {
	case "text", "json":
	default:
		return usageErr("unknown --format %q (want text or json)", f.format)
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return &exitErr{code: exitError, err: err}
		}
		defer stop()
	}
	root := scanRoot(args)
	rules, err := secrets.LoadFor(root, f.gitleaksConfig)
	if err != nil {
		return &exitErr{code: exitError, err: err}
	}
	var det secrets.Detector
	switch f.engine {
	case "fast":
		det = secrets.NewFast(rules)
	case "reference":
		det = secrets.NewReference(rules)
	default:
		return usageErr("unknown --engine %q", f.engine)
	}
	ctx := context.Background()
	res, err := scan.Run(ctx, scan.Options{
		Detector:    det,
		Root:        root,
		Paths:       args,
		MaxFileSize: f.maxFileSize.bytes(),
		Rules:       rules,
		Workers:     f.workers,
	})
	if err != nil {
		return &exitErr{code: exitError, err: err}
	}
	for i := range res.Findings {
		if res.Findings[i].Status == "" {
			res.Findings[i].Status = scan.StatusNew
		}
	}
	sum := report.Summarize(res.Findings, res.Files, len(res.Skipped))
	if err := writeOutput(f.output, func(w io.Writer) error {
		if f.format == "json" {
			return report.WriteJSON(w, toolVersion(), res.Findings, res.Skipped, sum)
		}
		return report.WriteText(w, res.Findings, res.Skipped, sum, report.TextOptions{ShowKnown: f.showKnown})
	}); err != nil {
		return &exitErr{code: exitError, err: err}
	}
	if sum.New > 0 {
		return errFound
	}
	return nil
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

// writeOutput writes to path, or stdout when path is "".
func writeOutput(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(os.Stdout)
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(file); err != nil {
		file.Close()
		return err
	}
	return file.Close()
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
