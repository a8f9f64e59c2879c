package citest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// This file evaluates GitHub Actions expressions (${{ }}) the way the
// runner does, for the subset action.yml may use: literals, context
// properties (with '-' in names), ! == != && || and parentheses, and the
// status functions. Anything else is an error, so a construct the emulator
// does not understand fails the test instead of passing unexamined.

// exprContext is what expressions can read.
type exprContext struct {
	contexts map[string]any // inputs, github, steps, runner, env
	failed   bool           // an earlier step failed
}

type exprParser struct {
	src  string
	pos  int
	ctx  *exprContext
	used map[string]bool // functions called
}

// evalExpr evaluates one expression (without ${{ }}).
func evalExpr(src string, ctx *exprContext) (any, map[string]bool, error) {
	p := &exprParser{src: src, ctx: ctx, used: map[string]bool{}}
	v, err := p.or()
	if err != nil {
		return nil, nil, err
	}
	p.space()
	if p.pos != len(p.src) {
		return nil, nil, fmt.Errorf("expression %q: unexpected %q", src, p.src[p.pos:])
	}
	return v, p.used, nil
}

// interpolate replaces every ${{ expr }} in s by its value as a string.
func interpolate(s string, ctx *exprContext) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		end, err := exprEnd(s, i+3)
		if err != nil {
			return "", err
		}
		v, _, err := evalExpr(s[i+3:end], ctx)
		if err != nil {
			return "", err
		}
		b.WriteString(toString(v))
		s = s[end+2:]
	}
}

// exprEnd finds the "}}" closing an expression that starts at from,
// skipping string literals.
func exprEnd(s string, from int) (int, error) {
	inStr := false
	for i := from; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			inStr = !inStr // '' inside a string toggles twice
		case !inStr && strings.HasPrefix(s[i:], "}}"):
			return i, nil
		}
	}
	return 0, fmt.Errorf("unterminated ${{ in %q", s)
}

// evalIf evaluates a step's if: the runner strips an enclosing ${{ }} and,
// when no status function is called, requires success() as well.
func evalIf(cond string, ctx *exprContext) (bool, error) {
	cond = strings.TrimSpace(cond)
	if cond == "" {
		return !ctx.failed, nil
	}
	if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
		cond = strings.TrimSpace(cond[3 : len(cond)-2])
	}
	v, used, err := evalExpr(cond, ctx)
	if err != nil {
		return false, err
	}
	if !used["success"] && !used["failure"] && !used["always"] && !used["cancelled"] {
		return !ctx.failed && truthy(v), nil
	}
	return truthy(v), nil
}

func (p *exprParser) space() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *exprParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.src[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *exprParser) or() (any, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.eat("||") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		if !truthy(l) {
			l = r
		}
	}
	return l, nil
}

func (p *exprParser) and() (any, error) {
	l, err := p.eq()
	if err != nil {
		return nil, err
	}
	for p.eat("&&") {
		r, err := p.eq()
		if err != nil {
			return nil, err
		}
		if truthy(l) {
			l = r
		}
	}
	return l, nil
}

func (p *exprParser) eq() (any, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.eat("=="):
			r, err := p.unary()
			if err != nil {
				return nil, err
			}
			l = looseEqual(l, r)
		case p.eat("!="):
			r, err := p.unary()
			if err != nil {
				return nil, err
			}
			l = !looseEqual(l, r)
		default:
			return l, nil
		}
	}
}

func (p *exprParser) unary() (any, error) {
	if p.eat("!") {
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		return !truthy(v), nil
	}
	return p.primary()
}

func (p *exprParser) primary() (any, error) {
	p.space()
	if p.eat("(") {
		v, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("expression %q: missing )", p.src)
		}
		return v, nil
	}
	if p.pos < len(p.src) && p.src[p.pos] == '\'' {
		var b strings.Builder
		for i := p.pos + 1; i < len(p.src); i++ {
			if p.src[i] == '\'' {
				if i+1 < len(p.src) && p.src[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				p.pos = i + 1
				return b.String(), nil
			}
			b.WriteByte(p.src[i])
		}
		return nil, fmt.Errorf("expression %q: unterminated string", p.src)
	}
	start := p.pos
	for p.pos < len(p.src) && (isNameByte(p.src[p.pos]) || p.src[p.pos] == '.') {
		p.pos++
	}
	word := p.src[start:p.pos]
	if word == "" {
		return nil, fmt.Errorf("expression %q: unexpected %q", p.src, p.src[start:])
	}
	if n, err := strconv.ParseFloat(word, 64); err == nil {
		return n, nil
	}
	switch word {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if p.eat("(") {
		if !p.eat(")") {
			return nil, fmt.Errorf("expression %q: function %s with arguments is not emulated", p.src, word)
		}
		p.used[word] = true
		switch word {
		case "success":
			return !p.ctx.failed, nil
		case "failure":
			return p.ctx.failed, nil
		case "always":
			return true, nil
		case "cancelled":
			return false, nil
		}
		return nil, fmt.Errorf("expression %q: function %s is not emulated", p.src, word)
	}
	parts := strings.Split(word, ".")
	root, ok := p.ctx.contexts[parts[0]]
	if !ok {
		return nil, fmt.Errorf("expression %q: unknown context %q", p.src, parts[0])
	}
	v := root
	for _, name := range parts[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, nil
		}
		v = m[name]
	}
	return v, nil
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

// looseEqual is GitHub's ==: strings compare ignoring case; values of
// different types compare as numbers.
func looseEqual(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(as, bs)
	}
	if a == nil && b == nil {
		return true
	}
	_, amap := a.(map[string]any)
	_, bmap := b.(map[string]any)
	if amap || bmap {
		return false
	}
	x, y := toNumber(a), toNumber(b)
	return x == y
}

func toNumber(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0
		}
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	}
	return math.NaN()
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	case map[string]any:
		return "Object"
	}
	return fmt.Sprint(v)
}

// TestExpressions pins the evaluator to the runner's documented rules, so
// the action tests' verdicts on if: conditions mean something.
func TestExpressions(t *testing.T) {
	ctx := &exprContext{contexts: map[string]any{
		"inputs": map[string]any{"upload-sarif": "true", "empty": ""},
		"steps":  map[string]any{"gate": map[string]any{"outputs": map[string]any{"sarif-file": "/x.sarif"}}},
		"github": map[string]any{"event": map[string]any{"pull_request": map[string]any{"base": map[string]any{"sha": "abc"}}}},
	}}
	cases := []struct {
		expr string
		want string
	}{
		{"inputs.upload-sarif == 'true'", "true"},
		{"inputs.upload-sarif == 'TRUE'", "true"}, // strings compare ignoring case
		{"inputs.upload-sarif == true", "false"},  // 'true' as a number is NaN
		{"steps.gate.outputs.sarif-file != ''", "true"},
		{"steps.nope.outputs.sarif-file != ''", "false"}, // missing is null, null == '' (both 0)
		{"github.event.pull_request.base.sha", "abc"},
		{"github.event.before", ""},
		{"inputs.empty || 'dflt'", "dflt"},
		{"!cancelled() && (inputs.upload-sarif == 'false' || 1 == 1)", "true"},
		{"'it''s'", "it's"},
	}
	for _, c := range cases {
		v, _, err := evalExpr(c.expr, ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := toString(v); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
	if s, err := interpolate("a ${{ github.event.pull_request.base.sha }} b ${{ '}}' }}", ctx); err != nil || s != "a abc b }}" {
		t.Errorf("interpolate = %q, %v", s, err)
	}
	// if: without a status function also needs success().
	ctx.failed = true
	for cond, want := range map[string]bool{
		"inputs.upload-sarif == 'true'":                        false,
		"${{ !cancelled() && inputs.upload-sarif == 'true' }}": true,
		"${{ always() }}":                                      true,
		"failure()":                                            true,
		"success()":                                            false,
		"${{ !cancelled() && inputs.upload-sarif == 'false' }}": false,
	} {
		got, err := evalIf(cond, ctx)
		if err != nil || got != want {
			t.Errorf("if: %s = %v (%v), want %v", cond, got, err, want)
		}
	}
	if _, _, err := evalExpr("contains(inputs.args, 'x')", ctx); err == nil {
		t.Error("an unemulated function evaluated")
	}
	if _, _, err := evalExpr("vars.X", ctx); err == nil {
		t.Error("an unknown context evaluated")
	}
}
