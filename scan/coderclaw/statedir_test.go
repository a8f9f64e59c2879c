package coderclaw

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

func TestCheckStateDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "state")
	mk := func(rel string, mode os.FileMode, content string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if content == "/" {
			os.MkdirAll(p, 0o700)
		} else {
			os.WriteFile(p, []byte(content), 0o600)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	mk(".", 0o777, "/")
	mk("coderclaw.json", 0o644, `{ $include: "./extra.json5", logging: { file: "`+filepath.Join(dir, "gw.log")+`" } }`)
	mk("extra.json5", 0o664, `{}`)
	mk("gw.log", 0o644, "")
	mk("credentials", 0o755, "/")
	mk("credentials/whatsapp-allowFrom.json", 0o644, "[]")
	mk("agents/main/agent/auth-profiles.json", 0o666, "{}")
	mk("agents/main/sessions/sessions.json", 0o640, "{}")
	mk("agents/main/sessions/s1.jsonl", 0o644, "")
	os.Symlink(filepath.Join(dir, "gw.log"), filepath.Join(dir, "credentials", "link.json"))

	ids := func(fs []string) string { sort.Strings(fs); return strings.Join(fs, " ") }
	fs, acts, err := CheckStateDir(dir, false)
	if err != nil || len(acts) != 0 {
		t.Fatal(err, acts)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Rule+"@"+string(f.Severity))
		if f.Line != 0 || !strings.HasPrefix(f.File, filepath.ToSlash(dir)) {
			t.Errorf("finding placement: %+v", f)
		}
	}
	want := []string{
		"fs.state_dir.perms_world_writable@critical", "fs.config.perms_world_readable@critical",
		"fs.config_include.perms_writable@critical", "fs.credentials_dir.perms_readable@warn",
		"fs.auth_profiles.perms_writable@critical", "fs.sessions_store.perms_readable@warn", "fs.log_file.perms_readable@warn",
	}
	if ids(got) != ids(want) {
		t.Errorf("before fix:\n got  %s\n want %s", ids(got), ids(want))
	}

	fs, acts, err = CheckStateDir(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]string{}
	for _, a := range acts {
		if a.Error != "" {
			t.Errorf("chmod %s: %s", a.Path, a.Error)
		}
		skipped[filepath.Base(a.Path)] = a.Skipped
	}
	if skipped["link.json"] != "symlink" {
		t.Errorf("a symlink must be skipped: %+v", acts)
	}
	// The log file is reported but, as in the audit, not chmodded.
	if len(fs) != 1 || fs[0].Rule != "fs.log_file.perms_readable" {
		t.Errorf("after fix: %+v", fs)
	}
	for rel, mode := range map[string]os.FileMode{".": 0o700, "coderclaw.json": 0o600, "extra.json5": 0o600,
		"credentials": 0o700, "credentials/whatsapp-allowFrom.json": 0o600, "agents/main/agent/auth-profiles.json": 0o600,
		"agents/main/sessions/s1.jsonl": 0o600, "agents/main": 0o700} {
		if st, _ := os.Stat(filepath.Join(dir, rel)); st.Mode().Perm() != mode {
			t.Errorf("%s: mode %04o, want %04o", rel, st.Mode().Perm(), mode)
		}
	}
	if st, _ := os.Stat(filepath.Join(dir, "gw.log")); st.Mode().Perm() != 0o644 {
		t.Errorf("log file (symlink target) must stay untouched")
	}
}

func TestCheckStateDirMissing(t *testing.T) {
	if _, _, err := CheckStateDir(filepath.Join(t.TempDir(), "nope"), false); err == nil {
		t.Fatal("want an error for a missing state dir")
	}
}
