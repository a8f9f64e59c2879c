package coderclaw

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coderclaw/clawgate/scan"
)

// TestPositions pins exact line:column (bytes) of findings: on a value, on
// the key of an object, on the nearest enclosing key of an absent setting,
// and at 1:1 when nothing encloses it.
func TestPositions(t *testing.T) {
	src := "// head\n{\n\tgateway: {\n\t\t'bind': \"lan\", // é\n\t\tnodes: {denyCommands: ['ok', /* x */ \"sys.*\"]},\n\t},\n  /* ü */ logging: {redactSensitive: 'off'},\n}\n"
	fs, err := LintSource("c.json5", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gateway.bind_no_auth":                    "4:11 gateway.bind",
		"gateway.auth_no_rate_limit":              "3:2 gateway.auth.rateLimit",
		"browser.control_no_auth":                 "3:2 browser.enabled",
		"gateway.nodes.deny_commands_ineffective": "5:26 gateway.nodes.denyCommands",
		"logging.redact_off":                      "7:38 logging.redactSensitive", // ü counts one column
	}
	got := map[string]string{}
	for _, f := range fs {
		got[f.Rule] = fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Setting)
		if f.Kind != scan.KindConfig || f.Engine != "coderclaw" || f.File != "c.json5" || f.Status != "" {
			t.Errorf("finding shape: %+v", f)
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: got %q, want %q", id, got[id], w)
		}
	}
	fs, _ = LintSource("e.json5", []byte("\n\n   {}"), Options{})
	for _, f := range fs {
		if f.Line != 1 || f.Column != 1 {
			t.Errorf("%s with nothing enclosing: %d:%d, want 1:1", f.Rule, f.Line, f.Column)
		}
	}
}

// TestSecretsNeverPrinted: no message or setting contains a secret value
// written in the config.
func TestSecretsNeverPrinted(t *testing.T) {
	secrets := []string{"hunter2-but-longer-secret", "s3cr3t-hooks", "tok-123"}
	src := `{
  gateway: { bind: "lan", auth: { mode: "password", password: "hunter2-but-longer-secret", token: "tok-123" } },
  hooks: { enabled: true, token: "s3cr3t-hooks", path: "/" },
}`
	fs, err := LintSource("c.json5", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		for _, s := range secrets {
			if strings.Contains(f.Message+f.Setting+f.Remediation, s) {
				t.Errorf("%s prints a secret: %s", f.Rule, f.Message)
			}
		}
	}
	if !rules(fs, false)["config.secrets.gateway_password_in_config"] || !rules(fs, false)["hooks.token_too_short"] {
		t.Errorf("expected the secret findings: %v", rules(fs, false))
	}
}

// TestEnvRefs: ${VAR} is configured (never missing, never a literal
// secret); Options.Env and the config's env block resolve it; $${VAR} is a
// literal.
func TestEnvRefs(t *testing.T) {
	src := `{
  env: { vars: { HOOK_TOKEN: "short" } },
  gateway: { bind: "${GW_BIND}", auth: { token: "${GW_TOKEN}" }, trustedProxies: ["127.0.0.1"] },
  hooks: { enabled: true, token: "${HOOK_TOKEN}", defaultSessionKey: "hook:x" },
}`
	env := map[string]string{"GW_BIND": "lan", "GW_TOKEN": "0123456789abcdefghij0123456789"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	fs, err := LintSource("c.json5", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rules(fs, false)
	// Without an environment: the bind is an unknown non-loopback value,
	// the token is configured, the hooks token comes from the env block.
	for _, id := range []string{"gateway.auth_no_rate_limit", "hooks.token_too_short"} {
		if !r[id] {
			t.Errorf("no env: want %s, got %v", id, r)
		}
	}
	for _, id := range []string{"gateway.bind_no_auth", "gateway.token_too_short", "gateway.loopback_no_auth", "config.schema_invalid"} {
		if r[id] {
			t.Errorf("no env: %s must not fire", id)
		}
	}
	fs, _ = LintSource("c.json5", []byte(src), Options{Env: lookup})
	r = rules(fs, false)
	if !r["gateway.auth_no_rate_limit"] || r["config.schema_invalid"] || r["gateway.token_too_short"] {
		t.Errorf("with env: %v", r)
	}
}

func TestSubstitute(t *testing.T) {
	c := &Config{env: func(k string) (string, bool) { return map[string]string{"A": "x", "E": ""}[k], k == "A" || k == "E" },
		cfgEnv: map[string]string{"B": "y", "A": "from-config"}}
	tests := []struct {
		in, out string
		ext     bool
	}{
		{"${A}-${B}", "x-y", false},
		{"$${A}", "${A}", false},
		{"${lower} ${A", "${lower} ${A", false},
		{"${MISSING}", "${MISSING}", true},
		{"${E}", "${E}", true}, // empty counts as missing, as in CoderClaw
	}
	for _, tt := range tests {
		out, ext := c.substitute(tt.in)
		if out != tt.out || ext != tt.ext {
			t.Errorf("%q: got %q %v, want %q %v", tt.in, out, ext, tt.out, tt.ext)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"coderclaw.json":                 `{ $include: "./conf/base.json5" }`,
		"conf/base.json5":                `{}`,
		"deploy/prod.coderclaw.json":     `{ $include: "./shared.coderclaw.json" }`,
		"deploy/shared.coderclaw.json":   `{}`,
		"ops/.coderclaw/coderclaw.json5": `{}`,
		"ops/.coderclaw/notes.md":        "",
		"ops/.coderclaw/frag.json5":      `{}`,
		"loop/coderclaw.json":            `{ $include: "./b.coderclaw.json" }`,
		"loop/b.coderclaw.json":          `{ $include: "./coderclaw.json" }`,
		"x/gateway.cfg.json":             `{}`,
		"package.json":                   `{}`,
	})
	var files []string
	for _, f := range []string{"coderclaw.json", "conf/base.json5", "deploy/prod.coderclaw.json", "deploy/shared.coderclaw.json",
		"ops/.coderclaw/coderclaw.json5", "ops/.coderclaw/notes.md", "ops/.coderclaw/frag.json5", "loop/coderclaw.json",
		"loop/b.coderclaw.json", "x/gateway.cfg.json", "package.json"} {
		files = append(files, f)
	}
	got := strings.Join(Discover(dir, files, []string{"x/**/*.cfg.json"}), " ")
	want := "coderclaw.json deploy/prod.coderclaw.json loop/b.coderclaw.json loop/coderclaw.json ops/.coderclaw/coderclaw.json5 ops/.coderclaw/frag.json5 x/gateway.cfg.json"
	if got != want {
		t.Errorf("Discover:\n got  %s\n want %s", got, want)
	}
}
