package coderclaw

import (
	"fmt"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// hooksOn returns the hooks section when hooks.enabled is true; every hooks
// check is gated on it, as in the audit.
func hooksOn(c *Config) (val, bool) {
	h := c.get("hooks")
	return h, h.child("enabled").isTrue()
}

const hooksGood = `{
  hooks: {
    enabled: true,
    token: "${HOOKS_TOKEN}",
    path: "/hooks",
    defaultSessionKey: "hook:ingress",
  },
}`

func init() {
	register(
		&Check{
			ID: "hooks.token_too_short", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Hooks token looks short",
			Doc:         "The hooks token guards webhook ingress; under 24 characters it is easier to brute-force. A `${VAR}` the environment does not supply is not measured.",
			Bad:         `{ hooks: { enabled: true, token: "short", defaultSessionKey: "hook:ingress" } }`,
			Good:        hooksGood,
			Remediation: "Use a long random hooks token (at least 24 characters).",
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				t := h.child("token")
				if !on || !t.nonBlank() || t.external() {
					return
				}
				s, _ := t.str()
				if n := len([]rune(strings.TrimSpace(s))); n < 24 {
					p.report(t, "", fmt.Sprintf("hooks.token is %d characters; prefer a long random token", n))
				}
			},
		},
		&Check{
			ID: "hooks.token_reuse_gateway_token", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Hooks token reuses the gateway token",
			Doc:         "When `hooks.token` equals the gateway token, every webhook sender holds the full gateway credential. Use a separate token. Compared after `${VAR}` substitution; two identical unresolved references count as the same secret. The finding never shows either value.",
			Bad:         `{ gateway: { auth: { token: "${GW_TOKEN}" } }, hooks: { enabled: true, token: "${GW_TOKEN}", defaultSessionKey: "hook:ingress" } }`,
			Good:        `{ gateway: { auth: { token: "${GW_TOKEN}" } }, hooks: { enabled: true, token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress" } }`,
			Remediation: "Use a separate hooks token.",
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				t := h.child("token")
				if !on || !t.nonBlank() {
					return
				}
				d := p.Config.d()
				var gw string
				if gt := p.Config.get("gateway.auth.token"); d.authMode == "token" && d.hasToken {
					gw, _ = gt.str()
				} else if v, ok := p.Config.lookupEnv("CODERCLAW_GATEWAY_TOKEN"); ok {
					gw = v
				}
				ht, _ := t.str()
				if gw = strings.TrimSpace(gw); gw != "" && gw == strings.TrimSpace(ht) {
					p.report(t, "", "hooks.token equals the gateway token (values not shown)")
				}
			},
		},
		&Check{
			ID: "hooks.path_root", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Hooks path is the root path",
			Doc:         "`hooks.path: \"/\"` would route every HTTP request through hook ingress; CoderClaw refuses it at run time. Use a dedicated path such as `/hooks`.",
			Bad:         `{ hooks: { enabled: true, path: "/", token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress" } }`,
			Good:        hooksGood,
			Remediation: `Use a dedicated path such as "/hooks".`,
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				if s, _ := h.child("path").str(); on && strings.TrimSpace(s) == "/" {
					p.report(h.child("path"), "", `hooks.path="/" shadows every gateway route`)
				}
			},
		},
		&Check{
			ID: "hooks.default_session_key_unset", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Hooks have no default session key",
			Doc:         "Without `hooks.defaultSessionKey`, hook-triggered runs land in sessions you did not pick. Set a dedicated key such as `\"hook:ingress\"`.",
			Bad:         `{ hooks: { enabled: true, token: "${HOOKS_TOKEN}" } }`,
			Good:        hooksGood,
			Remediation: `Set hooks.defaultSessionKey (e.g. "hook:ingress").`,
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				if k := h.child("defaultSessionKey"); on && !k.nonBlank() {
					p.report(k, "", "hooks.defaultSessionKey is not set")
				}
			},
		},
		&Check{
			ID: "hooks.request_session_key_enabled", Severity: scan.SeverityWarn, Source: "audit",
			Escalation:  "critical when the gateway is exposed (bind not loopback, or Tailscale Serve/Funnel)",
			Title:       "Hook callers can choose the session key",
			Doc:         "`hooks.allowRequestSessionKey: true` lets whoever calls the webhook pick the session, and so inject into a conversation with its history and tools. Keep it false, or bound it with `allowedSessionKeyPrefixes`.",
			Bad:         `{ hooks: { enabled: true, token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress", allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] } }`,
			Good:        hooksGood,
			Remediation: "Set hooks.allowRequestSessionKey=false, or constrain allowedSessionKeyPrefixes.",
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				if v := h.child("allowRequestSessionKey"); on && v.isTrue() {
					p.report(v, exposed(p.Config), "hooks.allowRequestSessionKey=true lets webhook callers choose the session key")
				}
			},
		},
		&Check{
			ID: "hooks.request_session_key_prefixes_missing", Severity: scan.SeverityWarn, Source: "audit",
			Escalation:  "critical when the gateway is exposed (bind not loopback, or Tailscale Serve/Funnel)",
			Title:       "Hook session keys are not bounded",
			Doc:         "With `allowRequestSessionKey` on and no `allowedSessionKeyPrefixes`, a webhook caller can address any session, including your main one. Restrict prefixes, e.g. `[\"hook:\"]`.",
			Bad:         `{ hooks: { enabled: true, token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress", allowRequestSessionKey: true } }`,
			Good:        `{ hooks: { enabled: true, token: "${HOOKS_TOKEN}", defaultSessionKey: "hook:ingress", allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] } }`,
			Remediation: `Set hooks.allowedSessionKeyPrefixes (e.g. ["hook:"]).`,
			Run: func(p *Pass) {
				h, on := hooksOn(p.Config)
				pre := h.child("allowedSessionKeyPrefixes")
				if on && h.child("allowRequestSessionKey").isTrue() && len(pre.list()) == 0 {
					p.report(pre, exposed(p.Config), "hooks.allowRequestSessionKey=true with no hooks.allowedSessionKeyPrefixes")
				}
			},
		},
	)
}

// exposed is the escalation "critical if remoteExposure", else the default.
func exposed(c *Config) scan.Severity {
	if c.d().remoteExposure {
		return scan.SeverityCritical
	}
	return ""
}
