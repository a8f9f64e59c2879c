package sarif

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadFindings reads the shared test findings: gitleaks and detect-secrets
// secrets, CoderClaw config findings of every severity, new and known.
func loadFindings(t *testing.T) []scan.Finding {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fs []scan.Finding
	if err := json.Unmarshal(data, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

// testRules is what the CLI would build from the gitleaks config and the
// check registry. "Secret Keyword" is left out on purpose: Write must fall
// back to generic metadata for it.
func testRules() map[string]Rule {
	return map[string]Rule{
		"github-pat":       SecretRule("github-pat", "Uncovered a GitHub Personal Access Token, potentially leading to unauthorized repository access and sensitive content exposure."),
		"aws-access-token": SecretRule("aws-access-token", "Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms."),
		"gateway.bind_no_auth": ConfigRule("gateway.bind_no_auth", "Gateway binds beyond loopback without auth",
			"The gateway listens on a non-loopback address and has no shared secret, so anyone who can reach the port can drive the agent.",
			"Set gateway.auth.token (recommended) or bind the gateway to loopback.", scan.SeverityCritical),
		"logging.redact_off": ConfigRule("logging.redact_off", "Log redaction is off",
			"With logging.redactSensitive set to \"off\", tool output including tokens and passwords is written to the logs verbatim.",
			"Set logging.redactSensitive to \"tools\".", scan.SeverityWarn),
		"gateway.tailscale_serve": ConfigRule("gateway.tailscale_serve", "Gateway is served on the tailnet",
			"Tailscale Serve makes the gateway reachable from every device on your tailnet.", "", scan.SeverityInfo),
		"gateway.trusted_proxies_missing": ConfigRule("gateway.trusted_proxies_missing", "Trusted proxies not set",
			"The Control UI is enabled but gateway.trustedProxies is empty.", "Set gateway.trustedProxies.", scan.SeverityWarn),
	}
}

var testOptions = Options{ToolVersion: "v1.2.3"}

func render(t *testing.T, fs []scan.Finding, rules map[string]Rule, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, fs, rules, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestWriteGolden(t *testing.T) {
	fs := loadFindings(t)
	golden(t, "findings.sarif", render(t, fs, testRules(), testOptions))
	golden(t, "findings-include-known.sarif", render(t, fs, testRules(), Options{ToolVersion: "v1.2.3", IncludeKnown: true, Category: "clawgate-pr"}))
}

// sarifLog is the part of the output the tests look at.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					Default          struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				Physical struct {
					Artifact struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region map[string]any `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			BaselineState       string            `json:"baselineState"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Status        string `json:"status"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Invocations []struct {
			Notifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

func parse(t *testing.T, out string) sarifLog {
	t.Helper()
	var l sarifLog
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("want exactly one run, got %d", len(l.Runs))
	}
	return l
}

func TestWriteOneResultPerNewFinding(t *testing.T) {
	fs := loadFindings(t)
	out := render(t, fs, testRules(), testOptions)
	run := parse(t, out).Runs[0]

	var want []string
	for _, f := range fs {
		if f.Status == scan.StatusNew {
			want = append(want, fmt.Sprintf("%s:%d %s", URI(f.File), f.Line, f.Rule))
		}
	}
	sort.Strings(want)
	var got []string
	for _, r := range run.Results {
		if len(r.Locations) != 1 {
			t.Errorf("%s: want exactly one location, got %d", r.RuleID, len(r.Locations))
			continue
		}
		loc := r.Locations[0].Physical
		got = append(got, fmt.Sprintf("%s:%v %s", loc.Artifact.URI, loc.Region["startLine"], r.RuleID))
		if loc.Artifact.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: uriBaseId = %q", r.RuleID, loc.Artifact.URIBaseID)
		}
		if _, ok := loc.Region["snippet"]; ok {
			t.Errorf("%s: region has a snippet; it must never carry source text", r.RuleID)
		}
		if len(r.Suppressions) != 0 || r.BaselineState != "" {
			t.Errorf("%s: suppressions/baselineState without IncludeKnown", r.RuleID)
		}
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("ruleIndex %d of %s points at %s", r.RuleIndex, r.RuleID, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		if r.PartialFingerprints[FingerprintKey] == "" {
			t.Errorf("%s: no %s partial fingerprint", r.RuleID, FingerprintKey)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant one per new finding:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Only rules that produced a result: the known-only check is absent.
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	wantIDs := "Secret Keyword,aws-access-token,gateway.bind_no_auth,gateway.tailscale_serve,github-pat,logging.redact_off"
	if strings.Join(ids, ",") != wantIDs {
		t.Errorf("rules = %v, want %s", ids, wantIDs)
	}
}

func TestWriteCarriesNoSecretMaterial(t *testing.T) {
	fs := loadFindings(t)
	for _, opts := range []Options{testOptions, {IncludeKnown: true}} {
		out := render(t, fs, testRules(), opts)
		for _, f := range fs {
			// Not even the masked prefix: the Security tab has a wider
			// audience than the CI log.
			if f.Masked != "" && strings.Contains(out, strings.TrimRight(f.Masked, "*")+"*") {
				t.Errorf("output contains the masked value %q", f.Masked)
			}
			if f.HashedSecret != "" && strings.Contains(out, f.HashedSecret) {
				t.Errorf("output contains the secret's hash of %s", f.File)
			}
		}
		if strings.Contains(out, `"snippet"`) {
			t.Error("output has a snippet")
		}
	}
}

func TestWriteIncludeKnown(t *testing.T) {
	fs := loadFindings(t)
	run := parse(t, render(t, fs, testRules(), Options{IncludeKnown: true})).Runs[0]
	if len(run.Results) != len(fs) {
		t.Fatalf("IncludeKnown: %d results for %d findings", len(run.Results), len(fs))
	}
	kinds := map[string]string{}
	for _, r := range run.Results {
		uri := r.Locations[0].Physical.Artifact.URI
		switch {
		case len(r.Suppressions) == 0:
			if r.BaselineState != "new" {
				t.Errorf("%s: unsuppressed result has baselineState %q, want new", uri, r.BaselineState)
			}
		default:
			if r.BaselineState != "unchanged" {
				t.Errorf("%s: suppressed result has baselineState %q, want unchanged", uri, r.BaselineState)
			}
			s := r.Suppressions[0]
			if s.Status != "accepted" || s.Justification == "" {
				t.Errorf("%s: suppression %+v", uri, s)
			}
			kinds[uri] = s.Kind
		}
	}
	want := map[string]string{
		"tests/fixtures/tokens.txt": "external", // baseline
		"docs/example.md":           "inSource", // inline pragma
		"coderclaw.json":            "external",
	}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("suppression kinds = %v, want %v", kinds, want)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	fs := loadFindings(t)
	first := render(t, fs, testRules(), testOptions)
	rev := make([]scan.Finding, len(fs))
	for i, f := range fs {
		rev[len(fs)-1-i] = f
	}
	if render(t, rev, testRules(), testOptions) != first {
		t.Error("the same findings in another order give different bytes")
	}
}

func TestFingerprintSurvivesMovedLines(t *testing.T) {
	fs := loadFindings(t)
	moved := make([]scan.Finding, len(fs))
	for i, f := range fs {
		f.Line += 10
		f.EndLine += 10
		moved[i] = f
	}
	prints := func(fs []scan.Finding) []string {
		var p []string
		for _, r := range parse(t, render(t, fs, testRules(), testOptions)).Runs[0].Results {
			p = append(p, r.PartialFingerprints[FingerprintKey])
		}
		return p
	}
	if a, b := prints(fs), prints(moved); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("fingerprints changed when lines moved:\n%v\n%v", a, b)
	}
}

func TestWriteRunMetadata(t *testing.T) {
	tests := []struct {
		opts                           Options
		version, semver, category, uri string
	}{
		{Options{}, "0.0.0-dev", "", "clawgate/", InformationURI},
		{Options{ToolVersion: "v1.2.3"}, "1.2.3", "1.2.3", "clawgate/", InformationURI},
		{Options{ToolVersion: "1.4.0-rc.1+abc"}, "1.4.0-rc.1+abc", "1.4.0-rc.1+abc", "clawgate/", InformationURI},
		{Options{ToolVersion: "(devel)", SemanticVersion: "v2.0.0"}, "0.0.0-devel", "2.0.0", "clawgate/", InformationURI},
		{Options{Category: "secrets", InformationURI: "https://example.com/x"}, "0.0.0-dev", "", "secrets/", "https://example.com/x"},
		{Options{Category: "clawgate/pr"}, "0.0.0-dev", "", "clawgate/pr/", InformationURI},
		{Options{Category: "mine/"}, "0.0.0-dev", "", "mine/", InformationURI},
	}
	for _, tt := range tests {
		l := parse(t, render(t, nil, nil, tt.opts))
		d := l.Runs[0].Tool.Driver
		if l.Version != "2.1.0" || l.Schema == "" {
			t.Errorf("version %q, $schema %q", l.Version, l.Schema)
		}
		if d.Name != "clawgate" || d.Version != tt.version || d.SemanticVersion != tt.semver || d.InformationURI != tt.uri {
			t.Errorf("%+v: driver %s %q %q %q", tt.opts, d.Name, d.Version, d.SemanticVersion, d.InformationURI)
		}
		if got := l.Runs[0].AutomationDetails.ID; got != tt.category {
			t.Errorf("%+v: automationDetails.id = %q, want %q", tt.opts, got, tt.category)
		}
	}
	// An empty run still has the arrays GitHub requires.
	out := render(t, nil, nil, Options{})
	if !strings.Contains(out, `"rules": []`) || !strings.Contains(out, `"results": []`) {
		t.Errorf("empty run lacks rules/results arrays:\n%s", out)
	}
}

func TestWriteTruncatesAtGitHubLimit(t *testing.T) {
	fs := make([]scan.Finding, 0, MaxResults+1)
	for i := 0; i < MaxResults; i++ {
		fs = append(fs, scan.Finding{Kind: scan.KindConfig, Rule: "gateway.tailscale_serve", File: fmt.Sprintf("a/%05d.json", i),
			Line: 1, Status: scan.StatusNew, Severity: scan.SeverityInfo, Message: "Served on the tailnet"})
	}
	// Last in file order, first in importance: it must survive the cut.
	fs = append(fs, scan.Finding{Kind: scan.KindSecret, Rule: "github-pat", File: "zz/app.env", Line: 3,
		Status: scan.StatusNew, Severity: scan.SeverityCritical, HashedSecret: "0123"})
	run := parse(t, render(t, fs, nil, Options{})).Runs[0]
	if len(run.Results) != MaxResults {
		t.Fatalf("%d results, want %d", len(run.Results), MaxResults)
	}
	last := run.Results[len(run.Results)-1]
	if last.RuleID != "github-pat" {
		t.Errorf("the secret was cut; last result is %s", last.RuleID)
	}
	if run.Properties["clawgate/resultsTruncated"] != true || run.Properties["clawgate/resultsTotal"] != float64(MaxResults+1) {
		t.Errorf("run properties = %v", run.Properties)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].Notifications) != 1 ||
		!strings.Contains(run.Invocations[0].Notifications[0].Message.Text, "Only 25000 of 25001 results") {
		t.Errorf("no truncation notification: %+v", run.Invocations)
	}

	// At the limit nothing is said.
	run = parse(t, render(t, fs[:MaxResults], nil, Options{})).Runs[0]
	if run.Properties != nil || run.Invocations != nil {
		t.Errorf("untruncated run has %v %v", run.Properties, run.Invocations)
	}
}

func TestRegion(t *testing.T) {
	tests := []struct {
		line, col, endLine, endCol int
		want                       [4]int
	}{
		{3, 14, 3, 54, [4]int{3, 14, 3, 54}},
		{3, 14, 0, 0, [4]int{3, 14, 3, 15}}, // only a start: one character
		{0, 0, 0, 0, [4]int{1, 1, 1, 2}},    // no position: the first character
		{5, 10, 7, 2, [4]int{5, 10, 7, 2}},  // multi-line keeps its end column
		{5, 10, 5, 4, [4]int{5, 10, 5, 11}}, // end before start on one line
		{5, 10, 2, 0, [4]int{5, 10, 5, 11}}, // end line before start line
	}
	for _, tt := range tests {
		f := scan.Finding{Line: tt.line, Column: tt.col, EndLine: tt.endLine, EndColumn: tt.endCol}
		a, b, c, d := Region(&f)
		if got := [4]int{a, b, c, d}; got != tt.want {
			t.Errorf("Region(%d:%d-%d:%d) = %v, want %v", tt.line, tt.col, tt.endLine, tt.endCol, got, tt.want)
		}
	}
}

func TestURI(t *testing.T) {
	tests := map[string]string{
		"src/main.go":            "src/main.go",
		"./src/main.go":          "src/main.go",
		"notes/team plan #1.md":  "notes/team%20plan%20%231.md",
		"a:b/c.txt":              "a%3Ab/c.txt",
		"dir/100%.txt":           "dir/100%25.txt",
		"docs/résumé.md":         "docs/r%C3%A9sum%C3%A9.md",
		"q/what?.env":            "q/what%3F.env",
		"line\nbreak/secret.txt": "line%0Abreak/secret.txt",
	}
	for in, want := range tests {
		if got := URI(in); got != want {
			t.Errorf("URI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPascalCase(t *testing.T) {
	tests := map[string]string{
		"github-pat":               "GithubPat",
		"aws-access-token":         "AwsAccessToken",
		"Secret Keyword":           "SecretKeyword",
		"gateway.bind_no_auth":     "GatewayBindNoAuth",
		"channels.discord.dm.open": "ChannelsDiscordDmOpen",
		"1password-secret":         "R1passwordSecret",
		"":                         "Rule",
		strings.Repeat("ab-", 200): strings.Repeat("Ab", 127) + "A",
	}
	for in, want := range tests {
		if got := PascalCase(in); got != want {
			t.Errorf("PascalCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnchor(t *testing.T) {
	tests := map[string]string{
		"github-pat":           "github-pat",
		"Secret Keyword":       "secret-keyword",
		"gateway.bind_no_auth": "gatewaybind_no_auth",
	}
	for in, want := range tests {
		if got := Anchor(in); got != want {
			t.Errorf("Anchor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRuleMetadata(t *testing.T) {
	rules := testRules()
	rules["long"] = Rule{Name: strings.Repeat("N", 300), FullDescription: strings.Repeat("word ", 400),
		Tags: strings.Split(strings.Repeat("t,", 30)+"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v", ",")}
	fs := loadFindings(t)
	fs = append(fs, scan.Finding{Kind: scan.KindConfig, Rule: "long", File: "coderclaw.json", Line: 1, Status: scan.StatusNew, Severity: scan.SeverityWarn})
	run := parse(t, render(t, fs, rules, testOptions)).Runs[0]

	type want struct {
		level, severity, cwe string
	}
	wants := map[string]want{
		"github-pat":              {"error", "9.3", "external/cwe/cwe-798"},
		"aws-access-token":        {"error", "9.3", "external/cwe/cwe-798"},
		"Secret Keyword":          {"error", "7.5", "external/cwe/cwe-798"}, // no metadata given: fallback
		"gateway.bind_no_auth":    {"error", "9.3", "external/cwe/cwe-306"},
		"logging.redact_off":      {"warning", "6.5", "external/cwe/cwe-532"},
		"gateway.tailscale_serve": {"note", "2.5", ""},
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Name == "" || len([]rune(r.Name)) > 255 {
			t.Errorf("%s: name %q", r.ID, r.Name)
		}
		for field, text := range map[string]string{"shortDescription": r.ShortDescription.Text, "fullDescription": r.FullDescription.Text, "help.text": r.Help.Text} {
			if text == "" || len([]rune(text)) > 1024 && field != "help.text" {
				t.Errorf("%s: %s has %d characters", r.ID, field, len([]rune(text)))
			}
		}
		tags, _ := r.Properties["tags"].([]any)
		if len(tags) > 20 || len(tags) == 0 || tags[0] != "security" {
			t.Errorf("%s: tags %v", r.ID, tags)
		}
		w, ok := wants[r.ID]
		if !ok {
			continue
		}
		if r.Default.Level != w.level {
			t.Errorf("%s: default level %q, want %q", r.ID, r.Default.Level, w.level)
		}
		// GitHub reads security-severity only as a string.
		if sev, ok := r.Properties["security-severity"].(string); !ok || sev != w.severity {
			t.Errorf("%s: security-severity %#v, want the string %q", r.ID, r.Properties["security-severity"], w.severity)
		}
		if w.cwe != "" && !strings.Contains(fmt.Sprint(tags), w.cwe) {
			t.Errorf("%s: tags %v lack %s", r.ID, tags, w.cwe)
		}
		if strings.HasPrefix(r.ID, "gateway") || strings.HasPrefix(r.ID, "logging") {
			if !strings.Contains(r.HelpURI, "docs/checks.md#") || !strings.Contains(r.Help.Markdown, "clawgate:ignore "+r.ID) {
				t.Errorf("%s: helpUri %q / markdown lacks the accept path", r.ID, r.HelpURI)
			}
		} else {
			for _, fix := range []string{"Rotate", "clawgate baseline", "clawgate audit", "pragma: allowlist secret", "gitleaks:allow"} {
				if !strings.Contains(r.Help.Markdown, fix) {
					t.Errorf("%s: help markdown lacks %q", r.ID, fix)
				}
			}
		}
	}
	// Levels of results follow severity; secrets are always errors.
	for _, r := range run.Results {
		if w, ok := wants[r.RuleID]; ok && r.Level != w.level {
			t.Errorf("result of %s has level %q, want %q", r.RuleID, r.Level, w.level)
		}
	}
}
