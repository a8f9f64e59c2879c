// Package pathglob matches repository paths ('/'-separated) against the
// globs users give clawgate: audit's --file and the CoderClaw config
// patterns.
package pathglob

import (
	"path"
	"strings"
)

// Match matches a '/'-separated name against a glob whose "**"
// segments match any number of path segments (none included). A glob
// without '/' is matched against every suffix of name that starts a
// segment, so "*.env" matches "a/b/c.env".
func Match(glob, name string) bool {
	glob = strings.TrimPrefix(glob, "./")
	if !strings.Contains(glob, "/") && glob != "**" {
		glob = "**/" + glob
	}
	return matchSegments(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchSegments(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			// Collapse repeated "**"; then try every split point.
			for len(glob) > 1 && glob[1] == "**" {
				glob = glob[1:]
			}
			if len(glob) == 1 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegments(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return len(name) == 0
}
