//go:build unix

package hostile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// leakEnv is the repository of planted secrets and what the outputs need.
type leakEnv struct {
	repo   *testrepo.Repo
	plants []plant
	base   string // the commit before the secrets
	// out is an ignored directory in the repository, for output files and
	// broken inputs (audit reads baselines under the root only); ext is a
	// directory outside it.
	out, ext string
}

// secret returns the i-th planted secret (modulo the count).
func (e *leakEnv) secret(i int) string { return e.plants[i%len(e.plants)].secret }

// input writes a file in the ignored directory and returns its path.
func (e *leakEnv) input(t *testing.T, name, content string) string {
	return write(t, e.out, name, content)
}

// Phases of the repository: the secrets staged, committed, then recorded
// in a baseline.
const (
	staged = iota
	committed
	baselined
)

// leakCase is one output to check: a run of the binary in a phase, and the
// files it writes. Adding an output is adding one line.
type leakCase struct {
	phase int
	name  string
	// args builds the command line; it may write inputs.
	args func(t *testing.T, e *leakEnv) []string
	// code is the exit status the run must have.
	code int
	// env adds environment variables; "{out}" is replaced by e.out.
	env []string
	// stdin is the run's input (answers to audit's prompts).
	stdin string
	// files are read after the run and checked too ("{out}/x" or a path in
	// the repository).
	files []string
}

func args(a ...string) func(*testing.T, *leakEnv) []string {
	return func(*testing.T, *leakEnv) []string { return a }
}

// brokenBaselines hide secrets where a parse error is reported: in the
// value of "version", inside a truncated string, as a bare word, in a
// pattern that does not compile, in merge-conflict halves.
var brokenBaselines = []func(e *leakEnv) string{
	func(e *leakEnv) string { return `{"version": "` + e.secret(0) + `", "results": {}}` },
	func(e *leakEnv) string { return `{"version": "2.0.` + e.secret(1) + `", "results": {}}` },
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "results": {"a.py": [{"type": "` + e.secret(2) + `", "hashed_secret": "` + e.secret(3) + `", "is_secret": "yes"}]}}`
	},
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "results": {"a.py": [{"type": "AWS Access Key", "hashed_secret": "` + e.secret(4)
	},
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "results": {"a.py": [{"type": "T", "hashed_secret": "h", "line_number": ` + e.secret(5) + `}]}}`
	},
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "plugins_used": [{"nam": "` + e.secret(6) + `"}], "results": {}}`
	},
	func(e *leakEnv) string {
		return "{\n<<<<<<< HEAD\n  \"version\": \"" + e.secret(9) + "\",\n=======\n  \"version\": \"" + e.secret(10) + "\",\n>>>>>>> theirs\n  \"results\": {}\n}\n"
	},
	func(e *leakEnv) string { return `{"version": "1.5.0", "results": {}} ` + e.secret(11) },
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "results": {"a.py": [{"type": "T", "hashed_secret": "` + e.secret(12) + `", "is_verified": "` + e.secret(13) + `"}]}}`
	},
	func(e *leakEnv) string { return `{"version": "1.5.0", "results": {}, "` + e.secret(14) + `": }` },
	func(e *leakEnv) string {
		return `{"version": "1.5.0", "generated_at": 5, "note": "` + e.secret(15) + `", "results": {}}`
	},
}

// brokenConfigs hide secrets where CoderClaw config syntax breaks.
var brokenConfigs = []func(e *leakEnv) string{
	func(e *leakEnv) string { return "{ gateway: { auth: { password: \"" + e.secret(16) + "\n } } }" },
	func(e *leakEnv) string { return "{ gateway: { auth: { password: " + e.secret(1) + " } } }" },
	func(e *leakEnv) string { return "{ hooks: { token: \"" + e.secret(17) + "\" x } }" },
	func(e *leakEnv) string { return "{ hooks: { token: '" + e.secret(18) + "\\1' } }" },
	func(e *leakEnv) string { return "{ a: \"" + e.secret(19) + "\" }}" },
	func(e *leakEnv) string { return "{ \"" + e.secret(20) + "\": 1 `" },
	func(e *leakEnv) string { return "{ a: 1 } /* " + e.secret(0) },
	func(e *leakEnv) string { return "{ a: \"" + e.secret(2) + "\xff\" }" },
	func(e *leakEnv) string { return "{ env: { KEY: \"" + e.secret(3) + "\" }, $include: 5 }" },
	func(e *leakEnv) string { return "{ gateway: { port: 0x" + e.secret(4) + " } }" },
}

// brokenGitleaks hide secrets in a .gitleaks.toml that does not load; an
// allowlist regex is often a literal secret.
var brokenGitleaks = []func(e *leakEnv) string{
	func(e *leakEnv) string {
		return "[[rules]]\nid = \"x\"\nregex = '''a'''\n[[rules.allowlists]]\nregexes = ['''" + e.secret(5) + "(''']\n"
	},
	func(e *leakEnv) string {
		return "[[rules]]\nid = \"x\"\nregex = '''a'''\n[[rules.allowlists]]\nstopwords = [\"a\"]\nregexTarget = \"" + e.secret(6) + "\"\n"
	},
	func(e *leakEnv) string {
		return "[[rules]]\nregex = '''" + e.secret(7) + "'''\ndescription = \"" + e.secret(8) + "\"\n"
	},
	func(e *leakEnv) string { return "[extend]\npath = \"" + e.secret(9) + "\"\n" },
	func(e *leakEnv) string { return "title = \"" + e.secret(10) + "\n" },
	func(e *leakEnv) string {
		return "[[rules]]\nid = \"x\"\nregex = '''a'''\nentropy = \"" + e.secret(11) + "\"\n"
	},
	func(e *leakEnv) string {
		return "[[rules]]\nid = \"x\"\nregex = '''(a)'''\nsecretGroup = 3\nkeywords = [\"" + e.secret(12) + "\"]\n"
	},
}

func leakCases() []leakCase {
	cs := []leakCase{
		{phase: staged, name: "scan --staged", args: args("scan", "--staged"), code: 1},
		{phase: staged, name: "scan --staged json", args: args("scan", "--staged", "--format", "json"), code: 1},
		{phase: committed, name: "scan text", args: args("scan"), code: 1},
		{phase: committed, name: "scan json", args: args("scan", "--format", "json"), code: 1},
		{phase: committed, name: "scan sarif", args: args("scan", "--format", "sarif"), code: 1},
		{phase: committed, name: "scan --sarif file", args: args("scan", "--sarif", "{out}/scan.sarif"), code: 1, files: []string{"{out}/scan.sarif"}},
		{phase: committed, name: "scan --output json", args: args("scan", "--format", "json", "--output", "{out}/scan.json"), code: 1, files: []string{"{out}/scan.json"}},
		{phase: committed, name: "scan github + step summary", args: args("scan", "--format", "github"), code: 1, env: []string{"GITHUB_STEP_SUMMARY={out}/summary.md"}, files: []string{"{out}/summary.md"}},
		{phase: committed, name: "scan --progress", args: args("scan", "--progress"), code: 1},
		{phase: committed, name: "scan --since", args: func(_ *testing.T, e *leakEnv) []string { return []string{"scan", "--since", e.base} }, code: 1},
		{phase: committed, name: "scan --since json", args: func(_ *testing.T, e *leakEnv) []string {
			return []string{"scan", "--since", e.base, "--format", "json"}
		}, code: 1},
		{phase: committed, name: "scan --since sarif", args: func(_ *testing.T, e *leakEnv) []string {
			return []string{"scan", "--since", e.base, "--format", "sarif"}
		}, code: 1},
		{phase: committed, name: "scan one file", args: args("scan", "settings.py"), code: 1},
		{phase: committed, name: "lint", args: args("lint"), code: 1},
		{phase: committed, name: "lint json", args: args("lint", "--format", "json"), code: 1},
		{phase: committed, name: "lint sarif", args: args("lint", "--format", "sarif"), code: 1},
		{phase: committed, name: "lint --fix --dry-run", args: args("lint", "--fix", "--dry-run"), code: 0},
		{phase: committed, name: "baseline", args: args("baseline"), code: 0, files: []string{".secrets.baseline"}},
		{phase: baselined, name: "scan --show-known", args: args("scan", "--show-known"), code: 0},
		{phase: baselined, name: "scan json, known", args: args("scan", "--format", "json"), code: 0},
		{phase: baselined, name: "scan sarif, known", args: args("scan", "--format", "sarif", "--sarif-include-known"), code: 0},
		{phase: baselined, name: "scan github, known", args: args("scan", "--format", "github"), code: 0, env: []string{"GITHUB_STEP_SUMMARY={out}/summary-known.md"}, files: []string{"{out}/summary-known.md"}},
		{phase: baselined, name: "scan --fail-on-unaudited", args: args("scan", "--fail-on-unaudited"), code: 1},
		{phase: baselined, name: "audit --report", args: args("audit", "--report"), code: 0},
		{phase: baselined, name: "audit --report json", args: args("audit", "--report", "--format", "json"), code: 0},
		{phase: baselined, name: "audit --stats", args: args("audit", "--stats"), code: 0},
		{phase: baselined, name: "audit --stats json", args: args("audit", "--stats", "--format", "json"), code: 0},
		{phase: baselined, name: "audit --mark", args: args("audit", "--mark", "false-positive", "--file", "settings.py"), code: 0, files: []string{".secrets.baseline"}},
		{phase: baselined, name: "audit walk, piped", args: args("audit", "--all"), stdin: strings.Repeat("s\n", 10) + "y\nn\nb\ns\nq\n", code: 0, files: []string{".secrets.baseline"}},
		{phase: baselined, name: "audit walk, piped, --mask", args: args("audit", "--all", "--mask"), stdin: "s\ns\ns\nq\n", code: 0},
		{phase: baselined, name: "baseline again", args: args("baseline", "--slim"), code: 0, files: []string{".secrets.baseline"}},
		{phase: committed, name: "bad --exclude-secrets", args: func(_ *testing.T, e *leakEnv) []string {
			return []string{"scan", "--exclude-secrets", e.secret(13) + "(?<=x)", "--exclude-lines", e.secret(14) + "("}
		}, code: 2},
		{phase: committed, name: "bad .detect-secrets.cfg", args: func(t *testing.T, e *leakEnv) []string {
			return []string{"scan", "--detect-secrets-cfg", e.input(t, "ds.cfg", "[exclude-secrets]\npattern = "+e.secret(15)+"(?<!x)\n    "+e.secret(16)+"[\n")}
		}, code: 2},
	}
	// Patterns only the gate compiles: audit reads this baseline fine.
	badFilters := func(e *leakEnv) string {
		return `{"version": "1.5.0", "filters_used": [{"path": "detect_secrets.filters.regex.should_exclude_secret", "pattern": ["` + e.secret(7) + `(?<=x)", "` + e.secret(8) + `("]}], "results": {}}`
	}
	cs = append(cs,
		leakCase{phase: committed, name: "baseline with bad filters: scan", code: 2, args: func(t *testing.T, e *leakEnv) []string {
			return []string{"scan", "--baseline", e.input(t, "filters.json", badFilters(e))}
		}},
		leakCase{phase: committed, name: "baseline with bad filters: baseline", code: 2, args: func(t *testing.T, e *leakEnv) []string {
			return []string{"baseline", "--baseline", e.input(t, "filters.json", badFilters(e))}
		}},
	)
	for i, b := range brokenBaselines {
		name := "broken baseline " + string(rune('a'+i))
		cs = append(cs,
			leakCase{phase: committed, name: name + ": scan", code: 2, args: func(t *testing.T, e *leakEnv) []string {
				return []string{"scan", "--baseline", e.input(t, name+".json", b(e))}
			}},
			leakCase{phase: committed, name: name + ": baseline", code: 2, args: func(t *testing.T, e *leakEnv) []string {
				return []string{"baseline", "--baseline", e.input(t, name+".json", b(e))}
			}},
			leakCase{phase: committed, name: name + ": audit", code: 2, args: func(t *testing.T, e *leakEnv) []string {
				return []string{"audit", "--report", e.input(t, name+".json", b(e))}
			}},
		)
	}
	for i, c := range brokenConfigs {
		name := "broken config " + string(rune('a'+i))
		cs = append(cs,
			leakCase{phase: committed, name: name + ": lint", code: 2, args: func(t *testing.T, e *leakEnv) []string {
				return []string{"lint", e.input(t, name+"/coderclaw.json", c(e))}
			}},
			leakCase{phase: committed, name: name + ": scan", code: 2, args: func(t *testing.T, e *leakEnv) []string {
				return []string{"scan", filepath.Dir(write(t, e.ext, name+"/coderclaw.json", c(e)))}
			}},
		)
	}
	for i, g := range brokenGitleaks {
		name := "broken gitleaks config " + string(rune('a'+i))
		cs = append(cs, leakCase{phase: committed, name: name, code: 2, args: func(t *testing.T, e *leakEnv) []string {
			return []string{"scan", "--gitleaks-config", e.input(t, name+".toml", g(e))}
		}})
	}
	return cs
}

// TestNoOutputLeaks plants 21 secrets of real formats and checks every
// output — reports, files, summaries, error messages — for their bytes.
func TestNoOutputLeaks(t *testing.T) {
	e := &leakEnv{repo: testrepo.New(t), plants: plants(8), ext: t.TempDir()}
	e.out = filepath.Join(e.repo.Dir, ".hostile")
	if err := os.Mkdir(e.out, 0o755); err != nil {
		t.Fatal(err)
	}
	e.repo.Write("README.md", "# a service\n")
	e.repo.Write(".gitignore", ".hostile/\n")
	e.base = e.repo.Commit("base")
	for _, p := range e.plants {
		e.repo.Write(p.file, p.text)
	}
	e.repo.Git("add", "-A")

	cases := leakCases()
	for phase := staged; phase <= baselined; phase++ {
		if phase == committed {
			e.repo.Commit("plant")
			checkAllFound(t, e)
		}
		for _, c := range cases {
			if c.phase != phase {
				continue
			}
			t.Run(c.name, func(t *testing.T) {
				var env []string
				for _, v := range c.env {
					env = append(env, strings.ReplaceAll(v, "{out}", e.out))
				}
				argv := c.args(t, e)
				for i := range argv {
					argv[i] = strings.ReplaceAll(argv[i], "{out}", e.out)
				}
				r := clawgateWith(t, e.repo.Dir, runOpts{env: env, stdin: c.stdin}, argv...)
				texts := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
				for _, f := range c.files {
					p := strings.ReplaceAll(f, "{out}", e.out)
					if !filepath.IsAbs(p) {
						p = filepath.Join(e.repo.Dir, p)
					}
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatalf("%s: %v", f, err)
					}
					texts[filepath.Base(p)] = string(b)
				}
				for what, text := range texts {
					if found := leaks(e.plants, text); len(found) > 0 {
						t.Errorf("%s carries planted secrets: %s", what, strings.Join(found, "; "))
					}
				}
				if r.code != c.code {
					t.Errorf("exit %d, want %d (%s)", r.code, c.code, r.describe())
				}
				if c.code == 2 && !strings.Contains(r.stderr, "clawgate") {
					t.Errorf("no error message on stderr (%s)", r.describe())
				}
			})
		}
	}
}

// checkAllFound makes sure every planted secret is found, so the leak
// checks are not vacuous.
func checkAllFound(t *testing.T, e *leakEnv) {
	t.Helper()
	r := clawgate(t, e.repo.Dir, "scan", "--format", "json")
	var doc struct {
		Findings []struct{ File, Rule string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan json: %v (%s)", err, r.describe())
	}
	for _, p := range e.plants {
		found := false
		for _, f := range doc.Findings {
			found = found || f.File == p.file && f.Rule == p.rule
		}
		if !found {
			t.Errorf("planted %s in %s is not found by %s", p.name, p.file, p.rule)
		}
	}
}
