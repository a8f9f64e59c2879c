package detectsecrets

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The KeywordDetector regexes of detect-secrets 1.5.0, rewritten for RE2.
//
//   - SECRET is `(?=[^\v'"]*)(?=\w+)[^\v'"]*[^\v,'"`]`. The first lookahead
//     always holds and the second only asks for a word character first, so
//     it is `\w(?:[^\v'"]*[^\v,'"`])?`, which tries the same ends in the same
//     order.
//   - `(quote?)(SECRET)(\N)` (a back-reference to the opening quote) becomes
//     the alternation `"S"|'S'|`S`|S`. Only one quote alternative can match
//     at a position, so the order of attempts is the backtracking order.
//
// Go's regexp returns the match a backtracking engine would find (leftmost,
// first alternative), so these give Python's re.search results.
const kwDeny = `api_?key|auth_?key|service_?key|account_?key|db_?key|database_?key|priv_?key|private_?key|client_?key|db_?pass|database_?pass|key_?pass|password|passwd|pwd|secret|contraseña|contrasena`

var (
	kwW       = `[` + pyWordClass + `]`
	kwS       = `[` + pySpaceClass + `]`
	kwDL      = `(?:` + kwDeny + `)` + kwW + `*`
	kwDLP     = kwW + `*(?:` + kwDeny + `)` + kwW + `*`
	kwClosing = `(?:[\]'"]{0,2})?`
	kwWS      = kwS + `*`
	kwSecret  = `(` + kwW + "(?:[^\\v'\"]*[^\\v,'\"`])?)"
	kwQReq    = `(?:"` + kwSecret + `"|'` + kwSecret + `'|` + "`" + kwSecret + "`)"
	kwQOpt    = `(?:"` + kwSecret + `"|'` + kwSecret + `'|` + "`" + kwSecret + "`|" + kwSecret + `)`

	kwColonEqual      = lazyRE(`(?i)` + kwDL + kwClosing + kwWS + `:=` + kwWS + kwQOpt)
	kwColon           = lazyRE(`(?i)` + kwDL + kwClosing + `:` + kwWS + kwQOpt)
	kwColonQuotes     = lazyRE(`(?i)` + kwDL + kwClosing + `:` + kwWS + kwQReq)
	kwCEqual          = lazyRE(`(?i)` + kwDL + `(?:\[[0-9]*\])?` + kwWS + `[!=]{1,2}` + kwWS + `@?"` + kwSecret + `"`)
	kwCppAssign       = lazyRE(kwDL + `(?:.assign)?\("` + kwSecret + `"`)
	kwEqual           = lazyRE(`(?i)` + kwDL + kwClosing + kwWS + `(?:={1,3}|!==?)` + kwWS + kwQOpt)
	kwEqualQuotes     = lazyRE(`(?i)` + kwDL + kwClosing + kwWS + `(?:={1,3}|!==?)` + kwWS + kwQReq)
	kwPreceded        = lazyRE(kwQReq + kwWS + `[!=]{2,3}` + kwWS + kwDLP)
	kwQuotesSemicolon = lazyRE(`(?i)` + kwDL + `[^` + pySpaceClass + `]{0,50}?` + kwWS + kwQReq + `;`)
	kwArrow           = lazyRE(`(?i)` + kwDL + kwClosing + kwWS + `=>?` + kwWS + kwQReq)

	// The regex lists per file type, in the dict order of keyword.py.
	kwQuotesRequired = sync.OnceValue(func() []*regexp.Regexp {
		return []*regexp.Regexp{kwColonQuotes(), kwPreceded(), kwEqualQuotes(), kwQuotesSemicolon(), kwArrow()}
	})
	kwConfig = sync.OnceValue(func() []*regexp.Regexp {
		return []*regexp.Regexp{kwColon(), kwPreceded(), kwEqual(), kwQuotesSemicolon()}
	})
	kwGolang = sync.OnceValue(func() []*regexp.Regexp {
		return []*regexp.Regexp{kwColonEqual(), kwPreceded(), kwEqual(), kwQuotesSemicolon()}
	})
	kwCommonC   = sync.OnceValue(func() []*regexp.Regexp { return []*regexp.Regexp{kwCEqual()} })
	kwCPlusPlus = sync.OnceValue(func() []*regexp.Regexp { return []*regexp.Regexp{kwCppAssign(), kwEqualQuotes()} })
)

// fileType is detect_secrets.util.filetype.FileType, reduced to what the
// plugins and transformers distinguish.
type fileType int

const (
	ftOther fileType = iota
	ftGo
	ftObjectiveC
	ftCSharp
	ftC
	ftCPlusPlus
	ftQuotesRequired // cls, java, js, py, pyi, swift, tf
	ftYAML
	ftConfig // cnf, conf, cfg, cf
	ftINI
	ftProperties
	ftTOML
	ftNamedOther // example, php: not OTHER for the eager transformer
)

func determineFileType(filename string) fileType {
	switch pySplitext(filename) {
	case ".go":
		return ftGo
	case ".m":
		return ftObjectiveC
	case ".cs":
		return ftCSharp
	case ".c":
		return ftC
	case ".cpp":
		return ftCPlusPlus
	case ".cls", ".java", ".js", ".py", ".pyi", ".swift", ".tf":
		return ftQuotesRequired
	case ".yaml", ".yml", ".eyaml":
		return ftYAML
	case ".cnf", ".conf", ".cfg", ".cf":
		return ftConfig
	case ".ini":
		return ftINI
	case ".properties":
		return ftProperties
	case ".toml":
		return ftTOML
	case ".example", ".php":
		return ftNamedOther
	}
	return ftOther
}

func keywordRegexes(ft fileType) []*regexp.Regexp {
	switch ft {
	case ftGo:
		return kwGolang()
	case ftObjectiveC, ftCSharp, ftC:
		return kwCommonC()
	case ftCPlusPlus:
		return kwCPlusPlus()
	case ftYAML, ftConfig, ftINI, ftProperties, ftTOML:
		return kwConfig()
	}
	return kwQuotesRequired()
}

func newKeywordPlugin(exclude string) (*plugin, error) {
	var excl *regexp.Regexp
	if exclude != "" {
		var err error
		// Compiled with re.IGNORECASE in detect-secrets.
		excl, err = regexp.Compile(`(?i)` + exclude)
		if err != nil {
			return nil, fmt.Errorf("KeywordDetector keyword_exclude %q is not a valid RE2 regex: %w", exclude, err)
		}
	}
	preceded, anchored := kwPreceded(), kwAnchored()
	return &plugin{name: "KeywordDetector", typ: "Secret Keyword", exclude: excl, find: func(c *lineCtx, e emitter) {
		if !hasDenyWord(c) {
			return
		}
		line := c.line
		if excl != nil && excl.MatchString(line) {
			return
		}
		var starts []int
		for _, re := range keywordRegexes(c.ft) {
			if !kwMayMatch(re, line) {
				continue
			}
			var m []int
			off := 0
			switch {
			case c.nonASCII:
				m = re.FindStringSubmatchIndex(line)
			case re == preceded:
				if starts == nil {
					starts = denyStarts(c.lowered())
				}
				if kwPrecededMayMatch(line, starts) {
					m = re.FindStringSubmatchIndex(line)
				}
			default:
				// Every other regex starts with a keyword, so on an
				// ASCII line its leftmost match starts where one of the
				// denylist's words does: try it anchored at each of
				// those, in order, instead of searching the whole rest
				// of the line (costly on long minified lines).
				if starts == nil {
					starts = denyStarts(c.lowered())
				}
				a := anchored[re]
				for _, p := range starts {
					if m = a.FindStringSubmatchIndex(line[p:]); m != nil {
						off = p
						break
					}
				}
			}
			if m == nil {
				continue
			}
			for g := 1; 2*g < len(m); g++ {
				if m[2*g] >= 0 {
					e.emit(line[off+m[2*g] : off+m[2*g+1]])
					break
				}
			}
		}
	}}, nil
}

// kwAnchored holds each keyword regex but kwPreceded anchored at the
// start of the text. None looks behind its start, so matching it at
// line[p:] finds the match the unanchored search finds starting at p.
var kwAnchored = sync.OnceValue(func() map[*regexp.Regexp]*regexp.Regexp {
	m := map[*regexp.Regexp]*regexp.Regexp{}
	for _, re := range []*regexp.Regexp{kwColonEqual(), kwColon(), kwColonQuotes(), kwCEqual(), kwCppAssign(), kwEqual(), kwEqualQuotes(), kwQuotesSemicolon(), kwArrow()} {
		m[re] = regexp.MustCompile(`\A(?:` + re.String() + `)`)
	}
	return m
})

// denyStarts returns, in order, every offset of an ASCII-lowered line
// where a word of the denylist starts (with each optional '_' spelled
// both ways): where a keyword match can start. "contraseña" is not
// ASCII and never occurs here.
func denyStarts(lower string) []int {
	out := []int{}
	for _, w := range denyWordsAll {
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 {
				break
			}
			out = append(out, i+j)
			i += j + 1
		}
	}
	sort.Ints(out)
	return slices.Compact(out)
}

// kwPrecededMayMatch is a prefilter for kwPreceded on an ASCII line:
// `"S"\s*[!=]{2,3}\s*\w*(?:deny)\w*` needs a keyword whose word (the run
// of word characters it ends up in) follows optional whitespace and two
// of '!' and '='.
func kwPrecededMayMatch(line string, starts []int) bool {
	for _, p := range starts {
		k := p
		for k > 0 && isWordByte(line[k-1]) {
			k--
		}
		for k > 0 && isPySpace(rune(line[k-1])) {
			k--
		}
		if k >= 2 && (line[k-1] == '=' || line[k-1] == '!') && (line[k-2] == '=' || line[k-2] == '!') {
			return true
		}
	}
	return false
}

// kwMayMatch rules out a keyword regex by the operator it needs.
func kwMayMatch(re *regexp.Regexp, line string) bool {
	switch re {
	case kwColonEqual():
		return strings.Contains(line, ":=")
	case kwColon(), kwColonQuotes():
		return strings.IndexByte(line, ':') >= 0
	case kwEqual(), kwEqualQuotes(), kwCEqual():
		return strings.IndexAny(line, "=!") >= 0
	case kwArrow():
		return strings.IndexByte(line, '=') >= 0
	case kwPreceded():
		return strings.Contains(line, "==") || strings.Contains(line, "!=")
	case kwQuotesSemicolon():
		return strings.IndexByte(line, ';') >= 0
	case kwCppAssign():
		return strings.Contains(line, "(\"")
	}
	return true
}

// denyWords are the KeywordDetector keywords with each optional '_'
// spelled both ways, lower-case.
var denyWords = []string{
	"apikey", "api_key", "authkey", "auth_key", "servicekey", "service_key", "accountkey", "account_key",
	"dbkey", "db_key", "databasekey", "database_key", "privkey", "priv_key", "privatekey", "private_key",
	"clientkey", "client_key", "dbpass", "db_pass", "databasepass", "database_pass", "keypass", "key_pass",
}

// hasDenyWord is the keyword prefilter: the line contains a keyword under
// ASCII case folding, or has non-ASCII bytes (Unicode folding).
func hasDenyWord(c *lineCtx) bool {
	if c.nonASCII {
		return true
	}
	for _, w := range [...]string{"secret", "passw", "pwd", "contrase"} {
		if c.hasAllLow(w) && strings.Contains(c.lowered(), w) {
			return true
		}
	}
	if !(c.hasAllLow("key") && strings.Contains(c.lowered(), "key")) && !(c.hasAllLow("pass") && strings.Contains(c.lowered(), "pass")) {
		return false
	}
	l := c.lowered()
	for _, w := range denyWords {
		if c.hasAllLow(w) && strings.Contains(l, w) {
			return true
		}
	}
	return false
}

var denyWordsAll = append([]string{"password", "passwd", "pwd", "secret", "contrasena"}, denyWords...)
