package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	flag "github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/report"
	"github.com/coderclaw/clawgate/scan/secrets"
)

type auditFlags struct {
	all            bool
	mask           bool
	mark           string
	sel            baseline.Selector
	report         bool
	stats          bool
	format         string
	unmask         bool
	root           string
	gitleaksConfig string
}

// The prompts, word for word as detect-secrets asks them.
const (
	promptLabel = "Should this string be committed to the repository? (y)es, (n)o, (s)kip, (b)ack, (q)uit: "
	promptGone  = "What would you like to do? (s)kip, (b)ack, (q)uit: "
)

// contextLines is how many lines the screen shows on each side.
const contextLines = 5

func init() {
	register(&command{
		name:    "audit",
		args:    "[BASELINE]",
		summary: "Label baseline entries: real secret or false positive",
		long: `Walks the unlabelled entries of BASELINE (default: .secrets.baseline) one at a
time, showing each secret in its file with 5 lines of context, and asks:

  ` + strings.TrimSpace(promptLabel) + `

y labels the entry a false positive (is_secret: false), n a real secret
(is_secret: true), s skips it (after going back, s takes back the label given
in this session), b goes back, q quits. Only the first character counts.
Every answer is written to the baseline at once, so an interrupted audit
loses nothing; the next run starts at the first unlabelled entry. Answers may
come from a pipe. Nothing but the labels changes in the file.

The secret is found again by its hash, at its new line when the code moved.
It is shown only on a terminal, and never with --mask; elsewhere it is
masked. When it is gone, the prompt offers only s, b and q.

Without prompts:
  --mark false-positive|secret|unlabelled  label every entry that --file,
                                           --type and --hash select
  --report   every entry with its file, line, type, label and masked secret
  --stats    real, false positive and unlabelled entries per type

--file, --type and --hash narrow the walk, the report and the stats too.
Filenames in the baseline are relative to --root (default: the baseline's
directory).

Exit status: 0 on success (quitting early included), 2 on a usage error, a bad
baseline or any other error.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			f := &auditFlags{}
			fs.BoolVar(&f.all, "all", false, "walk every entry, labelled ones too")
			fs.BoolVar(&f.mask, "mask", false, "mask the secret on the terminal too")
			fs.StringVar(&f.mark, "mark", "", "label the selected entries without prompts; `LABEL` is false-positive, secret or unlabelled")
			fs.StringArrayVar(&f.sel.Files, "file", nil, "select entries whose file matches `GLOB` ('**' spans directories; a glob without '/' matches the base name anywhere; repeatable)")
			fs.StringArrayVar(&f.sel.Types, "type", nil, "select entries of type `T`, e.g. \"AWS Access Key\" (repeatable)")
			fs.StringArrayVar(&f.sel.Hashes, "hash", nil, "select entries whose hashed_secret is `H` or starts with it (repeatable)")
			fs.BoolVar(&f.report, "report", false, "print every selected entry: file, line, type, label, masked secret")
			fs.BoolVar(&f.stats, "stats", false, "print the labels per type")
			fs.StringVar(&f.format, "format", "text", "--report/--stats output: text or json")
			fs.BoolVar(&f.unmask, "unmask", false, "show the secrets in --report unmasked")
			fs.StringVar(&f.root, "root", "", "the baseline's filenames are relative to `DIR` (default: the baseline's directory)")
			fs.StringVar(&f.gitleaksConfig, "gitleaks-config", "", "gitleaks config `FILE` (default: .gitleaks.toml in --root, else the default rules)")
			return func(args []string) error { return runAudit(f, args, fs) }
		},
	})
}

func (f *auditFlags) validate(fs *flag.FlagSet) error {
	modes := 0
	for _, on := range []bool{f.mark != "", f.report, f.stats} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usageErr("--mark, --report and --stats are separate modes: use one at a time")
	}
	if f.mark != "" {
		if _, ok := baseline.ParseLabel(f.mark); !ok {
			return usageErr("unknown --mark %q (want false-positive, secret or unlabelled)", f.mark)
		}
		if f.sel.Empty() {
			return usageErr("--mark needs --file, --type or --hash to say which entries (use --file '**' for all)")
		}
	}
	if err := f.sel.Validate(); err != nil {
		return usageErr("%v", err)
	}
	switch f.format {
	case "text", "json":
	default:
		return usageErr("unknown --format %q (want text or json)", f.format)
	}
	if fs.Changed("format") && !f.report && !f.stats {
		return usageErr("--format applies to --report and --stats")
	}
	if f.unmask && !f.report {
		return usageErr("--unmask applies to --report")
	}
	if f.all && modes > 0 {
		return usageErr("--all applies to the interactive walk; --mark, --report and --stats take every entry --file, --type and --hash select")
	}
	if f.mask && modes > 0 {
		return usageErr("--mask applies to the interactive walk (--report masks unless --unmask)")
	}
	return nil
}

func runAudit(f *auditFlags, args []string, fs *flag.FlagSet) error {
	if err := f.validate(fs); err != nil {
		return err
	}
	if len(args) > 1 {
		return usageErr("one baseline at a time (got %d arguments)", len(args))
	}
	path := DefaultBaseline
	if len(args) == 1 {
		path = args[0]
	}
	data, bl, err := readBaseline(path, len(args) == 0)
	if err != nil {
		return err
	}
	switch {
	case f.mark != "":
		return runMark(f, path, data, bl)
	case f.stats:
		return writeStats(os.Stdout, f.format, bl.Stats(f.sel))
	}
	root := f.root
	if root == "" {
		root = filepath.Dir(path)
	}
	rules, err := secrets.LoadFor(root, f.gitleaksConfig)
	if err != nil {
		return errorf("%v", err)
	}
	loc := &baseline.Locator{Root: root, Rules: rules}
	if f.report {
		rows, err := loc.Report(context.Background(), bl, f.sel, f.unmask)
		if err != nil {
			return errorf("%v", err)
		}
		return writeReport(os.Stdout, f.format, rows)
	}
	return runWalk(f, path, data, bl, loc)
}

// readBaseline reads and parses the baseline; errors name the file (and
// the position, for a broken one).
func readBaseline(path string, isDefault bool) ([]byte, *baseline.File, error) {
	// One read: the bytes kept to reproduce the file are the ones parsed.
	data, err := baseline.ReadBytes(path)
	var bl *baseline.File
	if err == nil {
		bl, err = baseline.Parse(path, data)
	}
	if err != nil {
		if isDefault && errors.Is(err, fs.ErrNotExist) {
			return nil, nil, errorf("%v (create one with 'clawgate baseline', or name it: clawgate audit FILE)", err)
		}
		return nil, nil, errorf("%v", err)
	}
	return data, bl, nil
}

func runMark(f *auditFlags, path string, data []byte, bl *baseline.File) error {
	label, _ := baseline.ParseLabel(f.mark)
	opts, exact := baseline.WriteOptionsFor(bl, data)
	matched, changed := bl.Mark(f.sel, label)
	if changed > 0 {
		if !exact {
			layoutNote(path)
		}
		if err := baseline.WriteFile(path, bl, opts); err != nil {
			return errorf("%v", err)
		}
	}
	switch {
	case matched == 0:
		fmt.Fprintf(os.Stdout, "No entry of %s matches; nothing changed.\n", path)
	default:
		fmt.Fprintf(os.Stdout, "%d %s changed to %s (%d matched, %d already %s) in %s.\n",
			changed, plural(changed, "entry", "entries"), label, matched, matched-changed, plural(matched-changed, "was", "were"), path)
	}
	return nil
}

// layoutNote warns that labelling rewrites more than the labels, because
// the file is not in the layout Marshal reproduces.
func layoutNote(path string) {
	fmt.Fprintf(os.Stderr, "note: %s is not in the layout clawgate writes (an old detect-secrets layout, duplicates or hand formatting); labelling rewrites it in the detect-secrets 1.x layout, entries and labels kept.\n", path)
}

// walk is one interactive audit: the screen, the prompts, the answers.
type walk struct {
	out     io.Writer
	in      *bufio.Reader
	echo    bool // answers come from a pipe: echo them so the log reads well
	color   bool
	secrets bool // the secret may be shown: a terminal, without --mask
	width   int
	path    string
	all     bool
	bl      *baseline.File
	loc     *baseline.Locator
	// mu is held while the file is written, so an interrupt waits for the
	// rename instead of leaving a temporary file behind.
	mu sync.Mutex
}

func runWalk(f *auditFlags, path string, data []byte, bl *baseline.File, loc *baseline.Locator) error {
	queue := baseline.AuditQueue(bl, f.all, f.sel)
	out := os.Stdout
	if len(queue) == 0 {
		switch {
		case len(bl.Results) == 0:
			fmt.Fprintf(out, "Nothing to audit! %s has no entries.\n", path)
		case f.sel.Empty() && !f.all:
			fmt.Fprintf(out, "Nothing to audit! All %d entries of %s are labelled (see 'clawgate audit --report', or --all to go through them again).\n", len(bl.Results), path)
		default:
			fmt.Fprintf(out, "Nothing to audit! No entry of %s matches.\n", path)
		}
		return nil
	}
	if _, exact := baseline.WriteOptionsFor(bl, data); !exact {
		layoutNote(path)
	}
	tty := term.IsTerminal(int(out.Fd()))
	w := &walk{
		out:     out,
		in:      bufio.NewReader(os.Stdin),
		echo:    !term.IsTerminal(int(os.Stdin.Fd())),
		color:   colorful(out),
		secrets: tty && !f.mask,
		width:   120,
		path:    path,
		all:     f.all,
		bl:      bl,
		loc:     loc,
	}
	if tty {
		if cols, _, err := term.GetSize(int(out.Fd())); err == nil && cols > 0 {
			w.width = cols
		}
	}
	s := baseline.NewSession(path, data, bl, queue)

	// Every answer is already on disk; an interrupt only has to wait for a
	// write in progress.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	go func() {
		sig, ok := <-sigs
		if !ok {
			return
		}
		w.mu.Lock()
		fmt.Fprintf(out, "\nInterrupted. Every answer so far is saved in %s.\n", path)
		code := 130
		if n, ok := sig.(syscall.Signal); ok {
			code = 128 + int(n)
		}
		os.Exit(code)
	}()

	return w.run(s)
}

func (w *walk) run(s *baseline.Session) error {
	ctx := context.Background()
	for !s.Done() {
		e := s.Entry()
		loc, err := w.loc.Locate(ctx, e)
		if err != nil {
			return errorf("%v", err)
		}
		if err := w.screen(ctx, s, e, loc); err != nil {
			return err
		}
		prompt, valid := promptLabel, "ynsbq"
		if !loc.Found {
			prompt, valid = promptGone, "sbq"
		}
	ask:
		for {
			fmt.Fprint(w.out, w.bold(prompt))
			c, ok := w.answer()
			if !ok {
				c = 'q'
			}
			if !strings.ContainsRune(valid, c) {
				fmt.Fprintln(w.out, "Invalid input.")
				continue
			}
			switch c {
			case 'y', 'n':
				label, what := baseline.LabelFalsePositive, "a false positive (is_secret: false)"
				if c == 'n' {
					label, what = baseline.LabelSecret, "a real secret (is_secret: true)"
				}
				if err := w.locked(func() error { return s.Label(label) }); err != nil {
					return errorf("cannot save the answer: %v", err)
				}
				fmt.Fprintf(w.out, "Labelled %s; saved.\n", what)
			case 's':
				before := baseline.LabelOf(e)
				if err := w.locked(s.Skip); err != nil {
					return errorf("cannot save the answer: %v", err)
				}
				if after := baseline.LabelOf(e); after != before {
					fmt.Fprintf(w.out, "Skipped; the label given earlier in this session is taken back (%s); saved.\n", after)
				} else {
					fmt.Fprintln(w.out, "Skipped.")
				}
			case 'b':
				if !s.Back() {
					fmt.Fprintln(w.out, "This is the first entry; there is nothing to go back to.")
					continue
				}
			case 'q':
				if !ok {
					fmt.Fprintln(w.out)
				}
				fmt.Fprintf(w.out, "Quitting. Every answer so far is saved in %s.\n", w.path)
				return nil
			}
			break ask
		}
	}
	var c baseline.LabelCounts
	for _, e := range s.Entries() {
		c.Add(baseline.LabelOf(e))
	}
	fmt.Fprintf(w.out, "\nDone: went through all %d %s (%d real, %d false %s, %d unlabelled). %s is saved.\n",
		c.Total, plural(c.Total, "entry", "entries"), c.Real, c.FalsePositive, plural(c.FalsePositive, "positive", "positives"), c.Unlabelled, w.path)
	return nil
}

func (w *walk) locked(fn func() error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return fn()
}

// answer reads one line and returns its first character, lowercased;
// false at the end of the input.
func (w *walk) answer() (rune, bool) {
	line, err := w.in.ReadString('\n')
	if err != nil && line == "" {
		return 0, false
	}
	line = strings.TrimSpace(line)
	if w.echo {
		fmt.Fprintln(w.out, safeText(line, 40))
	}
	if line == "" {
		return 0, true
	}
	r, _ := utf8.DecodeRuneInString(line)
	return unicode.ToLower(r), true
}

const rule = "------------------------------------------------------------"

// screen prints one entry: where it is, and the lines around it.
func (w *walk) screen(ctx context.Context, s *baseline.Session, e *baseline.Entry, loc baseline.Location) error {
	fmt.Fprintf(w.out, "\n%s\n", w.bold(fmt.Sprintf("entry %d of %d", s.Pos()+1, s.Len())))
	fmt.Fprintf(w.out, "File:  %s\n", safeText(e.Filename, 0))
	switch {
	case loc.Moved(e):
		fmt.Fprintf(w.out, "Line:  %d (recorded as line %d)\n", loc.Line, e.LineNumber)
	case loc.Found:
		fmt.Fprintf(w.out, "Line:  %d\n", loc.Line)
	case e.LineNumber != 0:
		fmt.Fprintf(w.out, "Line:  %d (recorded)\n", e.LineNumber)
	}
	fmt.Fprintf(w.out, "Type:  %s\n", safeText(e.Type, 0))
	if w.all || e.IsSecret != nil {
		fmt.Fprintf(w.out, "Label: %s\n", baseline.LabelOf(e))
	}
	fmt.Fprintln(w.out, rule)
	if !loc.Found {
		fmt.Fprintf(w.out, "The secret is gone: %s.\n", loc.Reason)
		fmt.Fprintln(w.out, "Run 'clawgate baseline' to drop entries whose secret is gone.")
		fmt.Fprintln(w.out, rule)
		return nil
	}
	sn, err := w.loc.Snippet(ctx, w.bl, e, loc, baseline.SnippetOptions{
		Context: contextLines,
		Mask:    !w.secrets,
		Width:   max(40, w.width-9),
	})
	if err != nil {
		return errorf("%v", err)
	}
	last := 0
	if n := len(sn.Lines); n > 0 {
		last = sn.Lines[n-1].Number
	}
	digits := len(strconv.Itoa(last))
	for _, l := range sn.Lines {
		mark := " "
		if l.Target {
			mark = ">"
		}
		var b strings.Builder
		at, width := -1, 0
		col := 0
		for _, p := range l.Parts {
			n := utf8.RuneCountInString(p.Text)
			if p.Secret {
				if at < 0 {
					at = col
				}
				width += n
				if w.color {
					b.WriteString("\x1b[1;97;41m" + p.Text + "\x1b[0m")
					col += n
					continue
				}
			}
			b.WriteString(p.Text)
			col += n
		}
		// No trailing blank after the bar on an empty line.
		fmt.Fprintln(w.out, strings.TrimRight(fmt.Sprintf("%s %*d | %s", mark, digits, l.Number, b.String()), " "))
		if at >= 0 && !w.color {
			fmt.Fprintf(w.out, "  %*s   %s%s\n", digits, "", strings.Repeat(" ", at), strings.Repeat("^", max(1, width)))
		}
	}
	fmt.Fprintln(w.out, rule)
	return nil
}

func (w *walk) bold(s string) string {
	if !w.color {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}

// safeText keeps text read from a file from driving the terminal, and cuts
// it to max characters (0: no cap).
func safeText(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if max > 0 && n == max {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

func writeStats(w io.Writer, format string, st baseline.AuditStats) error {
	if format == "json" {
		return writeJSON(w, st)
	}
	width := len("TYPE")
	for _, t := range st.Types {
		width = max(width, utf8.RuneCountInString(report.LineStart(safeText(t.Type, 0))))
	}
	fmt.Fprintf(w, "%-*s  %6s  %14s  %10s  %6s\n", width, "TYPE", "REAL", "FALSE POSITIVE", "UNLABELLED", "TOTAL")
	row := func(name string, c baseline.LabelCounts) {
		name = report.LineStart(safeText(name, 0))
		pad := width - utf8.RuneCountInString(name)
		fmt.Fprintf(w, "%s%s  %6d  %14d  %10d  %6d\n", name, strings.Repeat(" ", pad), c.Real, c.FalsePositive, c.Unlabelled, c.Total)
	}
	for _, t := range st.Types {
		row(t.Type, t.LabelCounts)
	}
	row("total", st.Total)
	return nil
}

func writeReport(w io.Writer, format string, rows []baseline.ReportRow) error {
	var total baseline.LabelCounts
	gone := 0
	for _, r := range rows {
		total.Add(r.Label)
		if r.Secret == nil {
			gone++
		}
	}
	if format == "json" {
		if rows == nil {
			rows = []baseline.ReportRow{}
		}
		return writeJSON(w, struct {
			Entries []baseline.ReportRow `json:"entries"`
			Total   baseline.LabelCounts `json:"total"`
		}{rows, total})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE:LINE\tTYPE\tLABEL\tSECRET")
	for _, r := range rows {
		where := report.LineStart(safeText(r.File, 0))
		switch {
		case r.Line != nil && r.RecordedLine != nil && *r.Line != *r.RecordedLine:
			where += fmt.Sprintf(":%d (recorded %d)", *r.Line, *r.RecordedLine)
		case r.Line != nil:
			where += fmt.Sprintf(":%d", *r.Line)
		case r.RecordedLine != nil:
			where += fmt.Sprintf(":%d (recorded)", *r.RecordedLine)
		}
		secret := "- (" + r.Missing + ")"
		if r.Secret != nil {
			secret = safeText(*r.Secret, 0)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", where, safeText(r.Type, 0), r.Label, secret)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d %s: %d real, %d false %s, %d unlabelled",
		total.Total, plural(total.Total, "entry", "entries"), total.Real, total.FalsePositive, plural(total.FalsePositive, "positive", "positives"), total.Unlabelled)
	if gone > 0 {
		fmt.Fprintf(w, "; %d no longer found", gone)
	}
	fmt.Fprintln(w, ".")
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
