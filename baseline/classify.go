package baseline

import (
	"github.com/coderclaw/clawgate/scan"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// KnownByBaseline is the scan.Finding.KnownBy value Classify sets.
const KnownByBaseline = "baseline"

// findingType is the type a secret finding is recorded under: its Type, or
// the detect-secrets name for its rule when the scanner left Type empty.
func findingType(f *scan.Finding) string {
	if f.Type != "" {
		return f.Type
	}
	return secrets.TypeForRule(f.Rule)
}

// Classify sets Status on each finding by comparing it with the baseline.
//
// A secret finding is known when the file has an entry with the same
// filename, hashed secret and type — line numbers never decide, so moved
// code stays known. Its Label becomes the entry's is_secret. A config
// finding is known when clawgate_config_findings has the same filename,
// check id (finding.Rule) and setting. Everything else of those two kinds
// is new. Filenames are compared after NormalizePath. Findings the
// repository accepts in place (scan.Finding.AcceptedInPlace) are left as
// they are, and findings of other kinds are not touched. A nil *File makes
// every finding new.
func (f *File) Classify(findings []scan.Finding) {
	ix := f.index()
	for i := range findings {
		ix.classify(&findings[i])
	}
}

// Accepts returns a test of one finding at a time: whether Classify would
// call it known. The baseline is indexed once, for all the calls.
func (f *File) Accepts() func(*scan.Finding) bool {
	ix := f.index()
	return func(fd *scan.Finding) bool {
		c := *fd
		ix.classify(&c)
		return c.Status == scan.StatusKnown
	}
}

// index holds a baseline's entries keyed as Classify compares them.
type index struct {
	secrets map[secretID]*Entry
	config  map[configID]bool
}

func (f *File) index() *index {
	ix := &index{}
	if f == nil {
		return ix
	}
	ix.secrets = make(map[secretID]*Entry, len(f.Results))
	for i := range f.Results {
		e := &f.Results[i]
		k := newSecretID(e.Filename, e.HashedSecret, e.Type)
		if _, ok := ix.secrets[k]; !ok {
			ix.secrets[k] = e
		}
	}
	ix.config = make(map[configID]bool, len(f.Config))
	for _, c := range f.Config {
		ix.config[newConfigID(c.Filename, c.CheckID, c.Setting)] = true
	}
	return ix
}

func (ix *index) classify(fd *scan.Finding) {
	if fd.AcceptedInPlace() {
		return
	}
	switch fd.Kind {
	case scan.KindSecret:
		if e, ok := ix.secrets[newSecretID(fd.File, fd.HashedSecret, findingType(fd))]; ok && fd.HashedSecret != "" {
			markKnown(fd)
			if e.IsSecret != nil {
				b := *e.IsSecret
				fd.Label = &b
			}
		} else {
			markNew(fd)
		}
	case scan.KindConfig:
		if ix.config[newConfigID(fd.File, fd.Rule, fd.Setting)] {
			markKnown(fd)
		} else {
			markNew(fd)
		}
	}
}

func markKnown(fd *scan.Finding) {
	fd.Status = scan.StatusKnown
	fd.KnownBy = KnownByBaseline
	fd.Label = nil
}

func markNew(fd *scan.Finding) {
	fd.Status = scan.StatusNew
	fd.KnownBy = ""
	fd.Label = nil
}
