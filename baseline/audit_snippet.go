package baseline

// The lines around a located secret, as the audit screen shows them. The
// text is made safe to print (no control characters reach the terminal)
// and, when asked, every known secret in it is masked here, before any
// caller sees it.

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan"
)

// SnippetOptions shape a Snippet.
type SnippetOptions struct {
	// Context is the number of lines shown on each side of the secret.
	Context int
	// Mask replaces the secret, and every other secret known in these
	// lines, with scan.Mask of it.
	Mask bool
	// Width caps a line at this many characters (0: no cap); a long line
	// is cut around the secret.
	Width int
}

// Snippet is the text around a secret, line by line.
type Snippet struct {
	Lines []SnippetLine
}

// SnippetLine is one line of a Snippet.
type SnippetLine struct {
	Number int
	// Target is set on the lines holding (part of) the secret.
	Target bool
	Parts  []SnippetPart
}

// SnippetPart is a run of a line's text.
type SnippetPart struct {
	Text string
	// Secret marks the entry's secret (or its mask): what to highlight.
	Secret bool
}

// Text is the line's printable text.
func (l SnippetLine) Text() string {
	var b strings.Builder
	for _, p := range l.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Snippet returns the lines around loc, a location of entry e of file bl
// (nil when loc is not found). With opts.Mask, the other entries of the
// same file are located first, so their secrets are masked too even when
// they sit in the context lines.
func (l *Locator) Snippet(ctx context.Context, bl *File, e *Entry, loc Location, opts SnippetOptions) (Snippet, error) {
	if !loc.Found {
		return Snippet{}, nil
	}
	name := NormalizePath(e.Filename)
	if opts.Mask && bl != nil {
		var others []*Entry
		for i := range bl.Results {
			o := &bl.Results[i]
			if o != e && NormalizePath(o.Filename) == name {
				others = append(others, o)
			}
		}
		if _, err := l.LocateAll(ctx, others); err != nil {
			return Snippet{}, err
		}
	}
	f := l.file(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.content == nil {
		return Snippet{}, nil
	}
	if opts.Mask {
		// Values only detect-secrets knows can sit in the context lines.
		f.runDetectSecrets(l.ds, name)
	}
	first, last := f.lineOf(loc.Start), f.lineOf(max(loc.Start, loc.End-1))
	from, to := max(1, first-opts.Context), min(len(f.starts), last+opts.Context)
	if to == len(f.starts) && to > last {
		// A file ending in '\n' has an empty "line" after it; do not show it.
		if s, e := f.lineBounds(to); s == e && s == len(f.content) {
			to--
		}
	}
	var sn Snippet
	for n := from; n <= to; n++ {
		sn.Lines = append(sn.Lines, f.snippetLine(n, loc, opts))
	}
	return sn, nil
}

// byte classes of a snippet line
const (
	plain  = 0
	other  = 1 // another known secret (masked only)
	target = 2 // the entry's secret
)

func (f *locFile) snippetLine(n int, loc Location, opts SnippetOptions) SnippetLine {
	ls, le := f.lineBounds(n)
	line := f.content[ls:le]
	class := make([]byte, len(line))
	if opts.Mask {
		for v := range f.values {
			if v == "" {
				continue
			}
			for off := 0; ; {
				i := strings.Index(string(line[off:]), v)
				if i < 0 {
					break
				}
				for k := off + i; k < off+i+len(v); k++ {
					class[k] = other
				}
				off += i + 1
			}
		}
	}
	sl := SnippetLine{Number: n}
	for k := max(loc.Start, ls); k < min(loc.End, le); k++ {
		class[k-ls] = target
		sl.Target = true
	}
	if n == f.lineOf(loc.Start) {
		sl.Target = true
	}
	for i := 0; i < len(line); {
		j := i
		for j < len(line) && class[j] == class[i] {
			j++
		}
		text := string(line[i:j])
		switch {
		case class[i] == target && opts.Mask:
			text = "*****"
			if ls+i == loc.Start {
				text = scan.Mask(loc.Secret)
			}
		case class[i] == other:
			text = scan.Mask(text)
		}
		sl.Parts = append(sl.Parts, SnippetPart{Text: printable(text), Secret: class[i] == target})
		i = j
	}
	if opts.Width > 0 {
		sl.Parts = clip(sl.Parts, opts.Width)
	}
	return sl
}

// printable makes text safe for a terminal: a tab becomes four spaces,
// control characters and invalid UTF-8 become U+FFFD, so a file cannot
// move the cursor or change colours while it is shown.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == '\t' || r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clip cuts a line to width characters, keeping the secret in view: the
// window starts a quarter width before it. Cut ends are marked with "…".
func clip(parts []SnippetPart, width int) []SnippetPart {
	total, at := 0, -1
	for _, p := range parts {
		if p.Secret && at < 0 {
			at = total
		}
		total += utf8.RuneCountInString(p.Text)
	}
	if total <= width {
		return parts
	}
	start := 0
	if at > 0 {
		start = min(max(0, at-width/4), total-width)
	}
	end := start + width
	var out []SnippetPart
	if start > 0 {
		out = append(out, SnippetPart{Text: "…"})
	}
	pos := 0
	for _, p := range parts {
		r := []rune(p.Text)
		a, b := max(start-pos, 0), min(end-pos, len(r))
		if a < b {
			out = append(out, SnippetPart{Text: string(r[a:b]), Secret: p.Secret})
		}
		pos += len(r)
	}
	if end < total {
		out = append(out, SnippetPart{Text: "…"})
	}
	return out
}
