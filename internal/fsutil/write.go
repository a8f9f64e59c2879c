package fsutil

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Steps of WriteAtomic, as WriteError names them.
const (
	StepCreate = "create" // the temporary file beside the target
	StepWrite  = "write"  // writing or closing it
	StepChmod  = "chmod"  // giving it the target's permissions
	StepSync   = "sync"   // flushing it to disk
	StepRename = "rename" // moving it over the target
)

// WriteError is a failed WriteAtomic: the step and the cause.
type WriteError struct {
	Step string
	Err  error
}

func (e *WriteError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Rename is os.Rename; tests replace it to make the last step fail.
var Rename = os.Rename

// WriteAtomic replaces path with what write produces, so that readers and
// a crash see the old file or the new one, never a part: the bytes go to a
// temporary file in path's directory, which gets perm, is synced, and is
// renamed over path; then the directory is synced. On any error path is
// untouched and the temporary file is gone. Errors are *WriteError.
func WriteAtomic(path string, perm fs.FileMode, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return &WriteError{StepCreate, err}
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return &WriteError{StepWrite, err}
	}
	if err := tmp.Chmod(perm); err != nil {
		return &WriteError{StepChmod, err}
	}
	if err := tmp.Sync(); err != nil {
		return &WriteError{StepSync, err}
	}
	if err := tmp.Close(); err != nil {
		return &WriteError{StepWrite, err}
	}
	if err := Rename(tmp.Name(), path); err != nil {
		return &WriteError{StepRename, err}
	}
	done = true
	// Make the rename itself durable. Not every system can sync a
	// directory; the file is already in place, so a failure is ignored.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
