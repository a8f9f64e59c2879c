package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/baseline"
	"github.com/coderclaw/clawgate/scan/detectsecrets"
)

// detectSecrets builds the detect-secrets engine a scan runs beside the
// gitleaks rules: the plugins and filters the baseline lists, or, with
// --plugins detect-secrets and a baseline that lists none, detect-secrets
// 1.5.0's defaults. It returns nil when only the gitleaks rules run.
func detectSecrets(bl *baseline.File, plugins string) (*detectsecrets.Scanner, []detectsecrets.PluginSpec, []detectsecrets.FilterSpec, error) {
	var ps []detectsecrets.PluginSpec
	var fs []detectsecrets.FilterSpec
	switch {
	case bl != nil && len(bl.Plugins) > 0:
		var err error
		if ps, err = detectsecrets.ParsePluginsUsed(rawList(bl.Plugins)); err != nil {
			return nil, nil, nil, err
		}
		if fs, err = detectsecrets.ParseFiltersUsed(rawFilterList(bl.Filters)); err != nil {
			return nil, nil, nil, err
		}
	case plugins == "detect-secrets":
		ps, fs = detectsecrets.DefaultPlugins(), detectsecrets.DefaultFilters()
		if bl != nil {
			var err error
			if fs, err = detectsecrets.ParseFiltersUsed(rawFilterList(bl.Filters)); err != nil {
				return nil, nil, nil, err
			}
			if len(fs) == 0 {
				fs = detectsecrets.DefaultFilters()
			}
		}
	default:
		return nil, nil, nil, nil
	}
	s, err := detectsecrets.New(ps, fs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("the baseline's plugins_used: %w", err)
	}
	return s, ps, fs, nil
}

func rawList(ps []baseline.Plugin) json.RawMessage {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = string(p.Raw())
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

func rawFilterList(fs []baseline.Filter) json.RawMessage {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f.Raw())
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

// pluginEntries turns plugin specs into plugins_used entries written the
// way detect-secrets writes them: "name" first, floats keeping ".0".
func pluginEntries(ps []detectsecrets.PluginSpec) ([]baseline.Plugin, error) {
	var out []baseline.Plugin
	for _, p := range ps {
		p, err := baseline.NewPlugin([]byte(pythonObject("name", p.Name, p.Options)))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func filterEntries(fs []detectsecrets.FilterSpec) ([]baseline.Filter, error) {
	var out []baseline.Filter
	for _, f := range fs {
		f, err := baseline.NewFilter([]byte(pythonObject("path", f.Path, f.Options)))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func pythonObject(key, value string, opts map[string]any) string {
	var b strings.Builder
	b.WriteString("{" + strconv.Quote(key) + ": " + strconv.Quote(value))
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(", " + strconv.Quote(k) + ": " + pythonValue(opts[k]))
	}
	b.WriteString("}")
	return b.String()
}

func pythonValue(v any) string {
	switch x := v.(type) {
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case int:
		return strconv.Itoa(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
