package scan

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/h2non/filetype"

	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/pragma"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// DefaultMaxFileSize is the size above which a file is reported as skipped
// instead of scanned.
const DefaultMaxFileSize = 10 * 1000 * 1000

// DefaultMaxFindingsPerFile caps the secrets one file reports. A line of
// assignments yields a finding every few dozen bytes: 10 MB made 300,000
// findings and 1.4 GB of memory for the JSON report, and nothing stopped
// many such files from adding up. Past the cap a file is reported as
// truncated, and the gate fails: the secrets not kept were not checked.
const DefaultMaxFindingsPerFile = 10000

// limits fills in the defaults for a zero file size cap and findings cap.
func limits(maxSize int64, maxFindings int) (int64, int) {
	if maxSize == 0 {
		maxSize = DefaultMaxFileSize
	}
	if maxFindings == 0 {
		maxFindings = DefaultMaxFindingsPerFile
	}
	return maxSize, maxFindings
}

// Excluder holds the regex exclusions a baseline's filters_used and the
// --exclude-* flags add. A nil Excluder excludes nothing.
type Excluder interface {
	File(name string) bool
	Line(line string) bool
	Secret(secret string) bool
}

// ConfigLinter lints the CoderClaw configs among the scanned files.
// scan/coderclaw provides it; it is an interface because that package
// builds on this one.
type ConfigLinter interface {
	LintConfigs(ctx context.Context, req LintRequest) ([]Finding, error)
}

// LintRequest says which configs a scan lints.
type LintRequest struct {
	Root string
	// Files are the files the configs are discovered among.
	Files []string
	// Only, when set, limits the lint to configs for which it is true of
	// the config or of a file it includes (the changed files, a shard).
	Only func(rel string) bool
	// Mine, when set, keeps only the configs for which it is true of the
	// config's own path (a shard's share).
	Mine func(rel string) bool
	// Read, when set, reads a file (path relative to Root) instead of the
	// disk, e.g. from the git index.
	Read func(rel string) ([]byte, error)
}

// Shard is one share of a scan split across CI jobs: files whose path
// hashes to K-1 modulo N.
type Shard struct{ K, N int }

// Has reports whether the file belongs to the shard. The partition is
// stable: it depends on the path alone.
func (s Shard) Has(rel string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(rel))
	return int(h.Sum32()%uint32(s.N)) == s.K-1
}

// Options configures a scan.
type Options struct {
	// Root is the directory findings are relative to.
	Root string
	// Paths are what to scan (files or directories); empty means Root.
	Paths []string
	// Targets, when set, replaces the listing of Paths (e.g. staged files).
	Targets []Target
	// MaxFileSize skips larger files (reported in Result.Skipped); 0 means
	// DefaultMaxFileSize, negative means no limit.
	MaxFileSize int64
	// MaxFindingsPerFile keeps the first secrets of a file that has more,
	// reporting it as truncated; 0 means DefaultMaxFindingsPerFile,
	// negative means no limit.
	MaxFindingsPerFile int
	// Rules are the gitleaks rules; nil means the defaults.
	Rules *secrets.Rules
	// Detector is the detection engine; nil means the fast one.
	Detector secrets.Detector
	// Exclude filters findings by file, line and secret.
	Exclude Excluder
	// Workers is the number of files scanned at once; 0 means one per CPU.
	Workers int
	// Progress, when set, is called after each file with the counts so far.
	Progress func(done, total int)
	// Read overrides how a target's content is read (e.g. from the git
	// index); nil reads the file.
	Read func(t Target) ([]byte, error)
	// Configs, when set, lints the CoderClaw configs among the targets.
	Configs ConfigLinter
	// Lint overrides what Configs lints; nil lints the configs among the
	// targets.
	Lint *LintRequest
	// Shard, when N > 1, scans only this share of the targets.
	Shard Shard
	// DetectSecrets, when set, runs detect-secrets' plugins beside the
	// gitleaks rules (a baseline that lists plugins_used asks for it).
	DetectSecrets *detectsecrets.Scanner
}

// Result is what a scan found and what it could not read.
type Result struct {
	Findings []Finding `json:"findings"`
	Skipped  []Skipped `json:"skipped"`
	Files    int       `json:"files"`
	Bytes    int64     `json:"bytes"`
	Binary   int       `json:"binary_files"`
}

// Run scans the targets for secrets.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Root == "" {
		opts.Root = "."
	}
	targets := opts.Targets
	if targets == nil {
		var err error
		targets, err = ListTargets(ctx, opts.Root, opts.Paths)
		if err != nil {
			return nil, err
		}
	}
	all := targets
	if opts.Shard.N > 1 {
		var mine []Target
		for _, t := range targets {
			if opts.Shard.Has(t.Rel) {
				mine = append(mine, t)
			}
		}
		targets = mine
	}
	rules := opts.Rules
	if rules == nil {
		var err error
		if rules, err = secrets.DefaultRules(); err != nil {
			return nil, err
		}
	}
	det := opts.Detector
	if det == nil {
		det = secrets.NewFast(rules)
	}
	maxSize, maxFindings := limits(opts.MaxFileSize, opts.MaxFindingsPerFile)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	read := opts.Read

	var (
		mu     sync.Mutex
		res    = &Result{}
		next   atomic.Int64
		done   atomic.Int64
		wg     sync.WaitGroup
		total  = len(targets)
		runErr error
	)
	worker := func() {
		defer wg.Done()
		// Each worker reads into one buffer it reuses: nothing a finding
		// keeps points into a file's bytes (findings hold hashes and
		// masks), so the buffer is free again once a file is done.
		var buf []byte
		readFile := read
		if readFile == nil {
			readFile = func(t Target) ([]byte, error) {
				b, err := readCapped(t.Abs, maxSize, buf)
				if err == nil && cap(b) <= maxReuse {
					buf = b[:0]
				}
				return b, err
			}
		}
		for {
			i := int(next.Add(1) - 1)
			if i >= total || ctx.Err() != nil {
				return
			}
			t := targets[i]
			fs, skip, bin, n, err := scanTarget(ctx, t, readFile, maxSize, maxFindings, rules, det, opts.DetectSecrets, opts.Exclude)
			mu.Lock()
			if err != nil && runErr == nil {
				runErr = err
			}
			res.Findings = append(res.Findings, fs...)
			if skip != nil {
				res.Skipped = append(res.Skipped, *skip)
			}
			if bin {
				res.Binary++
			}
			if n > 0 {
				res.Files++
				res.Bytes += n
			}
			mu.Unlock()
			d := int(done.Add(1))
			if opts.Progress != nil {
				opts.Progress(d, total)
			}
		}
	}
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go worker()
	}
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Configs != nil {
		req := LintRequest{Root: opts.Root}
		if opts.Lint != nil {
			req = *opts.Lint
		} else {
			for _, t := range all {
				req.Files = append(req.Files, t.Rel)
			}
		}
		if opts.Shard.N > 1 {
			// A config is linted in the shard of its own path, with the
			// includes it needs, so the shards' union is the whole lint.
			req.Mine = opts.Shard.Has
		}
		cfs, err := opts.Configs.LintConfigs(ctx, req)
		if err != nil {
			return nil, err
		}
		res.Findings = append(res.Findings, cfs...)
	}
	SortFindings(res.Findings)
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].File < res.Skipped[j].File })
	return res, nil
}

// errTooLarge marks a file over the size cap.
type errTooLarge struct{ size int64 }

func (e errTooLarge) Error() string { return fmt.Sprintf("larger than the %d byte cap", e.size) }

// maxReuse caps the read buffer a worker keeps between files.
const maxReuse = 4 << 20

// readCapped reads a file, reusing buf's memory when it is large enough.
func readCapped(path string, maxSize int64, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if maxSize > 0 && st.Size() > maxSize {
		return nil, errTooLarge{st.Size()}
	}
	// Read in one allocation of the stat'ed size; a file that grows
	// meanwhile is read on, up to one byte past the cap.
	limit := int64(-1)
	if maxSize > 0 {
		limit = maxSize + 1
	}
	if need := int(st.Size()) + 1; cap(buf) < need {
		buf = make([]byte, 0, need)
	}
	buf = buf[:0]
	for {
		if limit >= 0 && int64(len(buf)) >= limit {
			return buf, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// scanTarget reads and scans one file. A file that cannot be read is
// reported as skipped; the scan goes on.
func scanTarget(ctx context.Context, t Target, read func(Target) ([]byte, error), maxSize int64, maxFindings int, rules *secrets.Rules, det secrets.Detector, ds *detectsecrets.Scanner, ex Excluder) (findings []Finding, skip *Skipped, binary bool, n int64, err error) {
	if ex != nil && ex.File(t.Rel) {
		return nil, nil, false, 0, nil
	}
	if rules.PathAllowed(t.Rel) {
		return nil, nil, false, 0, nil
	}
	content, rerr := read(t)
	if rerr != nil {
		if tl, ok := rerr.(errTooLarge); ok {
			return nil, &Skipped{File: t.Rel, Reason: "too large", Size: tl.size}, false, 0, nil
		}
		return nil, &Skipped{File: t.Rel, Reason: "unreadable: " + describeReadError(rerr)}, false, 0, nil
	}
	if maxSize > 0 && int64(len(content)) > maxSize {
		return nil, &Skipped{File: t.Rel, Reason: "too large", Size: int64(len(content))}, false, 0, nil
	}
	if len(content) == 0 {
		return nil, nil, false, 0, nil
	}
	size := int64(len(content))
	content, binary = Text(content)
	if binary {
		return nil, nil, true, 0, nil
	}
	lines := lineIndex(content)
	checks := newLineChecks(t.Rel, content, lines, ex)
	truncated := false
	derr := secrets.ScanContentFunc(ctx, det, t.Rel, content, func(ms []secrets.Match) bool {
		for _, m := range ms {
			if checks.drop(m) || (ex != nil && ex.Secret(m.Secret)) {
				continue
			}
			findings = append(findings, secretFinding(t.Rel, m))
		}
		// Past the cap, the rest of the file is not scanned.
		truncated = maxFindings > 0 && len(findings) > maxFindings
		return !truncated
	})
	if derr != nil {
		return nil, &Skipped{File: t.Rel, Reason: "unreadable: " + derr.Error()}, false, size, nil
	}
	if ds != nil && !truncated {
		findings = mergeDetectSecrets(findings, detectSecretsFindings(ds, t.Rel, content, checks, 1))
		truncated = maxFindings > 0 && len(findings) > maxFindings
	}
	if truncated {
		// Keep the first in the file, in a slice of their own so the
		// rest can be freed.
		SortFindings(findings)
		findings = append([]Finding(nil), findings[:maxFindings]...)
		return findings, &Skipped{
			File:      t.Rel,
			Reason:    fmt.Sprintf("more than %d secrets, the cap for one file: the first %d are reported, the rest not checked", maxFindings, maxFindings),
			Truncated: true,
		}, false, size, nil
	}
	return findings, nil, false, size, nil
}

func describeReadError(err error) string {
	if os.IsPermission(err) {
		return "permission denied"
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// IsBinary reports whether content is not text: a known binary file type
// (gitleaks' test) or a NUL byte in the first 8000 bytes (git's test).
func IsBinary(content []byte) bool {
	head := content
	if len(head) > 8000 {
		head = head[:8000]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	kind, err := filetype.Match(head)
	return err == nil && kind.MIME.Type == "application"
}

// lineChecks answers the questions a match asks of its lines — a pragma on
// them or above, a baseline hash line, an --exclude-lines pattern — once
// per line. A long line can hold a match every few dozen bytes: asking per
// match copied and searched the whole line each time, quadratic in the
// line's length (a 1 MB line of assignments took minutes).
type lineChecks struct {
	file    string
	content []byte
	starts  []int
	ex      Excluder
	memo    map[int]lineFacts
	// above, when set, returns the line before content (a hunk's added
	// lines start inside a file), for its nextline pragma.
	above func() string
}

// lineFacts is what lineChecks knows about one line.
type lineFacts struct {
	allows     bool // ends with a same-line pragma
	allowsNext bool // is a nextline pragma for the line below
	drop       bool // a baseline hash line, or excluded by --exclude-lines
}

func newLineChecks(file string, content []byte, starts []int, ex Excluder) *lineChecks {
	return &lineChecks{file: file, content: content, starts: starts, ex: ex}
}

func (c *lineChecks) facts(n int) lineFacts {
	if f, ok := c.memo[n]; ok {
		return f
	}
	text := lineText(c.content, c.starts, n)
	f := lineFacts{
		allows:     pragma.AllowsLine(c.file, text),
		allowsNext: pragma.AllowsNext(c.file, text),
		drop:       isHashLine(text) || (c.ex != nil && c.ex.Line(text)),
	}
	if c.memo == nil {
		c.memo = map[int]lineFacts{}
	}
	c.memo[n] = f
	return f
}

// drop reports a match to leave out: accepted by an inline pragma
// (detect-secrets' same-line and next-line forms; gitleaks:allow is
// handled by the detector itself), on a hash line, or on an excluded line.
// m's lines count from the start of content.
func (c *lineChecks) drop(m secrets.Match) bool {
	for l := m.StartLine; l <= m.EndLine && l > 0; l++ {
		if c.facts(l).allows {
			return true
		}
	}
	if m.StartLine > 1 && c.facts(m.StartLine-1).allowsNext {
		return true
	}
	if m.StartLine == 1 && c.above != nil && pragma.AllowsNext(c.file, c.above()) {
		return true
	}
	return c.facts(m.StartLine).drop
}

// hashLine is a baseline entry's hash: a SHA-1 of a secret, never a
// secret. Without this, every detect-secrets baseline in a repository (test
// data, other tools' copies) reads as a wall of generic-api-key findings.
var hashLine = regexp.MustCompile(`^\s*"hashed_secret"\s*:\s*"[0-9a-f]{40}",?\s*$`)

func isHashLine(line string) bool {
	return strings.Contains(line, `"hashed_secret"`) && hashLine.MatchString(line)
}

// lineIndex returns the byte offset where each line starts.
func lineIndex(content []byte) []int {
	starts := []int{0}
	for i, b := range content {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineText is line n (1-based) without its terminator.
func lineText(content []byte, starts []int, n int) string {
	if n < 1 || n > len(starts) {
		return ""
	}
	end := len(content)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return strings.TrimSuffix(string(content[starts[n-1]:end]), "\r")
}

const secretRemediation = "Remove the secret from the file and rotate it. If it is not a secret, accept it: " +
	"`clawgate baseline` records it, `clawgate audit` labels it, or end the line with a `pragma: allowlist secret` comment."

func secretFinding(file string, m secrets.Match) Finding {
	msg := m.Description
	if msg == "" {
		msg = "Secret matching rule " + m.RuleID
	}
	return Finding{
		Kind:         KindSecret,
		Rule:         m.RuleID,
		Type:         secrets.TypeForRule(m.RuleID),
		Engine:       "gitleaks",
		File:         file,
		Line:         m.StartLine,
		Column:       m.StartColumn,
		EndLine:      m.EndLine,
		EndColumn:    m.EndColumn,
		Severity:     SeverityCritical,
		Message:      msg,
		Remediation:  secretRemediation,
		HashedSecret: HashSecret(m.Secret),
		Masked:       Mask(m.Secret),
	}
}

// SortFindings puts findings in the order every output uses (see Less).
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(&fs[i], &fs[j]) })
}

// Less is the one order of findings: file, line, column, rule, then enough
// tie-breakers (end, new before known, commit, identity, message) that the
// same findings in any order sort to the same sequence.
func Less(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.EndLine != b.EndLine {
		return a.EndLine < b.EndLine
	}
	if a.EndColumn != b.EndColumn {
		return a.EndColumn < b.EndColumn
	}
	if a.Status != b.Status {
		return a.Status > b.Status // "new" before "known"
	}
	if a.Commit != b.Commit {
		return a.Commit < b.Commit
	}
	if fa, fb := a.Fingerprint(), b.Fingerprint(); fa != fb {
		return fa < fb
	}
	return a.Message < b.Message
}
