package secrets

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/h2non/filetype"
	"github.com/mholt/archives"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// DecodeDepth is how many base64/hex/percent/unicode decoding passes run,
// the gitleaks CLI's default, so both find the same secrets.
const DecodeDepth = 5

// Match is one secret a rule found, with gitleaks' positions: 1-based lines
// and columns of the whole regex match.
type Match struct {
	RuleID      string
	Description string
	StartLine   int
	EndLine     int
	StartColumn int
	EndColumn   int
	// Secret is the raw value (the rule's secret group). It stays inside
	// the scan package: callers hash and mask it.
	Secret string
	// Line is the source text spanning the match, for pragma checks.
	Line string
	// Tags carries gitleaks' decode tags (e.g. decoded:base64).
	Tags []string
}

// Detector finds matches in one fragment of a file. Implementations must be
// safe for concurrent use.
type Detector interface {
	Detect(ctx context.Context, f sources.Fragment) []Match
}

// Reference is the gitleaks library's own detector. It is the definition of
// "the same findings as gitleaks" that the fast detector is tested against.
type Reference struct {
	d *detect.Detector
}

// NewReference builds gitleaks' detector over rules.
func NewReference(r *Rules) *Reference {
	d := detect.NewDetector(r.Config)
	d.MaxDecodeDepth = DecodeDepth
	return &Reference{d: d}
}

// Detect implements Detector.
func (r *Reference) Detect(ctx context.Context, f sources.Fragment) []Match {
	var out []Match
	for _, gf := range r.d.DetectContext(ctx, detect.Fragment(f)) {
		if len(gf.Tags) == 0 {
			gf.Tags = nil
		}
		out = append(out, Match{
			RuleID:      gf.RuleID,
			Description: gf.Description,
			StartLine:   gf.StartLine,
			EndLine:     gf.EndLine,
			StartColumn: gf.StartColumn,
			EndColumn:   gf.EndColumn,
			Secret:      gf.Secret,
			Line:        gf.Line,
			Tags:        gf.Tags,
		})
	}
	return out
}

// ScanContent splits content into fragments exactly as gitleaks' file
// source does (100 kB reads extended to a whitespace boundary, binary and
// archive files skipped by type) and runs d over each. path is
// '/'-separated and relative to the scan root.
//
// The matches it returns carry true positions in the file: 1-based lines,
// 1-based columns counted in characters, and an exclusive end column.
// gitleaks' own columns count the preceding newline on all but a
// fragment's first line, and restart at each 100 kB fragment.
func ScanContent(ctx context.Context, d Detector, path string, content []byte) (matches []Match, err error) {
	err = ScanContentFunc(ctx, d, path, content, func(ms []Match) bool {
		matches = append(matches, ms...)
		return true
	})
	return matches, err
}

// errStop ends a fragment walk that the caller stopped.
var errStop = errors.New("stop")

// ScanContentFunc is ScanContent handing over the matches of each fragment,
// in file order, as it goes; it stops when each returns false. A caller
// that keeps a bounded number of findings need not hold every match of a
// file that has hundreds of thousands.
func ScanContentFunc(ctx context.Context, d Detector, path string, content []byte, each func([]Match) bool) (err error) {
	if len(content) < readSize {
		ms, err := scanSmall(ctx, d, path, content)
		if err == nil && len(ms) > 0 {
			each(ms)
		}
		return err
	}
	buf := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(buf)
	src := &sources.File{Content: bytes.NewReader(content), Path: path, Buffer: *buf}
	var (
		file *lineIndex
		cols *columns
	)
	off := 0
	err = src.Fragments(ctx, func(f sources.Fragment, ferr error) error {
		if ferr != nil {
			return ferr
		}
		fragOff := off
		off += len(f.Raw)
		if len(f.Raw) == 0 {
			return nil
		}
		found := d.Detect(ctx, f)
		if len(found) == 0 {
			return nil
		}
		if file == nil {
			file = newLines(view(content))
			cols = newColumns(content, file)
		}
		frag := newLines(f.Raw)
		for i := range found {
			repositionMatch(&found[i], cols, frag, f.StartLine, fragOff)
		}
		if !each(found) {
			return errStop
		}
		return nil
	})
	if err == io.EOF || err == errStop {
		err = nil
	}
	return err
}

// readSize is gitleaks' file read size: a file shorter than this is one
// fragment.
const readSize = 100 * 1000

// readBuffers reuses gitleaks' 100 kB read buffer across files.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, readSize); return &b }}

// scanSmall is ScanContent for a file gitleaks reads in one go: the same
// single fragment, binary and archive tests, without the reader machinery.
// The fragment's text aliases content, which the caller keeps unchanged
// while the matches (whose strings point into it) are in use.
func scanSmall(ctx context.Context, d Detector, path string, content []byte) ([]Match, error) {
	if len(content) == 0 {
		return nil, nil
	}
	if format, _, err := archives.Identify(ctx, path, nil); err == nil && format != nil {
		return nil, nil // gitleaks opens no archive at its default depth
	}
	if kind, err := filetype.Match(content); err != nil || kind.MIME.Type == "application" {
		return nil, nil
	}
	raw := view(content)
	found := d.Detect(ctx, sources.Fragment{Raw: raw, FilePath: path, StartLine: 1})
	if len(found) == 0 {
		return nil, nil
	}
	li := newLines(raw)
	cols := newColumns(content, li)
	for i := range found {
		repositionMatch(&found[i], cols, li, 1, 0)
	}
	return found, nil
}

// repositionMatch turns gitleaks' fragment-relative positions into true
// positions in the file.
func repositionMatch(m *Match, cols *columns, frag *lineIndex, fragStartLine, fragOff int) {
	content, file := cols.content, cols.file
	if m.StartLine == 0 {
		// A rule on the file's path alone: the whole file.
		return
	}
	var start int
	if m.StartLine-fragStartLine <= 0 || len(frag.nl) == 0 {
		start = fragOff + m.StartColumn - 1
	} else {
		start = fragOff + frag.nl[min(m.StartLine-fragStartLine, len(frag.nl))-1] + m.StartColumn - 1
	}
	var end int
	switch {
	case m.EndColumn == 0:
		// gitleaks leaves the end column unset for a match that runs into
		// a fragment's last line; end it with that line.
		end = file.end(file.lineOf(fragOff + frag.size))
	case m.EndLine-fragStartLine <= 0 || len(frag.nl) == 0:
		end = fragOff + m.EndColumn
	default:
		end = fragOff + frag.nl[min(m.EndLine-fragStartLine, len(frag.nl))-1] + m.EndColumn
	}
	start = max(0, min(start, len(content)))
	end = max(start, min(end, len(content)))
	m.StartLine, m.StartColumn = cols.at(start)
	m.EndLine, m.EndColumn = cols.at(end)
}

// columns turns byte offsets of a text into 1-based lines and character
// columns. It remembers its last answer and counts only the characters
// between that offset and the next one asked on the same line: counting
// from the line's start for every match was quadratic in the length of a
// long line with many matches (a 50 MB line, hours).
type columns struct {
	content []byte
	file    *lineIndex
	line    int // 0-based line of the last answer, -1 before the first
	off     int // its byte offset
	col     int // its 1-based column
}

func newColumns(content []byte, file *lineIndex) *columns {
	return &columns{content: content, file: file, line: -1}
}

// sync reports whether off is a character boundary for a count from the
// line's start. utf8.RuneCount takes an invalid byte as one character, so
// any byte that is not a continuation byte starts one; counts then add up
// across off.
func (c *columns) sync(off int) bool {
	return off >= len(c.content) || utf8.RuneStart(c.content[off])
}

// at is the 1-based line and character column of byte offset off.
func (c *columns) at(off int) (line, col int) {
	l := c.file.lineOf(off)
	start := c.file.start(l)
	switch {
	case l == c.line && off >= c.off && c.sync(c.off):
		c.col += utf8.RuneCount(c.content[c.off:off])
	case l == c.line && off < c.off && c.off-off < off-start && c.sync(off):
		c.col -= utf8.RuneCount(c.content[off:c.off])
	default:
		c.col = utf8.RuneCount(c.content[start:off]) + 1
	}
	c.line, c.off = l, off
	return l + 1, c.col
}

// Reposition gives true positions to the matches of a fragment that starts
// at the beginning of a line, startLine of its file (a diff hunk's added
// lines): lines count from the file's start, columns in characters.
func Reposition(ms []Match, content []byte, startLine int) []Match {
	if len(ms) == 0 {
		return ms
	}
	li := newLines(view(content))
	cols := newColumns(content, li)
	for i := range ms {
		repositionMatch(&ms[i], cols, li, startLine, 0)
		if ms[i].StartLine > 0 {
			ms[i].StartLine += startLine - 1
			ms[i].EndLine += startLine - 1
		}
	}
	return ms
}

// view is content as a string without a copy, for code that only reads it
// while content is not written (a file's text can be up to the size cap).
func view(content []byte) string { return unsafe.String(unsafe.SliceData(content), len(content)) }
