package detectsecrets

import (
	"encoding/base64"
	"sort"
	"strings"
)

// yamlItem is detect-secrets' YAMLValue: a str or binary mapping value,
// its key, the __line__ the compose shim gave it and that line's text.
type yamlItem struct {
	key     string
	value   string
	isBytes bool
	line    int
	text    string
}

// yamlItems loads text as YAMLFileParser does (PyYAML's SafeLoader with
// detect-secrets' compose and flow-mapping shims) and walks the result as
// YAMLFileParser.__iter__ does. ok is false on a YAMLError and on inputs
// that make the Python code raise anything else.
func yamlItems(text string) (items []yamlItem, ok bool) {
	r, ok := newYReader(text)
	if !ok {
		return nil, false
	}
	p := &yParser{s: newYScanner(r)}
	p.state = p.parseStreamStart
	c := &yComposer{p: p, anchors: map[string]*yNode{}}
	doc, ok := c.composeSingle()
	if !ok {
		return nil, false
	}
	if doc == nil {
		return nil, true // get_single_data() is None: nothing to walk
	}
	k := &yConstructor{done: map[*yNode]*pyObj{}}
	root := k.construct(doc)
	if k.err || root == nil {
		return nil, false
	}
	lines := pySplitlines(text)
	queue := []*pyObj{root}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > yMaxBFSSteps {
			return nil, false // Python would run out of memory or time
		}
		it := queue[0]
		queue = queue[1:]
		switch it.kind {
		case pyNone, pyBool, pyInt, pyFloat, pyBytes, pyDate:
			// Falsy, or `'__line__' in item` raises TypeError: skipped.
			continue
		case pyStr:
			if strings.Contains(it.s, "__line__") {
				return nil, false // item['__original_key__'] on a str raises
			}
			continue
		case pyList:
			for _, e := range it.list {
				if e.kind == pyStr && e.s == "__line__" {
					return nil, false
				}
			}
			queue = append(queue, it.list...)
		case pySet:
			if _, has := it.index["s__line__"]; has {
				return nil, false
			}
			queue = append(queue, it.keys...)
		case pyDict:
			if len(it.keys) == 0 {
				continue
			}
			if _, has := it.index["s__line__"]; !has {
				queue = append(queue, it.vals...)
				continue
			}
			get := func(name string) *pyObj {
				if i, ok := it.index["s"+name]; ok {
					return it.vals[i]
				}
				return nil
			}
			key, val, line := get("__original_key__"), get("__value__"), get("__line__")
			if key == nil || val == nil || line == nil || key.kind != pyStr ||
				(val.kind != pyStr && val.kind != pyBytes) || line.kind != pyInt {
				return nil, false
			}
			n := 0
			for _, ch := range strings.TrimPrefix(line.key, "i") {
				if ch < '0' || ch > '9' || n > len(lines) {
					return nil, false
				}
				n = n*10 + int(ch-'0')
			}
			if n < 1 || n > len(lines) {
				return nil, false
			}
			items = append(items, yamlItem{key: key.s, value: val.s, isBytes: val.kind == pyBytes, line: n, text: lines[n-1]})
		}
	}
	return items, true
}

// yamlTransform is YAMLTransformer.parse_file: the values sorted by line
// (stable), each written as `key: "value"` plus the line's comment at
// index line-1, blank lines in between; several values on one line push
// the later ones down. Repeated items (anchors used through aliases) are
// kept once, first occurrence first, as detect-secrets does since PR #679
// (tests/transformers/yaml_transformer_test.py::
// TestYAMLTransformer::test_anchor_tag_alias_combination).
func yamlTransform(text string) ([]string, bool) {
	raw, ok := yamlItems(pyNormalizeNewlines(text))
	if !ok {
		return nil, false
	}
	items := raw[:0:0]
	seen := make(map[yamlItem]bool, len(raw))
	for _, it := range raw {
		if !seen[it] {
			seen[it] = true
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].line < items[j].line })
	var lines []string
	for _, it := range items {
		for len(lines) < it.line-1 {
			lines = append(lines, "")
		}
		value := it.value
		if it.isBytes {
			value = base64.StdEncoding.EncodeToString([]byte(value))
		}
		lines = append(lines, it.key+`: "`+strings.ReplaceAll(value, `"`, `\"`)+`"`+yamlComment(pyStrip(it.text)))
	}
	return lines, true
}

// yamlComment is the first match of `(\s+#[\S ]*)` in line: a run of
// whitespace right before a '#', then everything up to the first
// whitespace character other than a space.
func yamlComment(line string) string {
	for i := 0; i < len(line); {
		r, n := decodeRune(line[i:])
		if !isPySpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(line) {
			r2, n2 := decodeRune(line[j:])
			if !isPySpace(r2) {
				break
			}
			j += n2
		}
		if j < len(line) && line[j] == '#' {
			k := j + 1
			for k < len(line) {
				r3, n3 := decodeRune(line[k:])
				if r3 != ' ' && isPySpace(r3) {
					break
				}
				k += n3
			}
			return line[i:k]
		}
		i = j
	}
	return ""
}
