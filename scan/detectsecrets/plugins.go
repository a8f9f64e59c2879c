package detectsecrets

import (
	"regexp"
	"strings"
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
}

// emitter receives the raw values a plugin yields for a line.
type emitter interface{ emit(string) }

// lineCtx is one line and what the prefilters need, computed once.
type lineCtx struct {
	filename string
	ft       fileType
	line     string
	// lower is line with ASCII letters lower-cased, for cheap
	// case-insensitive prefilters.
	lower    string
	nonASCII bool
	// bytes is the set of byte values in line.
	bytes [4]uint64
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
		if strings.Contains(c.lower, w) {
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

// findallChecked emulates findall for a Python regex whose lookaround
// parts RE2 cannot express: re is the pattern without them and ok checks
// them on the whole line. When ok rejects a match, the search restarts one
// character later, as Python's search does after every path at a start
// position fails. This is exact when the lookarounds only constrain the
// start and the end of the match, which is the case for every caller.
func findallChecked(re *regexp.Regexp, line string, ok func(m []int) bool, e emitter) {
	pos := 0
	n := re.NumSubexp()
	for pos <= len(line) {
		loc := re.FindStringSubmatchIndex(line[pos:])
		if loc == nil {
			return
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		if !ok(loc) {
			_, size := utf8.DecodeRuneInString(line[loc[0]:])
			if size == 0 {
				return
			}
			pos = loc[0] + size
			continue
		}
		switch n {
		case 0:
			e.emit(line[loc[0]:loc[1]])
		case 1:
			if loc[2] >= 0 {
				e.emit(line[loc[2]:loc[3]])
			} else {
				e.emit("")
			}
		default:
			for g := 1; g <= n; g++ {
				if loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] {
					e.emit(line[loc[2*g]:loc[2*g+1]])
				}
			}
		}
		if loc[1] > loc[0] {
			pos = loc[1]
		} else {
			pos = loc[1] + 1
		}
	}
}

// afterIsNot reports whether the rune at i (if any) fails pred: a negative
// lookahead of one character.
func afterIsNot(line string, i int, pred func(rune) bool) bool {
	if i >= len(line) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(line[i:])
	return !pred(r)
}

// beforeIsNonWordOrStart is build_assignment_regex's (?:(?<=\W)|(?<=^)).
func beforeIsNonWordOrStart(line string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(line[:i])
	return !isPyWord(r)
}

func mustRE(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// assignmentRegex is RegexBasedDetector.build_assignment_regex without its
// leading lookbehind, which callers check with beforeIsNonWordOrStart.
func assignmentRegex(prefix, keyword, secret string) *regexp.Regexp {
	return mustRE(`(?i)(?:\[|)(?:"|'|)` + prefix + `(?:_|-|)` + keyword +
		`(?:"|'|)(?:\]|)(?: *)(?:=|:|:=|=>| +|::)(?: *)(?:"|'|)` + secret)
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
	artifactoryRes = []*regexp.Regexp{
		mustRE(`(?:[` + pySpaceClass + `]|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:[` + pySpaceClass + `]|"|$)`),
		mustRE(`(?:[` + pySpaceClass + `]|=|:|"|^)AP[` + pyDigit + `ABCDEF][a-zA-Z0-9]{8,}(?:[` + pySpaceClass + `]|"|$)`),
	}
	awsRes = []*regexp.Regexp{
		mustRE(`(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}`),
		mustRE(`(?i)aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?['"]([0-9a-zA-Z/+]{40})['"]`),
	}
	azureRe     = mustRE(`AccountKey=[a-zA-Z0-9+/=]{88}`)
	basicAuthRe = mustRE(`://[^:/?#\[\]@` + pySpaceClass + `]+:([^:/?#\[\]@` + pySpaceClass + `]+)@`)

	cloudantAssign = []*regexp.Regexp{
		assignmentRegex(`(?:cloudant|cl|clou)`, `(?:api|)(?:key|pwd|pw|password|pass|token)`, `([0-9a-f]{64})`),
		assignmentRegex(`(?:cloudant|cl|clou)`, `(?:api|)(?:key|pwd|pw|password|pass|token)`, `([a-z]{24})`),
	}
	cloudantURL = []*regexp.Regexp{
		mustRE(`(?i)(?:https?://)[` + pyWordClass + `\-]+:([0-9a-f]{64})@[` + pyWordClass + `\-]+\.cloudant\.com`),
		mustRE(`(?i)(?:https?://)[` + pyWordClass + `\-]+:([a-z]{24})@[` + pyWordClass + `\-]+\.cloudant\.com`),
	}
	discordRe = mustRE(`[MNO][a-zA-Z` + pyDigit + `_\-]{23,25}\.[a-zA-Z` + pyDigit + `_\-]{6}\.[a-zA-Z` + pyDigit + `_\-]{27}`)
	githubRe  = mustRE(`(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}`)
	gitlabRe  = mustRE(`(glpat|gloas|gldt|glrt|glcbt|glptt|glft|glimt|glagent|glsoat)-[A-Za-z0-9_\-]{20,}`)
	ibmIAMRe  = assignmentRegex(
		`(?:ibm(?:_|-|)cloud(?:_|-|)iam|cloud(?:_|-|)iam|ibm(?:_|-|)cloud|ibm(?:_|-|)iam|ibm|iam|cloud|)(?:_|-|)(?:api|)`,
		`(?:key|pwd|password|pass|token)`, `([a-zA-Z0-9_\-]{44})`)
	ibmCOSRe = assignmentRegex(`(?:(?:ibm)?[-_]?cos[-_]?(?:hmac)?|)`,
		`(?:secret[-_]?(?:access)?[-_]?key)`, `([a-f0-9]{48})`)
	jwtRe       = mustRE(`eyJ[A-Za-z0-9_=\-]+\.[A-Za-z0-9_=\-]+\.?`)
	mailchimpRe = mustRE(`[0-9a-z]{32}-us[0-9]{1,2}`)
	npmRe       = mustRE(`//.+/:_authToken=[` + pySpaceClass + `]*((npm_.+)|([A-Fa-f0-9\-]{36})).*`)
	openaiRe    = mustRE(`sk-[A-Za-z0-9_\-]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}`)
	pypiRes     = []*regexp.Regexp{
		mustRE(`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{70,}`),
		mustRE(`pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{70,}`),
	}
	sendgridRe = mustRE(`SG\.[a-zA-Z0-9_\-]{22}\.[a-zA-Z0-9_\-]{43}`)
	slackRes   = []*regexp.Regexp{
		mustRE(`(?i)xox(?:a|b|p|o|s|r)-(?:[` + pyDigit + `]+-)+[a-z0-9]+`),
		mustRE(`(?i)https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+`),
	}
	softlayerAssign = assignmentRegex(`(?:softlayer|sl)(?:_|-|)(?:api|)`, `(?:key|pwd|password|pass|token)`, `([a-z0-9]{64})`)
	softlayerURL    = mustRE(`(?i)(?:http|https)://api.softlayer.com/soap/(?:v3|v3.1)/([a-z0-9]{64})`)
	squareRe        = mustRE(`sq0csp-[0-9A-Za-z\\\-_]{43}`)
	stripeRe        = mustRE(`(?:r|s)k_live_[0-9a-zA-Z]{24}`)
	telegramRe      = mustRE(`[` + pyDigit + `]{8,10}:[0-9A-Za-z_\-]{35}`)
	twilioRes       = []*regexp.Regexp{mustRE(`AC[a-z0-9]{32}`), mustRE(`SK[a-z0-9]{32}`)}

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

func isHexDigitFold(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
}

func isIAMChar(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_' || r == '-'
}

// assignmentPlugin finds build_assignment_regex matches: the lookbehind at
// the start and an optional negative lookahead after the secret group.
func findAssignment(re *regexp.Regexp, line string, after func(rune) bool, e emitter) {
	findallChecked(re, line, func(m []int) bool {
		if !beforeIsNonWordOrStart(line, m[0]) {
			return false
		}
		return after == nil || afterIsNot(line, m[3], after)
	}, e)
}

// builtinPlugins returns a fresh instance of every 1.5.0 plugin that takes
// no options, keyed by class name. Each prefilter only skips lines on which
// the regex cannot match.
func builtinPlugins() map[string]*plugin {
	ps := []*plugin{
		simpleRegexPlugin("ArtifactoryDetector", "Artifactory Credentials",
			func(c *lineCtx) bool { return c.has('A') && (strings.Contains(c.line, "AKC") || hasAPToken(c)) }, artifactoryRes...),
		simpleRegexPlugin("AWSKeyDetector", "AWS Access Key",
			func(c *lineCtx) bool {
				return (c.has('A') && anyLiteral(c.line, "A3T", "ABIA", "ACCA", "AKIA", "ASIA")) ||
					(c.hasEither('w') && c.hasFold("aws"))
			}, awsRes...),
		simpleRegexPlugin("AzureStorageKeyDetector", "Azure Storage Account access key",
			func(c *lineCtx) bool { return c.has('K') && strings.Contains(c.line, "AccountKey=") }, azureRe),
		simpleRegexPlugin("BasicAuthDetector", "Basic Auth Credentials",
			func(c *lineCtx) bool { return c.has('/') && c.has(':') && strings.Contains(c.line, "://") }, basicAuthRe),
		{name: "CloudantDetector", typ: "Cloudant Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if !c.hasEither('l') || !c.hasFold("cl") || !c.hasFold("key", "pw", "pass", "token", "cloudant.com") ||
				!(c.runOf(runHex) >= 64 || c.runOf(runLetter) >= 24) {
				return
			}
			for _, re := range cloudantAssign {
				findAssignment(re, c.line, nil, e)
			}
			for _, re := range cloudantURL {
				emitFindall(re, c.line, e)
			}
		}},
		simpleRegexPlugin("DiscordBotTokenDetector", "Discord Bot Token", hasDotsSevenApart, discordRe),
		simpleRegexPlugin("GitHubTokenDetector", "GitHub Token",
			func(c *lineCtx) bool {
				return c.has('_') && c.has('h') && anyLiteral(c.line, "ghp_", "gho_", "ghu_", "ghs_", "ghr_")
			}, githubRe),
		{name: "GitLabTokenDetector", typ: "GitLab Token", regexBased: true, find: findGitLab},
		{name: "IbmCloudIamDetector", typ: "IBM Cloud IAM Key", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 47 || !c.hasFold("key", "pwd", "pass", "token") || c.runOf(runIAM) < 44 {
				return
			}
			findAssignment(ibmIAMRe, c.line, isIAMChar, e)
		}},
		{name: "IbmCosHmacDetector", typ: "IBM COS HMAC Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 57 || !c.hasFold("secret") || c.runOf(runHex) < 48 {
				return
			}
			findAssignment(ibmCOSRe, c.line, isHexDigitFold, e)
		}},
		{name: "IPPublicDetector", typ: "Public IP (ipv4)", regexBased: true, find: findPublicIPs},
		{name: "JwtTokenDetector", typ: "JSON Web Token", regexBased: true, find: func(c *lineCtx, e emitter) {
			if !c.has('J') || !strings.Contains(c.line, "eyJ") {
				return
			}
			for _, tok := range jwtRe.FindAllString(c.line, -1) {
				if jwtFormallyValid(tok) {
					e.emit(tok)
				}
			}
		}},
		simpleRegexPlugin("MailchimpDetector", "Mailchimp Access Key",
			func(c *lineCtx) bool { return len(c.line) >= 36 && c.has('-') && strings.Contains(c.line, "-us") }, mailchimpRe),
		simpleRegexPlugin("NpmDetector", "NPM tokens",
			func(c *lineCtx) bool { return c.has('_') && strings.Contains(c.line, ":_authToken=") }, npmRe),
		simpleRegexPlugin("OpenAIDetector", "OpenAI Token",
			func(c *lineCtx) bool { return c.has('3') && strings.Contains(c.line, "T3BlbkFJ") }, openaiRe),
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
			func(c *lineCtx) bool { return c.has('E') && strings.Contains(c.line, "pypi-AgE") }, pypiRes...),
		simpleRegexPlugin("SendGridDetector", "SendGrid API Key",
			func(c *lineCtx) bool { return c.has('G') && strings.Contains(c.line, "SG.") }, sendgridRe),
		simpleRegexPlugin("SlackDetector", "Slack Token",
			func(c *lineCtx) bool { return c.hasEither('x') && c.hasFold("xox", "hooks.slack.com") }, slackRes...),
		{name: "SoftlayerDetector", typ: "SoftLayer Credentials", regexBased: true, find: func(c *lineCtx, e emitter) {
			if len(c.line) < 64 || !c.hasFold("sl", "softlayer") || c.runOf(runAlnum) < 64 {
				return
			}
			if c.hasFold("key", "pwd", "pass", "token") {
				findAssignment(softlayerAssign, c.line, nil, e)
			}
			if c.hasFold("softlayer") {
				emitFindall(softlayerURL, c.line, e)
			}
		}},
		simpleRegexPlugin("SquareOAuthDetector", "Square OAuth Secret",
			func(c *lineCtx) bool { return c.has('q') && strings.Contains(c.line, "sq0csp-") }, squareRe),
		simpleRegexPlugin("StripeDetector", "Stripe Access Key",
			func(c *lineCtx) bool { return c.has('_') && strings.Contains(c.line, "k_live_") }, stripeRe),
		simpleRegexPlugin("TelegramBotTokenDetector", "Telegram Bot Token", hasDigitsColon, telegramRe),
		simpleRegexPlugin("TwilioKeyDetector", "Twilio API Key",
			func(c *lineCtx) bool {
				return len(c.line) >= 34 && ((c.has('A') && c.has('C')) || (c.has('S') && c.has('K'))) &&
					anyLiteral(c.line, "AC", "SK") && c.runOf(runAlnum) >= 34
			}, twilioRes...),
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

// findGitLab emulates `(prefix)-[A-Za-z0-9_\-]{20,50}(?!\w)`: the greedy
// count backs off from 50 to 20 until the next character is not a word
// character. The regex has one group, so findall yields the prefix alone:
// that is the value detect-secrets hashes.
func findGitLab(c *lineCtx, e emitter) {
	line := c.line
	if !c.has('g') || !c.has('-') || !strings.Contains(line, "gl") {
		return
	}
	findallChecked(gitlabRe, line, func(m []int) bool {
		start := m[3] + 1 // after the '-'
		run := m[1] - start
		if run > 50 {
			run = 50
		}
		for n := run; n >= 20; n-- {
			if afterIsNot(line, start+n, isPyWord) {
				m[1] = start + n
				return true
			}
		}
		return false
	}, e)
}
