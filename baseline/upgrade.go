package baseline

// Upgrading old layouts. detect-secrets upgrades a baseline on load with
// one step per version that changed the format (core/upgrades/v0_12, v1_0,
// v1_1); later versions changed nothing. The same steps are done here, with
// two deliberate differences: filters_used entries a pre-1.0 file already
// has are kept instead of replaced, and non-empty custom_plugin_paths are
// kept as an unknown key instead of being turned into plugins by importing
// Python files.

// filtersAddedIn1_0 are the filters detect-secrets 1.0 switched on for every
// upgraded baseline (the behaviour 0.x had built in).
var filtersAddedIn1_0 = []string{
	"detect_secrets.filters.allowlist.is_line_allowlisted",
	"detect_secrets.filters.heuristic.is_sequential_string",
	"detect_secrets.filters.heuristic.is_potential_uuid",
	"detect_secrets.filters.heuristic.is_likely_id_string",
	"detect_secrets.filters.heuristic.is_templated_secret",
	"detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
	"detect_secrets.filters.heuristic.is_indirect_reference",
}

const filterVerificationPolicy = "detect_secrets.filters.common.is_ignored_due_to_verification_policies"

// filtersAddedIn1_1 are the default filters new in detect-secrets 1.1.
var filtersAddedIn1_1 = []string{
	"detect_secrets.filters.heuristic.is_lock_file",
	"detect_secrets.filters.heuristic.is_not_alphanumeric_string",
	"detect_secrets.filters.heuristic.is_swagger_file",
}

// upgrade brings a file whose version is below 1.1 (from = major*1000+minor)
// to the current layout.
func (d *decoder) upgrade(f *File, lg *legacy, from int) {
	has := func(path string) bool {
		for _, x := range f.Filters {
			if x.path == path {
				return true
			}
		}
		return false
	}
	add := func(x Filter) {
		if !has(x.path) {
			f.Filters = append(f.Filters, x)
		}
	}

	if from < 1000 {
		// 0.12: exclude_regex became exclude.files.
		if lg.hasExcludeRegex && !lg.hasExclude {
			lg.excludeFiles, lg.hasExclude = lg.excludeRegex, true
		}

		// 1.0: filters replace exclude and word_list.
		old := f.Filters
		f.Filters = nil
		for _, p := range filtersAddedIn1_0 {
			add(Filter{path: p, raw: rawObject(Field{"path", pyString(p)})})
		}
		add(Filter{path: filterVerificationPolicy, raw: rawObject(
			Field{"path", pyString(filterVerificationPolicy)},
			// 2 is VerifiedResult.UNVERIFIED, hard-coded by detect-secrets too.
			Field{"min_level", []byte("2")},
		)})
		for _, x := range old {
			add(x)
		}
		// recordPatterns adds to a regex filter the file may already have
		// (pre-1.0 development releases wrote filters_used too).
		if lg.excludeFiles != "" {
			f.recordPatterns(FilterExcludeFiles, []string{lg.excludeFiles})
		}
		if lg.excludeLines != "" {
			f.recordPatterns(FilterExcludeLines, []string{lg.excludeLines})
		}
		if lg.wordFile != "" {
			hash := []byte("null")
			if lg.wordHash != nil {
				hash = d.raw(lg.wordHash)
			}
			add(Filter{path: FilterWordlist, raw: rawObject(
				Field{"path", pyString(FilterWordlist)},
				Field{"min_length", []byte("3")},
				Field{"file_name", pyString(lg.wordFile)},
				Field{"file_hash", hash},
			)})
		}

		// 1.0: base64_limit and hex_limit became limit.
		for i, p := range f.Plugins {
			switch p.name {
			case "Base64HighEntropyString":
				f.Plugins[i].raw = d.renameOption(p.raw, "base64_limit", "limit")
			case "HexHighEntropyString":
				f.Plugins[i].raw = d.renameOption(p.raw, "hex_limit", "limit")
			}
		}

		if lg.customPaths != nil && len(lg.customPaths.val.kids) > 0 {
			f.Extra = append(f.Extra, Field{Key: "custom_plugin_paths", Value: d.raw(&lg.customPaths.val)})
		}
	}

	// 1.1: three more default filters.
	for _, p := range filtersAddedIn1_1 {
		add(Filter{path: p, raw: rawObject(Field{"path", pyString(p)})})
	}

	f.Version = CurrentVersion
	f.Upgraded = true
}

// renameOption moves key old to new at the end of the object, as Python's
// plugin['limit'] = plugin.pop('base64_limit') does. Objects without old are
// returned unchanged.
func (d *decoder) renameOption(raw []byte, old, new string) []byte {
	v, serr := parseJSON(raw)
	if serr != nil || v.kind != jObject || lastMember(&v, old) == nil {
		return raw
	}
	var fields []Field
	var moved []byte
	for i := range v.kids {
		m := &v.kids[i]
		val := raw[m.val.off:m.val.end]
		switch m.key {
		case old:
			moved = val
		case new:
			// overwritten by the moved value below
		default:
			fields = append(fields, Field{m.key, val})
		}
	}
	fields = append(fields, Field{new, moved})
	return rawObject(fields...)
}

func pyString(s string) []byte { return appendPyString(nil, s) }

// rawObject builds a one-line JSON object from fields whose values are
// already JSON.
func rawObject(fields ...Field) []byte {
	b := []byte{'{'}
	for i, f := range fields {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPyString(b, f.Key)
		b = append(b, ": "...)
		b = append(b, f.Value...)
	}
	return append(b, '}')
}
