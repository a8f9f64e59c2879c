package coderclaw

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// browserProblem is why CoderClaw's browser config resolution would throw
// (then the audit reports browser.control_invalid_config and stops there).
func (c *Config) browserProblem() (val, string) {
	b := c.get("browser")
	if u := b.child("cdpUrl"); u.nonBlank() && !u.external() {
		s, _ := u.str()
		if _, err := parseCDPURL(s); err != nil {
			return u, "browser.cdpUrl " + err.Error()
		}
	}
	for _, prof := range b.child("profiles").members() {
		u := prof.child("cdpUrl")
		if !truthy(prof.child("cdpPort")) && !truthy(u) {
			return prof, fmt.Sprintf("browser profile %q sets neither cdpPort nor cdpUrl", prof.key())
		}
		if u.nonBlank() && !u.external() {
			s, _ := u.str()
			if _, err := parseCDPURL(s); err != nil {
				return u, fmt.Sprintf("browser profile %q cdpUrl %s", prof.key(), err)
			}
		}
	}
	return val{}, ""
}

func parseCDPURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("is not a valid URL")
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
		return u, nil
	}
	return nil, fmt.Errorf("must be an http(s) or ws(s) URL")
}

func isLoopbackHost(h string) bool {
	h = strings.Trim(strings.ToLower(h), "[]")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func init() {
	register(
		&Check{
			ID: "browser.control_invalid_config", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Browser control config looks invalid",
			Doc:         "CoderClaw cannot resolve the browser config: a malformed `browser.cdpUrl`, or a `browser.profiles.<name>` with neither `cdpPort` nor `cdpUrl`. Browser control then fails at run time, and the audit skips the other browser checks.",
			Bad:         `{ browser: { profiles: { work: { color: "#00AA00" } } } }`,
			Good:        `{ browser: { profiles: { work: { cdpPort: 18801, color: "#00AA00" } } }, gateway: { auth: { token: "${CODERCLAW_GATEWAY_TOKEN}" } } }`,
			Remediation: "Fix browser.cdpUrl / the browser profile so it has cdpPort or a valid cdpUrl.",
			Run: func(p *Pass) {
				if at, why := p.Config.browserProblem(); why != "" {
					p.report(at, "", why)
				}
			},
		},
		&Check{
			ID: "browser.control_no_auth", Severity: scan.SeverityCritical, Source: "audit",
			Title: "Browser control has no auth",
			Doc: "Browser control is on by default (`browser.enabled` defaults to true) and its HTTP routes use the gateway token or password. " +
				"Without one, any local process, or an SSRF to loopback, can drive a browser with your logged-in sessions. Fires on an empty config. " +
				"Set `gateway.auth.token` (CoderClaw generates one at start when browser control is on, but a checked-in config should not rely on it) or disable the browser.",
			Bad:         `{ browser: { enabled: true } }`,
			Good:        `{ browser: { enabled: false } }`,
			Remediation: "Set gateway.auth.token (recommended) or gateway.auth.password, or set browser.enabled=false.",
			Run: func(p *Pass) {
				if _, why := p.Config.browserProblem(); why != "" {
					return
				}
				b := p.Config.get("browser")
				d := p.Config.d()
				if !b.child("enabled").isFalse() && !d.hasToken && !d.hasPassword {
					at := b.child("enabled")
					if !at.exists() {
						at = p.Config.get("gateway.auth")
					}
					p.report(at.withPath("browser.enabled"), "", "browser control HTTP routes are enabled but no gateway.auth token/password is configured")
				}
			},
		},
		&Check{
			ID: "browser.remote_cdp_http", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Remote CDP uses HTTP",
			Doc:         "A browser profile whose Chrome DevTools endpoint is on another host over plain `http:` sends full browser control in clear text. Use HTTPS/TLS, a tailnet-only address or an encrypted tunnel.",
			Bad:         `{ browser: { enabled: true, cdpUrl: "http://10.0.0.5:9222" }, gateway: { auth: { token: "${CODERCLAW_GATEWAY_TOKEN}" } } }`,
			Good:        `{ browser: { enabled: true, cdpUrl: "https://browser.internal:9222" }, gateway: { auth: { token: "${CODERCLAW_GATEWAY_TOKEN}" } } }`,
			Remediation: "Prefer HTTPS/TLS or a tailnet-only endpoint for remote CDP.",
			Run: func(p *Pass) {
				if _, why := p.Config.browserProblem(); why != "" {
					return
				}
				b := p.Config.get("browser")
				if b.child("enabled").isFalse() {
					return
				}
				check := func(name string, u val) {
					if !u.nonBlank() || u.external() {
						return
					}
					s, _ := u.str()
					pu, err := parseCDPURL(s)
					if err != nil || pu.Scheme != "http" || isLoopbackHost(pu.Hostname()) {
						return
					}
					p.report(u, "", fmt.Sprintf("browser profile %q uses http CDP on a remote host; OK only tailnet-only or behind an encrypted tunnel", name))
				}
				check("coderclaw", b.child("cdpUrl"))
				for _, prof := range b.child("profiles").members() {
					check(prof.key(), prof.child("cdpUrl"))
				}
			},
		},
		&Check{
			ID: "logging.redact_off", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Tool summary redaction is disabled",
			Doc:         "`logging.redactSensitive: \"off\"` writes tool arguments and outputs, tokens included, to logs and status output. The default `\"tools\"` masks them.",
			Bad:         `{ logging: { redactSensitive: "off" } }`,
			Good:        `{ logging: { redactSensitive: "tools" } }`,
			Remediation: `Set logging.redactSensitive="tools".`,
			Fix:         "rewrites the value to `\"tools\"` in place (comments and formatting stay)",
			Run: func(p *Pass) {
				v := p.Config.get("logging.redactSensitive")
				if s, _ := v.str(); s == "off" {
					r := p.report(v, "", `logging.redactSensitive="off" can leak secrets into logs and status output`)
					r.fix = replaceString(v, "off", "tools", `logging.redactSensitive=off -> "tools"`)
				}
			},
		},
		&Check{
			ID: "tools.elevated.allowFrom.<provider>.wildcard", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Elevated exec allowlist contains wildcard",
			Doc:         "Elevated mode runs exec on the host, outside any sandbox. `\"*\"` in `tools.elevated.allowFrom.<provider>` approves everyone on that channel. List the operators' ids, or set `tools.elevated.enabled: false`.",
			Bad:         `{ tools: { elevated: { allowFrom: { telegram: ["*"] } } } }`,
			Good:        `{ tools: { elevated: { allowFrom: { telegram: ["123456789"] } } } }`,
			Remediation: "Replace \"*\" with the ids of the people allowed to use elevated mode.",
			Run: func(p *Pass) {
				if !p.Config.d().elevated {
					return
				}
				for _, prov := range p.Config.get("tools.elevated.allowFrom").members() {
					if e, ok := prov.find(func(s string) bool { return s == "*" }); ok {
						p.reportID("tools.elevated.allowFrom."+prov.key()+".wildcard", e.withPath(prov.path), "",
							fmt.Sprintf(`tools.elevated.allowFrom.%s includes "*", which approves everyone on that channel for elevated mode`, prov.key()))
					}
				}
			},
		},
		&Check{
			ID: "tools.elevated.allowFrom.<provider>.large", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Elevated exec allowlist is large",
			Doc:         "More than 25 entries in one elevated allowlist is rarely deliberate; every entry can run commands on the host. Tighten it.",
			Bad:         "{ tools: { elevated: { allowFrom: { discord: [" + strings.Repeat(`"u", `, 25) + `"u"] } } } }`,
			Good:        `{ tools: { elevated: { allowFrom: { discord: ["u1", "u2"] } } } }`,
			Remediation: "Tighten the elevated allowlist.",
			Run: func(p *Pass) {
				if !p.Config.d().elevated {
					return
				}
				for _, prov := range p.Config.get("tools.elevated.allowFrom").members() {
					l := prov.list()
					wild := false
					for _, s := range l {
						wild = wild || s == "*"
					}
					if !wild && len(l) > 25 {
						p.reportID("tools.elevated.allowFrom."+prov.key()+".large", prov, "",
							fmt.Sprintf("tools.elevated.allowFrom.%s has %d entries; consider tightening elevated access", prov.key(), len(l)))
					}
				}
			},
		},
		&Check{
			ID: "config.secrets.gateway_password_in_config", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Gateway password is stored in the config",
			Doc:         "A literal `gateway.auth.password` in a checked-in config is a leaked credential. Reference an environment variable instead (`\"${CODERCLAW_GATEWAY_PASSWORD}\"`) or drop the key and set `CODERCLAW_GATEWAY_PASSWORD`. The finding names the setting, never the value.",
			Bad:         `{ gateway: { auth: { mode: "password", password: "hunter2-but-longer" } } }`,
			Good:        `{ gateway: { auth: { mode: "password", password: "${CODERCLAW_GATEWAY_PASSWORD}" } } }`,
			Remediation: "Use the CODERCLAW_GATEWAY_PASSWORD env var (or \"${CODERCLAW_GATEWAY_PASSWORD}\") and rotate the password.",
			Run: func(p *Pass) {
				v := p.Config.get("gateway.auth.password")
				if strings.TrimSpace(v.raw()) != "" && !isEnvRef(v.raw()) {
					p.report(v, "", "gateway.auth.password is written in the config file (value not shown)")
				}
			},
		},
		&Check{
			ID: "config.secrets.hooks_token_in_config", Severity: scan.SeverityInfo, Source: "audit",
			Title:       "Hooks token is stored in the config",
			Doc:         "With hooks enabled, a literal `hooks.token` in the config is a credential in git. Prefer `\"${VAR}\"` and keep file permissions tight. The finding names the setting, never the value.",
			Bad:         `{ hooks: { enabled: true, token: "0123456789abcdef0123456789abcdef", defaultSessionKey: "hook:ingress", allowedAgentIds: ["main"] } }`,
			Good:        `{ hooks: { enabled: true, token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress", allowedAgentIds: ["main"] } }`,
			Remediation: "Reference the token from the environment (\"${HOOKS_TOKEN}\") and rotate it.",
			Run: func(p *Pass) {
				h := p.Config.get("hooks")
				v := h.child("token")
				if h.child("enabled").isTrue() && strings.TrimSpace(v.raw()) != "" && !isEnvRef(v.raw()) {
					p.report(v, "", "hooks.token is written in the config file (value not shown)")
				}
			},
		},
	)
}

// replaceString is the --fix edit that rewrites the string value from to
// to in place, keeping the quote character it was written with. A value
// that is from only after ${VAR} substitution is left alone: the file
// holds the reference, and replacing it would drop the variable.
func replaceString(v val, from, to, change string) *edit {
	if !v.isKind(jsonString) || v.raw() != from {
		return nil
	}
	src := v.n.Doc.Src
	q := byte('"')
	if v.n.Start < len(src) && src[v.n.Start] == '\'' {
		q = '\''
	}
	return &edit{at: loc{v.n.Doc, v.n.Start}, end: v.n.End, text: string(q) + to + string(q), change: change}
}
