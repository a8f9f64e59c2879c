package detectsecrets

import (
	"strings"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan/pragma"
)

// Filter paths as detect-secrets writes them in filters_used.
const (
	fAllowlist      = "detect_secrets.filters.allowlist.is_line_allowlisted"
	fBaselineFile   = "detect_secrets.filters.common.is_baseline_file"
	fVerification   = "detect_secrets.filters.common.is_ignored_due_to_verification_policies"
	fInvalidFile    = "detect_secrets.filters.common.is_invalid_file"
	fGibberish      = "detect_secrets.filters.gibberish.should_exclude_secret"
	fIndirect       = "detect_secrets.filters.heuristic.is_indirect_reference"
	fLikelyID       = "detect_secrets.filters.heuristic.is_likely_id_string"
	fLockFile       = "detect_secrets.filters.heuristic.is_lock_file"
	fNonText        = "detect_secrets.filters.heuristic.is_non_text_file"
	fNotAlnum       = "detect_secrets.filters.heuristic.is_not_alphanumeric_string"
	fUUID           = "detect_secrets.filters.heuristic.is_potential_uuid"
	fDollar         = "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign"
	fSequential     = "detect_secrets.filters.heuristic.is_sequential_string"
	fSwagger        = "detect_secrets.filters.heuristic.is_swagger_file"
	fTemplated      = "detect_secrets.filters.heuristic.is_templated_secret"
	fRegexFile      = "detect_secrets.filters.regex.should_exclude_file"
	fRegexLine      = "detect_secrets.filters.regex.should_exclude_line"
	fRegexSecret    = "detect_secrets.filters.regex.should_exclude_secret"
	fWordlist       = "detect_secrets.filters.wordlist.should_exclude_secret"
	defaultBaseline = ".secrets.baseline"
)

// heuristic.IGNORED_FILE_EXTENSIONS (compared case-sensitively).
var ignoredExtensions = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`.7z .bin .bmp .bz2 .class .css .dmg .doc .eot .exe .gif .gz .ico
		.iml .ipr .iws .jar .jpg .jpeg .lock .map .mo .pdf .png .prefs .psd .rar .realm .s7z .sum .svg
		.tar .tif .tiff .ttf .webp .woff .xls .xlsx .zip .resx .bim .mdl .slx .hex .srec .mot .csa .fls
		.fl2 .fl3 .fl4`) {
		ignoredExtensions[e] = true
	}
}

var lockFiles = map[string]bool{
	"Brewfile.lock.json": true, "Cartfile.resolved": true, "composer.lock": true, "Gemfile.lock": true,
	"Package.resolved": true, "package-lock.json": true, "Podfile.lock": true, "yarn.lock": true,
	"Pipfile.lock": true, "poetry.lock": true, "Cargo.lock": true, "packages.lock.json": true,
}

func isNonTextFile(filename string) bool { return ignoredExtensions[pySplitext(filename)] }
func isLockFile(filename string) bool    { return lockFiles[pyBasename(filename)] }

// is_swagger_file searches `.*swagger.*` in the whole relative path.
func isSwaggerFile(filename string) bool { return strings.Contains(filename, "swagger") }

var (
	upperSeqs = func() []string {
		const up = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		const dig = "0123456789"
		const hexUp = "0123456789ABCDEFABCDEF" // string.hexdigits.upper()
		return []string{
			up + up + dig + "+/",
			dig + up + up + "+/",
			dig + up + dig + up,
			dig + dig,
			hexUp + hexUp,
			up + "=/",
		}
	}()
	uuidRe       = lazyRE(`(?i)^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)
	idDetectorRe = lazyRE(`(?i)(?:^(?:id|myid|userid)|_id)s?[^a-z0-9]`)
)

// is_sequential_string: the upper-cased secret is a substring of one of
// the sequences (an empty secret always is).
func isSequentialString(secret string) bool {
	up := strings.ToUpper(secret)
	for _, s := range upperSeqs {
		if strings.Contains(s, up) {
			return true
		}
	}
	return false
}

// is_potential_uuid: the first UUID-shaped match must be the whole secret.
func isPotentialUUID(secret string) bool { return uuidRe().MatchString(secret) }

// is_likely_id_string: an "id"-like name before the first occurrence of
// the secret. RegexBasedDetector plugins are exempt.
func isLikelyIDString(secret, line string, p *plugin) bool {
	if p != nil && p.regexBased {
		return false
	}
	i := strings.Index(line, secret)
	if i < 0 {
		return false
	}
	return idDetectorRe().MatchString(line[:i])
}

// is_templated_secret, including its IndexError cases: an empty secret,
// and a lone "$".
func isTemplatedSecret(s string) bool {
	if s == "" {
		return true
	}
	first, last := s[0], s[len(s)-1]
	if (first == '{' && last == '}') || (first == '<' && last == '>') {
		return true
	}
	if first == '$' {
		if len(s) == 1 {
			return true
		}
		return s[1] == '{' && last == '}'
	}
	return false
}

func isPrefixedWithDollarSign(s string) bool { return s != "" && s[0] == '$' }

// is_not_alphanumeric_string: no ASCII letter at all.
func isNotAlphanumericString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c >= 'a' && c <= 'z' {
			return false
		}
	}
	return true
}

// is_indirect_reference is a line filter in 1.5.0: it searches the line
// for `([^\v=!:]*)\s*(:=?|[!=]{1,3})\s*([\w.-]+[\[\(][^\v]*[\]\)])`. The
// optional parts can match empty, so a match exists exactly when some ':',
// '!' or '=' is followed by optional whitespace, a run of word characters,
// dots or dashes, then '[' or '(', and later a ']' or ')' with no vertical
// tab in between. Lines longer than 1000 characters are never filtered.
func isIndirectReference(line string) bool {
	if len(line) > 1000 && utf8.RuneCountInString(line) > 1000 {
		return false
	}
	// An opener after the operator and a closer after it are needed.
	lastClose := strings.LastIndexAny(line, ")]")
	if lastClose < 0 || strings.IndexAny(line, "([") < 0 || strings.IndexAny(line, ":!=") < 0 {
		return false
	}
	hasVT := strings.IndexByte(line, '\v') >= 0
	for i := 0; i < lastClose; i++ {
		c := line[i]
		if c != ':' && c != '!' && c != '=' {
			continue
		}
		j := i + 1
		for j < len(line) {
			if b := line[j]; b < utf8.RuneSelf {
				if !isPySpace(rune(b)) {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(line[j:])
			if !isPySpace(r) {
				break
			}
			j += n
		}
		k := j
		for k < len(line) {
			if b := line[k]; b < utf8.RuneSelf {
				if b != '.' && b != '-' && !isPyWord(rune(b)) {
					break
				}
				k++
				continue
			}
			r, n := utf8.DecodeRuneInString(line[k:])
			if r != '.' && r != '-' && !isPyWord(r) {
				break
			}
			k += n
		}
		if k == j || k >= len(line) || (line[k] != '[' && line[k] != '(') {
			continue
		}
		if !hasVT {
			if lastClose > k {
				return true
			}
			continue
		}
		for m := k + 1; m < len(line); m++ {
			if line[m] == '\v' {
				break
			}
			if line[m] == ']' || line[m] == ')' {
				return true
			}
		}
	}
	return false
}

// isLineAllowlisted is allowlist.is_line_allowlisted, implemented by
// scan/pragma (the same pragmas every clawgate engine honours): a
// same-line pragma at the end of line, or a nextline pragma alone on prev,
// the raw previous line of the (possibly transformed) file, "" on the
// first line. For files ending in exactly ".yaml" only '#' comments count.
func isLineAllowlisted(filename, line, prev string) bool {
	return pragma.AllowsLine(filename, line) || (prev != "" && pragma.AllowsNext(filename, prev))
}

// configNextline is transformers/config.py's
// _is_allowlist_nextline_secret_comment: the nextline pragma in a '#' or
// ';' comment, which the config transformer keeps as a line of its own.
var configNextline = lazyREs(
	`^[ \t]*# *pragma: ?allowlist[ -]nextline[ -]secret.*?[ \t]*$`,
	`^[ \t]*; *pragma: ?allowlist[ -]nextline[ -]secret.*?[ \t]*$`,
)

func isConfigNextlineComment(line string) bool {
	if !strings.Contains(line, "nextline") {
		return false
	}
	for _, re := range configNextline() {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}
