package coderclaw

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// sandboxScope is agents.defaults.sandbox or one agents.list[i].sandbox.
type sandboxScope struct {
	sb   val
	mode string // resolved mode of that scope
}

func (c *Config) sandboxScopes() []sandboxScope {
	def := c.get("agents.defaults.sandbox")
	out := []sandboxScope{{def, def.child("mode").strOr("off")}}
	list := c.get("agents.list")
	for i, a := range list.elems() {
		a = a.withPath(elemPath(list, i, a))
		out = append(out, sandboxScope{a.child("sandbox"), c.agentMode(a)})
	}
	return out
}

var blockedHostPaths = []string{"/etc", "/private/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/run", "/var/run", "/private/var/run"}

// bindSource is the host side of a docker bind "src:dst[:mode]".
func bindSource(b string) string {
	if i := strings.IndexByte(b, ':'); i >= 0 {
		return b[:i]
	}
	return b
}

func dangerousBind(src string) bool {
	p := path.Clean(src)
	if p == "/" {
		return true
	}
	for _, b := range blockedHostPaths {
		if p == b || strings.HasPrefix(p, b+"/") {
			return true
		}
	}
	return false
}

const sandboxGood = `{
  agents: {
    defaults: {
      sandbox: {
        mode: "all",
        scope: "agent",
        docker: { network: "none", binds: ["/srv/data:/data:ro"] },
      },
    },
  },
}`

// dockerValueCheck builds the sandbox.dangerous_* checks on one docker key.
func dockerValueCheck(id, key, bad, title, doc string) *Check {
	return &Check{
		ID: id, Severity: scan.SeverityCritical, Source: "audit",
		Title: title, Doc: doc + " CoderClaw's schema also rejects the value, so the whole config is ignored (see `config.schema_invalid`).",
		Bad:         fmt.Sprintf(`{ agents: { defaults: { sandbox: { mode: "all", docker: { %s: %q } } } } }`, key, bad),
		Good:        sandboxGood,
		Remediation: "Remove it; use the default.",
		Run: func(p *Pass) {
			for _, s := range p.Config.sandboxScopes() {
				v := s.sb.at("docker", key)
				if str, ok := v.str(); ok && strings.EqualFold(strings.TrimSpace(str), bad) {
					p.report(v, "", fmt.Sprintf("%s=%q removes a container isolation layer", v.path, str))
				}
			}
		},
	}
}

func init() {
	register(
		&Check{
			ID: "sandbox.docker_config_mode_off", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Sandbox Docker config present but inactive",
			Doc:         "A `sandbox.docker` block looks like isolation, but with sandbox `mode: \"off\"` (the default) tools run on the host and the block does nothing. Enable `mode: \"non-main\"` or `\"all\"`, or delete the block.",
			Bad:         `{ agents: { defaults: { sandbox: { docker: { network: "none" } } } } }`,
			Good:        sandboxGood,
			Remediation: `Enable sandbox mode ("non-main" or "all") or remove the docker block.`,
			Run: func(p *Pass) {
				scopes := p.Config.sandboxScopes()
				anyOn := false
				for _, s := range scopes[1:] {
					anyOn = anyOn || s.mode != "off"
				}
				for i, s := range scopes {
					d := s.sb.child("docker")
					if d.size() == 0 || s.mode != "off" || i == 0 && anyOn {
						continue
					}
					p.report(d, "", s.sb.path+".docker is set but the sandbox mode is off, so tools run on the host")
				}
			},
		},
		&Check{
			ID: "sandbox.bind_mount_non_absolute", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Sandbox bind mount uses a relative source",
			Doc:         "A docker bind whose host side is not absolute resolves against wherever the gateway runs, so what gets mounted is not what the config says. CoderClaw's schema rejects it too.",
			Bad:         `{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["data:/data"] } } } } }`,
			Good:        sandboxGood,
			Remediation: "Use an absolute host path.",
			Run: func(p *Pass) {
				for _, s := range p.Config.sandboxScopes() {
					binds := s.sb.at("docker", "binds")
					for _, e := range binds.elems() {
						if b, ok := e.str(); ok && strings.TrimSpace(b) != "" && !strings.HasPrefix(bindSource(strings.TrimSpace(b)), "/") {
							p.report(e.withPath(binds.path), "", fmt.Sprintf("bind %q has a non-absolute host path", b))
						}
					}
				}
			},
		},
		&Check{
			ID: "sandbox.dangerous_bind_mount", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Sandbox mounts a sensitive host path",
			Doc:         "Mounting `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/root`, `/boot`, `/run`, `/var/run` (or anything under them, such as `docker.sock`) into the sandbox hands the host to whatever runs inside.",
			Bad:         `{ agents: { defaults: { sandbox: { mode: "all", docker: { binds: ["/var/run/docker.sock:/var/run/docker.sock"] } } } } }`,
			Good:        sandboxGood,
			Remediation: "Remove the bind mount.",
			Run: func(p *Pass) {
				for _, s := range p.Config.sandboxScopes() {
					binds := s.sb.at("docker", "binds")
					for _, e := range binds.elems() {
						b, _ := e.str()
						if src := bindSource(strings.TrimSpace(b)); strings.HasPrefix(src, "/") && dangerousBind(src) {
							p.report(e.withPath(binds.path), "", fmt.Sprintf("bind mounts the host path %q into the sandbox", src))
						}
					}
				}
			},
		},
		dockerValueCheck("sandbox.dangerous_network_mode", "network", "host", "Sandbox uses host networking",
			"`docker.network: \"host\"` gives the sandbox the host's network stack: loopback services, the gateway itself, cloud metadata. Use `bridge` or `none`."),
		dockerValueCheck("sandbox.dangerous_seccomp_profile", "seccompProfile", "unconfined", "Sandbox disables seccomp",
			"`docker.seccompProfile: \"unconfined\"` removes the syscall filter that keeps container escapes hard. Remove it or point it at a profile file."),
		dockerValueCheck("sandbox.dangerous_apparmor_profile", "apparmorProfile", "unconfined", "Sandbox disables AppArmor",
			"`docker.apparmorProfile: \"unconfined\"` removes the AppArmor confinement of the sandbox. Use a named profile."),
		&Check{
			ID: "sandbox.shared_scope", Severity: scan.SeverityWarn, Source: "clawgate",
			Title:       "Sandbox scope is shared across agents",
			Doc:         "`sandbox.scope: \"shared\"` runs every agent in one container and workspace, so one agent's session can read or change another's files, and per-agent docker/browser overrides are ignored. Keep `\"agent\"` (default) or `\"session\"`.",
			Bad:         `{ agents: { defaults: { sandbox: { mode: "all", scope: "shared" } } } }`,
			Good:        sandboxGood,
			Remediation: `Use sandbox scope "agent" (default) or "session".`,
			Run: func(p *Pass) {
				for _, s := range p.Config.sandboxScopes() {
					if v := s.sb.child("scope"); v.strOr("") == "shared" {
						p.report(v, "", v.path+`="shared" puts all agents in one container and workspace`)
					}
				}
			},
		},
		&Check{
			ID: "tools.profile_minimal_overridden", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Agent overrides the global minimal tool profile",
			Doc:         "`tools.profile: \"minimal\"` is a deliberate lock-down; an agent with its own wider `tools.profile` silently escapes it. Set those agents to minimal or remove the override.",
			Bad:         `{ tools: { profile: "minimal" }, agents: { list: [{ id: "main", tools: { profile: "full" } }] } }`,
			Good:        `{ tools: { profile: "minimal" }, agents: { list: [{ id: "main" }] } }`,
			Remediation: "Set these agents to minimal, or remove the per-agent profile.",
			Run: func(p *Pass) {
				if p.Config.get("tools.profile").strOr("") != "minimal" {
					return
				}
				list := p.Config.get("agents.list")
				for i, a := range list.elems() {
					pr := a.withPath(elemPath(list, i, a)).at("tools", "profile")
					if s, ok := pr.str(); ok && s != "minimal" {
						p.report(pr, "", fmt.Sprintf("%s=%q overrides the global minimal profile", pr.path, s))
					}
				}
			},
		},
		&Check{
			ID: "models.legacy", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Legacy model configured",
			Doc:         "GPT-3.5, Claude 2/Instant and the 2023 GPT-4 snapshots follow injected instructions far more readily than current models. Use a modern model.",
			Bad:         `{ agents: { defaults: { model: { primary: "openai/gpt-3.5-turbo" } } } }`,
			Good:        `{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }`,
			Remediation: "Use a modern model (GPT-5+ or Claude 4.5+).",
			Run: func(p *Pass) {
				for _, m := range p.Config.models(true) {
					if legacyModel(m.id) {
						p.report(m.v, "", fmt.Sprintf("%s is a legacy model (%s)", m.v.path, m.id))
					}
				}
			},
		},
		&Check{
			ID: "models.weak_tier", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Weak model tier configured",
			Doc:         "Haiku, pre-GPT-5 and pre-Claude-4.5 models resist prompt injection less well; with tools attached that is a security property, not a cost one.",
			Bad:         `{ agents: { defaults: { model: { primary: "anthropic/claude-3-5-haiku" } } } }`,
			Good:        `{ agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-5" } } } }`,
			Remediation: "Use GPT-5+ or Claude 4.5+; avoid Haiku tiers for tool-enabled agents.",
			Run: func(p *Pass) {
				for _, m := range p.Config.models(true) {
					if !legacyModel(m.id) && weakModel(m.id) {
						p.report(m.v, "", fmt.Sprintf("%s is a weaker model tier (%s)", m.v.path, m.id))
					}
				}
			},
		},
		&Check{
			ID: "models.small_params", Severity: scan.SeverityInfo, Source: "audit",
			Escalation: "critical when the model's agent can reach web_search, web_fetch or browser, or is not sandboxed with mode \"all\"",
			Title:      "Small model configured",
			Doc: "Models of 300B parameters or fewer (size read from ids like `llama3.1:8b`) are much easier to hijack with injected content. " +
				"It is only tolerable when the agent runs in a full sandbox and cannot reach untrusted content. " +
				"Reported per model field (the audit reports one finding; the severity rule is the same).",
			Bad:         `{ agents: { defaults: { model: { primary: "ollama/llama3.1:8b" } } } }`,
			Good:        `{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }`,
			Remediation: `If you must, set agents.defaults.sandbox.mode="all" and tools.deny=["group:web","browser"].`,
			Run: func(p *Pass) {
				ctxs := p.Config.toolContexts()
				for _, m := range p.Config.models(false) {
					size, ok := modelSizeB(m.id)
					if !ok || size > 300 {
						continue
					}
					ctx := ctxs[0]
					if m.agent > 0 {
						ctx = ctxs[m.agent]
					}
					sev := scan.SeverityInfo
					reach := p.Config.untrustedReach(ctx)
					if ctx.sandbox != "all" || len(reach) > 0 {
						sev = scan.SeverityCritical
					}
					msg := fmt.Sprintf("%s is a small model (%gB)", m.v.path, size)
					if sev == scan.SeverityCritical {
						msg += "; its agent is not fully sandboxed or can reach untrusted content"
						if len(reach) > 0 {
							msg += " (" + strings.Join(reach, ", ") + ")"
						}
					}
					p.report(m.v, sev, msg)
				}
			},
		},
	)
}

type modelRef struct {
	v     val
	id    string
	agent int // 0 for defaults, i+1 for agents.list[i]
}

// models lists the model ids the audit scans; image models only when asked.
func (c *Config) models(withImage bool) []modelRef {
	var out []modelRef
	add := func(v val, agent int) {
		switch {
		case v.isKind(jsonString):
			if s, _ := v.str(); strings.TrimSpace(s) != "" {
				out = append(out, modelRef{v, strings.TrimSpace(s), agent})
			}
		case v.isKind(jsonObject):
			p := v.child("primary")
			if s, ok := p.str(); ok && strings.TrimSpace(s) != "" {
				out = append(out, modelRef{p, strings.TrimSpace(s), agent})
			}
			fb := v.child("fallbacks")
			for _, e := range fb.elems() {
				if s, ok := e.str(); ok && strings.TrimSpace(s) != "" {
					out = append(out, modelRef{e, strings.TrimSpace(s), agent})
				}
			}
		}
	}
	def := c.get("agents.defaults")
	add(def.child("model"), 0)
	if withImage {
		add(def.child("imageModel"), 0)
	}
	list := c.get("agents.list")
	for i, a := range list.elems() {
		add(a.withPath(elemPath(list, i, a)).child("model"), i+1)
	}
	return out
}

var legacyRes = []*regexp.Regexp{
	regexp.MustCompile(`\bgpt-3\.5\b`),
	regexp.MustCompile(`\bclaude-(instant|2)\b`),
	regexp.MustCompile(`\bgpt-4-(0314|0613)\b`),
}

func legacyModel(id string) bool {
	id = strings.ToLower(id)
	for _, re := range legacyRes {
		if re.MatchString(id) {
			return true
		}
	}
	return false
}

var (
	claude45  = regexp.MustCompile(`(?:^|[^0-9])4(?:[-.]?)([5-9])(?:[^0-9]|$)`)
	claudeMaj = regexp.MustCompile(`claude-(?:[a-z]+-)*([5-9]|[1-9][0-9])(?:[-.]|$)`)
)

func weakModel(id string) bool {
	id = strings.ToLower(id)
	if strings.Contains(id, "haiku") {
		return true
	}
	if strings.Contains(id, "gpt-") && !strings.Contains(id, "gpt-5") {
		return true
	}
	if i := strings.Index(id, "claude-"); i >= 0 {
		rest := id[i:]
		return !claude45.MatchString(rest) && !claudeMaj.MatchString(rest)
	}
	return false
}

var sizeRe = regexp.MustCompile(`(?:^|[^a-z0-9])[a-z]?(\d+(?:\.\d+)?)b(?:[^a-z0-9]|$)`)

// modelSizeB infers the parameter count in billions from the id; the
// largest match wins.
func modelSizeB(id string) (float64, bool) {
	id = strings.ToLower(id)
	best, ok := 0.0, false
	// FindAll consumes separators like the audit's global regex does.
	for _, m := range sizeRe.FindAllStringSubmatch(id, -1) {
		if f, err := strconv.ParseFloat(m[1], 64); err == nil && f > 0 && f > best {
			best, ok = f, true
		}
	}
	return best, ok
}

// untrustedReach lists the untrusted-content tools a context can use.
func (c *Config) untrustedReach(ctx toolCtx) []string {
	var out []string
	if c.webSearchEnabled() && ctx.allows("web_search") {
		out = append(out, "web_search")
	}
	if !c.get("tools.web.fetch.enabled").isFalse() && ctx.allows("web_fetch") {
		out = append(out, "web_fetch")
	}
	if !c.get("browser.enabled").isFalse() && ctx.allows("browser") {
		out = append(out, "browser")
	}
	return out
}

func (c *Config) webSearchEnabled() bool {
	s := c.get("tools.web.search")
	if e := s.child("enabled"); e.isKind(jsonBool) {
		return e.n.Bool
	}
	if s.child("apiKey").nonBlank() || s.at("perplexity", "apiKey").nonBlank() {
		return true
	}
	for _, k := range []string{"BRAVE_API_KEY", "PERPLEXITY_API_KEY", "OPENROUTER_API_KEY"} {
		if v, ok := c.lookupEnv(k); ok && v != "" {
			return true
		}
	}
	return false
}
