package secrets

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// The fast detector must find exactly what gitleaks' own detector finds.
// These tests run both on the same inputs and compare every field.

func sortMatches(ms []Match) {
	sort.Slice(ms, func(i, j int) bool {
		return fmt.Sprint(ms[i]) < fmt.Sprint(ms[j])
	})
}

func compareDetectors(t *testing.T, fast, ref Detector, name string, content []byte) {
	t.Helper()
	ctx := context.Background()
	got, err1 := ScanContent(ctx, fast, name, content)
	want, err2 := ScanContent(ctx, ref, name, content)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: errors differ: fast %v, reference %v", name, err1, err2)
	}
	sortMatches(got)
	sortMatches(want)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: fast and reference differ\nfast:      %s\nreference: %s", name, describe(got), describe(want))
	}
}

// describe prints positions and rules only: test logs must not carry the
// planted values either.
func describe(ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "\n  %s %d:%d-%d:%d secret#%s line#%d tags=%v", m.RuleID, m.StartLine, m.StartColumn, m.EndLine, m.EndColumn, shortHash(m.Secret), len(m.Line), m.Tags)
	}
	return b.String()
}

func shortHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

func detectors(t testing.TB) (*Fast, *Reference) {
	r, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	return NewFast(r), NewReference(r)
}

// TestFastMatchesReferenceOnGoSource compares both detectors on a fixed
// eighth of the Go distribution's source tree, which every machine with Go
// has: real code, real test fixtures (keys, certificates, tokens), real
// encodings.
func TestFastMatchesReferenceOnGoSource(t *testing.T) {
	if testing.Short() {
		t.Skip("long differential test")
	}
	root := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no GOROOT/src")
	}
	fast, ref := detectors(t)
	r, _ := DefaultRules()
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		h := fnv.New32a()
		h.Write([]byte(rel))
		// Every file with a known finding, plus a fixed sample of the rest.
		if h.Sum32()%8 != 0 && !strings.Contains(rel, "crypto") && !strings.Contains(rel, "testdata") {
			return nil
		}
		if r.PathAllowed(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 || len(b) > 2<<20 {
			return nil
		}
		n++
		compareDetectors(t, fast, ref, rel, b)
		return nil
	})
	if n < 500 {
		t.Fatalf("only %d files compared", n)
	}
}

// TestFastMatchesReferenceOnCases covers what a source tree may not:
// matches spanning lines, text anchors at fragment edges, fragment
// boundaries in big files, encoded secrets, case-folding hazards.
func TestFastMatchesReferenceOnCases(t *testing.T) {
	fast, ref := detectors(t)
	for name, content := range edgeCases() {
		t.Run(name, func(t *testing.T) {
			compareDetectors(t, fast, ref, name, []byte(content))
		})
	}
}

func FuzzFastMatchesReference(f *testing.F) {
	for _, c := range edgeCases() {
		f.Add(c)
	}
	fast, ref := detectors(f)
	f.Fuzz(func(t *testing.T, s string) {
		compareDetectors(t, fast, ref, "fuzz.txt", []byte(s))
	})
}
