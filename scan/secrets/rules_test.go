package secrets

import (
	"os"
	"path/filepath"
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

// A config that is, or extends, a device or a FIFO is refused at once:
// read as a file it would never end.
func TestConfigOnADeviceIsRefused(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.toml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRules(zero, nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("config on /dev/zero: %v", err)
	}
	if _, err := LoadRules("extends.toml", []byte("[extend]\npath = \""+zero+"\"\n")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("extending /dev/zero: %v", err)
	}
}

// The once-per-process guard on extending configs sees every TOML form of
// the extend table, not only an "[extend]" header.
func TestExtendGuardSeesDottedKeys(t *testing.T) {
	cfg := []byte("title = \"x\"\nextend.useDefault = true\n")
	path := filepath.Join(t.TempDir(), ".gitleaks.toml")
	LoadRules(path, cfg) // the first extending load of the process, or refused already
	if _, err := LoadRules(path, cfg); err == nil || !strings.Contains(err.Error(), "only one extending gitleaks config") {
		t.Fatalf("second extending load: err = %v", err)
	}
}
