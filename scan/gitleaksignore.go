package scan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/internal/fsutil"
)

// KnownByGitleaksIgnore marks findings a .gitleaksignore fingerprint accepts.
const KnownByGitleaksIgnore = "gitleaksignore"

// GitleaksIgnore is a .gitleaksignore file: gitleaks fingerprints, one a
// line, "file:rule:line" for any commit or "commit:file:rule:line" for one.
// It is how a finding in history (which no baseline of the tree can hold)
// is accepted.
type GitleaksIgnore map[string]bool

// ReadGitleaksIgnore reads root/.gitleaksignore; a missing file is empty.
func ReadGitleaksIgnore(root string) (GitleaksIgnore, error) {
	path := filepath.Join(root, ".gitleaksignore")
	// Capped and regular files only: a committed symlink to /dev/urandom
	// must not be read forever.
	data, err := fsutil.ReadRegular(path, 64<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ig := GitleaksIgnore{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ":")
		switch len(parts) {
		case 3:
			parts[0] = strings.ReplaceAll(parts[0], `\`, "/")
		case 4:
			parts[1] = strings.ReplaceAll(parts[1], `\`, "/")
		default:
			return nil, fmt.Errorf("%s:%d: want file:rule:line or commit:file:rule:line", path, n)
		}
		ig[strings.Join(parts, ":")] = true
	}
	return ig, sc.Err()
}

// Apply marks the secret findings whose fingerprint is listed as known.
func (ig GitleaksIgnore) Apply(findings []Finding) {
	if len(ig) == 0 {
		return
	}
	for i := range findings {
		f := &findings[i]
		if f.Kind != KindSecret || f.Status == StatusKnown {
			continue
		}
		global := f.File + ":" + f.Rule + ":" + strconv.Itoa(f.Line)
		if ig[global] || (f.Commit != "" && ig[f.Commit+":"+global]) {
			f.Status, f.KnownBy = StatusKnown, KnownByGitleaksIgnore
		}
	}
}
