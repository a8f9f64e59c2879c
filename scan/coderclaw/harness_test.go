package coderclaw

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

// The harness lints every config under testdata/lint and compares, line by
// line, what the files say they want with what is reported:
//
//	bind: "lan", // want: gateway.bind_no_auth gateway.auth_no_rate_limit@warn
//	x: 1, /* clawgate:ignore some.check reason */ // want: known:some.check
//
// An id may carry @severity to pin an escalation. A case is a *.json5/*.json file directly in testdata/lint, or a
// directory whose top configs Discover picks. Expectations may sit in
// included files too. "// quiet: id id" in a case names checks the case
// shows staying quiet (TestEveryCheckCovered requires one per check).

type lintCase struct {
	name    string
	root    string
	configs []string
}

func lintCases(t *testing.T) []lintCase {
	t.Helper()
	base := filepath.Join("testdata", "lint")
	ents, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(base)
	var out []lintCase
	for _, e := range ents {
		if e.IsDir() {
			root := filepath.Join(abs, e.Name())
			var files []string
			filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(root, p)
					files = append(files, filepath.ToSlash(rel))
				}
				return nil
			})
			out = append(out, lintCase{e.Name(), root, Discover(root, files, nil)})
			continue
		}
		if ext := filepath.Ext(e.Name()); ext == ".json5" || ext == ".json" {
			out = append(out, lintCase{e.Name(), abs, []string{e.Name()}})
		}
	}
	return out
}

// annotations reads want and quiet comments from every file of a case.
func annotations(t *testing.T, lc lintCase) (want map[string][]string, quiet []string) {
	want = map[string][]string{}
	for _, cfg := range lc.configs {
		c, err := Load(lc.root, cfg, Options{})
		if err != nil {
			t.Fatalf("%s: %v", lc.name, err)
		}
		for _, d := range c.Docs {
			for _, cm := range d.Comments {
				line, _ := d.Position(cm.Start)
				text := strings.TrimSuffix(cm.Text, "*/")
				if i := strings.Index(text, "want:"); i >= 0 {
					k := fmt.Sprintf("%s:%d", d.Name, line)
					if len(want[k]) == 0 {
						want[k] = append(want[k], strings.Fields(text[i+5:])...)
					}
				}
				if i := strings.Index(text, "quiet:"); i >= 0 {
					quiet = append(quiet, strings.Fields(text[i+6:])...)
				}
			}
		}
	}
	return want, quiet
}

func TestLintHarness(t *testing.T) {
	for _, lc := range lintCases(t) {
		t.Run(lc.name, func(t *testing.T) {
			if len(lc.configs) == 0 {
				t.Fatal("no config discovered")
			}
			want, quiet := annotations(t, lc)
			fs, err := Lint(lc.root, lc.configs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, f := range fs {
				k := fmt.Sprintf("%s:%d", f.File, f.Line)
				r := f.Rule + "@" + string(f.Severity)
				if f.Status == scan.StatusKnown {
					r = "known:" + r
				}
				got[k] = append(got[k], r)
				for _, q := range quiet {
					if q == f.Rule || matchPattern(q, f.Rule) {
						t.Errorf("%s: %s is declared quiet but fired: %s", k, f.Rule, f.Message)
					}
				}
			}
			keys := map[string]bool{}
			for k := range want {
				keys[k] = true
			}
			for k := range got {
				keys[k] = true
			}
			var sorted []string
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				if !sameFindings(want[k], got[k]) {
					t.Errorf("%s:\n  want: %s\n  got:  %s", k, strings.Join(want[k], " "), strings.Join(got[k], " "))
				}
			}
		})
	}
}

// sameFindings matches wanted ids against reported "id@severity" tokens; a
// wanted "id@severity" also pins the severity (for escalations).
func sameFindings(want, got []string) bool {
	left := append([]string(nil), got...)
	for _, w := range want {
		found := -1
		for i, g := range left {
			if g == w || !strings.Contains(w, "@") && strings.SplitN(g, "@", 2)[0] == w {
				found = i
				break
			}
		}
		if found < 0 {
			return false
		}
		left = append(left[:found], left[found+1:]...)
	}
	return len(left) == 0
}

// TestEveryCheckCovered: each check fires in some testdata case and is
// declared quiet in another.
func TestEveryCheckCovered(t *testing.T) {
	fired, quiet := map[string]bool{}, map[string]bool{}
	for _, lc := range lintCases(t) {
		w, q := annotations(t, lc)
		for _, ids := range w {
			for _, id := range ids {
				fired[strings.SplitN(strings.TrimPrefix(id, "known:"), "@", 2)[0]] = true
			}
		}
		for _, id := range q {
			quiet[id] = true
		}
	}
	covered := func(set map[string]bool, c *Check) bool {
		for id := range set {
			if id == c.ID || matchPattern(c.ID, id) {
				return true
			}
		}
		return false
	}
	for _, c := range Checks() {
		if c.StateDir {
			continue
		}
		if !covered(fired, c) {
			t.Errorf("%s: no testdata config fires it (add one with // want: %s)", c.ID, c.ID)
		}
		if !covered(quiet, c) {
			t.Errorf("%s: no testdata config shows it quiet (add // quiet: %s)", c.ID, c.ID)
		}
	}
}
