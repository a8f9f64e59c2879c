package detectsecrets

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// PluginSpec is one entry of a baseline's plugins_used: the class name and
// its options (limit for the entropy plugins, keyword_exclude for
// KeywordDetector).
type PluginSpec struct {
	Name    string
	Options map[string]any
}

// FilterSpec is one entry of a baseline's filters_used: the dotted path and
// its options (filename, min_level, pattern, ...).
type FilterSpec struct {
	Path    string
	Options map[string]any
}

// Result is one secret as detect-secrets would store it for a file.
type Result struct {
	// Type is the plugin's secret_type, e.g. "Secret Keyword".
	Type string
	// Secret is the raw extracted value; hashed_secret is its SHA-1.
	Secret string
	// Line is 1-based: the first line where (Type, Secret) was found.
	Line int
	// Plugin is the plugin class name, e.g. "KeywordDetector".
	Plugin string
}

// Config holds optional settings for NewWithConfig.
type Config struct {
	// ApplyRegexFilters applies regex.should_exclude_file/line/secret from
	// filters_used (patterns compiled as RE2). Off by default because the
	// shared scan layer applies them for every engine.
	ApplyRegexFilters bool
	// ReadFile loads the word list named by wordlist.should_exclude_secret
	// (its file_name option). Without it that filter is skipped with a
	// warning.
	ReadFile func(name string) ([]byte, error)
}

// Scanner runs a fixed set of plugins and filters. It is safe for
// concurrent use.
type Scanner struct {
	plugins  []*plugin
	warnings []string

	lockFile, swagger, baseline bool
	baselineName                string
	allowlist, indirect         bool
	sequential, uuid, idString  bool
	templated, dollar, notAlnum bool
	dropUnverifiable            bool
	excludeFiles, excludeLines  []*regexp.Regexp
	excludeSecrets              []*regexp.Regexp
	words                       []string

	loc locator
}

// DefaultPlugins returns the 27 plugins of detect-secrets 1.5.0 with their
// default options, sorted by lower-case name as plugins_used is.
func DefaultPlugins() []PluginSpec {
	names := []string{
		"ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector", "Base64HighEntropyString",
		"BasicAuthDetector", "CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector",
		"GitLabTokenDetector", "HexHighEntropyString", "IbmCloudIamDetector", "IbmCosHmacDetector",
		"IPPublicDetector", "JwtTokenDetector", "KeywordDetector", "MailchimpDetector", "NpmDetector",
		"OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector", "SendGridDetector", "SlackDetector",
		"SoftlayerDetector", "SquareOAuthDetector", "StripeDetector", "TelegramBotTokenDetector",
		"TwilioKeyDetector",
	}
	out := make([]PluginSpec, 0, len(names))
	for _, n := range names {
		s := PluginSpec{Name: n}
		switch n {
		case "Base64HighEntropyString":
			s.Options = map[string]any{"limit": 4.5}
		case "HexHighEntropyString":
			s.Options = map[string]any{"limit": 3.0}
		case "KeywordDetector":
			s.Options = map[string]any{"keyword_exclude": ""}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// DefaultFilters returns the filters_used that a fresh detect-secrets
// 1.5.0 scan writes into .secrets.baseline (is_invalid_file and
// is_non_text_file are always on and never listed).
func DefaultFilters() []FilterSpec {
	return []FilterSpec{
		{Path: fAllowlist},
		{Path: fBaselineFile, Options: map[string]any{"filename": defaultBaseline}},
		{Path: fVerification, Options: map[string]any{"min_level": 2}},
		{Path: fIndirect},
		{Path: fLikelyID},
		{Path: fLockFile},
		{Path: fNotAlnum},
		{Path: fUUID},
		{Path: fDollar},
		{Path: fSequential},
		{Path: fSwagger},
		{Path: fTemplated},
	}
}

// ParsePluginsUsed decodes a baseline's raw plugins_used array.
func ParsePluginsUsed(raw json.RawMessage) ([]PluginSpec, error) {
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("plugins_used: %w", err)
	}
	out := make([]PluginSpec, 0, len(items))
	for _, it := range items {
		name, _ := it["name"].(string)
		delete(it, "name")
		out = append(out, PluginSpec{Name: name, Options: it})
	}
	return out, nil
}

// ParseFiltersUsed decodes a baseline's raw filters_used array.
func ParseFiltersUsed(raw json.RawMessage) ([]FilterSpec, error) {
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("filters_used: %w", err)
	}
	out := make([]FilterSpec, 0, len(items))
	for _, it := range items {
		path, _ := it["path"].(string)
		delete(it, "path")
		out = append(out, FilterSpec{Path: path, Options: it})
	}
	return out, nil
}

// New builds a Scanner. An unknown plugin name (or a custom plugin with a
// "path") is an error: skipping it would silently change the results. An
// unknown filter is skipped and reported by Warnings, as detect-secrets
// itself logs "Invalid filter" and goes on.
func New(plugins []PluginSpec, filters []FilterSpec) (*Scanner, error) {
	return NewWithConfig(plugins, filters, Config{})
}

// NewWithConfig is New with optional settings.
func NewWithConfig(plugins []PluginSpec, filters []FilterSpec, cfg Config) (*Scanner, error) {
	s := &Scanner{}
	builtins := builtinPlugins()
	seen := map[string]bool{}
	for _, spec := range plugins {
		if seen[spec.Name] {
			continue
		}
		seen[spec.Name] = true
		if _, custom := spec.Options["path"]; custom {
			return nil, fmt.Errorf("plugin %q: custom plugins (path %v) are not supported", spec.Name, spec.Options["path"])
		}
		var p *plugin
		switch spec.Name {
		case "Base64HighEntropyString", "HexHighEntropyString":
			hex := spec.Name == "HexHighEntropyString"
			limit, charset := 4.5, base64Charset
			if hex {
				limit, charset = 3.0, hexCharset
			}
			if v, ok := spec.Options["limit"]; ok && v != nil {
				f, err := toFloat(v)
				if err != nil {
					return nil, fmt.Errorf("plugin %s: limit: %w", spec.Name, err)
				}
				limit = f
			}
			ep, err := newEntropyPlugin(charset, limit, hex)
			if err != nil {
				return nil, fmt.Errorf("plugin %s: %w", spec.Name, err)
			}
			if hex {
				s.loc.hexMin = entropyMinLen(limit)
			} else {
				s.loc.b64Min = entropyMinLen(limit)
			}
			typ := "Base64 High Entropy String"
			if hex {
				typ = "Hex High Entropy String"
			}
			p = &plugin{name: spec.Name, typ: typ, find: ep.find}
		case "KeywordDetector":
			excl, _ := spec.Options["keyword_exclude"].(string)
			kp, err := newKeywordPlugin(excl)
			if err != nil {
				return nil, err
			}
			p = kp
		default:
			bp, ok := builtins[spec.Name]
			if !ok {
				return nil, fmt.Errorf("unknown detect-secrets plugin %q (detect-secrets 1.5.0 has 27 plugins; see DefaultPlugins)", spec.Name)
			}
			p = bp
		}
		s.plugins = append(s.plugins, p)
	}
	for _, f := range filters {
		if err := s.addFilter(f, cfg); err != nil {
			return nil, err
		}
	}
	for i, p := range s.plugins {
		s.loc.bits.set(p.name, 1<<i)
	}
	if s.notAlnum {
		// Every value IPPublicDetector yields is digits, dots and a port:
		// is_not_alphanumeric_string drops all of them.
		s.loc.bits.ip = 0
	}
	s.loc.init()
	return s, nil
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case json.Number:
		return x.Float64()
	}
	return 0, fmt.Errorf("not a number: %v", v)
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (s *Scanner) addFilter(f FilterSpec, cfg Config) error {
	switch f.Path {
	case fAllowlist:
		s.allowlist = true
	case fBaselineFile:
		s.baseline = true
		s.baselineName = defaultBaseline
		if n, ok := f.Options["filename"].(string); ok {
			s.baselineName = n
		}
	case fVerification:
		// Without network verification every result is UNVERIFIED (2); a
		// policy above that (--only-verified, 3) keeps nothing.
		if v, ok := f.Options["min_level"]; ok {
			if lvl, err := toFloat(v); err == nil && lvl > 2 {
				s.dropUnverifiable = true
			}
		}
	case fInvalidFile, fNonText:
		// Always on.
	case fIndirect:
		s.indirect = true
	case fLikelyID:
		s.idString = true
	case fLockFile:
		s.lockFile = true
	case fNotAlnum:
		s.notAlnum = true
	case fUUID:
		s.uuid = true
	case fDollar:
		s.dollar = true
	case fSequential:
		s.sequential = true
	case fSwagger:
		s.swagger = true
	case fTemplated:
		s.templated = true
	case fRegexFile, fRegexLine, fRegexSecret:
		if !cfg.ApplyRegexFilters {
			return nil
		}
		for _, pat := range toStrings(f.Options["pattern"]) {
			re, err := regexp.Compile(pat)
			if err != nil {
				return fmt.Errorf("filter %s: pattern %q is not a valid RE2 regex: %w", f.Path, pat, err)
			}
			switch f.Path {
			case fRegexFile:
				s.excludeFiles = append(s.excludeFiles, re)
			case fRegexLine:
				s.excludeLines = append(s.excludeLines, re)
			default:
				s.excludeSecrets = append(s.excludeSecrets, re)
			}
		}
	case fWordlist:
		name, _ := f.Options["file_name"].(string)
		if cfg.ReadFile == nil || name == "" {
			s.warnings = append(s.warnings, f.Path+": no word list available; filter skipped")
			return nil
		}
		data, err := cfg.ReadFile(name)
		if err != nil {
			return fmt.Errorf("filter %s: %w", f.Path, err)
		}
		minLen := 3
		if v, ok := f.Options["min_length"]; ok {
			if x, err := toFloat(v); err == nil {
				minLen = int(x)
			}
		}
		for _, w := range pySplitlines(string(data)) {
			w = strings.ToLower(pyStrip(w))
			if utf8.RuneCountInString(w) >= minLen {
				s.words = append(s.words, w)
			}
		}
	case fGibberish:
		s.warnings = append(s.warnings, f.Path+": needs the gibberish-detector model; filter skipped")
	default:
		s.warnings = append(s.warnings, "unknown filter "+f.Path+"; skipped")
	}
	return nil
}

// Warnings lists the filters that were skipped and why.
func (s *Scanner) Warnings() []string { return append([]string(nil), s.warnings...) }

// fileFiltered applies the filters that take only a filename.
func (s *Scanner) fileFiltered(filename string) bool {
	if isNonTextFile(filename) {
		return true
	}
	if s.lockFile && isLockFile(filename) {
		return true
	}
	if s.swagger && isSwaggerFile(filename) {
		return true
	}
	if s.baseline && pyBasename(filename) == s.baselineName {
		return true
	}
	for _, re := range s.excludeFiles {
		if re.MatchString(filename) {
			return true
		}
	}
	return false
}

// lineFiltered applies the line filters. It runs only for lines on which a
// plugin yields a value: a filtered line yields nothing, so deciding late
// gives the same results as deciding first, for far fewer lines.
func (s *Scanner) lineFiltered(filename, line, prev string) bool {
	// Neither pragma form can match without the word: skip the regexes
	// for most lines.
	if s.allowlist && (strings.Contains(line, "pragma") || strings.Contains(prev, "pragma")) &&
		isLineAllowlisted(filename, line, prev) {
		return true
	}
	if s.indirect && isIndirectReference(line) {
		return true
	}
	for _, re := range s.excludeLines {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

func (s *Scanner) secretFiltered(secret, line string, p *plugin) bool {
	if s.sequential && isSequentialString(secret) {
		return true
	}
	if s.uuid && isPotentialUUID(secret) {
		return true
	}
	if s.idString && isLikelyIDString(secret, line, p) {
		return true
	}
	if s.templated && isTemplatedSecret(secret) {
		return true
	}
	if s.dollar && isPrefixedWithDollarSign(secret) {
		return true
	}
	if s.notAlnum && isNotAlphanumericString(secret) {
		return true
	}
	for _, re := range s.excludeSecrets {
		if re.MatchString(secret) {
			return true
		}
	}
	if len(s.words) > 0 {
		low := strings.ToLower(secret)
		for _, w := range s.words {
			if strings.Contains(low, w) {
				return true
			}
		}
	}
	return s.dropUnverifiable
}

// ScanFile scans one file the way detect-secrets' scan_file does and
// returns one Result per (type, secret), first line kept, sorted by line,
// type and secret. filename is relative and '/'-separated; it decides the
// file type and feeds the filename filters.
func (s *Scanner) ScanFile(filename string, content []byte) []Result {
	if len(s.plugins) == 0 || s.fileFiltered(filename) {
		return nil
	}
	// Python opens the file as UTF-8 text and skips it on a decode error.
	if !utf8.Valid(content) {
		return nil
	}
	// Scan a view of content; values kept in Results are cloned in emit.
	text := unsafe.String(unsafe.SliceData(content), len(content))

	var res []Result
	if lines := s.transform(filename, text, false); len(lines) > 0 {
		res = s.scanLines(filename, lines)
	} else {
		// The raw lines, as readlines() gives them.
		res = s.scanText(filename, pyNormalizeNewlines(text))
	}
	if len(res) == 0 {
		// The eager transformers run only when the first pass found nothing.
		if eager := s.transform(filename, text, true); len(eager) > 0 {
			res = s.scanLines(filename, eager)
		}
	}
	sort.SliceStable(res, func(i, j int) bool {
		a, b := res[i], res[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Secret < b.Secret
	})
	return res
}

type resultKey struct{ typ, secret string }

// fileState collects one pass over a file's lines; it is the emitter the
// plugins report to, so no closure is allocated per line.
type fileState struct {
	s        *Scanner
	c        lineCtx
	p        *plugin
	lineNo   int
	lineSeen []string
	seen     map[resultKey]bool
	res      []Result
	lowerBuf []byte
	// prev is the raw line before this one, for the nextline pragma; the
	// line filters run at the line's first value (filterDone), and
	// filtered drops every value of the line.
	prev                 string
	filterDone, filtered bool
}

func newFileState(s *Scanner, filename string) *fileState {
	st := &fileState{s: s}
	st.c.filename = filename
	st.c.ft = determineFileType(filename)
	return st
}

func (st *fileState) emit(secret string) {
	if !st.filterDone {
		st.filterDone = true
		st.filtered = st.s.lineFiltered(st.c.filename, st.c.line, st.prev)
	}
	if st.filtered {
		return
	}
	// A plugin returns a set per line: drop repeats before filtering.
	for _, x := range st.lineSeen {
		if x == secret {
			return
		}
	}
	st.lineSeen = append(st.lineSeen, secret)
	if st.s.secretFiltered(secret, st.c.line, st.p) {
		return
	}
	k := resultKey{st.p.typ, secret}
	if st.seen == nil {
		st.seen = map[resultKey]bool{}
	}
	if st.seen[k] {
		return
	}
	secret = strings.Clone(secret)
	st.seen[resultKey{st.p.typ, secret}] = true
	st.res = append(st.res, Result{Type: st.p.typ, Secret: secret, Line: st.lineNo, Plugin: st.p.name})
}

// prepare records the byte sets of the line (the lower-cased set is the
// same set with A-Z moved to a-z) and whether it has non-ASCII bytes; the
// lower-cased text itself is made on first use (lineCtx.lowered).
func (st *fileState) prepare(line string) {
	var bits [4]uint64
	for i := 0; i < len(line); i++ {
		c := line[i]
		bits[c>>6] |= 1 << (c & 63)
	}
	const upper = ((1 << 26) - 1) << ('A' - 64) // 'A'..'Z' in word 1
	low := bits
	low[1] = (bits[1] &^ upper) | (bits[1]&upper)<<('a'-'A')
	st.c.bytes = bits
	st.c.lowBytes = low
	st.c.nonASCII = bits[2]|bits[3] != 0
	st.c.runsDone = 0
	st.c.lowerDone = false
	st.c.buf = &st.lowerBuf
}

// scanLine runs the plugins of m, in their order, on line lineNo (raw, as
// read, with its newline; prev is the raw line before it or "").
func (st *fileState) scanLine(lineNo int, raw, prev string, m pmask) {
	line := pyRstrip(raw)
	if line == "" {
		return
	}
	st.c.line = line
	st.prepare(line)
	st.lineNo = lineNo
	st.prev = prev
	st.filterDone, st.filtered = false, false
	for i, p := range st.s.plugins {
		if m&(1<<i) == 0 {
			continue
		}
		if st.filtered {
			return
		}
		st.p = p
		st.lineSeen = st.lineSeen[:0]
		p.find(&st.c, st)
	}
}

// scanLines scans a list of lines (a transformer's output, or a test's).
func (s *Scanner) scanLines(filename string, lines []string) []Result {
	st := newFileState(s, filename)
	for i, raw := range lines {
		m := s.loc.locateLine(raw)
		if m == 0 {
			continue
		}
		prev := ""
		if i > 0 {
			prev = lines[i-1]
		}
		st.scanLine(i+1, raw, prev, m)
	}
	return st.res
}

// scanText scans text, whose newlines are normalized, line by line as
// readlines() splits it, visiting only the lines the locator marks.
func (s *Scanner) scanText(filename, t string) []Result {
	marks := s.loc.locate(t, nil)
	if len(marks) == 0 {
		return nil
	}
	st := newFileState(s, filename)
	lineNo, counted := 1, 0
	for k := 0; k < len(marks); {
		p := marks[k].pos
		lineNo += strings.Count(t[counted:p], "\n")
		counted = p
		start := strings.LastIndexByte(t[:p], '\n') + 1
		end := len(t)
		if n := strings.IndexByte(t[p:], '\n'); n >= 0 {
			end = p + n + 1
		}
		var m pmask
		for ; k < len(marks) && marks[k].pos < end; k++ {
			m |= marks[k].m
		}
		prev := ""
		if start > 0 {
			prev = t[strings.LastIndexByte(t[:start-1], '\n')+1 : start]
		}
		st.scanLine(lineNo, t[start:end], prev, m)
	}
	return st.res
}

// unsafeString views b as a string without copying; the caller must not
// keep it past the next change to b.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
