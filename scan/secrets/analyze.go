package secrets

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// windowPlan says whether a rule's regexp can run on windows around its
// keyword hits instead of over the whole fragment, and how large a window
// must be. It holds when every match of the regexp contains one of the
// rule's keywords and a match reaches a bounded number of lines above and
// below that keyword. Then every match lies inside the lines around some
// keyword hit, and scanning merged windows of whole lines finds exactly the
// matches a scan of the whole fragment finds (see fast.go for the anchors).
type windowPlan struct {
	ok     bool
	before int // newlines a match may span before its keyword
	after  int // newlines a match may span after its keyword
	// Text anchors (^, $, \A, \z without the m flag) behave differently at
	// a window's edge than at the fragment's, so windows that do not touch
	// the fragment's edges use variants with those anchors removed.
	hasBegin, hasEnd bool
	tree             *syntax.Regexp
	// pre is a cheap necessary condition checked at each keyword hit
	// before a window is cut around it: the part of the regexp from the
	// keyword on, anchored, with its zero-width assertions relaxed. offsets
	// says where, relative to a hit of each keyword, that part starts.
	pre     *regexp.Regexp
	offsets map[string][]int
	// preBytes bounds, in bytes, how far before the prefiltered part a
	// match can start, when nothing in the regexp looks at the text before
	// a match (no ^, \b, \B) and that leading part matches only ASCII; -1
	// when windows must start at a line start.
	preBytes int
}

const unbounded = 1 << 30

// finite-language limits: beyond them a node is treated as infinite, which
// only makes the analysis more conservative.
const (
	maxLangStrings = 64
	maxLangLen     = 64
	maxClassRunes  = 8
)

func planWindows(re *regexp.Regexp, keywords []string) windowPlan {
	if re == nil || len(keywords) == 0 {
		return windowPlan{}
	}
	for _, k := range keywords {
		if k == "" || !isASCII(k) {
			return windowPlan{}
		}
	}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return windowPlan{}
	}
	a := analyzer{keywords: keywords}
	ok, before, after := a.must(tree)
	if !ok || before >= unbounded || after >= unbounded {
		return windowPlan{}
	}
	p := windowPlan{ok: true, before: before, after: after, tree: tree}
	p.pre, p.offsets, p.preBytes = a.prefilter(tree)
	walk(tree, func(n *syntax.Regexp) {
		switch n.Op {
		case syntax.OpBeginText:
			p.hasBegin = true
		case syntax.OpEndText:
			p.hasEnd = true
		}
	})
	return p
}

func walk(n *syntax.Regexp, f func(*syntax.Regexp)) {
	f(n)
	for _, s := range n.Sub {
		walk(s, f)
	}
}

// variant compiles the plan's regexp with the begin-text and/or end-text
// anchors turned into assertions that never hold: a window that does not
// start (end) at the fragment's edge has no text start (end) inside it.
func (p *windowPlan) variant(keepBegin, keepEnd bool) (*regexp.Regexp, error) {
	t := cloneTree(p.tree)
	walk(t, func(n *syntax.Regexp) {
		if (n.Op == syntax.OpBeginText && !keepBegin) || (n.Op == syntax.OpEndText && !keepEnd) {
			*n = syntax.Regexp{Op: syntax.OpNoMatch}
		}
	})
	return regexp.Compile(t.String())
}

func cloneTree(n *syntax.Regexp) *syntax.Regexp {
	c := *n
	c.Sub = nil
	if len(n.Sub) > 0 {
		c.Sub = make([]*syntax.Regexp, len(n.Sub))
		for i, s := range n.Sub {
			c.Sub[i] = cloneTree(s)
		}
	}
	c.Sub0 = [1]*syntax.Regexp{}
	c.Rune0 = n.Rune0
	if n.Rune != nil {
		c.Rune = append([]rune(nil), n.Rune...)
	}
	return &c
}

type analyzer struct{ keywords []string }

func (a *analyzer) hasKeyword(s string) bool {
	s = asciiLower(s)
	for _, k := range a.keywords {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// must reports whether every match of n contains a keyword, and if so how
// many newlines a match may hold before and after that keyword.
func (a *analyzer) must(n *syntax.Regexp) (ok bool, before, after int) {
	switch n.Op {
	case syntax.OpCapture:
		return a.must(n.Sub[0])
	case syntax.OpPlus:
		if nl := maxNewlines(n.Sub[0]); nl == 0 {
			if ok, _, _ := a.must(n.Sub[0]); ok {
				return true, 0, 0
			}
		}
	case syntax.OpRepeat:
		if n.Min >= 1 && maxNewlines(n.Sub[0]) == 0 {
			if ok, _, _ := a.must(n.Sub[0]); ok {
				return true, 0, 0
			}
		}
	case syntax.OpAlternate:
		for _, s := range n.Sub {
			ok, b, af := a.must(s)
			if !ok {
				return a.mustFinite(n)
			}
			before, after = max(before, b), max(after, af)
		}
		return true, before, after
	case syntax.OpConcat:
		return a.mustConcat(n.Sub)
	}
	return a.mustFinite(n)
}

// mustFinite handles a node whose language is a small finite set.
func (a *analyzer) mustFinite(n *syntax.Regexp) (bool, int, int) {
	strs, ok := lang(n)
	if !ok || len(strs) == 0 {
		return false, 0, 0
	}
	nl := 0
	for _, s := range strs {
		if !a.hasKeyword(s) {
			return false, 0, 0
		}
		nl = max(nl, strings.Count(s, "\n"))
	}
	return true, nl, nl
}

func (a *analyzer) mustConcat(subs []*syntax.Regexp) (bool, int, int) {
	nls := make([]int, len(subs))
	for i, s := range subs {
		nls[i] = maxNewlines(s)
	}
	sum := func(from, to int) int {
		t := 0
		for i := from; i < to; i++ {
			t = addNL(t, nls[i])
		}
		return t
	}
	best := -1
	var bestB, bestA int
	consider := func(b, af int) {
		if best < 0 || max(b, af) < best {
			best, bestB, bestA = max(b, af), b, af
		}
	}
	for i, s := range subs {
		if ok, b, af := a.must(s); ok {
			consider(addNL(sum(0, i), b), addNL(af, sum(i+1, len(subs))))
		}
	}
	// Runs of finite children: a keyword may be spelled across them, as in
	// passw(?:or)?d.
	for i := range subs {
		run := []string{""}
		for j := i; j < len(subs); j++ {
			strs, ok := lang(subs[j])
			if !ok {
				break
			}
			run = product(run, strs)
			if run == nil {
				break
			}
			if j > i && allHave(a, run) {
				nl := 0
				for _, s := range run {
					nl = max(nl, strings.Count(s, "\n"))
				}
				consider(addNL(sum(0, i), nl), addNL(nl, sum(j+1, len(subs))))
				break
			}
		}
	}
	if best < 0 {
		return false, 0, 0
	}
	return true, bestB, bestA
}

func allHave(a *analyzer, strs []string) bool {
	for _, s := range strs {
		if !a.hasKeyword(s) {
			return false
		}
	}
	return true
}

func addNL(a, b int) int {
	if a >= unbounded || b >= unbounded {
		return unbounded
	}
	return a + b
}

func product(a, b []string) []string {
	if len(a)*len(b) > maxLangStrings {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if len(x)+len(y) > maxLangLen {
				return nil
			}
			out = append(out, x+y)
		}
	}
	return out
}

// lang returns the finite language of n, lowercased, when it is small.
func lang(n *syntax.Regexp) ([]string, bool) {
	switch n.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpLiteral:
		return []string{asciiLower(string(n.Rune))}, true
	case syntax.OpCharClass:
		var out []string
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Rune); i += 2 {
			lo, hi := n.Rune[i], n.Rune[i+1]
			if hi-lo >= maxClassRunes {
				return nil, false
			}
			for r := lo; r <= hi; r++ {
				s := asciiLower(string(r))
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
				if len(out) > maxClassRunes {
					return nil, false
				}
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return lang(n.Sub[0])
	case syntax.OpQuest:
		s, ok := lang(n.Sub[0])
		if !ok {
			return nil, false
		}
		return append([]string{""}, s...), true
	case syntax.OpConcat:
		run := []string{""}
		for _, s := range n.Sub {
			strs, ok := lang(s)
			if !ok {
				return nil, false
			}
			if run = product(run, strs); run == nil {
				return nil, false
			}
		}
		return run, true
	case syntax.OpAlternate:
		var out []string
		for _, s := range n.Sub {
			strs, ok := lang(s)
			if !ok {
				return nil, false
			}
			out = append(out, strs...)
			if len(out) > maxLangStrings {
				return nil, false
			}
		}
		return out, true
	case syntax.OpRepeat:
		if n.Max < 0 || n.Max > 4 {
			return nil, false
		}
		strs, ok := lang(n.Sub[0])
		if !ok {
			return nil, false
		}
		var out []string
		cur := []string{""}
		for i := 0; i <= n.Max; i++ {
			if i >= n.Min {
				out = append(out, cur...)
			}
			if i < n.Max {
				if cur = product(cur, strs); cur == nil {
					return nil, false
				}
			}
		}
		if len(out) > maxLangStrings {
			return nil, false
		}
		return out, true
	}
	return nil, false
}

// maxNewlines is the most '\n' characters a match of n can contain.
func maxNewlines(n *syntax.Regexp) int {
	switch n.Op {
	case syntax.OpLiteral:
		c := 0
		for _, r := range n.Rune {
			if r == '\n' {
				c++
			}
		}
		return c
	case syntax.OpCharClass:
		for i := 0; i+1 < len(n.Rune); i += 2 {
			if n.Rune[i] <= '\n' && '\n' <= n.Rune[i+1] {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar:
		return 1
	case syntax.OpAnyCharNotNL:
		return 0
	case syntax.OpCapture, syntax.OpQuest:
		return maxNewlines(n.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxNewlines(n.Sub[0]) > 0 {
			return unbounded
		}
		return 0
	case syntax.OpRepeat:
		c := maxNewlines(n.Sub[0])
		if c == 0 {
			return 0
		}
		if n.Max < 0 || c >= unbounded {
			return unbounded
		}
		return min(c*n.Max, unbounded)
	case syntax.OpConcat:
		t := 0
		for _, s := range n.Sub {
			t = addNL(t, maxNewlines(s))
		}
		return t
	case syntax.OpAlternate:
		m := 0
		for _, s := range n.Sub {
			m = max(m, maxNewlines(s))
		}
		return m
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// prefilter finds the first child of the top-level concatenation whose
// matches always hold a keyword at known offsets, and compiles that child
// and everything after it, anchored, as a necessary condition for a match
// around a keyword hit. Anchors and word boundaries become empty matches so
// the condition can only be weaker than the rule, never stricter.
func (a *analyzer) prefilter(tree *syntax.Regexp) (*regexp.Regexp, map[string][]int, int) {
	root := tree
	for root.Op == syntax.OpCapture {
		root = root.Sub[0]
	}
	subs := []*syntax.Regexp{root}
	if root.Op == syntax.OpConcat {
		subs = root.Sub
	}
	for i, s := range subs {
		offs, ok := a.offsets(s)
		if !ok {
			continue
		}
		rest := &syntax.Regexp{Op: syntax.OpConcat, Flags: root.Flags}
		for _, c := range subs[i:] {
			rest.Sub = append(rest.Sub, relax(cloneTree(c)))
		}
		re, err := regexp.Compile(`^(?:` + rest.String() + `)`)
		if err != nil {
			return nil, nil, -1
		}
		// Leftmost-longest: the end of the longest possible match bounds
		// where a match of the whole rule can end.
		re.Longest()
		return re, offs, leadBytes(tree, subs[:i])
	}
	return nil, nil, -1
}

// leadBytes is the most bytes the children before the prefiltered part can
// match, or -1 when unbounded, not ASCII-only, or when the regexp has an
// assertion that reads the text before a match.
func leadBytes(tree *syntax.Regexp, lead []*syntax.Regexp) int {
	leftContext := false
	walk(tree, func(n *syntax.Regexp) {
		switch n.Op {
		case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			leftContext = true
		}
	})
	if leftContext {
		return -1
	}
	total := 0
	for _, n := range lead {
		b := maxASCIIBytes(n)
		if b < 0 {
			return -1
		}
		total += b
	}
	return total
}

// maxASCIIBytes is the longest match of n in bytes when n matches only
// ASCII, else -1.
func maxASCIIBytes(n *syntax.Regexp) int {
	switch n.Op {
	case syntax.OpEmptyMatch:
		return 0
	case syntax.OpLiteral:
		for _, r := range n.Rune {
			if r >= utf8.RuneSelf {
				return -1
			}
		}
		return len(n.Rune)
	case syntax.OpCharClass:
		// The Kelvin sign and long s, which (?i) adds to k and s, never
		// reach the fast detector (foldHazard), so they do not count.
		for i := 0; i+1 < len(n.Rune); i += 2 {
			lo, hi := n.Rune[i], n.Rune[i+1]
			if lo < utf8.RuneSelf {
				continue
			}
			if !(lo == hi && (lo == '\u017f' || lo == '\u212a')) {
				return -1
			}
		}
		return 1
	case syntax.OpCapture:
		return maxASCIIBytes(n.Sub[0])
	case syntax.OpQuest:
		return maxASCIIBytes(n.Sub[0])
	case syntax.OpRepeat:
		if n.Max < 0 {
			return -1
		}
		b := maxASCIIBytes(n.Sub[0])
		if b < 0 {
			return -1
		}
		return b * n.Max
	case syntax.OpConcat:
		t := 0
		for _, s := range n.Sub {
			b := maxASCIIBytes(s)
			if b < 0 {
				return -1
			}
			t += b
		}
		return t
	case syntax.OpAlternate:
		m := 0
		for _, s := range n.Sub {
			b := maxASCIIBytes(s)
			if b < 0 {
				return -1
			}
			m = max(m, b)
		}
		return m
	}
	return -1
}

func relax(n *syntax.Regexp) *syntax.Regexp {
	walk(n, func(x *syntax.Regexp) {
		switch x.Op {
		case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
			syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			*x = syntax.Regexp{Op: syntax.OpEmptyMatch}
		}
	})
	return n
}

// offsets returns, for a node all of whose matches contain a keyword at a
// fixed distance from the match's start, every (keyword, distance) pair
// that can occur. ok is false when no such guarantee exists.
func (a *analyzer) offsets(n *syntax.Regexp) (map[string][]int, bool) {
	switch n.Op {
	case syntax.OpCapture:
		return a.offsets(n.Sub[0])
	case syntax.OpPlus:
		return a.offsets(n.Sub[0])
	case syntax.OpRepeat:
		if n.Min >= 1 {
			return a.offsets(n.Sub[0])
		}
		return nil, false
	case syntax.OpAlternate:
		out := map[string][]int{}
		for _, s := range n.Sub {
			o, ok := a.offsets(s)
			if !ok {
				return a.offsetsFinite(n)
			}
			mergeOffsets(out, o, 0)
		}
		return out, true
	case syntax.OpConcat:
		shift := 0
		for _, s := range n.Sub {
			if o, ok := a.offsets(s); ok {
				out := map[string][]int{}
				mergeOffsets(out, o, shift)
				return out, true
			}
			w, ok := fixedWidth(s)
			if !ok {
				break
			}
			shift += w
		}
		return a.offsetsFinite(n)
	}
	return a.offsetsFinite(n)
}

func (a *analyzer) offsetsFinite(n *syntax.Regexp) (map[string][]int, bool) {
	strs, ok := lang(n)
	if !ok || len(strs) == 0 {
		return nil, false
	}
	out := map[string][]int{}
	for _, s := range strs {
		found := false
		for _, k := range a.keywords {
			for off := 0; ; {
				i := strings.Index(s[off:], k)
				if i < 0 {
					break
				}
				mergeOffsets(out, map[string][]int{k: {off + i}}, 0)
				found = true
				off += i + 1
			}
		}
		if !found {
			return nil, false
		}
	}
	return out, true
}

func mergeOffsets(dst, src map[string][]int, shift int) {
	for k, offs := range src {
	next:
		for _, o := range offs {
			for _, have := range dst[k] {
				if have == o+shift {
					continue next
				}
			}
			dst[k] = append(dst[k], o+shift)
		}
	}
}

// fixedWidth is the byte length every match of n has, when it is fixed.
func fixedWidth(n *syntax.Regexp) (int, bool) {
	strs, ok := lang(n)
	if !ok || len(strs) == 0 {
		return 0, false
	}
	for _, s := range strs {
		// Only ASCII is certain to keep its byte length under case folding.
		if len(s) != len(strs[0]) || !isASCII(s) {
			return 0, false
		}
	}
	return len(strs[0]), true
}
