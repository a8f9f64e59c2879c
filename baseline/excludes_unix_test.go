//go:build unix

package baseline

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A word list committed as a FIFO is refused at once: opening one blocks
// until a writer comes, which would hang the gate.
func TestWordlistFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "words.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	f := mustParse(t, `{"exclude": {"files": null, "lines": null}, "plugins_used": [], "results": {}, "version": "0.13.1", "word_list": {"file": "`+fifo+`", "hash": null}}`)
	done := make(chan error, 1)
	go func() { _, err := f.Excludes(); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO word list blocked")
	}
}
