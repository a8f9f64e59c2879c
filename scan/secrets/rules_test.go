package secrets

import (
	"strings"
	"testing"
)

// A gitleaks config's errors name what is wrong without quoting its
// values: an allowlist regex is often the very secret it allows.
func TestConfigErrorsDoNotEchoValues(t *testing.T) {
	tok := "gh" + "p_" + strings.Repeat("aB3", 12)
	for _, tc := range []struct{ name, toml, want string }{
		{"regex does not compile", "[[rules]]\nid = \"x\"\nregex = '''a'''\n[[rules.allowlists]]\nregexes = ['''" + tok + "(''']\n", "a regex does not compile: missing closing )"},
		{"bad rule regex", "[[rules]]\nid = \"x\"\nregex = '''" + tok + "['''\n", "a regex does not compile: missing closing ]"},
		{"unknown regexTarget", "[[rules]]\nid = \"x\"\nregex = '''a'''\n[[rules.allowlists]]\nstopwords = [\"a\"]\nregexTarget = \"" + tok + "\"\n", "unknown allowlist |regexTarget| 'ghp_…'"},
		{"rule without id", "[[rules]]\nregex = '''" + tok + "'''\n", "rule |id| is missing or empty, regex: ghp_…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadRules("bad.toml", []byte(tc.toml))
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), tok[:8]) {
				t.Fatalf("the error quotes a value: %q", strings.ReplaceAll(err.Error(), tok, "<token>"))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
