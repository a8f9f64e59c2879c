// Command benchtree times the detect-secrets plugins over a directory tree
// (by default the Go source tree), single-threaded, and prints counts per
// type. It prints no secret values.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/coderclaw/clawgate/scan/detectsecrets"
)

func main() {
	root := flag.String("root", filepath.Join(runtime.GOROOT(), "src"), "tree to scan")
	prof := flag.String("cpuprofile", "", "write a CPU profile")
	flag.Parse()
	type file struct {
		rel  string
		data []byte
	}
	var files []file
	var total int64
	_ = filepath.WalkDir(*root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(*root, p)
		files = append(files, file{filepath.ToSlash(rel), b})
		total += int64(len(b))
		return nil
	})
	s, err := detectsecrets.New(detectsecrets.DefaultPlugins(), detectsecrets.DefaultFilters())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	counts := map[string]int{}
	if *prof != "" {
		pf, _ := os.Create(*prof)
		_ = pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for _, f := range files {
		for _, r := range s.ScanFile(f.rel, f.data) {
			counts[r.Type]++
		}
	}
	el := time.Since(start)
	fmt.Printf("%d files, %.1f MB, %v (%.0f MB/s)\n", len(files), float64(total)/1e6, el, float64(total)/1e6/el.Seconds())
	var types []string
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Printf("  %-35s %d\n", t, counts[t])
	}
}
