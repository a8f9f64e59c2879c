package coderclaw

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
)

// FixResult is what --fix did (or, in a dry run, would do) to one file.
type FixResult struct {
	// File is relative to the scan root, '/'-separated: the top config or
	// the included file where the fixed value is written.
	File string
	// Diff is a unified diff of the change. Credentials in it are masked
	// (diffSource).
	Diff string
	// Changes are in the audit's words: `logging.redactSensitive=off -> "tools"`.
	Changes []string
	// Written is false in a dry run.
	Written bool
}

// Fix applies the fixes of the audit's --fix (logging.redactSensitive
// "off" → "tools"; groupPolicy "open" → "allowlist" for the seven channels
// at channel and account level) to the configs and the files they include.
// Each fix replaces exactly the bytes of one string value, keeping its
// quote style, so comments, order and formatting stay byte for byte.
// Findings accepted inline or by opts.Accepted are not fixed. Files are written atomically
// (temporary file, same mode, rename); with dryRun nothing is written.
// A config that does not load is reported in the error and left alone.
func Fix(root string, configs []string, opts Options, dryRun bool) ([]FixResult, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	type fileEdits struct {
		doc   *json5.Doc
		edits []*edit
	}
	files := map[string]*fileEdits{}
	var order []string
	var errs []error
	for _, path := range configs {
		c, err := Load(root, path, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fs, fixes := c.lintRaw()
		for i, e := range fixes {
			if e == nil || fs[i].Status == scan.StatusKnown || (opts.Accepted != nil && opts.Accepted(&fs[i])) {
				continue
			}
			fe := files[e.at.doc.Name]
			if fe == nil {
				fe = &fileEdits{doc: e.at.doc}
				files[e.at.doc.Name] = fe
				order = append(order, e.at.doc.Name)
			}
			dup := false
			for _, old := range fe.edits {
				dup = dup || old.at.off == e.at.off
			}
			if !dup {
				fe.edits = append(fe.edits, e)
			}
		}
	}
	sort.Strings(order)
	var results []FixResult
	for _, name := range order {
		fe := files[name]
		out, err := applyEdits(fe.doc.Src, fe.edits)
		if err == nil {
			// The edit must leave valid JSON5: never write a file we broke.
			_, err = json5.Parse(name, out)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: fix not applied: %w", name, err))
			continue
		}
		r := FixResult{File: name, Diff: unifiedDiff(name, diffSource(fe.doc, fe.edits), fe.edits)}
		for _, e := range sortedEdits(fe.edits) {
			r.Changes = append(r.Changes, e.change)
		}
		if !dryRun {
			abs := filepath.FromSlash(name)
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(absRoot, abs)
			}
			if err := writeAtomic(abs, fe.doc.Src, out); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				continue
			}
			r.Written = true
		}
		results = append(results, r)
	}
	return results, errors.Join(errs...)
}

func sortedEdits(edits []*edit) []*edit {
	s := append([]*edit(nil), edits...)
	sort.Slice(s, func(i, j int) bool { return s[i].at.off < s[j].at.off })
	return s
}

// applyEdits splices the replacements into src.
func applyEdits(src []byte, edits []*edit) ([]byte, error) {
	var b bytes.Buffer
	prev := 0
	for _, e := range sortedEdits(edits) {
		if e.at.off < prev || e.end > len(src) || e.at.off > e.end {
			return nil, fmt.Errorf("overlapping or out-of-range edit at byte %d", e.at.off)
		}
		b.Write(src[prev:e.at.off])
		b.WriteString(e.text)
		prev = e.end
	}
	b.Write(src[prev:])
	return b.Bytes(), nil
}

// writeAtomic replaces path's content, through a symlink if it is one,
// keeping the mode. It refuses when the file changed since it was read.
func writeAtomic(path string, old, data []byte) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(real)
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(real)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return fmt.Errorf("changed on disk while fixing; not written")
	}
	return fsutil.WriteAtomic(real, st.Mode().Perm(), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// unifiedDiff renders the edits as a unified diff with three lines of
// context. Edits only replace spans, so hunks are built from them directly.
func unifiedDiff(name string, src []byte, edits []*edit) string {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	nlines := len(starts)
	if len(src) == 0 {
		nlines = 0
	}
	lineOf := func(off int) int { return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1 }
	lineEnd := func(l int) int {
		if l+1 < len(starts) {
			return starts[l+1]
		}
		return len(src)
	}
	split := func(b []byte) []string {
		var out []string
		for len(b) > 0 {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				out = append(out, string(b))
				break
			}
			out = append(out, string(b[:i+1]))
			b = b[i+1:]
		}
		return out
	}
	// Group edits whose lines touch into changes of whole lines.
	type change struct {
		a, b  int // old lines [a, b)
		edits []*edit
	}
	var changes []*change
	for _, e := range sortedEdits(edits) {
		a := lineOf(e.at.off)
		b := lineOf(max(e.at.off, e.end-1)) + 1
		if n := len(changes); n > 0 && a < changes[n-1].b {
			changes[n-1].b = max(changes[n-1].b, b)
			changes[n-1].edits = append(changes[n-1].edits, e)
			continue
		}
		changes = append(changes, &change{a, b, []*edit{e}})
	}
	old := split(src)
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const ctx = 3
	delta := 0
	for i := 0; i < len(changes); {
		j := i
		for j+1 < len(changes) && changes[j+1].a-ctx <= changes[j].b+ctx {
			j++
		}
		ha, hb := max(0, changes[i].a-ctx), min(nlines, changes[j].b+ctx)
		var body strings.Builder
		line := func(prefix, l string) {
			body.WriteString(prefix + strings.TrimSuffix(l, "\n") + "\n")
			if !strings.HasSuffix(l, "\n") {
				body.WriteString("\\ No newline at end of file\n")
			}
		}
		newLen, pos := 0, ha
		for _, ch := range changes[i : j+1] {
			for ; pos < ch.a; pos++ {
				line(" ", old[pos])
				newLen++
			}
			// Apply the change's edits to its block of whole lines.
			blockStart := starts[ch.a]
			rel := make([]*edit, len(ch.edits))
			for k, e := range ch.edits {
				ee := *e
				ee.at.off -= blockStart
				ee.end -= blockStart
				rel[k] = &ee
			}
			nb, _ := applyEdits(src[blockStart:lineEnd(ch.b-1)], rel)
			for _, l := range old[ch.a:ch.b] {
				line("-", l)
			}
			for _, l := range split(nb) {
				line("+", l)
				newLen++
			}
			pos = ch.b
		}
		for ; pos < hb; pos++ {
			line(" ", old[pos])
			newLen++
		}
		oldLen := hb - ha
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", ha+1, oldLen, ha+1+delta, newLen)
		out.WriteString(body.String())
		delta += newLen - oldLen
		i = j + 1
	}
	return out.String()
}
