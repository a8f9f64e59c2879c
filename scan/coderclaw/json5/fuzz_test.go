package json5

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse never panics; spans stay inside the input; whatever
// encoding/json accepts (JSON is JSON5), Parse accepts too, as long as it
// is valid UTF-8 (which Parse requires and encoding/json does not).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `{a: 1, 'b': "c", d: [1, 2,], }`, `// c
{gateway: {bind: 'lan', /* x */ port: 0x4965}}`,
		`{a: +Infinity, b: -NaN, c: .5, d: 5., e: 1e-3}`, `'line \
continued'`, `{"$include": ["./a.json5"]}`, `[[[[[]]]]]`, `"\u00e9\uD83D\uDE00"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("f.json5", src)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error of type %T", err)
			}
			if json.Valid(src) && utf8.Valid(src) && !strings.HasPrefix(se.Msg, "nesting deeper") {
				t.Fatalf("valid JSON rejected: %v", err)
			}
			if se.Line < 1 || se.Col < 1 || se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("error position out of range: %+v", se)
			}
			return
		}
		var walk func(n *Node, depth int)
		walk = func(n *Node, depth int) {
			if n.Start < 0 || n.End > len(src) || n.Start >= n.End {
				t.Fatalf("bad span %d..%d of %d", n.Start, n.End, len(src))
			}
			for _, m := range n.Members {
				if m.KeyStart < n.Start || m.KeyEnd > n.End || m.KeyStart >= m.KeyEnd {
					t.Fatalf("bad key span")
				}
				walk(m.Value, depth+1)
			}
			for _, e := range n.Elems {
				walk(e, depth+1)
			}
		}
		walk(d.Root, 0)
	})
}
