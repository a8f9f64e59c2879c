package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/logging"

	"github.com/coderclaw/clawgate/internal/fsutil"
	"github.com/coderclaw/clawgate/internal/redact"
)

func init() {
	// gitleaks logs findings (secrets included) at trace level through a
	// global logger; a gate must never let that reach a terminal or CI log.
	logging.Logger = zerolog.Nop()
}

// Rules is a loaded gitleaks rule set: the default rules, or a repository's
// .gitleaks.toml (which replaces or extends them).
type Rules struct {
	Config config.Config
	// Source says where the rules came from, for --verbose and errors.
	Source string
	// configRel is the config file relative to the scan root: gitleaks
	// never reports its own config.
	configRel string
	gatesOnce sync.Once
	gates     map[*config.Allowlist][]gatedRegexp
}

// pathGates returns the gated path regexps of every allowlist of the
// rules, built once.
func (r *Rules) pathGates() map[*config.Allowlist][]gatedRegexp {
	r.gatesOnce.Do(func() {
		r.gates = map[*config.Allowlist][]gatedRegexp{}
		add := func(as []*config.Allowlist) {
			for _, a := range as {
				// gitleaks gives one [[allowlists]] entry to every rule
				// its targetRules names: gate its paths once.
				if _, done := r.gates[a]; done {
					continue
				}
				r.gates[a] = nil
				for _, p := range a.Paths {
					r.gates[a] = append(r.gates[a], newGated(p))
				}
			}
		}
		add(r.Config.Allowlists)
		for _, rule := range r.Config.Rules {
			add(rule.Allowlists)
		}
	})
	return r.gates
}

// pathAllowed is Allowlist.PathAllowed through the literal gates.
func pathAllowed(gates map[*config.Allowlist][]gatedRegexp, a *config.Allowlist, path string) bool {
	if path == "" {
		return false
	}
	for i := range gates[a] {
		if gates[a][i].MatchString(path) {
			return true
		}
	}
	return false
}

// LoadFor finds and loads the rules for a scan of root (see ConfigSource).
func LoadFor(root, explicit string) (*Rules, error) {
	path, content := ConfigSource(root, explicit)
	r, err := LoadRules(path, content)
	if err != nil || path == "" || content != nil {
		return r, err
	}
	absRoot, err1 := filepath.Abs(root)
	absPath, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absRoot, absPath); err == nil {
			r.configRel = filepath.ToSlash(rel)
		}
	}
	return r, nil
}

// ConfigSource finds the gitleaks config the way the gitleaks CLI does:
// an explicit path, then $GITLEAKS_CONFIG, then $GITLEAKS_CONFIG_TOML
// (content), then <root>/.gitleaks.toml, then the defaults. It returns the
// path ("" for defaults) and, for the TOML-in-env case, the content.
func ConfigSource(root, explicit string) (path string, content []byte) {
	if explicit != "" {
		return explicit, nil
	}
	if p := os.Getenv("GITLEAKS_CONFIG"); p != "" {
		return p, nil
	}
	if c := os.Getenv("GITLEAKS_CONFIG_TOML"); c != "" {
		return "$GITLEAKS_CONFIG_TOML", []byte(c)
	}
	p := filepath.Join(root, ".gitleaks.toml")
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p, nil
	}
	return "", nil
}

var (
	loadMu       sync.Mutex
	defaultRules *Rules
	extendLoads  int
)

// DefaultRules returns gitleaks' embedded rule set, parsed once per process.
func DefaultRules() (*Rules, error) {
	loadMu.Lock()
	defer loadMu.Unlock()
	return defaultRulesLocked()
}

func defaultRulesLocked() (*Rules, error) {
	if defaultRules != nil {
		return defaultRules, nil
	}
	cfg, err := translate([]byte(config.DefaultConfig), "")
	if err != nil {
		return nil, fmt.Errorf("gitleaks default rules: %w", err)
	}
	defaultRules = &Rules{Config: cfg, Source: "gitleaks default rules"}
	return defaultRules, nil
}

// LoadRules loads the config at path (content overrides reading it), or the
// defaults when path is "".
//
// gitleaks resolves [extend] through package-global state that only works
// for the first couple of loads in a process; a second extending load would
// silently ignore the extension, so it is refused instead.
func LoadRules(path string, content []byte) (*Rules, error) {
	loadMu.Lock()
	defer loadMu.Unlock()
	if path == "" {
		return defaultRulesLocked()
	}
	if content == nil {
		// Capped, regular files only: a --gitleaks-config path in a
		// workflow can be a committed symlink to /dev/zero.
		b, err := fsutil.ReadRegular(path, maxConfigSize)
		if err != nil {
			return nil, fmt.Errorf("gitleaks config: %w", err)
		}
		content = b
	}
	cfg, err := translate(content, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg.Path = path
	return &Rules{Config: cfg, Source: path}, nil
}

// translate runs gitleaks' own parser, turning its panics on bad regexes
// into errors. gitleaks' messages quote the config's values (a regex, a
// description, a path); an allowlist regex is often a literal secret, so
// values are cut short in the error (rule ids stay: every finding shows
// them).
func translate(content []byte, path string) (cfg config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid gitleaks config: %s", regexPanic(fmt.Sprint(r)))
		}
		if err != nil {
			err = errors.New(redact.Values(err.Error(), configValues(viper.AllSettings())))
		}
	}()
	// The global viper is what gitleaks' [extend] handling reads, so the
	// config must go through it; relative extend paths resolve from the
	// config's directory like the CLI does when run next to it.
	viper.Reset()
	viper.SetConfigType("toml")
	if path != "" && !strings.HasPrefix(path, "$") {
		viper.SetConfigFile(path)
	}
	if err := viper.ReadConfig(bytes.NewReader(content)); err != nil {
		return config.Config{}, fmt.Errorf("invalid TOML: %w", err)
	}
	if err := checkExtends(viper.GetString("extend.path")); err != nil {
		return config.Config{}, err
	}
	// Read from the parsed TOML: [extend], extend.useDefault = true and
	// extend = {...} are all the same table. Callers hold loadMu.
	if viper.IsSet("extend") {
		if extendLoads > 0 {
			return config.Config{}, errors.New("only one extending gitleaks config can be loaded per process")
		}
		extendLoads++
	}
	var vc config.ViperConfig
	if err := viper.Unmarshal(&vc); err != nil {
		return config.Config{}, fmt.Errorf("invalid gitleaks config: %w", err)
	}
	cfg, err = vc.Translate()
	if err != nil {
		return config.Config{}, err
	}
	if len(cfg.Rules) == 0 {
		return config.Config{}, fmt.Errorf("no rules defined (add [extend] useDefault = true to keep the default rules)")
	}
	return cfg, nil
}

// maxConfigSize caps a gitleaks config (gitleaks' own default is 70 kB).
const maxConfigSize = 16 << 20

// checkExtends makes sure the files an [extend] chain names are regular
// files under the cap before gitleaks reads them (through viper, which
// reads whatever the path is: /dev/zero until memory runs out, a FIFO
// forever). gitleaks follows two levels.
func checkExtends(path string) error {
	for depth := 0; path != "" && depth < 2; depth++ {
		b, err := fsutil.ReadRegular(path, maxConfigSize)
		if err != nil {
			return fmt.Errorf("failed to load extended config, err: %w", err)
		}
		v := viper.New()
		v.SetConfigType("toml")
		if v.ReadConfig(bytes.NewReader(b)) != nil {
			return nil // gitleaks reports it
		}
		path = v.GetString("extend.path")
	}
	return nil
}

// regexPanic turns the panic of regexp.MustCompile, which quotes the
// pattern, into the syntax error's code.
func regexPanic(msg string) string {
	const marker = "error parsing regexp: "
	i := strings.Index(msg, marker)
	if !strings.HasPrefix(msg, "regexp: Compile(") || i < 0 {
		return msg
	}
	code := msg[i+len(marker):]
	if j := strings.Index(code, ": `"); j >= 0 {
		code = code[:j]
	}
	return "a regex does not compile: " + code
}

// configValues collects the string values of a parsed config, rule ids
// excepted.
func configValues(v any) []string {
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			if key != "id" {
				out = append(out, x)
			}
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case []map[string]any:
			for _, e := range x {
				walk(key, e)
			}
		}
	}
	walk("", v)
	return out
}

// PathAllowed reports whether the global allowlists skip path ('/'-separated,
// relative to the scan root), as gitleaks skips it before reading.
func (r *Rules) PathAllowed(path string) bool {
	if r.configRel != "" && path == r.configRel {
		return true
	}
	return fragmentAllowed(r.pathGates(), r.Config.Allowlists, path, "", "")
}
