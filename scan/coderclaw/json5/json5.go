// Package json5 reads JSON5 text, as CoderClaw's config loader accepts it,
// into a tree whose every key and value keeps its byte span in the original
// text. It owns syntax only: what the keys mean is package coderclaw's job.
//
// How: a scanner walks the JSON5 text once, checks the grammar with an
// explicit stack (so deep nesting cannot overflow the Go stack), records
// every comment, and writes each token again as plain JSON while it remembers
// where the token stood in the original. hujson parses that JSON into its
// syntax tree, and the tree is converted into Nodes whose offsets are mapped
// back through the token table. The scanner exists because hujson reads JWCC
// (comments and trailing commas) but not JSON5's unquoted keys,
// single-quoted strings, hex numbers, Infinity/NaN or line continuations,
// and no JSON5 library for Go reports positions.
//
// Positions: lines are 1-based and split at '\n' only; columns are 1-based
// and count characters (Unicode code points) from the start of the line, as
// every clawgate finding does, so a tab or an 'é' before a key moves it by
// one column each.
package json5

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Kind is the JSON type of a Node.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	}
	return "invalid"
}

// Node is one JSON5 value with the byte span it occupies in Doc.Src.
type Node struct {
	Kind Kind
	// Doc is the file the value was read from. A Node made by merging
	// (package coderclaw's $include) keeps the Doc of the including object.
	Doc        *Doc
	Start, End int
	Bool       bool
	// Str is the decoded text of a String, or the number as written in
	// decimal for a Number ("255" for 0xFF, "0.5" for .5, "Infinity", "NaN").
	Str     string
	Members []*Member // Object, in source order; a repeated key appears twice
	Elems   []*Node   // Array
}

// Member is one key: value pair of an object.
type Member struct {
	Key              string
	KeyStart, KeyEnd int
	// Doc is where the key was written (it can differ from the enclosing
	// object's Doc after an $include merge).
	Doc   *Doc
	Value *Node
}

// Get returns the value of the last member named key (JSON5 lets the last
// duplicate win), or nil.
func (n *Node) Get(key string) *Member {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i]
		}
	}
	return nil
}

// Float returns the number as a float64. ok is false for non-numbers and for
// numbers that float64 cannot hold (they stay available as text in Str).
func (n *Node) Float() (f float64, ok bool) {
	if n == nil || n.Kind != Number {
		return 0, false
	}
	switch n.Str {
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	case "NaN", "-NaN":
		return math.NaN(), true
	}
	f, err := strconv.ParseFloat(n.Str, 64)
	return f, err == nil
}

// Comment is a // or /* */ comment as written, markers included.
type Comment struct {
	Text       string
	Start, End int
	Block      bool
}

// Doc is one parsed file.
type Doc struct {
	Name       string
	Src        []byte
	Root       *Node
	Comments   []Comment
	lineStarts []int
	// The last answer of Position: its line index, offset and column
	// (0 before the first).
	lastLine, lastOff, lastCol int
}

// Position converts a byte offset in Src to a 1-based line and character
// column. Asked in increasing order along a line, it counts only the
// characters since the last answer: counting from the line's start each
// time was quadratic on a long line of many findings (a one-line config of
// 40,000 keys took seconds).
func (d *Doc) Position(off int) (line, col int) {
	if d.lineStarts == nil {
		d.lineStarts = lineStarts(d.Src)
	}
	off = min(max(off, 0), len(d.Src))
	i := sort.Search(len(d.lineStarts), func(i int) bool { return d.lineStarts[i] > off }) - 1
	// A count may go on from the last offset when that starts a character
	// (utf8.RuneCount takes any non-continuation byte as one).
	if d.lastCol > 0 && i == d.lastLine && off >= d.lastOff && (d.lastOff >= len(d.Src) || utf8.RuneStart(d.Src[d.lastOff])) {
		d.lastCol += utf8.RuneCount(d.Src[d.lastOff:off])
	} else {
		_, d.lastCol = position(d.Src, d.lineStarts, off)
	}
	d.lastLine, d.lastOff = i, off
	return i + 1, d.lastCol
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func position(src []byte, starts []int, off int) (line, col int) {
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	off = min(max(off, starts[i]), len(src))
	return i + 1, utf8.RuneCount(src[starts[i]:off]) + 1
}

// SyntaxError is a JSON5 parse error at a position in the original file.
type SyntaxError struct {
	File      string
	Offset    int
	Line, Col int
	// Expected names what the grammar allowed there; Found what stood there.
	Expected string
	Found    string
	// Msg replaces "expected …, found …" for errors that are not about a
	// missing token (invalid UTF-8, nesting too deep).
	Msg string
}

func (e *SyntaxError) Error() string {
	if e.Msg != "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: expected %s, found %s", e.File, e.Line, e.Col, e.Expected, e.Found)
}

// MaxDepth bounds nesting. CoderClaw configs nest about ten levels; the cap
// keeps hostile input from costing stack or time.
const MaxDepth = 200
