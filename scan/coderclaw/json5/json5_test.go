package json5

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustParse(t *testing.T, src string) *Doc {
	t.Helper()
	d, err := Parse("c.json5", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return d
}

// TestValues covers every JSON5 extension over JSON that CoderClaw accepts.
func TestValues(t *testing.T) {
	tests := []struct {
		src  string
		kind Kind
		str  string
	}{
		{`'single'`, String, "single"},
		{`"dq \"x\" \'y\'"`, String, `dq "x" 'y'`},
		{`'a\
b'`, String, "ab"},
		{"'a\\\r\nb'", String, "ab"},
		{`'\x41\u0042\t\v\0\/\q'`, String, "AB\t\v\x00/q"},
		{`'\uD83D\uDE00'`, String, "😀"},
		{`'\uD83D'`, String, "\uFFFD"},
		{"'tab\there'", String, "tab\there"},
		{"'ls\u2028ok'", String, "ls\u2028ok"},
		{`0x1F`, Number, "31"},
		{`-0XfF`, Number, "-255"},
		{`+1`, Number, "1"},
		{`.5`, Number, "0.5"},
		{`5.`, Number, "5"},
		{`5.e3`, Number, "5e3"},
		{`-.5E-2`, Number, "-0.5e-2"},
		{`Infinity`, Number, "Infinity"},
		{`-Infinity`, Number, "-Infinity"},
		{`+NaN`, Number, "NaN"},
		{`0x123456789abcdef0123456789`, Number, "90144042682896311822508713865"},
		{`1e999`, Number, "1e999"},
		{"0x" + strings.Repeat("0", 300) + "1", Number, "1"},
		{"0x" + strings.Repeat("f", 256), Number, "179769313486231590772930519078902473361797697894230657273430081157732675805500963132708477322407536021120113879871393357658789768814416622492847430639474124377767893424865485276302219601246094119453082952085005768838150682342462881473913110540827237163350510684586298239947245938479716304835356329624224137215"},
		{"-0x" + strings.Repeat("f", 257), Number, "-Infinity"},
		{`true`, Bool, ""},
		{`null`, Null, ""},
		{"\uFEFF// c\n  /* b */ 1 // end", Number, "1"},
	}
	for _, tt := range tests {
		d := mustParse(t, tt.src)
		if d.Root.Kind != tt.kind || d.Root.Str != tt.str {
			t.Errorf("%q: got %v %q, want %v %q", tt.src, d.Root.Kind, d.Root.Str, tt.kind, tt.str)
		}
	}
	if f, ok := mustParse(t, "-Infinity").Root.Float(); !ok || !math.IsInf(f, -1) {
		t.Errorf("-Infinity as float: %v %v", f, ok)
	}
	if _, ok := mustParse(t, "1e999").Root.Float(); ok {
		t.Errorf("1e999 must not fit a float64")
	}
}

func TestObjectsKeysAndPositions(t *testing.T) {
	src := "// head\n{\n  unquoted: 1,\n\t'single': [true, 'x',],\n  \"dq\": { $a_1: null },\n  é: 2, // trailing\n}\n"
	d := mustParse(t, src)
	want := []struct {
		key            string
		line, col      int
		vline, vcol    int
		valKind        Kind
		valStartString string
	}{
		{"unquoted", 3, 3, 3, 13, Number, "1"},
		{"single", 4, 2, 4, 12, Array, "["},
		{"dq", 5, 3, 5, 9, Object, "{"},
		{"é", 6, 3, 6, 6, Number, "2"}, // columns count characters: é is one
	}
	if len(d.Root.Members) != len(want) {
		t.Fatalf("members: %d", len(d.Root.Members))
	}
	for i, w := range want {
		m := d.Root.Members[i]
		l, c := d.Position(m.KeyStart)
		vl, vc := d.Position(m.Value.Start)
		if m.Key != w.key || l != w.line || c != w.col || vl != w.vline || vc != w.vcol || m.Value.Kind != w.valKind {
			t.Errorf("member %d: got %q %d:%d value %d:%d %v", i, m.Key, l, c, vl, vc, m.Value.Kind)
		}
		if got := string(d.Src[m.Value.Start : m.Value.Start+1]); got != w.valStartString {
			t.Errorf("member %q value span starts with %q", m.Key, got)
		}
	}
	arr := d.Root.Get("single").Value
	if string(d.Src[arr.Start:arr.End]) != "[true, 'x',]" {
		t.Errorf("array span %q", d.Src[arr.Start:arr.End])
	}
	x := arr.Elems[1]
	if string(d.Src[x.Start:x.End]) != "'x'" {
		t.Errorf("string span %q", d.Src[x.Start:x.End])
	}
	if got := d.Root.Get("dq").Value.Get("$a_1"); got == nil || got.Value.Kind != Null {
		t.Errorf("nested key $a_1 missing")
	}
	if len(d.Comments) != 2 || d.Comments[1].Text != "// trailing" {
		t.Errorf("comments: %+v", d.Comments)
	}
}

func TestDuplicateKeyLastWins(t *testing.T) {
	d := mustParse(t, `{a: 1, a: 2}`)
	if d.Root.Get("a").Value.Str != "2" {
		t.Errorf("last duplicate must win")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{`{a 1}`, "c.json5:1:4: expected ':' after the object key, found a number"},
		{`{a: 1 b: 2}`, "c.json5:1:7: expected ',' or '}' after the object member, found an unquoted word"},
		{`[1 2]`, "c.json5:1:4: expected ',' or ']' after the array element, found a number"},
		{"{\n  a: 1,\n", "c.json5:3:1: expected an object key or '}', found end of file (the '{' at 1:1 is never closed)"},
		{`{a: }`, "c.json5:1:5: expected a value, found '}'"},
		{`{a: yes}`, "c.json5:1:5: expected a value, found an unquoted word"},
		{`{1: 2}`, "c.json5:1:2: expected an object key or '}', found a number"},
		{`'abc`, "c.json5:1:5: expected closing ' of the string, found end of file"},
		{"'a\nb'", "c.json5:1:3: expected closing ' of the string (end a line with \\ to continue a string), found end of line"},
		{`01`, "c.json5:1:2: expected end of number, found '1'"},
		{`0x`, "c.json5:1:3: expected hex digits after 0x, found end of file"},
		{`1e`, "c.json5:1:3: expected digits of the exponent, found end of file"},
		{`'\1'`, "c.json5:1:2: expected an escape other than \\1-\\9 (octal escapes are not JSON5), found \\1"},
		{`/* open`, "c.json5:1:8: expected '*/' to close the comment opened at 1:1, found end of file"},
		{`1 2`, "c.json5:1:3: expected end of file after the top-level value, found a number"},
		{``, "c.json5:1:1: expected a value, found end of file"},
		{`{a: #}`, "c.json5:1:5: expected a value, found '#'"},
		{"{a: 1}\xff", "c.json5:1:7: invalid UTF-8 (byte 0xFF); the config must be UTF-8 text"},
	}
	for _, tt := range tests {
		_, err := Parse("c.json5", []byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: want *SyntaxError, got %v", tt.src, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%q:\n got  %s\n want %s", tt.src, err, tt.want)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	src := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	_, err := Parse("deep.json5", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "nesting deeper than") || !strings.HasPrefix(err.Error(), "deep.json5:1:201:") {
		t.Fatalf("want a depth error at 1:201, got %v", err)
	}
	ok := strings.Repeat("{a:", MaxDepth) + "1" + strings.Repeat("}", MaxDepth)
	if _, err := Parse("ok.json5", []byte(ok)); err != nil {
		t.Fatalf("depth %d must parse: %v", MaxDepth, err)
	}
}

// Position gives the same answer in any order of asking, on long lines of
// multi-byte and invalid characters, as a count from the line's start.
func TestPositionAnyOrder(t *testing.T) {
	src := []byte("ab\xe2\x82\xac\xffcd\n\xf0\x9f\x98\x80x\xe9y\r\nlast é line")
	naive := func(off int) (int, int) {
		line, start := 1, 0
		for i := 0; i < off; i++ {
			if src[i] == '\n' {
				line, start = line+1, i+1
			}
		}
		return line, utf8.RuneCount(src[start:off]) + 1
	}
	r := rand.New(rand.NewPCG(1, 1))
	for round := 0; round < 50; round++ {
		d := &Doc{Src: src}
		offs := r.Perm(len(src) + 1)
		if round%3 == 0 {
			sort.Ints(offs)
		}
		for _, off := range offs {
			gl, gc := d.Position(off)
			wl, wc := naive(off)
			if gl != wl || gc != wc {
				t.Fatalf("Position(%d) = %d:%d, want %d:%d", off, gl, gc, wl, wc)
			}
		}
	}
}
