package scan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
	"github.com/coderclaw/clawgate/scan"
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
