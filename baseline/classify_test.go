package baseline

import (
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

const classifySrc = `{
  "version": "1.5.0",
  "plugins_used": [],
  "filters_used": [],
  "results": {
    "app/config.py": [
      {"type": "AWS Access Key", "filename": "app/config.py", "hashed_secret": "1111111111111111111111111111111111111111", "is_verified": false, "line_number": 10, "is_secret": false},
      {"type": "Secret Keyword", "filename": "app/config.py", "hashed_secret": "2222222222222222222222222222222222222222", "is_verified": false, "line_number": 20, "is_secret": true},
      {"type": "Private Key", "filename": "app/config.py", "hashed_secret": "3333333333333333333333333333333333333333", "is_verified": false, "line_number": 30}
    ],
    "win\\dir\\file.txt": [
      {"type": "generic-api-key", "filename": "win\\dir\\file.txt", "hashed_secret": "ABCDEF4444444444444444444444444444444444", "is_verified": false, "line_number": 1}
    ]
  },
  "clawgate_config_findings": [
    {"filename": "coderclaw.json", "check_id": "gateway.bind-public", "setting": "gateway.bind", "line_number": 3}
  ]
}
`

func secretFinding(file, hash, typ string, line int) scan.Finding {
	return scan.Finding{Kind: scan.KindSecret, Rule: "r", Type: typ, File: file, Line: line, HashedSecret: hash}
}

func TestClassify(t *testing.T) {
	f := mustParse(t, classifySrc)
	const h1, h2, h3 = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222", "3333333333333333333333333333333333333333"
	tests := []struct {
		name      string
		in        scan.Finding
		status    scan.Status
		knownBy   string
		label     *bool // nil: no label expected
		wantLabel bool
	}{
		{name: "same file, hash and type", in: secretFinding("app/config.py", h1, "AWS Access Key", 10), status: scan.StatusKnown, knownBy: "baseline", label: boolp(false)},
		{name: "line moved: still known", in: secretFinding("app/config.py", h1, "AWS Access Key", 999), status: scan.StatusKnown, knownBy: "baseline", label: boolp(false)},
		{name: "real-secret label carried", in: secretFinding("app/config.py", h2, "Secret Keyword", 20), status: scan.StatusKnown, knownBy: "baseline", label: boolp(true)},
		{name: "unaudited entry: known without label", in: secretFinding("app/config.py", h3, "Private Key", 30), status: scan.StatusKnown, knownBy: "baseline"},
		{name: "other type on the same line: new", in: secretFinding("app/config.py", h1, "Secret Keyword", 10), status: scan.StatusNew},
		{name: "other hash: new", in: secretFinding("app/config.py", "9999999999999999999999999999999999999999", "AWS Access Key", 10), status: scan.StatusNew},
		{name: "other file: new", in: secretFinding("app/other.py", h1, "AWS Access Key", 10), status: scan.StatusNew},
		{name: "leading ./ ignored", in: secretFinding("./app/config.py", h1, "AWS Access Key", 1), status: scan.StatusKnown, knownBy: "baseline", label: boolp(false)},
		{name: "baseline written on Windows", in: secretFinding("win/dir/file.txt", "abcdef4444444444444444444444444444444444", "generic-api-key", 1), status: scan.StatusKnown, knownBy: "baseline"},
		{name: "empty Type falls back to the rule's type", in: scan.Finding{Kind: scan.KindSecret, Rule: "aws-access-token", File: "app/config.py", HashedSecret: h1}, status: scan.StatusKnown, knownBy: "baseline", label: boolp(false)},
		{name: "no hash never matches", in: secretFinding("app/config.py", "", "AWS Access Key", 10), status: scan.StatusNew},
		{name: "inline-allowed finding untouched", in: scan.Finding{Kind: scan.KindSecret, Type: "X", File: "a", HashedSecret: "h", Status: scan.StatusKnown, KnownBy: "inline"}, status: scan.StatusKnown, knownBy: "inline"},
		{name: "previously known by baseline but not any more", in: scan.Finding{Kind: scan.KindSecret, Type: "X", File: "a", HashedSecret: "h", Status: scan.StatusKnown, KnownBy: "baseline", Label: boolp(true)}, status: scan.StatusNew},
		{name: "config: same file, check and setting", in: scan.Finding{Kind: scan.KindConfig, Rule: "gateway.bind-public", Setting: "gateway.bind", File: "coderclaw.json", Line: 40}, status: scan.StatusKnown, knownBy: "baseline"},
		{name: "config: other setting", in: scan.Finding{Kind: scan.KindConfig, Rule: "gateway.bind-public", Setting: "gateway.port", File: "coderclaw.json"}, status: scan.StatusNew},
		{name: "config: other file", in: scan.Finding{Kind: scan.KindConfig, Rule: "gateway.bind-public", Setting: "gateway.bind", File: "other/coderclaw.json"}, status: scan.StatusNew},
		{name: "config check id never matches a secret", in: scan.Finding{Kind: scan.KindConfig, Rule: "AWS Access Key", File: "app/config.py", HashedSecret: h1}, status: scan.StatusNew},
		{name: "other kinds untouched", in: scan.Finding{Kind: "lint", File: "app/config.py", Status: "weird"}, status: "weird"},
	}
	findings := make([]scan.Finding, len(tests))
	for i, tt := range tests {
		findings[i] = tt.in
	}
	f.Classify(findings)
	for i, tt := range tests {
		got := findings[i]
		if got.Status != tt.status || got.KnownBy != tt.knownBy {
			t.Errorf("%s: status %q known_by %q, want %q %q", tt.name, got.Status, got.KnownBy, tt.status, tt.knownBy)
		}
		switch {
		case tt.label == nil && got.Label != nil:
			t.Errorf("%s: label %v, want none", tt.name, *got.Label)
		case tt.label != nil && (got.Label == nil || *got.Label != *tt.label):
			t.Errorf("%s: label %v, want %v", tt.name, got.Label, *tt.label)
		}
	}

	// The label is a copy: changing it must not change the baseline.
	*findings[0].Label = true
	if *f.Results[0].IsSecret {
		t.Error("finding label aliases the baseline entry")
	}
}

func TestClassifyNilFile(t *testing.T) {
	var f *File
	fs := []scan.Finding{secretFinding("a", "h", "T", 1), {Kind: scan.KindConfig, Rule: "c", File: "x"}}
	f.Classify(fs)
	for _, fd := range fs {
		if fd.Status != scan.StatusNew {
			t.Errorf("%+v not new", fd)
		}
	}
}

// TestClassifyRealBaselines: every entry of every real baseline, turned
// into a finding on another line, is known with the entry's label; the
// same finding with one hex digit changed is new.
func TestClassifyRealBaselines(t *testing.T) {
	for name, data := range realBaselines(t) {
		f, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		var fs []scan.Finding
		for _, e := range f.Results {
			fs = append(fs, secretFinding(e.Filename, e.HashedSecret, e.Type, e.LineNumber+7))
			changed := []byte(e.HashedSecret)
			changed[0] ^= 1
			fs = append(fs, secretFinding(e.Filename, string(changed), e.Type, e.LineNumber))
		}
		f.Classify(fs)
		for i, e := range f.Results {
			known, other := fs[2*i], fs[2*i+1]
			if known.Status != scan.StatusKnown || (known.Label == nil) != (e.IsSecret == nil) || e.IsSecret != nil && *known.Label != *e.IsSecret {
				t.Fatalf("%s: %s %s not known with its label", name, e.Filename, e.Type)
			}
			if other.Status != scan.StatusNew {
				t.Fatalf("%s: changed hash in %s is not new", name, e.Filename)
			}
		}
	}
}
