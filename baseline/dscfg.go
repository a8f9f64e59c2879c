package baseline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/coderclaw/clawgate/internal/redact"

	"github.com/coderclaw/clawgate/internal/fsutil"
)

// DetectSecretsCfg is the file name teams keep next to their baseline for
// the exclusions they pass to detect-secrets by hand (detect-secrets itself
// never reads it).
const DetectSecretsCfg = ".detect-secrets.cfg"

// ReadDetectSecretsCfg reads the [exclude-files], [exclude-lines] and
// [exclude-secrets] sections of a .detect-secrets.cfg: "pattern = REGEX"
// lines (an indented line continues the pattern list, as in Python's
// configparser), "#" and ";" comments. A missing file gives no patterns and
// no error; anything else it does not understand is an error naming the
// line, because a misspelt key would silently exclude nothing.
func ReadDetectSecretsCfg(path string) (ExcludePatterns, error) {
	var pats ExcludePatterns
	// Capped and regular files only: a committed symlink to /dev/zero
	// must not be read forever.
	data, err := fsutil.ReadRegular(path, 16<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return pats, nil
	}
	if err != nil {
		return pats, err
	}
	var section *[]string
	inValue := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		raw := strings.TrimRight(sc.Text(), "\r")
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			inValue = inValue && line != ""
			continue
		}
		if inValue && (raw[0] == ' ' || raw[0] == '\t') && section != nil {
			if err := addPattern(section, line, path, n); err != nil {
				return pats, err
			}
			continue
		}
		inValue = false
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			switch strings.TrimSpace(line[1 : len(line)-1]) {
			case "exclude-files":
				section = &pats.Files
			case "exclude-lines":
				section = &pats.Lines
			case "exclude-secrets":
				section = &pats.Secrets
			default:
				section = nil // other sections are not ours
			}
			continue
		}
		if section == nil {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			key, value, ok = strings.Cut(line, ":")
		}
		if !ok || strings.TrimSpace(key) != "pattern" {
			return pats, fmt.Errorf("%s:%d: want \"pattern = REGEX\"", path, n)
		}
		if v := strings.TrimSpace(value); v != "" {
			if err := addPattern(section, v, path, n); err != nil {
				return pats, err
			}
		}
		inValue = true
	}
	return pats, sc.Err()
}

// addPattern appends a pattern of the file's line n after checking that it
// compiles, so an error names this file and line rather than the
// --exclude-* flag it is merged with.
func addPattern(section *[]string, pat, path string, n int) error {
	if _, err := compilePython(pat); err != nil {
		return fmt.Errorf("%s:%d: pattern %s: %w", path, n, redact.Quote(pat), err)
	}
	*section = append(*section, pat)
	return nil
}
