package secrets

import (
	"math/rand"
	"testing"
	"unicode/utf8"
)

// TestColumnsMatchesCountingFromLineStart: the remembering column counter
// gives the same answer as counting from the line's start, for offsets in
// any order, on text with multi-byte, invalid and truncated UTF-8 (offsets
// inside a character included).
func TestColumnsMatchesCountingFromLineStart(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	pieces := []string{"a", "b", " ", "\n", "é", "€", "😀", "\xff", "\xe2\x82", "\xc3", "\r\n", "\x80"}
	for round := 0; round < 200; round++ {
		var b []byte
		for n := r.Intn(300); n > 0; n-- {
			b = append(b, pieces[r.Intn(len(pieces))]...)
		}
		li := newLines(string(b))
		c := newColumns(b, li)
		for k := 0; k < 100; k++ {
			off := r.Intn(len(b) + 1)
			if k%3 != 0 && c.off < len(b) {
				// Mostly small steps, as matches on one line come.
				off = min(len(b), max(0, c.off+r.Intn(20)-5))
			}
			l := li.lineOf(off)
			wantCol := utf8.RuneCount(b[li.start(l):off]) + 1
			line, col := c.at(off)
			if line != l+1 || col != wantCol {
				t.Fatalf("round %d: offset %d: got %d:%d, want %d:%d", round, off, line, col, l+1, wantCol)
			}
		}
	}
}
