package detectsecrets

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// dedent drops the first line break and the common indentation, like the
// textwrap.dedent(...)[1:-1] of detect-secrets' tests.
func dedent(s string) string {
	s = strings.TrimPrefix(s, "\n")
	lines := strings.Split(s, "\n")
	ind := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if ind < 0 || n < ind {
			ind = n
		}
	}
	for i, l := range lines {
		if len(l) >= ind {
			lines[i] = l[ind:]
		} else {
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

func checkLines(t *testing.T, name string, got []string, ok bool, want []string) {
	t.Helper()
	if !ok {
		t.Errorf("%s: not transformed, want %q", name, want)
		return
	}
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", name, got, want)
	}
}

// tests/transformers/yaml_transformer_test.py
func TestYAMLTransformer(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"TestYAMLTransformer::test_basic", dedent(`
			keyA: string
			keyB: string    # with comments

			keyC: !!binary YWJjZGVm
			keyD: !!binary YWJjZGVm     # with comments
			keyE: !!binary invalidBinar

			dict:
			    keyD: nested string

			num: 1  # don't care`),
			[]string{`keyA: "string"`, `keyB: "string"    # with comments`, ``, `keyC: "YWJjZGVm"`,
				`keyD: "YWJjZGVm"     # with comments`, `keyE: "invalidBinar"`, ``, ``, `keyD: "nested string"`}},
		// Several values on one line take consecutive lines.
		{"TestYAMLTransformer::test_single_line_flow_mapping", dedent(`
			object:
			    keyA: 1
			    dictionary:
			        - {keyB: valueB, keyC: valueC, keyD: valueD}`),
			[]string{``, ``, ``, `keyB: "valueB"`, `keyC: "valueC"`, `keyD: "valueD"`}},
		{"TestYAMLTransformer::test_multi_line_flow_mapping",
			"object:\n    keyA: 1\n    dictionary:\n        - {keyB: valueB, keyC: valueC, keyD: valueD}\n",
			[]string{``, ``, ``, `keyB: "valueB"`, `keyC: "valueC"`, `keyD: "valueD"`}},
		{"TestYAMLTransformer::test_single_anchor_tag", dedent(`
			keyA: &test
			    keyB: string    # with comments`),
			[]string{``, `keyB: "string"    # with comments`}},
		{"TestYAMLTransformer::test_anchor_tag_alias_combination", dedent(`
			groupA: &groupA
			    keyA: valueA
			    keyB: valueB

			groupB: &groupB
			    keyC: valueC
			    keyD: *groupA`),
			[]string{``, `keyA: "valueA"`, `keyB: "valueB"`, ``, ``, `keyC: "valueC"`}},
		// TestYAMLFileParser::test_inline_dictionary, all six cases.
		{"test_inline_dictionary[0]", "{ a: \"1\" }\n", []string{`a: "1"`}},
		{"test_inline_dictionary[1]", "a:\n    {b: \"2\"}\n", []string{``, `b: "2"`}},
		{"test_inline_dictionary[2]", "a:\n- {b: \"2\"}\n", []string{``, `b: "2"`}},
		{"test_inline_dictionary[3]", "{a: \"1\",\n    b: \"2\",\n}", []string{`a: "1"`, `b: "2"`}},
		{"test_inline_dictionary[4]", "{\n    a: \"1\",\n    b: \"2\",\n}\n", []string{``, `a: "1"`, `b: "2"`}},
		{"test_inline_dictionary[5]", "{ a: \"1\", b: \"2\" }\n", []string{`a: "1"`, `b: "2"`}},
		// TestYAMLFileParser::test_inline_empty_mapping_line_numbers and
		// ::test_inline_mapping_single_line_multikey_line_numbers (the
		// __line__ values they assert, seen through parse_file).
		{"test_inline_empty_mapping_line_numbers", "a: {}\nb: \"2\"", []string{``, `b: "2"`}},
		{"test_inline_mapping_single_line_multikey_line_numbers", "a: {b: \"2\", c: \"3\"}\nd: \"4\"",
			[]string{`b: "2"`, `c: "3"`, `d: "4"`}},
		// TestYAMLFileParser::test_multi_line: a block scalar keeps the
		// key's line (and its comment); the folded value is one line.
		{"test_multi_line[>-]", "key: >-   # comment\n    multi\n    # line\n    string\n",
			[]string{`key: "multi # line string"   # comment`}},
		{"test_multi_line[|]", "key: |   # comment\n    multi\n    # line\n    string\n",
			[]string{"key: \"multi\n# line\nstring\n\"   # comment"}},
		// Derived from the 1.5.0 source: strings in sequences are never
		// tagged, so nothing is transformed from them.
		{"sequence strings", "- a\n- b\n", nil},
		// Derived from the source: the alias node's line is written on
		// the shared node, so both keys land on the alias's line.
		{"alias to a scalar", "a: &x s1\nb: *x\n", []string{``, `a: "s1"`, `b: "s1"`}},
	}
	for _, c := range cases {
		got, ok := yamlTransform(c.in)
		checkLines(t, c.name, got, ok, c.want)
	}
	// YAMLError (here an unclosed quote, a tab, two documents) makes
	// parse_file raise ParsingError.
	for _, bad := range []string{"a: \"open\n", "a:\n\t- b\n", "a: 1\n---\nb: 2\n", "a: =\n"} {
		if got, ok := yamlTransform(bad); ok {
			t.Errorf("%q transformed to %q, want a parsing error", bad, got)
		}
	}
}

// tests/transformers/config_transformer_test.py
func TestConfigTransformer(t *testing.T) {
	basic := dedent(`
		[section]
		keyA = value

		keyB = "double"
		keyC = 'single'

		keyD = o'brian
		keyE = "chai" tea`)
	want := []string{``, `keyA = "value"`, ``, `keyB = "double"`, `keyC = "single"`, ``, `keyD = "o'brian"`, `keyE = "\"chai\" tea"`}
	for _, eager := range []bool{false, true} {
		got, ok := iniTransform(basic, eager)
		checkLines(t, "test_transformer", got, ok, want)
	}
	pragmas := dedent(`
		[section]
		keyA = value

		# pragma: allowlist nextline secret
		keyB = "double"
		keyC = 'single'

		# pragma: allowlist nextline secret
		keyD = o'brian
		keyE = "chai" tea`)
	want = []string{``, `keyA = "value"`, ``, `# pragma: allowlist nextline secret`, `keyB = "double"`, `keyC = "single"`,
		``, `# pragma: allowlist nextline secret`, `keyD = "o'brian"`, `keyE = "\"chai\" tea"`}
	for _, eager := range []bool{false, true} {
		got, ok := iniTransform(pragmas, eager)
		checkLines(t, "test_transformer_persist_pragma_comments", got, ok, want)
	}
	cases := []struct {
		name, in string
		eager    bool
		want     []string
	}{
		// test_basic: ('key', 'value', 2), ('rice', 'fried', 3),
		// ('tea', 'chai', 6), ('water', 'unflavored', 10).
		{"test_basic", dedent(`
			[section]
			key = value
			rice = fried

			# comment
			tea = chai

			[other]

			water = unflavored`), false,
			[]string{``, `key = "value"`, `rice = "fried"`, ``, ``, `tea = "chai"`, ``, ``, ``, `water = "unflavored"`}},
		{"test_basic_persist_pragma_comments_semi_colon", dedent(`
			[section]
			; pragma: allowlist nextline secret
			key = value
			; pragma: allowlist nextline secret
			rice = fried

			; comment
			tea = chai

			[other]
			; pragma: allowlist nextline secret
			water = unflavored`), false,
			[]string{``, `; pragma: allowlist nextline secret`, `key = "value"`, `; pragma: allowlist nextline secret`, `rice = "fried"`,
				``, ``, `tea = "chai"`, ``, ``, `; pragma: allowlist nextline secret`, `water = "unflavored"`}},
		// test_add_header: ('key', 'value', 1), ('tea', 'chai', 4).
		{"test_add_header", "key = value\n\n# comment\ntea = chai", true, []string{`key = "value"`, ``, ``, `tea = "chai"`}},
		// TestMultipleValues::test_all and ::test_not_first.
		{"TestMultipleValues::test_all", "[section]\nkey = value0\n    value1\n\n    # comment\n    value2", false,
			[]string{``, `key = "value0"`, `key = "value1"`, ``, ``, `key = "value2"`}},
		{"TestMultipleValues::test_not_first", "[section]\nkey =\n    value1\n\n    # comment\n    value2", false,
			[]string{``, ``, `key = "value1"`, ``, ``, `key = "value2"`}},
		{"TestMultipleValues::test_pragma_comments", dedent(`
			[section]
			# pragma: allowlist nextline secret
			key = value0
			    # pragma: allowlist nextline secret
			    value1

			    # comment
			    value2`), false,
			[]string{``, `# pragma: allowlist nextline secret`, `key = "value0"`, `# pragma: allowlist nextline secret`,
				`key = "value1"`, ``, ``, `key = "value2"`}},
		// Derived from configparser (CPython 3.11/3.12) and IniFileParser:
		// values are interpolated ("%%" is "%") before they are looked for
		// on their line; DEFAULT's keys are listed again under every
		// section, and a key not found on the remaining lines uses them
		// all up, so keys after it get no line.
		{"interpolation", "[s]\na = 100%%\nb = y\n", false, []string{``, `a = "100%"`, `b = "y"`}},
		{"defaults repeated", "[DEFAULT]\nd = v\n[s]\na = x\n", false, []string{``, `d = "v"`}},
		{"interpolated value not on its line", "[s]\nb = %(a)s\na = x\nc = z\n", false, nil},
	}
	for _, c := range cases {
		got, ok := iniTransform(c.in, c.eager)
		checkLines(t, c.name, got, ok, c.want)
	}
	// test_not_ini_file: no section, or a key before the first section.
	for _, in := range []string{"key = value\n\n# comment\ntea = chai", "key = value\n\n[other]\nwater = unflavored"} {
		if got, ok := iniTransform(in, false); ok {
			t.Errorf("%q: transformed to %q, want configparser.Error", in, got)
		}
	}
	// configparser errors: duplicate option, bad interpolation, a line
	// without a delimiter.
	for _, in := range []string{"[s]\na = 1\na = 2\n", "[s]\na = 5%\n", "[s]\njust words\n", "[s]\na = %(missing)s\n"} {
		if got, ok := iniTransform(in, false); ok {
			t.Errorf("%q: transformed to %q, want a parsing error", in, got)
		}
	}
}

// core/scan.py::_get_lines_from_file with the transformers: the lines the
// plugins see, and the line numbers results get.
func TestScanFileTransformed(t *testing.T) {
	s, err := New(DefaultPlugins(), DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	// A base64 value above 4.5 bits of entropy, built at run time.
	b64 := "gX69YO4CvBsV" + "jzAwYxdGyDd30t5+9ez31gKATtj4"
	hex := "2b00042f7481" + "c7b056c4b410d28f33cf"
	type want struct {
		typ  string
		val  string
		line int
	}
	cases := []struct {
		name, file, content string
		want                []want
	}{
		// YAMLTransformer quotes unquoted values, so the entropy plugins
		// see them, on the value's line.
		{"yaml unquoted", "conf.yaml", "a: 1\n\nnested:\n  token: " + b64 + "\n",
			[]want{{"Base64 High Entropy String", b64, 4}}},
		// The comment survives the transformation, so does the pragma.
		{"yaml inline pragma", "conf.yaml", "token: " + b64 + " # pragma: allowlist secret\n", nil},
		// A nextline pragma does not: comment lines become blank lines.
		{"yaml nextline pragma lost", "conf.yml", "# pragma: allowlist nextline secret\ntoken: " + b64 + "\n",
			[]want{{"Base64 High Entropy String", b64, 2}}},
		// Values on one line push later lines down (test_single_line_flow_mapping).
		{"yaml shifted line", "conf.yaml", "a: {b: x, c: y}\nd: " + hex + "\n",
			[]want{{"Hex High Entropy String", hex, 3}}},
		// Not YAML for PyYAML (a tab), so the raw lines are scanned and the
		// unquoted value is not found.
		{"yaml parse error", "conf.yaml", "a:\n\t- b\ntoken: " + b64 + "\n", nil},
		// ConfigFileTransformer runs on every file type.
		{"ini in a .py file", "settings.py", "[db]\npassword = " + b64 + "\n",
			[]want{{"Base64 High Entropy String", b64, 2}, {"Secret Keyword", b64, 2}}},
		// The eager pass adds a [global] header, for FileType.OTHER only
		// (test_data/config.env in detect-secrets' suite is such a file).
		{"eager env file", "config.env", "mimi=" + b64 + "\n",
			[]want{{"Base64 High Entropy String", b64, 1}}},
		{"no eager for .py", "config.py", "mimi=" + b64 + "\n", nil},
		// The eager pass runs only when the first found nothing.
		{"eager skipped after results", "config.env", "x = \"" + hex + "\"\nmimi=" + b64 + "\n",
			[]want{{"Hex High Entropy String", hex, 1}}},
	}
	for _, c := range cases {
		res := s.ScanFile(c.file, []byte(c.content))
		var got []want
		for _, r := range res {
			got = append(got, want{r.Type, r.Secret, r.Line})
		}
		if !reflect.DeepEqual(got, c.want) {
			// Report types and lines only: no secret values in the log.
			var g, w []string
			for _, x := range got {
				g = append(g, x.typ+"@"+strconv.Itoa(x.line))
			}
			for _, x := range c.want {
				w = append(w, x.typ+"@"+strconv.Itoa(x.line))
			}
			t.Errorf("%s: got %v, want %v", c.name, g, w)
		}
	}
}
