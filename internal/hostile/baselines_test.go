//go:build unix

package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/internal/testrepo"
)

// baselineRepo is a repository with two committed secrets and a valid
// baseline for them, whose bytes it returns.
func baselineRepo(t *testing.T) (*testrepo.Repo, []byte) {
	t.Helper()
	r := testrepo.New(t)
	r.Write("app.env", "TOKEN="+gh(40)+"\n")
	r.Write("src/key.py", "AWS = \""+aws(41)+"\"\n")
	r.Commit("secrets")
	if res := clawgate(t, r.Dir, "baseline"); res.code != 0 {
		t.Fatalf("baseline: %s", res)
	}
	valid, err := os.ReadFile(filepath.Join(r.Dir, ".secrets.baseline"))
	if err != nil {
		t.Fatal(err)
	}
	return r, valid
}

// positioned matches an error that names the baseline and a line:column.
var positioned = regexp.MustCompile(`clawgate [a-z]+: \.secrets\.baseline:\d+:\d+: `)

// brokenBaseline is a baseline every command must refuse (exit 2) with a
// message naming the file (and, when pos, the line and column), leaving
// the file as it was.
type brokenBaseline struct {
	name    string
	content func(valid []byte) []byte
	pos     bool
	msg     string
}

func replace(old, new string) func([]byte) []byte {
	return func(valid []byte) []byte {
		if !bytes.Contains(valid, []byte(old)) {
			panic("test baseline lacks " + old)
		}
		return bytes.Replace(valid, []byte(old), []byte(new), 1)
	}
}

func literal(s string) func([]byte) []byte { return func([]byte) []byte { return []byte(s) } }

var brokenBaselineCases = []brokenBaseline{
	{"empty file", literal(""), true, "the file is empty"},
	{"whitespace only", literal("  \n\t\n"), true, "the file is empty"},
	{"top-level list", literal("[1, 2]"), true, "top level must be a JSON object"},
	{"results is a list", literal(`{"version": "1.5.0", "results": [{"type": "T"}]}`), true, `"results" must be an object`},
	{"is_secret is a string", replace(`"is_verified": false`, `"is_verified": false, "is_secret": "yes"`), true, "is_secret must be true, false or null, found a string"},
	{"line_number is a string", replace(`"line_number": 1`, `"line_number": "1"`), true, "line_number must be an integer, found a string"},
	{"line_number is huge", replace(`"line_number": 1`, `"line_number": 1`+strings.Repeat("9", 400)), true, "line_number is out of range"},
	{"version is a number", replace(`"version": "1.5.0"`, `"version": 1.5`), true, `"version" must be a string`},
	{"plugins_used is an object", replace(`"plugins_used": []`, `"plugins_used": {}`), true, `"plugins_used" must be a list`},
	{"unknown version 2", replace(`"version": "1.5.0"`, `"version": "2.0.0"`), true, "newer than this clawgate understands"},
	{"unknown version word", replace(`"version": "1.5.0"`, `"version": "latest"`), true, "is not a detect-secrets version"},
	{"merge conflict", func(v []byte) []byte {
		return []byte(strings.Replace(string(v), "  \"results\"", "<<<<<<< HEAD\n  \"x\": 1,\n=======\n  \"y\": 2,\n>>>>>>> theirs\n  \"results\"", 1))
	}, true, "unresolved git merge conflict marker"},
	{"10,000 levels of nesting", literal(`{"version": "1.5.0", "results": {}, "x": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "}"), true, "nested too deeply"},
	{"invalid UTF-8", replace(`"src/key.py": [`, "\"src/key\xff.py\": ["), true, "invalid UTF-8"},
	{"trailing comma", replace(`"filters_used": []`, `"filters_used": [1,]`), true, "trailing comma"},
	{"no results", literal(`{"version": "1.5.0"}`), true, `there is no "results" key`},
	{"a NUL byte", replace(`"version"`, "\"vers\x00ion\""), true, "must be escaped"},
}

// TestBrokenBaselines: every command refuses a broken baseline with exit 2
// and a message naming the file and position, and no command touches it.
func TestBrokenBaselines(t *testing.T) {
	r, valid := baselineRepo(t)
	path := filepath.Join(r.Dir, ".secrets.baseline")
	cases := append([]brokenBaseline(nil), brokenBaselineCases...)
	// Truncated at fifteen points.
	for i := 1; i < 16; i++ {
		n := len(valid) * i / 16
		cases = append(cases, brokenBaseline{fmt.Sprintf("truncated at byte %d of %d", n, len(valid)), func(v []byte) []byte { return v[:n] }, true, ""})
	}
	commands := [][]string{{"scan"}, {"baseline"}, {"scan", "--format", "json"}, {"audit", "--report"}, {"audit", "--mark", "false-positive", "--file", "**"}, {"lint"}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			content := c.content(valid)
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range commands {
				if args[0] == "lint" && !c.pos {
					continue
				}
				res := clawgate(t, r.Dir, args...)
				if res.code != 2 {
					t.Errorf("%s: %s", strings.Join(args, " "), res)
					continue
				}
				if c.pos && !positioned.MatchString(res.stderr) || !strings.Contains(res.stderr, c.msg) {
					t.Errorf("%s: message %q does not name the file and position or say %q", strings.Join(args, " "), res.stderr, c.msg)
				}
				if strings.Contains(res.stderr, "panic") || strings.Contains(res.stderr, "goroutine ") {
					t.Errorf("%s: a crash: %s", strings.Join(args, " "), res.stderr)
				}
			}
			sameFile(t, path, content, "after every command")
		})
	}
	t.Run("a directory", func(t *testing.T) {
		os.Remove(path)
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, args := range commands[:4] {
			res := clawgate(t, r.Dir, args...)
			if res.code != 2 || !strings.Contains(res.stderr, ".secrets.baseline: is a directory, not a baseline file") {
				t.Errorf("%s: %s", strings.Join(args, " "), res)
			}
		}
		if st, err := os.Stat(path); err != nil || !st.IsDir() {
			t.Fatal("the directory is gone")
		}
	})
}

// Duplicate entries and a repeated "results" key are read (the first entry
// wins, both keys' labels are kept); reading never rewrites the file.
func TestDuplicateEntries(t *testing.T) {
	r, valid := baselineRepo(t)
	path := filepath.Join(r.Dir, ".secrets.baseline")
	s := string(valid)
	i := strings.Index(s, "\"app.env\": [")
	j := strings.Index(s[i:], "]") + i
	entries := s[i+len("\"app.env\": [") : j]
	dup := s[:j] + "," + strings.Replace(entries, `"is_verified": false`, `"is_verified": false, "is_secret": false`, 1) + s[j:]
	dup = strings.Replace(dup, "\n  \"results\": {", "\n  \"results\": {},\n  \"results\": {", 1)
	if err := os.WriteFile(path, []byte(dup), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"scan"}, {"audit", "--report"}, {"audit", "--stats"}} {
		res := clawgate(t, r.Dir, args...)
		if res.code != 0 {
			t.Fatalf("%s: %s", strings.Join(args, " "), res)
		}
		if args[0] == "scan" && !strings.Contains(res.stdout, "0 new, 2 known") {
			t.Fatalf("scan: %s", res)
		}
	}
	sameFile(t, path, []byte(dup), "after reading")
	// The baseline command writes it once, deduplicated.
	if res := clawgate(t, r.Dir, "baseline"); res.code != 0 || !strings.Contains(res.stdout, "2 secret(s)") {
		t.Fatalf("baseline: %s", res)
	}
	if f, err := baseline.Read(path); err != nil || len(f.Results) != 2 {
		t.Fatalf("rewritten baseline: %v", err)
	}
}

// A baseline of 100,000 entries is read quickly, in bounded memory, and
// left as it is.
func TestHugeBaseline(t *testing.T) {
	r, valid := baselineRepo(t)
	path := filepath.Join(r.Dir, ".secrets.baseline")
	// Streamed: the real entries, then 100,000 for files that are gone.
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	head, _, _ := strings.Cut(string(valid), "\n  \"results\": {")
	fmt.Fprintf(w, "%s\n  \"results\": {\n", head)
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(w, "    \"gone/f%06d.py\": [\n      {\n        \"type\": \"Secret Keyword\",\n        \"filename\": \"gone/f%06d.py\",\n        \"hashed_secret\": \"%040x\",\n        \"is_verified\": false,\n        \"line_number\": %d\n      }\n    ],\n", i, i, i*7919, i%500+1)
	}
	rest := string(valid)[strings.Index(string(valid), "\n  \"results\": {")+len("\n  \"results\": {\n"):]
	w.WriteString(rest)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before, _ := os.Stat(path)
	for _, args := range [][]string{{"scan"}, {"audit", "--stats"}} {
		res := clawgateWith(t, r.Dir, runOpts{timeout: 30 * time.Second}, args...)
		t.Logf("%s: %s", strings.Join(args, " "), res.describe())
		if res.code != 0 || res.peakKB > 600<<10 {
			t.Fatalf("%s: %s", strings.Join(args, " "), res)
		}
		if args[0] == "audit" && !strings.Contains(res.stdout, "100002") {
			t.Fatalf("audit --stats: %s", res)
		}
	}
	if after, _ := os.Stat(path); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("reading the baseline rewrote it")
	}
}

// Two `clawgate baseline` runs at once, again and again, while a reader
// keeps reading the file: every read is a whole baseline, one of the two
// runs' outputs, and no temporary file is left behind.
func TestConcurrentBaselineRuns(t *testing.T) {
	r := testrepo.New(t)
	var b strings.Builder
	for i := int64(0); i < 1500; i++ { // a file of a few hundred kB
		fmt.Fprintf(&b, "token%d = \"%s\"\n", i, gh(1000+i))
	}
	r.Write("many.txt", b.String())
	r.Commit("many")
	path := filepath.Join(r.Dir, ".secrets.baseline")
	outputs := map[string]bool{}
	for _, slim := range []bool{false, true} {
		args := []string{"baseline"}
		if slim {
			args = append(args, "--slim")
		}
		os.Remove(path)
		if res := clawgate(t, r.Dir, args...); res.code != 0 {
			t.Fatal(res)
		}
		data, _ := os.ReadFile(path)
		outputs[string(data)] = true
	}
	var (
		stop  atomic.Bool
		reads atomic.Int64
		torn  atomic.Int64
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			data, err := os.ReadFile(path)
			if err != nil {
				continue // between a remove and a rename of this test
			}
			reads.Add(1)
			if _, err := baseline.Parse(path, data); err != nil || !outputs[string(data)] {
				torn.Add(1)
			}
		}
	}()
	for round := 0; round < 4; round++ {
		var runs sync.WaitGroup
		for _, args := range [][]string{{"baseline"}, {"baseline", "--slim"}} {
			runs.Add(1)
			go func() {
				defer runs.Done()
				if res := clawgate(t, r.Dir, args...); res.code != 0 {
					t.Errorf("%s: %s", strings.Join(args, " "), res)
				}
			}()
		}
		runs.Wait()
	}
	stop.Store(true)
	wg.Wait()
	if torn.Load() > 0 {
		t.Fatalf("%d of %d reads saw a half-written or foreign baseline", torn.Load(), reads.Load())
	}
	data, _ := os.ReadFile(path)
	if !outputs[string(data)] {
		t.Fatal("the final baseline is neither run's output")
	}
	left, _ := filepath.Glob(filepath.Join(r.Dir, ".secrets.baseline.*"))
	left2, _ := filepath.Glob(filepath.Join(r.Dir, "..secrets.baseline*"))
	if len(left)+len(left2) > 0 {
		t.Fatalf("temporary files left: %v %v", left, left2)
	}
	t.Logf("%d reads during 8 runs", reads.Load())
}
