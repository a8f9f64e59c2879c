package coderclaw

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// FuzzLint runs the whole lint on arbitrary text: never a panic, every
// finding placed in the file with a position, and every --fix edit leaves
// text that still parses.
func FuzzLint(f *testing.F) {
	// Seed with every testdata config and every documented example.
	filepath.WalkDir("testdata/lint", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	for _, c := range Checks() {
		f.Add([]byte(c.Bad))
		f.Add([]byte(c.Good))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := sourceConfig("f.json5", src, Options{})
		if err != nil {
			return
		}
		fs, fixes := c.lintRaw()
		var edits []*edit
		for i, fd := range fs {
			if fd.File != "f.json5" || fd.Line < 1 || fd.Column < 1 || fd.Rule == "" || fd.Severity.Rank() == 0 {
				t.Fatalf("misplaced finding: %+v", fd)
			}
			if fixes[i] != nil {
				edits = append(edits, fixes[i])
			}
		}
		if len(edits) == 0 {
			return
		}
		seen := map[int]bool{}
		var uniq []*edit
		for _, e := range edits {
			if !seen[e.at.off] {
				seen[e.at.off] = true
				uniq = append(uniq, e)
			}
		}
		out, err := applyEdits(src, uniq)
		if err != nil {
			t.Fatalf("edits: %v", err)
		}
		if _, err := json5.Parse("f.json5", out); err != nil {
			t.Fatalf("fix broke the file: %v\n%s", err, out)
		}
		_ = unifiedDiff("f.json5", src, uniq)
	})
}
