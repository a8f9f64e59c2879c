package detectsecrets

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzScanFile checks that scanning never panics, is deterministic, and
// keeps one result per (type, secret) with lines inside the file.
func FuzzScanFile(f *testing.F) {
	f.Add("config.py", []byte("password = \"hunter2isnotsafe\"\nHEX = \"2b00042f7481c7b056c4b410d28f33cf\"\n"))
	f.Add("main.go", []byte("apiKey := \"x\"\nif \"a1\" == password {\nip := \"1.2.3.4:123456\"\n"))
	f.Add("a.js", []byte("t = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x\"; // pragma: allowlist secret\n"))
	f.Add("x.txt", []byte("glpat-hellOworld380_testin AKIAIOSFODNN7EXAMPLE\r\n\rxoxb-1-a\n"))
	f.Add("k.c", []byte("char secrete[25] = \"abc\";\nsecret.assign(\"v\",1);\n"))
	f.Add("conf.yaml", []byte("a: &x {b: c, d: 'e'}\nf: *x\ng: !!binary YWJj\nh: |\n  block\n"))
	f.Add("conf.ini", []byte("[DEFAULT]\nd = 100%%\n[s]\nk = v\n  cont\n# pragma: allowlist nextline secret\n"))
	f.Add("x.env", []byte("TOKEN=glpat-abcdefghij0123456789\n"))
	s, err := New(DefaultPlugins(), DefaultFilters())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		a := s.ScanFile(name, content)
		b := s.ScanFile(name, append([]byte(nil), content...))
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("not deterministic: %v vs %v", a, b)
		}
		// Transformed files may report lines past the end of the file
		// (several YAML values on one line push the rest down, as in
		// detect-secrets), but never past the transformed line count.
		lines := len(pyReadlines(string(content)))
		if utf8.Valid(content) {
			for _, eager := range []bool{false, true} {
				if n := len(s.transform(name, string(content), eager)); n > lines {
					lines = n
				}
			}
		}
		seen := map[resultKey]bool{}
		for _, r := range a {
			k := resultKey{r.Type, r.Secret}
			if seen[k] {
				t.Fatalf("duplicate result %q", r.Type)
			}
			seen[k] = true
			if r.Line < 1 || (r.Line > lines && lines > 0) {
				t.Fatalf("line %d outside 1..%d", r.Line, lines)
			}
		}
	})
}

// BenchmarkScanFile scans a synthetic corpus: mostly ordinary code with a
// few secrets of each kind, the shape of a real repository.
func BenchmarkScanFile(b *testing.B) {
	s, err := New(DefaultPlugins(), DefaultFilters())
	if err != nil {
		b.Fatal(err)
	}
	var corpus []byte
	for i := 0; i < 2000; i++ {
		corpus = append(corpus, "func handle(w http.ResponseWriter, r *http.Request) {\n\tkey := r.URL.Query().Get(\"key\")\n\tif err := store.Put(ctx, key, value); err != nil {\n\t\treturn fmt.Errorf(\"put %s: %w\", key, err)\n\t}\n}\n"...)
		if i%100 == 0 {
			corpus = append(corpus, "const password = \"hunter2isnotsafe\" // AKIAIOSFODNN7EXAMPLE 2b00042f7481c7b056c4b410d28f33cf\n"...)
		}
	}
	b.SetBytes(int64(len(corpus)))
	b.ReportAllocs()
	for b.Loop() {
		s.ScanFile("handler.go", corpus)
	}
}
