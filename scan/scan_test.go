package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/internal/testrepo"
	"github.com/coderclaw/clawgate/scan"
)

func rels(ts []scan.Target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Rel)
	}
	sort.Strings(out)
	return out
}

func TestListTargetsInGit(t *testing.T) {
	r := testrepo.New(t)
	r.Write(".gitignore", "ignored.txt\nbuild/\n")
	r.Write("tracked.go", "package x\n")
	r.Write("dir/nested.txt", "hello\n")
	r.Commit("init")
	r.Write("untracked.txt", "new\n")
	r.Write("ignored.txt", "secret stuff\n")
	r.Write("build/out.txt", "artifact\n")
	r.Write("deleted.txt", "x\n")
	r.Git("add", "deleted.txt")
	os.Remove(filepath.Join(r.Dir, "deleted.txt"))

	got, err := scan.ListTargets(context.Background(), r.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "dir/nested.txt", "tracked.go", "untracked.txt"}
	if strings.Join(rels(got), ",") != strings.Join(want, ",") {
		t.Fatalf("targets = %v, want %v", rels(got), want)
	}
}

func TestListTargetsOutsideGit(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.txt", "sub/b.txt", ".git/config", "sub/.git/HEAD"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x\n"), 0o644)
	}
	// A symlink out of the tree is never followed.
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "leak.txt"), []byte("x\n"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "link"))
	os.Symlink(filepath.Join(outside, "leak.txt"), filepath.Join(dir, "filelink"))

	got, err := scan.ListTargets(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(rels(got), ","); g != "a.txt,sub/b.txt" {
		t.Fatalf("targets = %s", g)
	}
}

// The working directory may have been reached through a symlink: its
// files are listed, by the same names, in git or not, while a link inside
// it is still not followed, nor a link named as the root from elsewhere.
func TestListTargetsWorkingDirThroughSymlink(t *testing.T) {
	r := testrepo.New(t)
	r.Write("a.txt", "a\n")
	r.Write("sub/b.txt", "b\n")
	r.Commit("init")
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "leak.txt"), []byte("x\n"), 0o644)
	os.Symlink(outside, filepath.Join(r.Dir, "out"))
	plain := t.TempDir()
	os.WriteFile(filepath.Join(plain, "c.txt"), []byte("c\n"), 0o644)
	for dir, want := range map[string]string{r.Dir: "a.txt,sub/b.txt", plain: "c.txt"} {
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(dir, link); err != nil {
			t.Fatal(err)
		}
		got, err := scan.ListTargets(context.Background(), link, nil)
		if err != nil {
			t.Fatal(err)
		}
		if g := strings.Join(rels(got), ","); g != "" {
			t.Errorf("%s named from elsewhere: targets = %s, want none", link, g)
		}
		// As the shell does after `cd link`: PWD names the link.
		t.Chdir(link)
		t.Setenv("PWD", link)
		got, err = scan.ListTargets(context.Background(), ".", nil)
		if err != nil {
			t.Fatal(err)
		}
		if g := strings.Join(rels(got), ","); g != want {
			t.Errorf("working directory %s: targets = %s, want %s", link, g, want)
		}
	}
}

func TestListTargetsExplicitFiles(t *testing.T) {
	r := testrepo.New(t)
	r.Write("a.txt", "a\n")
	r.Write("b.txt", "b\n")
	r.Write(".gitignore", "b.txt\n")
	got, err := scan.ListTargets(context.Background(), r.Dir, []string{filepath.Join(r.Dir, "b.txt")})
	if err != nil {
		t.Fatal(err)
	}
	// An explicit file is scanned even when git ignores it.
	if g := strings.Join(rels(got), ","); g != "b.txt" {
		t.Fatalf("targets = %s", g)
	}
	if _, err := scan.ListTargets(context.Background(), r.Dir, []string{filepath.Join(r.Dir, "missing.txt")}); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Fatalf("missing path: err = %v", err)
	}
}

func TestRunFindsPlantedSecrets(t *testing.T) {
	r := testrepo.New(t)
	aws, gh := testrepo.AWSKey(1), testrepo.GitHubToken(1)
	r.Write("config/app.env", "AWS_ACCESS_KEY_ID="+aws+"\n")
	r.Write("src/main.go", "package main\n\nvar token = \""+gh+"\"\n")
	r.Write("allowed.py", "key = \""+testrepo.GitHubToken(2)+"\"  # pragma: allowlist secret\n")
	r.Write("next.py", "# pragma: allowlist nextline secret\nkey = \""+testrepo.GitHubToken(3)+"\"\n")
	r.Write("img.dat", "\x89PNG\r\n\x1a\n\x00\x00"+gh)
	r.Write("nul.dat", "abc\x00"+gh)
	r.Write("big.txt", strings.Repeat("x", 2000)+gh)

	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir, MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.File+":"+f.Rule)
		if f.HashedSecret == "" || strings.Contains(f.Masked, f.HashedSecret) {
			t.Errorf("finding %s:%d lacks a hash", f.File, f.Line)
		}
		for _, s := range []string{aws, gh} {
			if strings.Contains(f.Message+f.Masked+f.Remediation, s[:8]) {
				t.Errorf("finding %s:%d shows the secret", f.File, f.Line)
			}
		}
	}
	want := "config/app.env:aws-access-token,src/main.go:github-pat"
	if strings.Join(got, ",") != want {
		t.Fatalf("findings = %v, want %s", got, want)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].File != "big.txt" || res.Skipped[0].Reason != "too large" {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
	if res.Binary != 2 {
		t.Fatalf("binary = %d, want 2", res.Binary)
	}
	f := res.Findings[1]
	if f.Line != 3 || f.Column != 14 || f.Type != "GitHub Token" || f.HashedSecret != scan.HashSecret(gh) {
		t.Fatalf("github finding = %+v", f)
	}
}

func TestRunReportsUnreadableFileAndGoesOn(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads mode 000 files")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "locked.txt"), []byte("x"), 0o000)
	os.WriteFile(filepath.Join(dir, "open.txt"), []byte("token = \""+testrepo.GitHubToken(4)+"\"\n"), 0o644)
	res, err := scan.Run(context.Background(), scan.Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "permission denied") {
		t.Fatalf("findings %d, skipped %+v", len(res.Findings), res.Skipped)
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "*****"},
		{"abc", "*****"},
		{"abcdefgh", "ab*****"},
		{"ghp_0123456789abcdefghijklmnopqrstuvwxyz", "ghp_*****"},
		{"ab\ncdefghijkl", "ab*****"},
	} {
		if got := scan.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Baseline entries are hashes of secrets; a repository holding baselines
// (test data, another tool's copy) must not read as full of secrets.
func TestBaselineHashLinesAreNotSecrets(t *testing.T) {
	r := testrepo.New(t)
	r.Write("old.secrets.baseline", "{\n  \"results\": {\"a.py\": [{\n        \"hashed_secret\": \"0123456789abcdef0123456789abcdef01234567\",\n  }]}}\n")
	r.Write("real.json", "{\"api_secret\": \"0123456789abcdef0123456789abcdef01234567\"}\n")
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].File != "real.json" {
		t.Fatalf("findings = %+v", res.Findings)
	}
}

// Many matches on one line: the pragmas, hash lines and --exclude-lines are
// decided per line (once), and each still applies to exactly its lines.
func TestManyMatchesOnALine(t *testing.T) {
	assign := func(seed int64) string {
		var b strings.Builder
		for i := int64(0); i < 100; i++ {
			b.WriteString("password=\"" + testrepo.GitHubToken(seed*1000 + i)[4:24] + "\" ")
		}
		return b.String()
	}
	r := testrepo.New(t)
	r.Write("many.txt", strings.Join([]string{
		assign(1),                             // 1: 100 findings
		"# pragma: allowlist nextline secret", // 2
		assign(2),                             // 3: accepted by line 2
		assign(3) + " # pragma: allowlist secret", // 4: accepted
		assign(4) + " EXCLUDED",                   // 5: --exclude-lines
		assign(5),                                 // 6: 100 findings
	}, "\n")+"\n")
	ex, err := baseline.NewExcludes(baseline.ExcludePatterns{Lines: []string{"EXCLUDED$"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir, Exclude: ex})
	if err != nil {
		t.Fatal(err)
	}
	perLine := map[int]int{}
	for _, f := range res.Findings {
		perLine[f.Line]++
	}
	// A few random values fall under the generic rule's entropy bar.
	if len(perLine) != 2 || perLine[1] < 90 || perLine[6] < 90 {
		t.Fatalf("findings per line = %v, want about 100 on lines 1 and 6 only", perLine)
	}
}

// utf16 encodes s as UTF-16 with a byte-order mark.
func utf16Text(s string, bigEndian bool) string {
	var b []byte
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	} else {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// A secret in UTF-16 text with a BOM (PowerShell, .reg exports) is found,
// at its line and character column; UTF-16 without a BOM stays binary.
func TestUTF16WithBOM(t *testing.T) {
	aws := testrepo.AWSKey(7)
	text := "# deploy\r\n$x = \"é😀\"; $env:KEY = \"" + aws + "\"\r\n"
	r := testrepo.New(t)
	r.Write("le.ps1", utf16Text(text, false))
	r.Write("be.reg", utf16Text(text, true))
	r.Write("nobom.ps1", utf16Text(text, false)[2:])
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d:%d-%d %v", f.File, f.Line, f.Column, f.EndColumn, f.HashedSecret == scan.HashSecret(aws)))
	}
	want := "be.reg:2:24-44 true,le.ps1:2:24-44 true"
	if strings.Join(got, ",") != want {
		t.Fatalf("findings = %v, want %s", got, want)
	}
	if res.Binary != 1 {
		t.Fatalf("binary files = %d, want 1 (UTF-16 without a BOM)", res.Binary)
	}
}

func TestDecodeUTF16(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"\xff\xfea\x00b\x00", "ab", true},
		{"\xfe\xff\x00a\x00b", "ab", true},
		{"\xff\xfe=\xd8\x00\xde", "😀", true},         // surrogate pair
		{"\xff\xfe=\xd8a\x00", "\ufffda", true},      // lone high surrogate
		{"\xff\xfea\x00b", "a\ufffd", true},          // odd trailing byte
		{"\xff\xfe\x00\x00a\x00\x00\x00", "", false}, // UTF-32LE
		{"\xef\xbb\xbfab", "", false},                // UTF-8 BOM: scanned as is
		{"a\x00b\x00", "", false},                    // no BOM
	} {
		got, ok := scan.DecodeUTF16([]byte(tc.in))
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("DecodeUTF16(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A file with more secrets than the cap reports the first ones, in file
// order, and is marked truncated; a file at the cap is not.
func TestFindingsCapPerFile(t *testing.T) {
	var many strings.Builder
	for i := int64(0); many.Len() < 150_000; i++ { // several 100 kB fragments
		many.WriteString("token = \"" + testrepo.GitHubToken(100+i) + "\"\n")
	}
	r := testrepo.New(t)
	r.Write("many.txt", many.String())
	r.Write("few.txt", "a = \""+testrepo.GitHubToken(1)+"\"\nb = \""+testrepo.GitHubToken(2)+"\"\n")
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir, MaxFindingsPerFile: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	if g := strings.Join(got, ","); g != "few.txt:1,few.txt:2,many.txt:1,many.txt:2" {
		t.Fatalf("findings = %s", g)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].File != "many.txt" || !res.Skipped[0].Truncated || !strings.Contains(res.Skipped[0].Reason, "more than 2 secrets") {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
}

// Text that starts with the bytes of a UTF-16 BOM but is not UTF-16 is
// scanned as it is: a BOM in front must not hide a secret.
func TestFakeBOMDoesNotHideSecrets(t *testing.T) {
	r := testrepo.New(t)
	r.Write("fake.txt", "\xff\xfeAWS_KEY="+testrepo.AWSKey(9)+"\n")
	r.Write("fake-be.txt", "\xfe\xffAWS_KEY="+testrepo.AWSKey(9)+"\n")
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("%d findings, want 2", len(res.Findings))
	}
}

// A .gitleaksignore committed as a symlink to an endless device is refused,
// not read forever.
func TestGitleaksIgnoreOnADevice(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/dev/urandom", filepath.Join(dir, ".gitleaksignore")); err != nil {
		t.Fatal(err)
	}
	if _, err := scan.ReadGitleaksIgnore(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v", err)
	}
}
