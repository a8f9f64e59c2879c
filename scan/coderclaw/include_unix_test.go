//go:build unix

package coderclaw

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An $include of a FIFO (or a device) is refused at once: opening a FIFO
// blocks until someone writes to it.
func TestIncludeFIFO(t *testing.T) {
	dir := writeFiles(t, map[string]string{"coderclaw.json5": `{ $include: "./inc.json5" }`})
	if err := syscall.Mkfifo(filepath.Join(dir, "inc.json5"), 0o644); err != nil {
		t.Skip("no FIFOs here")
	}
	done := make(chan error, 1)
	go func() {
		_, err := Load(dir, "coderclaw.json5", Options{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), `$include "./inc.json5": not a regular file`) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the lint blocks on a FIFO")
	}
}
