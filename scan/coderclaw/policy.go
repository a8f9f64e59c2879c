package coderclaw

import (
	"regexp"
	"strings"
)

// Tool policy, as far as the exposure and small-model checks need it:
// profile, global allow/deny, agent allow/deny and, in sandbox mode "all",
// the sandbox tool policy. A tool is reachable when every layer allows it.

var toolGroups = map[string][]string{
	"group:memory":     {"memory_search", "memory_get"},
	"group:web":        {"web_search", "web_fetch"},
	"group:fs":         {"read", "write", "edit", "apply_patch"},
	"group:runtime":    {"exec", "process"},
	"group:sessions":   {"sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "subagents", "session_status"},
	"group:ui":         {"browser", "canvas"},
	"group:automation": {"cron", "gateway"},
	"group:messaging":  {"message"},
	"group:nodes":      {"nodes"},
	"group:coderclaw": {"browser", "canvas", "nodes", "cron", "message", "gateway", "agents_list",
		"sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "subagents", "session_status",
		"memory_search", "memory_get", "web_search", "web_fetch", "image"},
}

var toolProfiles = map[string][]string{
	"minimal":   {"session_status"},
	"coding":    {"group:fs", "group:runtime", "group:sessions", "group:memory", "image"},
	"messaging": {"group:messaging", "sessions_list", "sessions_history", "sessions_send", "session_status"},
}

var toolAliases = map[string]string{"bash": "exec", "apply-patch": "apply_patch", "str_replace_editor": "edit"}

var (
	defaultSandboxAllow = []string{"exec", "process", "read", "write", "edit", "apply_patch", "image",
		"sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "subagents", "session_status"}
	defaultSandboxDeny = append([]string{"browser", "canvas", "nodes", "cron", "gateway"}, knownChannels...)
)

func normTool(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if a, ok := toolAliases[s]; ok {
		return a
	}
	return s
}

// toolList is an expanded allow or deny list.
type toolList struct{ names []string }

func expandTools(entries []string) toolList {
	var out []string
	for _, e := range entries {
		e = normTool(e)
		if g, ok := toolGroups[e]; ok {
			out = append(out, g...)
			continue
		}
		if e != "" {
			out = append(out, e)
		}
	}
	return toolList{out}
}

func (l toolList) has(tool string) bool {
	for _, e := range l.names {
		if e == tool {
			return true
		}
		if strings.Contains(e, "*") {
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(e), `\*`, ".*") + "$"
			if ok, _ := regexp.MatchString(re, tool); ok {
				return true
			}
		}
	}
	return false
}

type toolLayer struct{ allow, deny toolList }

func (l toolLayer) allows(tool string) bool {
	if l.deny.has(tool) {
		return false
	}
	if len(l.allow.names) == 0 || l.allow.has(tool) {
		return true
	}
	// exec in an allowlist implies apply_patch.
	return tool == "apply_patch" && l.allow.has("exec")
}

// toolCtx is the defaults or one agent: where tools run and what they may do.
type toolCtx struct {
	name            string
	at              val
	sandbox         string // off, non-main, all
	layers          []toolLayer
	fsWorkspaceOnly bool
}

func (t toolCtx) allows(tool string) bool {
	for _, l := range t.layers {
		if !l.allows(tool) {
			return false
		}
	}
	return true
}

func layerOf(tools val) toolLayer {
	return toolLayer{allow: expandTools(tools.child("allow").list()), deny: expandTools(tools.child("deny").list())}
}

// toolContexts returns the defaults context and one per agents.list entry.
func (c *Config) toolContexts() []toolCtx {
	gt := c.get("tools")
	defMode := c.get("agents.defaults.sandbox.mode").strOr("off")
	build := func(name string, at val, agentTools val, mode string) toolCtx {
		profile := gt.child("profile").strOr("")
		if s, ok := agentTools.child("profile").str(); ok {
			profile = s
		}
		var layers []toolLayer
		if allow, ok := toolProfiles[profile]; ok {
			also := gt.child("alsoAllow").list()
			also = append(also, agentTools.child("alsoAllow").list()...)
			layers = append(layers, toolLayer{allow: expandTools(append(append([]string(nil), allow...), also...))})
		}
		layers = append(layers, layerOf(gt))
		if agentTools.exists() {
			layers = append(layers, layerOf(agentTools))
		}
		if mode == "all" {
			sb := toolLayer{allow: toolList{defaultSandboxAllow}, deny: toolList{defaultSandboxDeny}}
			for _, src := range []val{gt.at("sandbox", "tools"), agentTools.at("sandbox", "tools")} {
				if a := src.child("allow"); a.exists() {
					sb.allow = expandTools(a.list())
				}
				if d := src.child("deny"); d.exists() {
					sb.deny = expandTools(d.list())
				}
			}
			layers = append(layers, sb)
		}
		ws := gt.at("fs", "workspaceOnly").isTrue()
		if v := agentTools.at("fs", "workspaceOnly"); v.isKind(jsonBool) {
			ws = v.n.Bool
		}
		return toolCtx{name: name, at: at, sandbox: mode, layers: layers, fsWorkspaceOnly: ws}
	}
	out := []toolCtx{build("defaults", gt, val{c: c}, defMode)}
	list := c.get("agents.list")
	for i, a := range list.elems() {
		mode := a.at("sandbox", "mode").strOr(defMode)
		a = a.withPath(elemPath(list, i, a))
		name, _ := a.child("id").str()
		out = append(out, build("agent "+name, a, a.child("tools"), mode))
	}
	return out
}

// agentMode resolves an agents.list entry's sandbox mode.
func (c *Config) agentMode(a val) string {
	return a.at("sandbox", "mode").strOr(c.get("agents.defaults.sandbox.mode").strOr("off"))
}
