package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/detectsecrets"
)

// recordEngines writes plugins_used and filters_used as the engines that
// ran: detect-secrets' plugins when --plugins detect-secrets asked for them
// and the baseline had none, nothing when --plugins gitleaks turned them off.
func recordEngines(next, old *baseline.File, g *gateFlags, blRel string) error {
	switch g.plugins {
	case "gitleaks":
		if len(next.Plugins) > 0 {
			next.Plugins = nil
		}
	case "detect-secrets":
		if len(next.Plugins) > 0 {
			return nil
		}
		ps := detectsecrets.DefaultPlugins()
		plugins, err := pluginEntries(ps)
		if err != nil {
			return err
		}
		next.Plugins = plugins
		if old == nil || len(old.Filters) == 0 || onlyRegexFilters(old.Filters) {
			fs := detectsecrets.DefaultFilters()
			for i := range fs {
				if _, ok := fs[i].Options["filename"]; ok {
					fs[i].Options = map[string]any{"filename": blRel}
				}
			}
			defaults, err := filterEntries(fs)
			if err != nil {
				return err
			}
			next.Filters = append(defaults, next.Filters...)
		}
	}
	return nil
}

// onlyRegexFilters reports filters_used holding nothing but the regex
// exclusions clawgate records itself.
func onlyRegexFilters(fs []baseline.Filter) bool {
	for _, f := range fs {
		if !strings.HasPrefix(f.Path(), "detect_secrets.filters.regex.") {
			return false
		}
	}
	return true
}

// adoptReport says what taking over a detect-secrets baseline does.
type adoptReport struct {
	version         string
	plugins         int
	entries, labels int
	newByEngine     map[string]map[string]int
	newTotal        int
}

func newAdoptReport(old *baseline.File, findings []scan.Finding) *adoptReport {
	r := &adoptReport{version: old.SourceVersion, plugins: len(old.Plugins), entries: len(old.Results), newByEngine: map[string]map[string]int{}}
	for _, e := range old.Results {
		if e.IsSecret != nil {
			r.labels++
		}
	}
	// What the old file does not know yet, counted once per baseline entry
	// to be (file, hash, type).
	fs := append([]scan.Finding(nil), findings...)
	old.Classify(fs)
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Kind != scan.KindSecret || f.Status == scan.StatusKnown {
			continue
		}
		k := f.File + "\x00" + f.HashedSecret + "\x00" + f.Type
		if seen[k] {
			continue
		}
		seen[k] = true
		engine := f.Engine
		switch engine {
		case scan.EngineGitleaks:
			engine = "gitleaks rules only"
		case scan.EngineDetectSecrets, scan.EngineBoth:
			engine = "detect-secrets plugins"
		}
		if r.newByEngine[engine] == nil {
			r.newByEngine[engine] = map[string]int{}
		}
		r.newByEngine[engine][f.Rule]++
		r.newTotal++
	}
	return r
}

func (r *adoptReport) print(w io.Writer, rep baseline.UpdateReport) {
	v := r.version
	if v == "" {
		v = "unknown version"
	}
	fmt.Fprintf(w, "adopting a detect-secrets baseline (%s, %d plugins, %d entries, %d labelled)\n", v, r.plugins, r.entries, r.labels)
	fmt.Fprintf(w, "  carried over:    %d entries, %d with their labels\n", rep.Kept, rep.LabelsKept)
	if rep.Migrated > 0 {
		fmt.Fprintf(w, "  labels migrated: %d (to a finding on the same line; review with 'clawgate audit')\n", rep.Migrated)
	}
	fmt.Fprintf(w, "  no longer found: %d entries (dropped)\n", rep.Dropped)
	fmt.Fprintf(w, "  new findings:    %d\n", r.newTotal)
	engines := make([]string, 0, len(r.newByEngine))
	for e := range r.newByEngine {
		engines = append(engines, e)
	}
	sort.Strings(engines)
	for _, e := range engines {
		rules := r.newByEngine[e]
		total := 0
		names := make([]string, 0, len(rules))
		for name, n := range rules {
			names = append(names, name)
			total += n
		}
		sort.Slice(names, func(i, j int) bool {
			if rules[names[i]] != rules[names[j]] {
				return rules[names[i]] > rules[names[j]]
			}
			return names[i] < names[j]
		})
		var parts []string
		for _, name := range names {
			parts = append(parts, fmt.Sprintf("%s %d", name, rules[name]))
		}
		fmt.Fprintf(w, "    %s: %d (%s)\n", e, total, strings.Join(parts, ", "))
	}
}
