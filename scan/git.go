package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gitleaks/go-gitdiff/gitdiff"
	"github.com/zricethezav/gitleaks/v8/sources"

	"github.com/coderclaw/clawgate/scan/detectsecrets"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// git runs git in dir with settings that make its output stable to parse:
// paths are never quoted, no pager, no colour, no external diff tools.
func git(ctx context.Context, dir string, args ...string) *exec.Cmd {
	full := append([]string{"-C", dir, "-c", "core.quotepath=false", "-c", "color.ui=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_PAGER=cat", "LC_ALL=C")
	return cmd
}

func gitOutput(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := git(ctx, dir, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// StagedFiles are the files staged for commit (added, copied, modified or
// renamed; not deleted), read from the index: what the commit will hold,
// whatever the work tree says. Close ends the git process that reads them.
type StagedFiles struct {
	Targets []Target
	blobs   map[string]string
	cat     *blobReader
	maxSize int64
}

// Staged lists the staged files under root. Read reports a blob over
// maxSize (0: DefaultMaxFileSize, negative: no cap) as too large without
// reading it.
func Staged(ctx context.Context, root string, maxSize int64) (*StagedFiles, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	out, err := gitOutput(ctx, absRoot, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=ACMR", "--relative", "--", ".")
	if err != nil {
		return nil, err
	}
	s := &StagedFiles{blobs: map[string]string{}}
	s.maxSize, _ = limits(maxSize, 0)
	// Records are ":oldmode newmode oldsha newsha status\0path\0".
	fields := strings.Split(string(out), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		meta := strings.Fields(strings.TrimPrefix(fields[i], ":"))
		path := fields[i+1]
		if len(meta) < 4 || !strings.HasPrefix(meta[1], "100") {
			continue // symlinks (120000) and submodules (160000) hold no text of ours
		}
		s.blobs[path] = meta[3]
		s.Targets = append(s.Targets, Target{Abs: filepath.Join(absRoot, filepath.FromSlash(path)), Rel: path})
	}
	if s.cat, err = newBlobReader(ctx, absRoot); err != nil {
		return nil, err
	}
	return s, nil
}

// Read returns t's staged content.
func (s *StagedFiles) Read(t Target) ([]byte, error) {
	return s.cat.read(s.blobs[t.Rel], s.maxSize)
}

// Close ends the reader.
func (s *StagedFiles) Close() error { return s.cat.close() }

// blobReader reads blobs through one long-lived `git cat-file --batch`.
type blobReader struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func newBlobReader(ctx context.Context, dir string) (*blobReader, error) {
	cmd := git(ctx, dir, "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &blobReader{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}, nil
}

// read returns the blob sha; one over maxSize (when positive) is skipped
// unread and reported as errTooLarge.
func (b *blobReader) read(sha string, maxSize int64) ([]byte, error) {
	if sha == "" {
		return nil, errors.New("not staged")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := io.WriteString(b.in, sha+"\n"); err != nil {
		return nil, err
	}
	header, err := b.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	parts := strings.Fields(header)
	if len(parts) != 3 {
		return nil, fmt.Errorf("git cat-file: %s", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(parts[2])
	if err != nil {
		return nil, err
	}
	if maxSize > 0 && int64(size) > maxSize {
		if _, err := b.out.Discard(size + 1); err != nil {
			return nil, err
		}
		return nil, errTooLarge{int64(size)}
	}
	data := make([]byte, size+1) // content and its trailing newline
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, err
	}
	return data[:size], nil
}

// close ends git cat-file (its input closed, it exits) and waits for it.
func (b *blobReader) close() error {
	b.in.Close()
	return b.cmd.Wait()
}

// lazyBlobs reads lines of blobs for ScanHistory, starting its `git
// cat-file` only when a finding needs one (most ranges never do).
type lazyBlobs struct {
	ctx    context.Context
	dir    string
	once   sync.Once
	cat    *blobReader
	err    error
	mu     sync.Mutex
	last   string // the blob of text and starts, read last
	text   []byte
	starts []int
}

// line returns line n (1-based) of the blob, or "" when it cannot.
func (b *lazyBlobs) line(blob string, n int) string {
	if blob == "" || n < 1 {
		return ""
	}
	b.once.Do(func() { b.cat, b.err = newBlobReader(b.ctx, b.dir) })
	if b.err != nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last != blob {
		text, err := b.cat.read(blob, 0)
		if err != nil {
			return ""
		}
		b.last, b.text, b.starts = blob, text, lineIndex(text)
	}
	return lineText(b.text, b.starts, n)
}

func (b *lazyBlobs) close() {
	if b.cat != nil {
		b.cat.close()
	}
}

// HistoryOptions configures a scan of the lines commits added.
type HistoryOptions struct {
	Root string
	// Since is the revision the range starts after: Since..Head.
	Since string
	// Head ends the range; empty means HEAD.
	Head     string
	Rules    *secrets.Rules
	Detector secrets.Detector
	Exclude  Excluder
	Workers  int
	// Shard, when N > 1, scans only the files of this share, as a tree
	// scan does, so that N jobs of a matrix do not each report them all.
	Shard Shard
	// DetectSecrets, when set, runs detect-secrets' plugins on the added
	// lines too.
	DetectSecrets *detectsecrets.Scanner
	// MaxFileSize and MaxFindingsPerFile are Options' caps, for a file as
	// a commit adds it.
	MaxFileSize        int64
	MaxFindingsPerFile int
}

// ShallowError says the history needed is not in this clone.
type ShallowError struct{ Rev string }

func (e *ShallowError) Error() string {
	return fmt.Sprintf("%s is not in this clone, which is shallow: fetch the history it needs "+
		"(git fetch --deepen=100, or git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)", e.Rev)
}

// ScanHistory scans every commit in Since..HEAD on the first-parent line
// (merges as their diff to the first parent): the lines each commit adds,
// as `git log -p` shows them. A secret added in one commit and removed in
// the next is still found: it stays in history. It also returns the files
// the range changed, for linting their current content.
func ScanHistory(ctx context.Context, opts HistoryOptions) (*Result, []string, error) {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, nil, err
	}
	head := opts.Head
	if head == "" {
		head = "HEAD"
	}
	for _, rev := range []string{opts.Since, head} {
		if _, err := gitOutput(ctx, root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
			if out, _ := gitOutput(ctx, root, "rev-parse", "--is-shallow-repository"); strings.TrimSpace(string(out)) == "true" {
				return nil, nil, &ShallowError{Rev: rev}
			}
			return nil, nil, fmt.Errorf("unknown revision %q: no such commit in this repository", rev)
		}
	}
	changed, err := gitOutput(ctx, root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", "--relative", opts.Since, head, "--", ".")
	if err != nil {
		return nil, nil, err
	}
	var files []string
	for _, n := range strings.Split(string(changed), "\x00") {
		if n != "" {
			files = append(files, n)
		}
	}

	maxSize, maxFindings := limits(opts.MaxFileSize, opts.MaxFindingsPerFile)
	args := []string{"log", "-p", "-U0", "--first-parent", "--diff-merges=first-parent", "-M",
		"--no-ext-diff", "--no-textconv", "--full-index", "--relative", opts.Since + ".." + head, "--", "."}
	if maxSize > 0 {
		// git diffs a file over core.bigFileThreshold as binary: a commit
		// adding a 500 MB text file would otherwise be parsed, held and
		// scanned whole (8 bytes of memory for each byte added). Those
		// files are looked up by size below and reported as too large.
		args = append([]string{"-c", "core.bigFileThreshold=" + strconv.FormatInt(maxSize, 10)}, args...)
	}
	cmd := git(ctx, root, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	diffs, err := gitdiff.Parse(stdout)
	if err != nil {
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		return nil, nil, fmt.Errorf("reading git log: %w", err)
	}

	type job struct {
		commit, path, blob string
		frag               *gitdiff.TextFragment
	}
	blobs := &lazyBlobs{ctx: ctx, dir: root}
	defer blobs.close()
	jobs := make(chan job, 64)
	var (
		mu  sync.Mutex
		res = &Result{}
		wg  sync.WaitGroup
	)
	workers := opts.Workers
	if workers <= 0 {
		workers = 2
	}
	// found counts the findings kept per commit and file, for the cap.
	found := map[string]int{}
	truncated := map[string]bool{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				above := func() string { return blobs.line(j.blob, int(j.frag.NewPosition)-1) }
				fs := scanAdded(ctx, opts, j.commit, j.path, j.frag, above)
				mu.Lock()
				key := j.commit + "\x00" + j.path
				if maxFindings > 0 && found[key]+len(fs) > maxFindings {
					fs = fs[:maxFindings-found[key]]
					if !truncated[j.path] {
						truncated[j.path] = true
						res.Skipped = append(res.Skipped, Skipped{
							File:      j.path,
							Reason:    fmt.Sprintf("more than %d secrets added in one commit, the cap for one file: the first %d are reported, the rest not checked", maxFindings, maxFindings),
							Truncated: true,
						})
					}
				}
				found[key] += len(fs)
				res.Findings = append(res.Findings, fs...)
				mu.Unlock()
			}
		}()
	}
	seen := map[string]bool{}
	var binaries []*gitdiff.File
	for f := range diffs {
		if f.IsDelete || f.NewName == "" {
			continue
		}
		// Decided once per file, as a tree scan decides: a file outside
		// this shard, excluded or allowlisted by path is neither read,
		// counted nor reported as too large.
		if opts.Shard.N > 1 && !opts.Shard.Has(f.NewName) ||
			opts.Exclude != nil && opts.Exclude.File(f.NewName) || opts.Rules.PathAllowed(f.NewName) {
			continue
		}
		if f.IsBinary {
			if maxSize > 0 {
				binaries = append(binaries, f)
			}
			continue
		}
		commit := ""
		if f.PatchHeader != nil {
			commit = f.PatchHeader.SHA
		}
		if !seen[f.NewName] {
			seen[f.NewName] = true
			res.Files++
		}
		for _, tf := range f.TextFragments {
			jobs <- job{commit, f.NewName, f.NewOIDPrefix, tf}
		}
	}
	close(jobs)
	wg.Wait()
	// The diff parser stops at text it cannot parse and says nothing:
	// read the rest so git is not left blocked on a full pipe, and fail
	// rather than pass commits that were never scanned.
	unread, _ := io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, nil, fmt.Errorf("git log: %s", strings.TrimSpace(stderr.String()))
	}
	if unread > 0 {
		return nil, nil, fmt.Errorf("reading git log: %d bytes of its output could not be parsed", unread)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	big, err := tooLarge(ctx, root, binaries, maxSize)
	if err != nil {
		return nil, nil, err
	}
	res.Skipped = append(res.Skipped, big...)
	SortFindings(res.Findings)
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].File < res.Skipped[j].File })
	return res, files, nil
}

// tooLarge returns the files among those git showed as binary whose added
// blob is over maxSize (git shows those as binary: core.bigFileThreshold),
// each once at its largest.
func tooLarge(ctx context.Context, root string, files []*gitdiff.File, maxSize int64) ([]Skipped, error) {
	if len(files) == 0 {
		return nil, nil
	}
	var in bytes.Buffer
	for _, f := range files {
		in.WriteString(f.NewOIDPrefix + "\n")
	}
	cmd := git(ctx, root, "cat-file", "--batch-check=%(objectsize)")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	sizes := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	largest := map[string]int64{}
	var order []string
	for i, f := range files {
		if i >= len(sizes) {
			break
		}
		n, err := strconv.ParseInt(sizes[i], 10, 64)
		if err != nil || n <= maxSize {
			continue // a real binary file, or an object not found ("missing")
		}
		if _, ok := largest[f.NewName]; !ok {
			order = append(order, f.NewName)
		}
		largest[f.NewName] = max(largest[f.NewName], n)
	}
	var out2 []Skipped
	for _, name := range order {
		out2 = append(out2, Skipped{File: name, Reason: "too large", Size: largest[name]})
	}
	return out2, nil
}

// scanAdded scans the lines one hunk adds. above returns the file's line
// just before the hunk, which -U0 leaves out: a "pragma: allowlist nextline
// secret" there accepts a secret on the hunk's first line, as in a scan of
// the whole file.
func scanAdded(ctx context.Context, opts HistoryOptions, commit, path string, tf *gitdiff.TextFragment, above func() string) []Finding {
	raw := tf.Raw(gitdiff.OpAdd)
	if raw == "" {
		return nil
	}
	content := []byte(raw)
	frag := sources.Fragment{Raw: raw, FilePath: path, CommitSHA: commit, StartLine: int(tf.NewPosition)}
	var out []Finding
	lines := lineIndex(content)
	if tf.NewPosition <= 1 {
		above = nil
	}
	checks := newLineChecks(path, content, lines, opts.Exclude)
	checks.above = above
	for _, m := range secrets.Reposition(opts.Detector.Detect(ctx, frag), content, frag.StartLine) {
		// Lines of the hunk: m.StartLine counts from the file's start.
		local := m
		local.StartLine -= frag.StartLine - 1
		local.EndLine -= frag.StartLine - 1
		if checks.drop(local) || (opts.Exclude != nil && opts.Exclude.Secret(m.Secret)) {
			continue
		}
		f := secretFinding(path, m)
		f.Commit = commit
		out = append(out, f)
	}
	if opts.DetectSecrets != nil {
		ds := detectSecretsFindings(opts.DetectSecrets, path, content, checks, frag.StartLine)
		for i := range ds {
			ds[i].Commit = commit
		}
		out = mergeDetectSecrets(out, ds)
	}
	return out
}
