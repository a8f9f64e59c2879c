package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan"
)

// MaxSummaryBytes is GitHub's cap on one step's summary; past it the whole
// summary upload fails.
const MaxSummaryBytes = 1 << 20

// DocsURL is the default base of the documentation links in the summary.
const DocsURL = "https://github.com/coderclaw/clawgate/blob/main/docs/"

// maxCellRunes keeps one long message from eating the summary.
const maxCellRunes = 200

// SummaryOptions shape the step summary.
type SummaryOptions struct {
	// Title starts the heading; default "clawgate".
	Title string
	// Scope is an optional line under the heading saying what was scanned,
	// e.g. "Files changed in pull request #12".
	Scope string
	// DocsURL is the base of the documentation links; default DocsURL.
	DocsURL string
	// MaxBytes caps the summary; 0 or anything above MaxSummaryBytes means
	// MaxSummaryBytes.
	MaxBytes int
}

// WriteStepSummary writes a GitHub-flavoured markdown summary of a scan:
// counts of new and known findings by kind and severity, a table of the new
// findings (most important first; secrets shown only masked), and links to
// the docs. Rows that would take it past MaxBytes are left out, with a line
// saying how many.
func WriteStepSummary(w io.Writer, findings []scan.Finding, opts SummaryOptions) error {
	limit := opts.MaxBytes
	if limit <= 0 || limit > MaxSummaryBytes {
		limit = MaxSummaryBytes
	}
	s, err := renderSummary(findings, opts, limit)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s)
	return err
}

// AppendStepSummary appends the summary to the file GitHub names in
// $GITHUB_STEP_SUMMARY. An empty path (not running in Actions) does nothing.
// What the step already wrote to the file counts against the cap.
func AppendStepSummary(path string, findings []scan.Finding, opts SummaryOptions) error {
	if path == "" {
		return nil
	}
	limit := opts.MaxBytes
	if limit <= 0 || limit > MaxSummaryBytes {
		limit = MaxSummaryBytes
	}
	sep := ""
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		limit -= int(st.Size())
		sep = "\n" // a blank line keeps our heading from gluing onto earlier text
		if last, err := lastByte(path); err == nil && last != '\n' {
			sep = "\n\n"
		}
		limit -= len(sep)
	}
	s, err := renderSummary(findings, opts, limit)
	if err != nil {
		return fmt.Errorf("step summary %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, sep+s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func lastByte(path string) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, st.Size()-1); err != nil {
		return 0, err
	}
	return b[0], nil
}

type countRow struct {
	label    string
	kind     scan.Kind
	status   scan.Status
	critical int
	warn     int
	info     int
	total    int
}

func renderSummary(findings []scan.Finding, opts SummaryOptions, limit int) (string, error) {
	title := strings.TrimSpace(opts.Title)
	if title == "" {
		title = "clawgate"
	}
	docs := strings.TrimSpace(opts.DocsURL)
	if docs == "" {
		docs = DocsURL
	}
	if !strings.HasSuffix(docs, "/") {
		docs += "/"
	}

	rows := []*countRow{
		{label: "New secrets", kind: scan.KindSecret, status: scan.StatusNew},
		{label: "New config findings", kind: scan.KindConfig, status: scan.StatusNew},
		{label: "Known secrets", kind: scan.KindSecret, status: scan.StatusKnown},
		{label: "Known config findings", kind: scan.KindConfig, status: scan.StatusKnown},
	}
	for _, f := range findings {
		status := scan.StatusNew
		if f.Status == scan.StatusKnown {
			status = scan.StatusKnown
		}
		kind := scan.KindConfig
		if f.Kind == scan.KindSecret {
			kind = scan.KindSecret
		}
		for _, r := range rows {
			if r.kind != kind || r.status != status {
				continue
			}
			r.total++
			switch f.Severity {
			case scan.SeverityCritical:
				r.critical++
			case scan.SeverityWarn:
				r.warn++
			case scan.SeverityInfo:
				r.info++
			}
		}
	}
	newFindings := newByImportance(findings)

	var head bytes.Buffer
	switch n := len(newFindings); n {
	case 0:
		fmt.Fprintf(&head, "## %s: no new findings\n\n", escapeText(title))
	case 1:
		fmt.Fprintf(&head, "## %s: 1 new finding\n\n", escapeText(title))
	default:
		fmt.Fprintf(&head, "## %s: %d new findings\n\n", escapeText(title), n)
	}
	if scope := strings.TrimSpace(opts.Scope); scope != "" {
		fmt.Fprintf(&head, "%s\n\n", escapeText(scope))
	}
	head.WriteString("| | Critical | Warn | Info | Total |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		fmt.Fprintf(&head, "| %s | %d | %d | %d | %d |\n", r.label, r.critical, r.warn, r.info, r.total)
	}
	head.WriteString("\n")

	foot := fmt.Sprintf("Known findings are recorded in the baseline or accepted inline and do not fail the gate. "+
		"To fix or accept a finding, see [baseline](%[1]sbaseline.md), [audit](%[1]saudit.md) and [checks](%[1]schecks.md).\n", docs)

	const tableHead = "### New findings\n\n| Severity | Kind | Rule | Location | Message | Value or setting |\n| --- | --- | --- | --- | --- | --- |\n"
	omittedLine := func(n int) string {
		return fmt.Sprintf("_%d more new findings left out to keep this summary under %s; `clawgate scan` and the SARIF upload list every finding._\n\n",
			n, sizeText(limit))
	}

	budget := limit - head.Len() - len(foot)
	if budget < 0 || (len(newFindings) > 0 && budget < len(omittedLine(len(newFindings)))) {
		return "", fmt.Errorf("a summary of %d bytes has no room for its counts", limit)
	}
	var table strings.Builder
	kept := 0
	if len(newFindings) > 0 {
		used := len(tableHead) + 1 // the blank line after the table
		reserve := len(omittedLine(len(newFindings)))
		for i := range newFindings {
			row := tableRow(&newFindings[i])
			rest := 0
			if i+1 < len(newFindings) {
				rest = reserve
			}
			if used+len(row)+rest > budget {
				break
			}
			if kept == 0 {
				table.WriteString(tableHead)
			}
			table.WriteString(row)
			used += len(row)
			kept++
		}
		if kept > 0 {
			table.WriteString("\n")
		}
		if left := len(newFindings) - kept; left > 0 {
			table.WriteString(omittedLine(left))
		}
	}
	return head.String() + table.String() + foot, nil
}

func tableRow(f *scan.Finding) string {
	severity := string(f.Severity)
	if severity == "" {
		severity = "-"
	}
	kind := string(f.Kind)
	if kind == "" {
		kind = "-"
	}
	loc := escapeText(f.File)
	if f.Line > 0 {
		loc += fmt.Sprintf(":%d", f.Line)
	}
	msg := strings.TrimSpace(f.Message)
	if msg == "" {
		msg = describe(f)
	}
	value := ""
	if m := maskedValue(f); m != "" {
		value = codeSpan(m)
	} else if f.Kind == scan.KindConfig && f.Setting != "" {
		value = codeSpan(f.Setting)
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n",
		escapeText(severity), escapeText(kind), codeSpan(f.Rule), loc, escapeText(clip(msg, maxCellRunes)), value)
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// escapeText makes s plain text inside a table cell or paragraph: control
// characters become spaces (a newline would end the table row) and markdown
// punctuation that could format, link, embed HTML or split a cell is
// backslash-escaped.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|~$&!#", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeSpan shows s as inline code inside a table cell. Backslash escapes do
// not work in code, so backticks are handled with a longer fence; '|' still
// needs "\|", which GitHub's table parser unescapes before the code span.
func codeSpan(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "|", `\|`)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// clip shortens s to n runes, ending with an ellipsis when it cuts.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n-1 {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}
