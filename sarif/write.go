package sarif

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/coderclaw/clawgate/scan"
)

const (
	// ToolName is tool.driver.name: the tool filter in GitHub's UI.
	ToolName = "clawgate"
	// InformationURI is tool.driver.informationUri unless Options say otherwise.
	InformationURI = "https://github.com/coderclaw/clawgate"
	// DefaultCategory is automationDetails.id when Options.Category is empty.
	DefaultCategory = "clawgate/"
	// FingerprintKey names our partialFingerprints entry. It is derived from
	// scan.Finding.Fingerprint, so it survives lines moving; the version
	// suffix lets the derivation change without colliding with old alerts.
	FingerprintKey = "clawgateFingerprint/v1"
	// MaxResults is GitHub's hard limit of results per run.
	MaxResults = 25000
	// srcRoot is the uriBaseId of every location: the repository root.
	srcRoot = "%SRCROOT%"
)

// resultLimit is MaxResults; tests lower it to exercise truncation cheaply.
var resultLimit = MaxResults

// Options are the run-level settings of Write.
type Options struct {
	// ToolVersion is tool.driver.version, e.g. "v1.2.3"; a leading "v" is
	// dropped and a non-numeric version ("dev") becomes "0.0.0-dev".
	ToolVersion string
	// SemanticVersion is tool.driver.semanticVersion, without a leading "v";
	// when empty it is taken from ToolVersion if that is a semantic version.
	SemanticVersion string
	// InformationURI defaults to the InformationURI constant.
	InformationURI string
	// Category becomes automationDetails.id, always ending in "/" so that
	// code scanning reads all of it as the category (it splits at the last
	// "/"), the same way upload-sarif's category input does. Default "clawgate/".
	Category string
	// IncludeKnown emits known (baselined or inline-accepted) findings as
	// suppressed results. Code scanning ignores suppressions and would open
	// alerts for them, so this is for other SARIF consumers.
	IncludeKnown bool
}

// Write renders findings as a SARIF 2.1.0 log with one run. rules holds the
// metadata per Finding.Rule; a rule missing from it gets generic metadata
// (SecretRule or ConfigRule with what the findings carry), so Write never
// drops a result for want of a rule. The output is deterministic.
func Write(w io.Writer, findings []scan.Finding, rules map[string]Rule, opts Options) error {
	selected := make([]scan.Finding, 0, len(findings))
	for _, f := range findings {
		if f.Status == scan.StatusKnown && !opts.IncludeKnown {
			continue
		}
		selected = append(selected, f)
	}
	total := len(selected)
	if total > resultLimit {
		// Keep what matters most, as GitHub itself would: new before known,
		// then by severity.
		sort.SliceStable(selected, func(i, j int) bool { return morePressing(&selected[i], &selected[j]) })
		selected = selected[:resultLimit]
	}
	sort.SliceStable(selected, func(i, j int) bool { return scan.Less(&selected[i], &selected[j]) })

	index, descriptors := buildRules(selected, rules)

	report, err := gosarif.New(gosarif.Version210)
	if err != nil {
		return err
	}
	run := gosarif.NewRun(gosarif.Tool{Driver: driver(opts)})
	run.Tool.Driver.Rules = descriptors
	run.AutomationDetails = gosarif.NewRunAutomationDetails().WithID(category(opts.Category))
	for i := range selected {
		run.Results = append(run.Results, result(&selected[i], index[selected[i].Rule], opts.IncludeKnown))
	}
	if total > len(selected) {
		text := fmt.Sprintf("Only %d of %d results are included: GitHub code scanning accepts at most %d per run. New and more severe findings were kept; run clawgate locally to see all of them.",
			len(selected), total, resultLimit)
		note := gosarif.NewNotification()
		note.Level = "warning"
		note.Message = gosarif.NewTextMessage(text)
		inv := run.AddInvocation(true)
		inv.ToolExecutionNotifications = []*gosarif.Notification{note}
		run.Properties = gosarif.Properties{"clawgate/resultsTruncated": true, "clawgate/resultsTotal": total}
	}
	report.AddRun(run)
	return writeJSON(w, report)
}

func driver(opts Options) *gosarif.ToolComponent {
	version := toolVersion(opts.ToolVersion)
	d := gosarif.NewVersionedDriver(ToolName, version)
	// A dev build claims no semanticVersion: GitHub uses it to attribute
	// changed results to tool upgrades.
	semver := strings.TrimPrefix(strings.TrimSpace(opts.SemanticVersion), "v")
	if raw := strings.TrimPrefix(strings.TrimSpace(opts.ToolVersion), "v"); semver == "" && semverRE.MatchString(raw) {
		semver = raw
	}
	if semver != "" {
		d.SemanticVersion = &semver
	}
	info := strings.TrimSpace(opts.InformationURI)
	if info == "" {
		info = InformationURI
	}
	d.InformationURI = &info
	return d
}

var (
	semverRE    = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	nonSemverRE = regexp.MustCompile(`[^0-9A-Za-z.-]+`)
)

// toolVersion makes driver.version start with a digit, as the SARIF
// validator asks so that versions compare: "v1.2.3" → "1.2.3", and a build
// without a release number ("dev", "(devel)") → "0.0.0-dev".
func toolVersion(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return v
	}
	v = strings.Trim(nonSemverRE.ReplaceAllString(v, "-"), "-.")
	if v == "" {
		v = "dev"
	}
	return "0.0.0-" + v
}

func category(c string) string {
	c = strings.TrimSpace(c)
	if c == "" {
		return DefaultCategory
	}
	if !strings.HasSuffix(c, "/") {
		c += "/"
	}
	return c
}

// buildRules returns, for the rules that produced a result, each id's index
// and the descriptors sorted by id.
func buildRules(findings []scan.Finding, rules map[string]Rule) (map[string]int, []*gosarif.ReportingDescriptor) {
	first := map[string]*scan.Finding{}
	worst := map[string]scan.Severity{}
	for i := range findings {
		f := &findings[i]
		if _, ok := first[f.Rule]; !ok {
			first[f.Rule] = f
		}
		if f.Severity.Rank() > worst[f.Rule].Rank() {
			worst[f.Rule] = f.Severity
		}
	}
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := make(map[string]int, len(ids))
	descriptors := make([]*gosarif.ReportingDescriptor, 0, len(ids))
	for i, id := range ids {
		index[id] = i
		r, ok := rules[id]
		if !ok {
			r = fallbackRule(first[id], worst[id])
		}
		descriptors = append(descriptors, descriptor(normalize(r, id, first[id].Kind, worst[id])))
	}
	return index, descriptors
}

func fallbackRule(f *scan.Finding, worst scan.Severity) Rule {
	if f.Kind == scan.KindSecret {
		desc := ""
		if f.Type != "" && f.Type != f.Rule {
			desc = "Possible " + f.Type
		}
		return SecretRule(f.Rule, desc)
	}
	return ConfigRule(f.Rule, "", "", f.Remediation, worst)
}

// normalize fills what a caller-built Rule left empty and enforces GitHub's
// length limits, so hand-made registries cannot produce an invalid upload.
func normalize(r Rule, id string, kind scan.Kind, worst scan.Severity) Rule {
	r.ID = id
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		r.Name = PascalCase(id)
	}
	r.Name = truncate(r.Name, maxNameLen, "")
	r.ShortDescription = truncate(sentence(r.ShortDescription), maxDescriptionLen, "...")
	if r.ShortDescription == "" {
		r.ShortDescription = sentence("Rule " + id)
	}
	r.FullDescription = truncate(sentence(r.FullDescription), maxDescriptionLen, "...")
	if r.FullDescription == "" {
		r.FullDescription = r.ShortDescription
	}
	if strings.TrimSpace(r.HelpText) == "" {
		r.HelpText = r.FullDescription
	}
	// Every clawgate rule is a security rule of one kind; code scanning
	// filters on these tags, so a hand-made Rule cannot drop them.
	seen := map[string]bool{}
	tags := make([]string, 0, len(r.Tags)+2)
	for _, t := range append([]string{"security", string(kind)}, r.Tags...) {
		if t = strings.TrimSpace(t); t != "" && !seen[t] && len(tags) < maxTags {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	r.Tags = tags
	if r.SecuritySeverity == "" {
		r.SecuritySeverity = securitySeverity(worst)
		if kind == scan.KindSecret {
			r.SecuritySeverity = SecretRule(id, "").SecuritySeverity
		}
	}
	if r.Level == "" {
		r.Level = Level(worst)
		if kind == scan.KindSecret {
			r.Level = "error"
		}
	}
	return r
}

func descriptor(r Rule) *gosarif.ReportingDescriptor {
	d := gosarif.NewRule(r.ID).
		WithName(r.Name).
		WithShortDescription(gosarif.NewMultiformatMessageString(r.ShortDescription)).
		WithFullDescription(gosarif.NewMultiformatMessageString(r.FullDescription))
	help := gosarif.NewMultiformatMessageString(r.HelpText)
	if r.HelpMarkdown != "" {
		help.WithMarkdown(r.HelpMarkdown)
	}
	d.Help = help
	if r.HelpURI != "" {
		d.WithHelpURI(r.HelpURI)
	}
	d.DefaultConfiguration = gosarif.NewReportingConfiguration().WithLevel(r.Level)
	props := gosarif.Properties{}
	if len(r.Tags) > 0 {
		props["tags"] = r.Tags
	}
	if r.SecuritySeverity != "" {
		props["security-severity"] = r.SecuritySeverity
	}
	if r.Precision != "" {
		props["precision"] = r.Precision
	}
	if len(props) > 0 {
		d.Properties = props
	}
	return d
}

func result(f *scan.Finding, ruleIndex int, includeKnown bool) *gosarif.Result {
	res := gosarif.NewRuleResult(f.Rule).
		WithRuleIndex(ruleIndex).
		WithLevel(resultLevel(f)).
		WithMessage(gosarif.NewTextMessage(message(f)))
	startLine, startCol, endLine, endCol := Region(f)
	region := gosarif.NewRegion().
		WithStartLine(startLine).WithStartColumn(startCol).
		WithEndLine(endLine).WithEndColumn(endCol)
	loc := gosarif.NewPhysicalLocation().
		WithArtifactLocation(gosarif.NewSimpleArtifactLocation(URI(f.File)).WithUriBaseId(srcRoot)).
		WithRegion(region)
	res.AddLocation(gosarif.NewLocationWithPhysicalLocation(loc))
	res.WithPartialFingerPrints(map[string]interface{}{FingerprintKey: f.Fingerprint()})
	if includeKnown {
		if f.Status == scan.StatusKnown {
			res.WithBaselineState("unchanged")
			res.AddSuppression(suppression(f))
		} else {
			res.WithBaselineState("new")
		}
	}
	return res
}

// resultLevel: secrets are always errors, since any new secret fails the
// gate; config findings follow their severity.
func resultLevel(f *scan.Finding) string {
	if f.Kind == scan.KindSecret {
		return "error"
	}
	return Level(f.Severity)
}

// message never carries the secret, not even the masked prefix: the SARIF
// lands in a UI that many more people read than the repository's CI logs.
func message(f *scan.Finding) string {
	text := sentence(oneLine(f.Message))
	if text == "" {
		if f.Kind == scan.KindSecret {
			what := f.Type
			if what == "" {
				what = f.Rule
			}
			text = "Possible secret (" + what + ") in " + f.File + "."
		} else {
			text = "CoderClaw config check " + f.Rule + " fired"
			if f.Setting != "" {
				text += " for " + f.Setting
			}
			text += "."
		}
	}
	if f.Commit != "" {
		c := f.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		text += " Found in commit " + c + "."
	}
	return text
}

func suppression(f *scan.Finding) *gosarif.Suppression {
	kind, why := "external", "Recorded in the baseline; it does not fail the gate."
	switch {
	case f.KnownBy == scan.KnownByInline:
		kind, why = "inSource", "Accepted by an inline comment on or above its line; it does not fail the gate."
	case f.KnownBy == scan.KnownByGitleaksIgnore:
		why = "Accepted by a fingerprint in .gitleaksignore; it does not fail the gate."
	case f.Label != nil && *f.Label:
		why = "Recorded in the baseline and audited as a real secret: rotate it. It does not fail the gate."
	case f.Label != nil:
		why = "Recorded in the baseline and audited as a false positive."
	}
	return gosarif.NewSuppression(kind).WithStatus("accepted").WithJustifcation(why)
}

// Region returns the SARIF region of a finding: 1-based, with the end filled
// in when the detector gave only a start (endColumn is exclusive, so a bare
// start covers at least one character).
func Region(f *scan.Finding) (startLine, startCol, endLine, endCol int) {
	startLine, startCol = max(f.Line, 1), max(f.Column, 1)
	endLine = max(f.EndLine, startLine)
	endCol = f.EndColumn
	if endLine == startLine && endCol <= startCol {
		endCol = startCol + 1
	}
	if endCol < 1 {
		endCol = 1
	}
	return startLine, startCol, endLine, endCol
}

// URI turns a '/'-separated relative path into a relative URI reference:
// each segment percent-encoded, ':' too, so "C:x" or "a:b" can never read as
// a scheme.
func URI(file string) string {
	file = strings.TrimPrefix(file, "./")
	parts := strings.Split(file, "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(p), ":", "%3A")
	}
	return strings.Join(parts, "/")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// morePressing orders for truncation: new first, secrets and severe first.
func morePressing(a, b *scan.Finding) bool {
	if (a.Status == scan.StatusKnown) != (b.Status == scan.StatusKnown) {
		return b.Status == scan.StatusKnown
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra > rb
	}
	return scan.Less(a, b)
}

func rank(f *scan.Finding) int {
	if f.Kind == scan.KindSecret {
		return 4
	}
	return f.Severity.Rank()
}
