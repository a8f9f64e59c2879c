package secrets

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/config"
)

// benchCorpus is real Go source with real test fixtures: net/http and
// crypto/tls from the Go distribution every machine with Go has.
func benchCorpus(b *testing.B) map[string][]byte {
	b.Helper()
	files := map[string][]byte{}
	for _, dir := range []string{"net/http", "crypto/tls"} {
		root := filepath.Join(runtime.GOROOT(), "src", dir)
		entries, err := os.ReadDir(root)
		if err != nil {
			b.Skip("no GOROOT/src")
		}
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".go") {
				data, err := os.ReadFile(filepath.Join(root, e.Name()))
				if err == nil {
					files[dir+"/"+e.Name()] = data
				}
			}
		}
	}
	return files
}

func benchDetector(b *testing.B, det Detector) {
	files := benchCorpus(b)
	var size int64
	for _, c := range files {
		size += int64(len(c))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, c := range files {
			if _, err := ScanContent(context.Background(), det, name, c); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkFastDetector(b *testing.B) {
	fast, _ := detectors(b)
	benchDetector(b, fast)
}

func BenchmarkReferenceDetector(b *testing.B) {
	_, ref := detectors(b)
	benchDetector(b, ref)
}

func BenchmarkKeywordIndex(b *testing.B) {
	fast, _ := detectors(b)
	text := joined(benchCorpus(b))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		fast.ki.scan(text, func(int, int32) { n++ })
	}
}

func BenchmarkEncodedRuns(b *testing.B) {
	text := joined(benchCorpus(b))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		encodingMatches(text)
	}
}

func BenchmarkLoadDefaultRules(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := translate([]byte(config.DefaultConfig), ""); err != nil {
			b.Fatal(err)
		}
	}
}

func joined(files map[string][]byte) string {
	var sb strings.Builder
	for _, c := range files {
		sb.Write(c)
	}
	return sb.String()
}
