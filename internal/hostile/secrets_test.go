//go:build unix

package hostile

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// plant is one secret planted in a repository. Every literal is assembled
// at run time: this repository scans itself, and no test file may hold
// something that looks like a real secret.
type plant struct {
	name string
	// rule is the gitleaks rule that must find it.
	rule string
	file string
	// text is the file's content.
	text string
	// secret is the bytes no output may carry, nor a prefix of 8 of them.
	secret string
}

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lower   = "abcdefghijklmnopqrstuvwxyz0123456789"
	hexits  = "0123456789abcdef"
	base32  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	word    = alnum + "_"
	urlSafe = alnum + "_-"
	digits  = "0123456789"
)

func pick(r *rand.Rand, chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	return string(b)
}

// plants returns 21 secrets of real formats, each in a file of its own
// (the two CoderClaw ones share coderclaw.json), different per seed.
func plants(seed int64) []plant {
	r := rand.New(rand.NewSource(seed))
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	jwt := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(`{"sub":"`+pick(r, alnum, 16)+`","name":"ci"}`) + "." + pick(r, alnum, 43)
	keyBody := make([]string, 6)
	for i := range keyBody {
		keyBody[i] = pick(r, alnum, 64)
	}
	gatewayPassword := pick(r, alnum, 12) + "-" + pick(r, alnum, 12)
	hooksToken := pick(r, alnum, 32)
	ps := []plant{
		{name: "aws", rule: "aws-access-token", secret: "AK" + "IA" + pick(r, base32, 16)},
		{name: "github-classic", rule: "github-pat", secret: "gh" + "p_" + pick(r, alnum, 36)},
		{name: "github-fine-grained", rule: "github-fine-grained-pat", secret: "github" + "_pat_" + pick(r, word, 82)},
		{name: "gitlab", rule: "gitlab-pat", secret: "gl" + "pat-" + pick(r, alnum, 20)},
		{name: "slack", rule: "slack-bot-token", secret: "xo" + "xb-" + pick(r, digits, 11) + "-" + pick(r, digits, 12) + "-" + pick(r, alnum, 24)},
		{name: "stripe", rule: "stripe-access-token", secret: "sk" + "_live_" + pick(r, alnum, 24)},
		{name: "npm", rule: "npm-access-token", secret: "np" + "m_" + pick(r, lower, 36)},
		{name: "pypi", rule: "pypi-upload-token", secret: "pypi-" + "AgEIcHlwaS5vcmc" + pick(r, urlSafe, 60)},
		{name: "sendgrid", rule: "sendgrid-api-token", secret: "SG" + "." + pick(r, urlSafe, 22) + "." + pick(r, urlSafe, 43)},
		{name: "twilio", rule: "twilio-api-key", secret: "S" + "K" + pick(r, hexits, 32)},
		{name: "openai", rule: "openai-api-key", secret: "sk-" + "proj-" + pick(r, urlSafe, 74) + "T3Blbk" + "FJ" + pick(r, urlSafe, 74)},
		{name: "anthropic", rule: "anthropic-api-key", secret: "sk-" + "ant-api03-" + pick(r, urlSafe, 93) + "AA"},
		{name: "gcp", rule: "gcp-api-key", secret: "AI" + "za" + pick(r, urlSafe, 35)},
		{name: "shopify", rule: "shopify-access-token", secret: "sh" + "pat_" + pick(r, hexits, 32)},
		{name: "digitalocean", rule: "digitalocean-pat", secret: "do" + "p_v1_" + pick(r, hexits, 64)},
		{name: "linear", rule: "linear-api-key", secret: "lin" + "_api_" + pick(r, alnum, 40)},
		{name: "jwt", rule: "jwt", secret: jwt},
		// The key's body: the block's first lines are the same in every key.
		{name: "private-key", rule: "private-key", secret: keyBody[0]},
		{name: "generic-password", rule: "generic-api-key", secret: pick(r, alnum, 10) + "_" + pick(r, alnum, 14)},
		{name: "coderclaw-gateway-password", rule: "generic-api-key", file: "coderclaw.json", secret: gatewayPassword},
		{name: "coderclaw-hooks-token", rule: "generic-api-key", file: "coderclaw.json", secret: hooksToken},
	}
	files := map[string]string{
		"aws":                 "config/aws.env|AWS_ACCESS_KEY_ID=%s\n",
		"github-classic":      "src/app.py|import os\nTOKEN = \"%s\"\n",
		"github-fine-grained": ".github/release.sh|#!/bin/sh\nexport GH_TOKEN=%s\n",
		"gitlab":              "deploy/gitlab.sh|export GITLAB_TOKEN=%s\n",
		"slack":               "notify/slack.json|{\"bot\": \"%s\"}\n",
		"stripe":              "billing/stripe.rb|Stripe.api_key = '%s'\n",
		"npm":                 ".npmrc|//registry.npmjs.org/:_authToken=%s\n",
		"pypi":                ".pypirc|[pypi]\nusername = __token__\npassword = %s\n",
		"sendgrid":            "mail/sendgrid.env|SENDGRID_API_KEY=%s\n",
		"twilio":              "sms/twilio.env|TWILIO_API_KEY=%s\n",
		"openai":              "ai/openai.env|OPENAI_API_KEY=%s\n",
		"anthropic":           "ai/anthropic.py|client = Anthropic(api_key=\"%s\")\n",
		"gcp":                 "web/maps.js|const mapsKey = \"%s\";\n",
		"shopify":             "shop/shopify.env|SHOPIFY_TOKEN=%s\n",
		"digitalocean":        "infra/do.tf|token = \"%s\"\n",
		"linear":              "tools/linear.env|LINEAR_KEY=%s\n",
		"jwt":                 "auth/session.txt|Authorization: Bearer %s\n",
		"generic-password":    "settings.py|DB_USER = \"app\"\npassword = \"%s\"\n",
	}
	for i := range ps {
		p := &ps[i]
		switch {
		case p.name == "private-key":
			p.file = "keys/id_rsa"
			p.text = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + strings.Join(keyBody, "\n") + "\n-----END RSA " + "PRIVATE KEY-----\n"
		case p.file == "coderclaw.json":
			// logging.redactSensitive "off" has a --fix: its diff shows
			// the lines around it.
			p.text = fmt.Sprintf("{\n  // the gateway\n  gateway: {\n    bind: \"loopback\",\n    auth: { mode: \"password\", password: \"%s\" },\n  },\n  logging: { redactSensitive: \"off\" },\n  hooks: { token: \"%s\" },\n}\n", gatewayPassword, hooksToken)
		default:
			f, format, _ := strings.Cut(files[p.name], "|")
			p.file, p.text = f, fmt.Sprintf(format, p.secret)
		}
	}
	return ps
}

// leaks returns a description of each planted secret that out carries
// whole or by a prefix of 8 characters, without the secret itself: test
// logs must not carry it either.
func leaks(ps []plant, out string) []string {
	var found []string
	for _, p := range ps {
		if i := strings.Index(out, p.secret[:8]); i >= 0 {
			sum := sha1.Sum([]byte(p.secret))
			found = append(found, fmt.Sprintf("%s (sha1 %s…) at byte %d", p.name, hex.EncodeToString(sum[:4]), i))
		}
	}
	return found
}

// The planted secrets are what they claim: distinct, long enough for the
// prefix test, and without a prefix any output has for other reasons.
func TestPlantsAreDistinct(t *testing.T) {
	ps := plants(1)
	if len(ps) < 20 {
		t.Fatalf("%d plants, want at least 20", len(ps))
	}
	seen := map[string]string{}
	for _, p := range ps {
		if len(p.secret) < 12 || !strings.Contains(p.text, p.secret) {
			t.Fatalf("%s: secret of %d bytes, in its text: %v", p.name, len(p.secret), strings.Contains(p.text, p.secret))
		}
		if other, ok := seen[p.secret[:8]]; ok {
			t.Fatalf("%s and %s share a prefix", p.name, other)
		}
		seen[p.secret[:8]] = p.name
	}
}
