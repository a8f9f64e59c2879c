package secrets

import (
	"runtime/debug"

	glregexp "github.com/zricethezav/gitleaks/v8/regexp"
)

// RegexpEngine names the regexp engine the rules run on ("stdlib" or go-re2).
const RegexpEngine = glregexp.Version

// GitleaksVersion is the version of the gitleaks module whose rules are
// embedded, from the build information.
func GitleaksVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/zricethezav/gitleaks/v8" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}
