package detectsecrets

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// plugin is one detect-secrets plugin. find calls emit for every raw value
// the Python plugin's analyze_line would yield for the line, duplicates
// included (the caller keeps a set, as PotentialSecret does).
type plugin struct {
	name string
	typ  string
	// regexBased is true for subclasses of RegexBasedDetector, which
	// heuristic.is_likely_id_string leaves alone.
	regexBased bool
	find       func(c *lineCtx, emit emitter)
	// exclude is KeywordDetector's keyword_exclude (its find closes over
	// it; the differential tests' reference path reads it here).
	exclude *regexp.Regexp
}

// emitter receives the raw values a plugin yields for a line.
type emitter interface{ emit(string) }

// lineCtx is one line and what the prefilters need, computed once.
type lineCtx struct {
	filename string
	ft       fileType
	line     string
	// lower is line with ASCII letters lower-cased, for cheap
	// case-insensitive prefilters; use lowered(), which fills it.
	lower     string
	lowerDone bool
	buf       *[]byte
	nonASCII  bool
	// bytes is the set of byte values in line, lowBytes that of lower.
	bytes, lowBytes [4]uint64
	// runs caches the longest run per byte class (see runOf).
	runs     [4]int
	runsDone uint8
}

// Byte classes whose longest run some regex needs.
const (
	runAlnum = iota
	runIAM
	runHex
	runLetter
)

var classTab = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if isASCIIAlnum(b) {
			t[c] |= 1 << runAlnum
		}
		if isASCIIAlnum(b) || b == '_' || b == '-' {
			t[c] |= 1 << runIAM
		}
		if isD(b) || (b|0x20 >= 'a' && b|0x20 <= 'f') {
			t[c] |= 1 << runHex
		}
		if b|0x20 >= 'a' && b|0x20 <= 'z' {
			t[c] |= 1 << runLetter
		}
	}
	return
}()

// runOf returns the longest run of bytes of a class, cached per line.
func (c *lineCtx) runOf(class int) int {
	if c.runsDone&(1<<class) == 0 {
		bit := uint8(1) << class
		cur, best := 0, 0
		for i := 0; i < len(c.line); i++ {
			if classTab[c.line[i]]&bit != 0 {
				cur++
				continue
			}
			if cur > best {
				best = cur
			}
			cur = 0
		}
		if cur > best {
			best = cur
		}
		c.runs[class] = best
		c.runsDone |= 1 << class
	}
	return c.runs[class]
}

// lowered returns the line with ASCII letters lower-cased, made once.
func (c *lineCtx) lowered() string {
	if !c.lowerDone {
		b := (*c.buf)[:0]
		for i := 0; i < len(c.line); i++ {
			ch := c.line[i]
			if ch-'A' < 26 {
				ch += 'a' - 'A'
			}
			b = append(b, ch)
		}
		*c.buf = b
		c.lower = unsafeString(b)
		c.lowerDone = true
	}
	return c.lower
}

// hasAllLow reports whether every byte of the lower-case ASCII word
// occurs in the lowered line: a necessary condition for containing it.
func (c *lineCtx) hasAllLow(w string) bool {
	for i := 0; i < len(w); i++ {
		b := w[i]
		if c.lowBytes[b>>6]&(1<<(b&63)) == 0 {
			return false
		}
	}
	return true
}

// has reports whether byte b occurs in the line.
func (c *lineCtx) has(b byte) bool { return c.bytes[b>>6]&(1<<(b&63)) != 0 }

// hasEither reports whether b occurs in either ASCII case.
func (c *lineCtx) hasEither(b byte) bool { return c.has(b) || c.has(b^0x20) || c.nonASCII }

// hasFold reports whether the line may contain one of the lower-case
// ASCII words under case-insensitive matching. Lines with non-ASCII bytes
// always may, since Unicode folding ("ſ" for "s") can match there.
func (c *lineCtx) hasFold(words ...string) bool {
	if c.nonASCII {
		return true
	}
	for _, w := range words {
		if c.hasAllLow(w) && strings.Contains(c.lowered(), w) {
			return true
		}
	}
	return false
}

// Python's re.findall: no group yields the whole match, one group yields
// that group (even when empty), several yield each non-empty group.
func emitFindall(re *regexp.Regexp, line string, e emitter) {
	n := re.NumSubexp()
	for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
		switch n {
		case 0:
			e.emit(line[m[0]:m[1]])
		case 1:
			if m[2] >= 0 {
				e.emit(line[m[2]:m[3]])
			} else {
				e.emit("")
			}
		default:
			for g := 1; g <= n; g++ {
				if m[2*g] >= 0 && m[2*g+1] > m[2*g] {
					e.emit(line[m[2*g]:m[2*g+1]])
				}
			}
		}
	}
}

// assignRE is RegexBasedDetector.build_assignment_regex compiled for a
// single left-to-right pass. The Python regex starts with the lookbehind
// (?:(?<=\W)|(?<=^)) and some secrets end in a negative lookahead; RE2 has
// neither, so both are written as consumed characters around the pattern:
// first matches at the start of the line or after a non-word character,
// next (used from the character before the previous match's end) only
// after a non-word character. The secret group stays group 1. Leftmost-first
// RE2 then returns exactly the match Python's search finds, so findall is
// one search per match instead of one per failed start position.
type assignRE struct {
	first, next *regexp.Regexp
}

func assignmentRegex(prefix, keyword, secret, notAfter string) assignRE {
	body := `(?i:(?:\[|)(?:"|'|)` + prefix + `(?:_|-|)` + keyword +
		`(?:"|'|)(?:\]|)(?: *)(?:=|:|:=|=>| +|::)(?: *)(?:"|'|)` + secret + `)`
	if notAfter != "" {
		body += `(?:` + notAfter + `|\z)`
	}
	nonWord := `[^` + pyWordClass + `]`
	return assignRE{first: mustRE(`(?:\A|` + nonWord + `)` + body), next: mustRE(nonWord + body)}
}

// findAssignment is findall for an assignRE: each match yields the secret
// group; the next search starts where the Python match ended (after the
// regex's trailing optional quote).
func findAssignment(re assignRE, line string, e emitter) {
	pos := 0
	for pos <= len(line) {
		var loc []int
		off := 0
		if pos == 0 {
			loc = re.first.FindStringSubmatchIndex(line)
		} else {
			off = pos - 1
			loc = re.next.FindStringSubmatchIndex(line[off:])
		}
		if loc == nil {
			return
		}
		start, end := loc[2]+off, loc[3]+off
		e.emit(line[start:end])
		if end < len(line) && (line[end] == '"' || line[end] == '\'') {
			end++
		}
		pos = end
	}
}

// anyLiteral is a prefilter: the line contains one of the literals.
func anyLiteral(line string, lits ...string) bool {
	for _, l := range lits {
		if strings.Contains(line, l) {
			return true
		}
	}
	return false
}

func simpleRegexPlugin(name, typ string, pre func(*lineCtx) bool, res ...*regexp.Regexp) *plugin {
	return &plugin{name: name, typ: typ, regexBased: true, find: func(c *lineCtx, e emitter) {
		if pre != nil && !pre(c) {
			return
		}
		for _, re := range res {
			emitFindall(re, c.line, e)
		}
	}}
}

var (
	artifactoryRes = lazyREs(
		`(?:[`+pySpaceClass+`]|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:[`+pySpaceClass+`]|"|$)`,
		`(?:[`+pySpaceClass+`]|=|:|"|^)AP[`+pyDigit+`ABCDEF][a-zA-Z0-9]{8,}(?:[`+pySpaceClass+`]|"|$)`,
	)
	awsRes = lazyREs(
		`(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}`,
		`(?i)aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?['"]([0-9a-zA-Z/+]{40})['"]`,
	)
	azureRe = lazyRE(`AccountKey=[a-zA-Z0-9+/=]{88}`)
	// RESERVED_CHARACTERS + SUB_DELIMITER_CHARACTERS (RFC 3986 2.2) and
	// whitespace are excluded from both user and password.
	basicAuthRe = lazyRE("://[^:/?#\\[\\]@!$&'()*+,;=" + pySpaceClass + "]+:([^:/?#\\[\\]@!$&'()*+,;=" + pySpaceClass + "]+)@")

	cloudantAssign = sync.OnceValue(func() []assignRE {
		return []assignRE{
			assignmentRegex(`(?:cloudant|cl|clou)`, `(?:api|)(?:key|pwd|pw|password|pass|token)`, `([0-9a-f]{64})`, ""),
			assignmentRegex(`(?:cloudant|cl|clou)`, `(?:api|)(?:key|pwd|pw|password|pass|token)`, `([a-z]{24})`, ""),
		}
	})
	cloudantURL = lazyREs(
		`(?i)(?:https?://)[`+pyWordClass+`\-]+:([0-9a-f]{64})@[`+pyWordClass+`\-]+\.cloudant\.com`,
		`(?i)(?:https?://)[`+pyWordClass+`\-]+:([a-z]{24})@[`+pyWordClass+`\-]+\.cloudant\.com`,
	)
	discordRe = lazyRE(`[MNO][a-zA-Z` + pyDigit + `_\-]{23,25}\.[a-zA-Z` + pyDigit + `_\-]{6}\.[a-zA-Z` + pyDigit + `_\-]{27}`)
	githubRe  = lazyRE(`(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}`)
	ibmIAMRe  = lazyAssignment(
		`(?:ibm(?:_|-|)cloud(?:_|-|)iam|cloud(?:_|-|)iam|ibm(?:_|-|)cloud|ibm(?:_|-|)iam|ibm|iam|cloud|)(?:_|-|)(?:api|)`,
		`(?:key|pwd|password|pass|token)`, `([a-zA-Z0-9_\-]{44})`, `[^a-zA-Z0-9_\-]`)
	ibmCOSRe = lazyAssignment(`(?:(?:ibm)?[-_]?cos[-_]?(?:hmac)?|)`,
		`(?:secret[-_]?(?:access)?[-_]?key)`, `([a-f0-9]{48})`, `(?i:[^a-f0-9])`)
	jwtRe       = lazyRE(`eyJ[A-Za-z0-9_=\-]+\.[A-Za-z0-9_=\-]+\.?`)
	mailchimpRe = lazyRE(`[0-9a-z]{32}-us[0-9]{1,2}`)
	npmRe       = lazyRE(`//.+/:_authToken=[` + pySpaceClass + `]*((npm_.+)|([A-Fa-f0-9\-]{36})).*`)
	openaiRe    = lazyRE(`sk-[A-Za-z0-9_\-]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}`)
	pypiRes     = lazyREs(
		`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{70,}`,
		`pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{70,}`,
	)
	sendgridRe = lazyRE(`SG\.[a-zA-Z0-9_\-]{22}\.[a-zA-Z0-9_\-]{43}`)
	slackRes   = lazyREs(
		`(?i)xox(?:a|b|p|o|s|r)-(?:[`+pyDigit+`]+-)+[a-z0-9]+`,
		`(?i)https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+`,
	)
	softlayerAssign = lazyAssignment(`(?:softlayer|sl)(?:_|-|)(?:api|)`, `(?:key|pwd|password|pass|token)`, `([a-z0-9]{64})`, "")
	softlayerURL    = lazyRE(`(?i)(?:http|https)://api.softlayer.com/soap/(?:v3|v3.1)/([a-z0-9]{64})`)
	squareRe        = lazyRE(`sq0csp-[0-9A-Za-z\\\-_]{43}`)
	stripeRe        = lazyRE(`(?:r|s)k_live_[0-9a-zA-Z]{24}`)
	telegramRe      = lazyRE(`[` + pyDigit + `]{8,10}:[0-9A-Za-z_\-]{35}`)
	twilioRes       = lazyREs(
		`AC[a-z0-9]{32}`,
		`SK[a-z0-9]{32}`,
	)

	privateKeyHeaders = []string{
		"BEGIN DSA PRIVATE KEY",
		"BEGIN EC PRIVATE KEY",
		"BEGIN OPENSSH PRIVATE KEY",
		"BEGIN PGP PRIVATE KEY BLOCK",
		"BEGIN PRIVATE KEY",
		"BEGIN RSA PRIVATE KEY",
		"BEGIN SSH2 ENCRYPTED PRIVATE KEY",
		"PuTTY-User-Key-File-2",
	}
)

// builtinPlugins returns a fresh instance of every 1.5.0 plugin that takes
// no options, keyed by class name. Each prefilter only skips lines on which
// the regex cannot match.
func builtinPlugins() map[string]*plugin {
	ps := []*plugin{
		simpleRegexPlugin("ArtifactoryDetector", "Artifactory Credentials",
			func(c *lineCtx) bool { return c.has('A') && (strings.Contains(c.line, "AKC") || hasAPToken(c)) }, artifactoryRes()...),
		simpleRegexPlugin("AWSKeyDetector", "AWS Access Key",
			func(c *lineCtx) bool {
				return (c.has('A') && anyLiteral(c.line, "A3T", "ABIA", "ACCA", "AKIA", "ASIA")) ||
					(c.hasEither('w') && c.hasFold("aws"))
			}, awsRes()...),
		simpleRegexPlugin("AzureStorageKeyDetector", "Azure Storage Account access key",
			func(c *lineCtx) bool { return c.has('K') && strings.Contains(c.line, "AccountKey=") }, azureRe()),
		simpleRegexPlugin("BasicAuthDetector", "Basic Auth Credentials",
			func(c *lineCtx) bool { return c.has('/') && c.has(':') && strings.Contains(c.line, "://") }, basicAuthRe()),
		{name: "CloudantDetector", typ: "Cloudant Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if !c.hasEither('l') || !c.hasFold("cl") || !c.hasFold("key", "pw", "pass", "token", "cloudant.com") ||
				!(c.runOf(runHex) >= 64 || c.runOf(runLetter) >= 24) {
				return
			}
			for _, re := range cloudantAssign() {
				findAssignment(re, c.line, e)
			}
			if c.hasFold("cloudant.com") {
				for _, re := range cloudantURL() {
					emitFindall(re, c.line, e)
				}
			}
		}},
		simpleRegexPlugin("DiscordBotTokenDetector", "Discord Bot Token", hasDotsSevenApart, discordRe()),
		simpleRegexPlugin("GitHubTokenDetector", "GitHub Token",
			func(c *lineCtx) bool {
				return c.has('_') && c.has('h') && anyLiteral(c.line, "ghp_", "gho_", "ghu_", "ghs_", "ghr_")
			}, githubRe()),
		{name: "GitLabTokenDetector", typ: "GitLab Token", regexBased: true, find: findGitLab},
		{name: "IbmCloudIamDetector", typ: "IBM Cloud IAM Key", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 47 || !c.hasFold("key", "pwd", "pass", "token") || c.runOf(runIAM) < 44 {
				return
			}
			findAssignment(ibmIAMRe(), c.line, e)
		}},
		{name: "IbmCosHmacDetector", typ: "IBM COS HMAC Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 57 || !c.hasFold("secret") || c.runOf(runHex) < 48 {
				return
			}
			findAssignment(ibmCOSRe(), c.line, e)
		}},
		{name: "IPPublicDetector", typ: "Public IP (ipv4)", regexBased: true, find: findPublicIPs},
		{name: "JwtTokenDetector", typ: "JSON Web Token", regexBased: true, find: func(c *lineCtx, e emitter) {
			if !c.has('J') || !strings.Contains(c.line, "eyJ") {
				return
			}
			for _, tok := range jwtRe().FindAllString(c.line, -1) {
				if jwtFormallyValid(tok) {
					e.emit(tok)
				}
			}
		}},
		simpleRegexPlugin("MailchimpDetector", "Mailchimp Access Key",
			func(c *lineCtx) bool { return len(c.line) >= 36 && c.has('-') && strings.Contains(c.line, "-us") }, mailchimpRe()),
		simpleRegexPlugin("NpmDetector", "NPM tokens",
			func(c *lineCtx) bool { return c.has('_') && strings.Contains(c.line, ":_authToken=") }, npmRe()),
		simpleRegexPlugin("OpenAIDetector", "OpenAI Token",
			func(c *lineCtx) bool { return c.has('3') && strings.Contains(c.line, "T3BlbkFJ") }, openaiRe()),
		{name: "PrivateKeyDetector", typ: "Private Key", regexBased: true, find: func(c *lineCtx, e emitter) {
			if !(c.has('G') || c.has('T')) || !anyLiteral(c.line, "BEGIN", "PuTTY") {
				return
			}
			for _, h := range privateKeyHeaders {
				if strings.Contains(c.line, h) {
					e.emit(h)
				}
			}
		}},
		simpleRegexPlugin("PypiTokenDetector", "PyPI Token",
			func(c *lineCtx) bool { return c.has('E') && strings.Contains(c.line, "pypi-AgE") }, pypiRes()...),
		simpleRegexPlugin("SendGridDetector", "SendGrid API Key",
			func(c *lineCtx) bool { return c.has('G') && strings.Contains(c.line, "SG.") }, sendgridRe()),
		simpleRegexPlugin("SlackDetector", "Slack Token",
			func(c *lineCtx) bool { return c.hasEither('x') && c.hasFold("xox", "hooks.slack.com") }, slackRes()...),
		{name: "SoftlayerDetector", typ: "SoftLayer Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 64 || !c.hasFold("sl", "softlayer") || c.runOf(runAlnum) < 64 {
				return
			}
			if c.hasFold("key", "pwd", "pass", "token") {
				findAssignment(softlayerAssign(), c.line, e)
			}
			if c.hasFold("softlayer") {
				emitFindall(softlayerURL(), c.line, e)
			}
		}},
		simpleRegexPlugin("SquareOAuthDetector", "Square OAuth Secret",
			func(c *lineCtx) bool { return c.has('q') && strings.Contains(c.line, "sq0csp-") }, squareRe()),
		simpleRegexPlugin("StripeDetector", "Stripe Access Key",
			func(c *lineCtx) bool { return c.has('_') && strings.Contains(c.line, "k_live_") }, stripeRe()),
		simpleRegexPlugin("TelegramBotTokenDetector", "Telegram Bot Token", hasDigitsColon, telegramRe()),
		simpleRegexPlugin("TwilioKeyDetector", "Twilio API Key",
			func(c *lineCtx) bool {
				return len(c.line) >= 34 && ((c.has('A') && c.has('C')) || (c.has('S') && c.has('K'))) &&
					anyLiteral(c.line, "AC", "SK") && c.runOf(runAlnum) >= 34
			}, twilioRes()...),
	}
	out := make(map[string]*plugin, len(ps))
	for _, p := range ps {
		out[p.name] = p
	}
	return out
}

// hasAPToken: "AP", then a digit or A-F, then 8 ASCII alphanumerics, as
// Artifactory's password regex needs (non-ASCII lines go to the regex,
// whose \d is Unicode).
func hasAPToken(c *lineCtx) bool {
	if c.nonASCII {
		return strings.Contains(c.line, "AP")
	}
	l := c.line
	for i := strings.Index(l, "AP"); i >= 0; {
		j := i + 2
		if j+9 <= len(l) && (isD(l[j]) || (l[j] >= 'A' && l[j] <= 'F')) {
			ok := true
			for k := j + 1; k < j+9; k++ {
				if !isASCIIAlnum(l[k]) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		n := strings.Index(l[i+1:], "AP")
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

func isASCIIAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// hasDotsSevenApart: a Discord token has two dots exactly 7 bytes apart
// (6 ASCII characters between them).
func hasDotsSevenApart(c *lineCtx) bool {
	if len(c.line) < 59 || !c.has('.') {
		return false
	}
	l := c.line
	for i := strings.IndexByte(l, '.'); i >= 0 && i+7 < len(l); {
		if l[i+7] == '.' {
			return true
		}
		n := strings.IndexByte(l[i+1:], '.')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// hasDigitsColon: Telegram tokens have 8 digits right before a ':'.
func hasDigitsColon(c *lineCtx) bool {
	if !c.has(':') {
		return false
	}
	if c.nonASCII {
		return strings.IndexByte(c.line, ':') >= 0
	}
	l := c.line
	for i := strings.IndexByte(l, ':'); i >= 0; {
		if i >= 8 {
			ok := true
			for k := i - 8; k < i; k++ {
				if !isD(l[k]) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		n := strings.IndexByte(l[i+1:], ':')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// GitLabTokenDetector (detect_secrets/plugins/gitlab_token.py as merged
// in PR #782, released in 1.5.0) has seven regexes, each a literal prefix,
// a run of [A-Za-z0-9_-] with bounds, and (?!\w):
//
//	(glpat|gldt|glft|glsoat|glrt)-[...]{20,50}   one group: the prefix
//	GR1348941[...]{20,50}                          the whole match
//	glcbt-([0-9a-fA-F]{2}_)?[...]{20,50}           one group: that part, or ""
//	glimt-[...]{25}, glptt-[...]{40}, glagent-[...]{50,1024}, gloas-[...]{64}
//
// findall is run per regex, in that order. The matcher below is what the
// backtracking does: the greedy run backs off from its upper bound until
// the next character is not a word character; inside the run only '-'
// qualifies. With the run ends and the last '-' precomputed, each candidate
// costs O(1), so a line is scanned in linear time.
type gitlabRule struct {
	prefixes []string // alternatives, tried in order at a position
	group    int      // 0 whole match, 1 prefix word, 2 glcbt's optional part
	min, max int
}

var gitlabRules = []gitlabRule{
	{prefixes: []string{"glpat-", "gldt-", "glft-", "glsoat-", "glrt-"}, group: 1, min: 20, max: 50},
	{prefixes: []string{"GR1348941"}, min: 20, max: 50},
	{prefixes: []string{"glcbt-"}, group: 2, min: 20, max: 50},
	{prefixes: []string{"glimt-"}, min: 25, max: 25},
	{prefixes: []string{"glptt-"}, min: 40, max: 40},
	{prefixes: []string{"glagent-"}, min: 50, max: 1024},
	{prefixes: []string{"gloas-"}, min: 64, max: 64},
}

func isGitLabRunChar(c byte) bool { return isASCIIAlnum(c) || c == '_' || c == '-' }

// gitlabLine holds, per byte offset, where the [A-Za-z0-9_-] run that
// contains it ends and the nearest '-' at or before it.
type gitlabLine struct {
	line     string
	runEnd   []int
	lastDash []int
}

func newGitLabLine(line string) *gitlabLine {
	g := &gitlabLine{line: line, runEnd: make([]int, len(line)+1), lastDash: make([]int, len(line)+1)}
	g.runEnd[len(line)] = len(line)
	for i := len(line) - 1; i >= 0; i-- {
		if isGitLabRunChar(line[i]) {
			g.runEnd[i] = g.runEnd[i+1]
		} else {
			g.runEnd[i] = i
		}
	}
	last := -1
	for i := 0; i < len(line); i++ {
		if line[i] == '-' {
			last = i
		}
		g.lastDash[i] = last
	}
	g.lastDash[len(line)] = last
	return g
}

// end returns where `[...]{min,max}(?!\w)` starting at s ends, trying the
// longest length first as the greedy quantifier does.
func (g *gitlabLine) end(s, min, max int) (int, bool) {
	run := g.runEnd[s] - s
	if run < min {
		return 0, false
	}
	top := run
	if top > max {
		top = max
	}
	if top == run && afterIsNotWord(g.line, s+run) {
		return s + run, true
	}
	// A shorter length works only where the next character, still in the
	// run, is '-': the last '-' at an offset in [min, top] (below run).
	limit := s + top
	if top == run {
		limit--
	}
	if d := g.lastDash[limit]; d >= s+min {
		return d, true
	}
	return 0, false
}

func afterIsNotWord(line string, i int) bool {
	if i >= len(line) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(line[i:])
	return !isPyWord(r)
}

func findGitLab(c *lineCtx, e emitter) {
	line := c.line
	// Every prefix but GR1348941 has a '-'.
	if !((c.has('-') && c.has('g') && strings.Contains(line, "gl")) || (c.has('G') && strings.Contains(line, "GR1348941"))) {
		return
	}
	var g *gitlabLine
	for _, r := range gitlabRules {
		pos := 0
		// next[i] caches where prefix i next occurs at or after pos (-1:
		// nowhere), so each prefix is searched for once per occurrence.
		next := make([]int, len(r.prefixes))
		for i := range next {
			next[i] = -2
		}
		for pos < len(line) {
			// The next position where one of the prefixes starts.
			at, pre := -1, ""
			for i, p := range r.prefixes {
				if next[i] == -2 || (next[i] >= 0 && next[i] < pos) {
					next[i] = -1
					if j := strings.Index(line[pos:], p); j >= 0 {
						next[i] = pos + j
					}
				}
				if next[i] >= 0 && (at < 0 || next[i] < at) {
					at, pre = next[i], p
				}
			}
			if at < 0 {
				break
			}
			if g == nil {
				g = newGitLabLine(line)
			}
			s := at + len(pre)
			matched, endAt, value := false, 0, ""
			if r.group == 2 && s+3 <= len(line) && isHexByte(line[s]) && isHexByte(line[s+1]) && line[s+2] == '_' {
				// The optional group is greedy: tried first.
				if end, ok := g.end(s+3, r.min, r.max); ok {
					matched, endAt, value = true, end, line[s:s+3]
				}
			}
			if !matched {
				if end, ok := g.end(s, r.min, r.max); ok {
					matched, endAt = true, end
				}
			}
			if !matched {
				pos = at + 1
				continue
			}
			switch r.group {
			case 0:
				e.emit(line[at:endAt])
			case 1:
				e.emit(strings.TrimSuffix(pre, "-"))
			default:
				e.emit(value)
			}
			pos = endAt
		}
	}
}

func isHexByte(c byte) bool {
	return isD(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func mustRE(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// lazyRE returns the regexp src, compiled at its first use. The package's
// patterns take about 10 ms to compile (Python's Unicode classes, under
// (?i), are large): compiled as package variables, every clawgate run paid
// that at start-up, with detect-secrets' plugins or without.
func lazyRE(src string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(src) })
}

// lazyREs is lazyRE for a list.
func lazyREs(srcs ...string) func() []*regexp.Regexp {
	return sync.OnceValue(func() []*regexp.Regexp {
		out := make([]*regexp.Regexp, len(srcs))
		for i, src := range srcs {
			out[i] = regexp.MustCompile(src)
		}
		return out
	})
}

// lazyAssignment is assignmentRegex, compiled at its first use.
func lazyAssignment(prefix, keyword, secret, notAfter string) func() assignRE {
	return sync.OnceValue(func() assignRE { return assignmentRegex(prefix, keyword, secret, notAfter) })
}
