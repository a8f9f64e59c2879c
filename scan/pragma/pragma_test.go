package pragma

import (
	"strings"
	"testing"
)

// tests/filters/allowlist_filter_test.py (detect-secrets 1.x): test_basic,
// test_nextline, test_nextline_exclusivity, test_backwards_compatibility,
// test_file_based_regexes and test_file_based_nextline_regexes.
func TestDetectSecretsAllowlist(t *testing.T) {
	parts := [][2]string{
		{"#", ""}, {"# ", " more text"},
		{"//", ""}, {"// ", " more text"},
		{"/*", "*/"}, {"/* ", " */"},
		{"--", ""}, {"-- ", " more text"},
		{"<!--", "-->"},
	}
	for _, p := range parts {
		line := "AKIAEXAMPLE  " + p[0] + "pragma: allowlist secret" + p[1]
		if !AllowsLine("filename", line) {
			t.Errorf("test_basic: %q not allowlisted", line)
		}
		comment := p[0] + "pragma: allowlist nextline secret" + p[1]
		if !AllowsNext("filename", comment) {
			t.Errorf("test_nextline: %q not a nextline pragma", comment)
		}
	}
	if AllowsLine("filename", "AKIAEXAMPLE  # pragma: allowlist nextline secret") {
		t.Error("test_nextline_exclusivity: a nextline pragma allowlisted its own line")
	}
	if AllowsNext("filename", "AKIAEXAMPLE  # pragma: allowlist nextline secret") {
		t.Error("a nextline pragma after code counted")
	}
	if !AllowsLine("filename", "AKIAEXAMPLE  # pragma: whitelist secret") {
		t.Error("test_backwards_compatibility")
	}
	for _, c := range []struct {
		line string
		want bool
	}{
		{"key: value # pragma: allowlist secret", true},
		{"key: value // pragma: allowlist secret", false},
	} {
		if got := AllowsLine("filename.yaml", c.line); got != c.want {
			t.Errorf("test_file_based_regexes %q: %v", c.line, got)
		}
	}
	if !AllowsNext("filename.yaml", "# pragma: allowlist nextline secret") || AllowsNext("filename.yaml", "// pragma: allowlist nextline secret") {
		t.Error("test_file_based_nextline_regexes")
	}
}

// Derived from the 1.x regex template in filters/allowlist.py.
func TestAllowlistDetails(t *testing.T) {
	for _, c := range []struct {
		file, line string
		want       bool
	}{
		// No whitespace is needed before the comment...
		{"a.py", `key="value"#pragma: allowlist secret`, true},
		{"a.py", "# pragma: allowlist secret", true},
		// ...but the pragma must end the line (spaces and tabs aside).
		{"a.py", "key = 1 # pragma: allowlist secret \t", true},
		{"a.py", "key = 1 # pragma: allowlist secret; more", true}, // text after "secret" inside the comment
		{"a.c", "key = 1 /* pragma: allowlist secret */ x", false},
		{"a.c", "key = 1 /* pragma: allowlist secret */", true},
		// "\r\n" line ends do not hide the pragma.
		{"a.py", "key = 1 # pragma: allowlist secret\r\n", true},
		// Only files whose extension is exactly .yaml are limited to '#'.
		{"conf.yml", "key: v // pragma: allowlist secret", true},
		{"dir/.yaml", "key: v // pragma: allowlist secret", true},
		{"a.yaml", "key: v -- pragma: allowlist secret", false},
	} {
		if got := AllowsLine(c.file, c.line); got != c.want {
			t.Errorf("AllowsLine(%q, %q) = %v, want %v", c.file, c.line, got, c.want)
		}
	}
	if !AllowsNext("a.py", "  # pragma: allowlist nextline secret\n") {
		t.Error("indented nextline pragma with its newline")
	}
}

func FuzzPragma(f *testing.F) {
	for _, s := range []string{"x # pragma: allowlist secret", "# pragma: allowlist nextline secret", "<!-- pragma: allowlist secret -->", "\xff# pragma"} {
		f.Add("a.yaml", s)
		f.Add("a.go", s)
	}
	f.Fuzz(func(t *testing.T, file, line string) {
		// Never panics; a pragma always needs its words.
		if AllowsLine(file, line) && !strings.Contains(line, "pragma") {
			t.Fatalf("allowed without a pragma: %q", line)
		}
		if AllowsNext(file, line) && !strings.Contains(line, "nextline") {
			t.Fatalf("next line allowed without nextline: %q", line)
		}
	})
}
