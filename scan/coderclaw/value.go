package coderclaw

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// loc is a position: a byte offset in one file.
type loc struct {
	doc *json5.Doc
	off int
}

// val is one setting looked up by its dotted path. An absent setting keeps
// the position of its nearest enclosing key, where findings about it go.
type val struct {
	c      *Config
	path   string
	n      *json5.Node   // nil when absent
	m      *json5.Member // the member holding n; nil for the root and array elements
	anchor loc
}

func (c *Config) rootVal() val {
	return val{c: c, n: c.Root, anchor: loc{c.Docs[0], 0}}
}

// get looks a dotted path up from the root ("gateway.auth.token").
func (c *Config) get(path string) val {
	v := c.rootVal()
	for _, k := range strings.Split(path, ".") {
		v = v.child(k)
	}
	return v
}

func (v val) child(key string) val {
	p := key
	if v.path != "" {
		p = v.path + "." + key
	}
	if v.n != nil && v.n.Kind == json5.Object {
		if m := v.n.Get(key); m != nil {
			return v.memberVal(m)
		}
	}
	return val{c: v.c, path: p, anchor: v.where()}
}

// memberVal is the child of v that member m of v's object holds.
func (v val) memberVal(m *json5.Member) val {
	p := m.Key
	if v.path != "" {
		p = v.path + "." + m.Key
	}
	return val{c: v.c, path: p, n: m.Value, m: m, anchor: loc{m.Doc, m.KeyStart}}
}

// at walks several keys.
func (v val) at(keys ...string) val {
	for _, k := range keys {
		v = v.child(k)
	}
	return v
}

// where is the position a finding about v points to: the value for a
// scalar, the key for an object or array, the enclosing key when absent.
func (v val) where() loc {
	switch {
	case v.n == nil || v.m == nil && v.path == "":
		// Absent, or the root value: nothing encloses it but the file.
		return v.anchor
	case (v.n.Kind == json5.Object || v.n.Kind == json5.Array) && v.m != nil:
		return loc{v.m.Doc, v.m.KeyStart}
	default:
		return loc{v.n.Doc, v.n.Start}
	}
}

func (v val) exists() bool { return v.n != nil }

func (v val) isKind(k json5.Kind) bool { return v.n != nil && v.n.Kind == k }

func (v val) isTrue() bool  { return v.isKind(json5.Bool) && v.n.Bool }
func (v val) isFalse() bool { return v.isKind(json5.Bool) && !v.n.Bool }

// str returns a string setting with ${VAR} references substituted where
// the environment knows them. ok is false when v is not a string.
func (v val) str() (s string, ok bool) {
	if !v.isKind(json5.String) {
		return "", false
	}
	s, _ = v.c.substitute(v.n.Str)
	return s, true
}

// strOr returns the string value or def when absent or not a string.
func (v val) strOr(def string) string {
	if s, ok := v.str(); ok {
		return s
	}
	return def
}

// raw is the string as written, before substitution.
func (v val) raw() string {
	if v.isKind(json5.String) {
		return v.n.Str
	}
	return ""
}

// external reports a string holding a ${VAR} the environment does not
// supply: configured, but its value is unknown to an offline lint.
func (v val) external() bool {
	if !v.isKind(json5.String) {
		return false
	}
	_, ext := v.c.substitute(v.n.Str)
	return ext
}

// nonBlank is a string that is set: non-empty after trimming, or an
// unresolved ${VAR} (which counts as configured).
func (v val) nonBlank() bool {
	s, ok := v.str()
	return ok && (strings.TrimSpace(s) != "" || v.external())
}

func (v val) elems() []val {
	if !v.isKind(json5.Array) {
		return nil
	}
	out := make([]val, len(v.n.Elems))
	for i, e := range v.n.Elems {
		out[i] = val{c: v.c, path: fmt.Sprintf("%s[%d]", v.path, i), n: e, anchor: loc{e.Doc, e.Start}}
	}
	return out
}

func (v val) members() []val {
	if !v.isKind(json5.Object) {
		return nil
	}
	// Loading left each key once, so a member is its key's child.
	out := make([]val, 0, len(v.n.Members))
	for _, m := range v.n.Members {
		out = append(out, v.memberVal(m))
	}
	return out
}

func (v val) key() string {
	if v.m != nil {
		return v.m.Key
	}
	return ""
}

// size counts array elements or object keys.
func (v val) size() int {
	switch {
	case v.isKind(json5.Array):
		return len(v.n.Elems)
	case v.isKind(json5.Object):
		return len(v.n.Members)
	}
	return 0
}

// list returns the entries of an array as trimmed, non-empty text, the way
// the audit normalizes allowlists (String(v).trim(); numbers count too).
func (v val) list() []string {
	var out []string
	for _, e := range v.elems() {
		var s string
		switch e.n.Kind {
		case json5.String:
			s, _ = e.str()
		case json5.Number:
			s = e.n.Str
		default:
			continue
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// find returns the first element whose trimmed text satisfies pred.
func (v val) find(pred func(string) bool) (val, bool) {
	for _, e := range v.elems() {
		s, ok := e.str()
		if !ok && e.isKind(json5.Number) {
			s, ok = e.n.Str, true
		}
		if ok && pred(strings.TrimSpace(s)) {
			return e, true
		}
	}
	return val{}, false
}

// elemPath names an element of a list by its id when it has one, so a
// finding's identity survives reordering: agents.list[main].
func elemPath(list val, i int, e val) string {
	if id, ok := e.child("id").str(); ok && strings.TrimSpace(id) != "" {
		return fmt.Sprintf("%s[%s]", list.path, strings.TrimSpace(id))
	}
	return fmt.Sprintf("%s[%d]", list.path, i)
}

// withPath renames v (and so the settings of its children).
func (v val) withPath(p string) val {
	v.path = p
	return v
}

var envRef = regexp.MustCompile(`\$?\$\{([A-Z_][A-Z0-9_]*)\}`)

// substitute applies CoderClaw's ${VAR} rules: only upper-case names,
// $${VAR} is a literal ${VAR}. The process environment (Options.Env) wins
// over the config's own env block. A reference neither supplies is kept as
// written and reported as external.
func (c *Config) substitute(s string) (out string, external bool) {
	if !strings.Contains(s, "${") {
		return s, false
	}
	out = envRef.ReplaceAllStringFunc(s, func(ref string) string {
		if strings.HasPrefix(ref, "$$") {
			return ref[1:]
		}
		name := ref[2 : len(ref)-1]
		if v, ok := c.lookupEnv(name); ok && v != "" {
			return v
		}
		external = true
		return ref
	})
	return out, external
}

func (c *Config) lookupEnv(name string) (string, bool) {
	if c.env != nil {
		if v, ok := c.env(name); ok {
			return v, true
		}
	}
	v, ok := c.cfgEnv[name]
	return v, ok
}

// isEnvRef is the audit's test for a secret that is not written in the
// config: the raw text starts with "${" and ends with "}".
func isEnvRef(raw string) bool {
	raw = strings.TrimSpace(raw)
	return strings.HasPrefix(raw, "${") && strings.HasSuffix(raw, "}")
}

// configEnv reads the config's env block: env.vars.K and env.K strings
// (env.shellEnv is not a variable).
func configEnv(root *json5.Node) map[string]string {
	out := map[string]string{}
	envm := root.Get("env")
	if envm == nil || envm.Value.Kind != json5.Object {
		return out
	}
	for _, m := range envm.Value.Members {
		switch {
		case m.Key == "vars" && m.Value.Kind == json5.Object:
			for _, v := range m.Value.Members {
				if v.Value.Kind == json5.String {
					out[v.Key] = v.Value.Str
				}
			}
		case m.Key != "shellEnv" && m.Value.Kind == json5.String:
			out[m.Key] = m.Value.Str
		}
	}
	return out
}

// Short names for the JSON kinds the checks test.
const (
	jsonNull   = json5.Null
	jsonBool   = json5.Bool
	jsonNumber = json5.Number
	jsonString = json5.String
	jsonObject = json5.Object
	jsonArray  = json5.Array
)
