//go:build unix

package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadRegularRefusesDevicesAndFIFOs(t *testing.T) {
	dir := t.TempDir()
	// A symlink to an endless device, and a FIFO without a writer: both
	// refused at once, neither read nor waited on.
	link := filepath.Join(dir, "zero")
	os.Symlink("/dev/zero", link)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here")
	}
	start := time.Now()
	for _, p := range []string{link, fifo} {
		if _, err := ReadRegular(p, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("blocked")
	}
}
