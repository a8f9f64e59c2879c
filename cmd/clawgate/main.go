// Command clawgate is the CI gate for secrets and CoderClaw configs.
//
// This package turns flags into calls; the work is done in scan, baseline,
// report and sarif.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	flag "github.com/spf13/pflag"
)

// Exit codes: the gate's contract with CI.
const (
	exitClean = 0 // nothing new
	exitFound = 1 // something new
	exitError = 2 // usage or runtime error
)

// command is one subcommand: its flags are defined on fs by setup, and run
// gets the positional arguments.
type command struct {
	name    string
	args    string
	summary string
	long    string
	setup   func(fs *flag.FlagSet) func(args []string) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// exitErr carries a specific exit code (1 for findings, 2 for errors).
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(format string, a ...any) error {
	return &exitErr{code: exitError, err: fmt.Errorf(format, a...)}
}

// errFound means findings fail the gate; the output already said why.
var errFound = &exitErr{code: exitFound}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitError
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if name == "help" && len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fs := newFlagSet(c, stdout)
				c.setup(fs)
				fs.Usage()
				return exitClean
			}
			fmt.Fprintf(stderr, "clawgate: unknown command %q\n", args[1])
			return exitError
		}
		printUsage(stdout)
		return exitClean
	case "-v", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "clawgate: unknown command %q (run 'clawgate help')\n", name)
		return exitError
	}
	fs := newFlagSet(c, stdout)
	runFn := c.setup(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		fmt.Fprintf(stderr, "clawgate %s: %v\n(run 'clawgate %s --help')\n", c.name, err, c.name)
		return exitError
	}
	err := runFn(fs.Args())
	if err == nil {
		return exitClean
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "clawgate %s: %v\n", c.name, ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "clawgate %s: %v\n", c.name, err)
	return exitError
}

func newFlagSet(c *command, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("clawgate "+c.name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: clawgate %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.long))
		if fs.HasAvailableFlags() {
			fmt.Fprintf(out, "\nFlags:\n%s", fs.FlagUsages())
		}
	}
	return fs
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "clawgate: the CI gate for secrets and CoderClaw configs.")
	fmt.Fprintln(w, "\nUsage: clawgate <command> [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "  help       Show help for a command: clawgate help <command>")
	fmt.Fprintln(w, "\nExit codes: 0 nothing new, 1 something new, 2 usage or runtime error.")
}
