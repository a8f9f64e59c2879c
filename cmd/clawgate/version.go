package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	flag "github.com/spf13/pflag"

	"github.com/coderclaw/clawgate/scan/secrets"
)

// version is set with -ldflags "-X main.version=..." by release builds;
// otherwise the module or VCS information of the build is used.
var version = ""

func init() {
	register(&command{
		name:    "version",
		summary: "Print the version, the gitleaks rule set and the regexp engine",
		long:    "Prints clawgate's version, the gitleaks version whose rules it embeds, and the regexp engine it was built with.",
		setup: func(fs *flag.FlagSet) func([]string) error {
			return func(args []string) error {
				fmt.Fprintf(os.Stdout, "clawgate %s\n", toolVersion())
				fmt.Fprintf(os.Stdout, "gitleaks rules %s\n", secrets.GitleaksVersion())
				fmt.Fprintf(os.Stdout, "regexp engine %s\n", secrets.RegexpEngine)
				fmt.Fprintf(os.Stdout, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		},
	})
}

func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "dev"
	}
	return "dev-" + rev + dirty
}
