package detectsecrets

import (
	"math/rand/v2"
	"strings"
)

// synthFile builds a random file for the differential tests: lines made of
// the pieces every plugin, filter and prefilter looks for (keywords in
// several cases and Unicode foldings, operators, quotes, token prefixes,
// character runs of the lengths the regexes count, IPs, pragmas, Python
// whitespace), whole assignments that do yield secrets, and INI/YAML
// shapes that the transformers parse. The aim is many near misses around
// each prefilter's boundary, so a prefilter that drops a line it must not
// shows up as a difference.
func synthFile(r *rand.Rand) (name string, content []byte) {
	name = synthNames[r.IntN(len(synthNames))]
	var b strings.Builder
	n := 1 + r.IntN(30)
	switch r.IntN(8) {
	case 0: // an INI file: a section header first
		b.WriteString("[" + synthPick(r, []string{"s", "DEFAULT", "main", "global"}) + "]\n")
	case 1: // a YAML mapping
		if r.IntN(2) == 0 {
			name = synthPick(r, []string{"a.yaml", "b.yml", "c.eyaml"})
		}
	}
	eols := []string{"\n", "\n", "\n", "\n", "\r\n", "\r"}
	for i := 0; i < n; i++ {
		b.WriteString(synthLine(r))
		b.WriteString(eols[r.IntN(len(eols))])
	}
	content = []byte(b.String())
	if r.IntN(50) == 0 && len(content) > 0 {
		content[r.IntN(len(content))] = 0xff // invalid UTF-8: skipped
	}
	return name, content
}

var synthNames = []string{
	"main.go", "x_test.go", "a.py", "b.js", "c.java", "d.swift", "e.tf", "f.pyi", "g.cls",
	"h.c", "i.cpp", "j.m", "k.cs", "l.yaml", "m.yml", "n.ini", "o.cfg", "p.conf", "q.properties",
	"r.toml", "s.cnf", "t.cf", "u.txt", "v.env", "README", "w.md", "x.example", "y.php", "z.s",
	"dir/.bashrc", "dir/swagger.json", "package-lock.json", ".secrets.baseline", "img.png",
	"a.eyaml", "b.sh", "c.rb", "d.json", "e.xml", "Makefile",
}

var synthTokens = []string{
	// keywords and near misses
	"password", "PASSWORD", "Password", "passwd", "pwd", "PWD", "secret", "Secret", "SECRET_KEY",
	"api_key", "apikey", "API_KEY", "apiKey", "auth_key", "authkey", "service_key", "account_key",
	"db_key", "database_key", "priv_key", "private_key", "privateKey", "client_key", "db_pass",
	"database_pass", "key_pass", "keypass", "contraseña", "contrasena", "CONTRASEÑA", "ſecret",
	"\u212aey_pass", "api_\u212aey", "paſſword", "pass", "key", "token", "pw", "secre", "passw",
	"my_password_here", "xsecretx", "secret_token", "aws", "AWS", "aws_secret_access_key",
	"cloudant", "clou", "cl", "cloudant_api_key", "ibm", "iam", "cloud", "ibm_cloud_iam_api_key",
	"cos", "hmac", "ibm_cos_hmac_secret_access_key", "secret_access_key", "softlayer", "sl",
	"sl_api_key", "softlayer_password", "id", "_id", "userid", "myid", "ids", "user_ids",
	// operators and punctuation
	"=", "=", "==", "===", "!=", "!==", ":=", ":", ":", "::", "=>", ";", ",", "(", ")", "[", "]",
	"{", "}", "<", ">", "$", "${", "@", "@\"", "\"", "\"", "'", "'", "`", " ", " ", " ", "  ",
	"\t", "\v", "\f", "\x1c", "\u00a0", "\u2028", "\u3000", "#", "//", "/*", "-", "_", ".", "/",
	"\\", "+", "[]", "[0]", "(\"", ".assign(\"", "[\"", "\"]", "'];", "?", "&", "!", "%",
	// token prefixes and shapes
	"AKIA", "ASIA", "ABIA", "ACCA", "A3TX", "AKIAIOSFODNN7EXAMPLE", "AKC", "AKCp", "AP1", "APB",
	"APF", "AccountKey=", "://", "https://", "http://", "ftp://", "user:pw@", "u:p@host",
	"://a:b@c", "xoxb-", "xoxp-1-", "XOXA-12-", "hooks.slack.com/services/T", "/B", "ghp_",
	"gho_", "ghs_", "glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-", "1a_", "GR1348941",
	"glimt-", "glptt-", "glagent-", "gloas-", "eyJ", "eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxIn0",
	"-us1", "-us12", "//registry.npmjs.org/:_authToken=", ":_authToken=", "npm_", "sk-",
	"T3BlbkFJ", "pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw", "pypi-AgE", "SG.",
	"sq0csp-", "sk_live_", "rk_live_", "k_live_", "AC", "SK", "M", "N", "O", "BEGIN",
	"BEGIN RSA PRIVATE KEY", "BEGIN PRIVATE KEY", "BEGIN OPENSSH PRIVATE KEY", "-----BEGIN EC PRIVATE KEY-----",
	"PuTTY-User-Key-File-2", "PuTTY", "pragma: allowlist secret", "pragma: allowlist nextline secret",
	"# pragma: allowlist secret", "// pragma: allowlist secret", "pragma", ".cloudant.com",
	"api.softlayer.com/soap/v3/", "api.softlayer.com/soap/v3.1/", "1.2.3.4", "8.8.8.8:53",
	"8.8.4.4:123456", "192.168.1.1", "10.0.0.1", "172.16.0.1", "172.32.0.1", "127.0.0.1",
	"256.1.1.1", "1.2.3", "01.2.3.4", "٣.٤.٥.٦", "1.2.3.4:٣", "١٢٣٤٥٦٧٨:", "123456789:",
	"12345678", "0.0.0.0", ".5", "v1.2.3.4", "x", "y", "fmt", "Println", "return", "func", "if",
	"é", "ß", "日本", "K", "ſ", "İ", "ı",
}

// synthRuns are the character sets of the regexes' runs.
var synthRuns = []string{
	"0123456789abcdef",
	"0123456789ABCDEF",
	"0123456789",
	"abcdefghijklmnopqrstuvwxyz",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\\-_=+/",
	"0123456789abcdefghijklmnopqrstuvwxyz",
	"aé日ß1_",
}

// synthLens are run lengths around the ones the regexes and the entropy
// limits count.
var synthLens = []int{1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 16, 20, 22, 23, 24, 25, 26, 27, 32, 33, 34, 35, 36, 40, 43, 44, 45, 48, 50, 51, 64, 65, 70, 88}

func synthPick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func synthRun(r *rand.Rand) string {
	set := []rune(synthPick(r, synthRuns))
	n := synthLens[r.IntN(len(synthLens))]
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(set[r.IntN(len(set))])
	}
	return b.String()
}

func synthLine(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString(synthPick(r, []string{"", "", "\t", "  ", "- ", "const ", "var ", "# ", "// ", "; "}))
	}
	switch r.IntN(5) {
	case 4: // a token shape with its lengths around the limits
		b.WriteString(synthShape(r))
	case 0: // an assignment-shaped line, the most productive for the keyword detectors
		q := synthPick(r, []string{"\"", "'", "`", "", "\""})
		b.WriteString(synthPick(r, synthTokens[:80]))
		b.WriteString(synthPick(r, []string{"", " ", "\"", "']", "[0]"}))
		b.WriteString(synthPick(r, []string{" = ", "=", " := ", ": ", ":", " == ", " => ", "(", " ", "::", " != "}))
		b.WriteString(synthPick(r, []string{"", "", "@", "$", "${", "<", "{"}))
		b.WriteString(q)
		b.WriteString(synthRun(r))
		if r.IntN(3) == 0 {
			b.WriteString(synthPick(r, synthTokens))
		}
		b.WriteString(q)
		b.WriteString(synthPick(r, []string{"", "", ";", ",", ")", " # pragma: allowlist secret", " // x", "\"];"}))
	case 1: // a quoted run, the entropy plugins' shape
		q := synthPick(r, []string{"\"", "'"})
		b.WriteString(synthPick(r, synthTokens))
		b.WriteString(q + synthRun(r) + q)
	}
	for k := r.IntN(10); k > 0; k-- {
		if r.IntN(3) == 0 {
			b.WriteString(synthRun(r))
		} else {
			b.WriteString(synthPick(r, synthTokens))
		}
	}
	return b.String()
}

// synthShape writes one of the token shapes the regexes describe, each
// part a few characters longer or shorter than it should be now and then,
// with Unicode digits and spaces where Python's \d and \s allow them.
func synthShape(r *rand.Rand) string {
	jitter := func(n int) int { return n - 1 + r.IntN(3) }
	run := func(set string, n int) string {
		rs := []rune(set)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune(rs[r.IntN(len(rs))])
		}
		return b.String()
	}
	const (
		alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		iam   = alnum + "_-"
		hex   = "0123456789abcdefABCDEF"
	)
	digits := "0123456789"
	if r.IntN(4) == 0 {
		digits += "٠١٢٣٤٥٦٧٨٩𝟎𝟏"
	}
	q := synthPick(r, []string{"\"", "'", ""})
	switch r.IntN(18) {
	case 0:
		return synthPick(r, []string{"M", "N", "O", "m"}) + run(iam+digits, jitter(24)) + "." + run(iam+digits, jitter(6)) + "." + run(iam+digits, jitter(27))
	case 1:
		if r.IntN(2) == 0 { // formally valid: JSON header and payload
			return synthPick(r, []string{"eyJhbGciOiJIUzI1NiJ9", "eyJ0eXAiOiJKV1QifQ", "eyJhIjoxfQ=="}) + "." +
				synthPick(r, []string{"eyJzdWIiOiIxIn0", "eyJuYW1lIjoiSm9obiJ9", "eyJ4Ijp"}) + synthPick(r, []string{".", "", "." + run(iam, jitter(8))})
		}
		return "eyJ" + run(iam+"=", jitter(20)) + "." + run(iam+"=", jitter(10)) + synthPick(r, []string{".", "", ".x"})
	case 2:
		return synthPick(r, []string{"aws", "AWS", "Aws", "draws"}) + run("_ abc", r.IntN(22)) +
			synthPick(r, []string{"key", "pwd", "pw", "password", "pass", "token", "KEY"}) + run("_ =:", r.IntN(22)) +
			synthPick(r, []string{"\"", "'"}) + run(alnum+"/+", jitter(40)) + synthPick(r, []string{"\"", "'", ""})
	case 3:
		return synthPick(r, []string{" ", "=", ":", "\"", "", "x", "\u00a0", "\t", "\u2003", "\u3000", "é"}) +
			synthPick(r, []string{"AKC", "AP1", "APF", "AP٣", "APG", "AKc"}) + run(alnum, jitter(10)) +
			synthPick(r, []string{" ", "\"", "", "x", ".", "\u2003"})
	case 4:
		return run(digits, 7+r.IntN(5)) + ":" + run(iam, jitter(35))
	case 5:
		secret := run(hex, jitter(64))
		if r.IntN(2) == 0 {
			secret = run("abcdefghijklmnopqrstuvwxyzABC", jitter(24))
		}
		return "https://" + run(iam, 5) + ":" + secret + "@" + run(iam, 5) + synthPick(r, []string{".cloudant.com", ".example.com"})
	case 6:
		return synthPick(r, []string{"https://", "HTTPS://", "http://"}) + "hooks.slack.com/services/T" + run(alnum, 8) + "/B" + run(alnum, 8) + "/" + run(alnum, 20)
	case 7:
		return synthPick(r, []string{"ibm_cloud_iam_", "iam-", "", "cloud", "[\"", "cl_", "cloudant", "softlayer_", "sl-api"}) +
			synthPick(r, []string{"key", "pwd", "password", "pass", "token", "apikey", "pw"}) + q + synthPick(r, []string{"", "]"}) +
			synthPick(r, []string{"=", " = ", ":", ":=", "=>", " ", "::", "  :  "}) + q +
			run(synthPick(r, []string{iam, alnum, hex, "abcdefghijklmnopqrstuvwxyz", "0123456789abcdef"}), []int{23, 24, 25, 43, 44, 45, 47, 48, 49, 63, 64, 65}[r.IntN(12)]) +
			q + synthPick(r, []string{"", ";", " ", "-", "x"})
	case 8:
		return synthPick(r, []string{"ibm_cos_hmac_", "cos-", "", "COS"}) + "secret" + synthPick(r, []string{"_", "-", "", "__"}) +
			synthPick(r, []string{"access", "ACCESS", ""}) + synthPick(r, []string{"_", "-", ""}) + synthPick(r, []string{"key", "Key", "kex"}) +
			q + synthPick(r, []string{" = ", "=", ":"}) + q + run(hex, jitter(48)) + q
	case 9:
		return synthPick(r, []string{"http://", "https://"}) + "api" + synthPick(r, []string{".", "x", "é"}) + "softlayer.com/soap/" +
			synthPick(r, []string{"v3", "v3.1"}) + "/" + run("abcdefghijklmnopqrstuvwxyz0123456789", jitter(64))
	case 10:
		return synthPick(r, []string{"xoxb-", "xoxp-", "XOXA-", "xoxſ-", "xox-"}) + run(digits, 3) + "-" + run(alnum, 10)
	case 12:
		return synthPick(r, []string{"//registry.npmjs.org/", "//r/", "/x/"}) + synthPick(r, []string{":_authToken=", ":_authToken= \t", ":_authtoken="}) +
			synthPick(r, []string{"npm_" + run(alnum, 36), run(hex+"-", jitter(36)), "${NPM_TOKEN}"})
	case 13:
		return synthPick(r, []string{"AccountKey=", "accountkey=", "DefaultEndpointsProtocol=https;AccountKey="}) + run(alnum+"+/=", jitter(88))
	case 14:
		return synthPick(r, []string{"", " ", "-", "A", "\""}) + run("abcdefghijklmnopqrstuvwxyz0123456789", jitter(32)) + "-us" + run(digits, 1+r.IntN(2))
	case 15:
		return synthPick(r, []string{"AC", "SK", "Ac"}) + run("abcdefghijklmnopqrstuvwxyz0123456789", jitter(32)) + synthPick(r, []string{"", " ", "X", "\""})
	case 16: // KeywordDetector's FOLLOWED_BY_EQUAL_SIGNS_QUOTES preceded form
		qq := synthPick(r, []string{"\"", "'", "`"})
		return qq + run(iam+" ,.", jitter(10)) + qq + synthPick(r, []string{"", " ", "\t", "  "}) +
			synthPick(r, []string{"==", "!=", "===", "!==", "=", "!", "=!="}) + synthPick(r, []string{"", " ", "\v"}) +
			synthPick(r, []string{"", "my", "x_", "é"}) + synthPick(r, synthTokens[:40]) + synthPick(r, []string{"", "2", ")", " "})
	case 11:
		return synthPick(r, []string{"SG.", "SG-", "sg."}) + run(iam, jitter(22)) + "." + run(iam, jitter(43))
	default:
		return synthPick(r, []string{"sk-", "sk-x_"}) + run(alnum, jitter(20)) + "T3BlbkFJ" + run(alnum, jitter(20))
	}
}
