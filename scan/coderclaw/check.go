package coderclaw

import (
	"sort"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// Check is one lint rule: a value in the registry, like analysis.Analyzer.
// The registry is the single source for the lint, `clawgate checks` and
// docs/checks.md.
type Check struct {
	// ID is the checkId of `coderclaw security audit` where one exists. A
	// segment in angle brackets (tools.elevated.allowFrom.<provider>.wildcard)
	// is filled in by the finding: its Rule is the concrete id.
	ID string
	// Severity is the default; Escalation says when Run raises it.
	Severity   scan.Severity
	Escalation string
	Title      string
	// Doc says why it matters and how to fix it (Markdown).
	Doc string
	// Bad fires the check; Good is the fixed config. JSON5.
	Bad, Good string
	// Remediation is the one-line fix printed with each finding.
	Remediation string
	// Fix says what --fix changes; empty when it changes nothing.
	Fix string
	// Source says where the check comes from: "audit" (CoderClaw's security
	// audit), "upstream" (a later OpenClaw audit check), "clawgate".
	Source string
	// StateDir marks the fs.* checks, which run on a state directory
	// (CheckStateDir) instead of config text; their Run is nil.
	StateDir bool
	Run      func(*Pass)
}

// Pass hands one check one config.
type Pass struct {
	Check  *Check
	Config *Config
	out    *[]raw
}

// raw is a finding before it is placed in a file.
type raw struct {
	rule     string
	severity scan.Severity
	setting  string
	at       loc
	message  string
	remedy   string
	fix      *edit
}

// edit replaces bytes of one file: the --fix of a finding.
type edit struct {
	at     loc
	end    int
	text   string
	change string // "logging.redactSensitive=off -> \"tools\""
}

// report records a finding of the pass's check at v (v's value, or its
// nearest enclosing key when absent). sev "" means the default severity.
func (p *Pass) report(v val, sev scan.Severity, msg string) *raw {
	return p.reportID(p.Check.ID, v, sev, msg)
}

// reportID is report for checks whose ID has a <placeholder>.
func (p *Pass) reportID(id string, v val, sev scan.Severity, msg string) *raw {
	if sev == "" {
		sev = p.Check.Severity
	}
	r := raw{rule: id, severity: sev, setting: v.path, at: v.where(), message: msg, remedy: p.Check.Remediation}
	*p.out = append(*p.out, r)
	return &(*p.out)[len(*p.out)-1]
}

var registry []*Check

func register(cs ...*Check) {
	registry = append(registry, cs...)
}

// Checks returns every check, sorted by ID.
func Checks() []*Check {
	out := append([]*Check(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a check by its ID, or by a concrete id of a patterned check
// (channels.discord.dm.open finds channels.<ch>.dm.open).
func Lookup(id string) *Check {
	for _, c := range registry {
		if c.ID == id || matchPattern(c.ID, id) {
			return c
		}
	}
	return nil
}

// matchPattern matches a concrete id against an ID with <placeholder>
// segments; a placeholder stands for one or more segments' worth of text
// without dots.
func matchPattern(pattern, id string) bool {
	if !strings.Contains(pattern, "<") {
		return false
	}
	ps := strings.Split(pattern, ".")
	is := strings.Split(id, ".")
	if len(ps) != len(is) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], "<") && strings.HasSuffix(ps[i], ">") {
			if is[i] == "" {
				return false
			}
			continue
		}
		if ps[i] != is[i] {
			return false
		}
	}
	return true
}
