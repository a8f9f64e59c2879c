// Command clawgate is the CI gate for secrets and CoderClaw configs.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("clawgate dev")
		return
	}
	fmt.Fprintln(os.Stderr, "usage: clawgate <scan|baseline|version|help>")
	os.Exit(2)
}
