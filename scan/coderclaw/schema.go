package coderclaw

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/coderclaw/clawgate/scan"
)

// The CoderClaw schema, as far as clawgate knows it. CoderClaw validates
// with a strict zod schema and, when validation fails, runs with an EMPTY
// config: auth, allowlists and tool policy all gone. Sections whose exact
// schema clawgate has (the top level, gateway, logging, browser, hooks'
// top level, discovery, plugins, skills, memory, ...) are strict: an
// unknown key is reported. Sections it knows only in part (agents, tools,
// channels, session, commands, models, ...) are open: unknown keys pass,
// and only the keys listed are type-checked. That errs on the quiet side.

type sKind uint8

const (
	sAny sKind = iota
	sObj
	sStr
	sBool
	sNum
	sInt
	sEnum
	sArr
	sRec
	sUnion
)

type schema struct {
	kind     sKind
	fields   map[string]*schema
	strict   bool    // sObj: unknown keys are errors
	catchall *schema // sObj: schema of keys not in fields (nil: any)
	elem     *schema // sArr, sRec
	enum     []string
	alts     []*schema // sUnion
	min      float64   // sNum/sInt lower bound when hasMin
	hasMin   bool
	required []string
	refine   func(v val) string // extra rule; returns a problem or ""
}

type fields = map[string]*schema

func strict(f fields) *schema { return &schema{kind: sObj, fields: f, strict: true} }
func open(f fields) *schema   { return &schema{kind: sObj, fields: f} }
func arr(e *schema) *schema   { return &schema{kind: sArr, elem: e} }
func rec(e *schema) *schema   { return &schema{kind: sRec, elem: e} }
func enum(v ...string) *schema {
	return &schema{kind: sEnum, enum: v}
}
func union(a ...*schema) *schema { return &schema{kind: sUnion, alts: a} }

var (
	anyv    = &schema{kind: sAny}
	str     = &schema{kind: sStr}
	boolean = &schema{kind: sBool}
	num     = &schema{kind: sNum}
	intg    = &schema{kind: sInt}
	nonneg  = &schema{kind: sInt, min: 0, hasMin: true}
	pos     = &schema{kind: sInt, min: 1, hasMin: true}
	strs    = arr(str)
	strMap  = rec(str)
)

func (s *schema) with(f func(*schema)) *schema { f(s); return s }

var profileName = regexp.MustCompile(`^[a-z0-9-]+$`)

var logLevel = enum("silent", "fatal", "error", "warn", "info", "debug", "trace")

// bindsSchema: CoderClaw's schema rejects a non-absolute bind source.
var bindsSchema = arr(str.clone().with(func(s *schema) {
	s.refine = func(v val) string {
		b, _ := v.str()
		if !strings.HasPrefix(bindSource(strings.TrimSpace(b)), "/") {
			return fmt.Sprintf("bind %q must use an absolute host path", b)
		}
		return ""
	}
}))

func (s *schema) clone() *schema { c := *s; return &c }

func notValue(bad string) func(v val) string {
	return func(v val) string {
		if s, _ := v.str(); strings.EqualFold(strings.TrimSpace(s), bad) {
			return fmt.Sprintf("%q is not allowed here", s)
		}
		return ""
	}
}

var dockerSchema = open(fields{
	"image":           str,
	"network":         str.clone().with(func(s *schema) { s.refine = notValue("host") }),
	"seccompProfile":  str.clone().with(func(s *schema) { s.refine = notValue("unconfined") }),
	"apparmorProfile": str.clone().with(func(s *schema) { s.refine = notValue("unconfined") }),
	"binds":           bindsSchema,
	"readOnlyRoot":    boolean,
	"user":            str,
	"capDrop":         strs,
	"env":             strMap,
})

var sandboxSchema = open(fields{
	"mode":            enum("off", "non-main", "all"),
	"scope":           enum("session", "agent", "shared"),
	"workspaceAccess": enum("none", "ro", "rw"),
	"workspaceRoot":   str,
	"docker":          dockerSchema,
})

var toolPolicyFields = fields{
	"profile":   enum("minimal", "coding", "messaging", "full"),
	"allow":     strs,
	"alsoAllow": strs,
	"deny":      strs,
	"elevated": open(fields{
		"enabled":   boolean,
		"allowFrom": rec(arr(union(str, num))),
	}),
	"exec": open(fields{
		"security":   enum("deny", "allowlist", "full"),
		"ask":        enum("off", "on-miss", "always"),
		"safeBins":   strs,
		"applyPatch": open(fields{"workspaceOnly": boolean, "allowModels": strs}),
	}),
	"fs": open(fields{"workspaceOnly": boolean}),
}

var modelSchema = union(str, open(fields{"primary": str, "fallbacks": strs}))

var groupPolicy = enum("open", "disabled", "allowlist")
var dmPolicy = enum("pairing", "allowlist", "open", "disabled")

var channelScope = open(fields{
	"enabled":        boolean,
	"dmPolicy":       dmPolicy,
	"groupPolicy":    groupPolicy,
	"allowFrom":      arr(union(str, num)),
	"groupAllowFrom": arr(union(str, num)),
	"dm":             open(fields{"policy": dmPolicy, "allowFrom": arr(union(str, num))}),
})

var channelSchema = channelScope.clone().with(func(s *schema) {
	f := fields{}
	for k, v := range channelScope.fields {
		f[k] = v
	}
	f["accounts"] = rec(channelScope)
	s.fields = f
})

var hooksMapping = open(fields{"allowUnsafeExternalContent": boolean})

// configSchema is the top level. Keys and types of the strict sections are
// CoderClaw's zod schema (product/src/config/zod-schema.ts).
var configSchema = strict(fields{
	"$schema": str,
	"meta":    strict(fields{"lastTouchedVersion": str, "lastTouchedAt": str}),
	"env": strict(fields{
		"shellEnv": strict(fields{"enabled": boolean, "timeoutMs": nonneg}),
		"vars":     strMap,
	}).with(func(s *schema) { s.catchall = str }),
	"wizard": strict(fields{"lastRunAt": str, "lastRunVersion": str, "lastRunCommit": str, "lastRunCommand": str,
		"lastRunMode": enum("local", "remote")}),
	"diagnostics": strict(fields{
		"enabled": boolean, "flags": strs,
		"otel": strict(fields{"enabled": boolean, "endpoint": str, "protocol": enum("http/protobuf", "grpc"), "headers": strMap,
			"serviceName": str, "traces": boolean, "metrics": boolean, "logs": boolean, "sampleRate": num, "flushIntervalMs": nonneg}),
		"cacheTrace": strict(fields{"enabled": boolean, "filePath": str, "includeMessages": boolean, "includePrompt": boolean, "includeSystem": boolean}),
	}),
	"logging": strict(fields{
		"enabled": boolean, "format": enum("json", "text"), "level": logLevel, "file": str, "consoleLevel": logLevel,
		"consoleStyle": enum("pretty", "compact", "json"), "redactSensitive": enum("off", "tools"), "redactPatterns": strs,
	}),
	"update": strict(fields{"channel": enum("stable", "beta", "dev"), "checkOnStart": boolean}),
	"browser": strict(fields{
		"enabled": boolean, "evaluateEnabled": boolean, "cdpUrl": str, "remoteCdpTimeoutMs": nonneg, "remoteCdpHandshakeTimeoutMs": nonneg,
		"color": str, "executablePath": str, "headless": boolean, "noSandbox": boolean, "attachOnly": boolean, "defaultProfile": str,
		"snapshotDefaults": strict(fields{"mode": enum("efficient")}),
		"profiles": rec(strict(fields{"cdpPort": pos, "cdpUrl": str, "driver": enum("coderclaw", "extension"), "color": str}).with(func(s *schema) {
			s.refine = func(v val) string {
				if !truthy(v.child("cdpPort")) && !truthy(v.child("cdpUrl")) {
					return "a browser profile must set cdpPort or cdpUrl"
				}
				return ""
			}
		})).with(func(s *schema) {
			s.refine = func(v val) string {
				for _, m := range v.members() {
					if !profileName.MatchString(m.key()) {
						return fmt.Sprintf("profile name %q must be lowercase letters, digits and hyphens", m.key())
					}
				}
				return ""
			}
		}),
	}),
	"ui": strict(fields{"seamColor": str, "assistant": strict(fields{"name": str, "avatar": str})}),
	"auth": strict(fields{
		"profiles":  rec(strict(fields{"provider": str, "mode": enum("api_key", "oauth", "token"), "email": str}).with(func(s *schema) { s.required = []string{"provider", "mode"} })),
		"order":     rec(strs),
		"cooldowns": strict(fields{"billingBackoffHours": num, "billingBackoffHoursByProvider": rec(num), "billingMaxHours": num, "failureWindowHours": num}),
	}),
	"models":   anyv,
	"nodeHost": strict(fields{"browserProxy": strict(fields{"enabled": boolean, "allowProfiles": strs})}),
	"agents": open(fields{
		"defaults": open(fields{"sandbox": sandboxSchema, "model": modelSchema, "imageModel": modelSchema}),
		"list": arr(open(fields{
			"id": str, "model": modelSchema, "sandbox": sandboxSchema,
			"tools": open(toolPolicyFields),
		})),
	}),
	"tools":     open(toolPolicyFields),
	"bindings":  anyv,
	"broadcast": anyv,
	"audio":     anyv,
	"media":     strict(fields{"preserveFilenames": boolean}),
	"messages":  anyv,
	"commands": open(fields{
		"native": union(boolean, enum("auto")), "nativeSkills": union(boolean, enum("auto")),
		"useAccessGroups": boolean, "text": boolean,
	}),
	"approvals": anyv,
	"session":   open(fields{"dmScope": enum("main", "per-peer", "per-channel-peer", "per-account-channel-peer")}),
	"cron": strict(fields{"enabled": boolean, "store": str, "maxConcurrentRuns": pos, "webhook": str, "webhookToken": str,
		"sessionRetention": union(str, &schema{kind: sBool, refine: func(v val) string {
			if v.isTrue() {
				return "must be a string or false"
			}
			return ""
		}})}),
	"hooks": strict(fields{
		"enabled": boolean, "path": str, "token": str, "defaultSessionKey": str, "allowRequestSessionKey": boolean,
		"allowedSessionKeyPrefixes": strs, "allowedAgentIds": strs, "maxBodyBytes": pos, "presets": strs, "transformsDir": str,
		"mappings": arr(hooksMapping), "gmail": open(fields{"allowUnsafeExternalContent": boolean}), "internal": anyv,
	}),
	"web": strict(fields{"enabled": boolean, "heartbeatSeconds": pos,
		"reconnect": strict(fields{"initialMs": num, "maxMs": num, "factor": num, "jitter": num, "maxAttempts": nonneg})}),
	"channels": open(nil).with(func(s *schema) {
		s.fields = fields{"defaults": open(fields{"groupPolicy": groupPolicy})}
		s.catchall = channelSchema
	}),
	"discovery":  strict(fields{"wideArea": strict(fields{"enabled": boolean}), "mdns": strict(fields{"mode": enum("off", "minimal", "full")})}),
	"canvasHost": strict(fields{"enabled": boolean, "root": str, "port": pos, "liveReload": boolean}),
	"talk": strict(fields{"voiceId": str, "voiceAliases": strMap, "modelId": str, "outputFormat": str, "apiKey": str,
		"interruptOnSpeech": boolean}),
	"gateway": strict(fields{
		"port": pos, "mode": enum("local", "remote"), "bind": enum("auto", "lan", "loopback", "custom", "tailnet"),
		"controlUi": strict(fields{"enabled": boolean, "basePath": str, "root": str, "allowedOrigins": strs,
			"allowInsecureAuth": boolean, "dangerouslyDisableDeviceAuth": boolean}),
		"auth": strict(fields{
			"mode": enum("token", "password", "trusted-proxy"), "token": str, "password": str, "allowTailscale": boolean,
			"rateLimit":    strict(fields{"maxAttempts": num, "windowMs": num, "lockoutMs": num, "exemptLoopback": boolean}),
			"trustedProxy": strict(fields{"userHeader": str, "requiredHeaders": strs, "allowUsers": strs}).with(func(s *schema) { s.required = []string{"userHeader"} }),
		}),
		"trustedProxies":            strs,
		"tools":                     strict(fields{"deny": strs, "allow": strs}),
		"channelHealthCheckMinutes": nonneg,
		"tailscale":                 strict(fields{"mode": enum("off", "serve", "funnel"), "resetOnExit": boolean}),
		"remote": strict(fields{"url": str, "transport": enum("ssh", "direct"), "token": str, "password": str,
			"tlsFingerprint": str, "sshTarget": str, "sshIdentity": str}),
		"reload": strict(fields{"mode": enum("off", "restart", "hot", "hybrid"), "debounceMs": nonneg}),
		// gateway.tls is not strict in CoderClaw's schema: unknown keys are dropped, not refused.
		"tls": open(fields{"enabled": boolean, "autoGenerate": boolean, "certPath": str, "keyPath": str, "caPath": str}),
		"http": strict(fields{"endpoints": strict(fields{
			"chatCompletions": strict(fields{"enabled": boolean}),
			"responses": strict(fields{
				"enabled": boolean, "maxBodyBytes": pos, "maxUrlParts": nonneg,
				"files": strict(fields{"allowUrl": boolean, "urlAllowlist": strs, "allowedMimes": strs, "maxBytes": pos, "maxChars": pos,
					"maxRedirects": nonneg, "timeoutMs": pos,
					"pdf": strict(fields{"maxPages": pos, "maxPixels": pos, "minTextChars": nonneg})}),
				"images": strict(fields{"allowUrl": boolean, "urlAllowlist": strs, "allowedMimes": strs, "maxBytes": pos,
					"maxRedirects": nonneg, "timeoutMs": pos}),
			}),
		})}),
		"nodes": strict(fields{
			"browser":       strict(fields{"mode": enum("auto", "manual", "off"), "node": str}),
			"allowCommands": strs, "denyCommands": strs,
		}),
	}),
	"memory": strict(fields{
		"backend": enum("builtin", "qmd"), "citations": enum("auto", "on", "off"),
		"qmd": open(nil),
	}),
	"skills": strict(fields{
		"allowBundled": strs,
		"load":         strict(fields{"extraDirs": strs, "watch": boolean, "watchDebounceMs": nonneg}),
		"install":      strict(fields{"preferBrew": boolean, "nodeManager": enum("npm", "pnpm", "yarn", "bun")}),
		"limits": strict(fields{"maxCandidatesPerRoot": pos, "maxSkillsLoadedPerSource": pos, "maxSkillsInPrompt": nonneg,
			"maxSkillsPromptChars": nonneg, "maxSkillFileBytes": nonneg}),
		"registry": strict(fields{"url": str, "cli": str}),
		"entries":  rec(strict(fields{"enabled": boolean, "apiKey": str, "env": strMap, "config": rec(anyv)})),
	}),
	"plugins": strict(fields{
		"enabled": boolean, "allow": strs, "deny": strs,
		"load":     strict(fields{"paths": strs}),
		"slots":    strict(fields{"memory": str}),
		"entries":  rec(strict(fields{"enabled": boolean, "config": rec(anyv)})),
		"installs": rec(open(nil)),
	}),
	"localBrain": strict(fields{
		"enabled": boolean,
		"models": strict(fields{
			"amygdala":    strict(fields{"modelId": str, "dtype": str}),
			"hippocampus": strict(fields{"modelId": str, "dtype": str}),
		}),
	}),
})

// schemaProblem is one violation: where, which setting, what.
type schemaProblem struct {
	v   val
	msg string
}

func describeKind(v val) string {
	if v.n == nil {
		return "nothing"
	}
	return article(v.n.Kind) + " " + v.n.Kind.String()
}

// validate walks v against s and collects problems.
func validate(s *schema, v val, out *[]schemaProblem) {
	if s == nil || s.kind == sAny || v.n == nil {
		return
	}
	bad := func(msg string) { *out = append(*out, schemaProblem{v, msg}) }
	if v.isKind(jsonNull) {
		// zod .optional() accepts undefined, not null.
		bad(fmt.Sprintf("%s must be %s, not null", pathOr(v), s.describe()))
		return
	}
	switch s.kind {
	case sObj, sRec:
		if !v.isKind(jsonObject) {
			bad(fmt.Sprintf("%s must be an object, found %s", pathOr(v), describeKind(v)))
			return
		}
		for _, m := range v.members() {
			var sub *schema
			if s.kind == sRec {
				sub = s.elem
			} else if f, ok := s.fields[m.key()]; ok {
				sub = f
			} else if s.catchall != nil {
				sub = s.catchall
			} else if s.strict {
				*out = append(*out, schemaProblem{keyVal(m), fmt.Sprintf("unknown key %q in %s", m.key(), pathOr(v))})
				continue
			}
			validate(sub, m, out)
		}
		for _, r := range s.required {
			if !v.child(r).exists() {
				bad(fmt.Sprintf("%s.%s is required", pathOr(v), r))
			}
		}
	case sArr:
		if !v.isKind(jsonArray) {
			bad(fmt.Sprintf("%s must be an array, found %s", pathOr(v), describeKind(v)))
			return
		}
		for _, e := range v.elems() {
			validate(s.elem, e, out)
		}
	case sUnion:
		for _, a := range s.alts {
			var probe []schemaProblem
			validate(a, v, &probe)
			if len(probe) == 0 {
				return
			}
		}
		bad(fmt.Sprintf("%s must be %s, found %s", pathOr(v), s.describe(), describeKind(v)))
		return
	default:
		if msg := s.scalar(v); msg != "" {
			bad(fmt.Sprintf("%s must be %s", pathOr(v), msg))
			return
		}
	}
	if s.refine != nil {
		if msg := s.refine(v); msg != "" {
			bad(pathOr(v) + ": " + msg)
		}
	}
}

// keyVal points at a member's key rather than its value.
func keyVal(v val) val {
	if v.m != nil {
		v.anchor = loc{v.m.Doc, v.m.KeyStart}
		v.n = nil
	}
	return v
}

func pathOr(v val) string {
	if v.path == "" {
		return "the config"
	}
	return v.path
}

func (s *schema) describe() string {
	switch s.kind {
	case sObj, sRec:
		return "an object"
	case sStr:
		return "a string"
	case sBool:
		return "true or false"
	case sNum:
		return "a number"
	case sInt:
		return "an integer"
	case sEnum:
		q := make([]string, len(s.enum))
		for i, e := range s.enum {
			q[i] = fmt.Sprintf("%q", e)
		}
		return "one of " + strings.Join(q, ", ")
	case sArr:
		return "an array"
	case sUnion:
		d := make([]string, len(s.alts))
		for i, a := range s.alts {
			d[i] = a.describe()
		}
		return strings.Join(d, " or ")
	}
	return "anything"
}

// scalar checks a scalar schema; returns what was expected, or "".
func (s *schema) scalar(v val) string {
	switch s.kind {
	case sStr:
		if !v.isKind(jsonString) {
			return "a string, found " + describeKind(v)
		}
	case sBool:
		if !v.isKind(jsonBool) {
			return "true or false, found " + describeKind(v)
		}
	case sNum, sInt:
		f, ok := v.n.Float()
		if !v.isKind(jsonNumber) {
			return s.describe() + ", found " + describeKind(v)
		}
		if !ok || math.IsNaN(f) {
			return "a finite number, found " + clipText(v.n.Str)
		}
		if s.kind == sInt && (math.IsInf(f, 0) || f != math.Trunc(f)) {
			return "an integer, found " + clipText(v.n.Str)
		}
		if s.hasMin && f < s.min {
			return fmt.Sprintf("at least %g, found %s", s.min, clipText(v.n.Str))
		}
	case sEnum:
		str, ok := v.str()
		if ok {
			for _, e := range s.enum {
				if v.raw() == e || str == e {
					return ""
				}
			}
			if v.external() {
				return "" // an unresolved ${VAR}: the value comes from the environment
			}
		}
		found := describeKind(v)
		if ok {
			found = fmt.Sprintf("%q", clipText(v.raw()))
		}
		return s.describe() + ", found " + found
	}
	return ""
}

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func init() {
	register(&Check{
		ID: "config.schema_invalid", Severity: scan.SeverityCritical, Source: "clawgate",
		Title: "Config does not match the CoderClaw schema",
		Doc: "CoderClaw validates the config with a strict schema; on any violation (an unknown key, a wrong type, a value out of range, " +
			"or a sandbox value the schema refuses) it logs an error and **runs with an empty config**: no gateway auth, no allowlists, " +
			"default tool policy. `coderclaw security audit` then audits the empty config and reports nothing about your file. " +
			"Each violation is one finding at the offending key or value. clawgate checks strictly the sections whose exact schema it has " +
			"(top level, gateway, logging, browser, hooks, discovery, plugins, skills, memory, and a few more) and only known keys elsewhere.",
		Bad:         `{ gateway: { bnd: "loopback" } }`,
		Good:        `{ gateway: { bind: "loopback", auth: { token: "${CODERCLAW_GATEWAY_TOKEN}" } } }`,
		Remediation: "Fix or remove the key; `coderclaw doctor` migrates legacy keys.",
		Run: func(p *Pass) {
			var probs []schemaProblem
			validate(configSchema, p.Config.rootVal(), &probs)
			for _, pr := range probs {
				p.report(pr.v, "", pr.msg+"; CoderClaw would reject the whole config and run with an empty one")
			}
		},
	})
}
