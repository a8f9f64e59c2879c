// Package pragma recognises detect-secrets' inline comments that accept a
// secret on purpose: `pragma: allowlist secret` at the end of the line or
// `pragma: allowlist nextline secret` alone on the line before, in
// detect-secrets 1.5's comment styles so existing pragmas keep working.
// gitleaks' `gitleaks:allow` is handled by the detector (scan/secrets), as
// in gitleaks.
package pragma

import (
	"path"
	"regexp"
	"strings"
)

// Comment openers and closers detect-secrets understands, in its order.
var comments = [][2]string{
	{`#`, ``},
	{`//`, ``},
	{`/\*`, ` *\*/`},
	{`'`, ``},
	{`--`, ``},
	{`<!--[# \t]*?`, ` *?-->`},
}

// detect-secrets 1.5's filters/allowlist.py builds both regexes from one
// template, `{^ or ""}[ \t]*{start} *pragma: ?{...}[ -]secret.*?{end}[ \t]*$`,
// searched in the line: the same-line form needs no whitespace before the
// comment (`x="v"#pragma: allowlist secret` counts), only that it ends
// the line; the next-line form must be the whole line.
var (
	sameLine = compileAll(`%s *pragma: ?(?:allow|white)list[ -]secret.*?%s[ \t]*$`)
	nextLine = compileAll(`^[ \t]*%s *pragma: ?allowlist[ -]nextline[ -]secret.*?%s[ \t]*$`)
)

func compileAll(tmpl string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(comments))
	for i, c := range comments {
		out[i] = regexp.MustCompile(strings.Replace(strings.Replace(tmpl, "%s", c[0], 1), "%s", c[1], 1))
	}
	return out
}

// forFile narrows the comment styles by file type: YAML only has '#'
// comments, so `// pragma` there is data, not a pragma. As in
// detect-secrets, that is files whose extension is exactly ".yaml"
// (os.path.splitext: a name that only starts with dots, like ".yaml",
// has no extension; ".yml" keeps every style).
func forFile(filename string, all []*regexp.Regexp) []*regexp.Regexp {
	if splitExt(filename) == ".yaml" {
		return all[:1]
	}
	return all
}

// splitExt is Python's os.path.splitext(...)[1] for '/'-separated paths.
func splitExt(filename string) string {
	base := path.Base(filename)
	if filename == "" || strings.HasSuffix(filename, "/") {
		return ""
	}
	ext := path.Ext(base)
	if strings.TrimLeft(base, ".") == strings.TrimLeft(ext, ".") {
		return "" // the only dot(s) lead the name
	}
	return ext
}

// trimEOL drops the line terminator: detect-secrets reads lines with
// universal newlines, so "\r\n" must not hide a pragma from `$`.
func trimEOL(line string) string {
	return strings.TrimRight(line, "\r\n")
}

// AllowsLine reports whether line ends with a same-line allowlist pragma.
func AllowsLine(filename, line string) bool {
	line = trimEOL(line)
	if !strings.Contains(line, "pragma") {
		return false
	}
	for _, re := range forFile(filename, sameLine) {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// AllowsNext reports whether prev, the line above a secret, is a
// nextline pragma standing alone.
func AllowsNext(filename, prev string) bool {
	prev = trimEOL(prev)
	if !strings.Contains(prev, "nextline") {
		return false
	}
	for _, re := range forFile(filename, nextLine) {
		if re.MatchString(prev) {
			return true
		}
	}
	return false
}
