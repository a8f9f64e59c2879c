package baseline

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Error is every error this package returns about a baseline file.
//
// Line and Column are 1-based and point at the offending JSON value or
// syntax error; both are 0 when the problem has no position (the file
// cannot be read, the path is a directory). Column counts characters, not
// bytes. Messages name keys and JSON types but never quote values from the
// file: a broken baseline can hold anything, including a secret.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
	// Err is the underlying error when there is one (e.g. from the file
	// system), so callers can test errors.Is(err, fs.ErrNotExist).
	Err error
}

func (e *Error) Error() string {
	name := e.File
	if name == "" {
		name = "<baseline>"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", name, e.Line, e.Column, e.Msg)
	}
	return name + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// errAt builds an *Error for a byte offset in data.
func errAt(name string, data []byte, off int, msg string) *Error {
	line, col := position(data, off)
	return &Error{File: name, Line: line, Column: col, Msg: msg}
}

// position converts a byte offset to a 1-based line and column.
func position(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(before[lineStart:])
	return line, col
}

// conflictMarker finds an unresolved git merge-conflict marker, the most
// common way a committed baseline stops being JSON.
func conflictMarker(data []byte) (int, bool) {
	for _, m := range [][]byte{[]byte("<<<<<<< "), []byte("<<<<<<<\n"), []byte("=======\n"), []byte("=======\r\n"), []byte(">>>>>>> ")} {
		if bytes.HasPrefix(data, m) {
			return 0, true
		}
		if i := bytes.Index(data, append([]byte("\n"), m...)); i >= 0 {
			return i + 1, true
		}
	}
	return 0, false
}
