package baseline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/internal/testrepo"
	"github.com/coderclaw/clawgate/scan"
)

func TestSelectorValidate(t *testing.T) {
	for _, bad := range []Selector{
		{Files: []string{"a/[b"}},
		{Files: []string{""}},
		{Types: []string{" "}},
		{Hashes: []string{"abc"}},                   // too short
		{Hashes: []string{"zzzzzzzz"}},              // not hex
		{Hashes: []string{strings.Repeat("a", 41)}}, // too long
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", bad)
		}
	}
	good := Selector{Files: []string{"**/*.py"}, Types: []string{"AWS Access Key"}, Hashes: []string{"ABCDEF0", strings.Repeat("a", 40)}}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v", good, err)
	}
}

const auditSrc = `{
  "version": "1.5.0",
  "plugins_used": [],
  "filters_used": [],
  "results": {
    "a/config.env": [
      {
        "type": "AWS Access Key",
        "filename": "a/config.env",
        "hashed_secret": "1111111111111111111111111111111111111111",
        "is_verified": false,
        "line_number": 2
      }
    ],
    "a/x.py": [
      {
        "type": "GitHub Token",
        "filename": "a/x.py",
        "hashed_secret": "2222222222222222222222222222222222222222",
        "is_verified": false,
        "line_number": 1,
        "is_secret": true
      },
      {
        "type": "Secret Keyword",
        "filename": "a/x.py",
        "hashed_secret": "3333333333333333333333333333333333333333",
        "is_verified": false,
        "line_number": 4
      }
    ],
    "tests/fixture.py": [
      {
        "type": "Secret Keyword",
        "filename": "tests/fixture.py",
        "hashed_secret": "4444444444444444444444444444444444444444",
        "is_verified": false,
        "line_number": 9,
        "is_secret": false
      }
    ]
  },
  "generated_at": "2024-05-01T00:00:00Z"
}
`

func TestAuditQueueMarkAndStats(t *testing.T) {
	f := mustParse(t, auditSrc)
	queue := AuditQueue(f, false, Selector{})
	if len(queue) != 2 || f.Results[queue[0]].Filename != "a/config.env" || f.Results[queue[1]].HashedSecret[0] != '3' {
		t.Fatalf("queue = %v, want the two unlabelled entries in file order", queue)
	}
	if q := AuditQueue(f, true, Selector{}); len(q) != 4 {
		t.Fatalf("--all queue has %d entries, want 4", len(q))
	}
	if q := AuditQueue(f, true, Selector{Files: []string{"a/**"}, Types: []string{"secret keyword"}}); len(q) != 1 {
		t.Fatalf("narrowed queue = %v, want one entry", q)
	}

	st := f.Stats(Selector{})
	want := AuditStats{
		Types: []TypeCounts{
			{"AWS Access Key", LabelCounts{Unlabelled: 1, Total: 1}},
			{"GitHub Token", LabelCounts{Real: 1, Total: 1}},
			{"Secret Keyword", LabelCounts{FalsePositive: 1, Unlabelled: 1, Total: 2}},
		},
		Total: LabelCounts{Real: 1, FalsePositive: 1, Unlabelled: 2, Total: 4},
	}
	if !equalStats(st, want) {
		t.Fatalf("Stats = %+v, want %+v", st, want)
	}

	// Every flag alone and combined; a list is any-of, lists are all-of.
	for _, tc := range []struct {
		name             string
		sel              Selector
		label            Label
		matched, changed int
	}{
		{"glob", Selector{Files: []string{"*.py"}}, LabelFalsePositive, 3, 2},
		{"type", Selector{Types: []string{"Secret Keyword"}}, LabelFalsePositive, 2, 1},
		{"hash prefix", Selector{Hashes: []string{"2222222"}}, LabelSecret, 1, 0},
		{"glob and type", Selector{Files: []string{"a/**"}, Types: []string{"Secret Keyword"}}, LabelSecret, 1, 1},
		{"two globs", Selector{Files: []string{"config.env", "tests/**"}}, LabelUnlabelled, 2, 1},
		{"all three", Selector{Files: []string{"**"}, Types: []string{"GitHub Token"}, Hashes: []string{"2222222222222222222222222222222222222222"}}, LabelUnlabelled, 1, 1},
		{"nothing", Selector{Types: []string{"Private Key"}}, LabelSecret, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, auditSrc)
			matched, changed := f.Mark(tc.sel, tc.label)
			if matched != tc.matched || changed != tc.changed {
				t.Fatalf("Mark = %d matched, %d changed; want %d, %d", matched, changed, tc.matched, tc.changed)
			}
			for i := range f.Results {
				if e := &f.Results[i]; tc.sel.Match(e) && LabelOf(e) != tc.label {
					t.Fatalf("%s left %s", e.Filename, LabelOf(e))
				}
			}
			onlyLabelsDiffer(t, []byte(auditSrc), f.Marshal(WriteOptions{}))
		})
	}
}

func equalStats(a, b AuditStats) bool {
	if a.Total != b.Total || len(a.Types) != len(b.Types) {
		return false
	}
	for i := range a.Types {
		if a.Types[i] != b.Types[i] {
			return false
		}
	}
	return true
}

// onlyLabelsDiffer fails unless before and after differ only in is_secret
// lines (and the comma a new last key puts on line_number).
func onlyLabelsDiffer(t *testing.T, before, after []byte) {
	t.Helper()
	strip := func(b []byte) string {
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, `"is_secret"`) {
				continue
			}
			out = append(out, strings.TrimSuffix(l, ","))
		}
		return strings.Join(out, "\n")
	}
	if strip(before) != strip(after) {
		t.Fatalf("more than labels changed:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

func TestWriteOptionsFor(t *testing.T) {
	f := mustParse(t, auditSrc)
	if opts, exact := WriteOptionsFor(f, []byte(auditSrc)); !exact || opts.Slim {
		t.Fatalf("full file: %+v exact=%v", opts, exact)
	}
	slim := f.Marshal(WriteOptions{Slim: true})
	fs := mustParse(t, string(slim))
	if _, exact := WriteOptionsFor(fs, slim); !exact {
		t.Fatal("a slim file is not reproduced")
	}
	// Four-space indentation: not reproducible, noticed.
	odd := strings.ReplaceAll(auditSrc, "  ", "    ")
	if _, exact := WriteOptionsFor(mustParse(t, odd), []byte(odd)); exact {
		t.Fatal("a hand-formatted file claims to round-trip")
	}
}

// TestSessionWritesEveryAnswer walks like a user: each answer is on disk
// before the next question, skip after back takes a label back, and a file
// changed behind the session's back is not overwritten.
func TestSessionWritesEveryAnswer(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".secrets.baseline")
	src := strings.Replace(auditSrc, `"line_number": 1,
        "is_secret": true`, `"line_number": 1`, 1)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, src)
	s := NewSession(path, []byte(src), f, AuditQueue(f, false, Selector{}))
	if s.Len() != 3 || s.Pos() != 0 {
		t.Fatalf("Len %d Pos %d", s.Len(), s.Pos())
	}
	onDisk := func() []Label {
		t.Helper()
		g, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []Label
		for _, i := range AuditQueue(g, true, Selector{Files: []string{"a/**"}}) {
			out = append(out, LabelOf(&g.Results[i]))
		}
		return out
	}
	expect := func(want ...Label) {
		t.Helper()
		got := onDisk()
		if strings.Join(labels(got), ",") != strings.Join(labels(want), ",") {
			t.Fatalf("on disk %v, want %v", got, want)
		}
	}
	U, FP, S := LabelUnlabelled, LabelFalsePositive, LabelSecret

	if s.Back() {
		t.Fatal("Back at the first entry")
	}
	must(t, s.Label(FP))
	expect(FP, U, U)
	must(t, s.Label(S))
	expect(FP, S, U)
	if !s.Back() || s.Pos() != 1 {
		t.Fatal("Back did not go back")
	}
	must(t, s.Skip()) // takes the "secret" back
	expect(FP, U, U)
	if s.Pos() != 2 {
		t.Fatalf("Pos %d after skip", s.Pos())
	}
	must(t, s.Skip()) // nothing to take back: the file is untouched
	expect(FP, U, U)
	if !s.Done() || s.Entry() != nil {
		t.Fatal("not done after the last entry")
	}
	before, _ := os.ReadFile(path)
	onlyLabelsDiffer(t, []byte(src), before)

	// Another tool rewrites the file: the next answer is refused, the
	// file is left as that tool wrote it.
	s.Back()
	other := append(bytes.Clone(before), ' ')
	os.WriteFile(path, other, 0o644)
	err := s.Label(S)
	var be *Error
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "changed on disk") {
		t.Fatalf("Label over a changed file: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, other) {
		t.Fatal("the changed file was overwritten")
	}
	if LabelOf(s.Entry()) != U || s.Pos() != 2 {
		t.Fatal("a refused answer changed the session")
	}

	// A failed write keeps the old file and the position.
	os.WriteFile(path, before, 0o644)
	s2 := NewSession(path, before, mustParse(t, string(before)), []int{0})
	s2.write = func(string, []byte) error { return errors.New("disk full") }
	if err := s2.Label(S); err == nil || s2.Pos() != 0 || LabelOf(s2.Entry()) != FP {
		t.Fatalf("failed write: err %v, pos %d", err, s2.Pos())
	}
}

func labels(ls []Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// locFixture writes files under a temp root and returns a Locator on it.
func locFixture(t *testing.T, files map[string]string) *Locator {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &Locator{Root: dir}
}

func entry(file, typ, secret string, line int) *Entry {
	return &Entry{Type: typ, Filename: file, HashedSecret: scan.HashSecret(secret), LineNumber: line}
}

func TestLocate(t *testing.T) {
	s := testrepo.Secrets(61)
	// Values no gitleaks rule yields, assembled here so that this file
	// holds none of them.
	keyword := "hunter" + "2-" + "hunter2"
	hexv := "9f86d081" + "884c7d65" + "9a2fea0c"
	basic := "s3cr3t" + "pass"
	odd := "q9Z" + "x7Wv" + "K2m"
	loc := locFixture(t, map[string]string{
		"moved.env": "# header\n\n\nAWS=" + s["aws"] + "\n",
		"twice.py":  "a = \"" + s["github"] + "\"\n\n\n\n\nb = \"" + s["github"] + "\"\n",
		"ds.py": "password = \"" + keyword + "\"\n" +
			"CACHE = \"" + hexv + "\"\n" +
			"DB = \"postgres://admin:" + basic + "@db.example.com/app\"\n",
		"odd.txt":   "x\ny\nq=%3D" + odd + "%26\n",
		"bin.dat":   "\x00\x01" + s["npm"],
		"noline.sh": strings.Repeat("echo\n", 30) + "T=%" + odd + "%\n",
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		e      *Entry
		line   int // 0: not found
		secret string
		via    string
		reason string
		moved  bool
	}{
		{"moved down", entry("moved.env", "AWS Access Key", s["aws"], 1), 4, s["aws"], "gitleaks", "", true},
		{"nearest of two", entry("twice.py", "GitHub Token", s["github"], 5), 6, s["github"], "gitleaks", "", true},
		{"first of two without a line", entry("twice.py", "GitHub Token", s["github"], 0), 1, s["github"], "gitleaks", "", false},
		{"keyword", entry("ds.py", "Secret Keyword", keyword, 1), 1, keyword, "", "", false},
		{"hex entropy", entry("ds.py", "Hex High Entropy String", hexv, 2), 2, hexv, "", "", false},
		{"basic auth", entry("ds.py", "Basic Auth Credentials", basic, 3), 3, basic, "detect-secrets", "", false},
		{"brute force on the line", entry("odd.txt", "Custom", odd, 3), 3, odd, "hash search", "", false},
		{"brute force, moved", entry("odd.txt", "Custom", odd, 1), 3, odd, "hash search", "", true},
		{"brute force without a line", entry("noline.sh", "Custom", odd, 0), 31, odd, "hash search", "", false},
		{"gone", entry("ds.py", "Secret Keyword", "not-in-the-file", 1), 0, "", "", "no string in the file has this hash", false},
		{"file gone", entry("nope.py", "Secret Keyword", keyword, 1), 0, "", "", "the file is gone", false},
		{"binary", entry("bin.dat", "NPM tokens", s["npm"], 1), 0, "", "", "binary file", false},
		{"bad hash", &Entry{Filename: "ds.py", HashedSecret: "xyz"}, 0, "", "", "not a SHA-1", false},
		{"outside the root", entry("../"+filepath.Base(loc.Root)+"/ds.py", "Secret Keyword", keyword, 1), 0, "", "", "leaves the root", false},
		{"absolute", entry(filepath.Join(loc.Root, "ds.py"), "Secret Keyword", keyword, 1), 0, "", "", "leaves the root", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loc.Locate(ctx, tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if tc.line == 0 {
				if got.Found || !strings.Contains(got.Reason, tc.reason) {
					t.Fatalf("found %+v, want gone: %s", got.Line, tc.reason)
				}
				return
			}
			if !got.Found || got.Line != tc.line || got.Secret != tc.secret {
				t.Fatalf("Locate = line %d found %v %q; want line %d", got.Line, got.Found, got.Reason, tc.line)
			}
			if tc.via != "" && got.Via != tc.via {
				t.Errorf("via %s, want %s", got.Via, tc.via)
			}
			if got.Moved(tc.e) != tc.moved {
				t.Errorf("Moved = %v", got.Moved(tc.e))
			}
			content, _ := os.ReadFile(filepath.Join(loc.Root, tc.e.Filename))
			if string(content[got.Start:got.End]) != tc.secret {
				t.Errorf("span holds %q", content[got.Start:got.End])
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	s := testrepo.Secrets(62)
	var lines []string
	for i := 1; i <= 20; i++ {
		lines = append(lines, "line "+string(rune('a'+i)))
	}
	lines[9] = "AWS=" + s["aws"] + "  # the one"
	lines[11] = "GH=\"" + s["github"] + "\""
	lines[7] = "evil \x1b[2J\tend"
	loc := locFixture(t, map[string]string{"f.env": strings.Join(lines, "\n") + "\n"})
	bl := &File{Results: []Entry{
		*entry("f.env", "AWS Access Key", s["aws"], 10),
		*entry("f.env", "GitHub Token", s["github"], 12),
	}}
	ctx := context.Background()
	e := &bl.Results[0]
	l, err := loc.Locate(ctx, e)
	if err != nil || !l.Found {
		t.Fatalf("Locate: %v %+v", err, l)
	}
	text := func(sn Snippet) string {
		var b strings.Builder
		for _, l := range sn.Lines {
			b.WriteString(l.Text() + "\n")
		}
		return b.String()
	}

	sn, err := loc.Snippet(ctx, bl, e, l, SnippetOptions{Context: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(sn.Lines) != 11 || sn.Lines[0].Number != 5 || sn.Lines[10].Number != 15 {
		t.Fatalf("want lines 5..15, got %d lines from %d", len(sn.Lines), sn.Lines[0].Number)
	}
	target := sn.Lines[5]
	if !target.Target || target.Number != 10 {
		t.Fatalf("line 10 is not the target: %+v", target)
	}
	var hl []string
	for _, p := range target.Parts {
		if p.Secret {
			hl = append(hl, p.Text)
		}
	}
	if len(hl) != 1 || hl[0] != s["aws"] {
		t.Fatalf("highlighted %q, want the secret", hl)
	}
	plain := text(sn)
	if strings.Contains(plain, "\x1b") || !strings.Contains(plain, "evil \uFFFD[2J    end") {
		t.Fatalf("control characters reach the terminal:\n%q", plain)
	}

	masked, err := loc.Snippet(ctx, bl, e, l, SnippetOptions{Context: 5, Mask: true})
	if err != nil {
		t.Fatal(err)
	}
	mt := text(masked)
	for _, secret := range []string{s["aws"], s["github"]} {
		if strings.Contains(mt, secret[:8]) {
			t.Fatalf("masked snippet shows a secret:\n%s", mt)
		}
	}
	if !strings.Contains(mt, "AWS="+scan.Mask(s["aws"])+"  # the one") || !strings.Contains(mt, scan.Mask(s["github"])) {
		t.Fatalf("masked snippet:\n%s", mt)
	}

	// A long line is cut around the secret, which stays whole.
	long := strings.Repeat("x", 300) + " " + s["aws"] + " " + strings.Repeat("y", 300)
	loc = locFixture(t, map[string]string{"long.env": long + "\n"})
	le := entry("long.env", "AWS Access Key", s["aws"], 1)
	l, _ = loc.Locate(ctx, le)
	sn, _ = loc.Snippet(ctx, nil, le, l, SnippetOptions{Width: 80})
	got := sn.Lines[0].Text()
	if len([]rune(got)) > 82 || !strings.Contains(got, s["aws"]) || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("clipped line %q", got)
	}
}

func TestReport(t *testing.T) {
	s := testrepo.Secrets(63)
	loc := locFixture(t, map[string]string{
		"a.env": "\nA=" + s["aws"] + "\n",
		"b.env": "B=" + s["stripe"] + "\n",
	})
	yes := true
	bl := &File{Results: []Entry{
		*entry("a.env", "AWS Access Key", s["aws"], 1),
		*entry("b.env", "Stripe Access Key", s["stripe"], 1),
		*entry("c.env", "NPM tokens", s["npm"], 3),
	}}
	bl.Results[1].IsSecret = &yes
	ctx := context.Background()
	rows, err := loc.Report(ctx, bl, Selector{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if r := rows[0]; *r.Line != 2 || *r.RecordedLine != 1 || *r.Secret != scan.Mask(s["aws"]) || r.Label != LabelUnlabelled {
		t.Fatalf("row 0: %+v", r)
	}
	if r := rows[1]; r.Label != LabelSecret || *r.Secret != scan.Mask(s["stripe"]) {
		t.Fatalf("row 1: %+v", r)
	}
	if r := rows[2]; r.Line != nil || r.Secret != nil || r.Missing != "the file is gone" {
		t.Fatalf("row 2: %+v", r)
	}
	rows, _ = loc.Report(ctx, bl, Selector{Types: []string{"AWS Access Key"}}, true)
	if len(rows) != 1 || *rows[0].Secret != s["aws"] {
		t.Fatalf("unmasked, narrowed: %+v", rows)
	}
}
