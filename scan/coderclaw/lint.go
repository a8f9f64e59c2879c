package coderclaw

import (
	"errors"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// Engine is the Finding.Engine of every CoderClaw finding.
const Engine = "coderclaw"

// Options tune a lint.
type Options struct {
	// Root is the scan root; Finding.File is relative to it. Lint and Fix
	// take the root as an argument; this field is for callers that pass
	// Options around.
	Root string
	// Env resolves ${VAR} references (and CODERCLAW_GATEWAY_TOKEN, the
	// web-search API keys). nil means no environment: an unresolved
	// reference counts as configured-but-unknown, and results do not depend
	// on the machine that runs the gate. os.LookupEnv is the live choice.
	Env func(string) (string, bool)
	// ExtraGlobs add config file patterns for Discover (--coderclaw-glob).
	ExtraGlobs []string
	// ReadFile, when set, reads a config or included file (absolute path)
	// instead of the disk: the staged scan reads the git index with it.
	ReadFile func(path string) ([]byte, error)
	// Accepted, when set, tells Fix which findings were accepted elsewhere
	// (in the baseline): like inline-accepted ones, they are not fixed.
	Accepted func(*scan.Finding) bool
}

// Lint checks each config (paths relative to root, or absolute) with every
// check. A config that cannot be loaded (syntax error, bad $include) adds
// its error to the returned error, which wraps one *json5.SyntaxError or
// *ConfigError per failed config (errors.As finds them); the other configs
// are still linted. Findings are sorted by file, line, column, rule.
func Lint(root string, configs []string, opts Options) ([]scan.Finding, error) {
	var all []scan.Finding
	var errs []error
	seen := map[string]bool{}
	for _, path := range configs {
		c, err := Load(root, path, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range c.lint() {
			k := f.File + "\x00" + f.Rule + "\x00" + f.Setting + "\x00" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
			if seen[k] {
				continue // an include shared by two configs reports once
			}
			seen[k] = true
			all = append(all, f)
		}
	}
	scan.SortFindings(all)
	return all, errors.Join(errs...)
}

// run executes every config check and returns the raw findings.
func (c *Config) run() []raw {
	var out []raw
	for _, ch := range Checks() {
		if ch.Run == nil {
			continue
		}
		p := &Pass{Check: ch, Config: c, out: &out}
		ch.Run(p)
	}
	return out
}

// lint runs the checks, applies inline ignores and places the findings.
func (c *Config) lint() []scan.Finding {
	fs, _ := c.lintRaw()
	return fs
}

// lintRaw returns the findings and, aligned with them, their fixes.
func (c *Config) lintRaw() ([]scan.Finding, []*edit) {
	raws := c.run()
	ign := c.ignores()
	var out []scan.Finding
	var fixes []*edit
	for _, r := range raws {
		f := c.place(r)
		if ign.match(f) != nil {
			f.Status, f.KnownBy = scan.StatusKnown, scan.KnownByInline
		}
		out = append(out, f)
		fixes = append(fixes, r.fix)
	}
	return out, fixes
}

// place turns a raw finding into a scan.Finding in its file.
func (c *Config) place(r raw) scan.Finding {
	at := r.at
	if at.doc == nil {
		at = loc{c.Docs[0], 0}
	}
	line, col := at.doc.Position(at.off)
	return scan.Finding{
		Kind: scan.KindConfig, Engine: Engine, Rule: r.rule, Severity: r.severity,
		File: at.doc.Name, Line: line, Column: col,
		Message: r.message, Remediation: r.remedy, Setting: r.setting,
	}
}

// inlineIgnore is one "clawgate:ignore ID[,ID…] reason" comment.
type inlineIgnore struct {
	doc       *json5.Doc
	start     int
	line, col int
	lines     [2]int // the lines it covers: its own, and the next when alone on its line
	ids       []string
	reason    string
}

type ignoreSet struct{ list []*inlineIgnore }

const ignoreMarker = "clawgate:ignore"

// ignores collects the inline ignore comments of every file read.
func (c *Config) ignores() *ignoreSet {
	set := &ignoreSet{}
	for _, d := range c.Docs {
		for _, cm := range d.Comments {
			body := cm.Text[2:]
			if cm.Block {
				body = strings.TrimSuffix(body, "*/")
			}
			body = strings.TrimSpace(body)
			if !strings.HasPrefix(body, ignoreMarker) {
				continue
			}
			rest := body[len(ignoreMarker):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue // clawgate:ignored… is some other word
			}
			fields := strings.Fields(rest)
			if len(fields) == 0 {
				continue
			}
			ig := &inlineIgnore{doc: d, ids: strings.Split(fields[0], ",")}
			ig.reason = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), fields[0]))
			ig.start = cm.Start
			ig.line, ig.col = d.Position(cm.Start)
			endLine, _ := d.Position(cm.End)
			ig.lines = [2]int{ig.line, ig.line}
			if aloneOnLine(d.Src, cm.Start, cm.End) {
				ig.lines[1] = endLine + 1
			}
			set.list = append(set.list, ig)
		}
	}
	return set
}

// aloneOnLine reports a comment with only whitespace before it on its
// first line and after it on its last.
func aloneOnLine(src []byte, start, end int) bool {
	for i := start - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	for i := end; i < len(src) && src[i] != '\n'; i++ {
		if src[i] != ' ' && src[i] != '\t' && src[i] != '\r' {
			return false
		}
	}
	return true
}

func (s *ignoreSet) match(f scan.Finding) *inlineIgnore {
	for _, ig := range s.list {
		if ig.reason == "" || ig.doc.Name != f.File || f.Line != ig.lines[0] && f.Line != ig.lines[1] {
			continue
		}
		for _, id := range ig.ids {
			if id == f.Rule || matchPattern(id, f.Rule) {
				return ig
			}
		}
	}
	return nil
}

var ignoreWithoutReason = &Check{
	ID: "clawgate.ignore_without_reason", Severity: scan.SeverityWarn, Source: "clawgate",
	Title: "Inline ignore without a reason",
	Doc: "`// clawgate:ignore CHECKID reason…` accepts a finding on purpose, and the reason is what a reviewer reads. " +
		"An ignore comment without a reason suppresses nothing and is reported itself.",
	Bad:         "{\n  logging: {\n    redactSensitive: \"off\", // clawgate:ignore logging.redact_off\n  },\n}",
	Good:        "{\n  logging: {\n    redactSensitive: \"off\", // clawgate:ignore logging.redact_off debug box, no real data\n  },\n}",
	Remediation: "Add a reason after the check id: // clawgate:ignore CHECKID why this is acceptable",
	Run: func(p *Pass) {
		for _, ig := range p.Config.ignores().list {
			if ig.reason == "" {
				ids := strings.Join(ig.ids, ",")
				v := val{c: p.Config, path: "clawgate:ignore " + ids, anchor: loc{ig.doc, ig.start}}
				p.report(v, "", "clawgate:ignore "+ids+" has no reason, so it suppresses nothing")
			}
		}
	},
}

func init() { register(ignoreWithoutReason) }
