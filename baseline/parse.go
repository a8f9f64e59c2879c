package baseline

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/internal/redact"
)

// Read reads and parses the baseline at path. A missing file gives an
// *Error that wraps fs.ErrNotExist.
func Read(path string) (*File, error) {
	data, err := ReadBytes(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// MaxFileSize caps a baseline: 100,000 entries take about 25 MB.
const MaxFileSize = 256 << 20

// ReadBytes reads the baseline file at path without parsing it. It must be
// a regular file (a symlink to one is followed) under MaxFileSize: a
// repository can commit its baseline as a symlink to /dev/zero, which
// os.ReadFile reads until memory runs out. Errors are *Error.
func ReadBytes(path string) ([]byte, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &Error{File: path, Msg: "is a directory, not a baseline file"}
	}
	data, err := fsutil.ReadRegular(path, MaxFileSize)
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &Error{File: path, Msg: "cannot read the baseline: " + msg, Err: err}
	}
	return data, nil
}

// Parse parses a detect-secrets baseline of any version from 0.x to 1.x.
// name is used in error messages only.
//
// Layouts older than detect-secrets 1.1 are upgraded the way detect-secrets
// does it (exclude → regex filters, word_list → wordlist filter,
// base64_limit/hex_limit → limit, the default filters of 1.0 and 1.1);
// see File.Upgraded. Duplicate results (same filename, hashed_secret and
// type) are merged, the first one wins.
func Parse(name string, data []byte) (*File, error) {
	root, serr := parseJSON(data)
	if serr != nil {
		if off, ok := conflictMarker(data); ok {
			return nil, errAt(name, data, off, "unresolved git merge conflict marker: resolve the conflict or regenerate the baseline")
		}
		return nil, errAt(name, data, serr.off, serr.msg)
	}
	d := &decoder{name: name, data: data}
	f, err := d.file(&root)
	if err != nil {
		return nil, err
	}
	return f, nil
}

type decoder struct {
	name string
	data []byte
}

func (d *decoder) errf(off int, format string, args ...any) *Error {
	return errAt(d.name, d.data, off, fmt.Sprintf(format, args...))
}

func (d *decoder) raw(v *jvalue) []byte {
	return append([]byte(nil), d.data[v.off:v.end]...)
}

// legacy holds the pre-1.0 top-level keys until the upgrade consumes them.
type legacy struct {
	excludeFiles, excludeLines string
	hasExclude                 bool
	excludeRegex               string
	hasExcludeRegex            bool
	wordFile                   string
	wordHash                   *jvalue
	hasWordList                bool
	customPaths                *jmember
}

func (d *decoder) file(root *jvalue) (*File, error) {
	if root.kind != jObject {
		return nil, d.errf(root.off, "the top level must be a JSON object (a detect-secrets baseline), found %s", root.kind)
	}
	f := &File{}
	var (
		lg           legacy
		versionVal   *jvalue
		hasFilters   bool
		entries      []Entry
		extraIndex   = map[string]int{}
		resultsCount int
	)
	for i := range root.kids {
		m := &root.kids[i]
		v := &m.val
		switch m.key {
		case "version":
			if v.kind != jString {
				return nil, d.errf(v.off, "\"version\" must be a string, found %s", v.kind)
			}
			f.Version = v.str
			versionVal = v
		case "plugins_used":
			ps, err := d.plugins(v)
			if err != nil {
				return nil, err
			}
			f.Plugins = ps
		case "filters_used":
			fs, err := d.filters(v)
			if err != nil {
				return nil, err
			}
			f.Filters = fs
			hasFilters = true
		case "results":
			es, err := d.results(v)
			if err != nil {
				return nil, err
			}
			// Python would keep only the last "results"; a repeated key comes
			// from a hand-resolved merge, and keeping both keeps the labels.
			entries = append(entries, es...)
			resultsCount++
		case "generated_at":
			if v.kind != jString {
				return nil, d.errf(v.off, "\"generated_at\" must be a string, found %s", v.kind)
			}
			f.GeneratedAt = v.str
		case ConfigKey:
			cs, err := d.config(v)
			if err != nil {
				return nil, err
			}
			f.Config = cs
		case "exclude":
			if err := d.exclude(v, &lg); err != nil {
				return nil, err
			}
		case "exclude_regex":
			s, err := d.optString(v, "exclude_regex")
			if err != nil {
				return nil, err
			}
			lg.excludeRegex, lg.hasExcludeRegex = s, true
		case "word_list":
			if err := d.wordList(v, &lg); err != nil {
				return nil, err
			}
		case "custom_plugin_paths":
			if v.kind != jArray {
				return nil, d.errf(v.off, "\"custom_plugin_paths\" must be a list, found %s", v.kind)
			}
			lg.customPaths = m
		default:
			fld := Field{Key: m.key, Value: d.raw(v)}
			if j, ok := extraIndex[m.key]; ok {
				f.Extra[j] = fld // Python dict: first position, last value
			} else {
				extraIndex[m.key] = len(f.Extra)
				f.Extra = append(f.Extra, fld)
			}
		}
	}
	if resultsCount == 0 {
		return nil, d.errf(root.off, "not a detect-secrets baseline: there is no \"results\" key")
	}

	f.SourceVersion = f.Version
	upgradeFrom := -1 // -1: no upgrade; otherwise the version as major*1000+minor
	if versionVal != nil {
		major, minor, ok := parseVersion(f.Version)
		if !ok {
			return nil, d.errf(versionVal.off, "\"version\" %s is not a detect-secrets version (expected something like \"1.5.0\")", quoteShort(f.Version))
		}
		if major > 1 {
			return nil, d.errf(versionVal.off, "baseline version %s is newer than this clawgate understands (it reads detect-secrets 0.x and 1.x baselines); upgrade clawgate", quoteShort(f.Version))
		}
		if major*1000+minor < 1001 {
			upgradeFrom = major*1000 + minor
		}
	} else if lg.hasExclude || lg.hasExcludeRegex || lg.hasWordList || lg.customPaths != nil || !hasFilters {
		// No version: judge by the layout. Old keys, or no filters_used at
		// all, mean a pre-1.0 file.
		upgradeFrom = 0
	}
	if upgradeFrom < 0 || upgradeFrom >= 1000 {
		// detect-secrets only reads the old keys before 1.0; in a later
		// file they are unknown keys, kept untouched.
		d.keepLegacy(f, root, extraIndex)
	}
	if upgradeFrom >= 0 {
		d.upgrade(f, &lg, upgradeFrom)
	}

	f.Results = dedupeEntries(entries)
	sortEntries(f.Results)
	f.Config = dedupeConfig(f.Config)
	sortConfig(f.Config)
	return f, nil
}

// keepLegacy puts old-layout keys of a file that is not upgraded into Extra.
func (d *decoder) keepLegacy(f *File, root *jvalue, extraIndex map[string]int) {
	for i := range root.kids {
		m := &root.kids[i]
		switch m.key {
		case "exclude", "exclude_regex", "word_list", "custom_plugin_paths":
			fld := Field{Key: m.key, Value: d.raw(&m.val)}
			if j, ok := extraIndex[m.key]; ok {
				f.Extra[j] = fld
			} else {
				extraIndex[m.key] = len(f.Extra)
				f.Extra = append(f.Extra, fld)
			}
		}
	}
}

// parseVersion reads the leading "major.minor" of a version such as
// "1.5.0", "0.13.1+ibm.64.dss" or "v1.2".
func parseVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	num := func() (int, bool) {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i > 6 {
			return 0, false
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		return n, true
	}
	if major, ok = num(); !ok {
		return 0, 0, false
	}
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		if minor, ok = num(); !ok {
			return 0, 0, false
		}
	}
	return major, minor, true
}

// quoteShort quotes a value from the file for an error message: whole when
// it is short, else only its first characters. A broken baseline can hold
// anything, a secret pasted into "version" included. (Filenames are shown:
// they are paths, which every finding shows too.)
func quoteShort(s string) string {
	return redact.Quote(s)
}

func (d *decoder) optString(v *jvalue, what string) (string, error) {
	switch v.kind {
	case jString:
		return v.str, nil
	case jNull:
		return "", nil
	}
	return "", d.errf(v.off, "%s must be a string or null, found %s", what, v.kind)
}

func (d *decoder) exclude(v *jvalue, lg *legacy) error {
	if v.kind == jNull {
		return nil
	}
	if v.kind != jObject {
		return d.errf(v.off, "\"exclude\" must be an object, found %s", v.kind)
	}
	lg.hasExclude = true
	for i := range v.kids {
		m := &v.kids[i]
		var err error
		switch m.key {
		case "files":
			lg.excludeFiles, err = d.optString(&m.val, "exclude.files")
		case "lines":
			lg.excludeLines, err = d.optString(&m.val, "exclude.lines")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) wordList(v *jvalue, lg *legacy) error {
	if v.kind == jNull {
		return nil
	}
	if v.kind != jObject {
		return d.errf(v.off, "\"word_list\" must be an object, found %s", v.kind)
	}
	lg.hasWordList = true
	for i := range v.kids {
		m := &v.kids[i]
		switch m.key {
		case "file":
			s, err := d.optString(&m.val, "word_list.file")
			if err != nil {
				return err
			}
			lg.wordFile = s
		case "hash":
			lg.wordHash = &m.val
		}
	}
	return nil
}

func (d *decoder) plugins(v *jvalue) ([]Plugin, error) {
	if v.kind != jArray {
		return nil, d.errf(v.off, "\"plugins_used\" must be a list, found %s", v.kind)
	}
	out := make([]Plugin, 0, len(v.kids))
	for i := range v.kids {
		el := &v.kids[i].val
		if el.kind != jObject {
			return nil, d.errf(el.off, "plugins_used[%d] must be an object, found %s", i, el.kind)
		}
		n := lastMember(el, "name")
		if n == nil {
			return nil, d.errf(el.off, "plugins_used[%d] has no \"name\"", i)
		}
		if n.val.kind != jString {
			return nil, d.errf(n.val.off, "plugins_used[%d].name must be a string, found %s", i, n.val.kind)
		}
		out = append(out, Plugin{name: n.val.str, raw: d.raw(el)})
	}
	return out, nil
}

func (d *decoder) filters(v *jvalue) ([]Filter, error) {
	if v.kind != jArray {
		return nil, d.errf(v.off, "\"filters_used\" must be a list, found %s", v.kind)
	}
	out := make([]Filter, 0, len(v.kids))
	for i := range v.kids {
		el := &v.kids[i].val
		if el.kind != jObject {
			return nil, d.errf(el.off, "filters_used[%d] must be an object, found %s", i, el.kind)
		}
		n := lastMember(el, "path")
		if n == nil {
			return nil, d.errf(el.off, "filters_used[%d] has no \"path\"", i)
		}
		if n.val.kind != jString {
			return nil, d.errf(n.val.off, "filters_used[%d].path must be a string, found %s", i, n.val.kind)
		}
		out = append(out, Filter{path: n.val.str, raw: d.raw(el)})
	}
	return out, nil
}

func (d *decoder) results(v *jvalue) ([]Entry, error) {
	if v.kind != jObject {
		return nil, d.errf(v.off, "\"results\" must be an object mapping filenames to lists of secrets, found %s", v.kind)
	}
	n := 0
	for i := range v.kids {
		n += len(v.kids[i].val.kids)
	}
	out := make([]Entry, 0, n)
	for i := range v.kids {
		m := &v.kids[i]
		if m.val.kind != jArray {
			return nil, d.errf(m.val.off, "results[%s] must be a list of secrets, found %s", strconv.Quote(m.key), m.val.kind)
		}
		for j := range m.val.kids {
			e, err := d.entry(m.key, j, &m.val.kids[j].val)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func (d *decoder) entry(filename string, idx int, v *jvalue) (Entry, error) {
	where := func() string { return "results[" + strconv.Quote(filename) + "][" + strconv.Itoa(idx) + "]" }
	if v.kind != jObject {
		return Entry{}, d.errf(v.off, "%s must be an object, found %s", where(), v.kind)
	}
	e := Entry{Filename: filename}
	var hasType, hasHash bool
	var extraIndex map[string]int
	for i := range v.kids {
		m := &v.kids[i]
		fv := &m.val
		switch m.key {
		case "type":
			if fv.kind != jString {
				return e, d.errf(fv.off, "%s.type must be a string, found %s", where(), fv.kind)
			}
			e.Type, hasType = fv.str, true
		case "hashed_secret":
			if fv.kind != jString {
				return e, d.errf(fv.off, "%s.hashed_secret must be a string, found %s", where(), fv.kind)
			}
			e.HashedSecret, hasHash = fv.str, true
		case "filename":
			// detect-secrets repeats the key it sits under; the key is what
			// it compares, so the key wins.
			if fv.kind != jString {
				return e, d.errf(fv.off, "%s.filename must be a string, found %s", where(), fv.kind)
			}
		case "is_verified":
			switch fv.kind {
			case jBool:
				e.IsVerified = fv.b
			case jNull:
				e.IsVerified = false
			default:
				return e, d.errf(fv.off, "%s.is_verified must be true or false, found %s", where(), fv.kind)
			}
		case "is_secret":
			switch fv.kind {
			case jBool:
				b := fv.b
				e.IsSecret = &b
			case jNull:
				e.IsSecret = nil
			default:
				return e, d.errf(fv.off, "%s.is_secret must be true, false or null, found %s", where(), fv.kind)
			}
		case "line_number":
			n, err := d.lineNumber(fv, where)
			if err != nil {
				return e, err
			}
			e.LineNumber = n
		default:
			if extraIndex == nil {
				extraIndex = map[string]int{}
			}
			fld := Field{Key: m.key, Value: d.raw(fv)}
			if j, ok := extraIndex[m.key]; ok {
				e.Extra[j] = fld
			} else {
				extraIndex[m.key] = len(e.Extra)
				e.Extra = append(e.Extra, fld)
			}
		}
	}
	if !hasType {
		return e, d.errf(v.off, "%s has no \"type\"", where())
	}
	if !hasHash {
		return e, d.errf(v.off, "%s has no \"hashed_secret\"", where())
	}
	return e, nil
}

// lineNumber reads a line_number; where names the object it is in (built
// only on error: it is called for every entry).
func (d *decoder) lineNumber(v *jvalue, where func() string) (int, error) {
	switch v.kind {
	case jNull:
		return 0, nil
	case jNumber:
		if strings.ContainsAny(v.str, ".eEIN") {
			return 0, d.errf(v.off, "%s.line_number must be an integer, found a non-integer number", where())
		}
		n, err := strconv.ParseInt(v.str, 10, 32)
		if err != nil {
			return 0, d.errf(v.off, "%s.line_number is out of range", where())
		}
		return int(n), nil
	}
	return 0, d.errf(v.off, "%s.line_number must be an integer, found %s", where(), v.kind)
}

func (d *decoder) config(v *jvalue) ([]ConfigEntry, error) {
	if v.kind != jArray {
		return nil, d.errf(v.off, "%q must be a list, found %s", ConfigKey, v.kind)
	}
	out := make([]ConfigEntry, 0, len(v.kids))
	for i := range v.kids {
		el := &v.kids[i].val
		where := ConfigKey + "[" + strconv.Itoa(i) + "]"
		if el.kind != jObject {
			return nil, d.errf(el.off, "%s must be an object, found %s", where, el.kind)
		}
		var c ConfigEntry
		var hasFile, hasCheck bool
		var extraIndex map[string]int
		for j := range el.kids {
			m := &el.kids[j]
			fv := &m.val
			str := func(dst *string) error {
				if fv.kind != jString {
					return d.errf(fv.off, "%s.%s must be a string, found %s", where, m.key, fv.kind)
				}
				*dst = fv.str
				return nil
			}
			var err error
			switch m.key {
			case "filename":
				err, hasFile = str(&c.Filename), true
			case "check_id":
				err, hasCheck = str(&c.CheckID), true
			case "setting":
				err = str(&c.Setting)
			case "line_number":
				c.LineNumber, err = d.lineNumber(fv, func() string { return where })
			default:
				if extraIndex == nil {
					extraIndex = map[string]int{}
				}
				fld := Field{Key: m.key, Value: d.raw(fv)}
				if k, ok := extraIndex[m.key]; ok {
					c.Extra[k] = fld
				} else {
					extraIndex[m.key] = len(c.Extra)
					c.Extra = append(c.Extra, fld)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		if !hasFile {
			return nil, d.errf(el.off, "%s has no \"filename\"", where)
		}
		if !hasCheck {
			return nil, d.errf(el.off, "%s has no \"check_id\"", where)
		}
		out = append(out, c)
	}
	return out, nil
}

// dedupeEntries keeps the first entry of each (filename, hash, type), as
// detect-secrets' set of secrets does.
func dedupeEntries(in []Entry) []Entry {
	seen := make(map[secretID]struct{}, len(in))
	out := in[:0]
	for _, e := range in {
		k := newSecretID(e.Filename, e.HashedSecret, e.Type)
		if _, ok := seen[k]; ok {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, e)
	}
	return out
}

func dedupeConfig(in []ConfigEntry) []ConfigEntry {
	seen := make(map[configID]struct{}, len(in))
	out := in[:0]
	for _, c := range in {
		k := newConfigID(c.Filename, c.CheckID, c.Setting)
		if _, ok := seen[k]; ok {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, c)
	}
	return out
}

// cmpEntry is detect-secrets' order: filename, then (line_number or 0,
// hashed_secret, type).
func cmpEntry(a, b *Entry) int {
	return cmp.Or(
		strings.Compare(a.Filename, b.Filename),
		cmp.Compare(a.LineNumber, b.LineNumber),
		strings.Compare(a.HashedSecret, b.HashedSecret),
		strings.Compare(a.Type, b.Type),
	)
}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int { return cmpEntry(&a, &b) })
}

// cmpConfig orders clawgate_config_findings: filename, check id, setting.
func cmpConfig(a, b *ConfigEntry) int {
	return cmp.Or(
		strings.Compare(a.Filename, b.Filename),
		strings.Compare(a.CheckID, b.CheckID),
		strings.Compare(a.Setting, b.Setting),
	)
}

func sortConfig(cs []ConfigEntry) {
	slices.SortStableFunc(cs, func(a, b ConfigEntry) int { return cmpConfig(&a, &b) })
}
