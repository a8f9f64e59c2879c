package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/sarif"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// DefaultBaseline is the baseline file looked for at the scan root.
const DefaultBaseline = ".secrets.baseline"

// gateFlags are the flags of the commands that run the gate.
type gateFlags struct {
	baseline          string
	format            string
	output            string
	sarifFile         string
	jsonFile          string
	pathPrefix        string
	sarifCategory     string
	sarifIncludeKnown bool
	failOn            string
	showKnown         bool
	exclude           baseline.ExcludePatterns
	gitleaksConfig    string
	maxFileSize       sizeFlag
	workers           int
	coderclawGlobs    []string
	failOnUnaudited   bool
	failOnSecret      bool
	plugins           string
	detectSecretsCfg  string
	// onProgress receives scan progress (set by the scan command).
	onProgress func(done, total int)
}

func (g *gateFlags) register(fs *flag.FlagSet) {
	g.maxFileSize = sizeFlag(scan.DefaultMaxFileSize)
	fs.StringVar(&g.baseline, "baseline", "", "baseline `FILE` (default: "+DefaultBaseline+" at the scan root, when it exists)")
	fs.StringVar(&g.format, "format", "text", "output format: text, json, sarif or github")
	fs.StringVarP(&g.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&g.sarifFile, "sarif", "", "also write SARIF to `FILE`")
	fs.StringVar(&g.jsonFile, "json", "", "also write the JSON report to `FILE`")
	fs.StringVar(&g.pathPrefix, "path-prefix", "", "put `DIR/` before every file path in the reports, e.g. the scan root's place in the repository")
	fs.StringVar(&g.sarifCategory, "sarif-category", sarif.DefaultCategory, "SARIF automationDetails.id (the code scanning category)")
	fs.BoolVar(&g.sarifIncludeKnown, "sarif-include-known", false, "put known findings in the SARIF too, as suppressed")
	fs.StringVar(&g.failOn, "fail-on", "warn", "lowest severity of a new config finding that fails the gate: critical, warn or info (new secrets always fail)")
	fs.BoolVar(&g.showKnown, "show-known", false, "list known findings too in text output")
	fs.StringArrayVar(&g.exclude.Files, "exclude-files", nil, "skip files whose path matches `REGEX` (repeatable)")
	fs.StringArrayVar(&g.exclude.Lines, "exclude-lines", nil, "ignore secrets on lines matching `REGEX` (repeatable)")
	fs.StringArrayVar(&g.exclude.Secrets, "exclude-secrets", nil, "ignore secrets matching `REGEX` (repeatable)")
	fs.StringVar(&g.gitleaksConfig, "gitleaks-config", "", "gitleaks config `FILE` (default: .gitleaks.toml at the scan root, else the default rules)")
	fs.Var(&g.maxFileSize, "max-file-size", "skip and report files larger than `SIZE` (e.g. 10MB, 512KB; 0 = no limit)")
	fs.IntVar(&g.workers, "workers", 0, "files scanned at once (default: one per CPU)")
	fs.StringArrayVar(&g.coderclawGlobs, "coderclaw-glob", nil, "also lint files matching `GLOB` as CoderClaw configs (repeatable)")
	fs.StringVar(&g.plugins, "plugins", "", "secret engines: gitleaks, or detect-secrets to run detect-secrets' plugins beside the gitleaks rules (default: both when the baseline lists plugins_used, else gitleaks)")
	fs.StringVar(&g.detectSecretsCfg, "detect-secrets-cfg", "", "read [exclude-files], [exclude-lines] and [exclude-secrets] patterns from `FILE` (default: "+baseline.DetectSecretsCfg+" at the scan root, when it exists)")
	fs.BoolVar(&g.failOnUnaudited, "fail-on-unaudited", false, "also fail when the baseline holds entries nobody has labelled yet (see 'clawgate audit')")
	fs.BoolVar(&g.failOnSecret, "fail-on-secret", false, "also fail when the baseline holds entries labelled as real secrets")
}

// auditVerdict reports why the baseline's labels fail the gate, if the
// --fail-on-unaudited / --fail-on-secret flags ask for that.
func (g *gateFlags) auditVerdict(bl *baseline.File) []string {
	if bl == nil || (!g.failOnUnaudited && !g.failOnSecret) {
		return nil
	}
	unaudited, real := 0, 0
	for _, e := range bl.Results {
		switch {
		case e.IsSecret == nil:
			unaudited++
		case *e.IsSecret:
			real++
		}
	}
	var why []string
	if g.failOnUnaudited && unaudited > 0 {
		why = append(why, fmt.Sprintf("the baseline holds %d unaudited %s (label them with 'clawgate audit')", unaudited, plural(unaudited, "entry", "entries")))
	}
	if g.failOnSecret && real > 0 {
		why = append(why, fmt.Sprintf("the baseline holds %d %s labelled as real secrets (remove and rotate them)", real, plural(real, "entry", "entries")))
	}
	return why
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (g *gateFlags) validate() error {
	switch g.format {
	case "text", "json", "sarif", "github":
	default:
		return usageErr("unknown --format %q (want text, json, sarif or github)", g.format)
	}
	if _, ok := scan.ParseSeverity(g.failOn); !ok {
		return usageErr("unknown --fail-on %q (want critical, warn or info)", g.failOn)
	}
	if p := g.pathPrefix; p != "" {
		clean := path.Clean(filepath.ToSlash(p))
		if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return usageErr("--path-prefix %q: want a relative path inside the repository", p)
		}
	}
	switch g.plugins {
	case "", "gitleaks", "detect-secrets":
	default:
		return usageErr("unknown --plugins %q (want gitleaks or detect-secrets)", g.plugins)
	}
	return nil
}

// prefixed returns findings and skipped files with --path-prefix put before
// their paths: a scan root below the repository root reports paths relative
// to itself, while annotations and code scanning resolve them from the
// repository root. Classification against the baseline is already done, on
// the unprefixed paths the baseline records.
func (g *gateFlags) prefixed(res *scan.Result) *scan.Result {
	prefix := path.Clean(filepath.ToSlash(g.pathPrefix))
	if g.pathPrefix == "" || prefix == "." {
		return res
	}
	out := *res
	out.Findings = make([]scan.Finding, len(res.Findings))
	for i, f := range res.Findings {
		f.File = path.Join(prefix, f.File)
		out.Findings[i] = f
	}
	out.Skipped = make([]scan.Skipped, len(res.Skipped))
	for i, s := range res.Skipped {
		s.File = path.Join(prefix, s.File)
		out.Skipped[i] = s
	}
	return &out
}

// loadBaseline reads the baseline: the named file, which must exist, or
// the default one at root when it exists; raw is its bytes. It returns nil
// without one.
func loadBaseline(root, named string) (bl *baseline.File, raw []byte, path string, err error) {
	path = named
	if path == "" {
		path = filepath.Join(root, DefaultBaseline)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, path, nil
		}
	}
	if raw, err = baseline.ReadBytes(path); err != nil {
		return nil, nil, path, err
	}
	if bl, err = baseline.Parse(path, raw); err != nil {
		return nil, nil, path, err
	}
	return bl, raw, path, nil
}

// excludes merges a baseline's regex filters with the --exclude-* flags and
// the patterns of .detect-secrets.cfg.
func excludes(bl *baseline.File, extra baseline.ExcludePatterns, cfg baseline.ExcludePatterns) (*baseline.Excludes, error) {
	extra.Files = append(append([]string(nil), extra.Files...), cfg.Files...)
	extra.Lines = append(append([]string(nil), extra.Lines...), cfg.Lines...)
	extra.Secrets = append(append([]string(nil), extra.Secrets...), cfg.Secrets...)
	ex, err := baseline.NewExcludes(extra)
	if err != nil {
		return nil, err
	}
	if bl == nil {
		return ex, nil
	}
	from, err := bl.Excludes()
	if err != nil {
		return nil, err
	}
	return from.Merge(ex), nil
}

// excludeBaselineFile keeps the baseline itself out of the scan, as
// detect-secrets' is_baseline_file filter does: its hashes look like
// secrets to the generic rules.
type excludeBaselineFile struct {
	*baseline.Excludes
	rel string
}

func (e excludeBaselineFile) File(name string) bool {
	return name == e.rel || (e.Excludes != nil && e.Excludes.File(name))
}

func relTo(root, path string) string {
	ar, err1 := filepath.Abs(root)
	ap, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return path
	}
	rel, err := filepath.Rel(ar, ap)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// verdict counts the new findings that fail the gate: every new secret,
// and new config findings at or above failOn.
func verdict(findings []scan.Finding, failOn scan.Severity) int {
	n := 0
	for i := range findings {
		f := &findings[i]
		if f.Status != scan.StatusNew {
			continue
		}
		if f.Kind == scan.KindSecret || f.Severity.Rank() >= failOn.Rank() {
			n++
		}
	}
	return n
}

// render writes the report in the chosen format, and the SARIF file too
// when asked.
func render(g *gateFlags, rules *secrets.Rules, res *scan.Result, sum report.Summary) error {
	res = g.prefixed(res)
	byEngine := false
	for i := range res.Findings {
		if e := res.Findings[i].Engine; e == scan.EngineDetectSecrets || e == scan.EngineBoth {
			byEngine = true
			break
		}
	}
	if g.sarifFile != "" {
		if err := writeFile(g.sarifFile, func(w io.Writer) error { return writeSARIF(w, g, rules, res.Findings) }); err != nil {
			return err
		}
	}
	if g.jsonFile != "" {
		if err := writeFile(g.jsonFile, func(w io.Writer) error {
			return report.WriteJSON(w, toolVersion(), res.Findings, res.Skipped, sum)
		}); err != nil {
			return err
		}
	}
	return writeOutput(g.output, func(w io.Writer) error {
		switch g.format {
		case "json":
			return report.WriteJSON(w, toolVersion(), res.Findings, res.Skipped, sum)
		case "sarif":
			return writeSARIF(w, g, rules, res.Findings)
		case "github":
			if err := report.WriteAnnotations(w, res.Findings); err != nil {
				return err
			}
			if p := os.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
				if err := report.AppendStepSummary(p, res.Findings, report.SummaryOptions{}); err != nil {
					return err
				}
			}
			return report.WriteText(w, res.Findings, res.Skipped, sum, report.TextOptions{})
		}
		return report.WriteText(w, res.Findings, res.Skipped, sum, report.TextOptions{
			ShowKnown: g.showKnown,
			Color:     g.output == "" && colorful(os.Stdout),
			Hints:     true,
			// With detect-secrets' plugins on, what only gitleaks finds
			// stands apart.
			GroupByEngine: byEngine,
		})
	})
}

func writeSARIF(w io.Writer, g *gateFlags, rules *secrets.Rules, findings []scan.Finding) error {
	meta := map[string]sarif.Rule{}
	for i := range findings {
		f := &findings[i]
		if _, ok := meta[f.Rule]; ok {
			continue
		}
		switch f.Kind {
		case scan.KindSecret:
			desc := ""
			if rules != nil {
				desc = rules.Config.Rules[f.Rule].Description
			}
			meta[f.Rule] = sarif.SecretRule(f.Rule, desc)
		case scan.KindConfig:
			if c := coderclaw.Lookup(f.Rule); c != nil {
				r := sarif.ConfigRule(f.Rule, c.Title, c.Doc, c.Remediation, c.Severity)
				// The docs have one section per check, "channels.<ch>.dm.open"
				// for every channel's concrete id.
				r.HelpURI = sarif.DocsURL + "checks.md#" + sarif.Anchor(c.ID)
				meta[f.Rule] = r
			}
		}
	}
	v := toolVersion()
	return sarif.Write(w, findings, meta, sarif.Options{
		ToolVersion:     v,
		SemanticVersion: v,
		Category:        g.sarifCategory,
		IncludeKnown:    g.sarifIncludeKnown,
	})
}

// colorful reports whether f is a terminal that wants colour.
func colorful(f *os.File) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// writeFile writes a report file atomically: to a temp file beside it,
// renamed into place. A path that exists and is not a regular file
// (/dev/null, /dev/stderr, a pipe) is written to directly: renaming over
// it would replace the device.
func writeFile(path string, write func(io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return fsutil.WriteAtomic(path, 0o644, write)
}

// writeOutput writes to path, or stdout when path is "".
func writeOutput(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(os.Stdout)
	}
	return writeFile(path, write)
}

func errorf(format string, a ...any) error {
	return &exitErr{code: exitError, err: fmt.Errorf(format, a...)}
}
