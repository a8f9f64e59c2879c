package secrets

import "strings"

// detectSecretsTypes maps gitleaks rule ids to the detect-secrets type a
// baseline entry uses for the same kind of secret, so labels written by
// detect-secrets carry over: an entry matches on (file, hash, type).
var detectSecretsTypes = map[string]string{
	"aws-access-token":        "AWS Access Key",
	"private-key":             "Private Key",
	"generic-api-key":         "Secret Keyword",
	"jwt":                     "JSON Web Token",
	"npm-access-token":        "NPM tokens",
	"pypi-upload-token":       "PyPI Token",
	"sendgrid-api-token":      "SendGrid API Key",
	"openai-api-key":          "OpenAI Token",
	"telegram-bot-api-token":  "Telegram Bot Token",
	"mailchimp-api-key":       "Mailchimp Access Key",
	"square-access-token":     "Square OAuth Secret",
	"stripe-access-token":     "Stripe Access Key",
	"twilio-api-key":          "Twilio API Key",
	"slack-webhook-url":       "Slack Token",
	"github-pat":              "GitHub Token",
	"github-oauth":            "GitHub Token",
	"github-app-token":        "GitHub Token",
	"github-refresh-token":    "GitHub Token",
	"github-fine-grained-pat": "GitHub Token",
}

// typePrefixes covers rule families: every gitleaks rule of the family
// maps to the one detect-secrets type.
var typePrefixes = []struct{ prefix, typ string }{
	{"slack-", "Slack Token"},
	{"gitlab-", "GitLab Token"},
	{"discord-", "Discord Bot Token"},
	{"artifactory-", "Artifactory Credentials"},
}

// TypeForRule is the detect-secrets type name for a gitleaks rule id, or
// the rule id itself when detect-secrets has no such type.
func TypeForRule(ruleID string) string {
	if t, ok := detectSecretsTypes[ruleID]; ok {
		return t
	}
	for _, p := range typePrefixes {
		if strings.HasPrefix(ruleID, p.prefix) {
			return p.typ
		}
	}
	return ruleID
}
