package detectsecrets

import "testing"

// Cases from tests/plugins/keyword_test.py::test_keyword (the
// CONFIG/GOLANG/COMMON_C/C_PLUS_PLUS/QUOTES_REQUIRED tables), run with
// KeywordDetector(keyword_exclude='.*fake.*') as that test does. Rows using
// the bare keyword "pass" are left out: that keyword is not in 1.5.0's
// DENYLIST (see DESIGN notes in doc.go).
const (
	commonSecret = "m{{h}o)p${e]nob(ody[finds>-_$#thisone}}"
	whitesSecret = "value with quotes and spaces"
	letterSecret = "A,.:-¨@*¿?!"
	symbolSecret = ",.:-¨@*¿?!"
)

type kwCase struct{ line, want string }

var kwConfigCases = []kwCase{
	{`password = "` + whitesSecret + `"`, whitesSecret},
	{`password_super_secure = "` + whitesSecret + `"`, whitesSecret},
	{`my_password_super_secure = "` + whitesSecret + `"`, whitesSecret},
	{`apikey = ` + commonSecret, commonSecret},
	{`api_key: '` + whitesSecret + `'`, whitesSecret},
	{`aws_secret_access_key: ` + whitesSecret, whitesSecret},
	{`db_pass: ` + commonSecret + `,`, commonSecret},
	{"passwd: " + commonSecret + "`", commonSecret},
	{`private_key: ` + commonSecret + `"`, commonSecret},
	{`secret: ` + commonSecret + `'`, commonSecret},
	{`secrete "` + commonSecret + `";`, commonSecret},
	{`if (apikey == "` + commonSecret + `") {`, commonSecret},
	{`if (api_key != "` + commonSecret + `") {`, commonSecret},
	{`if (aws_secret_access_key === "` + commonSecret + `") {`, commonSecret},
	{`if (db_pass !== "` + commonSecret + `") {`, commonSecret},
	{`if ("` + commonSecret + `" == password) {`, commonSecret},
	{`if ("` + commonSecret + `" == my_super_password) {`, commonSecret},
	{`if ("` + commonSecret + `" != passwd) {`, commonSecret},
	{`if ("` + commonSecret + `" === private_key) {`, commonSecret},
	{`if ("` + commonSecret + `" !== secret) {`, commonSecret},
	{`secrete = ` + letterSecret, letterSecret},
	{`password = ` + symbolSecret, ""},
	{`api_key = ""`, ""},
	{`secret: ''`, ""},
	{`password = "somefakekey"`, ""},
	{`password: ${link}`, ""},
	{`some_key = "real_secret"`, ""},
	{`private_key "hopenobodyfindsthisone';`, ""},
}

var kwGolangCases = []kwCase{
	{`apikey := "` + commonSecret + `"`, commonSecret},
	{`api_key := '` + commonSecret + `'`, commonSecret},
	{"aws_secret_access_key := `" + commonSecret + "`", commonSecret},
	{`db_pass := ` + commonSecret, commonSecret},
	{`db_pass_secure := ` + commonSecret, commonSecret},
	{`passwd := ` + commonSecret + `,`, commonSecret},
	{`private_key := ` + commonSecret + `'`, commonSecret},
	{`secret := ` + commonSecret + `"`, commonSecret},
	{"password := " + commonSecret + "`", commonSecret},
	{`if ("` + commonSecret + `" == passwd) {`, commonSecret},
	{`if ("` + commonSecret + `" === private_key) {`, commonSecret},
	{`if ("` + commonSecret + `" != secret) {`, commonSecret},
	{`if ("` + commonSecret + `" !== password) {`, commonSecret},
	{`if ("` + commonSecret + `" !== my_password_sec) {`, commonSecret},
	{`apikey = "` + commonSecret + `"`, commonSecret},
	{`api_key = '` + commonSecret + `'`, commonSecret},
	{"aws_secret_access_key = `" + commonSecret + "`", commonSecret},
	{`db_pass = ` + commonSecret, commonSecret},
	{`password = ` + commonSecret + `,`, commonSecret},
	{`passwd = ` + commonSecret + `'`, commonSecret},
	{`private_key = ` + commonSecret + `"`, commonSecret},
	{"secret = " + commonSecret + "`", commonSecret},
	{`secrete = "` + commonSecret + `"`, commonSecret},
	{`if (apikey == "` + commonSecret + `") {`, commonSecret},
	{`if (api_key === "` + commonSecret + `") {`, commonSecret},
	{`if (aws_secret_access_key != "` + commonSecret + `") {`, commonSecret},
	{`if (db_pass !== "` + commonSecret + `") {`, commonSecret},
	{`password "` + commonSecret + `";`, commonSecret},
	{`secrete := ` + letterSecret, letterSecret},
	{`password :=` + symbolSecret, ""},
	{`api_key = ""`, ""},
	{`secret := ''`, ""},
	{`password := "somefakekey"`, ""},
	{`some_key = "real_secret"`, ""},
	{`private_key "hopenobodyfindsthisone';`, ""},
	{`password: real_key`, ""},
	{`password: "real_key"`, ""},
}

var kwCommonCCases = []kwCase{
	{`apikey = "` + commonSecret + `";`, commonSecret},
	{`if (secret == "` + commonSecret + `")`, commonSecret},
	{`if (db_pass != "` + commonSecret + `")`, commonSecret},
	{`password = @"` + commonSecret + `";`, commonSecret},
	{`my_password_secure = @"` + commonSecret + `";`, commonSecret},
	{`secrete[] = "` + commonSecret + `";`, commonSecret},
	{`char secrete[25] = "` + commonSecret + `";`, commonSecret},
	{`secrete = "` + letterSecret + `"`, letterSecret},
	{`password = "` + symbolSecret + `"`, ""},
	{`api_key = '` + commonSecret + `';`, ""},
	{`aws_secret_access_key = @'` + commonSecret + `';`, ""},
	{`db_pass[] = '` + commonSecret + `';`, ""},
	{`passwd = ` + commonSecret + `;`, ""},
	{`private_key = ` + commonSecret + `;`, ""},
	{`secret[] = ` + commonSecret + `;`, ""},
	{`api_key = ""`, ""},
	{`password = "somefakekey"`, ""},
	{`password[] = ${link}`, ""},
	{`some_key = "real_secret"`, ""},
}

var kwCPlusPlusCases = []kwCase{
	{`apikey = "` + commonSecret + `";`, commonSecret},
	{`my_password_secure = "` + commonSecret + `";`, commonSecret},
	{`password = ` + commonSecret, ""},
	{`if (secret == "` + commonSecret + `")`, commonSecret},
	{`if (db_pass != "` + commonSecret + `")`, commonSecret},
	{`std::string secret("` + commonSecret + `");`, commonSecret},
	{`secrete.assign("` + commonSecret + `",17);`, commonSecret},
	{`api_key = ""`, ""},
	{`password = "somefakekey"`, ""},
	{`password = ${link}`, ""},
	{`some_key = "real_secret"`, ""},
}

var kwQuotesRequiredCases = []kwCase{
	{`apikey: "` + commonSecret + `"`, commonSecret},
	{`apikey_myservice: "` + commonSecret + `"`, commonSecret},
	{"api_key: `" + commonSecret + "`", commonSecret},
	{`aws_secret_access_key: '` + commonSecret + `'`, commonSecret},
	{`db_pass: '` + letterSecret + `'`, letterSecret},
	{`password: '` + symbolSecret + `'`, ""},
	{`if ("` + commonSecret + `" == passwd) {`, commonSecret},
	{`if ("` + commonSecret + `" === private_key) {`, commonSecret},
	{`if ("` + commonSecret + `" === my_private_key) {`, commonSecret},
	{`if ("` + commonSecret + `" != secret) {`, commonSecret},
	{`if ("` + commonSecret + `" !== password) {`, commonSecret},
	{`secrete = "` + commonSecret + `"`, commonSecret},
	{`if (apikey == "` + commonSecret + `") {`, commonSecret},
	{`if (api_key === "` + commonSecret + `") {`, commonSecret},
	{`if (aws_secret_access_key != "` + commonSecret + `") {`, commonSecret},
	{`if (db_pass !== "` + commonSecret + `") {`, commonSecret},
	{`password "` + commonSecret + `";`, commonSecret},
	{`password = ` + commonSecret, ""},
	{`password = "` + commonSecret + `"`, commonSecret},
	{`password => "` + commonSecret + `"`, commonSecret},
	{`api_key = ""`, ""},
	{`secret: ''`, ""},
	{`password: ${link}`, ""},
	{`some_key = "real_secret"`, ""},
	{`private_key "hopenobodyfindsthisone';`, ""},
	{`password => ""`, ""},
	{`password => ` + commonSecret, ""},
}

// detect_secrets/plugins/keyword.py (1.x) DENYLIST: api_?key, auth_?key,
// service_?key, account_?key, db_?key, database_?key, priv_?key,
// private_?key, client_?key, db_?pass, database_?pass, key_?pass, password,
// passwd, pwd, secret, contraseña, contrasena. No bare "pass": a plain
// `pass = ...` is not a keyword hit, while db_pass and key_pass are.
func TestKeywordDenylistHasNoBarePass(t *testing.T) {
	spec := PluginSpec{Name: "KeywordDetector"}
	for _, c := range []kwCase{
		{`pass = "` + commonSecret + `"`, ""},
		{`my_pass = "` + commonSecret + `"`, ""},
		{`db_pass = "` + commonSecret + `"`, commonSecret},
		{`keypass = "` + commonSecret + `"`, commonSecret},
		{`contraseña = "` + commonSecret + `"`, commonSecret},
	} {
		got := analyzeLine(t, spec, "x.py", c.line)
		if (c.want == "") != (len(got) == 0) || (c.want != "" && got[0] != c.want) {
			t.Errorf("%q: got %d values", c.line, len(got))
		}
	}
}

// tests/plugins/keyword_test.py::test_keyword
func TestKeywordDetector(t *testing.T) {
	tables := []struct {
		exts  []string
		cases []kwCase
	}{
		{[]string{"conf"}, kwConfigCases},
		{[]string{"go"}, kwGolangCases},
		{[]string{"m", "c", "cs"}, kwCommonCCases},
		{[]string{"cpp"}, kwCPlusPlusCases},
		{[]string{"cls", "java", "py", "pyi", "js", "swift", "tf", "txt"}, kwQuotesRequiredCases},
	}
	spec := PluginSpec{Name: "KeywordDetector", Options: map[string]any{"keyword_exclude": ".*fake.*"}}
	for _, tb := range tables {
		for _, ext := range tb.exts {
			for _, c := range tb.cases {
				got := analyzeLine(t, spec, "mock_filename."+ext, c.line)
				if c.want == "" {
					if len(got) != 0 {
						t.Errorf(".%s %q: got %q, want nothing", ext, c.line, got)
					}
					continue
				}
				found := false
				for _, g := range got {
					found = found || g == c.want
				}
				if !found {
					t.Errorf(".%s %q: got %q, want %q", ext, c.line, got, c.want)
				}
			}
		}
	}
}

// keyword_exclude is matched case-insensitively against the whole line.
// tests/plugins/keyword_test.py (TestKeywordDetector::test_analyze_with_line_exclude
// in the 0.x suite; the option is unchanged in 1.5.0).
func TestKeywordExclude(t *testing.T) {
	spec := PluginSpec{Name: "KeywordDetector", Options: map[string]any{"keyword_exclude": "THISONE"}}
	if got := analyzeLine(t, spec, "x.py", `password = "`+commonSecret+`"`); len(got) != 0 {
		t.Errorf("excluded line still reported %q", got)
	}
}
