package secrets

import (
	"slices"
	"strings"
	"testing"
)

func TestTypeForRule(t *testing.T) {
	tests := []struct{ rule, want string }{
		// The table of the reference, §1.7.
		{"aws-access-token", "AWS Access Key"},
		{"private-key", "Private Key"},
		{"github-pat", "GitHub Token"},
		{"gitlab-pat", "GitLab Token"},
		{"slack-bot-token", "Slack Token"},
		{"slack-user-token", "Slack Token"},
		{"stripe-access-token", "Stripe Access Key"},
		{"twilio-api-key", "Twilio API Key"},
		{"npm-access-token", "NPM tokens"},
		{"pypi-upload-token", "PyPI Token"},
		{"jwt", "JSON Web Token"},
		{"sendgrid-api-token", "SendGrid API Key"},
		{"openai-api-key", "OpenAI Token"},
		{"telegram-bot-api-token", "Telegram Bot Token"},
		{"discord-api-token", "Discord Bot Token"},
		{"mailchimp-api-key", "Mailchimp Access Key"},
		{"square-access-token", "Square OAuth Secret"},
		{"artifactory-api-key", "Artifactory Credentials"},
		{"artifactory-reference-token", "Artifactory Credentials"},
		{"generic-api-key", "Secret Keyword"},
		// Extensions for v8.30.1 rule families.
		{"github-fine-grained-pat", "GitHub Token"},
		{"github-oauth", "GitHub Token"},
		{"gitlab-runner-authentication-token", "GitLab Token"},
		{"slack-webhook-url", "Slack Token"},
		{"jwt-base64", "JSON Web Token"},
		// No detect-secrets plugin: the rule id is the type.
		{"gitlab-session-cookie", "gitlab-session-cookie"},
		{"anthropic-api-key", "anthropic-api-key"},
		{"gcp-api-key", "gcp-api-key"},
		{"aws-amazon-bedrock-api-key-long-lived", "aws-amazon-bedrock-api-key-long-lived"},
		{"my-custom-rule", "my-custom-rule"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TypeForRule(tt.rule); got != tt.want {
			t.Errorf("TypeForRule(%q) = %q, want %q", tt.rule, got, tt.want)
		}
	}
}

// TestRuleTableUsesRealRuleIDs: every rule in the table exists in the
// embedded gitleaks v8.30.1 rules, and every type is one a detect-secrets
// 1.5 plugin writes.
func TestRuleTableUsesRealRuleIDs(t *testing.T) {
	rules, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range rules.Config.Rules {
		ids = append(ids, id)
	}
	if len(ids) != 222 {
		t.Fatalf("%d rule ids, want the 222 of v8.30.1", len(ids))
	}
	dsTypes := []string{"Artifactory Credentials", "AWS Access Key", "Azure Storage Account access key", "Basic Auth Credentials",
		"Cloudant Credentials", "Discord Bot Token", "GitHub Token", "GitLab Token", "Base64 High Entropy String",
		"Hex High Entropy String", "IBM Cloud IAM Key", "IBM COS HMAC Credentials", "Public IP (ipv4)", "JSON Web Token",
		"Secret Keyword", "Mailchimp Access Key", "NPM tokens", "OpenAI Token", "Private Key", "PyPI Token", "SendGrid API Key",
		"Slack Token", "SoftLayer Credentials", "Square OAuth Secret", "Stripe Access Key", "Telegram Bot Token", "Twilio API Key"}
	for rule, typ := range ruleTypes {
		if !slices.Contains(ids, rule) {
			t.Errorf("%q is not a gitleaks v8.30.1 rule id", rule)
		}
		if !slices.Contains(dsTypes, typ) {
			t.Errorf("%q maps to %q, which no detect-secrets plugin writes", rule, typ)
		}
	}
	// Every gitleaks rule of a family that has a detect-secrets plugin is
	// mapped, so a new rule in a family is not forgotten silently.
	for _, id := range ids {
		for _, fam := range []string{"github-", "slack-", "artifactory-", "discord-"} {
			if strings.HasPrefix(id, fam) && TypeForRule(id) == id {
				t.Errorf("%q is in the %s family but has no detect-secrets type", id, fam)
			}
		}
	}
}

func TestRulesForType(t *testing.T) {
	tests := []struct {
		typ  string
		want []string
	}{
		{"AWS Access Key", []string{"aws-access-token"}},
		{"Private Key", []string{"private-key"}},
		{"JSON Web Token", []string{"jwt", "jwt-base64"}},
		{"Artifactory Credentials", []string{"artifactory-api-key", "artifactory-reference-token"}},
		{"anthropic-api-key", []string{"anthropic-api-key"}}, // a type that is a rule id
		{"Hex High Entropy String", nil},                     // no gitleaks counterpart
		{"Basic Auth Credentials", nil},
	}
	for _, tt := range tests {
		if got := RulesForType(tt.typ); !slices.Equal(got, tt.want) {
			t.Errorf("RulesForType(%q) = %q, want %q", tt.typ, got, tt.want)
		}
	}
	slack := RulesForType("Slack Token")
	if len(slack) != 9 || !slices.IsSorted(slack) {
		t.Errorf("Slack Token rules = %q", slack)
	}
	// The result is a copy.
	slack[0] = "x"
	if RulesForType("Slack Token")[0] == "x" {
		t.Error("RulesForType returns shared state")
	}
	for _, r := range RulesForType("GitLab Token") {
		if TypeForRule(r) != "GitLab Token" {
			t.Errorf("%s does not map back", r)
		}
	}
}
