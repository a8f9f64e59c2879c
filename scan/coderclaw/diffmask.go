package coderclaw

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"unicode/utf8"

	"github.com/coderclaw/clawgate/scan/coderclaw/json5"
	"github.com/coderclaw/clawgate/scan/secrets"
)

// credentialKey names settings whose string value is a credential:
// gateway.auth.password and .token, hooks.token, a channel's botToken, a
// provider's apiKey, an env block's FOO_API_KEY.
var credentialKey = regexp.MustCompile(`(?i)pass(word|wd)?$|pwd$|token|secret|key$|credential|cookie|bearer|private`)

// diffSource is the text a dry run's diff shows: src with every credential
// cut to its first characters (as a finding masks a secret) and the rest of
// its bytes turned into '*', so the length and every offset stay the same.
// A diff's context lines are the file's own lines: without this, the
// gateway password two lines above a fixed setting reached the CI log of
// `lint --fix --dry-run`. Credentials are the string values of
// credential-like keys, and whatever the gitleaks rules find in the file.
// maskDetector is the secret detector diffSource masks with, built once
// for all the files of a run.
var maskDetector = sync.OnceValue(func() *secrets.Fast {
	rules, err := secrets.DefaultRules()
	if err != nil {
		return nil
	}
	return secrets.NewFast(rules)
})

func diffSource(doc *json5.Doc, edits []*edit) []byte {
	src := bytes.Clone(doc.Src)
	var spans [][2]int // byte ranges to mask
	var walk func(n *json5.Node)
	walk = func(n *json5.Node) {
		if n == nil {
			return
		}
		for _, m := range n.Members {
			if m.Value != nil && m.Value.Kind == json5.String && m.Value.Doc == doc && credentialKey.MatchString(m.Key) {
				// Inside the quotes.
				spans = append(spans, [2]int{m.Value.Start + 1, m.Value.End - 1})
			}
			walk(m.Value)
		}
		for _, e := range n.Elems {
			walk(e)
		}
	}
	walk(doc.Root)
	if det := maskDetector(); det != nil {
		ms, _ := secrets.ScanContent(context.Background(), det, doc.Name, doc.Src)
		for _, m := range ms {
			if m.Secret == "" {
				continue
			}
			for off := 0; ; {
				i := bytes.Index(doc.Src[off:], []byte(m.Secret))
				if i < 0 {
					break
				}
				spans = append(spans, [2]int{off + i, off + i + len(m.Secret)})
				off += i + len(m.Secret)
			}
		}
	}
	for _, s := range spans {
		if s[1] <= s[0] || s[0] < 0 || s[1] > len(src) || overlapsEdit(s, edits) {
			continue
		}
		// Keep a quarter of the characters, at most four.
		keep := min(utf8.RuneCount(doc.Src[s[0]:s[1]])/4, 4)
		i := s[0]
		for k := 0; k < keep; k++ {
			_, n := utf8.DecodeRune(doc.Src[i:s[1]])
			i += n
		}
		for ; i < s[1]; i++ {
			src[i] = '*'
		}
	}
	return src
}

// overlapsEdit reports a span an edit rewrites: the edit shows its own
// (non-secret) value.
func overlapsEdit(s [2]int, edits []*edit) bool {
	for _, e := range edits {
		if s[0] < e.end && e.at.off < s[1] {
			return true
		}
	}
	return false
}
