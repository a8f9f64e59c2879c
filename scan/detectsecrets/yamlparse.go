package detectsecrets

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

type yEvKind int

const (
	eStreamStart yEvKind = iota
	eStreamEnd
	eDocumentStart
	eDocumentEnd
	eAlias
	eScalar
	eSequenceStart
	eSequenceEnd
	eMappingStart
	eMappingEnd
)

type yEvent struct {
	kind      yEvKind
	anchor    string
	hasAnchor bool
	tag       string
	hasTag    bool
	implicit  [2]bool // scalars: (plain, quoted); collections use [0]
	value     string
}

// yParser is yaml.parser.Parser with detect-secrets' shims: every call of
// parse_flow_mapping_key first computes is_inline_flow_mapping_key.
type yParser struct {
	s          *yScanner
	cur        *yEvent
	state      func() *yEvent
	states     []func() *yEvent
	marks      []int // start-mark lines of the open collections
	tagHandles map[string]string
	err        bool
	// inlineFlowKey is YAMLFileParser.is_inline_flow_mapping_key.
	inlineFlowKey bool
}

func (p *yParser) fail() *yEvent { p.err = true; p.state = nil; return nil }

func (p *yParser) popState() {
	if len(p.states) == 0 {
		p.err = true
		p.state = nil
		return
	}
	p.state = p.states[len(p.states)-1]
	p.states = p.states[:len(p.states)-1]
}

func (p *yParser) popMark() {
	if len(p.marks) > 0 {
		p.marks = p.marks[:len(p.marks)-1]
	}
}

func (p *yParser) fill() {
	if p.cur == nil && p.state != nil && !p.err {
		p.cur = p.state()
		if p.s.err {
			p.err = true
			p.cur = nil
		}
	}
}

func (p *yParser) checkEvent(kinds ...yEvKind) bool {
	p.fill()
	if p.cur == nil {
		return false
	}
	for _, k := range kinds {
		if p.cur.kind == k {
			return true
		}
	}
	return len(kinds) == 0
}

func (p *yParser) peekEvent() *yEvent { p.fill(); return p.cur }

func (p *yParser) getEvent() *yEvent {
	p.fill()
	e := p.cur
	p.cur = nil
	return e
}

func (p *yParser) tok(kinds ...yTokKind) bool { return p.s.checkToken(kinds...) }

func (p *yParser) parseStreamStart() *yEvent {
	p.s.getToken()
	p.state = p.parseImplicitDocumentStart
	return &yEvent{kind: eStreamStart}
}

var yDefaultTags = map[string]string{"!": "!", "!!": "tag:yaml.org,2002:"}

func (p *yParser) parseImplicitDocumentStart() *yEvent {
	if !p.tok(tDirective, tDocumentStart, tStreamEnd) {
		if p.s.err {
			return p.fail()
		}
		p.tagHandles = yDefaultTags
		p.states = append(p.states, p.parseDocumentEnd)
		p.state = p.parseBlockNode
		return &yEvent{kind: eDocumentStart}
	}
	return p.parseDocumentStart()
}

func (p *yParser) parseDocumentStart() *yEvent {
	for p.tok(tDocumentEnd) {
		p.s.getToken()
	}
	if p.s.err {
		return p.fail()
	}
	if !p.tok(tStreamEnd) {
		if p.s.err {
			return p.fail()
		}
		// process_directives
		handles := map[string]string{}
		seenYAML := false
		for p.tok(tDirective) {
			t := p.s.getToken()
			switch t.value {
			case "YAML":
				if seenYAML || t.major != 1 {
					return p.fail()
				}
				seenYAML = true
			case "TAG":
				if _, dup := handles[t.dirHandle]; dup {
					return p.fail()
				}
				handles[t.dirHandle] = t.dirPrefix
			}
		}
		for k, v := range yDefaultTags {
			if _, ok := handles[k]; !ok {
				handles[k] = v
			}
		}
		p.tagHandles = handles
		if !p.tok(tDocumentStart) {
			return p.fail()
		}
		p.s.getToken()
		p.states = append(p.states, p.parseDocumentEnd)
		p.state = p.parseDocumentContent
		return &yEvent{kind: eDocumentStart}
	}
	p.s.getToken()
	p.state = nil
	return &yEvent{kind: eStreamEnd}
}

func (p *yParser) parseDocumentEnd() *yEvent {
	p.s.peekToken()
	if p.tok(tDocumentEnd) {
		p.s.getToken()
	}
	p.state = p.parseDocumentStart
	return &yEvent{kind: eDocumentEnd}
}

func (p *yParser) parseDocumentContent() *yEvent {
	if p.tok(tDirective, tDocumentStart, tDocumentEnd, tStreamEnd) {
		p.popState()
		return emptyScalar()
	}
	if p.s.err {
		return p.fail()
	}
	return p.parseBlockNode()
}

func emptyScalar() *yEvent { return &yEvent{kind: eScalar, implicit: [2]bool{true, false}} }

func (p *yParser) parseBlockNode() *yEvent                     { return p.parseNode(true, false) }
func (p *yParser) parseFlowNode() *yEvent                      { return p.parseNode(false, false) }
func (p *yParser) parseBlockNodeOrIndentlessSequence() *yEvent { return p.parseNode(true, true) }

func (p *yParser) parseNode(block, indentless bool) *yEvent {
	if p.tok(tAlias) {
		t := p.s.getToken()
		p.popState()
		return &yEvent{kind: eAlias, anchor: t.value, hasAnchor: true}
	}
	ev := &yEvent{}
	var handle, suffix string
	noHandle := false
	if p.tok(tAnchor) {
		t := p.s.getToken()
		ev.anchor, ev.hasAnchor = t.value, true
		if p.tok(tTag) {
			t := p.s.getToken()
			ev.hasTag, handle, suffix, noHandle = true, t.handle, t.suffix, t.noHandle
		}
	} else if p.tok(tTag) {
		t := p.s.getToken()
		ev.hasTag, handle, suffix, noHandle = true, t.handle, t.suffix, t.noHandle
		if p.tok(tAnchor) {
			t := p.s.getToken()
			ev.anchor, ev.hasAnchor = t.value, true
		}
	}
	if p.s.err {
		return p.fail()
	}
	if ev.hasTag {
		if noHandle {
			ev.tag = suffix
		} else {
			prefix, ok := p.tagHandles[handle]
			if !ok {
				return p.fail()
			}
			ev.tag = prefix + suffix
		}
	}
	implicit := !ev.hasTag || ev.tag == "!"
	if indentless && p.tok(tBlockEntry) {
		ev.kind = eSequenceStart
		ev.implicit[0] = implicit
		p.state = p.parseIndentlessSequenceEntry
		return ev
	}
	switch {
	case p.tok(tScalar):
		t := p.s.getToken()
		ev.kind = eScalar
		ev.value = t.value
		switch {
		case (t.plain && !ev.hasTag) || ev.tag == "!":
			ev.implicit = [2]bool{true, false}
		case !ev.hasTag:
			ev.implicit = [2]bool{false, true}
		}
		p.popState()
	case p.tok(tFlowSequenceStart):
		ev.kind, ev.implicit[0] = eSequenceStart, implicit
		p.state = p.parseFlowSequenceFirstEntry
	case p.tok(tFlowMappingStart):
		ev.kind, ev.implicit[0] = eMappingStart, implicit
		p.state = p.parseFlowMappingFirstKey
	case block && p.tok(tBlockSequenceStart):
		ev.kind, ev.implicit[0] = eSequenceStart, implicit
		p.state = p.parseBlockSequenceFirstEntry
	case block && p.tok(tBlockMappingStart):
		ev.kind, ev.implicit[0] = eMappingStart, implicit
		p.state = p.parseBlockMappingFirstKey
	case ev.hasAnchor || ev.hasTag:
		ev.kind = eScalar
		ev.implicit = [2]bool{implicit, false}
		p.popState()
	default:
		return p.fail()
	}
	if p.s.err {
		return p.fail()
	}
	return ev
}

// nodeOrEmpty follows a '-', '?' or ':' just consumed: the node parsed by
// node, with then as the state after it, or an empty scalar (and then) when
// one of ends comes first.
func (p *yParser) nodeOrEmpty(then, node func() *yEvent, ends ...yTokKind) *yEvent {
	if !p.tok(ends...) {
		if p.s.err {
			return p.fail()
		}
		p.states = append(p.states, then)
		return node()
	}
	p.state = then
	return emptyScalar()
}

// mappingValue parses what follows a key: the value after a ':' (or an
// empty scalar), then the state then.
func (p *yParser) mappingValue(then, node func() *yEvent, ends ...yTokKind) *yEvent {
	if p.tok(tValue) {
		p.s.getToken()
		return p.nodeOrEmpty(then, node, ends...)
	}
	if p.s.err {
		return p.fail()
	}
	p.state = then
	p.s.peekToken()
	return emptyScalar()
}

// closeCollection consumes a block end, ']' or '}' and ends the collection
// its mark was pushed for.
func (p *yParser) closeCollection(kind yEvKind) *yEvent {
	p.s.getToken()
	p.popState()
	p.popMark()
	return &yEvent{kind: kind}
}

func (p *yParser) pushMarkOfNextToken() bool {
	t := p.s.getToken()
	if t == nil {
		return false
	}
	p.marks = append(p.marks, t.line)
	return true
}

func (p *yParser) parseBlockSequenceFirstEntry() *yEvent {
	if !p.pushMarkOfNextToken() {
		return p.fail()
	}
	return p.parseBlockSequenceEntry()
}

func (p *yParser) parseBlockSequenceEntry() *yEvent {
	if p.tok(tBlockEntry) {
		p.s.getToken()
		return p.nodeOrEmpty(p.parseBlockSequenceEntry, p.parseBlockNode, tBlockEntry, tBlockEnd)
	}
	if !p.tok(tBlockEnd) {
		return p.fail()
	}
	return p.closeCollection(eSequenceEnd)
}

func (p *yParser) parseIndentlessSequenceEntry() *yEvent {
	if p.tok(tBlockEntry) {
		p.s.getToken()
		return p.nodeOrEmpty(p.parseIndentlessSequenceEntry, p.parseBlockNode, tBlockEntry, tKey, tValue, tBlockEnd)
	}
	if p.s.err {
		return p.fail()
	}
	p.s.peekToken()
	p.popState()
	return &yEvent{kind: eSequenceEnd}
}

func (p *yParser) parseBlockMappingFirstKey() *yEvent {
	if !p.pushMarkOfNextToken() {
		return p.fail()
	}
	return p.parseBlockMappingKey()
}

func (p *yParser) parseBlockMappingKey() *yEvent {
	if p.tok(tKey) {
		p.s.getToken()
		return p.nodeOrEmpty(p.parseBlockMappingValue, p.parseBlockNodeOrIndentlessSequence, tKey, tValue, tBlockEnd)
	}
	if !p.tok(tBlockEnd) {
		return p.fail()
	}
	return p.closeCollection(eMappingEnd)
}

func (p *yParser) parseBlockMappingValue() *yEvent {
	return p.mappingValue(p.parseBlockMappingKey, p.parseBlockNodeOrIndentlessSequence, tKey, tValue, tBlockEnd)
}

func (p *yParser) parseFlowSequenceFirstEntry() *yEvent {
	if !p.pushMarkOfNextToken() {
		return p.fail()
	}
	return p.parseFlowSequenceEntryFirst(true)
}

func (p *yParser) parseFlowSequenceEntry() *yEvent { return p.parseFlowSequenceEntryFirst(false) }

func (p *yParser) parseFlowSequenceEntryFirst(first bool) *yEvent {
	if !p.tok(tFlowSequenceEnd) {
		if p.s.err {
			return p.fail()
		}
		if !first {
			if p.tok(tFlowEntry) {
				p.s.getToken()
			} else {
				return p.fail()
			}
		}
		if p.tok(tKey) {
			p.s.peekToken()
			p.state = p.parseFlowSequenceEntryMappingKey
			return &yEvent{kind: eMappingStart, implicit: [2]bool{true, false}}
		} else if !p.tok(tFlowSequenceEnd) {
			if p.s.err {
				return p.fail()
			}
			p.states = append(p.states, p.parseFlowSequenceEntry)
			return p.parseFlowNode()
		}
	}
	if p.s.err {
		return p.fail()
	}
	return p.closeCollection(eSequenceEnd)
}

func (p *yParser) parseFlowSequenceEntryMappingKey() *yEvent {
	p.s.getToken()
	return p.nodeOrEmpty(p.parseFlowSequenceEntryMappingValue, p.parseFlowNode, tValue, tFlowEntry, tFlowSequenceEnd)
}

func (p *yParser) parseFlowSequenceEntryMappingValue() *yEvent {
	return p.mappingValue(p.parseFlowSequenceEntryMappingEnd, p.parseFlowNode, tFlowEntry, tFlowSequenceEnd)
}

func (p *yParser) parseFlowSequenceEntryMappingEnd() *yEvent {
	p.state = p.parseFlowSequenceEntry
	p.s.peekToken()
	return &yEvent{kind: eMappingEnd}
}

func (p *yParser) parseFlowMappingFirstKey() *yEvent {
	if !p.pushMarkOfNextToken() {
		return p.fail()
	}
	return p.flowMappingKeyShim(true)
}

func (p *yParser) parseFlowMappingKey() *yEvent { return p.flowMappingKeyShim(false) }

// flowMappingKeyShim is YAMLFileParser._parse_flow_mapping_key_shim: the
// key is "inline" when it is the first one and on the line of the '{', or
// when the queued tokens (not fetching more) start with ',' and a key.
func (p *yParser) flowMappingKeyShim(first bool) *yEvent {
	inline := false
	if first {
		t := p.s.peekToken()
		if p.s.err || t == nil {
			return p.fail()
		}
		inline = len(p.marks) > 0 && p.marks[len(p.marks)-1] == t.line
	}
	if !inline {
		toks := p.s.tokens
		switch {
		case len(toks) == 0:
			inline = false
		case len(toks) == 1:
			inline = toks[0].kind == tFlowEntry
		default:
			inline = toks[0].kind == tFlowEntry && toks[1].kind == tKey
		}
	}
	p.inlineFlowKey = inline
	return p.parseFlowMappingKeyBase(first)
}

func (p *yParser) parseFlowMappingKeyBase(first bool) *yEvent {
	if !p.tok(tFlowMappingEnd) {
		if p.s.err {
			return p.fail()
		}
		if !first {
			if p.tok(tFlowEntry) {
				p.s.getToken()
			} else {
				return p.fail()
			}
		}
		if p.tok(tKey) {
			p.s.getToken()
			return p.nodeOrEmpty(p.parseFlowMappingValue, p.parseFlowNode, tValue, tFlowEntry, tFlowMappingEnd)
		} else if !p.tok(tFlowMappingEnd) {
			if p.s.err {
				return p.fail()
			}
			p.states = append(p.states, p.parseFlowMappingEmptyValue)
			return p.parseFlowNode()
		}
	}
	if p.s.err {
		return p.fail()
	}
	return p.closeCollection(eMappingEnd)
}

func (p *yParser) parseFlowMappingValue() *yEvent {
	return p.mappingValue(p.parseFlowMappingKey, p.parseFlowNode, tFlowEntry, tFlowMappingEnd)
}

func (p *yParser) parseFlowMappingEmptyValue() *yEvent {
	p.state = p.parseFlowMappingKey
	p.s.peekToken()
	return emptyScalar()
}

// ---- nodes and the composer

type yNodeKind int

const (
	nScalar yNodeKind = iota
	nSequence
	nMapping
)

type yNode struct {
	kind  yNodeKind
	tag   string
	value string      // scalars
	items []*yNode    // sequences
	pairs [][2]*yNode // mappings
	// line is the __line__ attribute the compose shim sets (1-based).
	line int
	// poison marks a scalar built from a collection's value (an explicit
	// !!str or !!binary on a collection): constructing it fails.
	poison bool
}

const (
	tagStr       = "tag:yaml.org,2002:str"
	tagInt       = "tag:yaml.org,2002:int"
	tagMap       = "tag:yaml.org,2002:map"
	tagSeq       = "tag:yaml.org,2002:seq"
	tagMerge     = "tag:yaml.org,2002:merge"
	tagValue     = "tag:yaml.org,2002:value"
	tagBinary    = "tag:yaml.org,2002:binary"
	yMaxNesting  = 300 // Python's recursion limit ends deeper documents
	yMaxBFSSteps = 1 << 20
)

type yComposer struct {
	p       *yParser
	anchors map[string]*yNode
	depth   int
	err     bool
}

// composeNode is YAMLFileParser._compose_node_shim around
// Composer.compose_node.
func (c *yComposer) composeNode() *yNode {
	if c.err {
		return nil
	}
	line := c.p.s.r.line
	if c.p.inlineFlowKey && len(c.p.marks) > 0 {
		line = c.p.marks[len(c.p.marks)-1]
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > yMaxNesting {
		c.err = true
		return nil
	}
	node := c.composeBase()
	if node == nil || c.err {
		c.err = true
		return nil
	}
	node.line = line + 1
	if strings.HasSuffix(node.tag, ":map") {
		c.p.inlineFlowKey = false
		return c.tagDictValues(node)
	}
	return node
}

func (c *yComposer) composeBase() *yNode {
	if c.p.checkEvent(eAlias) {
		ev := c.p.getEvent()
		n, ok := c.anchors[ev.anchor]
		if !ok {
			return nil
		}
		return n
	}
	ev := c.p.peekEvent()
	if ev == nil {
		return nil
	}
	if ev.hasAnchor {
		if _, dup := c.anchors[ev.anchor]; dup {
			return nil
		}
	}
	switch ev.kind {
	case eScalar:
		c.p.getEvent()
		tag := ev.tag
		if !ev.hasTag || tag == "!" {
			tag = yResolveScalar(ev.value, ev.implicit)
		}
		n := &yNode{kind: nScalar, tag: tag, value: ev.value}
		if ev.hasAnchor {
			c.anchors[ev.anchor] = n
		}
		return n
	case eSequenceStart:
		c.p.getEvent()
		tag := ev.tag
		if !ev.hasTag || tag == "!" {
			tag = tagSeq
		}
		n := &yNode{kind: nSequence, tag: tag}
		if ev.hasAnchor {
			c.anchors[ev.anchor] = n
		}
		for !c.p.checkEvent(eSequenceEnd) {
			if c.p.err || c.err {
				return nil
			}
			item := c.composeNode()
			if item == nil {
				return nil
			}
			n.items = append(n.items, item)
		}
		c.p.getEvent()
		return n
	case eMappingStart:
		c.p.getEvent()
		tag := ev.tag
		if !ev.hasTag || tag == "!" {
			tag = tagMap
		}
		n := &yNode{kind: nMapping, tag: tag}
		if ev.hasAnchor {
			c.anchors[ev.anchor] = n
		}
		for !c.p.checkEvent(eMappingEnd) {
			if c.p.err || c.err {
				return nil
			}
			k := c.composeNode()
			if k == nil {
				return nil
			}
			v := c.composeNode()
			if v == nil {
				return nil
			}
			n.pairs = append(n.pairs, [2]*yNode{k, v})
		}
		c.p.getEvent()
		return n
	}
	return nil
}

// tagDictValues is _tag_dict_values: every str or binary value becomes a
// mapping {__value__, __line__, __original_key__}.
func (c *yComposer) tagDictValues(m *yNode) *yNode {
	out := &yNode{kind: nMapping, tag: m.tag, line: m.line}
	switch m.kind {
	case nScalar:
		// Iterating a str's characters as (key, value) pairs raises,
		// unless there are none.
		if m.value != "" {
			c.err = true
			return nil
		}
		return out
	case nSequence:
		if len(m.items) != 0 {
			c.err = true
			return nil
		}
		return out
	}
	for _, kv := range m.pairs {
		k, v := kv[0], kv[1]
		if !(strings.HasSuffix(v.tag, ":str") || strings.HasSuffix(v.tag, ":binary")) {
			out.pairs = append(out.pairs, kv)
			continue
		}
		val := &yNode{kind: nScalar, tag: v.tag, value: v.value, poison: v.kind != nScalar || v.poison}
		orig := &yNode{kind: nScalar, tag: tagStr, value: k.value, poison: k.kind != nScalar || k.poison}
		aug := &yNode{kind: nMapping, tag: m.tag, pairs: [][2]*yNode{
			{{kind: nScalar, tag: tagStr, value: "__value__"}, val},
			{{kind: nScalar, tag: tagStr, value: "__line__"}, {kind: nScalar, tag: tagInt, value: strconv.Itoa(v.line)}},
			{{kind: nScalar, tag: tagStr, value: "__original_key__"}, orig},
		}}
		out.pairs = append(out.pairs, [2]*yNode{k, aug})
	}
	return out
}

// composeSingle is get_single_node: exactly one document (or none).
func (c *yComposer) composeSingle() (*yNode, bool) {
	p := c.p
	p.getEvent() // StreamStart
	var doc *yNode
	if !p.checkEvent(eStreamEnd) {
		if p.err {
			return nil, false
		}
		p.getEvent() // DocumentStart
		doc = c.composeNode()
		if doc == nil || c.err || p.err {
			return nil, false
		}
		p.getEvent() // DocumentEnd
		c.anchors = map[string]*yNode{}
	}
	if p.err || !p.checkEvent(eStreamEnd) {
		return nil, false
	}
	p.getEvent()
	return doc, !p.err
}

// ---- resolver

var (
	yBoolRe  = lazyRE(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yFloatRe = lazyRE(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yIntRe   = lazyRE(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yNullRe  = lazyRE(`^(?:~|null|Null|NULL|)$`)
	yTimeRe  = lazyRE(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

// yResolveScalar is Resolver.resolve for a scalar: the implicit resolvers
// registered for the first character, in registration order.
func yResolveScalar(v string, implicit [2]bool) string {
	if !implicit[0] {
		return tagStr
	}
	if v == "" {
		return "tag:yaml.org,2002:null"
	}
	type res struct {
		tag string
		re  *regexp.Regexp
	}
	var rs []res
	switch c := v[0]; {
	case strings.IndexByte("yYnNtTfFoO", c) >= 0:
		rs = append(rs, res{"tag:yaml.org,2002:bool", yBoolRe()})
	}
	switch c := v[0]; {
	case strings.IndexByte("-+0123456789.", c) >= 0:
		rs = append(rs, res{"tag:yaml.org,2002:float", yFloatRe()})
	}
	switch c := v[0]; {
	case strings.IndexByte("-+0123456789", c) >= 0:
		rs = append(rs, res{tagInt, yIntRe()})
	}
	if v == "<<" {
		return tagMerge
	}
	switch c := v[0]; {
	case c == '~' || c == 'n' || c == 'N':
		rs = append(rs, res{"tag:yaml.org,2002:null", yNullRe()})
	case c >= '0' && c <= '9':
		rs = append(rs, res{"tag:yaml.org,2002:timestamp", yTimeRe()})
	}
	for _, r := range rs {
		if r.re.MatchString(v) {
			return r.tag
		}
	}
	if v == "=" {
		return tagValue
	}
	return tagStr
}

// ---- constructor: just enough of Python's objects for the walk in
// YAMLFileParser.__iter__.

type pyKind int

const (
	pyNone pyKind = iota
	pyBool
	pyInt
	pyFloat
	pyStr
	pyBytes
	pyDate
	pyList
	pySet
	pyDict
)

type pyObj struct {
	kind  pyKind
	truth bool   // for scalars
	s     string // str, bytes
	key   string // canonical hash key for scalars
	list  []*pyObj
	keys  []*pyObj
	vals  []*pyObj
	index map[string]int
	// tuple marks the (key, value) pairs of !!omap and !!pairs.
	tuple bool
}

type yConstructor struct {
	done map[*yNode]*pyObj
	err  bool
	nans int // NaN keys never equal each other
}

func (c *yConstructor) construct(n *yNode) *pyObj {
	if c.err {
		return nil
	}
	if o, ok := c.done[n]; ok {
		return o
	}
	if n.poison {
		c.err = true
		return nil
	}
	switch n.tag {
	case tagMap:
		o := &pyObj{kind: pyDict, index: map[string]int{}}
		c.done[n] = o
		c.fillMapping(n, o, false)
		return o
	case "tag:yaml.org,2002:set":
		o := &pyObj{kind: pySet, index: map[string]int{}}
		c.done[n] = o
		c.fillMapping(n, o, true)
		return o
	case tagSeq:
		if n.kind != nSequence {
			c.err = true
			return nil
		}
		o := &pyObj{kind: pyList}
		c.done[n] = o
		for _, it := range n.items {
			o.list = append(o.list, c.construct(it))
		}
		return o
	case "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs":
		o := &pyObj{kind: pyList}
		c.done[n] = o
		if n.kind != nSequence {
			c.err = true
			return nil
		}
		for _, sub := range n.items {
			if sub.kind != nMapping || len(sub.pairs) != 1 {
				c.err = true
				return nil
			}
			k := c.construct(sub.pairs[0][0])
			v := c.construct(sub.pairs[0][1])
			o.list = append(o.list, &pyObj{kind: pyList, tuple: true, list: []*pyObj{k, v}})
		}
		return o
	}
	if n.kind != nScalar {
		// construct_scalar on a collection: SafeConstructor's only escape
		// is a mapping with a '=' key, which no tag here reaches usefully.
		c.err = true
		return nil
	}
	o := c.scalar(n)
	if o != nil {
		c.done[n] = o
	}
	return o
}

func (c *yConstructor) fillMapping(n *yNode, o *pyObj, set bool) {
	if n.kind != nMapping {
		c.err = true
		return
	}
	if !c.flatten(n) {
		c.err = true
		return
	}
	for _, kv := range n.pairs {
		k := c.construct(kv[0])
		if c.err {
			return
		}
		if k.kind == pyList || k.kind == pyDict || k.kind == pySet {
			c.err = true // found unhashable key
			return
		}
		v := c.construct(kv[1])
		if c.err {
			return
		}
		if i, ok := o.index[k.key]; ok {
			if !set {
				o.vals[i] = v
			}
			continue
		}
		o.index[k.key] = len(o.keys)
		o.keys = append(o.keys, k)
		if !set {
			o.vals = append(o.vals, v)
		}
	}
}

// flatten is SafeConstructor.flatten_mapping (merge keys).
func (c *yConstructor) flatten(n *yNode) bool {
	var merge [][2]*yNode
	i := 0
	for i < len(n.pairs) {
		k, v := n.pairs[i][0], n.pairs[i][1]
		switch k.tag {
		case tagMerge:
			n.pairs = append(n.pairs[:i:i], n.pairs[i+1:]...)
			switch v.kind {
			case nMapping:
				if !c.flatten(v) {
					return false
				}
				merge = append(merge, v.pairs...)
			case nSequence:
				var sub [][][2]*yNode
				for _, s := range v.items {
					if s.kind != nMapping || !c.flatten(s) {
						return false
					}
					sub = append(sub, s.pairs)
				}
				for j := len(sub) - 1; j >= 0; j-- {
					merge = append(merge, sub[j]...)
				}
			default:
				return false
			}
		case tagValue:
			k.tag = tagStr
			i++
		default:
			i++
		}
	}
	if len(merge) > 0 {
		n.pairs = append(merge, n.pairs...)
	}
	return true
}

var yBools = map[string]bool{"yes": true, "no": false, "true": true, "false": false, "on": true, "off": false}

func (c *yConstructor) scalar(n *yNode) *pyObj {
	v := n.value
	switch n.tag {
	case tagStr:
		return &pyObj{kind: pyStr, s: v, truth: v != "", key: "s" + v}
	case "tag:yaml.org,2002:null":
		return &pyObj{kind: pyNone, key: "n"}
	case "tag:yaml.org,2002:bool":
		b, ok := yBools[strings.ToLower(v)]
		if !ok {
			c.err = true
			return nil
		}
		if b {
			return &pyObj{kind: pyBool, truth: true, key: "i1"}
		}
		return &pyObj{kind: pyBool, key: "i0"}
	case tagInt:
		i, ok := yConstructInt(v)
		if !ok {
			c.err = true
			return nil
		}
		return &pyObj{kind: pyInt, truth: i.Sign() != 0, key: "i" + i.String()}
	case "tag:yaml.org,2002:float":
		f, ok := yConstructFloat(v)
		if !ok {
			c.err = true
			return nil
		}
		o := &pyObj{kind: pyFloat, truth: f != 0}
		switch {
		case math.IsNaN(f):
			c.nans++
			o.key = "nan" + strconv.Itoa(c.nans)
		case !math.IsInf(f, 0) && f == math.Trunc(f):
			bf := new(big.Float).SetFloat64(f)
			bi, _ := bf.Int(nil)
			o.key = "i" + bi.String()
		default:
			o.key = "f" + strconv.FormatFloat(f, 'g', -1, 64)
		}
		return o
	case tagBinary:
		b, ok := pyA2BBase64(v, false)
		if !ok {
			c.err = true
			return nil
		}
		return &pyObj{kind: pyBytes, s: string(b), truth: len(b) > 0, key: "b" + string(b)}
	case "tag:yaml.org,2002:timestamp":
		k, ok := yConstructTimestamp(v)
		if !ok {
			c.err = true
			return nil
		}
		return &pyObj{kind: pyDate, truth: true, key: k}
	}
	c.err = true // construct_undefined, or a tag SafeConstructor lacks
	return nil
}

// yConstructInt is construct_yaml_int; ok is false where Python raises.
func yConstructInt(v string) (*big.Int, bool) {
	v = strings.ReplaceAll(v, "_", "")
	if v == "" {
		return nil, false
	}
	sign := 1
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '+' || v[0] == '-' {
		v = v[1:]
	}
	parse := func(s string, base int) (*big.Int, bool) {
		if s == "" {
			return nil, false
		}
		for _, r := range s {
			if r > 0x7f {
				return nil, false
			}
		}
		i, ok := new(big.Int).SetString(s, base)
		if !ok {
			return nil, false
		}
		if sign < 0 {
			i.Neg(i)
		}
		return i, true
	}
	switch {
	case v == "0":
		return new(big.Int), true
	case strings.HasPrefix(v, "0b"):
		return parse(v[2:], 2)
	case strings.HasPrefix(v, "0x"):
		return parse(v[2:], 16)
	case v != "" && v[0] == '0':
		return parse(v, 8)
	case strings.Contains(v, ":"):
		total := new(big.Int)
		base := big.NewInt(1)
		parts := strings.Split(v, ":")
		for i := len(parts) - 1; i >= 0; i-- {
			d, ok := new(big.Int).SetString(parts[i], 10)
			if !ok || parts[i] == "" || strings.ContainsAny(parts[i], "+-") {
				return nil, false
			}
			total.Add(total, new(big.Int).Mul(d, base))
			base.Mul(base, big.NewInt(60))
		}
		if sign < 0 {
			total.Neg(total)
		}
		return total, true
	}
	return parse(v, 10)
}

// yConstructFloat is construct_yaml_float for the values the implicit
// resolver lets through (explicit !!float tags on odd text may differ).
func yConstructFloat(v string) (float64, bool) {
	v = strings.ToLower(strings.ReplaceAll(v, "_", ""))
	if v == "" {
		return 0, false
	}
	sign := 1.0
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '+' || v[0] == '-' {
		v = v[1:]
	}
	switch {
	case v == ".inf":
		return sign * math.Inf(1), true
	case v == ".nan":
		return math.NaN(), true
	case strings.Contains(v, ":"):
		total, base := 0.0, 1.0
		parts := strings.Split(v, ":")
		for i := len(parts) - 1; i >= 0; i-- {
			d, err := strconv.ParseFloat(parts[i], 64)
			if err != nil && !isRangeErr(err) {
				return 0, false
			}
			total += d * base
			base *= 60
		}
		return sign * total, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return sign * f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

var yTimestampRe = lazyRE(`^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$`)

// yConstructTimestamp is construct_yaml_timestamp; it returns a key that
// compares as Python's date and datetime objects do.
func yConstructTimestamp(v string) (string, bool) {
	m := yTimestampRe().FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	year, month, day := atoi(m[1]), atoi(m[2]), atoi(m[3])
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return "", false
	}
	if m[4] == "" {
		return "d" + strconv.Itoa(year) + "-" + strconv.Itoa(month) + "-" + strconv.Itoa(day), true
	}
	hour, minute, second := atoi(m[4]), atoi(m[5]), atoi(m[6])
	if hour > 23 || minute > 59 || second > 59 {
		return "", false
	}
	frac := m[7]
	if len(frac) > 6 {
		frac = frac[:6]
	}
	for len(frac) < 6 {
		frac += "0"
	}
	micro := atoi(frac)
	base := [7]int{year, month, day, hour, minute, second, micro}
	if m[9] == "" && m[8] == "" {
		return "t" + strconvInts(base[:]), true
	}
	offset := 0
	if m[9] != "" {
		offset = atoi(m[10])*60 + atoi(m[11])
		if offset >= 24*60 {
			return "", false
		}
		if m[9] == "-" {
			offset = -offset
		}
	}
	// Aware datetimes compare by their UTC instant.
	days := daysFromCivil(year, month, day)
	mins := days*24*60 + hour*60 + minute - offset
	return "u" + strconv.Itoa(mins) + ":" + strconv.Itoa(second) + "." + strconv.Itoa(micro), true
}

func strconvInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, " ")
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe
}
