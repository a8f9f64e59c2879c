package coderclaw

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// MaxIncludeDepth is CoderClaw's limit on nested $include.
const MaxIncludeDepth = 10

// maxFileSize keeps a hostile or mistaken "config" from filling memory.
const maxFileSize = 16 << 20

// ConfigError is a config CoderClaw would refuse to load: a bad $include
// (escape, cycle, depth, wrong type) or an unreadable file. Syntax errors
// are *json5.SyntaxError. Both print as "file:line:col: message".
type ConfigError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Config is one top-level config with its includes resolved.
type Config struct {
	// Root is the merged value CoderClaw would see. Every node still points
	// at the file and bytes it came from.
	Root *json5.Node
	// Docs are the files read: the top config first, then includes in load order.
	Docs []*json5.Doc

	root    string // scan root (absolute); files are named relative to it
	topPath string // absolute path of the top config
	topDir  string // real path of the top config's directory
	env     func(string) (string, bool)
	read    func(string) ([]byte, error)
	cfgEnv  map[string]string // the config's own env block
	derived *derived
}

// relName names a file relative to the scan root with '/' separators.
func relName(root, abs string) string {
	if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// readFile reads a config or an included file: a regular file under
// maxFileSize. The type is checked before opening: opening a FIFO (an
// $include of one) blocked the lint forever.
func readFile(path string) ([]byte, error) {
	return fsutil.ReadRegular(path, maxFileSize)
}

// Load reads the config at path (absolute, or relative to root) and resolves
// its $include files the way CoderClaw does.
func Load(root, path string, opts Options) (*Config, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(absRoot, path)
	}
	path = filepath.Clean(path)
	name := relName(absRoot, path)
	read := readFile
	if opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		return nil, &ConfigError{File: name, Msg: "cannot read config: " + errText(err)}
	}
	doc, err := json5.Parse(name, src)
	if err != nil {
		return nil, err
	}
	topDir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return nil, &ConfigError{File: name, Msg: "cannot resolve config directory: " + errText(err)}
	}
	c := &Config{Docs: []*json5.Doc{doc}, root: absRoot, topPath: path, topDir: topDir, env: opts.Env, read: read}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		real = path
	}
	inc := includer{c: c}
	c.Root, err = inc.process(doc.Root, path, []string{real}, 0)
	if err != nil {
		return nil, err
	}
	c.cfgEnv = configEnv(c.Root)
	return c, nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

type includer struct {
	c    *Config
	noFS bool // LintSource: there is no directory to include from
}

// LintSource lints one config held in memory, named name in findings. It
// has no directory, so an $include is an error.
func LintSource(name string, src []byte, opts Options) ([]scan.Finding, error) {
	c, err := sourceConfig(name, src, opts)
	if err != nil {
		return nil, err
	}
	fs := c.lint()
	scan.SortFindings(fs)
	return fs, nil
}

func sourceConfig(name string, src []byte, opts Options) (*Config, error) {
	doc, err := json5.Parse(name, src)
	if err != nil {
		return nil, err
	}
	c := &Config{Docs: []*json5.Doc{doc}, env: opts.Env}
	inc := includer{c: c, noFS: true}
	if c.Root, err = inc.process(doc.Root, name, nil, 0); err != nil {
		return nil, err
	}
	c.cfgEnv = configEnv(c.Root)
	return c, nil
}

func (in *includer) errAt(doc *json5.Doc, off int, format string, args ...any) error {
	line, col := doc.Position(off)
	return &ConfigError{File: doc.Name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// process returns n with every $include below it resolved. file is the
// path of the file n was read from; chain the real paths being included
// (for cycle reports).
func (in *includer) process(n *json5.Node, file string, chain []string, depth int) (*json5.Node, error) {
	switch n.Kind {
	case json5.Array:
		out := *n
		out.Elems = make([]*json5.Node, len(n.Elems))
		for i, e := range n.Elems {
			v, err := in.process(e, file, chain, depth)
			if err != nil {
				return nil, err
			}
			out.Elems[i] = v
		}
		return &out, nil
	case json5.Object:
		var incl *json5.Member
		out := *n
		var ms memberList
		for _, m := range n.Members {
			if m.Key == "$include" {
				incl = m // the last one wins, as for any duplicate key
				continue
			}
			v, err := in.process(m.Value, file, chain, depth)
			if err != nil {
				return nil, err
			}
			mm := *m
			mm.Value = v
			ms.set(&mm)
		}
		out.Members = ms.ms
		if incl == nil {
			return &out, nil
		}
		included, err := in.resolve(incl, file, chain, depth)
		if err != nil {
			return nil, err
		}
		if len(out.Members) == 0 {
			return included, nil
		}
		if included.Kind != json5.Object {
			return nil, in.errAt(incl.Doc, incl.KeyStart, "keys next to $include need the included content to be an object, but it is %s %s", article(included.Kind), included.Kind)
		}
		return merge(included, &out), nil
	}
	return n, nil
}

func article(k json5.Kind) string {
	if k == json5.Array || k == json5.Object {
		return "an"
	}
	return "a"
}

// memberList builds an object's members as a JS object keeps them: a
// repeated key stays at its first position and takes the last value. Keys
// are looked up in a map once there are more than a few, so a config of
// many keys is built in linear time.
type memberList struct {
	ms  []*json5.Member
	idx map[string]int
}

func (l *memberList) index(key string) (int, bool) {
	if l.idx == nil && len(l.ms) > 16 {
		l.idx = make(map[string]int, 2*len(l.ms))
		for i, m := range l.ms {
			l.idx[m.Key] = i
		}
	}
	if l.idx != nil {
		i, ok := l.idx[key]
		return i, ok
	}
	for i, m := range l.ms {
		if m.Key == key {
			return i, true
		}
	}
	return 0, false
}

// set appends m, or replaces the member of the same key in place.
func (l *memberList) set(m *json5.Member) {
	if i, ok := l.index(m.Key); ok {
		l.ms[i] = m
		return
	}
	if l.idx != nil {
		l.idx[m.Key] = len(l.ms)
	}
	l.ms = append(l.ms, m)
}

func (in *includer) resolve(incl *json5.Member, file string, chain []string, depth int) (*json5.Node, error) {
	v := incl.Value
	switch v.Kind {
	case json5.String:
		return in.load(v, file, chain, depth)
	case json5.Array:
		acc := &json5.Node{Kind: json5.Object, Doc: v.Doc, Start: v.Start, End: v.End}
		for _, e := range v.Elems {
			if e.Kind != json5.String {
				return nil, in.errAt(e.Doc, e.Start, "$include array items must be strings, found %s %s", article(e.Kind), e.Kind)
			}
			got, err := in.load(e, file, chain, depth)
			if err != nil {
				return nil, err
			}
			acc = merge(acc, got)
		}
		return acc, nil
	}
	return nil, in.errAt(v.Doc, v.Start, "$include must be a string or an array of strings, found %s %s", article(v.Kind), v.Kind)
}

func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (in *includer) load(ref *json5.Node, file string, chain []string, depth int) (*json5.Node, error) {
	if in.noFS {
		return nil, in.errAt(ref.Doc, ref.Start, "$include %q cannot be resolved for a config read from memory", ref.Str)
	}
	target := ref.Str
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(file), target)
	}
	target = filepath.Clean(target)
	// Checked before and after resolving symlinks, as CoderClaw does.
	if !within(filepath.Dir(in.c.topPath), target) && !within(in.c.topDir, target) {
		return nil, in.errAt(ref.Doc, ref.Start, "$include %q points outside the config directory", ref.Str)
	}
	real, err := filepath.EvalSymlinks(target)
	if err != nil {
		return nil, in.errAt(ref.Doc, ref.Start, "$include %q: %s", ref.Str, errText(err))
	}
	if !within(in.c.topDir, real) {
		return nil, in.errAt(ref.Doc, ref.Start, "$include %q resolves (through a symlink) outside the config directory", ref.Str)
	}
	for i, p := range chain {
		if p == real {
			names := make([]string, 0, len(chain)-i+1)
			for _, q := range chain[i:] {
				names = append(names, relName(in.c.root, q))
			}
			names = append(names, relName(in.c.root, real))
			return nil, in.errAt(ref.Doc, ref.Start, "circular $include: %s", strings.Join(names, " -> "))
		}
	}
	if depth+1 > MaxIncludeDepth {
		return nil, in.errAt(ref.Doc, ref.Start, "$include nested deeper than %d files", MaxIncludeDepth)
	}
	name := relName(in.c.root, target)
	read := in.c.read
	if read == nil {
		read = readFile
	}
	src, err := read(real)
	if err != nil {
		return nil, in.errAt(ref.Doc, ref.Start, "$include %q: %s", ref.Str, errText(err))
	}
	doc, err := json5.Parse(name, src)
	if err != nil {
		return nil, err
	}
	in.c.Docs = append(in.c.Docs, doc)
	return in.process(doc.Root, target, append(chain[:len(chain):len(chain)], real), depth+1)
}

// merge is CoderClaw's deepMerge: arrays concatenate, objects merge key by
// key, and otherwise the later value wins. Neither input is modified.
func merge(a, b *json5.Node) *json5.Node {
	switch {
	case a.Kind == json5.Array && b.Kind == json5.Array:
		out := *b
		out.Elems = append(append([]*json5.Node(nil), a.Elems...), b.Elems...)
		return &out
	case a.Kind == json5.Object && b.Kind == json5.Object:
		out := *b
		ms := memberList{ms: append([]*json5.Member(nil), a.Members...)}
		for _, m := range b.Members {
			if i, ok := ms.index(m.Key); ok {
				mm := *m
				mm.Value = merge(ms.ms[i].Value, m.Value)
				m = &mm
			}
			ms.set(m)
		}
		out.Members = ms.ms
		return &out
	}
	return b
}
