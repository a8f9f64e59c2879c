package baseline

import (
	"github.com/coderclaw/clawgate/scan/secrets"
	"slices"
	"time"

	"github.com/coderclaw/clawgate/scan"
)

// UpdateOptions tunes Update. Pass at most one.
type UpdateOptions struct {
	// Plugins and Filters become plugins_used and filters_used when there
	// is no old file. With an old file its own settings are kept.
	Plugins []Plugin
	Filters []Filter
}

// UpdateReport says what Update changed, for the CLI's summary.
type UpdateReport struct {
	// Added counts entries whose (filename, hash, type) was not in the old
	// file, including those that received a migrated label.
	Added int
	// Kept counts old entries found again (their labels are kept).
	Kept int
	// LabelsKept counts kept entries that carry a label (is_secret set, or
	// is_verified true).
	LabelsKept int
	// Migrated counts old labels carried over to a new entry in the same
	// file, on the same line or with the same hash (see Update).
	Migrated int
	// Dropped counts old entries no longer found and not migrated.
	Dropped int
	// ConfigAdded, ConfigKept and ConfigDropped count config entries the
	// same way.
	ConfigAdded, ConfigKept, ConfigDropped int
	// Ignored counts findings that were not recorded (see UpdateOptions).
	Ignored int
	// Migrations lists every migrated label, so it can be reviewed.
	Migrations []Migration
}

// Migration is one label carried from an old entry to a new one.
type Migration struct {
	Filename string
	// FromType/FromLine describe the old entry, ToType/ToLine the new one.
	FromType string
	FromLine int
	ToType   string
	ToLine   int
	// SameHash is true when the secret is the same and only its type
	// changed (e.g. "Secret Keyword" from detect-secrets to gitleaks'
	// "generic-api-key" under another name).
	SameHash bool
	IsSecret *bool
}

// newEntry is an entry being built from findings.
type newEntry struct {
	Entry
	key      secretID
	lines    []int // every line the secret was found on
	rules    map[string]bool
	received bool // got a migrated label
}

// Update computes the baseline `clawgate baseline` writes after a full scan:
//
//   - one entry per (filename, hashed secret, type) found; its line number
//     is the lowest line it was found on;
//   - entries found again keep their labels (is_secret, is_verified) and
//     unknown keys; new ones are added unlabelled; old entries no longer
//     found are dropped;
//   - migration: a labelled old entry that is no longer found gives its
//     label, once, to a new entry in the same file that has the same hash
//     (only the type changed, e.g. a detect-secrets type vs a gitleaks
//     rule) or, failing that, that was found on the old entry's line. A
//     new entry whose rule plausibly matches the old type is preferred;
//   - config findings are recorded under clawgate_config_findings (all
//     severities), and config entries no longer found are dropped;
//   - Version becomes CurrentVersion and GeneratedAt is now, in UTC.
//
// old may be nil. old is not modified.
func Update(old *File, findings []scan.Finding, now time.Time, opts ...UpdateOptions) (*File, UpdateReport) {
	var opt UpdateOptions
	if len(opts) > 0 {
		opt = opts[0]
	}
	var rep UpdateReport
	nf := &File{
		Version:     CurrentVersion,
		GeneratedAt: now.UTC().Format("2006-01-02T15:04:05Z"),
	}
	if old != nil {
		nf.Plugins = slices.Clone(old.Plugins)
		nf.Filters = slices.Clone(old.Filters)
		nf.Extra = slices.Clone(old.Extra)
	} else {
		nf.Plugins = slices.Clone(opt.Plugins)
		nf.Filters = slices.Clone(opt.Filters)
		old = &File{}
	}

	// Group the findings.
	var secrets []*newEntry
	secretIdx := map[secretID]*newEntry{}
	var configs []*ConfigEntry
	configIdx := map[configID]*ConfigEntry{}
	for i := range findings {
		fd := &findings[i]
		if fd.AcceptedInPlace() {
			rep.Ignored++
			continue
		}
		switch fd.Kind {
		case scan.KindSecret:
			if fd.HashedSecret == "" || fd.File == "" {
				rep.Ignored++
				continue
			}
			typ := findingType(fd)
			k := newSecretID(fd.File, fd.HashedSecret, typ)
			ne := secretIdx[k]
			if ne == nil {
				ne = &newEntry{
					Entry: Entry{Type: typ, Filename: NormalizePath(fd.File), HashedSecret: fd.HashedSecret},
					key:   k,
					rules: map[string]bool{},
				}
				secretIdx[k] = ne
				secrets = append(secrets, ne)
			}
			if fd.Line > 0 {
				ne.lines = append(ne.lines, fd.Line)
				if ne.LineNumber == 0 || fd.Line < ne.LineNumber {
					ne.LineNumber = fd.Line
				}
			}
			ne.rules[fd.Rule] = true
		case scan.KindConfig:
			if fd.File == "" || fd.Rule == "" {
				rep.Ignored++
				continue
			}
			k := newConfigID(fd.File, fd.Rule, fd.Setting)
			c := configIdx[k]
			if c == nil {
				c = &ConfigEntry{Filename: NormalizePath(fd.File), CheckID: fd.Rule, Setting: fd.Setting}
				configIdx[k] = c
				configs = append(configs, c)
			}
			if fd.Line > 0 && (c.LineNumber == 0 || fd.Line < c.LineNumber) {
				c.LineNumber = fd.Line
			}
		default:
			rep.Ignored++
		}
	}

	// Keep labels of entries found again.
	var orphans []*Entry // labelled old entries not found again
	for i := range old.Results {
		oe := &old.Results[i]
		ne := secretIdx[newSecretID(oe.Filename, oe.HashedSecret, oe.Type)]
		if ne == nil {
			if oe.IsSecret != nil || oe.IsVerified {
				orphans = append(orphans, oe)
			} else {
				rep.Dropped++
			}
			continue
		}
		if ne.received {
			continue // duplicate old entry; Parse never produces one
		}
		ne.received = true
		ne.IsSecret = cloneBool(oe.IsSecret)
		ne.IsVerified = oe.IsVerified
		ne.Extra = slices.Clone(oe.Extra)
		rep.Kept++
		if oe.IsSecret != nil || oe.IsVerified {
			rep.LabelsKept++
		}
	}
	for _, ne := range secrets {
		if !ne.received {
			rep.Added++
		}
	}

	// Migrate labels of entries that were not found again: first to the
	// same secret under another type, then to a finding on the same line.
	byFile := map[string][]*newEntry{}
	for _, ne := range secrets {
		if !ne.received {
			f := NormalizePath(ne.Filename)
			byFile[f] = append(byFile[f], ne)
		}
	}
	for _, ne := range byFile {
		slices.SortFunc(ne, func(a, b *newEntry) int { return cmpEntry(&a.Entry, &b.Entry) })
	}
	migrated := map[*Entry]bool{}
	pass := func(match func(oe *Entry, ne *newEntry) bool, sameHash bool) {
		for _, oe := range orphans {
			if migrated[oe] {
				continue
			}
			var best *newEntry
			bestPlausible := false
			for _, ne := range byFile[NormalizePath(oe.Filename)] {
				if ne.received || !match(oe, ne) {
					continue
				}
				pl := plausible(oe.Type, ne)
				if best == nil || pl && !bestPlausible {
					best, bestPlausible = ne, pl
				}
			}
			if best == nil {
				continue
			}
			migrated[oe] = true
			best.received = true
			best.IsSecret = cloneBool(oe.IsSecret)
			best.IsVerified = oe.IsVerified
			rep.Migrated++
			rep.Migrations = append(rep.Migrations, Migration{
				Filename: best.Filename,
				FromType: oe.Type, FromLine: oe.LineNumber,
				ToType: best.Type, ToLine: best.LineNumber,
				SameHash: sameHash, IsSecret: cloneBool(oe.IsSecret),
			})
		}
	}
	pass(func(oe *Entry, ne *newEntry) bool { return equalFoldASCII(oe.HashedSecret, ne.HashedSecret) }, true)
	pass(func(oe *Entry, ne *newEntry) bool {
		return oe.LineNumber > 0 && slices.Contains(ne.lines, oe.LineNumber)
	}, false)
	for _, oe := range orphans {
		if !migrated[oe] {
			rep.Dropped++
		}
	}

	nf.Results = make([]Entry, 0, len(secrets))
	for _, ne := range secrets {
		nf.Results = append(nf.Results, ne.Entry)
	}
	sortEntries(nf.Results)

	// Config findings.
	oldConfig := map[configID]*ConfigEntry{}
	for i := range old.Config {
		c := &old.Config[i]
		oldConfig[newConfigID(c.Filename, c.CheckID, c.Setting)] = c
	}
	for k, c := range configIdx {
		if oc, ok := oldConfig[k]; ok {
			c.Extra = slices.Clone(oc.Extra)
			rep.ConfigKept++
		} else {
			rep.ConfigAdded++
		}
	}
	for k := range oldConfig {
		if configIdx[k] == nil {
			rep.ConfigDropped++
		}
	}
	nf.Config = make([]ConfigEntry, 0, len(configs))
	for _, c := range configs {
		nf.Config = append(nf.Config, *c)
	}
	sortConfig(nf.Config)
	return nf, rep
}

// plausible tells whether one of the rules that found ne belongs to the
// detect-secrets type of an old entry.
func plausible(oldType string, ne *newEntry) bool {
	if ne.Type == oldType {
		return true
	}
	for _, r := range secrets.RulesForType(oldType) {
		if ne.rules[r] {
			return true
		}
	}
	return false
}

func cloneBool(b *bool) *bool {
	if b == nil {
		return nil
	}
	v := *b
	return &v
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
