package coderclaw

import (
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/coderclaw/clawgate/internal/pathglob"
	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// IsConfigName reports whether a repository path (relative, '/'-separated)
// looks like a CoderClaw config: coderclaw.json, coderclaw.json5,
// *.coderclaw.json, a .json/.json5 file under a .coderclaw/ directory, or a
// match of one of the extra glob patterns ('**' spans directories; a
// pattern without '/' matches the base name anywhere).
func IsConfigName(rel string, extraGlobs []string) bool {
	rel = filepath.ToSlash(rel)
	base := path.Base(rel)
	switch {
	case base == "coderclaw.json", base == "coderclaw.json5", strings.HasSuffix(base, ".coderclaw.json"):
		return true
	}
	if ext := path.Ext(base); ext == ".json" || ext == ".json5" {
		for _, seg := range strings.Split(path.Dir(rel), "/") {
			if seg == ".coderclaw" {
				return true
			}
		}
	}
	for _, g := range extraGlobs {
		if pathglob.Match(g, rel) {
			return true
		}
	}
	return false
}

// Discover picks the top-level CoderClaw configs among files (paths
// relative to root, as the CLI lists them). A file that another discovered
// config $includes is linted as part of that config, not on its own: alone,
// a fragment would draw the default-config findings (no auth, ...) that
// its parent settles. Files including each other in a cycle all stay, so
// the cycle is reported.
func Discover(root string, files []string, extraGlobs []string) []string {
	return discover(root, files, extraGlobs, newClosures(readFile))
}

func discover(root string, files []string, extraGlobs []string, cl *closures) []string {
	var cands []string
	for _, f := range files {
		if IsConfigName(f, extraGlobs) {
			cands = append(cands, filepath.ToSlash(f))
		}
	}
	sort.Strings(cands)
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return cands
	}
	key := func(rel string) string { return filepath.Join(absRoot, filepath.FromSlash(rel)) }
	var out []string
	for _, c := range cands {
		kc := key(c)
		included := false
		for _, d := range cands {
			kd := key(d)
			if kd != kc && cl.of(kd)[kc] && !cl.of(kc)[kd] {
				included = true
				break
			}
		}
		if !included {
			out = append(out, c)
		}
	}
	return out
}

// closures lists the files configs include, directly or not, as cleaned
// absolute paths, reading through read (the disk, or the git index for a
// staged scan, as the lint itself reads) and parsing each config once.
// Unreadable or broken files just end the walk: Lint reports them properly.
type closures struct {
	read func(string) ([]byte, error)
	memo map[string]map[string]bool
}

func newClosures(read func(string) ([]byte, error)) *closures {
	return &closures{read: read, memo: map[string]map[string]bool{}}
}

func (cl *closures) of(top string) map[string]bool {
	if seen, ok := cl.memo[top]; ok {
		return seen
	}
	seen := map[string]bool{}
	var visit func(file string, depth int)
	visit = func(file string, depth int) {
		if depth > MaxIncludeDepth {
			return
		}
		src, err := cl.read(file)
		if err != nil {
			return
		}
		doc, err := json5.Parse(file, src)
		if err != nil {
			return
		}
		for _, ref := range includeRefs(doc.Root, nil) {
			t := ref
			if !filepath.IsAbs(t) {
				t = filepath.Join(filepath.Dir(file), t)
			}
			t = filepath.Clean(t)
			if !seen[t] {
				seen[t] = true
				visit(t, depth+1)
			}
		}
	}
	visit(top, 0)
	cl.memo[top] = seen
	return seen
}

func includeRefs(n *json5.Node, out []string) []string {
	switch n.Kind {
	case json5.Object:
		for _, m := range n.Members {
			if m.Key == "$include" {
				switch m.Value.Kind {
				case json5.String:
					out = append(out, m.Value.Str)
				case json5.Array:
					for _, e := range m.Value.Elems {
						if e.Kind == json5.String {
							out = append(out, e.Str)
						}
					}
				}
				continue
			}
			out = includeRefs(m.Value, out)
		}
	case json5.Array:
		for _, e := range n.Elems {
			out = includeRefs(e, out)
		}
	}
	return out
}
