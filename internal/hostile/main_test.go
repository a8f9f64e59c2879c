//go:build unix

package hostile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// binary is the clawgate binary the suite drives, built once.
var binary string

func TestMain(m *testing.M) {
	if b := os.Getenv("CLAWGATE_HOSTILE_BINARY"); b != "" {
		// Another build, e.g. an older one, to see what the suite finds.
		binary = b
		os.Exit(m.Run())
	}
	testrepo.RunWithBinary(m, &binary)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
	// peakKB is the run's maximum resident set size, in kilobytes.
	peakKB  int64
	elapsed time.Duration
}

// describe prints a run for a failure message without its output, which
// may hold planted secrets: sizes and hashes only.
func (r result) describe() string {
	return fmt.Sprintf("exit %d, %s, %d MB peak; stdout %d bytes (sha256 %s), stderr %d bytes (sha256 %s)",
		r.code, r.elapsed.Round(time.Millisecond), r.peakKB/1024, len(r.stdout), short(r.stdout), len(r.stderr), short(r.stderr))
}

// String is for runs whose output holds nothing planted.
func (r result) String() string {
	return r.describe() + "\nstdout:\n" + clip(r.stdout) + "\nstderr:\n" + clip(r.stderr)
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n…"
	}
	return s
}

func short(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// runOpts change how the binary runs.
type runOpts struct {
	env     []string
	stdin   string
	timeout time.Duration
	// wrap runs the binary through another command (setpriv, to drop
	// privileges).
	wrap []string
}

// clawgate runs the binary in dir. A run that outlives its timeout (60 s
// unless set) is killed and fails the test: a hang is a finding.
func clawgate(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return clawgateWith(t, dir, runOpts{}, args...)
}

func clawgateWith(t testing.TB, dir string, o runOpts, args ...string) result {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	argv := append(append(append([]string{}, o.wrap...), binary), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
		"GITHUB_STEP_SUMMARY=", "GITLEAKS_CONFIG=", "GITLEAKS_CONFIG_TOML=", "SOURCE_DATE_EPOCH=1700000000"), o.env...)
	cmd.Stdin = strings.NewReader(o.stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("clawgate %s: killed after %s (a hang)", strings.Join(args, " "), o.timeout)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakKB = ru.Maxrss
	}
	return r
}

// write creates a file (and its directories).
func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeStream writes size bytes made of unit repeated, then tail, in 1 MB
// chunks: the test process never holds the file.
func writeStream(t testing.TB, path string, unit string, size int64, tail string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := []byte(strings.Repeat(unit, (1<<20)/len(unit)+1)[:1<<20])
	for left := size; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			t.Fatal(err)
		}
		left -= n
	}
	if _, err := io.WriteString(f, tail); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// parallel runs fn for 0..n-1 on a few goroutines.
func parallel(n, workers int, fn func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// sameFile fails unless path holds exactly want.
func sameFile(t testing.TB, path string, want []byte, what string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %s changed (%d bytes, was %d)", what, filepath.Base(path), len(got), len(want))
	}
}

// noLineStartsWith fails when an output line could be read by GitHub
// Actions as a workflow command.
func noWorkflowCommands(t testing.TB, what string, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "::") {
				t.Errorf("%s: an output line starts with \"::\" (a workflow command): %q", what, clip(line))
			}
		}
	}
}
