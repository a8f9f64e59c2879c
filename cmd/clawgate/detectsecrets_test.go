package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// detectSecretsRepo is a repository using detect-secrets 1.5 with all
// plugins and a baseline its CI accepts: the files and the expected
// results of scan/detectsecrets/testdata/e2e, whose detect-secrets output
// is worked out there file by file.
func detectSecretsRepo(t *testing.T) (*testrepo.Repo, []string) {
	t.Helper()
	r := testrepo.New(t)
	src := "../../scan/detectsecrets/testdata/e2e"
	err := filepath.Walk(filepath.Join(src, "tree"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(src, "tree"), p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Write(filepath.ToSlash(rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var expected struct {
		Results map[string][]map[string]any `json:"results"`
	}
	data, _ := os.ReadFile(filepath.Join(src, "expected.json"))
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatal(err)
	}
	var plugins []map[string]any
	for _, n := range []string{"ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector", "Base64HighEntropyString",
		"BasicAuthDetector", "CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
		"HexHighEntropyString", "IbmCloudIamDetector", "IbmCosHmacDetector", "IPPublicDetector", "JwtTokenDetector",
		"KeywordDetector", "MailchimpDetector", "NpmDetector", "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector",
		"SendGridDetector", "SlackDetector", "SoftlayerDetector", "SquareOAuthDetector", "StripeDetector",
		"TelegramBotTokenDetector", "TwilioKeyDetector"} {
		p := map[string]any{"name": n}
		switch n {
		case "Base64HighEntropyString":
			p["limit"] = 4.5
		case "HexHighEntropyString":
			p["limit"] = 3.0
		case "KeywordDetector":
			p["keyword_exclude"] = ""
		}
		plugins = append(plugins, p)
	}
	filters := []map[string]any{
		{"path": "detect_secrets.filters.allowlist.is_line_allowlisted"},
		{"path": "detect_secrets.filters.common.is_baseline_file", "filename": ".secrets.baseline"},
		{"path": "detect_secrets.filters.common.is_ignored_due_to_verification_policies", "min_level": 2},
	}
	for _, h := range []string{"is_indirect_reference", "is_likely_id_string", "is_lock_file", "is_not_alphanumeric_string",
		"is_potential_uuid", "is_prefixed_with_dollar_sign", "is_sequential_string", "is_swagger_file", "is_templated_secret"} {
		filters = append(filters, map[string]any{"path": "detect_secrets.filters.heuristic." + h})
	}
	var entries []string
	for file, es := range expected.Results {
		for i, e := range es {
			if i == 0 {
				e["is_secret"] = false // a label the team set
			}
			entries = append(entries, file+" "+e["hashed_secret"].(string)+" "+e["type"].(string))
		}
	}
	sort.Strings(entries)
	b, _ := json.MarshalIndent(map[string]any{
		"version": "1.5.0", "plugins_used": plugins, "filters_used": filters,
		"results": expected.Results, "generated_at": "2024-06-01T00:00:00Z",
	}, "", "  ")
	r.Write(".secrets.baseline", string(b)+"\n")
	r.Commit("detect-secrets repository")
	return r, entries
}

// TestDetectSecretsDropIn is issue 10's "done when": with a detect-secrets
// baseline its CI accepts, no detect-secrets finding is new, the gitleaks
// rules' extra findings are new in their own group, and clawgate baseline
// keeps every entry and label.
func TestDetectSecretsDropIn(t *testing.T) {
	r, entries := detectSecretsRepo(t)
	res := clawgate(t, r.Dir, "scan", "--format", "json")
	var doc struct {
		Findings []struct{ Engine, Status, File, Rule string }
	}
	json.Unmarshal([]byte(res.stdout), &doc)
	newDS, newGL := 0, 0
	for _, f := range doc.Findings {
		if f.Status != "new" {
			continue
		}
		switch f.Engine {
		case "detect-secrets", "gitleaks+detect-secrets":
			newDS++
			t.Errorf("detect-secrets finding reported new: %s %s", f.File, f.Rule)
		case "gitleaks":
			newGL++
		}
	}
	if newGL == 0 || res.code != 1 {
		t.Fatalf("expected the gitleaks-only findings as new: %s", res)
	}
	text := clawgate(t, r.Dir, "scan")
	if !strings.Contains(text.stdout, "== gitleaks rules only") {
		t.Fatalf("gitleaks-only findings not in their own group:\n%s", text.stdout)
	}

	adopt := clawgate(t, r.Dir, "baseline", "--adopt")
	labelled := len(collectFiles(entries))
	if adopt.code != 0 || !strings.Contains(adopt.stdout, "carried over:    "+strconv.Itoa(len(entries))+" entries, "+strconv.Itoa(labelled)+" with their labels") ||
		!strings.Contains(adopt.stdout, "gitleaks rules only: "+strconv.Itoa(newGL)) {
		t.Fatalf("adopt: %s", adopt)
	}
	var after struct {
		PluginsUsed []map[string]any            `json:"plugins_used"`
		Results     map[string][]map[string]any `json:"results"`
	}
	data, _ := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	json.Unmarshal(data, &after)
	have := map[string]bool{}
	labels := 0
	for file, es := range after.Results {
		for _, e := range es {
			have[file+" "+e["hashed_secret"].(string)+" "+e["type"].(string)] = true
			if e["is_secret"] == false {
				labels++
			}
		}
	}
	for _, e := range entries {
		if !have[e] {
			t.Errorf("entry lost: %s", e)
		}
	}
	if labels != len(collectFiles(entries)) || len(after.PluginsUsed) != 27 {
		t.Fatalf("labels %d, plugins %d", labels, len(after.PluginsUsed))
	}
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("scan after adopting: %s", res)
	}
}

func collectFiles(entries []string) map[string]bool {
	files := map[string]bool{}
	for _, e := range entries {
		files[strings.SplitN(e, " ", 2)[0]] = true
	}
	return files
}

// TestDetectSecretsCfg: .detect-secrets.cfg at the root is read natively.
func TestDetectSecretsCfg(t *testing.T) {
	r := testrepo.New(t)
	r.Write("fixtures/keys.py", "k = \""+testrepo.GitHubToken(60)+"\"\n")
	r.Write("app.py", "k = \""+testrepo.AWSKey(60)+"\"  # example-only\n")
	if res := clawgate(t, r.Dir, "scan"); res.code != 1 {
		t.Fatalf("without cfg: %s", res)
	}
	r.Write(".detect-secrets.cfg", "[exclude-files]\npattern = ^fixtures/\n[exclude-lines]\npattern = example-only\n")
	if res := clawgate(t, r.Dir, "scan"); res.code != 0 {
		t.Fatalf("with cfg: %s", res)
	}
	r.Write(".detect-secrets.cfg", "[exclude-files]\npatern = ^fixtures/\n")
	if res := clawgate(t, r.Dir, "scan"); res.code != 2 || !strings.Contains(res.stderr, ".detect-secrets.cfg:2") {
		t.Fatalf("bad cfg: %s", res)
	}
}
