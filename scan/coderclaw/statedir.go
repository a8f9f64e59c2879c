package coderclaw

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// FixAction is one permission change of CheckStateDir's fix, in the shape
// of the audit's fix actions.
type FixAction struct {
	Kind string      `json:"kind"` // "chmod"
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	OK   bool        `json:"ok"`
	// Skipped is "symlink", "missing", "already", "not-a-directory" or
	// "not-a-file" when nothing was changed.
	Skipped string `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
}

// stateDirPaths are the state directory entries the fs.* checks look at.
type stateDirPaths struct {
	config       string
	includes     []string
	logFile      string
	credentials  string
	credFiles    []string
	agentDirs    []string // agents/<id>, agents/<id>/agent, agents/<id>/sessions
	authProfiles []string
	sessionStore []string
	transcripts  []string
}

func collectStateDir(dir string) stateDirPaths {
	p := stateDirPaths{config: filepath.Join(dir, "coderclaw.json"), credentials: filepath.Join(dir, "credentials")}
	if c, err := Load(dir, p.config, Options{}); err == nil {
		for _, d := range c.Docs[1:] {
			p.includes = append(p.includes, filepath.Join(dir, filepath.FromSlash(d.Name)))
		}
		if f, ok := c.get("logging.file").str(); ok && strings.TrimSpace(f) != "" {
			f = strings.TrimSpace(f)
			if strings.HasPrefix(f, "~/") {
				if home, err := os.UserHomeDir(); err == nil {
					f = filepath.Join(home, f[2:])
				}
			}
			p.logFile = f
		}
	}
	p.credFiles, _ = filepath.Glob(filepath.Join(p.credentials, "*.json"))
	agents, _ := os.ReadDir(filepath.Join(dir, "agents"))
	for _, a := range agents {
		if !a.IsDir() {
			continue
		}
		base := filepath.Join(dir, "agents", a.Name())
		p.agentDirs = append(p.agentDirs, base, filepath.Join(base, "agent"), filepath.Join(base, "sessions"))
		p.authProfiles = append(p.authProfiles, filepath.Join(base, "agent", "auth-profiles.json"))
		p.sessionStore = append(p.sessionStore, filepath.Join(base, "sessions", "sessions.json"))
		jl, _ := filepath.Glob(filepath.Join(base, "sessions", "*.jsonl"))
		p.transcripts = append(p.transcripts, jl...)
	}
	return p
}

// CheckStateDir runs the audit's fs.* permission checks on a real
// CoderClaw state directory (~/.coderclaw or $CODERCLAW_STATE_DIR). With
// fix, it first applies the audit's chmods (700 on directories, 600 on
// the config, includes, credentials, auth profiles, session stores and
// transcripts; symlinks and missing paths are skipped) and then reports
// what is left. Findings name the path (File) and carry no line.
func CheckStateDir(dir string, fix bool) ([]scan.Finding, []FixAction, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("state dir: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("state dir %s is not a directory", dir)
	}
	p := collectStateDir(dir)
	var actions []FixAction
	if fix {
		for _, d := range append([]string{dir, p.credentials}, p.agentDirs...) {
			actions = append(actions, chmodPath(d, 0o700, true))
		}
		files := append([]string{p.config}, p.includes...)
		files = append(files, p.credFiles...)
		files = append(files, p.authProfiles...)
		files = append(files, p.sessionStore...)
		files = append(files, p.transcripts...)
		for _, f := range files {
			actions = append(actions, chmodPath(f, 0o600, false))
		}
	}
	var out []scan.Finding
	add := func(id, path, msg string) {
		c := Lookup(id)
		rel, err := filepath.Rel(dir, path)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = path
		}
		out = append(out, scan.Finding{
			Kind: scan.KindConfig, Engine: Engine, Rule: id, Severity: c.Severity,
			File: filepath.ToSlash(path), Setting: filepath.ToSlash(rel),
			Message: msg, Remediation: c.Remediation,
		})
	}
	for _, path := range []string{dir, p.config} {
		low := strings.ToLower(path)
		for _, s := range []string{"icloud", "dropbox", "google drive", "googledrive", "onedrive"} {
			if strings.Contains(low, s) {
				add("fs.synced_dir", path, fmt.Sprintf("%s is in a synced folder (%s): secrets and transcripts leave this machine", path, s))
				break
			}
		}
	}
	if li, err := os.Lstat(dir); err == nil && li.Mode()&os.ModeSymlink != 0 {
		add("fs.state_dir.symlink", dir, dir+" is a symlink; treat its target as an extra trust boundary")
	}
	if m, ok := permOf(dir); ok {
		switch {
		case m&0o002 != 0:
			add("fs.state_dir.perms_world_writable", dir, fmt.Sprintf("%s has mode %04o: other users can write your CoderClaw state", dir, m))
		case m&0o020 != 0:
			add("fs.state_dir.perms_group_writable", dir, fmt.Sprintf("%s has mode %04o: group users can write your CoderClaw state", dir, m))
		case m&0o044 != 0:
			add("fs.state_dir.perms_readable", dir, fmt.Sprintf("%s has mode %04o: others can read it; use 700", dir, m))
		}
	}
	if li, err := os.Lstat(p.config); err == nil {
		link := li.Mode()&os.ModeSymlink != 0
		if link {
			add("fs.config.symlink", p.config, p.config+" is a symlink; make sure you trust its target")
		}
		if m, ok := permOf(p.config); ok {
			switch {
			case m&0o022 != 0:
				add("fs.config.perms_writable", p.config, fmt.Sprintf("%s has mode %04o: another user could change gateway, auth and tool policy", p.config, m))
			case !link && m&0o004 != 0:
				add("fs.config.perms_world_readable", p.config, fmt.Sprintf("%s has mode %04o: the config can contain tokens", p.config, m))
			case !link && m&0o040 != 0:
				add("fs.config.perms_group_readable", p.config, fmt.Sprintf("%s has mode %04o: the config can contain tokens", p.config, m))
			}
		}
	}
	for _, inc := range p.includes {
		if m, ok := permOf(inc); ok {
			switch {
			case m&0o022 != 0:
				add("fs.config_include.perms_writable", inc, fmt.Sprintf("included config %s has mode %04o: others can change it", inc, m))
			case m&0o004 != 0:
				add("fs.config_include.perms_world_readable", inc, fmt.Sprintf("included config %s has mode %04o: world-readable", inc, m))
			case m&0o040 != 0:
				add("fs.config_include.perms_group_readable", inc, fmt.Sprintf("included config %s has mode %04o: group-readable", inc, m))
			}
		}
	}
	if m, ok := permOf(p.credentials); ok {
		switch {
		case m&0o022 != 0:
			add("fs.credentials_dir.perms_writable", p.credentials, fmt.Sprintf("%s has mode %04o: others can plant credentials or allowlists", p.credentials, m))
		case m&0o044 != 0:
			add("fs.credentials_dir.perms_readable", p.credentials, fmt.Sprintf("%s has mode %04o: others can read channel credentials", p.credentials, m))
		}
	}
	for _, f := range p.authProfiles {
		if m, ok := permOf(f); ok {
			switch {
			case m&0o022 != 0:
				add("fs.auth_profiles.perms_writable", f, fmt.Sprintf("%s has mode %04o: others can change API keys and OAuth tokens", f, m))
			case m&0o044 != 0:
				add("fs.auth_profiles.perms_readable", f, fmt.Sprintf("%s has mode %04o: others can read API keys and OAuth tokens", f, m))
			}
		}
	}
	for _, f := range p.sessionStore {
		if m, ok := permOf(f); ok && m&0o044 != 0 {
			add("fs.sessions_store.perms_readable", f, fmt.Sprintf("%s has mode %04o: others can read session routing and metadata", f, m))
		}
	}
	if p.logFile != "" {
		if m, ok := permOf(p.logFile); ok && m&0o044 != 0 {
			add("fs.log_file.perms_readable", p.logFile, fmt.Sprintf("log file %s has mode %04o: others can read what the gateway logs", p.logFile, m))
		}
	}
	scan.SortFindings(out)
	return out, actions, nil
}

// permOf is the permission bits of path (following symlinks).
func permOf(path string) (fs.FileMode, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	return st.Mode().Perm(), true
}

func chmodPath(path string, mode fs.FileMode, dir bool) FixAction {
	a := FixAction{Kind: "chmod", Path: path, Mode: mode}
	li, err := os.Lstat(path)
	switch {
	case err != nil:
		a.Skipped = "missing"
		return a
	case li.Mode()&os.ModeSymlink != 0:
		a.Skipped = "symlink"
		return a
	case dir && !li.IsDir():
		a.Skipped = "not-a-directory"
		return a
	case !dir && !li.Mode().IsRegular():
		a.Skipped = "not-a-file"
		return a
	case li.Mode().Perm() == mode:
		a.Skipped, a.OK = "already", true
		return a
	}
	if err := os.Chmod(path, mode); err != nil {
		a.Error = err.Error()
		return a
	}
	a.OK = true
	return a
}

func init() {
	type fsCheck struct {
		id, sev, title, doc, fix string
	}
	const dirFix = "chmod 700"
	const fileFix = "chmod 600"
	checks := []fsCheck{
		{"fs.synced_dir", "warn", "State dir or config is in a synced folder", "The state directory or config path is inside iCloud, Dropbox, Google Drive or OneDrive: tokens, credentials and transcripts are copied off the machine. Move the state directory (CODERCLAW_STATE_DIR).", ""},
		{"fs.state_dir.symlink", "warn", "State dir is a symlink", "The state directory is a symlink; whoever controls the target controls CoderClaw's state.", ""},
		{"fs.state_dir.perms_world_writable", "critical", "State dir is world-writable", "Other users can modify full CoderClaw state: config, credentials, sessions.", dirFix},
		{"fs.state_dir.perms_group_writable", "warn", "State dir is group-writable", "Group members can modify CoderClaw state.", dirFix},
		{"fs.state_dir.perms_readable", "warn", "State dir is readable by others", "Group or other users can read CoderClaw state.", dirFix},
		{"fs.config.symlink", "warn", "Config file is a symlink", "The config is a symlink; make sure you trust its target. Readable-permission warnings are skipped for a symlink.", ""},
		{"fs.config.perms_writable", "critical", "Config file is writable by others", "Others can change auth, tool policy and channels.", fileFix},
		{"fs.config.perms_world_readable", "critical", "Config file is world-readable", "The config can hold tokens and private settings.", fileFix},
		{"fs.config.perms_group_readable", "warn", "Config file is group-readable", "The config can hold tokens and private settings.", fileFix},
		{"fs.config_include.perms_writable", "critical", "Included config is writable by others", "An `$include`d file is part of the config: others can change it.", fileFix},
		{"fs.config_include.perms_world_readable", "critical", "Included config is world-readable", "An `$include`d file can hold tokens.", fileFix},
		{"fs.config_include.perms_group_readable", "warn", "Included config is group-readable", "An `$include`d file can hold tokens.", fileFix},
		{"fs.credentials_dir.perms_writable", "critical", "Credentials dir is writable by others", "`credentials/` holds channel credentials and pairing allowlists; others could add themselves.", "chmod 700 (and 600 on credentials/*.json)"},
		{"fs.credentials_dir.perms_readable", "warn", "Credentials dir is readable by others", "`credentials/` holds channel credentials.", "chmod 700 (and 600 on credentials/*.json)"},
		{"fs.auth_profiles.perms_writable", "critical", "auth-profiles.json is writable by others", "`agents/<id>/agent/auth-profiles.json` holds API keys and OAuth tokens.", fileFix},
		{"fs.auth_profiles.perms_readable", "warn", "auth-profiles.json is readable by others", "`agents/<id>/agent/auth-profiles.json` holds API keys and OAuth tokens.", fileFix},
		{"fs.sessions_store.perms_readable", "warn", "Session store is readable by others", "`agents/<id>/sessions/sessions.json` and the transcripts beside it hold private messages and tool output.", "chmod 600 (and on sessions/*.jsonl)"},
		{"fs.log_file.perms_readable", "warn", "Log file is readable by others", "The `logging.file` log can carry message content and, with redaction off, secrets. Not changed by the fix (as in the audit).", ""},
	}
	for _, c := range checks {
		sev, _ := scan.ParseSeverity(c.sev)
		ch := &Check{ID: c.id, Severity: sev, Title: c.title, Doc: c.doc, Source: "audit", StateDir: true}
		if c.fix != "" {
			ch.Fix = c.fix
			ch.Remediation = "Run `" + c.fix + "` on the path, or clawgate lint --state-dir DIR --fix."
		} else {
			ch.Remediation = "Review the path."
		}
		register(ch)
	}
}
