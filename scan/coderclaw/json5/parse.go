package json5

import (
	"bytes"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/tailscale/hujson"
)

// emitted maps one token of the normalized JSON back to the original.
type emitted struct {
	norm int // offset in the normalized text
	tok  token
}

// Parse reads one JSON5 document. name is used in errors and positions.
// Errors are *SyntaxError; Parse never panics on any input.
func Parse(name string, src []byte) (*Doc, error) {
	s := &scanner{name: name, src: src, starts: lineStarts(src)}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, n := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, s.msgAt(off, "invalid UTF-8 (byte 0x%02X); the config must be UTF-8 text", src[off])
	}
	norm, table, err := s.normalize()
	if err != nil {
		return nil, err
	}
	hv, err := hujson.Parse(norm)
	if err != nil {
		// The scanner checked the grammar, so this would be our bug; still
		// an error, never a panic.
		return nil, s.msgAt(0, "internal: normalized JSON rejected: %v", err)
	}
	doc := &Doc{Name: name, Src: src, Comments: s.comments, lineStarts: s.starts}
	c := converter{doc: doc, table: table}
	doc.Root = c.value(&hv)
	return doc, nil
}

type frame struct {
	open  byte // '{' or '['
	start int  // offset of the bracket in the original
}

// normalize checks the JSON5 grammar and writes the same value as JSON.
func (s *scanner) normalize() ([]byte, []emitted, error) {
	var out bytes.Buffer
	out.Grow(len(s.src))
	table := make([]emitted, 0, len(s.src)/8)
	var stack []frame
	emit := func(t token, text []byte) {
		table = append(table, emitted{norm: out.Len(), tok: t})
		out.Write(text)
	}
	const (
		wantValue        = iota // a value (top level, after ':')
		wantValueOrClose        // after '[' or ',' inside an array
		wantKeyOrClose          // after '{' or ',' inside an object
		wantColon
		wantCommaOrClose
		wantEOF
	)
	state := wantValue
	for {
		var what string
		switch state {
		case wantValue:
			what = "a value"
		case wantValueOrClose:
			what = "a value or ']'"
		case wantKeyOrClose:
			what = "an object key or '}'"
		case wantColon:
			what = "':' after the object key"
		case wantCommaOrClose:
			if stack[len(stack)-1].open == '{' {
				what = "',' or '}' after the object member"
			} else {
				what = "',' or ']' after the array element"
			}
		case wantEOF:
			what = "end of file after the top-level value"
		}
		t, err := s.next(what)
		if err != nil {
			return nil, nil, err
		}
		bad := func() error {
			found := t.describe()
			if t.kind == tEOF && len(stack) > 0 {
				top := stack[len(stack)-1]
				line, col := position(s.src, s.starts, top.start)
				found = fmt.Sprintf("end of file (the '%c' at %d:%d is never closed)", top.open, line, col)
			}
			return s.errAt(t.start, what, found)
		}
		closeFrame := func() {
			stack = stack[:len(stack)-1]
			emit(t, []byte{t.punct})
			if len(stack) == 0 {
				state = wantEOF
			} else {
				state = wantCommaOrClose
			}
		}
		switch state {
		case wantEOF:
			if t.kind != tEOF {
				return nil, nil, bad()
			}
			return out.Bytes(), table, nil
		case wantColon:
			if t.kind != tPunct || t.punct != ':' {
				return nil, nil, bad()
			}
			emit(t, []byte{':'})
			state = wantValue
			continue
		case wantCommaOrClose:
			top := stack[len(stack)-1]
			switch {
			case t.kind == tPunct && t.punct == ',':
				emit(t, []byte{','})
				if top.open == '{' {
					state = wantKeyOrClose
				} else {
					state = wantValueOrClose
				}
			case t.kind == tPunct && (t.punct == '}' && top.open == '{' || t.punct == ']' && top.open == '['):
				closeFrame()
			default:
				return nil, nil, bad()
			}
			continue
		case wantKeyOrClose:
			switch {
			case t.kind == tPunct && t.punct == '}':
				trimTrailingComma(&out, &table)
				closeFrame()
			case t.kind == tString || t.kind == tIdent:
				emit(t, quote(t.text))
				state = wantColon
			default:
				return nil, nil, bad()
			}
			continue
		case wantValueOrClose:
			if t.kind == tPunct && t.punct == ']' {
				trimTrailingComma(&out, &table)
				closeFrame()
				continue
			}
		}
		// A value.
		switch {
		case t.kind == tPunct && (t.punct == '{' || t.punct == '['):
			if len(stack) >= MaxDepth {
				return nil, nil, s.msgAt(t.start, "nesting deeper than %d levels", MaxDepth)
			}
			stack = append(stack, frame{open: t.punct, start: t.start})
			emit(t, []byte{t.punct})
			if t.punct == '{' {
				state = wantKeyOrClose
			} else {
				state = wantValueOrClose
			}
			continue
		case t.kind == tString:
			emit(t, quote(t.text))
		case t.kind == tNumber:
			text := t.text
			switch text {
			case "Infinity", "-Infinity", "NaN", "-NaN":
				text = "0" // JSON has no spelling for these; the token keeps it
			}
			emit(t, []byte(text))
		case t.kind == tIdent && (t.text == "true" || t.text == "false" || t.text == "null"):
			emit(t, []byte(t.text))
		case t.kind == tIdent && (t.text == "Infinity" || t.text == "NaN"):
			t.kind = tNumber
			emit(t, []byte("0"))
		default:
			return nil, nil, bad()
		}
		if len(stack) == 0 {
			state = wantEOF
		} else {
			state = wantCommaOrClose
		}
	}
}

// trimTrailingComma drops a ',' just written before a closing bracket.
// hujson accepts trailing commas, but plain JSON keeps the tree simpler.
func trimTrailingComma(out *bytes.Buffer, table *[]emitted) {
	t := *table
	if n := len(t); n > 0 && t[n-1].tok.kind == tPunct && t[n-1].tok.punct == ',' {
		out.Truncate(t[n-1].norm)
		*table = t[:n-1]
	}
}

func quote(s string) []byte {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.Bytes()
}

type converter struct {
	doc   *Doc
	table []emitted
}

func (c *converter) tok(norm int) token {
	i := sort.Search(len(c.table), func(i int) bool { return c.table[i].norm >= norm })
	if i < len(c.table) && c.table[i].norm == norm {
		return c.table[i].tok
	}
	return token{}
}

func (c *converter) value(v *hujson.Value) *Node {
	start := c.tok(v.StartOffset)
	n := &Node{Doc: c.doc, Start: start.start, End: start.end}
	switch x := v.Value.(type) {
	case *hujson.Object:
		n.Kind = Object
		n.End = c.tok(v.EndOffset - 1).end
		for i := range x.Members {
			m := &x.Members[i]
			k := c.tok(m.Name.StartOffset)
			n.Members = append(n.Members, &Member{Key: k.text, KeyStart: k.start, KeyEnd: k.end, Doc: c.doc, Value: c.value(&m.Value)})
		}
	case *hujson.Array:
		n.Kind = Array
		n.End = c.tok(v.EndOffset - 1).end
		for i := range x.Elements {
			n.Elems = append(n.Elems, c.value(&x.Elements[i]))
		}
	case hujson.Literal:
		switch x.Kind() {
		case 'n':
			n.Kind = Null
		case 't', 'f':
			n.Kind = Bool
			n.Bool = x.Kind() == 't'
		case '"':
			n.Kind = String
			n.Str = start.text
		default:
			n.Kind = Number
			n.Str = start.text
		}
	}
	return n
}
