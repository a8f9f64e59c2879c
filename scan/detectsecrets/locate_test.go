package detectsecrets

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// scanFileRef is ScanFile as it was before the locator: every line of the
// file goes through the line filters and then through every plugin. The
// differential tests hold ScanFile to it.
func (s *Scanner) scanFileRef(filename string, content []byte) []Result {
	if len(s.plugins) == 0 || s.fileFiltered(filename) || !utf8.Valid(content) {
		return nil
	}
	text := unsafe.String(unsafe.SliceData(content), len(content))
	raw := pyReadlines(text)
	lines := s.transform(filename, text, false)
	if len(lines) == 0 {
		lines = raw
	}
	res := s.scanLinesRef(filename, lines)
	if len(res) == 0 {
		if eager := s.transform(filename, text, true); len(eager) > 0 {
			res = s.scanLinesRef(filename, eager)
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

func (s *Scanner) scanLinesRef(filename string, lines []string) []Result {
	st := newFileState(s, filename)
	for i, rawLine := range lines {
		line := pyRstrip(rawLine)
		if line == "" {
			continue
		}
		prev := ""
		if i > 0 {
			prev = lines[i-1]
		}
		if s.lineFiltered(filename, line, prev) {
			continue
		}
		st.c.line = line
		st.prepare(line)
		st.lineNo = i + 1
		st.filterDone, st.filtered = true, false
		for _, p := range s.plugins {
			st.p = p
			st.lineSeen = st.lineSeen[:0]
			if p.name == "KeywordDetector" {
				keywordFindRef(p.exclude, &st.c, st)
				continue
			}
			p.find(&st.c, st)
		}
	}
	return st.res
}

// keywordFindRef is KeywordDetector's find as it was before the keyword
// regexes were tried anchored at each keyword: each regex searches the
// line from its first keyword on.
func keywordFindRef(excl *regexp.Regexp, c *lineCtx, e emitter) {
	if !hasDenyWord(c) {
		return
	}
	line := c.line
	if excl != nil && excl.MatchString(line) {
		return
	}
	from := -1
	for _, re := range keywordRegexes(c.ft) {
		if !kwMayMatch(re, line) {
			continue
		}
		off := 0
		if re != kwPreceded() && !c.nonASCII {
			if from < 0 {
				from = firstDenyWord(c.lowered())
			}
			off = from
		}
		m := re.FindStringSubmatchIndex(line[off:])
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
}

// firstDenyWord returns where the first keyword of the denylist starts in
// an ASCII-lowered line (0 when none is found, which keeps the search whole).
func firstDenyWord(lower string) int {
	first := -1
	for _, w := range denyWordsAll {
		if i := strings.Index(lower, w); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return 0
	}
	return first
}

// diffScanners are the configurations the differential tests run: the
// 1.5.0 defaults, then without filters (so IPPublicDetector's values are
// kept and every plugin's raw output counts), then non-default entropy
// limits without and with the filters.
func diffScanners(t testing.TB) []*Scanner {
	t.Helper()
	plugins := DefaultPlugins()
	limits := append([]PluginSpec(nil), plugins...)
	for i, p := range limits {
		switch p.Name {
		case "Base64HighEntropyString":
			limits[i].Options = map[string]any{"limit": 3.7}
		case "HexHighEntropyString":
			limits[i].Options = map[string]any{"limit": 2.5}
		}
	}
	var out []*Scanner
	for _, c := range []struct {
		p []PluginSpec
		f []FilterSpec
	}{{plugins, DefaultFilters()}, {plugins, nil}, {limits, nil}, {limits, DefaultFilters()}} {
		s, err := New(c.p, c.f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func checkSameAsRef(t testing.TB, s *Scanner, name string, content []byte) {
	t.Helper()
	got, want := s.ScanFile(name, content), s.scanFileRef(name, content)
	if !reflect.DeepEqual(got, want) {
		// Types and lines only: the values may be secrets.
		t.Errorf("%s: ScanFile and the reference differ:\n got  %v\n want %v", name, describe(got), describe(want))
	}
}

func describe(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, strconv.Itoa(r.Line)+":"+r.Type+":"+sha1Hex(r.Secret)[:8])
	}
	return out
}

// TestSameAsRefSynthetic compares ScanFile with the reference on random
// files made of the pieces the plugins look for (see synthFile).
func TestSameAsRefSynthetic(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(10, 11))
	ss := diffScanners(t)
	for i := 0; i < n; i++ {
		name, content := synthFile(r)
		checkSameAsRef(t, ss[i%len(ss)], name, content)
	}
}

// TestSameAsRefTestdata compares on the package's test files and fuzz
// corpus.
func TestSameAsRefTestdata(t *testing.T) {
	ss := diffScanners(t)
	n := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name, content := filepath.ToSlash(p), data
		if strings.Contains(p, string(filepath.Separator)+"fuzz"+string(filepath.Separator)) {
			if name, content, err = readFuzzEntry(data); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
		}
		for _, s := range ss {
			checkSameAsRef(t, s, name, content)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d test files", n)
	}
}

// readFuzzEntry decodes a FuzzScanFile corpus file: a string and a []byte.
func readFuzzEntry(data []byte) (string, []byte, error) {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "string(") || !strings.HasPrefix(lines[2], "[]byte(") {
		return "", nil, strconv.ErrSyntax
	}
	name, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
	if err != nil {
		return "", nil, err
	}
	content, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
	return name, []byte(content), err
}

// TestSameAsRefGoroot compares on the Go source tree, a large body of
// ordinary code (every 10th file with -short).
func TestSameAsRefGoroot(t *testing.T) {
	root := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no GOROOT/src")
	}
	s := diffScanners(t)[0]
	i := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		i++
		if testing.Short() && i%10 != 0 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		checkSameAsRef(t, s, filepath.ToSlash(rel), data)
		return nil
	})
	if i < 1000 {
		t.Fatalf("only %d files under %s", i, root)
	}
}

// TestLocatorMarksEveryYield checks the locator's contract line by line:
// whenever a plugin yields a value on a line, the locator marks that line
// for it. Filters play no part here, so this holds each check to its
// plugin more tightly than whole-file results can.
func TestLocatorMarksEveryYield(t *testing.T) {
	for _, s := range diffScanners(t)[1:3] {
		checkMarksEveryYield(t, s)
	}
}

func checkMarksEveryYield(t *testing.T, s *Scanner) {
	r := rand.New(rand.NewPCG(20, 21))
	var lines []string
	for len(lines) < 40000 {
		_, content := synthFile(r)
		lines = append(lines, pyReadlines(pyNormalizeNewlines(string(content)))...)
	}
	yields := map[string]int{}
	for _, raw := range lines {
		line := pyRstrip(raw)
		if line == "" || !utf8.ValidString(line) {
			continue
		}
		m := s.loc.locateLine(raw)
		st := newFileState(s, "x")
		st.c.line = line
		// Only KeywordDetector depends on the file type.
		for k, ft := range []fileType{ftGo, ftQuotesRequired, ftC, ftCPlusPlus, ftYAML} {
			st.c.ft = ft
			for i, p := range s.plugins {
				if k > 0 && p.name != "KeywordDetector" {
					continue
				}
				c := &countEmitter{}
				st.prepare(line)
				p.find(&st.c, c)
				if c.n == 0 {
					continue
				}
				yields[p.name]++
				if m&(1<<i) == 0 && !t.Failed() {
					t.Errorf("%s yields %d values on a line the locator does not mark for it (%d bytes, types %v)",
						p.name, c.n, len(line), ft)
				}
			}
		}
	}
	t.Logf("lines with values per plugin: %v", yields)
	// The corpus must reach every plugin, or this test proves little.
	for _, p := range s.plugins {
		if yields[p.name] < 20 {
			t.Errorf("%s yields on only %d synthetic lines", p.name, yields[p.name])
		}
	}
}

type countEmitter struct{ n int }

func (c *countEmitter) emit(string) { c.n++ }

// FuzzSameAsRef compares ScanFile with the reference on fuzzed files.
func FuzzSameAsRef(f *testing.F) {
	r := rand.New(rand.NewPCG(30, 31))
	for i := 0; i < 50; i++ {
		name, content := synthFile(r)
		f.Add(name, content)
	}
	ss := diffScanners(f)
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		for _, s := range ss {
			checkSameAsRef(t, s, name, content)
		}
	})
}
