package coderclaw

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// knownChannels are CoderClaw's channel plugin ids (built in and bundled
// extensions). Any other key under channels (but "defaults") is treated
// as a channel too.
var knownChannels = []string{"telegram", "whatsapp", "discord", "slack", "signal", "imessage", "irc", "googlechat",
	"msteams", "matrix", "mattermost", "line", "feishu", "bluebubbles", "nextcloud-talk"}

// fixGroupPolicyChannels are the channels whose groupPolicy "open" the
// audit's --fix flips to "allowlist".
var fixGroupPolicyChannels = map[string]bool{"telegram": true, "whatsapp": true, "discord": true, "signal": true,
	"imessage": true, "slack": true, "msteams": true}

// legacyDMChannels read their DM policy from dm.policy / dm.allowFrom.
var legacyDMChannels = map[string]bool{"discord": true, "slack": true}

// defaultOpenGroups default groupPolicy to "open"; the rest to "allowlist".
var defaultOpenGroups = map[string]bool{"discord": true, "slack": true}

// channel is one configured channel section.
type channel struct {
	id string
	v  val
}

// channels lists the sections the audit would look at: present, an object,
// and not enabled: false. (The audit also wants a channel "configured",
// usually a token; tokens come from the environment in a checked-in
// config, so a present section counts as configured.)
func (c *Config) channels() []channel {
	var out []channel
	for _, ch := range c.get("channels").members() {
		if ch.key() == "defaults" || !ch.isKind(jsonObject) || ch.child("enabled").isFalse() {
			continue
		}
		out = append(out, channel{ch.key(), ch})
	}
	return out
}

// scopes returns the channel section and each of its accounts.
func (ch channel) scopes() []val {
	out := []val{ch.v}
	for _, a := range ch.v.child("accounts").members() {
		if a.isKind(jsonObject) && !a.child("enabled").isFalse() {
			out = append(out, a)
		}
	}
	return out
}

// dmPolicy resolves where a scope reads its DM policy and allowlist.
func (ch channel) dmPolicy(scope val) (policy val, allowFrom val) {
	flat, legacy := scope.child("dmPolicy"), scope.at("dm", "policy")
	flatAF, legacyAF := scope.child("allowFrom"), scope.at("dm", "allowFrom")
	if legacyDMChannels[ch.id] {
		flat, legacy = legacy, flat
		flatAF, legacyAF = legacyAF, flatAF
	}
	policy, allowFrom = flat, flatAF
	if !policy.exists() && legacy.exists() {
		policy = legacy
	}
	if !allowFrom.exists() && legacyAF.exists() {
		allowFrom = legacyAF
	}
	return policy, allowFrom
}

// groupPolicy returns the effective group policy of a scope and the value
// that set it (absent when a default applies).
func (c *Config) groupPolicy(ch channel, scope val) (string, val) {
	gp := scope.child("groupPolicy")
	if s, ok := gp.str(); ok {
		return s, gp
	}
	if scope.path != ch.v.path { // an account inherits its channel's policy
		if s, ok := ch.v.child("groupPolicy").str(); ok {
			return s, gp
		}
	}
	if s, ok := c.get("channels.defaults.groupPolicy").str(); ok {
		return s, gp
	}
	if defaultOpenGroups[ch.id] {
		return "open", gp
	}
	return "allowlist", gp
}

func hasWildcard(l []string) bool {
	for _, s := range l {
		if s == "*" {
			return true
		}
	}
	return false
}

func distinct(l []string) int {
	seen := map[string]bool{}
	for _, s := range l {
		seen[strings.ToLower(s)] = true
	}
	return len(seen)
}

// nativeEnabled resolves commands.native / nativeSkills for a provider:
// true/false win, "auto" (the default) means on for discord and telegram.
func (c *Config) nativeEnabled(ch channel, key string) bool {
	setting := ch.v.at("commands", key)
	if !setting.exists() {
		setting = c.get("commands." + key)
	}
	if setting.isKind(jsonBool) {
		return setting.n.Bool
	}
	return ch.id == "discord" || ch.id == "telegram"
}

var telegramID = regexp.MustCompile(`^-?\d+$`)

func init() {
	register(
		&Check{
			ID: "channels.<ch>.dm.open", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Channel DMs are open",
			Doc:         "`dmPolicy: \"open\"` (`dm.policy` for discord and slack) lets anyone DM the bot and reach its tools. Use `\"pairing\"` (default) or `\"allowlist\"`.",
			Bad:         `{ channels: { telegram: { dmPolicy: "open", allowFrom: ["*"] } } }`,
			Good:        `{ channels: { telegram: { dmPolicy: "pairing" } } }`,
			Remediation: `Use dmPolicy "pairing" or "allowlist".`,
			Run: func(p *Pass) {
				for _, ch := range p.Config.channels() {
					for _, s := range ch.scopes() {
						if pol, _ := ch.dmPolicy(s); pol.strOr("") == "open" {
							p.reportID("channels."+ch.id+".dm.open", pol, "", pol.path+`="open" allows anyone to DM the bot`)
						}
					}
				}
			},
		},
		&Check{
			ID: "channels.<ch>.dm.open_invalid", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Channel DM config looks inconsistent",
			Doc:         "`dmPolicy: \"open\"` requires `\"*\"` in the channel's `allowFrom` as an explicit opt-in; without it the config says two different things.",
			Bad:         `{ channels: { telegram: { dmPolicy: "open", allowFrom: ["123"] } } }`,
			Good:        `{ channels: { telegram: { dmPolicy: "allowlist", allowFrom: ["123"] } } }`,
			Remediation: `Add "*" to allowFrom if open DMs are intended, or use "allowlist".`,
			Run: func(p *Pass) {
				for _, ch := range p.Config.channels() {
					for _, s := range ch.scopes() {
						if pol, af := ch.dmPolicy(s); pol.strOr("") == "open" && !hasWildcard(af.list()) {
							p.reportID("channels."+ch.id+".dm.open_invalid", pol, "", fmt.Sprintf(`%s="open" requires %s to include "*"`, pol.path, af.path))
						}
					}
				}
			},
		},
		&Check{
			ID: "channels.<ch>.dm.disabled", Severity: scan.SeverityInfo, Source: "audit",
			Title:       "Channel DMs are disabled",
			Doc:         "Informational: `dmPolicy: \"disabled\"` ignores inbound DMs on that channel.",
			Bad:         `{ channels: { signal: { dmPolicy: "disabled" } } }`,
			Good:        `{ channels: { signal: { dmPolicy: "pairing" } } }`,
			Remediation: "None needed.",
			Run: func(p *Pass) {
				for _, ch := range p.Config.channels() {
					for _, s := range ch.scopes() {
						if pol, _ := ch.dmPolicy(s); pol.strOr("") == "disabled" {
							p.reportID("channels."+ch.id+".dm.disabled", pol, "", pol.path+`="disabled" ignores inbound DMs`)
						}
					}
				}
			},
		},
		&Check{
			ID: "channels.<ch>.dm.scope_main_multiuser", Severity: scan.SeverityWarn, Source: "audit",
			Title: "Channel DMs share the main session",
			Doc: "With `session.dmScope: \"main\"` (the default) every DM lands in one session. When more than one person can DM (an allowlist with several entries, or `\"*\"`), " +
				"one sender can read what another said. Set `session.dmScope: \"per-channel-peer\"` (or `\"per-account-channel-peer\"`). The pairing store is taken as empty.",
			Bad:         `{ channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550001", "+15550002"] } } }`,
			Good:        `{ session: { dmScope: "per-channel-peer" }, channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550001", "+15550002"] } } }`,
			Remediation: `Set session.dmScope="per-channel-peer" (or "per-account-channel-peer").`,
			Run: func(p *Pass) {
				if p.Config.get("session.dmScope").strOr("main") != "main" {
					return
				}
				for _, ch := range p.Config.channels() {
					for _, s := range ch.scopes() {
						pol, af := ch.dmPolicy(s)
						if pol.strOr("pairing") == "disabled" {
							continue
						}
						if l := af.list(); hasWildcard(l) || distinct(l) > 1 {
							p.reportID("channels."+ch.id+".dm.scope_main_multiuser", af, "", af.path+" lets several people DM the bot while session.dmScope is \"main\"")
						}
					}
				}
			},
		},
		&Check{
			ID: "channels.<ch>.group_policy_open", Severity: scan.SeverityCritical, Source: "audit",
			Title: "Channel groups are open",
			Doc: "Stable id for the audit's `channels.<ch>.warning.<N>` about `groupPolicy=\"open\"` (N there is a running number, so it cannot be baselined). " +
				"An open group policy lets any member of any group the bot is in trigger it. Discord and Slack default to `\"open\"`; the others default to `\"allowlist\"`; " +
				"`channels.defaults.groupPolicy` overrides the default. Checked at channel level and under `accounts.*`.",
			Bad:         `{ channels: { telegram: { groupPolicy: "open" } } }`,
			Good:        `{ channels: { telegram: { groupPolicy: "allowlist", groupAllowFrom: ["123456789"] } } }`,
			Remediation: `Set groupPolicy="allowlist" and list who may trigger the bot (groupAllowFrom / guilds / channels).`,
			Fix:         "rewrites a literal `groupPolicy: \"open\"` to `\"allowlist\"` for telegram, whatsapp, discord, signal, imessage, slack and msteams, at channel level and under `accounts.*` (a default-open channel is not changed: there is no value to rewrite)",
			Run: func(p *Pass) {
				for _, ch := range p.Config.channels() {
					for i, s := range ch.scopes() {
						pol, at := p.Config.groupPolicy(ch, s)
						explicit := at.exists()
						if pol != "open" || i > 0 && !explicit {
							continue // an account without its own policy is covered by the channel's finding
						}
						msg := at.path + `="open" lets any group member trigger the bot`
						if !explicit {
							msg = at.path + ` is not set and defaults to "open" for ` + ch.id
						}
						r := p.reportID("channels."+ch.id+".group_policy_open", at, "", msg)
						if explicit && fixGroupPolicyChannels[ch.id] {
							r.fix = replaceString(at, "open", "allowlist", at.path+"=open -> allowlist")
						}
					}
				}
			},
		},
		&Check{
			ID: "channels.discord.commands.native.unrestricted", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Discord slash commands are unrestricted",
			Doc:         "With `commands.useAccessGroups: false`, Discord slash commands skip sender allowlists; with guilds configured and no per-guild/channel `users` list, anyone in those guilds can run `/…` commands.",
			Bad:         `{ commands: { useAccessGroups: false }, channels: { discord: { groupPolicy: "allowlist", guilds: { "123": {} } } } }`,
			Good:        `{ channels: { discord: { groupPolicy: "allowlist", guilds: { "123": { users: ["456"] } } } } }`,
			Remediation: "Set commands.useAccessGroups=true, or configure channels.discord.guilds.<id>.users.",
			Run: func(p *Pass) {
				ch, gp, ok := p.Config.discordSlash()
				if ok && p.Config.get("commands.useAccessGroups").isFalse() && gp {
					p.report(ch.v.child("guilds").withPath("channels.discord.guilds"), "", "commands.useAccessGroups=false and no guild/channel users allowlist: anyone in the guilds can run slash commands")
				}
			},
		},
		&Check{
			ID: "channels.discord.commands.native.no_allowlists", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Discord slash commands have no allowlists",
			Doc:         "Slash commands are on but no owner `dm.allowFrom` and no guild/channel `users` list exists, so they are rejected for everyone, which invites someone to open them up in a hurry. The pairing store is taken as empty.",
			Bad:         `{ channels: { discord: { groupPolicy: "allowlist", guilds: { "123": {} } } } }`,
			Good:        `{ channels: { discord: { groupPolicy: "allowlist", dm: { allowFrom: ["456"] }, guilds: { "123": {} } } } }`,
			Remediation: "Add your user id to channels.discord.dm.allowFrom, or configure channels.discord.guilds.<id>.users.",
			Run: func(p *Pass) {
				ch, gp, ok := p.Config.discordSlash()
				if ok && !p.Config.get("commands.useAccessGroups").isFalse() && gp && len(ch.v.at("dm", "allowFrom").list()) == 0 {
					p.report(ch.v.child("guilds").withPath("channels.discord.guilds"), "", "Discord slash commands are enabled but no owner allowFrom or guild users allowlist is configured")
				}
			},
		},
		&Check{
			ID: "channels.slack.commands.slash.useAccessGroups_off", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Slack slash commands bypass access groups",
			Doc:         "Slack slash/native commands with `commands.useAccessGroups: false` run for anyone in any channel the app is in.",
			Bad:         `{ commands: { useAccessGroups: false }, channels: { slack: { groupPolicy: "allowlist", slashCommand: { enabled: true } } } }`,
			Good:        `{ channels: { slack: { groupPolicy: "allowlist", allowFrom: ["U123"], slashCommand: { enabled: true } } } }`,
			Remediation: "Set commands.useAccessGroups=true.",
			Run: func(p *Pass) {
				if _, ok := p.Config.slackSlash(); ok && p.Config.get("commands.useAccessGroups").isFalse() {
					p.report(p.Config.get("commands.useAccessGroups"), "", "Slack slash commands are enabled while commands.useAccessGroups=false")
				}
			},
		},
		&Check{
			ID: "channels.slack.commands.slash.no_allowlists", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Slack slash commands have no allowlists",
			Doc:         "Slash commands are on, access groups are on, but no owner `allowFrom` and no `channels.<id>.users` list exists. The pairing store is taken as empty.",
			Bad:         `{ channels: { slack: { groupPolicy: "allowlist", slashCommand: { enabled: true } } } }`,
			Good:        `{ channels: { slack: { groupPolicy: "allowlist", allowFrom: ["U123"], slashCommand: { enabled: true } } } }`,
			Remediation: "Set channels.slack.allowFrom and/or channels.slack.channels.<id>.users.",
			Run: func(p *Pass) {
				ch, ok := p.Config.slackSlash()
				if !ok || p.Config.get("commands.useAccessGroups").isFalse() {
					return
				}
				af := ch.v.child("allowFrom")
				if !af.isKind(jsonArray) {
					af = ch.v.at("dm", "allowFrom")
				}
				users := false
				for _, c := range ch.v.child("channels").members() {
					users = users || c.child("users").size() > 0
				}
				if len(af.list()) == 0 && !users {
					p.report(ch.v, "", "Slack slash commands are enabled but no owner allowFrom or channel users allowlist is configured")
				}
			},
		},
		&Check{
			ID: "channels.telegram.allowFrom.invalid_entries", Severity: scan.SeverityWarn, Source: "audit",
			Title:       "Telegram allowlist has non-numeric entries",
			Doc:         "Telegram allowlists match numeric user ids. `@username` entries never match (usernames can change hands), so the list does not say who can trigger the bot.",
			Bad:         `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} }, groupAllowFrom: ["@alice"] } } }`,
			Good:        `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} }, groupAllowFrom: ["123456789"] } } }`,
			Remediation: "Use numeric Telegram user ids.",
			Run: func(p *Pass) {
				tg, ok := p.Config.telegramGroups()
				if !ok {
					return
				}
				lists := []val{tg.child("groupAllowFrom"), tg.child("allowFrom")}
				for _, g := range tg.child("groups").members() {
					lists = append(lists, g.child("allowFrom"))
					for _, t := range g.child("topics").members() {
						lists = append(lists, t.child("allowFrom"))
					}
				}
				for _, l := range lists {
					if e, bad := l.find(func(s string) bool {
						s = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "telegram:"), "tg:")
						return s != "" && s != "*" && !telegramID.MatchString(s)
					}); bad {
						p.report(e.withPath(l.path), "", l.path+" has entries that are not numeric Telegram user ids")
					}
				}
			},
		},
		&Check{
			ID: "channels.telegram.groups.allowFrom.wildcard", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Telegram group allowlist contains wildcard",
			Doc:         "`\"*\"` in `channels.telegram.groupAllowFrom` lets every member of every allowed group trigger the bot and its commands.",
			Bad:         `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} }, groupAllowFrom: ["*"] } } }`,
			Good:        `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} }, groupAllowFrom: ["123456789"] } } }`,
			Remediation: "Replace \"*\" with numeric user ids.",
			Run: func(p *Pass) {
				tg, ok := p.Config.telegramGroups()
				if !ok {
					return
				}
				gaf := tg.child("groupAllowFrom")
				if e, ok := gaf.find(func(s string) bool { return s == "*" }); ok {
					p.report(e.withPath(gaf.path), "", `channels.telegram.groupAllowFrom includes "*"`)
				}
			},
		},
		&Check{
			ID: "channels.telegram.groups.allowFrom.missing", Severity: scan.SeverityCritical, Source: "audit",
			Title:       "Telegram groups have no sender allowlist",
			Doc:         "Telegram group access is possible (open policy, or allowlisted groups) but no sender allowlist exists anywhere (`groupAllowFrom`, per-group or per-topic `allowFrom`): anyone in those groups can trigger the bot. The pairing store is taken as empty.",
			Bad:         `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} } } } }`,
			Good:        `{ channels: { telegram: { groupPolicy: "allowlist", groups: { "-100123": {} }, groupAllowFrom: ["123456789"] } } }`,
			Remediation: "Set channels.telegram.groupAllowFrom (numeric user ids), or per-group allowFrom.",
			Run: func(p *Pass) {
				tg, ok := p.Config.telegramGroups()
				if !ok {
					return
				}
				if len(tg.child("groupAllowFrom").list()) > 0 {
					return
				}
				for _, g := range tg.child("groups").members() {
					if len(g.child("allowFrom").list()) > 0 {
						return
					}
					for _, t := range g.child("topics").members() {
						if len(t.child("allowFrom").list()) > 0 {
							return
						}
					}
				}
				p.report(tg.child("groupAllowFrom"), "", "Telegram group access is possible but no sender allowlist is configured")
			},
		},
	)
}

func (c *Config) channel(id string) (channel, bool) {
	for _, ch := range c.channels() {
		if ch.id == id {
			return ch, true
		}
	}
	return channel{}, false
}

// discordSlash: Discord is configured, slash commands are on, guilds are
// listed and none has a users allowlist. gp reports groupPolicy≠disabled.
func (c *Config) discordSlash() (ch channel, gp bool, ok bool) {
	ch, ok = c.channel("discord")
	if !ok || !(c.nativeEnabled(ch, "native") || c.nativeEnabled(ch, "nativeSkills")) {
		return ch, false, false
	}
	guilds := ch.v.child("guilds")
	if guilds.size() == 0 {
		return ch, false, false
	}
	for _, g := range guilds.members() {
		if g.child("users").size() > 0 {
			return ch, false, false
		}
		for _, cc := range g.child("channels").members() {
			if cc.child("users").size() > 0 {
				return ch, false, false
			}
		}
	}
	pol := ch.v.child("groupPolicy").strOr(c.get("channels.defaults.groupPolicy").strOr("allowlist"))
	return ch, pol != "disabled", true
}

func (c *Config) slackSlash() (channel, bool) {
	ch, ok := c.channel("slack")
	if !ok {
		return ch, false
	}
	on := c.nativeEnabled(ch, "native") || c.nativeEnabled(ch, "nativeSkills") || ch.v.at("slashCommand", "enabled").isTrue()
	return ch, on
}

// telegramGroups returns the telegram section when group access is
// possible: text commands on, and groupPolicy open, or allowlist with groups.
func (c *Config) telegramGroups() (val, bool) {
	ch, ok := c.channel("telegram")
	if !ok || c.get("commands.text").isFalse() {
		return val{}, false
	}
	pol := ch.v.child("groupPolicy").strOr(c.get("channels.defaults.groupPolicy").strOr("allowlist"))
	if pol == "open" || pol == "allowlist" && ch.v.child("groups").size() > 0 {
		return ch.v, true
	}
	return val{}, false
}
