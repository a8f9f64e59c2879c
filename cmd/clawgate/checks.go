package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/scan/coderclaw"
)

func init() {
	register(&command{
		name:    "checks",
		summary: "List every CoderClaw config check with its severity",
		long: `Lists the CoderClaw config checks: the checkIds of 'coderclaw security audit'
that can be decided from checked-in files, plus clawgate's own. docs/checks.md
is generated from the same registry and shows each check's example.`,
		setup: func(fs *flag.FlagSet) func([]string) error {
			format := fs.String("format", "text", "output format: text, json or markdown")
			return func(args []string) error {
				if len(args) > 0 {
					return usageErr("checks takes no arguments")
				}
				switch *format {
				case "markdown":
					_, err := fmt.Fprint(os.Stdout, coderclaw.ChecksMarkdown())
					return err
				case "json":
					type check struct {
						ID          string `json:"id"`
						Severity    string `json:"severity"`
						Escalation  string `json:"escalation,omitempty"`
						Title       string `json:"title"`
						Remediation string `json:"remediation,omitempty"`
						Fix         string `json:"fix,omitempty"`
						StateDir    bool   `json:"state_dir,omitempty"`
					}
					var out []check
					for _, c := range coderclaw.Checks() {
						out = append(out, check{c.ID, string(c.Severity), c.Escalation, c.Title, c.Remediation, c.Fix, c.StateDir})
					}
					enc := json.NewEncoder(os.Stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(out)
				case "text":
					tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
					for _, c := range coderclaw.Checks() {
						sev := string(c.Severity)
						if c.Escalation != "" {
							sev += "→critical"
						}
						fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, sev, c.Title)
					}
					return tw.Flush()
				}
				return usageErr("unknown --format %q (want text, json or markdown)", *format)
			}
		},
	})
}
