// Package fsutil reads the files a repository names for clawgate to read
// (its baseline, .detect-secrets.cfg, .gitleaksignore) and replaces the
// files clawgate writes, atomically. A repository can commit any of the
// former as a symlink to /dev/zero, /dev/urandom or a FIFO, and os.ReadFile
// would then read forever (gigabytes within seconds) or block.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is returned for a device, a FIFO, a socket or a directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a file over the size cap.
type ErrTooLarge struct{ Max int64 }

func (e *ErrTooLarge) Error() string {
	return fmt.Sprintf("larger than %d MiB", e.Max>>20)
}

// ReadRegular reads path (symlinks followed) when it is a regular file of
// at most max bytes. Errors are *fs.PathError: fs.ErrNotExist and the
// like from the file system, ErrNotRegular, or *ErrTooLarge.
func ReadRegular(path string, max int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
	}
	if st.Size() > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: &ErrTooLarge{max}}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may grow or be swapped between the two looks: never read
	// past the cap.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: &ErrTooLarge{max}}
	}
	return data, nil
}
