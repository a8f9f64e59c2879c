package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("hello"), 0o644)
	if b, err := ReadRegular(p, 5); err != nil || string(b) != "hello" {
		t.Fatalf("regular file: %q, %v", b, err)
	}
	var tl *ErrTooLarge
	if _, err := ReadRegular(p, 4); !errors.As(err, &tl) {
		t.Fatalf("over the cap: %v", err)
	}
	if _, err := ReadRegular(dir, 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("directory: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing"), 1<<20); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
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
