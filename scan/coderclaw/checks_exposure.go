package coderclaw

import (
	"fmt"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// openGroupPolicies are the literal groupPolicy "open" values at channel
// and account level, the audit's test for open_groups_with_elevated
// (defaults are not applied there).
func (c *Config) openGroupPolicies() []val {
	var out []val
	for _, ch := range c.get("channels").members() {
		if ch.key() == "defaults" {
			continue
		}
		if gp := ch.child("groupPolicy"); gp.strOr("") == "open" {
			out = append(out, gp)
		}
		for _, a := range ch.child("accounts").members() {
			if gp := a.child("groupPolicy"); gp.strOr("") == "open" {
				out = append(out, gp)
			}
		}
	}
	return out
}

// openPolicies finds every groupPolicy, dmPolicy or dm.policy equal to
// "open" anywhere under channels (accounts, groups, dms included): the
// later upstream test used by the security.exposure.* checks.
func (c *Config) openPolicies() []val {
	var out []val
	var walk func(v val, depth int)
	walk = func(v val, depth int) {
		if depth > 8 {
			return
		}
		for _, m := range v.members() {
			k := m.key()
			if (k == "groupPolicy" || k == "dmPolicy" || k == "policy" && v.key() == "dm") && m.strOr("") == "open" {
				out = append(out, m)
			}
			if m.isKind(jsonObject) {
				walk(m, depth+1)
			}
		}
	}
	walk(c.get("channels"), 0)
	return out
}

// execScopes are tools.exec and every agents.list[i].tools.exec with the
// effective security level (default "deny").
func (c *Config) execScopes() (scopes []val, levels []string) {
	g := c.get("tools.exec.security")
	gl := g.strOr("deny")
	scopes, levels = append(scopes, g), append(levels, gl)
	list := c.get("agents.list")
	for i, a := range list.elems() {
		s := a.withPath(elemPath(list, i, a)).at("tools", "exec", "security")
		if s.exists() {
			scopes, levels = append(scopes, s), append(levels, s.strOr(gl))
		}
	}
	return scopes, levels
}

const openGroupsGood = `{ channels: { telegram: { groupPolicy: "allowlist", groupAllowFrom: ["123456789"] } } }`

func init() {
	register(
		&Check{
			ID: "security.exposure.open_groups_with_elevated", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Open groups can reach elevated exec",
			Doc:         "An open `groupPolicy` while elevated mode is enabled (the default) means a stranger in a group can talk the bot into host commands. Use `groupPolicy: \"allowlist\"` and keep `tools.elevated.allowFrom` tight, or set `tools.elevated.enabled: false`. One finding per open policy.",
			Bad:         `{ channels: { telegram: { groupPolicy: "open" } } }`,
			Good:        openGroupsGood,
			Remediation: `Use groupPolicy="allowlist" and tight elevated allowlists (or tools.elevated.enabled=false).`,
			Run: func(p *Pass) {
				if !p.Config.d().elevated {
					return
				}
				for _, gp := range p.Config.openGroupPolicies() {
					p.report(gp, "", gp.path+`="open" while elevated tools are enabled`)
				}
			},
		},
		&Check{
			ID: "security.exposure.open_channels_with_exec", Severity: scan.SeverityWarn, Source: "upstream",
			Escalation:  "critical when some exec scope has security \"full\"",
			Title:       "Open channels can reach exec",
			Doc:         "An open DM or group policy while some exec scope (`tools.exec.security`, global or per agent) is not `\"deny\"` lets strangers request commands. One finding per open policy.",
			Bad:         `{ tools: { exec: { security: "allowlist" } }, channels: { telegram: { dmPolicy: "open", allowFrom: ["*"] } } }`,
			Good:        `{ tools: { exec: { security: "allowlist" } }, channels: { telegram: { dmPolicy: "pairing" } } }`,
			Remediation: `Close the channel (pairing/allowlist) or set tools.exec.security="deny" for agents reachable from it.`,
			Run: func(p *Pass) {
				_, levels := p.Config.execScopes()
				var sev scan.Severity
				on := false
				for _, l := range levels {
					on = on || l != "deny"
					if l == "full" {
						sev = scan.SeverityCritical
					}
				}
				if !on {
					return
				}
				for _, op := range p.Config.openPolicies() {
					p.report(op, sev, op.path+`="open" while exec is allowed for some scope`)
				}
			},
		},
		&Check{
			ID: "security.exposure.open_groups_with_runtime_or_fs", Severity: scan.SeverityWarn, Source: "upstream",
			Escalation: "critical when exec or process is reachable outside a full sandbox",
			Title:      "Open channels can reach runtime or filesystem tools",
			Doc: "An open DM or group policy while the defaults or some agent allow `exec`/`process` outside sandbox mode `\"all\"` (critical), or the filesystem tools " +
				"(`read`, `write`, `edit`, `apply_patch`) outside the sandbox without `tools.fs.workspaceOnly: true` (warn). The tool policy is evaluated layer by layer: profile, `tools.allow/deny`, agent allow/deny, sandbox tool policy.",
			Bad:         `{ channels: { telegram: { groupPolicy: "open" } } }`,
			Good:        openGroupsGood,
			Remediation: `Close the channel, deny group:runtime and group:fs for agents reachable from it, or sandbox them (mode "all").`,
			Run: func(p *Pass) {
				opens := p.Config.openPolicies()
				if len(opens) == 0 {
					return
				}
				var runtime, fs []string
				for _, ctx := range p.Config.toolContexts() {
					if ctx.sandbox == "all" {
						continue
					}
					if ctx.allows("exec") || ctx.allows("process") {
						runtime = append(runtime, ctx.name)
					}
					if !ctx.fsWorkspaceOnly && (ctx.allows("read") || ctx.allows("write") || ctx.allows("edit") || ctx.allows("apply_patch")) {
						fs = append(fs, ctx.name)
					}
				}
				var sev scan.Severity
				var what string
				switch {
				case len(runtime) > 0:
					sev, what = scan.SeverityCritical, "runtime tools (exec/process) are reachable outside a sandbox for: "+strings.Join(runtime, ", ")
				case len(fs) > 0:
					what = "filesystem tools are reachable outside the workspace for: " + strings.Join(fs, ", ")
				default:
					return
				}
				for _, op := range opens {
					p.report(op, sev, fmt.Sprintf(`%s="open" and %s`, op.path, what))
				}
			},
		},
		&Check{
			ID: "security.exposure.open_groups_with_control_plane_tools", Severity: scan.SeverityCritical, Source: "upstream",
			Title:       "Open channels can reach control-plane tools",
			Doc:         "The `gateway` tool can rewrite config and update CoderClaw; `cron` can schedule jobs that outlive the chat. An open DM or group policy while the defaults or some agent allow either one gives strangers persistent control. Deny them (`tools.deny: [\"gateway\", \"cron\"]`).",
			Bad:         `{ channels: { telegram: { groupPolicy: "open" } } }`,
			Good:        openGroupsGood,
			Remediation: `Deny "gateway" and "cron" (group:automation) for agents reachable from open channels, or close the channel.`,
			Run: func(p *Pass) {
				opens := p.Config.openPolicies()
				if len(opens) == 0 {
					return
				}
				var who []string
				for _, ctx := range p.Config.toolContexts() {
					if ctx.allows("gateway") || ctx.allows("cron") {
						who = append(who, ctx.name)
					}
				}
				if len(who) == 0 {
					return
				}
				for _, op := range opens {
					p.report(op, "", fmt.Sprintf(`%s="open" and gateway/cron tools are allowed for: %s`, op.path, strings.Join(who, ", ")))
				}
			},
		},
		&Check{
			ID: "tools.exec.security_full_configured", Severity: scan.SeverityWarn, Source: "upstream",
			Escalation:  "critical when any DM or group policy is open",
			Title:       "Exec runs with security \"full\"",
			Doc:         "`tools.exec.security: \"full\"` (global or per agent) runs any command without an allowlist or approval. Use `\"allowlist\"` with `safeBins`, or `\"deny\"` (default).",
			Bad:         `{ tools: { exec: { security: "full" } } }`,
			Good:        `{ tools: { exec: { security: "allowlist", safeBins: ["git"] } } }`,
			Remediation: `Use tools.exec.security="allowlist" (or "deny").`,
			Run: func(p *Pass) {
				var sev scan.Severity
				if len(p.Config.openPolicies()) > 0 {
					sev = scan.SeverityCritical
				}
				scopes, levels := p.Config.execScopes()
				for i, s := range scopes {
					if levels[i] == "full" && s.exists() {
						p.report(s, sev, s.path+`="full" runs any command without approval`)
					}
				}
			},
		},
		&Check{
			ID: "discovery.mdns_full_mode", Severity: scan.SeverityWarn, Source: "upstream",
			Escalation:  "critical when gateway.bind is not loopback",
			Title:       "mDNS broadcasts full host details",
			Doc:         "`discovery.mdns.mode: \"full\"` adds `cliPath` (your username and install path), `sshPort` and host names to the LAN broadcast, which maps your setup for anyone on the network. Use `\"minimal\"` (default) or `\"off\"`.",
			Bad:         `{ discovery: { mdns: { mode: "full" } } }`,
			Good:        `{ discovery: { mdns: { mode: "minimal" } } }`,
			Remediation: `Set discovery.mdns.mode="minimal" (or "off").`,
			Run: func(p *Pass) {
				if v := p.Config.get("discovery.mdns.mode"); v.strOr("") == "full" {
					var sev scan.Severity
					if !p.Config.d().loopback {
						sev = scan.SeverityCritical
					}
					p.report(v, sev, `discovery.mdns.mode="full" broadcasts cliPath and sshPort on the local network`)
				}
			},
		},
		&Check{
			ID: "config.insecure_or_dangerous_flags", Severity: scan.SeverityWarn, Source: "upstream",
			Title: "Insecure or dangerous flag enabled",
			Doc: "Bypass flags the security page calls dangerous: `hooks.mappings[].allowUnsafeExternalContent` and `hooks.gmail.allowUnsafeExternalContent` " +
				"(external content reaches the model without the safety wrapper that marks it untrusted), and `tools.exec.applyPatch.workspaceOnly: false` " +
				"(apply_patch may write outside the workspace). One finding per flag. (Upstream also lists the Control UI flags here; clawgate reports those " +
				"under their own critical checks instead of twice.)",
			Bad:         `{ hooks: { gmail: { allowUnsafeExternalContent: true } } }`,
			Good:        `{ hooks: { gmail: { allowUnsafeExternalContent: false } } }`,
			Remediation: "Remove the flag unless you have a reviewed reason; accept it inline with that reason otherwise.",
			Run: func(p *Pass) {
				c := p.Config
				if v := c.get("hooks.gmail.allowUnsafeExternalContent"); v.isTrue() {
					p.report(v, "", "hooks.gmail.allowUnsafeExternalContent=true passes email content to the model without the untrusted-content wrapper")
				}
				maps := c.get("hooks.mappings")
				for i, m := range maps.elems() {
					if v := m.withPath(elemPath(maps, i, m)).child("allowUnsafeExternalContent"); v.isTrue() {
						p.report(v, "", v.path+"=true passes webhook content to the model without the untrusted-content wrapper")
					}
				}
				if v := c.get("tools.exec.applyPatch.workspaceOnly"); v.isFalse() {
					p.report(v, "", "tools.exec.applyPatch.workspaceOnly=false lets apply_patch write outside the workspace")
				}
				list := c.get("agents.list")
				for i, a := range list.elems() {
					if v := a.withPath(elemPath(list, i, a)).at("tools", "exec", "applyPatch", "workspaceOnly"); v.isFalse() {
						p.report(v, "", v.path+"=false lets apply_patch write outside the workspace")
					}
				}
			},
		},
	)
}
