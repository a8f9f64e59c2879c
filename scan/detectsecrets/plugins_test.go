package detectsecrets

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// analyzeLine runs one plugin over one line with no filters, like calling
// PluginClass().analyze_line(filename=..., line=...) in detect-secrets'
// tests, and returns the distinct raw values.
func analyzeLine(t *testing.T, spec PluginSpec, filename, line string) []string {
	t.Helper()
	s, err := New([]PluginSpec{spec}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range s.scanLines(filename, []string{line}) {
		out = append(out, r.Secret)
	}
	sort.Strings(out)
	return out
}

type flagCase struct {
	line string
	want int // number of distinct secrets
}

func runFlagCases(t *testing.T, plugin string, cases []flagCase) {
	t.Helper()
	for _, c := range cases {
		got := analyzeLine(t, PluginSpec{Name: plugin}, "mock_filename", c.line)
		if len(got) != c.want {
			t.Errorf("%s(%q): %d secrets, want %d", plugin, c.line, len(got), c.want)
		}
	}
}

// tests/plugins/artifactory_test.py::TestArtifactoryDetector::test_analyze_line
// (the rows that 1.5.0's two regexes decide; the secret is the whole match,
// delimiters included, as the regexes have no group).
func TestArtifactory(t *testing.T) {
	runFlagCases(t, "ArtifactoryDetector", []flagCase{
		{"AKCxxxxxxxxxx", 1},
		{" AKCxxxxxxxxxx", 1},
		{"=AKCxxxxxxxxxx", 1},
		{`"AKCxxxxxxxxxx"`, 1},
		{"artif-key:AP6xxxxxxxxxx", 1},
		{"artif-key:AKCxxxxxxxxxx", 1},
		{"X-JFrog-Art-Api: AKCxxxxxxxxxx", 1},
		{"X-JFrog-Art-Api: AP6xxxxxxxxxx", 1},
		{"artifactoryx:_password=AKCxxxxxxxxxx", 1},
		{"testAKCwithinsomeirrelevantstring", 0},
		{"testAP6withinsomeirrelevantstring", 0},
		{"X-JFrog-Art-Api: $API_KEY", 0},
		{"artifactory:_password=AP6xxxxxx", 0},
		{"artifactory:_password=AKCxxxxxxxx", 0},
	})
	got := analyzeLine(t, PluginSpec{Name: "ArtifactoryDetector"}, "f", "X-JFrog-Art-Api: AKCxxxxxxxxxx")
	if !reflect.DeepEqual(got, []string{" AKCxxxxxxxxxx"}) {
		t.Errorf("value = %q, want the match with its leading space", got)
	}
}

// tests/plugins/aws_key_test.py::TestAWSKeyDetector::test_analyze
func TestAWSKey(t *testing.T) {
	runFlagCases(t, "AWSKeyDetector", []flagCase{
		{"AKIAZZZZZZZZZZZZZZZZ", 1},
		{"akiazzzzzzzzzzzzzzzz", 0},
		{"AKIAZZZ", 0},
		// 1.5.0 added these prefixes (aws.py denylist[0]).
		{"ASIAZZZZZZZZZZZZZZZZ", 1},
		{"A3TXZZZZZZZZZZZZZZZZ", 1},
	})
	// The second regex yields the 40-character group after an aws...key name.
	got := analyzeLine(t, PluginSpec{Name: "AWSKeyDetector"}, "f",
		`aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`)
	if !reflect.DeepEqual(got, []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}) {
		t.Errorf("got %q", got)
	}
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/azure_storage_key.py.
func TestAzureStorageKey(t *testing.T) {
	key := "AccountKey=" + strings.Repeat("lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+qnlcNQSnIYVTkLWntUO1F8j8rQ==", 1)
	runFlagCases(t, "AzureStorageKeyDetector", []flagCase{
		{"DefaultEndpointsProtocol=https;AccountName=storagesample;" + key, 1},
		{"AccountKey=short", 0},
	})
}

// tests/plugins/basic_auth_test.py::TestBasicAuthDetector::test_analyze_line
// (1.x). The regex (RESERVED_CHARACTERS + SUB_DELIMITER_CHARACTERS of RFC
// 3986 and whitespace excluded from user and password; the group is the
// password) is from detect_secrets/plugins/basic_auth.py.
func TestBasicAuth(t *testing.T) {
	cases := []struct{ line, want string }{
		{"https://username:password@yelp.com", "password"},
		{`http://localhost:5000/<%= @variable %>`, ""},
		{`"https://url:8000";@something else`, ""},
		{`'https://url:8000';@something else`, ""},
		{`https://url:8000 @something else`, ""},
		{`https://url:8000/ @something else`, ""},
		// Derived: sub-delimiters end the password too.
		{`https://user:pa$s@host`, ""},
	}
	for _, c := range cases {
		got := analyzeLine(t, PluginSpec{Name: "BasicAuthDetector"}, "f", c.line)
		if (c.want == "" && len(got) != 0) || (c.want != "" && !reflect.DeepEqual(got, []string{c.want})) {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
}

// tests/plugins/cloudant_test.py::TestCloudantDetector::test_analyze_string
func TestCloudant(t *testing.T) {
	const acct = "testy_-test"
	const pw = "abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234"
	const api = "abcdefghijabcdefghijabcd"
	runFlagCases(t, "CloudantDetector", []flagCase{
		{"https://" + acct + ":" + pw + "@" + acct + ".cloudant.com\"", 1},
		{"https://" + acct + ":" + pw + "@" + acct + ".cloudant.com/_api/v2/", 1},
		{"https://" + acct + ":" + pw + "@" + acct + ".cloudant.com", 1},
		{"https://" + acct + ":" + api + "@" + acct + ".cloudant.com", 1},
		{"https://" + acct + ":" + pw + ".cloudant.com", 0},
		{"cloudant_password='" + pw + "'", 1},
		{"cloudant_pw='" + pw + "'", 1},
		{`cloudant_pw="` + pw + `"`, 1},
		{`clou_pw = "` + pw + `"`, 1},
		{`cloudant_key = "` + api + `"`, 1},
		{`cloudant_password = "a-fake-tooshort-key"`, 0},
		{`cl_api_key = "a-fake-api-key"`, 0},
	})
	// build_assignment_regex's lookbehind: no word character before.
	runFlagCases(t, "CloudantDetector", []flagCase{{"xcloudant_password='" + pw + "'", 0}})
}

// tests/plugins/discord_test.py::TestDiscordBotTokenDetector::test_analyze
func TestDiscord(t *testing.T) {
	runFlagCases(t, "DiscordBotTokenDetector", []flagCase{
		{"MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs", 1},
		{"Nzk5MjgxNDk0NDc2NDU1OTg3.YABS5g.2lmzECVlZv3vv6miVnUaKPQi2wI", 1},
		{"MZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC", 1},
		{"MZ1yGvKTj0rY0cV8i47CjAa.uHQPq.Xb1Mk2nEhe-4icrGOuegj57zMC", 0},
		{"SZ1yGvKTj0rY0cV8i47CjAa.uHQPq.Xb1Mk2nEhe-4icrGOuegj57zMC", 0},
		{"MZ1yGvKTj0rY0cV8i47CjAa.uHQPq.Xb1Mk2nEhe-4icrGOuegj57zM", 0},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/github_token.py.
func TestGitHubToken(t *testing.T) {
	runFlagCases(t, "GitHubTokenDetector", []flagCase{
		{"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", 1},
		{"foo_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx", 0},
		{"foo", 0},
	})
}

// tests/plugins/gitlab_token_test.py (the version of PR #782, 1.5.0):
// ::test_base_token_format, ::test_runner_registration_token,
// ::test_cicd_token, ::test_incoming_mail_token, ::test_trigger_token,
// ::test_agent_token and ::test_oauth_application_secret.
func TestGitLabToken(t *testing.T) {
	runFlagCases(t, "GitLabTokenDetector", []flagCase{
		{"glpat-hellOworld380_testin", 1},
		{"glpat-hellOWorld380 testin", 0},
		{"glpat_hellOworld380_testin", 0},
		{"gldt-HwllOuhfw-wu0rlD_yep", 1},
		{"gldt-seems_too000Sshorty", 0},
		{"foo-hello-world80_testin", 0},
		{"glsoat-PREfix_helloworld380_testin_pretty_long_token_long", 1},
		{"glsoat-PREfix_helloworld380_testin_pretty_long_token_long_", 0},
		{"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", 0},
		{"GR1348941PREfix_helloworld380", 1},
		{"GR1348941PREfix_helloworld380_testin_pretty_long_token_long", 1},
		{"GR1348941PREfix_helloworld380_testin_pretty_long_token_long_", 0},
		{"GR1348941helloWord0", 0},
		{"glcbt-helloworld380_testin", 1},
		{"glimt-my-tokens_are-correctAB38", 1},
		{"glimt-my-tokens_are-correctAB", 0},
		{"glimt-my-tokens_are-correctAB38_280", 0},
		{"glptt-Need5_T00-be-exactly-40-chars--ELse_fail", 1},
		{"glptt-Need5_T00-be-exactly-40-chars--ELse_failing", 0},
		{"glptt-hellOworld380_testin", 0},
		{"glagent-Need5_T00-bee-longer-than-50_chars-or-else-failING", 1},
		{"glagent-Need5_T00-bee-longer-than-50_chars-or-else-failING-still_OK", 1},
		{"glagent-" + strings.Repeat("X", 1025), 0},
		{"glagent-hellOworld380_testin", 0},
		{"gloas-checking_Length-Is-_exactly_64--checking_Length-Is-_exactly_64--", 1},
		{"gloas-checking_Length-Is-checking_Length-Is-", 0},
		{"gloas-checking_Length-Is-_exactly_64--Xchecking_Length-Is-_longer_longer", 0},
	})
	// The value hashed is what findall yields: the prefix group for the
	// first regex, the whole match for the groupless ones, and glcbt's
	// optional group (empty here, as Python's findall gives "").
	for _, c := range []struct{ line, want string }{
		{"glpat-hellOworld380_testin", "glpat"},
		{"glimt-my-tokens_are-correctAB38", "glimt-my-tokens_are-correctAB38"},
		{"glcbt-a1_helloworld380_testin", "a1_"},
		{"glcbt-helloworld380_testin", ""},
		// The greedy run backs off to a '-' when a word character follows.
		{"glptt-" + strings.Repeat("a", 40) + "-" + strings.Repeat("b", 20) + "é", "glptt-" + strings.Repeat("a", 40)},
	} {
		got := analyzeLine(t, PluginSpec{Name: "GitLabTokenDetector"}, "f", c.line)
		if !reflect.DeepEqual(got, []string{c.want}) {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
}

// A line where every GitLab candidate fails the (?!\w) check: retrying a
// regex from each start would take quadratic time; the single pass takes
// milliseconds.
func TestGitLabLinear(t *testing.T) {
	line := strings.Repeat("glpat-"+strings.Repeat("a", 60), 8000) + "é"
	s, err := New([]PluginSpec{{Name: "GitLabTokenDetector"}, {Name: "IbmCloudIamDetector"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := s.ScanFile("f.txt", []byte(line+"\n"+strings.Repeat("key= "+strings.Repeat("k", 45), 8000)+"\n"))
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
	if len(res) != 0 {
		t.Errorf("%d results, want none", len(res))
	}
}

// tests/plugins/ibm_cloud_iam_test.py::TestIBMCloudIamDetector::test_analyze_string_content
// (the rows with CLOUD_IAM_KEY). The 2024 detect_secrets/plugins/ibm_cloud_iam.py
// (opt_api (?:api|), secret [a-zA-Z0-9_\-]{44}(?![a-zA-Z0-9_\-]) in
// build_assignment_regex) has no entropy check; the LOW_ENTROPY_KEY rows and
// the "platform" prefix belong to a later version.
func TestIbmCloudIam(t *testing.T) {
	const key = "ukYEEX38RiGgq1BPf2m-nIeTM_lEGizKKn49RRoC_6fn"
	for _, c := range []flagCase{
		{"ibm-cloud_api_key: " + key, 1},
		{"ibm_cloud_iam-key : " + key, 1},
		{`IBM-API-KEY : "` + key + `"`, 1},
		{`"iam_api_key" : "` + key + `"`, 1},
		{`cloud-api-key: "` + key + `"`, 1},
		{`"iam-password": "` + key + `"`, 1},
		{`CLOUD_IAM_API_KEY:"` + key + `"`, 1},
		{"ibm-cloud-key:" + key, 1},
		{`ibm_key:"` + key + `"`, 1},
		{`"ibm_cloud_iam_api_key":"` + key + `"`, 1},
		{"ibm_cloud_iamapikey= " + key, 1},
		{`ibm_cloud_api_key= "` + key + `"`, 1},
		{"IBMCLOUDIAMAPIKEY=" + key, 1},
		{`cloud_iam_api_key="` + key + `"`, 1},
		{"ibm_api_key := " + key, 1},
		{`"ibm-iam_key" := "` + key + `"`, 1},
		{"ibm-cloud_api_key:=" + key, 1},
		{`"cloud_iam_api_key":="` + key + `"`, 1},
		{`ibm_iam_key:= "` + key + `"`, 1},
		{`ibm_iam_key:= "` + key + `extra"`, 0},
		{`ibm_api_key:="` + key + `"`, 1},
		{`ibm_password = "` + key + `"`, 1},
		{"ibm-cloud-pwd = " + key, 1},
		{"ibm-cloud-pwd = " + key + "extra", 0},
		{"ibm-cloud-pwd = shorter-version", 0},
		{"apikey:" + key, 1},
		{`iam_api_key="%s" % IBM_IAM_API_KEY_ENV`, 0},
		{`CLOUD_APIKEY: "insert_key_here"`, 0},
		{"cloud-iam-key:=afakekey", 0},
		{`fake-cloud-iam-key= "not_long_enough"`, 0},
	} {
		got := analyzeLine(t, PluginSpec{Name: "IbmCloudIamDetector"}, "mock_filename", c.line)
		if len(got) != c.want || (c.want == 1 && got[0] != key) {
			t.Errorf("%q: got %q", c.line, got)
		}
	}
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/ibm_cos_hmac.py.
func TestIbmCosHmac(t *testing.T) {
	secret := "1234567890abcdef1234567890abcdef1234567890abcdef"
	runFlagCases(t, "IbmCosHmacDetector", []flagCase{
		{"secret_access_key: " + secret, 1},
		{"cos-secret-access-key = " + secret, 1},
		{`"ibm_cos_hmac_secret_access_key": "` + secret + `"`, 1},
		{"secret_access_key: " + secret + "a", 0},
		{"secret_access_key: " + secret[:47], 0},
	})
}

// tests/plugins/ip_public_test.py::TestIPPublicDetector::TestIPv4::test_analyze_line
// (rows consistent with 1.5.0's lookbehind/lookahead regex; the last rows
// follow from that regex's backtracking).
func TestIPPublic(t *testing.T) {
	runFlagCases(t, "IPPublicDetector", []flagCase{
		{"133.133.133.133", 1},
		{"This line has an IP address 133.133.133.133@something else", 1},
		{"133.133.133.133:8080", 1},
		{"This line has an IP address: 133.133.133.133:8080@something else", 1},
		{"1.1.1.1", 1},
		{"127.0.0.1", 0},
		{"10.0.0.1", 0},
		{"172.16.0.1", 0},
		{"192.168.0.1", 0},
		{"256.256.256.256", 0},
		{"1.2.3", 0},
		{"noreply@github.com", 0},
		{"github.com", 0},
		{"1.2.3.4.5.6", 0},
		{`"8.8.8.8"`, 1},
	})
	for line, want := range map[string]string{
		"1.2.3.4:123456":       "1.2.3.4",
		"x=1.2.3.4:99999a":     "1.2.3.4",
		"133.133.133.133:8080": "133.133.133.133:8080",
	} {
		if got := analyzeLine(t, PluginSpec{Name: "IPPublicDetector"}, "f", line); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%q: got %q, want %q", line, got, want)
		}
	}
}

// tests/plugins/jwt_test.py::TestJwtTokenDetector::test_analyze_string
func TestJwt(t *testing.T) {
	runFlagCases(t, "JwtTokenDetector", []flagCase{
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", 1},
		{"eyJ0eXAiOiJKV1QiLA0KImFsZyI6IkhTMjU2In0.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ", 1},
		{"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9lIiwKInN0YXR1cyI6ImVtcGxveWVlIgp9", 1},
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IsWww6HFkcOtIMOWxZHDqcOoIiwiaWF0IjoxNTE2MjM5MDIyfQ.k5HibI_uLn_RTuPcaCNkaVaQH2y5q6GvJg8GPpGMRwQ", 1},
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ", 1},
		{`{"alg":"HS256","typ":"JWT"}.{"name":"Jon Doe"}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`, 0},
		{"bm90X3ZhbGlkX2pzb25fYXRfYWxs.bm90X3ZhbGlkX2pzb25fYXRfYWxs.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", 0},
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", 0},
		{"jwt", 0},
		{"eyJhbasdGciOiJIUaddasdasfsasdasdzI1NiIasdsInR5cCI6IkpXVCasdJasd9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", 0},
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", 0},
		{"eyJAAAA.eyJBBB", 0},
		{"eyJBB.eyJCC.eyJDDDD", 0},
	})
	// The lazy third part matches nothing: the value ends after the second dot.
	got := analyzeLine(t, PluginSpec{Name: "JwtTokenDetector"}, "f", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
	if len(got) != 1 || !strings.HasSuffix(got[0], "fQ.") {
		t.Errorf("got %q, want header.payload.", got)
	}
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/mailchimp.py.
func TestMailchimp(t *testing.T) {
	runFlagCases(t, "MailchimpDetector", []flagCase{
		{"343ea45721923ed956e2b38c31db76aa-us30", 1},
		{"a2937653ed38c31a43ea46e2b19257db-us2", 1},
		{"3ea4572956e2b381923ed34c31db76aa-2", 0},
		{"aea462953eb192d38c31a433e7257db6", 0},
	})
}

// tests/plugins/npm_test.py::TestNpmDetector::test_analyze (the UUID and
// npm_ rows; the _auth rows test regexes added after 1.5.0).
func TestNpm(t *testing.T) {
	runFlagCases(t, "NpmDetector", []flagCase{
		{"//registry.npmjs.org/:_authToken=743b294a-cd03-11ec-9d64-0242ac120002", 1},
		{"//registry.npmjs.org/:_authToken=346a14f2-a672-4668-a892-956a462ab56e", 1},
		{"//registry.npmjs.org/:_authToken= 743b294a-cd03-11ec-9d64-0242ac120002", 1},
		{"//registry.npmjs.org/:_authToken=npm_xxxxxxxxxxx", 1},
		{"//registry.npmjs.org:_authToken=743b294a-cd03-11ec-9d64-0242ac120002", 0},
		{"registry.npmjs.org/:_authToken=743b294a-cd03-11ec-9d64-0242ac120002", 0},
		{"///:_authToken=743b294a-cd03-11ec-9d64-0242ac120002", 0},
		{"_authToken=743b294a-cd03-11ec-9d64-0242ac120002", 0},
		{"foo", 0},
		{"//registry.npmjs.org/:_authToken=${NPM_TOKEN}", 0},
		{"//registry.npmjs.org/:_authToken=", 0},
	})
}

// tests/plugins/openai_test.py::TestOpenAIDetector::test_analyze
func TestOpenAI(t *testing.T) {
	runFlagCases(t, "OpenAIDetector", []flagCase{
		{"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", 1},
		{"sk-proj-Xi8tdMjHV6pmbBbwilTeT3BlbkFJ3UDnpdEwNNm6wVBpYM0o", 1},
		{"sk-proj-Xi8tdMjHV6pmbBbwilTeT4BlbkFJ3UDnpdEwNNm6wVBpYM0o", 0},
	})
}

// Derived from detect_secrets/plugins/private_key.py in 1.x: a denylist of
// header regexes whose whole match is the secret. (The variant that yields
// the key body, tests/plugins/private_key_test.py::test_basic with
// json.dumps'd keys, is PR #646, which was never merged.)
func TestPrivateKey(t *testing.T) {
	runFlagCases(t, "PrivateKeyDetector", []flagCase{
		{"-----BEGIN RSA PRIVATE KEY-----", 1},
		{"-----BEGIN DSA PRIVATE KEY-----", 1},
		{"-----BEGIN EC PRIVATE KEY-----", 1},
		{"-----BEGIN OPENSSH PRIVATE KEY-----", 1},
		{"-----BEGIN PGP PRIVATE KEY BLOCK-----", 1},
		{"-----BEGIN PRIVATE KEY-----", 1},
		{"-----BEGIN SSH2 ENCRYPTED PRIVATE KEY-----", 1},
		{"PuTTY-User-Key-File-2: ssh-rsa", 1},
		{"-----BEGIN PUBLIC KEY-----", 0},
	})
	// The header text is the secret, so every RSA key hashes alike.
	if got := analyzeLine(t, PluginSpec{Name: "PrivateKeyDetector"}, "f", "-----BEGIN RSA PRIVATE KEY-----"); !reflect.DeepEqual(got, []string{"BEGIN RSA PRIVATE KEY"}) {
		t.Errorf("got %q", got)
	}
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/pypi_token.py.
func TestPypiToken(t *testing.T) {
	runFlagCases(t, "PypiTokenDetector", []flagCase{
		{"pypi-AgEIcHlwaS5vcmcCJDU3OTM1MjliLWIyYTYtNDEwOC05NzRkLTM0MjNiNmEwNWIzYgACF1sxLFsitesttestbWluaW1hbC1wcm9qZWN0Il1dAAIsWzIsWyJjYWY4OTAwZi0xNDMwLTRiYQstYmFmMi1mMDE3OGIyNWZhNTkiXV0AAAYgh2UINPjWBDwT0r3tQ1o5oZyswcjN0-IluP6z34SX3KM", 1},
		{"pypi-AgENdGVzdC5weXBpLm9yZwIkN2YxOWZhOWEtY2FjYS00MGZhLTj2MGEtODFjMnE2MjdmMzY0AAIqWzMsImJlM2FiOWI5LTE3ZGQtNDk4ZC04ZjhiLTlmYzkwYWIwYWRmMyJdAAAGIFmZsThcPHo8aAB8lyVHgo8scvWQ4O2PZJUYUyRv4Ycf", 1},
		{"pypi-AgEIcHlwaS5vcmcCJDU3OTM1MjliLWIyYTYtNDEwOC05NzRkLTM0MjNiNmEwNWIzYgACF1sxLFsibWluaW1h", 0},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/sendgrid.py.
func TestSendGrid(t *testing.T) {
	runFlagCases(t, "SendGridDetector", []flagCase{
		{"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", 1},
		{"SG.ngeVfQFYQlKU0ufo8x5d1A..TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr", 0},
	})
}

// tests/plugins/slack_test.py::TestSlackDetector::test_analyze
func TestSlack(t *testing.T) {
	runFlagCases(t, "SlackDetector", []flagCase{
		{"xoxp-523423-234243-234233-e039d02840a0b9379c", 1},
		{"xoxo-523423-234243-234233-e039d02840a0b9379c", 1},
		{"xoxs-523423-234243-234233-e039d02840a0b9379c", 1},
		{"xoxa-511111111-31111111111-3111111111111-e039d02840a0b9379c", 1},
		{"xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c", 1},
		{"xoxr-523423-234243-234233-e039d02840a0b9379c", 1},
		{"xoxb-34532454-e039d02840a0b9379c", 1},
		{"https://hooks.slack.com/services/Txxxxxxxx/Bxxxxxxxx/xxxxxxxxxxxxxxxxxxxxxxxx", 1},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/softlayer.py.
func TestSoftlayer(t *testing.T) {
	tok := "abcdefghijklmnopqrstuvwxyz1234567890abcdefghijklmnopqrstuvwxyz12"
	runFlagCases(t, "SoftlayerDetector", []flagCase{
		{"--softlayer-key " + tok, 1},
		{"softlayer_api_key: " + tok, 1},
		{`"sl_api_key": "` + tok + `"`, 1},
		{"https://api.softlayer.com/soap/v3/" + tok, 1},
		{"https://api.softlayer.com/soap/v3.1/" + tok, 1},
		{"softlayer_api_key: " + tok[:63], 0},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/square_oauth.py.
func TestSquareOAuth(t *testing.T) {
	runFlagCases(t, "SquareOAuthDetector", []flagCase{
		{"sq0csp-ABCDEFGHIJK_LMNOPQRSTUVWXYZ-0123456789\\abcd", 1},
		{"sq0csp-ABCDEFGHIJK_LMNOPQRSTUVW", 0},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/stripe.py.
func TestStripe(t *testing.T) {
	runFlagCases(t, "StripeDetector", []flagCase{
		{"sk_live_ReTllpYQYfIZu2Jnf2lAPFjD", 1},
		{"rk_live_5TcWfjKmJgpql9hjpRnwRXbT", 1},
		{"pk_live_j5krY8XTgIcDaHDb3YrsAfCl", 0},
		{"sk_live_", 0},
	})
}

// tests/plugins/telegram_token_test.py::TestTelegramTokenDetector::test_analyze
func TestTelegram(t *testing.T) {
	runFlagCases(t, "TelegramBotTokenDetector", []flagCase{
		{"bot110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw", 1},
		{"110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw", 1},
		{"7213808860:AAH1bjqpKKW3maRSPAxzIU-0v6xNuq2-NjM", 1},
		{"foo:AAH1bjqpKKW3maRSPAxzIU-0v6xNuq2-NjM", 0},
		{"foo", 0},
	})
}

// Derived from the 1.5.0 regex in detect_secrets/plugins/twilio.py.
func TestTwilio(t *testing.T) {
	runFlagCases(t, "TwilioKeyDetector", []flagCase{
		{"SK" + strings.Repeat("a1", 16), 1},
		{"AC" + strings.Repeat("b2", 16), 1},
		{"SKabc", 0},
		{"AC" + strings.Repeat("B2", 16), 0},
	})
}

// pyJSONValid accepts what Python's json.loads accepts: JSON plus the bare
// literals NaN, Infinity and -Infinity, and nothing glued to them.
func TestPyJSONValid(t *testing.T) {
	for s, want := range map[string]bool{
		`{"a": NaN}`: true, `{"a": Infinity}`: true, `{"a": -Infinity}`: true, `[NaN, -Infinity]`: true,
		`{"a": "NaN"}`: true, `{"a": 1}`: true,
		`{"a": -NaN}`: false, `{"a": --Infinity}`: false, `{"a": 1NaN}`: false, `{"a": NaN.5}`: false,
		`{"a": NaNe5}`: false, `{"a": Infinityx}`: false, `{"a": nan}`: false, `{"a": +Infinity}`: false,
	} {
		if got := pyJSONValid([]byte(s)); got != want {
			t.Errorf("pyJSONValid(%s) = %v, want %v", s, got, want)
		}
	}
}
