package citest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// docBlocks returns the yaml code blocks of a markdown file whose first
// line is the comment naming them, e.g. "# .github/workflows/".
func docBlocks(t *testing.T, file, firstLine string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, file))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range yamlBlock.FindAllStringSubmatch(string(data), -1) {
		if strings.HasPrefix(m[1], firstLine) {
			out = append(out, m[1])
		}
	}
	return out
}

// TestDocumentedWorkflows runs actionlint on every complete workflow the
// docs and the README show, with the action resolved to this checkout's
// action.yml so that actionlint checks the inputs they pass against it.
func TestDocumentedWorkflows(t *testing.T) {
	needTool(t, "actionlint", "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12")
	docs := docBlocks(t, "docs/github-action.md", "# .github/workflows/")
	readme := docBlocks(t, "README.md", "# .github/workflows/")
	if len(docs) != 2 || len(readme) != 1 {
		t.Fatalf("want the complete and the sharded workflow in docs/github-action.md and the complete one in README.md; found %d and %d", len(docs), len(readme))
	}
	if readme[0] != docs[0] {
		t.Fatalf("README.md's workflow differs from docs/github-action.md's:\n%s\n---\n%s", readme[0], docs[0])
	}

	dir := t.TempDir()
	run2(t, dir, "git", "init", "-q")
	action, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "action.yml"), action, 0o644)
	wf := filepath.Join(dir, ".github", "workflows")
	os.MkdirAll(wf, 0o755)
	var files []string
	for i, w := range docs {
		if !strings.Contains(w, "uses: coderclaw/clawgate@") {
			t.Fatalf("workflow %d does not use the action:\n%s", i, w)
		}
		local := regexp.MustCompile(`coderclaw/clawgate@\S+`).ReplaceAllString(w, "./")
		name := filepath.Join(wf, strings.TrimSpace(strings.TrimPrefix(strings.SplitN(w, "\n", 2)[0], "# .github/workflows/")))
		os.WriteFile(name, []byte(local), 0o644)
		files = append(files, name)
	}
	if res := run(t, dir, nil, "actionlint", append([]string{"-no-color"}, files...)...); res.code != 0 {
		t.Fatalf("actionlint: %s", res)
	}

	// The same check sees a wrong input, or the passes above prove nothing.
	bad := filepath.Join(wf, "bad.yml")
	os.WriteFile(bad, []byte("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          no-such-input: x\n"), 0o644)
	if res := run(t, dir, nil, "actionlint", "-no-color", bad); res.code == 0 || !strings.Contains(res.stdout, "no-such-input") {
		t.Fatalf("actionlint did not check the action's inputs: %s", res)
	}
}

// TestPreCommitManifestAndDocs validates .pre-commit-hooks.yaml with
// pre-commit itself, and checks that the configs the docs show are valid
// and name hooks that exist.
func TestPreCommitManifestAndDocs(t *testing.T) {
	needTool(t, "pre-commit", "apt-get install pre-commit")
	if res := run(t, repoRoot, nil, "pre-commit", "validate-manifest", ".pre-commit-hooks.yaml"); res.code != 0 {
		t.Fatalf("validate-manifest: %s", res)
	}
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		RequireSerial bool   `yaml:"require_serial"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h.ID] = true
		if h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames || !h.RequireSerial {
			t.Errorf("hook %s: want language golang, pass_filenames false, require_serial true", h.ID)
		}
	}
	if !ids["clawgate"] || !ids["clawgate-config"] {
		t.Fatalf("hooks = %v, want clawgate and clawgate-config", ids)
	}

	blocks := append(docBlocks(t, "docs/pre-commit.md", "# .pre-commit-config.yaml"), docBlocks(t, "README.md", "# .pre-commit-config.yaml")...)
	if len(blocks) != 2 {
		t.Fatalf("want a .pre-commit-config.yaml in docs/pre-commit.md and README.md, found %d", len(blocks))
	}
	for _, b := range blocks {
		f := filepath.Join(t.TempDir(), ".pre-commit-config.yaml")
		os.WriteFile(f, []byte(b), 0o644)
		if res := run(t, repoRoot, nil, "pre-commit", "validate-config", f); res.code != 0 {
			t.Fatalf("validate-config:\n%s\n%s", b, res)
		}
		var cfg struct {
			Repos []struct {
				Repo  string
				Hooks []struct{ ID string }
			}
		}
		yaml.Unmarshal([]byte(b), &cfg)
		for _, r := range cfg.Repos {
			if r.Repo != "https://github.com/coderclaw/clawgate" {
				t.Errorf("documented repo %q", r.Repo)
			}
			for _, h := range r.Hooks {
				if !ids[h.ID] {
					t.Errorf("documented hook %q does not exist", h.ID)
				}
			}
		}
	}
}

// TestShellcheck: the scripts and action.yml's run steps are
// shellcheck-clean, warnings included.
func TestShellcheck(t *testing.T) {
	needTool(t, "shellcheck", "apt-get install shellcheck")
	scripts, _ := filepath.Glob(filepath.Join(repoRoot, "scripts", "*"))
	if len(scripts) == 0 {
		t.Fatal("no scripts found")
	}
	for _, st := range loadAction(t, repoRoot).Runs.Steps {
		if st.Run == "" {
			continue
		}
		f := filepath.Join(t.TempDir(), "step.sh")
		os.WriteFile(f, []byte(st.Run), 0o644)
		scripts = append(scripts, f)
	}
	if res := run(t, repoRoot, nil, "shellcheck", append([]string{"--shell=bash", "--color=never"}, scripts...)...); res.code != 0 {
		t.Fatalf("shellcheck: %s", res)
	}
}
