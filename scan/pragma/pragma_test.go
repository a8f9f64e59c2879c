package pragma

import (
	"strings"
	"testing"
)

// Cases from detect-secrets 1.5.0's tests/filters/allowlist_filter_test.py
// (test_basic, test_backwards_compatibility, test_nextline,
// test_file_based_allowlist_yaml, test_pragma_must_be_at_end) and the
// pattern in detect_secrets/filters/allowlist.py.
func TestAllowsLine(t *testing.T) {
	for _, tc := range []struct {
		file, line string
		want       bool
	}{
		{"filename", "AKIAEXAMPLE  #pragma: allowlist secret", true},
		{"filename", "AKIAEXAMPLE  # pragma: allowlist secret more text", true},
		{"filename", "AKIAEXAMPLE  //pragma: allowlist secret", true},
		{"filename", "AKIAEXAMPLE  // pragma: allowlist secret more text", true},
		{"filename", "AKIAEXAMPLE  /*pragma: allowlist secret*/", true},
		{"filename", "AKIAEXAMPLE  /* pragma: allowlist secret */", true},
		{"filename", "AKIAEXAMPLE  --pragma: allowlist secret", true},
		{"filename", "AKIAEXAMPLE  -- pragma: allowlist secret more text", true},
		{"filename", "AKIAEXAMPLE  <!--pragma: allowlist secret-->", true},
		{"filename", "AKIAEXAMPLE  # pragma: whitelist secret", true},
		{"filename", "AKIAEXAMPLE  'pragma: allowlist secret", true},
		{"filename", "AKIAEXAMPLE  # pragma: allowlist-secret", true},
		{"filename", "AKIAEXAMPLE  # pragma:allowlist secret", true},
		{"filename", "AKIAEXAMPLE  # pragma: allowlist secret\r\n", true},
		// The comment must follow whitespace and end the line.
		{"filename", "AKIAEXAMPLE#pragma: allowlist secret", false},
		{"filename", "AKIAEXAMPLE  /* pragma: allowlist secret */ x = 1", false},
		{"filename", "AKIAEXAMPLE  pragma: allowlist secret", false},
		{"filename", "AKIAEXAMPLE  # pragma: allowlist nextline secret", false},
		// YAML has only # comments.
		{"config.yaml", "key: AKIAEXAMPLE  # pragma: allowlist secret", true},
		{"config.yaml", "key: AKIAEXAMPLE  // pragma: allowlist secret", false},
		{"config.yml", "key: AKIAEXAMPLE  // pragma: allowlist secret", true},
	} {
		if got := AllowsLine(tc.file, tc.line); got != tc.want {
			t.Errorf("AllowsLine(%q, %q) = %v, want %v", tc.file, tc.line, got, tc.want)
		}
	}
}

func TestAllowsNext(t *testing.T) {
	for _, tc := range []struct {
		file, prev string
		want       bool
	}{
		{"filename", "# pragma: allowlist nextline secret", true},
		{"filename", "  // pragma: allowlist nextline secret", true},
		{"filename", "/* pragma: allowlist nextline secret */", true},
		{"filename", "-- pragma: allowlist-nextline-secret", true},
		{"filename", "<!-- pragma: allowlist nextline secret -->", true},
		{"filename", "#pragma:allowlist nextline secret trailing words", true},
		// Alone on the line: code before it does not count.
		{"filename", "x = 1  # pragma: allowlist nextline secret", false},
		{"filename", "# pragma: allowlist secret", false},
		{"filename", "# pragma: whitelist nextline secret", false},
		{"config.yaml", "# pragma: allowlist nextline secret", true},
		{"config.yaml", "// pragma: allowlist nextline secret", false},
	} {
		if got := AllowsNext(tc.file, tc.prev); got != tc.want {
			t.Errorf("AllowsNext(%q, %q) = %v, want %v", tc.file, tc.prev, got, tc.want)
		}
	}
}

func TestGitleaksAllow(t *testing.T) {
	if !HasGitleaksAllow(`token = "x" #gitleaks:allow`) || HasGitleaksAllow(`gitleaks allow`) {
		t.Fatal("gitleaks:allow is a plain substring test")
	}
}

func FuzzPragma(f *testing.F) {
	for _, s := range []string{"x # pragma: allowlist secret", "# pragma: allowlist nextline secret", "<!-- pragma: allowlist secret -->", "\xff# pragma"} {
		f.Add("a.yaml", s)
		f.Add("a.go", s)
	}
	f.Fuzz(func(t *testing.T, file, line string) {
		// Never panics; a same-line pragma always needs the word pragma.
		if AllowsLine(file, line) && !strings.Contains(line, "pragma") {
			t.Fatalf("allowed without a pragma: %q", line)
		}
		if AllowsNext(file, line) && !strings.Contains(line, "nextline") {
			t.Fatalf("next line allowed without nextline: %q", line)
		}
	})
}
