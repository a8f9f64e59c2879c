package scan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/secrets"
)

func history(t *testing.T, r *testrepo.Repo, since string, opts scan.HistoryOptions) *scan.Result {
	t.Helper()
	rules, err := secrets.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	opts.Root, opts.Since, opts.Rules, opts.Detector = r.Dir, since, rules, secrets.NewFast(rules)
	res, _, err := scan.ScanHistory(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A file a commit adds over the size cap is reported as too large and not
// read (git shows it as binary), as the working-tree scan reports it; a
// binary file under the cap is not reported.
func TestHistoryReportsFilesOverTheSizeCap(t *testing.T) {
	r := testrepo.New(t)
	base := r.Commit("base")
	big := strings.Repeat("harmless words\n", 200) + "token = \"" + testrepo.GitHubToken(1) + "\"\n"
	r.Write("big.txt", big)
	r.Write("small.txt", "token = \""+testrepo.GitHubToken(2)+"\"\n")
	r.Write("img.png", "\x89PNG\r\n\x1a\n\x00\x00"+strings.Repeat("\x00", 500))
	r.Commit("add")
	res := history(t, r, base, scan.HistoryOptions{MaxFileSize: 2000})
	if len(res.Findings) != 1 || res.Findings[0].File != "small.txt" {
		t.Fatalf("findings = %+v", res.Findings)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].File != "big.txt" || res.Skipped[0].Reason != "too large" || res.Skipped[0].Size != int64(len(big)) {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
	// No cap: the big file is read.
	if res := history(t, r, base, scan.HistoryOptions{MaxFileSize: -1}); len(res.Findings) != 2 || len(res.Skipped) != 0 {
		t.Fatalf("without a cap: findings %d, skipped %+v", len(res.Findings), res.Skipped)
	}
}

// More secrets than the cap in one file of one commit: the rest are
// dropped and the file is reported truncated.
func TestHistoryCapsFindingsPerFile(t *testing.T) {
	r := testrepo.New(t)
	base := r.Commit("base")
	var b strings.Builder
	for i := int64(0); i < 5; i++ {
		fmt.Fprintf(&b, "token%d = \"%s\"\n", i, testrepo.GitHubToken(10+i))
	}
	r.Write("many.txt", b.String())
	r.Commit("add")
	res := history(t, r, base, scan.HistoryOptions{MaxFindingsPerFile: 2})
	if len(res.Findings) != 2 || len(res.Skipped) != 1 || !res.Skipped[0].Truncated || res.Skipped[0].File != "many.txt" {
		t.Fatalf("findings %d, skipped %+v", len(res.Findings), res.Skipped)
	}
}

// A "pragma: allowlist nextline secret" on the line just above a hunk is
// outside the -U0 diff, yet it accepts the secret on the hunk's first line,
// as a scan of the whole file does; with both engines.
func TestHistoryNextlinePragmaAboveTheHunk(t *testing.T) {
	ds, err := detectsecrets.New(detectsecrets.DefaultPlugins(), detectsecrets.DefaultFilters())
	if err != nil {
		t.Fatal(err)
	}
	secret := func(i int64) string { return "token = \"" + testrepo.GitHubToken(20+i) + "\"" }
	for _, c := range []struct {
		name          string
		before, after string // the file at the base and at the tip
		want          int    // lines with findings in the range
	}{
		{"pragma above a replaced line", "a\n# pragma: allowlist nextline secret\nold\nz\n", "a\n# pragma: allowlist nextline secret\n" + secret(1) + "\nz\n", 0},
		{"pragma above an inserted line", "# pragma: allowlist nextline secret\n", "# pragma: allowlist nextline secret\n" + secret(2) + "\n", 0},
		{"pragma with CRLF", "a\r\n# pragma: allowlist nextline secret\r\nold\r\n", "a\r\n# pragma: allowlist nextline secret\r\n" + secret(3) + "\r\n", 0},
		{"pragma two lines above", "# pragma: allowlist nextline secret\nx\nold\n", "# pragma: allowlist nextline secret\nx\n" + secret(4) + "\n", 1},
		{"no pragma above", "a\nb\nold\n", "a\nb\n" + secret(5) + "\n", 1},
		{"pragma above the second added line only", "# pragma: allowlist nextline secret\n", "# pragma: allowlist nextline secret\n" + secret(6) + "\n" + secret(7) + "\n", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := testrepo.New(t)
			r.Write("conf.py", c.before)
			base := r.Commit("base")
			r.Write("conf.py", c.after)
			r.Commit("change")
			for _, opts := range []scan.HistoryOptions{{}, {DetectSecrets: ds}} {
				// detect-secrets reports a token under each plugin that
				// finds it; count lines.
				lines := map[int]bool{}
				for _, f := range history(t, r, base, opts).Findings {
					lines[f.Line] = true
				}
				if len(lines) != c.want {
					t.Errorf("detect-secrets %v: findings on lines %v, want %d lines", opts.DetectSecrets != nil, lines, c.want)
				}
			}
		})
	}
}

// A staged blob over the size cap is reported as too large without being
// read, and the blobs after it are still read right.
func TestStagedSkipsBlobsOverTheCap(t *testing.T) {
	r := testrepo.New(t)
	r.Commit("base")
	big := strings.Repeat("harmless words\n", 200)
	r.Write("a-big.txt", big)
	r.Write("b-small.txt", "token = \""+testrepo.GitHubToken(40)+"\"\n")
	r.Git("add", "-A")
	files, err := scan.Staged(context.Background(), r.Dir, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	rules, err := secrets.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Root: r.Dir, Targets: files.Targets, Read: files.Read, Rules: rules, MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].File != "a-big.txt" || res.Skipped[0].Reason != "too large" || res.Skipped[0].Size != int64(len(big)) {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
	if len(res.Findings) != 1 || res.Findings[0].File != "b-small.txt" {
		t.Fatalf("findings = %+v", res.Findings)
	}
	if err := files.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}
