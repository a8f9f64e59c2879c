package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/coderclaw/clawgate/scan"
)

// AnnotationsPerLevel is how many ::error, ::warning and ::notice commands
// GitHub shows per step; it drops the rest silently.
const AnnotationsPerLevel = 10

// Annotation levels, in the order they are written.
const (
	levelError   = "error"
	levelWarning = "warning"
	levelNotice  = "notice"
)

// WriteAnnotations writes GitHub Actions workflow commands that annotate the
// new findings in the pull request's diff view. Known findings are not
// annotated. Findings come most important first, at most AnnotationsPerLevel
// per level, followed by one notice counting those left out (the step
// summary and the SARIF upload carry them all). Secrets are always errors;
// config findings follow their severity. No field carries a secret: only
// the masked value, cut to at most four leading characters.
func WriteAnnotations(w io.Writer, findings []scan.Finding) error {
	fs := newByImportance(findings)
	counts := map[string]int{}
	for i := range fs {
		counts[annotationLevel(&fs[i])]++
	}
	limit := map[string]int{levelError: AnnotationsPerLevel, levelWarning: AnnotationsPerLevel, levelNotice: AnnotationsPerLevel}
	omitted := func() int {
		n := 0
		for level, c := range counts {
			n += max(c-limit[level], 0)
		}
		return n
	}
	if omitted() > 0 && counts[levelNotice] >= AnnotationsPerLevel {
		// The closing notice is a notice too; keep room for it.
		limit[levelNotice]--
	}

	bw := bufio.NewWriter(w)
	written := map[string]int{}
	for i := range fs {
		f := &fs[i]
		level := annotationLevel(f)
		if written[level] == limit[level] {
			continue
		}
		written[level]++
		fmt.Fprintf(bw, "::%s %s::%s\n", level, annotationProperties(f), escapeData(annotationMessage(f)))
	}
	if n := omitted(); n > 0 {
		noun := "findings were"
		if n == 1 {
			noun = "finding was"
		}
		fmt.Fprintf(bw, "::notice::%s\n", escapeData(fmt.Sprintf(
			"clawgate: %d more new %s not annotated (GitHub shows at most %d annotations per level in a step). The step summary and the SARIF upload list every finding.",
			n, noun, AnnotationsPerLevel)))
	}
	return bw.Flush()
}

// annotationLevel: any new secret fails the gate, so it is an error whatever
// its severity.
func annotationLevel(f *scan.Finding) string {
	if f.Kind == scan.KindSecret {
		return levelError
	}
	switch f.Severity {
	case scan.SeverityCritical:
		return levelError
	case scan.SeverityInfo:
		return levelNotice
	}
	return levelWarning
}

func annotationProperties(f *scan.Finding) string {
	props := []string{"file=" + escapeProperty(f.File)}
	if f.Line > 0 {
		endLine := max(f.EndLine, f.Line)
		props = append(props, "line="+strconv.Itoa(f.Line), "endLine="+strconv.Itoa(endLine))
		if f.Column > 0 {
			props = append(props, "col="+strconv.Itoa(f.Column))
			// GitHub ignores columns on annotations that span lines.
			if f.EndColumn > f.Column && endLine == f.Line {
				props = append(props, "endColumn="+strconv.Itoa(f.EndColumn))
			}
		}
	}
	props = append(props, "title="+escapeProperty("clawgate: "+f.Rule))
	return strings.Join(props, ",")
}

// annotationMessage is the finding's message, the masked value of a secret,
// and how to fix or accept it.
func annotationMessage(f *scan.Finding) string {
	msg := strings.TrimSpace(f.Message)
	if msg == "" {
		msg = describe(f)
	}
	if m := maskedValue(f); m != "" {
		msg += " (value " + m + ")"
	}
	if f.Commit != "" {
		msg += " in commit " + shortCommit(f.Commit)
	}
	if fix := remediation(f); fix != "" {
		msg += "\n" + fix
	}
	return msg
}

func describe(f *scan.Finding) string {
	if f.Kind == scan.KindSecret {
		what := f.Type
		if what == "" {
			what = f.Rule
		}
		return "Possible secret (" + what + ")"
	}
	if f.Setting != "" {
		return "CoderClaw config check " + f.Rule + " fired for " + f.Setting
	}
	return "CoderClaw config check " + f.Rule + " fired"
}

func remediation(f *scan.Finding) string {
	if r := strings.TrimSpace(f.Remediation); r != "" {
		return r
	}
	if f.Kind == scan.KindSecret {
		return "Remove it and rotate it; if it is not a secret, accept it with `clawgate baseline` and `clawgate audit`, or an inline `pragma: allowlist secret` comment."
	}
	return ""
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// maskedValue is the secret's masked form, re-cut here so that no output
// of ours shows more than four leading characters even if a detector put
// more into Masked.
func maskedValue(f *scan.Finding) string {
	if f.Kind != scan.KindSecret || f.Masked == "" {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range f.Masked {
		if r == '*' || n == 4 || unicode.IsControl(r) || r == unicode.ReplacementChar {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String() + "*****"
}

// newByImportance returns the new findings, most important first: errors
// before warnings before notices, secrets before config, then by severity
// and position.
func newByImportance(findings []scan.Finding) []scan.Finding {
	var fs []scan.Finding
	for _, f := range findings {
		if f.Status != scan.StatusKnown {
			fs = append(fs, f)
		}
	}
	levelRank := map[string]int{levelError: 0, levelWarning: 1, levelNotice: 2}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if la, lb := levelRank[annotationLevel(a)], levelRank[annotationLevel(b)]; la != lb {
			return la < lb
		}
		if (a.Kind == scan.KindSecret) != (b.Kind == scan.KindSecret) {
			return a.Kind == scan.KindSecret
		}
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		return scan.Less(a, b)
	})
	return fs
}

// The escapes of workflow commands, as actions/toolkit does them: a
// message's, and a property value's (also ':' and ',', which delimit
// properties).
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
