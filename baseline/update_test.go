package baseline

import (
	"fmt"
	"github.com/coderclaw/clawgate/scan/secrets"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coderclaw/clawgate/scan"
)

var now = time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))

func gl(file, rule, hash string, line int) scan.Finding {
	return scan.Finding{Kind: scan.KindSecret, Engine: "gitleaks", Rule: rule, Type: secrets.TypeForRule(rule), File: file, Line: line, HashedSecret: hash}
}

func cfg(file, check, setting string, line int, sev scan.Severity) scan.Finding {
	return scan.Finding{Kind: scan.KindConfig, Rule: check, Setting: setting, File: file, Line: line, Severity: sev}
}

func entryFor(t *testing.T, f *File, file, hash, typ string) Entry {
	t.Helper()
	for _, e := range f.Results {
		if e.Filename == file && e.HashedSecret == hash && e.Type == typ {
			return e
		}
	}
	t.Fatalf("no entry %s %s %s in %+v", file, hash, typ, f.Results)
	return Entry{}
}

func TestUpdateNewFile(t *testing.T) {
	p, _ := NewPlugin([]byte(`{"name": "gitleaks", "version": "8.30.1"}`))
	nf, rep := Update(nil, []scan.Finding{
		gl("b.py", "aws-access-token", "h1", 9),
		gl("a.py", "generic-api-key", "h2", 3),
		gl("a.py", "generic-api-key", "h2", 1), // same secret again: one entry, lowest line
		cfg("coderclaw.json", "auth.none", "auth.mode", 2, scan.SeverityInfo),
	}, now, UpdateOptions{Plugins: []Plugin{p}})
	if nf.Version != CurrentVersion || nf.GeneratedAt != "2025-03-04T04:06:07Z" {
		t.Errorf("Version=%q GeneratedAt=%q", nf.Version, nf.GeneratedAt)
	}
	if len(nf.Plugins) != 1 || nf.Plugins[0].Name() != "gitleaks" || len(nf.Filters) != 0 {
		t.Errorf("plugins/filters not taken from options: %v %v", nf.Plugins, nf.Filters)
	}
	if len(nf.Results) != 2 || nf.Results[0].Filename != "a.py" || nf.Results[0].LineNumber != 1 || nf.Results[0].Type != "Secret Keyword" {
		t.Errorf("results = %+v", nf.Results)
	}
	for _, e := range nf.Results {
		if e.IsSecret != nil || e.IsVerified {
			t.Errorf("new entry has a label: %+v", e)
		}
	}
	if len(nf.Config) != 1 || nf.Config[0].Setting != "auth.mode" {
		t.Errorf("config = %+v", nf.Config)
	}
	if rep.Added != 2 || rep.Kept != 0 || rep.Dropped != 0 || rep.ConfigAdded != 1 {
		t.Errorf("report = %+v", rep)
	}
	// With no options: empty plugins_used and filters_used.
	nf, _ = Update(nil, nil, now)
	out := string(nf.Marshal(WriteOptions{}))
	if !strings.Contains(out, `"plugins_used": [],`) || !strings.Contains(out, `"filters_used": [],`) || !strings.Contains(out, `"results": {},`) {
		t.Errorf("empty new file:\n%s", out)
	}
}

const updateOld = `{
  "version": "1.4.0",
  "plugins_used": [{"name": "AWSKeyDetector"}],
  "filters_used": [{"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": ["^vendor/"]}],
  "results": {
    "a.py": [
      {"type": "AWS Access Key", "filename": "a.py", "hashed_secret": "aaaa", "is_verified": true, "line_number": 5, "is_secret": true, "verified_result": true},
      {"type": "Secret Keyword", "filename": "a.py", "hashed_secret": "bbbb", "is_verified": false, "line_number": 8, "is_secret": false},
      {"type": "Hex High Entropy String", "filename": "a.py", "hashed_secret": "cccc", "is_verified": false, "line_number": 12, "is_secret": false},
      {"type": "Base64 High Entropy String", "filename": "a.py", "hashed_secret": "dddd", "is_verified": false, "line_number": 20}
    ],
    "gone.py": [
      {"type": "Secret Keyword", "filename": "gone.py", "hashed_secret": "eeee", "is_verified": false, "line_number": 1, "is_secret": false}
    ],
    "k.py": [
      {"type": "Secret Keyword", "filename": "k.py", "hashed_secret": "ffff", "is_verified": false, "line_number": 4, "is_secret": false}
    ]
  },
  "clawgate_config_findings": [
    {"filename": "coderclaw.json", "check_id": "gateway.bind-public", "setting": "gateway.bind", "line_number": 3, "reason": "lab only"},
    {"filename": "coderclaw.json", "check_id": "old.check", "setting": "x"}
  ],
  "unknown_top": {"keep": true},
  "generated_at": "2020-01-01T00:00:00Z"
}
`

// gitleaksIgnored marks f as a .gitleaksignore fingerprint accepts it.
func gitleaksIgnored(f scan.Finding) scan.Finding {
	f.Status, f.KnownBy = scan.StatusKnown, scan.KnownByGitleaksIgnore
	return f
}

func TestUpdate(t *testing.T) {
	old := mustParse(t, updateOld)
	before := string(old.Marshal(WriteOptions{}))
	findings := []scan.Finding{
		gl("a.py", "aws-access-token", "aaaa", 50),    // kept, moved
		gl("a.py", "aws-access-token", "aaaa", 40),    // same secret again, lower line
		gl("a.py", "generic-api-key", "bbbb", 8),      // kept
		gl("a.py", "generic-api-key", "9999", 12),     // new, on the line of the Hex entry: migrated
		gl("a.py", "stripe-access-token", "8888", 12), // new, same line, but the label goes once
		gl("a.py", "github-pat", "7777", 20),          // new, on the line of an unlabelled entry: nothing to migrate
		gl("./k.py", "slack-bot-token", "FFFF", 30),   // same secret, another type and line: migrated by hash
		cfg("coderclaw.json", "gateway.bind-public", "gateway.bind", 7, scan.SeverityCritical),
		cfg("coderclaw.json", "gateway.bind-public", "gateway.bind", 9, scan.SeverityCritical), // twice: once
		cfg("coderclaw.json", "new.check", "y", 1, scan.SeverityInfo),
		{Kind: scan.KindSecret, Type: "T", File: "inline.py", HashedSecret: "1234", Status: scan.StatusKnown, KnownBy: "inline"},
		{Kind: scan.KindSecret, Type: "T", File: "nohash.py"},
		{Kind: "other", File: "x"},
		gitleaksIgnored(gl("skip.py", "jwt", "5555", 1)),
	}
	nf, rep := Update(old, findings, now, UpdateOptions{})

	if got := string(old.Marshal(WriteOptions{})); got != before {
		t.Error("Update modified the old file")
	}

	kept := entryFor(t, nf, "a.py", "aaaa", "AWS Access Key")
	if kept.LineNumber != 40 || kept.IsSecret == nil || !*kept.IsSecret || !kept.IsVerified || len(kept.Extra) != 1 || kept.Extra[0].Key != "verified_result" {
		t.Errorf("kept entry = %+v", kept)
	}
	if e := entryFor(t, nf, "a.py", "bbbb", "Secret Keyword"); e.IsSecret == nil || *e.IsSecret {
		t.Errorf("false-positive label lost: %+v", e)
	}
	mig := entryFor(t, nf, "a.py", "9999", "Secret Keyword")
	other := entryFor(t, nf, "a.py", "8888", "Stripe Access Key")
	if (mig.IsSecret == nil) == (other.IsSecret == nil) {
		t.Errorf("the label of one old entry must go to exactly one finding on its line: %+v / %+v", mig, other)
	}
	if e := entryFor(t, nf, "a.py", "7777", "GitHub Token"); e.IsSecret != nil {
		t.Errorf("an unlabelled old entry gave a label: %+v", e)
	}
	byHash := entryFor(t, nf, "k.py", "FFFF", "Slack Token")
	if byHash.IsSecret == nil || *byHash.IsSecret || byHash.LineNumber != 30 {
		t.Errorf("same-hash migration: %+v", byHash)
	}
	for _, e := range nf.Results {
		if e.Filename == "gone.py" || e.Filename == "inline.py" || e.Filename == "nohash.py" || e.Filename == "skip.py" || e.Filename == "./k.py" {
			t.Errorf("unexpected entry %+v", e)
		}
	}
	if len(nf.Results) != 6 {
		t.Errorf("%d entries, want 6: %+v", len(nf.Results), nf.Results)
	}

	if len(nf.Config) != 2 || nf.Config[0].CheckID != "gateway.bind-public" || nf.Config[0].LineNumber != 7 ||
		len(nf.Config[0].Extra) != 1 || nf.Config[1].CheckID != "new.check" {
		t.Errorf("config = %+v", nf.Config)
	}

	want := UpdateReport{Added: 4, Kept: 2, LabelsKept: 2, Migrated: 2, Dropped: 2, ConfigAdded: 1, ConfigKept: 1, ConfigDropped: 1, Ignored: 4}
	got := rep
	got.Migrations = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report\n got  %+v\n want %+v", got, want)
	}
	if len(rep.Migrations) != 2 || !rep.Migrations[0].SameHash || rep.Migrations[0].Filename != "k.py" || rep.Migrations[1].FromType != "Hex High Entropy String" || rep.Migrations[1].FromLine != 12 {
		t.Errorf("migrations = %+v", rep.Migrations)
	}

	if nf.Version != CurrentVersion || nf.GeneratedAt != "2025-03-04T04:06:07Z" {
		t.Errorf("Version=%q GeneratedAt=%q", nf.Version, nf.GeneratedAt)
	}
	if len(nf.Plugins) != 1 || len(nf.Filters) != 1 || len(nf.Extra) != 1 || nf.Extra[0].Key != "unknown_top" {
		t.Errorf("settings or unknown keys not carried: %v %v %v", nf.Plugins, nf.Filters, nf.Extra)
	}

	// What was written is what the gate then knows.
	back := mustParse(t, string(nf.Marshal(WriteOptions{})))
	back.Classify(findings)
	for _, fd := range findings {
		recordable := (fd.Kind == scan.KindSecret && fd.HashedSecret != "" || fd.Kind == scan.KindConfig) && fd.KnownBy != "inline" && fd.File != "skip.py"
		if recordable && fd.Status != scan.StatusKnown {
			t.Errorf("recorded finding not known after a round trip: %+v", fd)
		}
	}
}

// TestUpdateMigrationPrefersPlausibleRule: with two new findings on the old
// entry's line, the one whose rule fits the old detect-secrets type gets
// the label, whatever the order.
func TestUpdateMigrationPrefersPlausibleRule(t *testing.T) {
	old := mustParse(t, `{"version": "1.5.0", "results": {"a.py": [{"type": "AWS Access Key", "hashed_secret": "old", "line_number": 3, "is_secret": false}]}}`)
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		cands := []scan.Finding{gl("a.py", "generic-api-key", "0000", 3), gl("a.py", "aws-access-token", "ffff", 3)}
		fs := []scan.Finding{cands[order[0]], cands[order[1]]}
		nf, rep := Update(old, fs, now)
		if e := entryFor(t, nf, "a.py", "ffff", "AWS Access Key"); e.IsSecret == nil || *e.IsSecret {
			t.Errorf("order %v: plausible finding did not get the label: %+v", order, e)
		}
		if e := entryFor(t, nf, "a.py", "0000", "Secret Keyword"); e.IsSecret != nil {
			t.Errorf("order %v: label given twice", order)
		}
		if rep.Migrated != 1 || rep.Dropped != 0 {
			t.Errorf("report %+v", rep)
		}
	}
}

// TestUpdateLineNeverDecidesIdentity: an old entry without a line number
// (slim file) is still kept when found, and is not migrated by line.
func TestUpdateSlimBaseline(t *testing.T) {
	old := mustParse(t, `{"version": "1.5.0", "results": {"a.py": [
		{"type": "Secret Keyword", "hashed_secret": "aaaa", "is_secret": false},
		{"type": "Secret Keyword", "hashed_secret": "bbbb", "is_secret": true}]}}`)
	nf, rep := Update(old, []scan.Finding{gl("a.py", "generic-api-key", "aaaa", 7), gl("a.py", "generic-api-key", "cccc", 0)}, now)
	if e := entryFor(t, nf, "a.py", "aaaa", "Secret Keyword"); e.IsSecret == nil || e.LineNumber != 7 {
		t.Errorf("kept = %+v", e)
	}
	if e := entryFor(t, nf, "a.py", "cccc", "Secret Keyword"); e.IsSecret != nil {
		t.Errorf("migrated by a missing line number: %+v", e)
	}
	if rep.Kept != 1 || rep.Dropped != 1 || rep.Migrated != 0 || rep.Added != 1 {
		t.Errorf("report %+v", rep)
	}
}

// TestUpdateRealBaselines: rescanning and finding exactly what a real
// baseline lists keeps every entry and every label; the written file reads
// back to the same identities.
func TestUpdateRealBaselines(t *testing.T) {
	for name, data := range realBaselines(t) {
		old, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		var fs []scan.Finding
		labelled := 0
		for _, e := range old.Results {
			fs = append(fs, scan.Finding{Kind: scan.KindSecret, Type: e.Type, File: e.Filename, Line: e.LineNumber, HashedSecret: e.HashedSecret})
			if e.IsSecret != nil || e.IsVerified {
				labelled++
			}
		}
		nf, rep := Update(old, fs, now)
		if rep.Kept != len(old.Results) || rep.Added != 0 || rep.Dropped != 0 || rep.LabelsKept != labelled {
			t.Errorf("%s: report %+v, want %d kept, %d labels", name, rep, len(old.Results), labelled)
		}
		if !sameEntries(old.Results, nf.Results) {
			t.Errorf("%s: entries changed", name)
		}
		if nf.Version != CurrentVersion || nf.GeneratedAt != "2025-03-04T04:06:07Z" {
			t.Errorf("%s: version %q generated_at %q", name, nf.Version, nf.GeneratedAt)
		}
		// Only version and generated_at change for an up-to-date 1.5 file.
		if old.SourceVersion == CurrentVersion {
			want := strings.Replace(string(data), `"generated_at": "`+old.GeneratedAt, `"generated_at": "2025-03-04T04:06:07Z`, 1)
			if got := string(nf.Marshal(WriteOptions{})); got != want {
				t.Errorf("%s: rewrite changed more than generated_at:\n%s", name, firstDiff([]byte(want), []byte(got)))
			}
		}
	}
}

func TestUpdateScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var fs []scan.Finding
	for i := 0; i < 50000; i++ {
		fs = append(fs, gl(fmt.Sprintf("dir%d/file%d.py", i%100, i), "generic-api-key", fmt.Sprintf("%040x", i), i%500+1))
	}
	start := time.Now()
	nf, _ := Update(nil, fs, now)
	nf2, rep := Update(nf, fs, now)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("two updates of 50k findings took %v", d)
	}
	if rep.Kept != 50000 || len(nf2.Results) != 50000 {
		t.Errorf("report %+v", rep)
	}
}
