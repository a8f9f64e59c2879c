package coderclaw

import (
	"context"
	"path/filepath"

	"github.com/coderclaw/clawgate/scan"
)

// Linter plugs the config lint into scan.Run: it picks the configs among
// the scanned files and lints them.
type Linter struct {
	Globs []string
	Env   func(string) (string, bool)
}

var _ scan.ConfigLinter = Linter{}

// LintConfigs implements scan.ConfigLinter.
func (l Linter) LintConfigs(ctx context.Context, req scan.LintRequest) ([]scan.Finding, error) {
	absRoot, err := filepath.Abs(req.Root)
	if err != nil {
		return nil, err
	}
	opts := Options{Root: req.Root, Env: l.Env, ExtraGlobs: l.Globs}
	read := readFile
	if req.Read != nil {
		read = func(path string) ([]byte, error) {
			if rel, err := filepath.Rel(absRoot, path); err == nil {
				if b, err := req.Read(filepath.ToSlash(rel)); err == nil {
					return b, nil
				}
			}
			return readFile(path)
		}
		opts.ReadFile = read
	}
	cl := newClosures(read)
	configs := discover(req.Root, req.Files, l.Globs, cl)
	if req.Mine != nil {
		var keep []string
		for _, c := range configs {
			if req.Mine(c) {
				keep = append(keep, c)
			}
		}
		configs = keep
	}
	if req.Only != nil {
		var keep []string
		for _, c := range configs {
			if req.Only(c) {
				keep = append(keep, c)
				continue
			}
			// A config whose included file changed is linted too: the
			// change is in its merged result.
			for inc := range cl.of(filepath.Join(absRoot, filepath.FromSlash(c))) {
				if rel, err := filepath.Rel(absRoot, inc); err == nil && req.Only(filepath.ToSlash(rel)) {
					keep = append(keep, c)
					break
				}
			}
		}
		configs = keep
	}
	if len(configs) == 0 {
		return nil, nil
	}
	return Lint(req.Root, configs, opts)
}
