package detectsecrets

import (
	"math"
	"strings"
)

// The locator finds the lines worth giving to the plugins without looking
// at every line. Almost every line of a real repository yields nothing:
// calling 27 plugins on each (every one with its own prefilter) cost more
// than the matching itself. Instead one pass over a file's text stops at a
// few anchor bytes (quotes, 'A', '_', '-', ':', '@', the letters of the
// keywords, ...) and, at each, checks a short pattern that every value a
// plugin can yield must contain: a quoted run long enough for an entropy
// limit, "AKIA" and 16 more key characters, "eyJ", a keyword such as "pass"
// in any ASCII case, and so on. Each pattern that holds marks its line for
// the plugins it belongs to; the plugins then run, unchanged and with their
// own prefilters, on the marked lines only.
//
// So a mark must be a necessary condition: for every line on which a plugin
// (prefilter and matcher together) yields a value, some position of that
// line passes that plugin's check. Marks may be spurious; the plugin decides.
// Every check below says why it is necessary. The checks read the bytes
// around the anchor in the whole text, so they may look past the line's
// ends; that can only add marks, since no pattern holds across a newline.
//
// Case-insensitive regexes need care beyond ASCII: Go's (?i) (and so these
// RE2 translations) folds 'k' with U+212A KELVIN SIGN and 's' with U+017F
// LONG S, and no other non-ASCII character with an ASCII letter. A line with
// either character is marked for every case-insensitive plugin.

// pmask holds one bit per configured plugin, by its index in
// Scanner.plugins (at most 27, so 32 bits do).
type pmask uint32

// pluginBits gives each detect-secrets plugin its bit in a pmask; zero for
// a plugin the scanner does not run, so its checks never mark anything.
type pluginBits struct {
	artifactory, aws, azure, basicAuth, cloudant, discord, github, gitlab pmask
	iam, cos, ip, jwt, mailchimp, npm, openai, privateKey, pypi, sendgrid pmask
	slack, softlayer, square, stripe, telegram, twilio, b64, hex, keyword pmask
	// ci is every plugin with a case-insensitive regex.
	ci pmask
	// all is every plugin that has a bit.
	all pmask
}

func (b *pluginBits) set(name string, m pmask) {
	b.all |= m
	switch name {
	case "ArtifactoryDetector":
		b.artifactory = m
	case "AWSKeyDetector":
		b.aws = m
	case "AzureStorageKeyDetector":
		b.azure = m
	case "BasicAuthDetector":
		b.basicAuth = m
	case "CloudantDetector":
		b.cloudant = m
	case "DiscordBotTokenDetector":
		b.discord = m
	case "GitHubTokenDetector":
		b.github = m
	case "GitLabTokenDetector":
		b.gitlab = m
	case "IbmCloudIamDetector":
		b.iam = m
	case "IbmCosHmacDetector":
		b.cos = m
	case "IPPublicDetector":
		b.ip = m
	case "JwtTokenDetector":
		b.jwt = m
	case "MailchimpDetector":
		b.mailchimp = m
	case "NpmDetector":
		b.npm = m
	case "OpenAIDetector":
		b.openai = m
	case "PrivateKeyDetector":
		b.privateKey = m
	case "PypiTokenDetector":
		b.pypi = m
	case "SendGridDetector":
		b.sendgrid = m
	case "SlackDetector":
		b.slack = m
	case "SoftlayerDetector":
		b.softlayer = m
	case "SquareOAuthDetector":
		b.square = m
	case "StripeDetector":
		b.stripe = m
	case "TelegramBotTokenDetector":
		b.telegram = m
	case "TwilioKeyDetector":
		b.twilio = m
	case "Base64HighEntropyString":
		b.b64 = m
	case "HexHighEntropyString":
		b.hex = m
	case "KeywordDetector":
		b.keyword = m
	}
	b.ci = b.aws | b.cloudant | b.iam | b.cos | b.slack | b.softlayer | b.keyword
}

// locator is the per-Scanner part of the pass: the plugin bits, the anchor
// table and the entropy plugins' shortest candidates.
type locator struct {
	bits pluginBits
	// anchor[c] is non-zero when some configured plugin has a check at c.
	anchor [256]bool
	// hexMin and b64Min are the shortest quoted runs the entropy plugins
	// can report with their limits: find skips a run unless
	// log2(len) > limit-1e-9.
	hexMin, b64Min int
}

// entropyMinLen is the smallest n with math.Log2(n) > limit-1e-9, the
// first test entropyPlugin.find makes on a candidate.
func entropyMinLen(limit float64) int {
	n := 1
	for !(math.Log2(float64(n)) > limit-1e-9) {
		n++
	}
	return n
}

func (l *locator) init() {
	b := &l.bits
	on := func(m pmask, cs string) {
		if m == 0 {
			return
		}
		for i := 0; i < len(cs); i++ {
			l.anchor[cs[i]] = true
		}
	}
	on(b.b64|b.hex, `"'`)
	on(b.artifactory|b.aws|b.azure|b.twilio, "A")
	on(b.twilio, "K")
	on(b.aws|b.cloudant|b.iam|b.softlayer|b.keyword, "wW")
	on(b.cloudant|b.iam|b.softlayer|b.keyword|b.slack, "kK")
	on(b.cloudant|b.iam|b.softlayer|b.keyword, "pP")
	on(b.cos|b.keyword, "cC")
	on(b.basicAuth|b.cloudant, "@")
	on(b.discord|b.ip, ".")
	on(b.github|b.npm|b.stripe, "_")
	on(b.gitlab|b.mailchimp|b.pypi|b.slack|b.square, "-")
	on(b.gitlab|b.privateKey|b.sendgrid, "G")
	on(b.jwt|b.openai, "J")
	on(b.privateKey, "Y")
	on(b.npm|b.softlayer|b.telegram, ":")
	// First bytes of U+017F and U+212A.
	on(b.ci, "\xc5\xe2")
}

// mark is a position of the text and the plugins whose check held there.
type mark struct {
	pos int
	m   pmask
}

// locate appends the marks of t in increasing position.
func (l *locator) locate(t string, marks []mark) []mark {
	for i := 0; i < len(t); i++ {
		if !l.anchor[t[i]] {
			continue
		}
		if m := l.check(t, i); m != 0 {
			marks = append(marks, mark{i, m})
		}
	}
	return marks
}

// locateLine is locate for one line: the union of its marks.
func (l *locator) locateLine(t string) pmask {
	var m pmask
	for i := 0; i < len(t); i++ {
		if l.anchor[t[i]] {
			m |= l.check(t, i)
		}
	}
	return m
}

// at returns t[i], or 0 outside t (0 matches no check).
func at(t string, i int) byte {
	if i < 0 || i >= len(t) {
		return 0
	}
	return t[i]
}

// hasAt reports whether t holds lit at i.
func hasAt(t string, i int, lit string) bool {
	return i >= 0 && i <= len(t)-len(lit) && t[i:i+len(lit)] == lit
}

// hasFoldAt reports whether t holds lit at i, ASCII letters in either case
// (lit is lower-case).
func hasFoldAt(t string, i int, lit string) bool {
	if i < 0 || i > len(t)-len(lit) {
		return false
	}
	for k := 0; k < len(lit); k++ {
		c, want := t[i+k], lit[k]
		if c != want && !(want >= 'a' && want <= 'z' && c|0x20 == want) {
			return false
		}
	}
	return true
}

// runAt reports whether the n bytes of t from i all satisfy ok.
func runAt(t string, i, n int, ok func(byte) bool) bool {
	if i < 0 || i > len(t)-n {
		return false
	}
	for k := i; k < i+n; k++ {
		if !ok(t[k]) {
			return false
		}
	}
	return true
}

func isUpperOrDigit(c byte) bool { return isD(c) || (c >= 'A' && c <= 'Z') }
func isLowerOrDigit(c byte) bool { return isD(c) || (c >= 'a' && c <= 'z') }
func isWordByte(c byte) bool     { return isASCIIAlnum(c) || c == '_' }
func isFoldL(c, lower byte) bool { return c|0x20 == lower }

// check runs the checks anchored at t[i].
func (l *locator) check(t string, i int) pmask {
	b := &l.bits
	var m pmask
	switch c := t[i]; c {
	case '"', '\'':
		// HighEntropyStringsPlugin: (['"])([charset]+)(\1), and find
		// reports nothing shorter than the limit allows. The hex charset
		// is inside the base64 one, so the hex run from this quote is the
		// base64 run when that is all hex, and else ends on a non-quote.
		j := i + 1
		allHex := true
		for j < len(t) {
			ch := t[j]
			if !b64Set[ch] {
				break
			}
			if !isHexByte(ch) {
				allHex = false
			}
			j++
		}
		if j < len(t) && t[j] == c {
			n := j - i - 1
			if n >= l.b64Min {
				m |= b.b64
			}
			if allHex && n >= l.hexMin {
				m |= b.hex
			}
		}
	case 'A':
		if b.artifactory != 0 && artifactoryAt(t, i) {
			m |= b.artifactory
		}
		// AWS access key: (A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}.
		if (hasAt(t, i+1, "3T") || hasAt(t, i+1, "BIA") || hasAt(t, i+1, "CCA") || hasAt(t, i+1, "KIA") || hasAt(t, i+1, "SIA")) &&
			runAt(t, i+3, 17, isUpperOrDigit) {
			m |= b.aws
		}
		// Azure: AccountKey=[a-zA-Z0-9+/=]{88}.
		if hasAt(t, i, "AccountKey=") {
			m |= b.azure
		}
		// Twilio: AC[a-z0-9]{32}.
		if at(t, i+1) == 'C' && runAt(t, i+2, 32, isLowerOrDigit) {
			m |= b.twilio
		}
	case 'K':
		// Twilio: SK[a-z0-9]{32}.
		if at(t, i-1) == 'S' && runAt(t, i+1, 32, isLowerOrDigit) {
			m |= b.twilio
		}
		m |= l.checkK(t, i)
	case 'k':
		m |= l.checkK(t, i)
	case 'w', 'W':
		// "aws" (AWSKeyDetector's second regex) and "pw" ("pwd" for the
		// keyword list, IBM IAM and SoftLayer; "pw" alone for Cloudant).
		if isFoldL(at(t, i-1), 'a') && isFoldL(at(t, i+1), 's') && awsQuotedAfter(t, i+2) {
			m |= b.aws
		}
		if isFoldL(at(t, i-1), 'p') {
			m |= l.assignment(t, i+1) & b.cloudant
			if isFoldL(at(t, i+1), 'd') {
				m |= b.keyword | l.assignment(t, i+2)
			}
		}
	case 'p', 'P':
		// "pass" (and "password", "passwd"): the keyword list, Cloudant,
		// IBM IAM and SoftLayer.
		if hasFoldAt(t, i+1, "ass") {
			m |= b.keyword | l.assignment(t, i+4)
			if hasFoldAt(t, i+4, "word") {
				m |= l.assignment(t, i+8)
			}
		}
	case 'c', 'C':
		// "secret": the keyword list and IBM COS's secret...key;
		// "contrase": contraseña and contrasena.
		if hasFoldAt(t, i-2, "secret") {
			m |= b.keyword
			if b.cos != 0 && cosAt(t, i+4) {
				m |= b.cos
			}
		}
		if hasFoldAt(t, i, "contrase") {
			m |= b.keyword
		}
	case '@':
		// Basic auth (://user:password@) and Cloudant's URL forms,
		// :([0-9a-f]{64})@ and :([a-z]{24})@ in any case.
		m |= b.basicAuth
		if (at(t, i-65) == ':' && runAt(t, i-64, 64, isHexByte)) || (at(t, i-25) == ':' && runAt(t, i-24, 24, isASCIILetter)) {
			m |= b.cloudant
		}
	case '.':
		if b.discord != 0 && discordAt(t, i) {
			m |= b.discord
		}
		// IPv4: an octet on each side of the dot (octets are ASCII).
		if isD(at(t, i-1)) && isD(at(t, i+1)) {
			m |= b.ip
		}
	case '_':
		// GitHub: (ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}.
		if hasAt(t, i-3, "gh") && strings.IndexByte("pousr", at(t, i-1)) >= 0 && runAt(t, i+1, 36, isWordByte) {
			m |= b.github
		}
		// Npm: :_authToken=.
		if at(t, i-1) == ':' && hasAt(t, i, "_authToken=") {
			m |= b.npm
		}
		// Stripe: (r|s)k_live_.
		if at(t, i-1) == 'k' && hasAt(t, i, "_live_") {
			m |= b.stripe
		}
	case '-':
		// GitLab: a prefix ending in '-'.
		for _, p := range gitlabDashPrefixes {
			if hasAt(t, i-len(p), p) {
				m |= b.gitlab
				break
			}
		}
		// Mailchimp: [0-9a-z]{32}-us[0-9].
		if hasAt(t, i+1, "us") && isD(at(t, i+3)) && runAt(t, i-32, 32, isLowerOrDigit) {
			m |= b.mailchimp
		}
		// PyPI: pypi-AgE.
		if hasAt(t, i-4, "pypi") && hasAt(t, i+1, "AgE") {
			m |= b.pypi
		}
		// Slack: xox[abposr]- in any case.
		if hasFoldAt(t, i-4, "xox") && strings.IndexByte("abposr", at(t, i-1)|0x20) >= 0 {
			m |= b.slack
		}
		// Square: sq0csp-.
		if hasAt(t, i-6, "sq0csp") {
			m |= b.square
		}
	case 'G':
		if hasAt(t, i, "GR1348941") {
			m |= b.gitlab
		}
		// Every PrivateKeyDetector header but PuTTY's has "BEGIN".
		if hasAt(t, i-2, "BEGIN") {
			m |= b.privateKey
		}
		// SendGrid: SG\.
		if at(t, i-1) == 'S' && at(t, i+1) == '.' {
			m |= b.sendgrid
		}
	case 'J':
		if hasAt(t, i-2, "eyJ") {
			m |= b.jwt
		}
		if hasAt(t, i-7, "T3BlbkFJ") {
			m |= b.openai
		}
	case 'Y':
		if hasAt(t, i-4, "PuTTY") {
			m |= b.privateKey
		}
	case ':':
		// Npm's :_authToken= is checked at '_'. SoftLayer's URL regex has
		// "://api" in any case.
		if hasAt(t, i, "://") && hasFoldAt(t, i+3, "api") {
			m |= b.softlayer
		}
		// Telegram: [\d]{8,10}:[0-9A-Za-z_\-]{35}; \d is Unicode, so the
		// eight bytes before the colon are ASCII digits or non-ASCII.
		if runAt(t, i-8, 8, func(c byte) bool { return isD(c) || c >= 0x80 }) && runAt(t, i+1, 35, isGitLabRunChar) {
			m |= b.telegram
		}
	case 0xc5:
		if hasAt(t, i, "\u017f") {
			m |= b.ci
		}
	case 0xe2:
		if hasAt(t, i, "\u212a") {
			m |= b.ci
		}
	}
	return m
}

// checkK holds the checks at 'k' and 'K': "key" (the keyword list,
// Cloudant, IBM IAM, SoftLayer), "token" (Cloudant, IBM IAM, SoftLayer)
// and Slack's webhook host hooks.slack.com.
func (l *locator) checkK(t string, i int) pmask {
	b := &l.bits
	var m pmask
	if isFoldL(at(t, i+1), 'e') && isFoldL(at(t, i+2), 'y') {
		m |= b.keyword | l.assignment(t, i+3)
	}
	if hasFoldAt(t, i-2, "token") {
		m |= l.assignment(t, i+3)
	}
	if hasFoldAt(t, i-3, "hooks.slack.com") {
		m |= b.slack
	}
	return m
}

// gitlabDashPrefixes are the GitLab prefixes without their '-'.
var gitlabDashPrefixes = func() []string {
	var out []string
	for _, r := range gitlabRules {
		for _, p := range r.prefixes {
			if strings.HasSuffix(p, "-") {
				out = append(out, strings.TrimSuffix(p, "-"))
			}
		}
	}
	return out
}()

var b64Set = func() (s [256]bool) {
	for i := 0; i < len(base64Charset); i++ {
		s[base64Charset[i]] = true
	}
	return
}()

// assignment checks what follows a keyword of RegexBasedDetector's
// build_assignment_regex ending at e, for the plugins that use it:
// (?:"|'|)(?:\]|)( *)(?:=|:|:=|=>| +|::)( *)(?:"|'|) and then the
// value. Every byte before the value is one of `"'] =:>` and the value
// classes hold none of them, so the value starts at the first other byte
// and must be a run of its class: 44 of [a-zA-Z0-9_-] for IBM Cloud IAM,
// 64 of [a-z0-9] for SoftLayer, 64 hex digits or 24 letters for Cloudant
// (all under (?i); the Unicode foldings are marked at their own anchors).
func (l *locator) assignment(t string, e int) pmask {
	b := &l.bits
	for e < len(t) && strings.IndexByte(`"'] =:>`, t[e]) >= 0 {
		e++
	}
	var m pmask
	if runLen(t, e, isGitLabRunChar) < 24 {
		return 0
	}
	if runLen(t, e, isGitLabRunChar) >= 44 {
		m |= b.iam
	}
	if runLen(t, e, isASCIIAlnum) >= 64 {
		m |= b.softlayer
	}
	if runLen(t, e, isHexByte) >= 64 || runLen(t, e, isASCIILetter) >= 24 {
		m |= b.cloudant
	}
	return m
}

// cosAt checks IbmCosHmacDetector's keyword after "secret" (ending at e),
// secret[-_]?(?:access)?[-_]?key in any case, then the assignment and
// ([a-f0-9]{48}).
func cosAt(t string, e int) bool {
	if c := at(t, e); c == '-' || c == '_' {
		e++
	}
	if hasFoldAt(t, e, "access") {
		e += 6
	}
	if c := at(t, e); c == '-' || c == '_' {
		e++
	}
	if !hasFoldAt(t, e, "key") {
		return false
	}
	e += 3
	for e < len(t) && strings.IndexByte(`"'] =:>`, t[e]) >= 0 {
		e++
	}
	return runLen(t, e, isHexByte) >= 48
}

// awsQuotedAfter checks the end of AWSKeyDetector's second regex after
// "aws" (ending at e): aws.{0,20}?(?:key|...|password|...).{0,20}?['"]
// ([0-9a-zA-Z/+]{40})['"]. The opening quote is at most 20 characters, a
// keyword and 20 more characters away: 200 bytes cover any UTF-8.
func awsQuotedAfter(t string, e int) bool {
	end := min(len(t), e+200)
	for q := e; q < end; q++ {
		if c := t[q]; (c == '"' || c == '\'') && runAt(t, q+1, 40, isAWSSecretByte) {
			if c2 := at(t, q+41); c2 == '"' || c2 == '\'' {
				return true
			}
		}
	}
	return false
}

func isAWSSecretByte(c byte) bool { return isASCIIAlnum(c) || c == '/' || c == '+' }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// artifactoryAt checks ArtifactoryDetector's regexes at 'A':
// (?:\s|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:\s|"|$) and the same with
// AP[\dABCDEF][a-zA-Z0-9]{8,}. \s and \d are Unicode: a non-ASCII byte
// may be either, and a newline (or the text's end) is ^ and $ too.
func artifactoryAt(t string, i int) bool {
	if c := at(t, i-1); i > 0 && !(c == '=' || c == ':' || c == '"' || c >= 0x80 || isPySpace(rune(c))) {
		return false
	}
	var end int
	switch {
	case hasAt(t, i+1, "KC"):
		n := runLen(t, i+3, isASCIIAlnum)
		if n < 10 {
			return false
		}
		end = i + 3 + n
	case at(t, i+1) == 'P':
		d := at(t, i+2)
		if d >= 0x80 {
			return true
		}
		if !(isD(d) || (d >= 'A' && d <= 'F')) {
			return false
		}
		n := runLen(t, i+3, isASCIIAlnum)
		if n < 8 {
			return false
		}
		end = i + 3 + n
	default:
		return false
	}
	c := at(t, end)
	return end == len(t) || c == '"' || c >= 0x80 || isPySpace(rune(c))
}

// discordAt checks DiscordBotTokenDetector's regex around a dot:
// [MNO][a-zA-Z\d_\-]{23,25}\.[a-zA-Z\d_\-]{6}\.[a-zA-Z\d_\-]{27}, with this
// dot the first. \d is Unicode (up to 4 bytes, all non-ASCII), so the runs
// are counted in bytes that are class characters or non-ASCII: at least 24
// before, 6 to 24 up to the second dot, at least 27 after it.
func discordAt(t string, i int) bool {
	n := runLen(t, i+1, isDiscordByte)
	if n < 6 || n > 24 || at(t, i+1+n) != '.' || runLen(t, i+2+n, isDiscordByte) < 27 {
		return false
	}
	k := i - 1
	for k >= 0 && i-k <= 24 && isDiscordByte(t[k]) {
		k--
	}
	return i-k > 24
}

func isDiscordByte(c byte) bool { return isGitLabRunChar(c) || c >= 0x80 }

// runLen is the number of bytes from i that satisfy ok.
func runLen(t string, i int, ok func(byte) bool) int {
	if i < 0 {
		return 0
	}
	j := i
	for j < len(t) && ok(t[j]) {
		j++
	}
	return j - i
}
