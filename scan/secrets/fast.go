package secrets

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// Fast finds what gitleaks' detector finds, faster. gitleaks runs every
// rule whose keyword occurs anywhere in a fragment over the whole fragment,
// and runs its decoder's regexp over every fragment. Fast runs a rule's
// regexp only on windows of lines around that rule's keyword hits (when the
// regexp's structure proves every match contains a keyword and spans a
// bounded number of lines, see analyze.go), and decodes with a scanner
// instead of gitleaks' decoding regexp (decode.go, encodings.go). Everything
// after a regexp match — secret group, entropy, allowlists, gitleaks:allow,
// positions, decoding passes, the generic-rule filter — follows gitleaks'
// detector step by step, and the tests compare both on real trees.
type Fast struct {
	cfg     config.Config
	rules   []*fastRule
	ki      *keywordIndex
	kws     []string
	kwRules [][]int
	always  []int
	// ref is gitleaks' own detector, built at first need (see reference).
	refOnce sync.Once
	ref     *Reference
	src     *Rules
	// whole is set when the config uses features Fast does not model
	// (composite rules); then every fragment goes to the reference.
	whole bool
	pool  sync.Pool
	gates map[*config.Allowlist][]gatedRegexp
}

type fastRule struct {
	rule     config.Rule
	planOnce sync.Once
	plan     windowPlan
	once     [4]sync.Once
	vars     [4]*regexp.Regexp
}

// windows returns the rule's window plan, made at its first keyword hit:
// planning all 222 default rules (their syntax trees and prefilter
// regexps) took about 10 ms of every run's start-up, and a scan of a few
// files needs a few rules.
func (fr *fastRule) windows() *windowPlan {
	fr.planOnce.Do(func() { fr.plan = planWindows(fr.rule.Regex, fr.rule.Keywords) })
	return &fr.plan
}

// NewFast builds the fast detector for rules.
func NewFast(r *Rules) *Fast {
	f := &Fast{cfg: r.Config, src: r, gates: r.pathGates()}
	ids := make([]string, 0, len(r.Config.Rules))
	for id := range r.Config.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	kwIndex := map[string]int{}
	var kws []string
	for i, id := range ids {
		rule := r.Config.Rules[id]
		if len(rule.RequiredRules) > 0 || rule.SkipReport {
			f.whole = true
		}
		fr := &fastRule{rule: rule}
		f.rules = append(f.rules, fr)
		if len(rule.Keywords) == 0 {
			f.always = append(f.always, i)
			continue
		}
		for _, k := range rule.Keywords {
			k = strings.ToLower(k)
			j, ok := kwIndex[k]
			if !ok {
				j = len(kws)
				kwIndex[k] = j
				kws = append(kws, k)
				f.kwRules = append(f.kwRules, nil)
			}
			if n := len(f.kwRules[j]); n == 0 || f.kwRules[j][n-1] != i {
				f.kwRules[j] = append(f.kwRules[j], i)
			}
		}
	}
	f.ki = newKeywordIndex(kws)
	f.kws = kws
	f.pool.New = func() any { return &scratch{hits: make([][]hit, len(f.rules))} }
	return f
}

// scratch is per-call working memory, pooled to keep allocation off the
// hot path.
type scratch struct {
	hits    [][]hit // rule index → keyword hits
	touched []int   // rules with hits, in first-hit order
	wins    []window
}

// window is a byte range [a, b) to run a rule's regexp on.
type window struct{ a, b int }

type hit struct {
	pos int
	kw  int32
}

func (s *scratch) reset() {
	for _, i := range s.touched {
		s.hits[i] = s.hits[i][:0]
	}
	s.touched = s.touched[:0]
}

// foldHazard reports text holding a character that lowercases or case-folds
// to an ASCII letter (Kelvin sign, long s, dotted capital I): gitleaks'
// keyword test would see a keyword where an ASCII scan sees none, so such
// fragments go to the reference detector.
func foldHazard(s string) bool {
	return strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f") || strings.Contains(s, "\u0130")
}

// reference returns gitleaks' detector, for the fragments Fast hands over;
// most scans have none, so it is built at the first.
func (f *Fast) reference() *Reference {
	f.refOnce.Do(func() { f.ref = NewReference(f.src) })
	return f.ref
}

// Detect implements Detector.
func (f *Fast) Detect(ctx context.Context, frag sources.Fragment) []Match {
	if f.whole || foldHazard(frag.Raw) {
		return f.reference().Detect(ctx, frag)
	}
	if frag.FilePath != "" && frag.FilePath == f.cfg.Path {
		return nil
	}
	if f.pathOrCommitAllowed(frag, f.cfg.Allowlists) {
		return nil
	}
	sc := f.pool.Get().(*scratch)
	defer f.pool.Put(sc)

	var (
		found    []finding
		raw      = frag.Raw
		rawLines = newLines(raw)
		current  = raw
		segments []*segment
		dec      *decoder
	)
	for depth := 0; ; depth++ {
		if ctx.Err() != nil {
			break
		}
		lines := rawLines
		if depth > 0 {
			lines = newLines(current)
		}
		found = f.pass(sc, frag, current, lines, rawLines, segments, found)
		if depth+1 > DecodeDepth {
			break
		}
		if dec == nil {
			dec = newDecoder()
		}
		current, segments = dec.decode(current, segments)
		if len(segments) == 0 {
			break
		}
	}
	return filterGeneric(found)
}

// finding is a Match plus what gitleaks' generic-rule filter compares.
type finding struct {
	Match
	full string
}

// pass runs every rule whose keywords occur in text once, as one
// iteration of gitleaks' decode loop.
func (f *Fast) pass(sc *scratch, frag sources.Fragment, text string, lines, rawLines *lineIndex, segments []*segment, out []finding) []finding {
	sc.reset()
	f.ki.scan(text, func(start int, kw int32) {
		for _, ri := range f.kwRules[kw] {
			if len(sc.hits[ri]) == 0 {
				sc.touched = append(sc.touched, ri)
			}
			sc.hits[ri] = append(sc.hits[ri], hit{start, kw})
		}
	})
	var memo lineVerdicts
	run := func(ri int) {
		fr := f.rules[ri]
		r := &fr.rule
		if f.pathOrCommitAllowed(frag, r.Allowlists) {
			return
		}
		if r.Path != nil {
			pathMatch := r.Path.MatchString(frag.FilePath) || (frag.WindowsFilePath != "" && r.Path.MatchString(frag.WindowsFilePath))
			if r.Regex == nil && len(segments) == 0 {
				if pathMatch {
					out = append(out, finding{Match: Match{
						RuleID: r.RuleID, Description: r.Description, Tags: r.Tags,
					}, full: "file detected: " + frag.FilePath})
				}
				return
			}
			if !pathMatch {
				return
			}
		}
		if r.Regex == nil {
			return
		}
		for _, m := range f.findAll(sc, fr, text, lines, sc.hits[ri]) {
			if fd, ok := f.confirm(fr, frag, text, rawLines, segments, m[0], m[1], &memo); ok {
				out = append(out, fd)
			}
		}
	}
	for _, ri := range f.always {
		run(ri)
	}
	for _, ri := range sc.touched {
		run(ri)
	}
	return out
}

// findAll returns what r.Regex.FindAllStringIndex(text, -1) returns, looking
// only where matches can be: in windows of lines around the keyword hits
// that pass the rule's prefilter.
func (f *Fast) findAll(sc *scratch, fr *fastRule, text string, lines *lineIndex, hits []hit) [][]int {
	p := fr.windows()
	if !p.ok {
		return fr.rule.Regex.FindAllStringIndex(text, -1)
	}
	last := lines.count() - 1
	wins := sc.wins[:0]
	for _, h := range hits {
		l := lines.lineOf(h.pos)
		a, b := max(l-p.before, 0), min(l+p.after, last)
		start := lines.start(a)
		if p.pre != nil {
			end := lines.end(b)
			reach, from := -1, end
			for _, o := range p.offsets[f.kws[h.kw]] {
				q := h.pos - o
				if q < 0 || q > end {
					continue
				}
				if m := p.pre.FindStringIndex(text[q:end]); m != nil {
					reach = max(reach, q+m[1])
					from = min(from, q)
				}
			}
			if reach < 0 {
				continue
			}
			// A match ends by reach: its last line is the one reach is on
			// (the next one when the match ends with a newline).
			b = min(b, lines.lineOf(reach))
			if p.preBytes >= 0 {
				start = max(start, from-p.preBytes)
			}
		}
		wins = append(wins, window{start, lines.end(b)})
	}
	sc.wins = wins
	if len(wins) == 0 {
		return nil
	}
	sort.Slice(wins, func(i, j int) bool { return wins[i].a < wins[j].a })
	var out [][]int
	s, e := -1, -1
	flush := func() {
		if s < 0 {
			return
		}
		re := fr.variant(s == 0, e == len(text))
		for _, m := range re.FindAllStringIndex(text[s:e], -1) {
			out = append(out, []int{m[0] + s, m[1] + s})
		}
	}
	for _, w := range wins {
		if s >= 0 && w.a <= e {
			e = max(e, w.b)
			continue
		}
		flush()
		s, e = w.a, w.b
	}
	flush()
	return out
}
func (fr *fastRule) variant(keepBegin, keepEnd bool) *regexp.Regexp {
	if !fr.plan.hasBegin {
		keepBegin = true
	}
	if !fr.plan.hasEnd {
		keepEnd = true
	}
	if keepBegin && keepEnd {
		return fr.rule.Regex
	}
	i := 0
	if keepBegin {
		i |= 1
	}
	if keepEnd {
		i |= 2
	}
	fr.once[i].Do(func() {
		re, err := fr.plan.variant(keepBegin, keepEnd)
		if err != nil {
			// The variant is the rule's own syntax tree with anchors
			// turned off: it always compiles.
			panic(fmt.Sprintf("rule %s: window variant: %v", fr.rule.RuleID, err))
		}
		fr.vars[i] = re
	})
	return fr.vars[i]
}

// confirm turns one regexp match into a finding, or rejects it, exactly as
// gitleaks' detectRule does.
func (f *Fast) confirm(fr *fastRule, frag sources.Fragment, text string, rawLines *lineIndex, segments []*segment, m0, m1 int, memo *lineVerdicts) (finding, bool) {
	r := &fr.rule
	secret := strings.Trim(text[m0:m1], "\n")
	var metaTags []string
	curLine := ""
	if len(segments) > 0 {
		segs := overlapping(segments, m0, m1)
		if len(segs) == 0 {
			return finding{}, false
		}
		m0, m1 = adjustMatch(segs, m0, m1)
		metaTags = segmentTags(segs)
		curLine = currentLine(segs, text)
	} else {
		m1 = m0 + len(secret)
	}
	loc := rawLines.locate(frag.Raw, m0, m1)
	if m1 > loc.endLineIndex {
		loc.endLineIndex = m1
	}
	line := frag.Raw[loc.startLineIndex:loc.endLineIndex]
	if memo.hasAllow(line) {
		return finding{}, false
	}
	if curLine == "" {
		curLine = line
	}
	value := secret
	if groups := r.Regex.FindStringSubmatch(secret); len(groups) >= 2 {
		if r.SecretGroup > 0 {
			if len(groups) <= r.SecretGroup {
				return finding{}, false
			}
			value = groups[r.SecretGroup]
		} else {
			for _, s := range groups[1:] {
				if len(s) > 0 {
					value = s
					break
				}
			}
		}
	}
	if r.Entropy != 0.0 && shannonEntropy(value) <= r.Entropy {
		return finding{}, false
	}
	fd := finding{
		Match: Match{
			RuleID:      r.RuleID,
			Description: r.Description,
			StartLine:   frag.StartLine + loc.startLine,
			EndLine:     frag.StartLine + loc.endLine,
			StartColumn: loc.startColumn,
			EndColumn:   loc.endColumn,
			Secret:      value,
			Line:        line,
			Tags:        joinTags(r.Tags, metaTags),
		},
		full: secret,
	}
	if findingAllowed(&fd, frag, curLine, f.cfg.Allowlists, memo) || findingAllowed(&fd, frag, curLine, r.Allowlists, memo) {
		return finding{}, false
	}
	return fd, true
}

const gitleaksAllow = "gitleaks:allow"

// pathOrCommitAllowed is gitleaks' fragment-level allowlist test.
func (f *Fast) pathOrCommitAllowed(frag sources.Fragment, allowlists []*config.Allowlist) bool {
	return fragmentAllowed(f.gates, allowlists, frag.FilePath, frag.WindowsFilePath, frag.CommitSHA)
}

// fragmentAllowed is gitleaks' allowlist test of a fragment by its path
// (or Windows path) and commit, through the literal path gates. An AND
// allowlist that also needs a regex or stop word cannot decide here.
func fragmentAllowed(gates map[*config.Allowlist][]gatedRegexp, allowlists []*config.Allowlist, path, winPath, commit string) bool {
	if path == "" && commit == "" {
		return false
	}
	for _, a := range allowlists {
		commitAllowed, _ := a.CommitAllowed(commit)
		pathOK := pathAllowed(gates, a, path) || pathAllowed(gates, a, winPath)
		if a.MatchCondition == config.AllowlistMatchAnd {
			if len(a.Regexes) > 0 || len(a.StopWords) > 0 {
				continue
			}
			all := true
			if len(a.Commits) > 0 {
				all = all && commitAllowed
			}
			if len(a.Paths) > 0 {
				all = all && pathOK
			}
			if all {
				return true
			}
		} else if commitAllowed || pathOK {
			return true
		}
	}
	return false
}

// lineVerdicts remembers what a "line"-target allowlist said about a line,
// for one pass over one text. Every match on a line has the same line, and
// gitleaks' "line" is the whole fragment when the text has no newline: a
// 100 kB line of assignments is thousands of generic-api-key matches, each
// running the allowlist's regexps over the same 100 kB (minutes of CPU per
// megabyte, for one answer). The key is the line's address and length: a
// line is a substring of the pass's text or of the fragment, both alive
// for the whole pass, so equal keys mean equal text.
type lineVerdicts map[lineVerdictKey]bool

type lineVerdictKey struct {
	a *config.Allowlist
	p *byte
	n int
}

// regexAllowed is a.RegexAllowed(target), remembered for "line" targets.
func (m *lineVerdicts) regexAllowed(a *config.Allowlist, target string) bool {
	if m == nil || a.RegexTarget != "line" || len(a.Regexes) == 0 {
		return a.RegexAllowed(target)
	}
	k := lineVerdictKey{a, unsafe.StringData(target), len(target)}
	if v, ok := (*m)[k]; ok {
		return v
	}
	v := a.RegexAllowed(target)
	if *m == nil {
		*m = lineVerdicts{}
	}
	(*m)[k] = v
	return v
}

// hasAllow reports whether line carries gitleaks:allow, remembered per
// line like the allowlist verdicts (the nil allowlist is its key).
func (m *lineVerdicts) hasAllow(line string) bool {
	k := lineVerdictKey{nil, unsafe.StringData(line), len(line)}
	if v, ok := (*m)[k]; ok {
		return v
	}
	v := strings.Contains(line, gitleaksAllow)
	if *m == nil {
		*m = lineVerdicts{}
	}
	(*m)[k] = v
	return v
}

// findingAllowed is gitleaks' finding-level allowlist test.
func findingAllowed(fd *finding, frag sources.Fragment, currentLine string, allowlists []*config.Allowlist, memo *lineVerdicts) bool {
	for _, a := range allowlists {
		target := fd.Secret
		switch a.RegexTarget {
		case "match":
			target = fd.full
		case "line":
			target = currentLine
		}
		regexAllowed := memo.regexAllowed(a, target)
		stop, _ := a.ContainsStopWord(fd.Secret)
		if a.MatchCondition == config.AllowlistMatchAnd {
			all := true
			if len(a.Commits) > 0 {
				ok, _ := a.CommitAllowed(frag.CommitSHA)
				all = all && ok
			}
			if len(a.Paths) > 0 {
				all = all && (a.PathAllowed(frag.FilePath) || (frag.WindowsFilePath != "" && a.PathAllowed(frag.WindowsFilePath)))
			}
			if len(a.Regexes) > 0 {
				all = all && regexAllowed
			}
			if len(a.StopWords) > 0 {
				all = all && stop
			}
			if all {
				return true
			}
		} else if regexAllowed || stop {
			return true
		}
	}
	return false
}

// shannonEntropy matches gitleaks: rune frequencies over the byte length.
func shannonEntropy(data string) float64 {
	if data == "" {
		return 0
	}
	counts := map[rune]int{}
	for _, c := range data {
		counts[c]++
	}
	inv := 1.0 / float64(len(data))
	e := 0.0
	for _, n := range counts {
		p := float64(n) * inv
		e -= p * math.Log2(p)
	}
	return e
}

// filterGeneric drops a generic-rule finding when a specific rule found a
// superset of its secret on the same line, as gitleaks does. The specific
// findings are looked up by line: comparing every pair was quadratic, and a
// commit adding one long line of assignments (one fragment in a history
// scan) has hundreds of thousands of generic findings.
func filterGeneric(fs []finding) []Match {
	generic := make([]bool, len(fs))
	var specific map[int][]int // line → indexes of non-generic findings
	for i := range fs {
		generic[i] = strings.Contains(strings.ToLower(fs[i].RuleID), "generic")
		if !generic[i] {
			if specific == nil {
				specific = map[int][]int{}
			}
			specific[fs[i].StartLine] = append(specific[fs[i].StartLine], i)
		}
	}
	var out []Match
	for i := range fs {
		f := &fs[i]
		keep := true
		if generic[i] {
			for _, j := range specific[f.StartLine] {
				p := &fs[j]
				if f.RuleID != p.RuleID && strings.Contains(p.Secret, f.Secret) {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, f.Match)
		}
	}
	return out
}

func joinTags(a, b []string) []string {
	if len(a)+len(b) == 0 {
		return nil
	}
	return append(append([]string(nil), a...), b...)
}
