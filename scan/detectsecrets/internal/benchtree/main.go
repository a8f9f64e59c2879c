// Command benchtree times the detect-secrets plugins over a directory tree
// (by default the Go source tree), single-threaded, and prints counts per
// type. It prints no secret values: -dump writes every result as file,
// line, type and the SHA-1 of the value, so that two builds can be
// compared on any tree.
package main

import (
	"bufio"
	"crypto/sha1"
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
	dump := flag.String("dump", "", "write every result (file, line, type, SHA-1 of the value) to `FILE`")
	flag.Parse()
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
		if rel == "." {
			rel = filepath.Base(p)
		}
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
	all := make([][]detectsecrets.Result, len(files))
	start := time.Now()
	for i, f := range files {
		all[i] = s.ScanFile(f.rel, f.data)
		for _, r := range all[i] {
			counts[r.Type]++
		}
	}
	el := time.Since(start)
	if *dump != "" {
		if err := writeDump(*dump, files, all); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
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

type file struct {
	rel  string
	data []byte
}

func writeDump(name string, files []file, all [][]detectsecrets.Result) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i, rs := range all {
		for _, r := range rs {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%x\n", files[i].rel, r.Line, r.Type, r.Plugin, sha1.Sum([]byte(r.Secret)))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
