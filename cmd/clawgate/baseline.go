package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/scan"
)

type baselineFlags struct {
	gateFlags
	slim  bool
	adopt bool
}

func init() {
	register(&command{
		name:    "baseline",
		args:    "[PATH...]",
		summary: "Create or update the baseline: accept everything found now",
		long: `Scans like 'clawgate scan' and writes the baseline (.secrets.baseline at the
scan root, or --baseline FILE) in the detect-secrets 1.x format. Labels of
entries still found (is_secret, is_verified) are kept, new findings are added
unlabelled, entries whose secret is gone are dropped, and line numbers are
refreshed. A label whose entry no longer matches but whose line now holds a
finding of the same file is carried over once. CoderClaw config findings are
recorded under "clawgate_config_findings". The file is written atomically and
only when something changed; on any error the old file is left untouched.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			f := &baselineFlags{}
			f.register(fs)
			fs.BoolVar(&f.adopt, "adopt", false, "take over an existing detect-secrets baseline: report what carries over, what is gone and what is new, by engine and rule, then write it")
			fs.BoolVar(&f.slim, "slim", false, "write no generated_at and no line numbers (fewer merge conflicts); kept when the baseline is already slim")
			for _, n := range []string{"format", "output", "sarif", "json", "path-prefix", "sarif-category", "sarif-include-known", "fail-on", "show-known"} {
				_ = fs.MarkHidden(n)
			}
			return func(args []string) error { return runBaseline(f, args) }
		},
	})
}

func runBaseline(f *baselineFlags, args []string) error {
	root := scanRoot(args)
	old, oldBytes, path, err := loadBaseline(root, f.baseline)
	if err != nil {
		return errorf("%v", err)
	}
	res, _, err := scanTree(&f.gateFlags, root, args, old, path, "", scanMode{})
	if err != nil {
		return err
	}
	slim := f.slim || old != nil && isSlim(old)
	ig, err := scan.ReadGitleaksIgnore(root)
	if err != nil {
		return errorf("%v", err)
	}
	ig.Apply(res.Findings)
	var adoption *adoptReport
	if f.adopt {
		if old == nil {
			return errorf("--adopt needs an existing baseline (%s not found)", path)
		}
		adoption = newAdoptReport(old, res.Findings)
	}
	next, rep := baseline.Update(old, res.Findings, now(), baseline.UpdateOptions{})
	next.RecordExcludes(f.exclude)
	if err := recordEngines(next, old, &f.gateFlags, relTo(root, path)); err != nil {
		return errorf("%v", err)
	}
	if adoption != nil {
		adoption.print(os.Stdout, rep)
	}
	opts := baseline.WriteOptions{Slim: slim}
	if old != nil {
		// Nothing but the timestamp changed: keep the file as it is, so
		// running the command twice never makes a diff.
		stamp := next.GeneratedAt
		next.GeneratedAt = old.GeneratedAt
		if bytes.Equal(next.Marshal(opts), oldBytes) {
			fmt.Fprintf(os.Stdout, "%s is up to date: %s\n", path, describe(next, rep))
			return nil
		}
		next.GeneratedAt = stamp
	}
	if err := baseline.WriteFile(path, next, opts); err != nil {
		return errorf("%v", err)
	}
	verb := "updated"
	if old == nil {
		verb = "created"
	}
	fmt.Fprintf(os.Stdout, "%s %s: %s\n", verb, path, describe(next, rep))
	if rep.Migrated > 0 {
		fmt.Fprintf(os.Stdout, "%d label(s) migrated to a finding on the same line; review them with 'clawgate audit'\n", rep.Migrated)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(os.Stderr, "skipped %s: %s\n", s.File, s.Reason)
	}
	return nil
}

func describe(f *baseline.File, r baseline.UpdateReport) string {
	s := fmt.Sprintf("%d secret(s) (%d added, %d kept, %d dropped, %d label(s) kept)",
		len(f.Results), r.Added, r.Kept, r.Dropped, r.LabelsKept)
	if n := len(f.Config); n > 0 || r.ConfigDropped > 0 {
		s += fmt.Sprintf(", %d config finding(s) (%d added, %d dropped)", n, r.ConfigAdded, r.ConfigDropped)
	}
	return s
}

// isSlim reports a baseline written with --slim: no timestamp and no line
// numbers.
func isSlim(f *baseline.File) bool {
	if f.GeneratedAt != "" || len(f.Results) == 0 {
		return false
	}
	for _, e := range f.Results {
		if e.LineNumber != 0 {
			return false
		}
	}
	return true
}

// now is the time written as generated_at. SOURCE_DATE_EPOCH, the
// reproducible-builds convention, pins it (tests and reproducible files).
func now() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now().UTC()
}
