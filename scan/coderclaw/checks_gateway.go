package coderclaw

import (
	"fmt"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// derived holds the values the audit computes once and many checks share.
type derived struct {
	bind           string // gateway.bind, default "loopback"
	loopback       bool   // bind is exactly "loopback"
	tailscale      string // gateway.tailscale.mode, default "off"
	authMode       string // explicit or inferred: token, password, trusted-proxy, none
	hasToken       bool
	hasPassword    bool
	sharedSecret   bool // a usable secret for the resolved mode
	gatewayAuth    bool // shared secret, or Tailscale Serve identity
	controlUI      bool
	remoteExposure bool
	elevated       bool
}

func (c *Config) d() *derived {
	if c.derived != nil {
		return c.derived
	}
	d := &derived{}
	g := c.get("gateway")
	d.bind = "loopback"
	if b := g.child("bind"); b.isKind(jsonString) {
		d.bind = b.strOr("")
	}
	d.loopback = d.bind == "loopback"
	d.tailscale = g.at("tailscale", "mode").strOr("off")
	auth := g.child("auth")
	d.hasToken = auth.child("token").nonBlank()
	d.hasPassword = auth.child("password").nonBlank()
	if m, ok := auth.child("mode").str(); ok {
		d.authMode = m
	} else if setJS(auth.child("password")) {
		d.authMode = "password"
	} else if setJS(auth.child("token")) {
		d.authMode = "token"
	} else {
		d.authMode = "none"
	}
	d.sharedSecret = d.authMode == "token" && d.hasToken || d.authMode == "password" && d.hasPassword
	allowTS := d.tailscale == "serve" && d.authMode != "password" && d.authMode != "trusted-proxy"
	if at := auth.child("allowTailscale"); at.isKind(jsonBool) {
		allowTS = at.n.Bool
	}
	d.gatewayAuth = d.sharedSecret || allowTS && d.tailscale == "serve"
	d.controlUI = !g.at("controlUi", "enabled").isFalse()
	d.remoteExposure = !d.loopback || d.tailscale == "serve" || d.tailscale == "funnel"
	d.elevated = !c.get("tools.elevated.enabled").isFalse()
	c.derived = d
	return d
}

// setJS is JavaScript truthiness of a string setting (non-empty).
func setJS(v val) bool {
	s, ok := v.str()
	return ok && s != ""
}

var defaultHTTPToolDeny = []string{"sessions_spawn", "sessions_send", "gateway", "whatsapp_login"}

const authExample = `{
  gateway: {
    bind: "loopback",
    auth: { mode: "token", token: "${CODERCLAW_GATEWAY_TOKEN}" },
  },
}`

func init() {
	register(
		&Check{
			ID: "gateway.bind_no_auth", Severity: scan.SeverityCritical, Source: "audit",
			Title: "Gateway binds beyond loopback without auth",
			Doc: "`gateway.bind` other than `\"loopback\"` (`lan`, `auto`, `tailnet`, `custom`) listens on a network interface, " +
				"and without a token or password anyone who reaches the port controls the assistant: its tools, channels and config. " +
				"Set `gateway.auth` (a long random token, best supplied as `${VAR}`) or bind to loopback. Trusted-proxy mode is exempt (it has its own checks).",
			Bad:         `{ gateway: { bind: "lan" } }`,
			Good:        `{ gateway: { bind: "lan", auth: { mode: "token", token: "${CODERCLAW_GATEWAY_TOKEN}", rateLimit: {} } } }`,
			Remediation: "Set gateway.auth (token recommended) or bind to loopback.",
			Run: func(p *Pass) {
				d := p.Config.d()
				if !d.loopback && !d.sharedSecret && d.authMode != "trusted-proxy" {
					p.report(p.Config.get("gateway.bind"), "", fmt.Sprintf("gateway.bind=%q but no gateway.auth token/password is configured", d.bind))
				}
			},
		},
		&Check{
			ID: "gateway.loopback_no_auth", Severity: scan.SeverityCritical, Source: "audit",
			Title: "Gateway auth missing on loopback",
			Doc: "Even on loopback, a reverse proxy or another local process can reach the Control UI; without a gateway secret it is unauthenticated. " +
				"Fires on an empty config, because CoderClaw's defaults are loopback, Control UI on, no auth. Set `gateway.auth.token` (or password), " +
				"or disable the Control UI with `gateway.controlUi.enabled: false`. Tailscale Serve identity (`tailscale.mode: \"serve\"`) also counts as auth.",
			Bad:         `{ gateway: { bind: "loopback" } }`,
			Good:        authExample,
			Remediation: "Set gateway.auth (token recommended) or keep the Control UI local-only.",
			Run: func(p *Pass) {
				d := p.Config.d()
				if d.loopback && d.controlUI && !d.gatewayAuth {
					p.report(p.Config.get("gateway.auth"), "", "gateway.bind is loopback but no gateway auth secret is configured; if the Control UI is reverse-proxied, access is unauthenticated")
				}
			},
		},
		&Check{
			ID: "gateway.trusted_proxies_missing", Severity: scan.SeverityWarn, Source: "audit",
			Title: "Reverse proxy headers are not trusted",
			Doc: "On loopback with the Control UI on and no `gateway.trustedProxies`, a reverse proxy in front of the gateway makes every client look local. " +
				"List the proxy addresses, or keep the UI local-only. Fires on an empty config (the audit's default-config warning); accept it with a baseline " +
				"entry or an inline ignore if no proxy is used.",
			Bad:         `{ gateway: { bind: "loopback" } }`,
			Good:        `{ gateway: { bind: "loopback", trustedProxies: ["127.0.0.1"] } }`,
			Remediation: "Set gateway.trustedProxies to your proxy IPs or keep the Control UI local-only.",
			Run: func(p *Pass) {
				d := p.Config.d()
				tp := p.Config.get("gateway.trustedProxies")
				if d.loopback && d.controlUI && tp.size() == 0 {
					p.report(tp, "", "gateway.bind is loopback and gateway.trustedProxies is empty")
				}
			},
		},
		&Check{
			ID: "gateway.tools_invoke_http.dangerous_allow", Severity: scan.SeverityWarn, Source: "audit",
			Escalation: "critical when gateway.bind is not loopback or Tailscale Funnel is on",
			Title:      "Gateway HTTP /tools/invoke re-enables dangerous tools",
			Doc: "`POST /tools/invoke` denies `sessions_spawn`, `sessions_send`, `gateway` and `whatsapp_login` by default. Listing one in " +
				"`gateway.tools.allow` lets any holder of the gateway secret spawn sessions or change config over HTTP. Remove them; if you keep them, " +
				"stay loopback/tailnet-only and treat the gateway secret as full admin.",
			Bad:         `{ gateway: { tools: { allow: ["gateway"] } } }`,
			Good:        `{ gateway: { tools: { allow: ["web_search"] } } }`,
			Remediation: "Remove these entries from gateway.tools.allow.",
			Run: func(p *Pass) {
				d := p.Config.d()
				allow := p.Config.get("gateway.tools.allow")
				var names []string
				var first val
				for _, e := range allow.elems() {
					s, _ := e.str()
					s = strings.ToLower(strings.TrimSpace(s))
					for _, t := range defaultHTTPToolDeny {
						if s == t {
							if names == nil {
								first = e
							}
							names = append(names, t)
						}
					}
				}
				if names == nil {
					return
				}
				sev := scan.SeverityWarn
				if !d.loopback || d.tailscale == "funnel" {
					sev = scan.SeverityCritical
				}
				p.report(first.withPath(allow.path), sev, "gateway.tools.allow includes "+strings.Join(names, ", ")+", which the HTTP tool endpoint denies by default")
			},
		},
		&Check{
			ID: "gateway.tailscale_funnel", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Tailscale Funnel exposure enabled",
			Doc:         "`gateway.tailscale.mode: \"funnel\"` publishes the gateway on the public internet. Use `serve` (tailnet only) or `off`.",
			Bad:         `{ gateway: { tailscale: { mode: "funnel" } } }`,
			Good:        `{ gateway: { tailscale: { mode: "serve" } } }`,
			Remediation: `Prefer tailscale.mode="serve" (tailnet-only) or "off".`,
			Run: func(p *Pass) {
				if p.Config.d().tailscale == "funnel" {
					p.report(p.Config.get("gateway.tailscale.mode"), "", `gateway.tailscale.mode="funnel" exposes the gateway publicly`)
				}
			},
		},
		&Check{
			ID: "gateway.tailscale_serve", Severity: scan.SeverityInfo, Source: "audit",
			Title:       "Tailscale Serve exposure enabled",
			Doc:         "`gateway.tailscale.mode: \"serve\"` exposes the gateway to your tailnet. Informational: know who is on the tailnet.",
			Bad:         `{ gateway: { tailscale: { mode: "serve" } } }`,
			Good:        `{ gateway: { tailscale: { mode: "off" } } }`,
			Remediation: "None needed; keep the tailnet membership tight.",
			Run: func(p *Pass) {
				if p.Config.d().tailscale == "serve" {
					p.report(p.Config.get("gateway.tailscale.mode"), "", `gateway.tailscale.mode="serve" exposes the gateway to your tailnet`)
				}
			},
		},
		&Check{
			ID: "gateway.control_ui.insecure_auth", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Control UI allows insecure HTTP auth",
			Doc:         "`gateway.controlUi.allowInsecureAuth: true` lets the Control UI fall back to token-only auth over plain HTTP and skip device pairing. Use HTTPS (Tailscale Serve) or open the UI on 127.0.0.1.",
			Bad:         `{ gateway: { controlUi: { allowInsecureAuth: true } } }`,
			Good:        `{ gateway: { controlUi: { allowInsecureAuth: false } } }`,
			Remediation: "Disable it or switch to HTTPS (Tailscale Serve) or localhost.",
			Run: func(p *Pass) {
				if v := p.Config.get("gateway.controlUi.allowInsecureAuth"); v.isTrue() {
					p.report(v, "", "gateway.controlUi.allowInsecureAuth=true allows token-only auth over HTTP and skips device identity")
				}
			},
		},
		&Check{
			ID: "gateway.control_ui.device_auth_disabled", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "DANGEROUS: Control UI device auth disabled",
			Doc:         "`gateway.controlUi.dangerouslyDisableDeviceAuth: true` turns off device identity checks for the Control UI. Break-glass only; never commit it.",
			Bad:         `{ gateway: { controlUi: { dangerouslyDisableDeviceAuth: true } } }`,
			Good:        `{ gateway: { controlUi: {} } }`,
			Remediation: "Disable it unless you are in a short-lived break-glass scenario.",
			Run: func(p *Pass) {
				if v := p.Config.get("gateway.controlUi.dangerouslyDisableDeviceAuth"); v.isTrue() {
					p.report(v, "", "gateway.controlUi.dangerouslyDisableDeviceAuth=true disables device identity checks")
				}
			},
		},
		&Check{
			ID: "gateway.token_too_short", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Gateway token looks short",
			Doc:         "A gateway token under 24 characters is easier to guess or brute-force. Generate a long random one (`coderclaw doctor --generate-gateway-token`). A `${VAR}` token the environment does not supply is not measured.",
			Bad:         `{ gateway: { auth: { mode: "token", token: "short-token" } } }`,
			Good:        authExample,
			Remediation: "Use a long random token (at least 24 characters).",
			Run: func(p *Pass) {
				d := p.Config.d()
				tok := p.Config.get("gateway.auth.token")
				if d.authMode != "token" || !d.hasToken || tok.external() {
					return
				}
				s, _ := tok.str()
				if n := len([]rune(strings.TrimSpace(s))); n < 24 {
					p.report(tok, "", fmt.Sprintf("gateway auth token is %d characters; prefer a long random token", n))
				}
			},
		},
		&Check{
			ID: "gateway.trusted_proxy_auth", Severity: scan.SeverityCritical, Source: "audit",
			Title: "Trusted-proxy auth mode enabled",
			Doc: "`gateway.auth.mode: \"trusted-proxy\"` hands authentication to a reverse proxy. The audit always reports it as critical so the choice is reviewed: " +
				"the proxy must terminate TLS and authenticate, `trustedProxies` must list only proxy IPs, and the gateway port must be firewalled. Accept it with an inline ignore once verified.",
			Bad:         `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } }, trustedProxies: ["10.0.0.2"] } }`,
			Good:        authExample,
			Remediation: "Verify the proxy terminates TLS and authenticates, trustedProxies lists only proxy IPs, and the port is firewalled.",
			Run: func(p *Pass) {
				if p.Config.d().authMode == "trusted-proxy" {
					p.report(p.Config.get("gateway.auth.mode"), "", `gateway.auth.mode="trusted-proxy" delegates authentication to a reverse proxy`)
				}
			},
		},
		&Check{
			ID: "gateway.trusted_proxy_no_proxies", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Trusted-proxy auth enabled but no trusted proxies configured",
			Doc:         "Trusted-proxy mode with an empty `gateway.trustedProxies` rejects every request, or invites someone to widen it in a hurry. List the proxy IPs.",
			Bad:         `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } } } }`,
			Good:        `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } }, trustedProxies: ["10.0.0.2"] } }`,
			Remediation: "Set gateway.trustedProxies to the IP(s) of your reverse proxy.",
			Run: func(p *Pass) {
				tp := p.Config.get("gateway.trustedProxies")
				if p.Config.d().authMode == "trusted-proxy" && tp.size() == 0 {
					p.report(tp, "", `gateway.auth.mode="trusted-proxy" but gateway.trustedProxies is empty`)
				}
			},
		},
		&Check{
			ID: "gateway.trusted_proxy_no_user_header", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Trusted-proxy auth missing userHeader config",
			Doc:         "Trusted-proxy mode needs `gateway.auth.trustedProxy.userHeader`, the header the proxy sets to the authenticated user.",
			Bad:         `{ gateway: { auth: { mode: "trusted-proxy" }, trustedProxies: ["10.0.0.2"] } }`,
			Good:        `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } }, trustedProxies: ["10.0.0.2"] } }`,
			Remediation: `Set gateway.auth.trustedProxy.userHeader (e.g. "x-forwarded-user").`,
			Run: func(p *Pass) {
				h := p.Config.get("gateway.auth.trustedProxy.userHeader")
				if p.Config.d().authMode == "trusted-proxy" && !setJS(h) {
					p.report(h, "", `gateway.auth.mode="trusted-proxy" but gateway.auth.trustedProxy.userHeader is not configured`)
				}
			},
		},
		&Check{
			ID: "gateway.trusted_proxy_no_allowlist", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Trusted-proxy auth allows all authenticated users",
			Doc:         "With an empty `gateway.auth.trustedProxy.allowUsers`, anyone your proxy authenticates can use the gateway. Restrict it to the operators.",
			Bad:         `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } } } }`,
			Good:        `{ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", allowUsers: ["nick@example.com"] } } } }`,
			Remediation: "Set gateway.auth.trustedProxy.allowUsers to specific users.",
			Run: func(p *Pass) {
				u := p.Config.get("gateway.auth.trustedProxy.allowUsers")
				if p.Config.d().authMode == "trusted-proxy" && u.size() == 0 {
					p.report(u, "", "gateway.auth.trustedProxy.allowUsers is empty, so any user your proxy authenticates can access the gateway")
				}
			},
		},
		&Check{
			ID: "gateway.auth_no_rate_limit", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "No auth rate limiting configured",
			Doc:         "A gateway reachable from the network without `gateway.auth.rateLimit` lets anyone try tokens as fast as they like. Any `rateLimit` object enables the defaults.",
			Bad:         `{ gateway: { bind: "lan", auth: { token: "${CODERCLAW_GATEWAY_TOKEN}" } } }`,
			Good:        `{ gateway: { bind: "lan", auth: { token: "${CODERCLAW_GATEWAY_TOKEN}", rateLimit: { maxAttempts: 10, windowMs: 60000, lockoutMs: 300000 } } } }`,
			Remediation: "Set gateway.auth.rateLimit (e.g. { maxAttempts: 10, windowMs: 60000, lockoutMs: 300000 }).",
			Run: func(p *Pass) {
				d := p.Config.d()
				rl := p.Config.get("gateway.auth.rateLimit")
				if !d.loopback && d.authMode != "trusted-proxy" && !truthy(rl) {
					p.report(rl, "", "gateway.bind is not loopback but no gateway.auth.rateLimit is configured")
				}
			},
		},
		&Check{
			ID: "gateway.http.session_key_override_enabled", Severity: scan.SeverityInfo, Source: "audit",
			Title:       "HTTP API session-key override is enabled",
			Doc:         "The OpenAI-compatible endpoints (`chatCompletions`, `responses`) accept the `x-coderclaw-session-key` header, so any API credential holder can pick a session. Treat them as trusted.",
			Bad:         `{ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } }`,
			Good:        `{ gateway: { http: { endpoints: { chatCompletions: { enabled: false } } } } }`,
			Remediation: "Treat API credential holders as trusted, or disable the endpoints.",
			Run: func(p *Pass) {
				for _, ep := range []string{"chatCompletions", "responses"} {
					if v := p.Config.get("gateway.http.endpoints." + ep + ".enabled"); v.isTrue() {
						p.report(v, "", "gateway.http.endpoints."+ep+" is enabled and accepts the x-coderclaw-session-key header")
					}
				}
			},
		},
		&Check{
			ID: "gateway.nodes.deny_commands_ineffective", Severity: scan.SeverityWarn, Source: "audit",
			Title: "Some gateway.nodes.denyCommands entries are ineffective",
			Doc: "`gateway.nodes.denyCommands` matches exact command names only. Patterns (`system.*`, `/run/`, `group:`) and names no node " +
				"platform knows deny nothing, so the command you meant to block stays allowed. Use exact names such as `system.run`.",
			Bad:         `{ gateway: { nodes: { denyCommands: ["system.*"] } } }`,
			Good:        `{ gateway: { nodes: { denyCommands: ["system.run"] } } }`,
			Remediation: "Use exact command names (for example system.run).",
			Run: func(p *Pass) {
				deny := p.Config.get("gateway.nodes.denyCommands")
				known := map[string]bool{}
				for _, c := range knownNodeCommands {
					known[c] = true
				}
				for _, c := range p.Config.get("gateway.nodes.allowCommands").list() {
					known[c] = true
				}
				var bad []string
				var first val
				for _, e := range deny.elems() {
					s, ok := e.str()
					s = strings.TrimSpace(s)
					if !ok || s == "" {
						continue
					}
					why := ""
					if patternLike(s) {
						why = "pattern"
					} else if !known[s] {
						why = "unknown command"
					}
					if why != "" {
						if bad == nil {
							first = e
						}
						bad = append(bad, fmt.Sprintf("%q (%s)", s, why))
					}
				}
				if bad != nil {
					p.report(first.withPath(deny.path), "", "gateway.nodes.denyCommands uses exact names only; ineffective entries: "+strings.Join(bad, ", "))
				}
			},
		},
	)
}

// truthy is JavaScript truthiness of a present value.
func truthy(v val) bool {
	if v.n == nil {
		return false
	}
	switch v.n.Kind {
	case jsonNull:
		return false
	case jsonBool:
		return v.n.Bool
	case jsonString:
		return v.n.Str != ""
	case jsonNumber:
		f, ok := v.n.Float()
		return !ok || f != 0 && f == f
	}
	return true
}

func patternLike(s string) bool {
	return strings.ContainsAny(s, "?*[]{}(),| \t\n") || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") ||
		strings.HasPrefix(s, "^") || strings.HasSuffix(s, "$") || strings.Contains(s, "group:")
}

// knownNodeCommands is the union of the per-platform default node command
// allowlists plus the commands the audit knows as dangerous.
var knownNodeCommands = []string{
	"canvas.present", "canvas.hide", "canvas.navigate", "canvas.eval", "canvas.snapshot",
	"canvas.a2ui.push", "canvas.a2ui.pushJSONL", "canvas.a2ui.reset",
	"camera.list", "camera.snap", "camera.clip", "screen.record", "location.get", "sms.send",
	"contacts.add", "calendar.add", "reminders.add",
	"system.run", "system.which", "system.notify", "system.execApprovals.get", "system.execApprovals.set",
	"browser.proxy",
}
