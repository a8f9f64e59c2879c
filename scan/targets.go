package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Target is one file to scan.
type Target struct {
	// Abs is the path to open.
	Abs string
	// Rel is the path relative to the scan root, '/'-separated: what
	// findings and baselines show.
	Rel string
}

// Skipped is a file the scan did not read, or read only in part, reported
// so nothing is dropped silently.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
	Size   int64  `json:"size,omitempty"`
	// Truncated marks a file with more secrets than a scan keeps
	// (Options.MaxFindingsPerFile): the first ones are reported, the rest
	// are not checked against the baseline, so the gate fails.
	Truncated bool `json:"truncated,omitempty"`
}

// ListTargets resolves what `clawgate scan [PATH...]` reads: for a directory
// inside a git work tree, the tracked files plus untracked files git does not
// ignore; for a directory outside git, a walk that skips .git; for a file,
// that file. Symlinks are never followed, so a scan cannot leave the tree;
// only a working directory reached through one is scanned.
func ListTargets(ctx context.Context, root string, paths []string) ([]Target, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		paths = []string{root}
	}
	seen := map[string]bool{}
	var out []Target
	add := func(abs string) {
		if seen[abs] {
			return
		}
		seen[abs] = true
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil {
			rel = abs
		}
		out = append(out, Target{Abs: abs, Rel: filepath.ToSlash(rel)})
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		st, err := os.Lstat(abs)
		if err == nil && st.Mode()&fs.ModeSymlink != 0 && abs == absRoot && isWorkingDir(abs) {
			// The working directory may have been reached through a
			// link: it is the tree asked for. A link named as an
			// argument is not followed (it may point out of the tree).
			st, err = os.Stat(abs)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		switch {
		case st.Mode().IsRegular():
			add(abs)
		case st.IsDir():
			files, err := listDir(ctx, abs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			for _, f := range files {
				add(f)
			}
		case st.Mode()&fs.ModeSymlink != 0:
			// An explicit symlink is not followed either: its target may
			// lie outside the repository.
		default:
			return nil, fmt.Errorf("%s: not a regular file or directory", p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rel < out[j].Rel })
	return out, nil
}

// isWorkingDir reports whether abs is the working directory by the name
// the shell gave it ($PWD, which os.Getwd returns when it is current).
func isWorkingDir(abs string) bool {
	wd, err := os.Getwd()
	return err == nil && wd == abs
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// listDir returns absolute paths of the regular files to scan under dir.
func listDir(ctx context.Context, dir string) ([]string, error) {
	if names, ok := gitFiles(ctx, dir); ok {
		var files []string
		for _, n := range names {
			abs := filepath.Join(dir, filepath.FromSlash(n))
			// Tracked files may be deleted in the work tree, and git lists
			// symlinks and submodules too: keep regular files only.
			if st, err := os.Lstat(abs); err == nil && st.Mode().IsRegular() {
				files = append(files, abs)
			}
		}
		return files, nil
	}
	var files []string
	root := dir
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		root += string(filepath.Separator) // the root link only is followed
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			if p == root {
				return err
			}
			// An unreadable entry is reported when it is opened.
			files = append(files, p)
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// gitFiles lists the files git would show for dir: tracked, plus untracked
// ones not ignored. ok is false outside a git work tree.
func gitFiles(ctx context.Context, dir string) (names []string, ok bool) {
	out, err := git(ctx, dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return nil, false
	}
	var prev string
	for _, n := range strings.Split(string(out), "\x00") {
		// Unmerged paths are listed once per stage.
		if n == "" || n == prev {
			continue
		}
		prev = n
		names = append(names, n)
	}
	return names, true
}
