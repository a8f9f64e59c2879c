package detectsecrets

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

type baselineEntry struct {
	Type         string `json:"type"`
	Filename     string `json:"filename"`
	HashedSecret string `json:"hashed_secret"`
	IsVerified   bool   `json:"is_verified"`
	LineNumber   int    `json:"line_number"`
}

// TestEndToEnd scans testdata/e2e/tree with the 1.5.0 defaults and compares
// with the baseline results detect-secrets would write (see its README).
func TestEndToEnd(t *testing.T) {
	var want struct {
		Results map[string][]baselineEntry `json:"results"`
	}
	data, err := os.ReadFile("testdata/e2e/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	s, err := New(DefaultPlugins(), DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]baselineEntry{}
	root := "testdata/e2e/tree"
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		for _, r := range s.ScanFile(rel, content) {
			got[rel] = append(got[rel], baselineEntry{Type: r.Type, Filename: rel, HashedSecret: sha1Hex(r.Secret), LineNumber: r.Line})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for f := range got {
		sort.Slice(got[f], func(i, j int) bool {
			a, b := got[f][i], got[f][j]
			if a.LineNumber != b.LineNumber {
				return a.LineNumber < b.LineNumber
			}
			if a.HashedSecret != b.HashedSecret {
				return a.HashedSecret < b.HashedSecret
			}
			return a.Type < b.Type
		})
	}
	if !reflect.DeepEqual(got, want.Results) {
		for f, w := range want.Results {
			if !reflect.DeepEqual(got[f], w) {
				t.Errorf("%s:\n got  %+v\n want %+v", f, got[f], w)
			}
		}
		for f := range got {
			if _, ok := want.Results[f]; !ok {
				t.Errorf("unexpected results for %s: %+v", f, got[f])
			}
		}
	}
}

// sha1Hex is detect-secrets' hashed_secret (the scan package, which owns
// it, builds on this one).
func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
