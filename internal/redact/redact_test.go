package redact

import (
	"regexp"
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"1.5.0", "1.5.0"},
		{"a.py", "a.py"},
		{"1234567", "1234567"},
		{"12345678", "12…"},
		{"src/app.py", "sr…"},
		{"longvalue-0123456789", "long…"},
		{"ééééééééé", "éé…"},
	} {
		if got := Cut(tc.in); got != tc.want {
			t.Errorf("Cut(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRegexpKeepsTheCodeNotThePattern(t *testing.T) {
	pat := "longvalue-0123456789("
	_, err := regexp.Compile(pat)
	got := Regexp(err)
	if !strings.Contains(got, "missing closing )") || strings.Contains(got, pat[:8]) {
		t.Fatalf("Regexp = %q", got)
	}
}

func TestValues(t *testing.T) {
	msg := "rule |id| is missing, regex: longvalue-0123456789, description: short, path: longervalue-0123456789-xyz"
	got := Values(msg, []string{"longvalue-0123456789", "short", "longervalue-0123456789-xyz"})
	if strings.Contains(got, "longvalu") || !strings.Contains(got, "description: short") {
		t.Fatalf("Values = %q", got)
	}
}
