package secrets

import (
	"sort"
	"strings"
)

// lineIndex holds the positions of '\n' in a text.
type lineIndex struct {
	nl   []int
	size int
}

func newLines(text string) *lineIndex {
	li := &lineIndex{size: len(text)}
	for off := 0; ; {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			break
		}
		li.nl = append(li.nl, off+i)
		off += i + 1
	}
	return li
}

// count is the number of lines (a text without '\n' has one).
func (li *lineIndex) count() int { return len(li.nl) + 1 }

// lineOf is the 0-based line holding byte pos.
func (li *lineIndex) lineOf(pos int) int { return sort.SearchInts(li.nl, pos) }

// start is the offset of line i's first byte.
func (li *lineIndex) start(i int) int {
	if i == 0 {
		return 0
	}
	return li.nl[i-1] + 1
}

// end is the offset of line i's '\n', or the text's end for the last line.
func (li *lineIndex) end(i int) int {
	if i < len(li.nl) {
		return li.nl[i]
	}
	return li.size
}

// loc is gitleaks' Location: 0-based lines relative to the fragment,
// columns as gitleaks computes them, and the span of the finding's Line.
type loc struct {
	startLine, endLine, startColumn, endColumn int
	startLineIndex, endLineIndex               int
}

// locate reproduces gitleaks' location(): its columns count the preceding
// newline on every line but the first, and a match after the last newline
// reports the fragment from its start as the line. Findings must carry the
// same positions and the same Line (gitleaks:allow and line allowlists read
// it) as gitleaks', so the quirks are kept on purpose.
func (li *lineIndex) locate(raw string, start, end int) loc {
	nl := li.nl
	if len(nl) == 0 {
		nl = []int{len(raw)}
	}
	prev := func(i int) int {
		if i == 0 {
			return 0
		}
		return nl[i-1]
	}
	var l loc
	k := sort.Search(len(nl), func(i int) bool { return nl[i] > start })
	j := sort.SearchInts(nl, end)
	lineSet := k < len(nl) && prev(k) <= start
	endHit := j < len(nl) && prev(j) < end
	if !lineSet {
		p := nl[len(nl)-1]
		l.startColumn = start - p + 1
		l.endColumn = end - p
		l.startLine = len(nl)
		l.endLine = len(nl)
		i := 0
		for end+i < len(raw) && raw[end+i] != '\n' && raw[end+i] != '\r' {
			i++
		}
		l.endLineIndex = end + i
		return l
	}
	l.startLine, l.endLine = k, k
	l.startColumn = start - prev(k) + 1
	l.startLineIndex = prev(k)
	l.endLineIndex = nl[k]
	if endHit {
		l.endColumn = end - prev(j)
		if j >= k {
			l.endLine = j
			l.endLineIndex = nl[j]
		}
	}
	return l
}
