package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/coderclaw/clawgate/scan"
)

// TextOptions controls the human output.
type TextOptions struct {
	// ShowKnown lists known findings too; by default only new ones are.
	ShowKnown bool
	// Color uses ANSI colours (only on a terminal, never with NO_COLOR).
	Color bool
	// Hints ends a failing report with the ways to accept a finding.
	Hints bool
	// GroupByEngine lists findings under one heading per engine, so that
	// with detect-secrets' plugins on, what only the gitleaks rules find
	// stands apart.
	GroupByEngine bool
}

// engineGroups are the headings of GroupByEngine, in order.
var engineGroups = []struct {
	title   string
	engines []string
}{
	{"detect-secrets plugins", []string{scan.EngineDetectSecrets, scan.EngineBoth}},
	{"gitleaks rules only (no detect-secrets plugin finds these)", []string{scan.EngineGitleaks}},
	{"CoderClaw config", []string{"coderclaw"}},
}

// acceptHints tell a developer whose commit was refused what to do when a
// finding is not a real secret.
const acceptHints = `To accept a finding on purpose:
  - record it in the baseline:  clawgate baseline   (then commit .secrets.baseline)
  - label a secret's entry:     clawgate audit
  - mark it where it stands:    a secret: end its line with a "pragma: allowlist secret" comment,
                                or put "pragma: allowlist nextline secret" alone on the line above;
                                a config setting: "// clawgate:ignore CHECKID reason"
  - a secret only in history:   rotate it, then add commit:file:rule:line to .gitleaksignore
`

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// WriteText groups findings by file, each line led by file:line:column, then status, severity,
// rule, and the masked secret or the config message; then skipped files and
// a closing "N new, M known" line.
func WriteText(w io.Writer, findings []scan.Finding, skipped []scan.Skipped, sum Summary, opts TextOptions) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + reset
	}
	var shown []scan.Finding
	for _, f := range findings {
		if f.Status == scan.StatusNew || opts.ShowKnown {
			shown = append(shown, f)
		}
	}
	scan.SortFindings(shown)
	if opts.GroupByEngine {
		first := true
		for _, g := range engineGroups {
			var part []scan.Finding
			for _, f := range shown {
				for _, e := range g.engines {
					if f.Engine == e {
						part = append(part, f)
					}
				}
			}
			if len(part) == 0 {
				continue
			}
			if !first {
				fmt.Fprintln(w)
			}
			first = false
			fmt.Fprintf(w, "%s (%d)\n\n", paint(bold, "== "+g.title), len(part))
			writeFiles(w, part, paint)
		}
	} else {
		writeFiles(w, shown, paint)
	}
	return writeFooter(w, shown, skipped, sum, opts, paint)
}

// writeFiles lists findings grouped by file.
func writeFiles(w io.Writer, shown []scan.Finding, paint func(code, s string) string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	file := "\x00"
	for i := range shown {
		f := &shown[i]
		if f.File != file {
			if file != "\x00" {
				tw.Flush()
				fmt.Fprintln(w)
			}
			file = f.File
		}
		status := string(f.Status)
		switch {
		case f.Status == scan.StatusNew:
			status = paint(red, status)
		default:
			status = paint(dim, status)
		}
		// file:line:column, which terminals and editors open at the spot.
		where := paint(bold, fmt.Sprintf("%s:%d:%d", LineStart(oneLine(f.File)), f.Line, f.Column))
		if f.Commit != "" {
			where += " @" + shortCommit(f.Commit)
		}
		detail := f.Message
		if f.Kind == scan.KindSecret {
			detail = maskedValue(f)
			if f.Type != "" && f.Type != f.Rule {
				detail += "  (" + f.Type + ")"
			}
		}
		sev := string(f.Severity)
		if f.Severity == scan.SeverityCritical {
			sev = paint(red, sev)
		} else if f.Severity == scan.SeverityWarn {
			sev = paint(yellow, sev)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", where, status, sev, f.Rule, oneLine(detail))
	}
	tw.Flush()
	if len(shown) > 0 {
		fmt.Fprintln(w)
	}
}

// writeFooter prints skipped files, the closing counts and the hints.
func writeFooter(w io.Writer, shown []scan.Finding, skipped []scan.Skipped, sum Summary, opts TextOptions, paint func(code, s string) string) error {
	for _, s := range skipped {
		reason := s.Reason
		if s.Size > 0 {
			reason += fmt.Sprintf(" (%s)", humanSize(s.Size))
		}
		fmt.Fprintf(w, "skipped %s: %s\n", oneLine(s.File), reason)
	}
	line := fmt.Sprintf("%d new, %d known", sum.New, sum.Known)
	if sum.Files > 0 || sum.Skipped > 0 {
		line += fmt.Sprintf(" (%d %s scanned", sum.Files, plural(sum.Files, "file", "files"))
		if sum.Skipped > 0 {
			line += fmt.Sprintf(", %d skipped", sum.Skipped)
		}
		line += ")"
	}
	if sum.New > 0 {
		line = paint(red, line)
	}
	if _, err := fmt.Fprintln(w, line); err != nil {
		return err
	}
	if opts.Hints && sum.Failing > 0 {
		_, err := fmt.Fprint(w, "\n"+acceptHints)
		return err
	}
	return nil
}

// LineStart makes a path (or any text from a file) safe to print at the
// start of a line. GitHub Actions reads any line of a job's output that
// starts with "::" as a workflow command: a file named "::error file=x::..."
// would forge an annotation, "::stop-commands::..." would silence the real
// ones. "./" in front keeps it a name of the same file.
func LineStart(path string) string {
	if strings.HasPrefix(path, "::") {
		return "./" + path
	}
	return path
}

// oneLine keeps a hostile file name or message from forging output lines.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\x1b") {
		return s
	}
	r := strings.NewReplacer("\n", `\n`, "\r", `\r`, "\x1b", `\x1b`)
	return r.Replace(s)
}

func humanSize(n int64) string {
	switch {
	case n >= 1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
