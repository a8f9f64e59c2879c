package secrets

import (
	"sort"
	"sync"
)

// ruleTypes maps gitleaks v8.30.1 rule ids to the detect-secrets "type" of
// the plugin that looks for the same kind of credential, so a baseline
// written by clawgate reads naturally next to one written by
// detect-secrets, and audit labels can be migrated between the two.
//
// A rule is listed only when a detect-secrets 1.5 plugin covers the same
// provider's credential; everything else keeps its rule id as its type.
// Families follow the plugin: SlackDetector reports bot, user, app,
// legacy and webhook tokens all as "Slack Token", GitHubTokenDetector every
// gh*_ prefix as "GitHub Token", GitLabTokenDetector every gl*- prefix as
// "GitLab Token".
var ruleTypes = map[string]string{
	"artifactory-api-key":         "Artifactory Credentials",
	"artifactory-reference-token": "Artifactory Credentials",

	"aws-access-token": "AWS Access Key",

	"discord-api-token":     "Discord Bot Token",
	"discord-client-id":     "Discord Bot Token",
	"discord-client-secret": "Discord Bot Token",

	"github-app-token":        "GitHub Token",
	"github-fine-grained-pat": "GitHub Token",
	"github-oauth":            "GitHub Token",
	"github-pat":              "GitHub Token",
	"github-refresh-token":    "GitHub Token",

	"gitlab-cicd-job-token":                       "GitLab Token",
	"gitlab-deploy-token":                         "GitLab Token",
	"gitlab-feature-flag-client-token":            "GitLab Token",
	"gitlab-feed-token":                           "GitLab Token",
	"gitlab-incoming-mail-token":                  "GitLab Token",
	"gitlab-kubernetes-agent-token":               "GitLab Token",
	"gitlab-oauth-app-secret":                     "GitLab Token",
	"gitlab-pat":                                  "GitLab Token",
	"gitlab-pat-routable":                         "GitLab Token",
	"gitlab-ptt":                                  "GitLab Token",
	"gitlab-rrt":                                  "GitLab Token",
	"gitlab-runner-authentication-token":          "GitLab Token",
	"gitlab-runner-authentication-token-routable": "GitLab Token",
	"gitlab-scim-token":                           "GitLab Token",

	"jwt":        "JSON Web Token",
	"jwt-base64": "JSON Web Token",

	"generic-api-key": "Secret Keyword",

	"mailchimp-api-key": "Mailchimp Access Key",

	"npm-access-token": "NPM tokens",

	"openai-api-key": "OpenAI Token",

	"private-key": "Private Key",

	"pypi-upload-token": "PyPI Token",

	"sendgrid-api-token": "SendGrid API Key",

	"slack-app-token":              "Slack Token",
	"slack-bot-token":              "Slack Token",
	"slack-config-access-token":    "Slack Token",
	"slack-config-refresh-token":   "Slack Token",
	"slack-legacy-bot-token":       "Slack Token",
	"slack-legacy-token":           "Slack Token",
	"slack-legacy-workspace-token": "Slack Token",
	"slack-user-token":             "Slack Token",
	"slack-webhook-url":            "Slack Token",

	"square-access-token": "Square OAuth Secret",

	"stripe-access-token": "Stripe Access Key",

	"telegram-bot-api-token": "Telegram Bot Token",

	"twilio-api-key": "Twilio API Key",
}

// TypeForRule returns the detect-secrets type name for a gitleaks rule id
// when a detect-secrets plugin covers the same credential, else the rule id
// itself.
func TypeForRule(ruleID string) string {
	if t, ok := ruleTypes[ruleID]; ok {
		return t
	}
	return ruleID
}

var (
	typeRulesOnce sync.Once
	typeRules     map[string][]string
)

// RulesForType is the reverse of TypeForRule: the gitleaks rule ids whose
// findings get detect-secrets type t, sorted. It is used to prefer a
// plausible finding when a label is migrated. A type that is itself a rule
// id (no detect-secrets name) gives just that id; an unknown type gives nil.
func RulesForType(t string) []string {
	typeRulesOnce.Do(func() {
		typeRules = map[string][]string{}
		for r, ty := range ruleTypes {
			typeRules[ty] = append(typeRules[ty], r)
		}
		for _, rs := range typeRules {
			sort.Strings(rs)
		}
	})
	if rs, ok := typeRules[t]; ok {
		return append([]string(nil), rs...)
	}
	if _, ok := ruleTypes[t]; !ok && isRuleID(t) {
		return []string{t}
	}
	return nil
}

// isRuleID tells gitleaks-style ids ("aws-access-token") from
// detect-secrets type names ("AWS Access Key").
func isRuleID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
