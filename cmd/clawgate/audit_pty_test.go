package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/coderclaw/clawgate/internal/testrepo"
)

// ptyRun is the binary running on a pseudo-terminal, driven like a person
// at a keyboard.
type ptyRun struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	seen int // expect has consumed out up to here
	done chan struct{}
}

// startPTY runs clawgate in dir on a 120x40 terminal. Without noColor the
// environment has no NO_COLOR, so colour is on.
func startPTY(t *testing.T, dir string, noColor bool, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TERM=xterm", "GIT_CONFIG_GLOBAL=/dev/null")
	if noColor {
		cmd.Env = append(cmd.Env, "NO_COLOR=1")
	}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyRun{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return // EIO once the program has exited
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
	})
	return p
}

// expect waits for s to appear after what earlier calls consumed, and
// returns the text up to and including it.
func (p *ptyRun) expect(s string) string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p.mu.Lock()
		all := p.out.String()
		p.mu.Unlock()
		if i := strings.Index(all[p.seen:], s); i >= 0 {
			got := all[p.seen : p.seen+i+len(s)]
			p.seen += i + len(s)
			return got
		}
		select {
		case <-p.done:
			p.mu.Lock()
			all = p.out.String()
			p.mu.Unlock()
			if strings.Contains(all[p.seen:], s) {
				continue
			}
			p.t.Fatalf("the program ended without printing %q; it printed:\n%s", s, all[p.seen:])
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %q; got:\n%s", s, all[p.seen:])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *ptyRun) send(s string) {
	p.t.Helper()
	if _, err := p.tty.Write([]byte(s)); err != nil {
		p.t.Fatal(err)
	}
}

// wait returns the exit status, -1 for a signal.
func (p *ptyRun) wait() int {
	p.t.Helper()
	err := p.cmd.Wait()
	<-p.done
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return 0
}

// TestAuditOnATerminal answers y, n, b, s and n at a real terminal,
// checking the file after each answer, then kills the program with
// SIGKILL: every answer given is on disk, the file is valid, no temporary
// file is left, and the next run starts at the first unlabelled entry.
// On a terminal the secret is shown (and only there); --mask hides it.
func TestAuditOnATerminal(t *testing.T) {
	r, s := auditRepo(t, 80)
	r.Write("zz.env", "TOKEN="+testrepo.Secrets(81)["npm"]+"\n")
	if b := clawgate(t, r.Dir, "baseline"); b.code != 0 {
		t.Fatalf("baseline: %s", b)
	}
	// Entries in order: app.py, config.env, deploy.sh, zz.env.
	zz := func() string { return string(labelsOf(t, r.Dir)["zz.env"]) }

	p := startPTY(t, r.Dir, true, "audit")
	screen := p.expect("entry 1 of 4")
	screen += p.expect(promptLabel)
	if !strings.Contains(screen, s["github"]) {
		t.Fatalf("the terminal does not show the secret:\n%s", screen)
	}
	if strings.Contains(screen, "\x1b[") {
		t.Fatalf("colour despite NO_COLOR:\n%q", screen)
	}
	p.send("y\n")
	p.expect("entry 2 of 4")
	wantLabels(t, r.Dir, FP, U, U)

	p.expect(promptLabel)
	p.send("N\n")
	p.expect("entry 3 of 4")
	wantLabels(t, r.Dir, FP, S, U)

	p.expect(promptLabel)
	p.send("back\n") // first character counts
	p.expect("entry 2 of 4")
	p.expect(promptLabel)
	p.send("s\n")
	p.expect("taken back")
	p.expect("entry 3 of 4")
	wantLabels(t, r.Dir, FP, U, U)

	p.expect(promptLabel)
	p.send("n\n")
	p.expect("entry 4 of 4")
	p.expect(promptLabel)
	wantLabels(t, r.Dir, FP, U, S)

	// The terminal dies mid-audit.
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(); code != -1 {
		t.Fatalf("exit %d after SIGKILL", code)
	}
	wantLabels(t, r.Dir, FP, U, S)
	if zz() != "unlabelled" {
		t.Fatalf("zz.env is %s", zz())
	}
	if tmp, _ := filepath.Glob(filepath.Join(r.Dir, ".secrets.baseline.tmp-*")); len(tmp) > 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}

	// The next run starts at the first unlabelled entry; q quits, exit 0.
	p = startPTY(t, r.Dir, true, "audit")
	screen = p.expect("entry 1 of 2")
	screen += p.expect(promptLabel)
	if !strings.Contains(screen, "File:  config.env") {
		t.Fatalf("the next run does not start at config.env:\n%s", screen)
	}
	p.send("q\n")
	p.expect("Quitting.")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d after q", code)
	}
	wantLabels(t, r.Dir, FP, U, S)

	// Colour on a terminal without NO_COLOR; --mask hides the secret.
	p = startPTY(t, r.Dir, false, "audit", "--mask")
	screen = p.expect(promptLabel)
	if !strings.Contains(screen, "\x1b[1;97;41mAKIA*****\x1b[0m") {
		t.Fatalf("no highlighted, masked secret:\n%q", screen)
	}
	noSecrets(t, planted(s), screen)
	p.send("q\n")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}

	// Ctrl-C: the program says the answers are saved and exits 130.
	p = startPTY(t, r.Dir, true, "audit")
	p.expect(promptLabel)
	p.send("y\n")
	p.expect("entry 2 of 2")
	p.expect(promptLabel)
	p.send("\x03")
	p.expect("Interrupted. Every answer so far is saved in .secrets.baseline.")
	if code := p.wait(); code != 130 {
		t.Fatalf("exit %d after Ctrl-C", code)
	}
	wantLabels(t, r.Dir, FP, FP, S)
}
