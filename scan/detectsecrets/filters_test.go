package detectsecrets

import (
	"strings"
	"testing"
)

// tests/plugins/high_entropy_strings_test.py::TestHighEntropyString::test_basic
// and ::test_multiple_strings_same_line (quoted forms; the unquoted row
// relies on eager search, which only adhoc scans use).
func TestHighEntropyStrings(t *testing.T) {
	cases := []struct{ plugin, nonSecret, secret string }{
		{"HexHighEntropyString", "aaaaaa", "2b00042f7481c7b056c4b410d28f33cf"},
		{"Base64HighEntropyString", "c3VwZXIgc2VjcmV0IHZhbHVl", "c3VwZXIgbG9uZyBzdHJpbmcgc2hvdWxkIGNhdXNlIGVub3VnaCBlbnRyb3B5"},
		{"Base64HighEntropyString", "Zrm-ySTAq7D2sHk=", "I6FwzQZFL9l-44nviI1F04OTmorMaVQf9GS4Oe07qxL_vNkW6CRas4Lo42vqJMT0M6riJfma_f-pTAuoX2U="},
	}
	for _, c := range cases {
		spec := PluginSpec{Name: c.plugin}
		for format, want := range map[string]int{
			"'%N'": 0, `"%N"`: 0, `"%S"`: 1, "'%S'": 1,
			`String #1: "%N"; String #2: "%S"`:  1,
			`String #1: "%S"; String #2: "%Sa"`: 2,
		} {
			line := strings.NewReplacer("%N", c.nonSecret, "%S", c.secret).Replace(format)
			if got := analyzeLine(t, spec, "does not matter", line); len(got) != want {
				t.Errorf("%s %q: %d results, want %d", c.plugin, line, len(got), want)
			}
		}
	}
	// ::test_entropy_limit: limits outside [0, 8] are rejected.
	for _, lim := range []float64{-1, 15} {
		if _, err := New([]PluginSpec{{Name: "HexHighEntropyString", Options: map[string]any{"limit": lim}}}, nil); err == nil {
			t.Errorf("limit %v accepted", lim)
		}
	}
}

// tests/plugins/high_entropy_strings_test.py::TestHexEntropyCalculation
func TestHexEntropyCalculation(t *testing.T) {
	hex, _ := newEntropyPlugin(hexCharset, 3, true)
	plain, _ := newEntropyPlugin(hexCharset, 3, false)
	if !(hex.entropy("0123456789") < plain.entropy("0123456789")) || !(hex.entropy("0123456789") < 3) {
		t.Error("test_basic: all-digit strings must lose entropy and stay under 3")
	}
	if !(hex.entropy("0123456789") < hex.entropy("01234567890123456789")) {
		t.Error("test_length_dependency")
	}
	if hex.entropy("12345a") != plain.entropy("12345a") || hex.entropy("0") != plain.entropy("0") {
		t.Error("test_only_with_numbers / test_single_case")
	}
	// The limit option may be an int, as baselines written by hand hold.
	if _, err := New([]PluginSpec{{Name: "HexHighEntropyString", Options: map[string]any{"limit": 3}}}, nil); err != nil {
		t.Error(err)
	}
}

// tests/filters/heuristic_filter_test.py
func TestHeuristicFilters(t *testing.T) {
	// TestIsSequentialString::test_success / test_failure
	for _, s := range []string{"ABCDEF", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "1234567890",
		"abcdefghijklmnopqrstuvwxyz0123456789", "0123456789abcdefghijklmnopqrstuvwxyz",
		"0123456789abcdef", "abcdef0123456789",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/"} {
		if !isSequentialString(s) {
			t.Errorf("is_sequential_string(%q) = false", s)
		}
	}
	if isSequentialString("BEEF1234") {
		t.Error("is_sequential_string(BEEF1234) = true")
	}
	// test_is_potential_uuid
	for _, s := range []string{"3636dd46-ea21-11e9-81b4-2a2ae2dbcce4", "97fb0431-46ac-41df-9ef9-1a18545ce2a0"} {
		if !isPotentialUUID(s) {
			t.Errorf("is_potential_uuid(%q) = false", s)
		}
	}
	// TestIsLikelyIdString::test_success / test_failure
	for _, line := range []string{"id: RANDOM_STRING", "id=RANDOM_STRING", "id = RANDOM_STRING",
		"myid: RANDOM_STRING", "myid=RANDOM_STRING", "myid = RANDOM_STRING"} {
		if !isLikelyIDString("RANDOM_STRING", line, nil) {
			t.Errorf("is_likely_id_string(%q) = false", line)
		}
	}
	for _, c := range [][2]string{{"RANDOM_STRING", "hidden_secret: RANDOM_STRING"},
		{"RANDOM_STRING", "hidden_secret=RANDOM_STRING"}, {"RANDOM_STRING", "hidden_secret = RANDOM_STRING"},
		{"SOME_RANDOM_STRING", "id: SOME_OTHER_RANDOM_STRING"}} {
		if isLikelyIDString(c[0], c[1], nil) {
			t.Errorf("is_likely_id_string(%q, %q) = true", c[0], c[1])
		}
	}
	// test_is_prefixed_with_dollar_sign
	if !isPrefixedWithDollarSign("$secret") || isPrefixedWithDollarSign("secret") || isPrefixedWithDollarSign("") {
		t.Error("is_prefixed_with_dollar_sign")
	}
	// test_is_lock_file
	if !isLockFile("composer.lock") || !isLockFile("path/yarn.lock") || isLockFile("Gemfilealock") {
		t.Error("is_lock_file")
	}
	// is_not_alphanumeric_string: at least one ASCII letter keeps a secret.
	if !isNotAlphanumericString("*****") || isNotAlphanumericString("a****") {
		t.Error("is_not_alphanumeric_string")
	}
	// is_swagger_file: any path containing "swagger".
	if !isSwaggerFile("docs/swagger-ui.html") || isSwaggerFile("docs/api.html") {
		t.Error("is_swagger_file")
	}
}

// scanLineWith runs KeywordDetector with one filter, like detect-secrets'
// transient_settings + scan_line in the filter tests.
func scanLineWith(t *testing.T, filter, line string) bool {
	t.Helper()
	s, err := New([]PluginSpec{{Name: "KeywordDetector"}}, []FilterSpec{{Path: filter}})
	if err != nil {
		t.Fatal(err)
	}
	return len(s.scanLines("adhoc-string-scan", []string{line})) > 0
}

// tests/filters/heuristic_filter_test.py::test_is_templated_secret and
// ::test_is_indirect_reference
func TestSecretAndLineFilters(t *testing.T) {
	for line, want := range map[string]bool{
		"secret = {hunter2}": false, "secret = <hunter2>": false, "secret = hunter2": true, "secret= ${hunter2}": false,
	} {
		// scan_line treats an adhoc string like a file of no known type;
		// these rows need an unquoted value, so use a config file.
		s, _ := New([]PluginSpec{{Name: "KeywordDetector"}}, []FilterSpec{{Path: fTemplated}})
		if got := len(s.scanLines("x.conf", []string{line})) > 0; got != want {
			t.Errorf("is_templated_secret %q: %v, want %v", line, got, want)
		}
	}
	for line, want := range map[string]bool{
		`secret = get_secret_key()`: false, `secret = request.headers["apikey"]`: false, `secret = "hunter2"`: true,
	} {
		if got := scanLineWith(t, fIndirect, line); got != want {
			t.Errorf("is_indirect_reference %q: %v, want %v", line, got, want)
		}
	}
}

// tests/filters/allowlist_filter_test.py::test_basic and
// ::test_file_based_regexes, plus the nextline form.
func TestAllowlist(t *testing.T) {
	for _, ps := range [][2]string{{"#", ""}, {"# ", " more text"}, {"//", ""}, {"// ", " more text"},
		{"/*", "*/"}, {"/* ", " */"}, {"--", ""}, {"-- ", " more text"}, {"<!--", "-->"}} {
		line := "AKIAEXAMPLE  " + ps[0] + "pragma: allowlist secret" + ps[1]
		if !isLineAllowlisted("filename", line, "") {
			t.Errorf("%q not allowlisted", line)
		}
	}
	if !isLineAllowlisted("filename.yaml", "key: value # pragma: allowlist secret", "") ||
		isLineAllowlisted("filename.yaml", "key: value // pragma: allowlist secret", "") {
		t.Error("yaml files honour only '#'")
	}
	if !isLineAllowlisted("f.py", `x = "secret"`, "    # pragma: allowlist nextline secret\n") {
		t.Error("nextline pragma on the previous line ignored")
	}
	if isLineAllowlisted("f.py", `x = "secret"`, "foo # pragma: allowlist nextline secret\n") {
		t.Error("nextline pragma after code must not count")
	}
	if !isLineAllowlisted("f.py", `x = "secret"  # pragma: whitelist secret`, "") {
		t.Error("legacy whitelist pragma ignored")
	}
	// 1.x's template `[ \t]*{start} *pragma...`: no space needed before the
	// comment (filters/allowlist.py; scan/pragma implements it).
	s, _ := New(DefaultPlugins(), DefaultFilters())
	hex := "2b00042f7481" + "c7b056c4b410d28f33cf"
	if res := s.ScanFile("a.py", []byte(`x = "`+hex+`"#pragma: allowlist secret`+"\n")); len(res) != 0 {
		t.Errorf("%d results on an allowlisted line", len(res))
	}
}
