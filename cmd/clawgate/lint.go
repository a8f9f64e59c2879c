package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw"
)

type lintFlags struct {
	gateFlags
	fix      bool
	dryRun   bool
	stateDir string
}

func init() {
	register(&command{
		name:    "lint",
		args:    "[FILE...]",
		summary: "Lint CoderClaw configs; exit 1 on new risky settings",
		long: `Lints CoderClaw configs (JSON5, with their $include files) for the settings
'coderclaw security audit' reports, with the same checkIds and severities,
offline and with file:line:column. Named FILEs are linted whatever their
names; without any, the repository's configs are found: coderclaw.json,
coderclaw.json5, *.coderclaw.json, files under .coderclaw/ directories, and
--coderclaw-glob patterns. 'clawgate checks' lists the checks.

--fix rewrites logging.redactSensitive "off" to "tools" and groupPolicy "open"
to "allowlist" (telegram, whatsapp, discord, signal, imessage, slack, msteams)
in place, keeping comments and formatting; --dry-run prints the diff instead.
--state-dir runs the fs.* permission checks on a CoderClaw state directory
(and with --fix, their chmods).

Exit status: 0 when no new finding reaches --fail-on, 1 when one does, 2 on a
usage error or a config that does not parse.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			f := &lintFlags{}
			f.register(fs)
			fs.BoolVar(&f.fix, "fix", false, "apply the audit's automatic fixes, keeping comments and formatting")
			fs.BoolVar(&f.dryRun, "dry-run", false, "with --fix: print a unified diff, change nothing")
			fs.StringVar(&f.stateDir, "state-dir", "", "check (and with --fix, chmod) a CoderClaw state `DIR`")
			for _, n := range []string{"exclude-files", "exclude-lines", "exclude-secrets", "gitleaks-config", "max-file-size", "workers"} {
				_ = fs.MarkHidden(n)
			}
			return func(args []string) error { return runLint(f, args) }
		},
	})
}

func runLint(f *lintFlags, args []string) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.dryRun && !f.fix {
		return usageErr("--dry-run needs --fix")
	}
	root := "."
	bl, _, _, err := loadBaseline(root, f.baseline)
	if err != nil {
		return errorf("%v", err)
	}
	configs := args
	if len(configs) == 0 {
		targets, err := scan.ListTargets(context.Background(), root, nil)
		if err != nil {
			return errorf("%v", err)
		}
		rels := make([]string, len(targets))
		for i, t := range targets {
			rels[i] = t.Rel
		}
		configs = coderclaw.Discover(root, rels, f.coderclawGlobs)
	}
	opts := coderclaw.Options{Root: root, ExtraGlobs: f.coderclawGlobs}
	if bl != nil {
		opts.Accepted = bl.Accepts()
	}
	if f.fix && len(configs) > 0 {
		results, err := coderclaw.Fix(root, configs, opts, f.dryRun)
		for _, r := range results {
			if f.dryRun {
				fmt.Fprint(os.Stdout, r.Diff)
			} else {
				for _, c := range r.Changes {
					fmt.Fprintf(os.Stderr, "fixed %s: %s\n", r.File, c)
				}
			}
		}
		if err != nil {
			return configErr(err)
		}
		if f.dryRun {
			return nil
		}
	}
	findings, err := coderclaw.Lint(root, configs, opts)
	if err != nil {
		return configErr(err)
	}
	if f.stateDir != "" {
		sfs, actions, err := coderclaw.CheckStateDir(f.stateDir, f.fix)
		if err != nil {
			return errorf("%v", err)
		}
		for _, a := range actions {
			if a.OK && a.Skipped == "" {
				fmt.Fprintf(os.Stderr, "chmod %o %s\n", a.Mode, a.Path)
			}
		}
		findings = append(findings, sfs...)
	}
	if bl != nil {
		bl.Classify(findings)
	}
	for i := range findings {
		if findings[i].Status == "" {
			findings[i].Status = scan.StatusNew
		}
	}
	scan.SortFindings(findings)
	failOn, _ := scan.ParseSeverity(f.failOn)
	sum := report.Summarize(findings, len(configs), 0)
	sum.Failing = verdict(findings, failOn)
	if err := render(&f.gateFlags, nil, &scan.Result{Findings: findings}, sum); err != nil {
		return errorf("%v", err)
	}
	if sum.Failing > 0 {
		return errFound
	}
	return nil
}

// configErr reports every config that failed to load, one per line with
// its file:line:col, and exits 2.
func configErr(err error) error {
	var lines []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			lines = append(lines, e.Error())
		}
	} else {
		lines = append(lines, err.Error())
	}
	return &exitErr{code: exitError, err: errors.New(strings.Join(lines, "\n"))}
}
