package coderclaw

import (
	"context"

	"github.com/coderclaw/clawgate/scan"
)

// Linter plugs the config lint into scan.Run: it picks the configs among
// the scanned files and lints them.
type Linter struct {
	Globs []string
	Env   func(string) (string, bool)
}

var _ scan.ConfigLinter = Linter{}

// LintTargets implements scan.ConfigLinter.
func (l Linter) LintTargets(ctx context.Context, root string, files []string) ([]scan.Finding, error) {
	configs := Discover(root, files, l.Globs)
	if len(configs) == 0 {
		return nil, nil
	}
	return Lint(root, configs, Options{Root: root, Env: l.Env, ExtraGlobs: l.Globs})
}
