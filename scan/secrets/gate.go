package secrets

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// gatedRegexp runs a regexp only on text that contains one of the literal
// strings every match must contain. Go's regexp engine has no such
// prefilter, and gitleaks' path allowlists (25 patterns tried on every
// file) cost more than reading the files.
type gatedRegexp struct {
	re *regexp.Regexp
	// any is nil when no literal gate could be derived; else the text must
	// contain one of these (ASCII-lowercased) strings for re to match.
	any []string
}

func newGated(re *regexp.Regexp) gatedRegexp {
	g := gatedRegexp{re: re}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return g
	}
	if lits := requiredLiterals(tree); len(lits) > 0 {
		for _, l := range lits {
			if l == "" || !isASCII(l) {
				return g
			}
		}
		g.any = lits
	}
	return g
}

// MatchString reports whether re matches s.
func (g *gatedRegexp) MatchString(s string) bool {
	if g.any != nil && isASCII(s) {
		ls := asciiLower(s)
		hit := false
		for _, l := range g.any {
			if strings.Contains(ls, l) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	// Text with non-ASCII bytes may match through Unicode case folding
	// (the Kelvin sign folds to k), so it always goes to the regexp.
	return g.re.MatchString(s)
}

// requiredLiterals returns strings one of which every match of n contains
// (ASCII-lowercased), or nil when it cannot tell. It prefers the longest
// such set member to keep the gate selective.
func requiredLiterals(n *syntax.Regexp) []string {
	switch n.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(n.Sub[0])
	case syntax.OpRepeat:
		if n.Min >= 1 {
			return requiredLiterals(n.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, s := range n.Sub {
			l := requiredLiterals(s)
			if l == nil {
				return finiteLiterals(n)
			}
			out = append(out, l...)
		}
		return out
	case syntax.OpConcat:
		var best []string
		score := func(l []string) int {
			m := 1 << 30
			for _, s := range l {
				m = min(m, len(s))
			}
			return m
		}
		for _, s := range n.Sub {
			if l := requiredLiterals(s); l != nil && (best == nil || score(l) > score(best)) {
				best = l
			}
		}
		// Adjacent finite children together, e.g. "\.(?:png|jpe?g)".
		for i := range n.Sub {
			run := []string{""}
			for j := i; j < len(n.Sub); j++ {
				strs, ok := lang(n.Sub[j])
				if !ok {
					break
				}
				if run = product(run, strs); run == nil {
					break
				}
				if score(run) > 0 && (best == nil || score(run) > score(best)) {
					best = append([]string(nil), run...)
				}
			}
		}
		return best
	}
	return finiteLiterals(n)
}

func finiteLiterals(n *syntax.Regexp) []string {
	strs, ok := lang(n)
	if !ok {
		return nil
	}
	for _, s := range strs {
		if s == "" {
			return nil
		}
	}
	return strs
}
