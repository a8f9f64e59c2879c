package detectsecrets

import (
	"strings"
)

// The config transformer of detect-secrets 1.5.0 (transformers/config.py):
// files that Python's configparser (CPython 3.11/3.12, ConfigParser() with
// optionxform=str and its other defaults) reads and that have at least one
// [section] become lines `key = "value"`, each on the line the value came
// from. The parser below follows configparser's _read, _join_multiline_values,
// items() and BasicInterpolation; any configparser error fails the whole
// transformation, as ParsingError does there.

// pyNormalizeNewlines is what a file opened in text mode reads: universal
// newlines turn "\r\n" and a lone "\r" into "\n".
func pyNormalizeNewlines(text string) string {
	if strings.IndexByte(text, '\r') < 0 {
		return text
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.ReplaceAll(text, "\r", "\n")
}

// iniOption is one option with its raw (joined, uninterpolated) value.
type iniOption struct {
	name  string
	value string
}

// iniSection keeps options in insertion order, as a Python dict does.
type iniSection struct {
	name  string
	opts  []iniOption
	index map[string]int
	// parts collects the value lines while reading.
	parts map[string][]string
}

func newIniSection(name string) *iniSection {
	return &iniSection{name: name, index: map[string]int{}, parts: map[string][]string{}}
}

func (s *iniSection) set(name, value string) {
	if i, ok := s.index[name]; ok {
		s.opts[i].value = value
		return
	}
	s.index[name] = len(s.opts)
	s.opts = append(s.opts, iniOption{name, value})
}

type iniParser struct {
	defaults *iniSection
	sections []*iniSection
	byName   map[string]*iniSection
}

// iniLeadingSpaceRunes is configparser's indentation: the index (in
// characters) of the first non-whitespace character, 0 when there is none.
func iniLeadingSpaceRunes(line string) int {
	n := 0
	for _, r := range line {
		if !isPySpace(r) {
			return n
		}
		n++
	}
	return 0
}

// readINI parses content as RawConfigParser._read does and reports false
// on any error it would raise (at once or at the end of the file).
func readINI(content string) (*iniParser, bool) {
	p := &iniParser{defaults: newIniSection("DEFAULT"), byName: map[string]*iniSection{}}
	added := map[string]bool{}
	var cursect *iniSection
	sectname, optname := "", ""
	haveOpt := false
	indentLevel := 0
	for len(content) > 0 {
		var line string
		if i := strings.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i+1], content[i+1:]
		} else {
			line, content = content, ""
		}
		stripped := pyStrip(line)
		comment := strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";")
		value := stripped
		if comment {
			value = ""
		}
		if value == "" {
			// empty_lines_in_values: a blank line (not a comment) is kept
			// inside the current value.
			if !comment && cursect != nil && haveOpt && optname != "" {
				cursect.parts[optname] = append(cursect.parts[optname], "")
			}
			continue
		}
		cur := iniLeadingSpaceRunes(line)
		if cursect != nil && haveOpt && optname != "" && cur > indentLevel {
			cursect.parts[optname] = append(cursect.parts[optname], value)
			continue
		}
		indentLevel = cur
		// SECTCRE `\[(?P<header>.+)\]`, matched at the start: the header
		// runs to the last ']' (greedy) and must not be empty.
		if value[0] == '[' {
			if end := strings.LastIndexByte(value, ']'); end > 1 {
				sectname = value[1:end]
				if s, ok := p.byName[sectname]; ok {
					if added[sectname] {
						return nil, false // DuplicateSectionError
					}
					cursect = s
					added[sectname] = true
				} else if sectname == "DEFAULT" {
					cursect = p.defaults
				} else {
					cursect = newIniSection(sectname)
					p.sections = append(p.sections, cursect)
					p.byName[sectname] = cursect
					added[sectname] = true
				}
				haveOpt, optname = false, ""
				continue
			}
		}
		if cursect == nil {
			return nil, false // MissingSectionHeaderError
		}
		// OPTCRE `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the
		// option ends at the first delimiter, less the whitespace before it.
		d := strings.IndexAny(value, "=:")
		if d < 0 {
			return nil, false // ParsingError, raised at the end of the file
		}
		name := pyRstrip(value[:d])
		if name == "" {
			return nil, false
		}
		key := "\x00" + sectname + "\x00" + name
		if added[key] {
			return nil, false // DuplicateOptionError
		}
		added[key] = true
		optname, haveOpt = name, true
		cursect.parts[name] = []string{pyStrip(value[d+1:])}
		cursect.set(name, "")
	}
	for _, s := range append([]*iniSection{p.defaults}, p.sections...) {
		for i := range s.opts {
			s.opts[i].value = pyRstrip(strings.Join(s.parts[s.opts[i].name], "\n"))
		}
		s.parts = nil
	}
	return p, true
}

// iniMaxValue bounds interpolated values: BasicInterpolation can grow a
// value exponentially (ten levels of references), which Python would
// grind through; past this size the file is treated as not INI.
const iniMaxValue = 1 << 20

// items is ConfigParser.items(section) with BasicInterpolation: the
// defaults first, then the section's own options, each interpolated.
func (p *iniParser) items(s *iniSection) ([]iniOption, bool) {
	merged := newIniSection(s.name)
	for _, o := range p.defaults.opts {
		merged.set(o.name, o.value)
	}
	if s != p.defaults {
		for _, o := range s.opts {
			merged.set(o.name, o.value)
		}
	}
	out := make([]iniOption, 0, len(merged.opts))
	for _, o := range merged.opts {
		var b strings.Builder
		if !iniInterpolate(merged, &b, o.value, 1) {
			return nil, false
		}
		out = append(out, iniOption{o.name, b.String()})
	}
	return out, true
}

// iniInterpolate is BasicInterpolation._interpolate_some: "%%" is "%",
// "%(name)s" is the raw value of name (interpolated in turn when it holds a
// '%'), any other '%' is an InterpolationSyntaxError, a missing name an
// InterpolationMissingOptionError, depth over 10 an InterpolationDepthError.
func iniInterpolate(m *iniSection, b *strings.Builder, rest string, depth int) bool {
	if depth > 10 {
		return false
	}
	for rest != "" {
		if b.Len() > iniMaxValue {
			return false
		}
		i := strings.IndexByte(rest, '%')
		if i < 0 {
			b.WriteString(rest)
			return true
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, "%%"):
			b.WriteByte('%')
			rest = rest[2:]
		case strings.HasPrefix(rest, "%("):
			// _KEYCRE `%\(([^)]+)\)s`
			end := strings.IndexByte(rest[2:], ')')
			if end <= 0 || !strings.HasPrefix(rest[2+end+1:], "s") {
				return false
			}
			name := rest[2 : 2+end]
			rest = rest[2+end+2:]
			j, ok := m.index[name]
			if !ok {
				return false
			}
			v := m.opts[j].value
			if strings.IndexByte(v, '%') >= 0 {
				if !iniInterpolate(m, b, v, depth+1) {
					return false
				}
			} else {
				b.WriteString(v)
			}
		default:
			return false
		}
	}
	return true
}

// iniLocator is IniFileParser's line tracking: the stripped lines of the
// file, consumed from the front as keys are found.
type iniLocator struct {
	lines  []string
	offset int
}

type iniValue struct {
	value string
	line  int
}

// iniFirstLineMatches is re.match(r'^\s*KEY[ :=]+VALUE', line) with KEY and
// VALUE escaped: line is stripped, so `^\s*` is empty.
func iniFirstLineMatches(line, key, value string) bool {
	if !strings.HasPrefix(line, key) {
		return false
	}
	rest := line[len(key):]
	n := 0
	for n < len(rest) && (rest[n] == ' ' || rest[n] == ':' || rest[n] == '=') {
		n++
	}
	for k := n; k >= 1; k-- {
		if strings.HasPrefix(rest[k:], value) {
			return true
		}
	}
	return false
}

// valuesAndLines is IniFileParser._get_value_and_line_offset.
func (l *iniLocator) valuesAndLines(key, values string) []iniValue {
	split := pySplitlines(values)
	if len(split) == 0 {
		return nil
	}
	list := split[:1]
	for _, v := range split[1:] {
		if v != "" {
			list = append(list, v)
		}
	}
	idx := 0
	var out []iniValue
	for off := 0; off < len(l.lines); off++ {
		line := l.lines[off]
		if isConfigNextlineComment(line) {
			out = append(out, iniValue{line, l.offset + off + 1})
			continue
		}
		if line == "" || iniCommentLine(line) {
			continue
		}
		if idx == 0 {
			if iniFirstLineMatches(line, key, list[0]) {
				out = append(out, iniValue{list[0], l.offset + off + 1})
				idx++
			}
			continue
		}
		if idx == len(list) {
			if off == 0 {
				off = 1
			}
			l.offset += off
			l.lines = l.lines[off:]
			return out
		}
		out = append(out, iniValue{list[idx], l.offset + off + 1})
		idx++
	}
	l.lines = nil
	return out
}

// iniCommentLine is IniFileParser._comment_regex `\s*[;#]` (re.match).
func iniCommentLine(line string) bool {
	for _, r := range line {
		if r == ';' || r == '#' {
			return true
		}
		if !isPySpace(r) {
			return false
		}
	}
	return false
}

// iniTransform is ConfigFileTransformer.parse_file (addHeader false) or
// EagerConfigFileTransformer.parse_file (addHeader true). ok is false when
// detect-secrets raises ParsingError; lines may be empty when it parses.
func iniTransform(text string, addHeader bool) (lines []string, ok bool) {
	content := pyNormalizeNewlines(text)
	// A cheap exit for the common case: the first line configparser looks
	// at (not blank, not a full-line comment) must be a section header,
	// else it raises MissingSectionHeaderError.
	if !addHeader && !iniStartsWithSection(content) {
		return nil, false
	}
	parseText := content
	if addHeader {
		parseText = "[global]\n" + content
	}
	p, ok := readINI(parseText)
	if !ok || len(p.sections) == 0 {
		return nil, false
	}
	loc := &iniLocator{}
	for _, l := range pyReadlines(content) {
		loc.lines = append(loc.lines, pyStrip(l))
	}
	for _, s := range append([]*iniSection{p.defaults}, p.sections...) {
		items, ok := p.items(s)
		if !ok {
			return nil, false
		}
		for _, it := range items {
			for _, v := range loc.valuesAndLines(it.name, it.value) {
				if v.value == "" {
					continue
				}
				for len(lines) < v.line-1 {
					lines = append(lines, "")
				}
				if isConfigNextlineComment(v.value) {
					lines = append(lines, v.value)
					continue
				}
				val := v.value
				if (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
					// One quote character alone strips to "".
					if len(val) == 1 {
						val = ""
					} else {
						val = val[1 : len(val)-1]
					}
				}
				lines = append(lines, it.name+` = "`+strings.ReplaceAll(val, `"`, `\"`)+`"`)
			}
		}
	}
	return lines, true
}

// iniStartsWithSection reports whether the first line that is neither
// blank nor a full-line comment could be a [section] header.
func iniStartsWithSection(content string) bool {
	for len(content) > 0 {
		var line string
		if i := strings.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			line, content = content, ""
		}
		s := pyStrip(line)
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		return s[0] == '[' && strings.LastIndexByte(s, ']') > 1
	}
	return false
}
