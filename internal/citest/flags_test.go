package citest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// TestJSONFileAndPathPrefix: the flags the action relies on. --json writes
// the same report --format json prints, beside another format;
// --path-prefix puts the scan root's place in the repository before every
// path of every report, while the baseline, which records paths relative to
// the scan root, still matches.
func TestJSONFileAndPathPrefix(t *testing.T) {
	t.Parallel()
	r := testrepo.New(t)
	s := testrepo.Secrets(401)
	r.Write("svc/known.env", "NPM="+s["npm"]+"\n")
	svc := filepath.Join(r.Dir, "svc")
	if res := clawgate(t, svc, "baseline"); res.code != 0 {
		t.Fatalf("baseline: %s", res)
	}
	r.Write("svc/new.env", "\nAWS="+s["aws"]+"\n")

	out := t.TempDir()
	jsonFile, sarifFile := filepath.Join(out, "r.json"), filepath.Join(out, "r.sarif")
	res := clawgate(t, svc, "scan", "--json", jsonFile, "--sarif", sarifFile, "--path-prefix", "svc/")
	if res.code != 1 || !strings.Contains(res.stdout, "svc/new.env") || !strings.Contains(res.stdout, "1 new, 1 known") {
		t.Fatalf("text report: want svc/new.env new and the baselined finding known: %s", res)
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if got := newFindings(rep); len(got) != 1 || got[0].File != "svc/new.env" || got[0].Line != 2 || rep.Summary.Known != 1 {
		t.Fatalf("--json file: %+v", rep)
	}
	printed := clawgate(t, svc, "scan", "--format", "json", "--path-prefix", "svc")
	if printed.stdout != string(data) {
		t.Fatalf("--json differs from --format json:\n%s\n---\n%s", data, printed.stdout)
	}
	log, raw := readSARIF(t, sarifFile)
	if got := log.results(); len(got) != 1 || got[0] != "svc/new.env:2 aws-access-token" {
		t.Fatalf("SARIF results = %v", got)
	}
	noSecret(t, []string{s["npm"], s["aws"]}, res.stdout, string(data), raw)

	for _, bad := range []string{"../up", "/abs", "a/../../b"} {
		if res := clawgate(t, svc, "scan", "--path-prefix", bad); res.code != 2 {
			t.Errorf("--path-prefix %s: want a usage error: %s", bad, res)
		}
	}
}
