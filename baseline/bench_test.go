package baseline

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/coderclaw/clawgate/scan"
)

const biggestReal = "testdata/real/IBM__mcp-context-forge.secrets.baseline" // 296 KB, 1120 entries

func BenchmarkParseIBM(b *testing.B) {
	data, err := os.ReadFile(biggestReal)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("ibm", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalIBM(b *testing.B) {
	data, err := os.ReadFile(biggestReal)
	if err != nil {
		b.Fatal(err)
	}
	f, err := Parse("ibm", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f.Marshal(WriteOptions{})
	}
}

// synthetic builds a 1.5 baseline with n entries over n/10 files, labels
// on every third entry.
func synthetic(n int) []byte {
	f := &File{Version: CurrentVersion, GeneratedAt: "2024-01-01T00:00:00Z"}
	for i := 0; i < n; i++ {
		e := Entry{
			Type:         []string{"Secret Keyword", "AWS Access Key", "Hex High Entropy String"}[i%3],
			Filename:     fmt.Sprintf("src/pkg%03d/file%06d.py", i%1000, i/10),
			HashedSecret: fmt.Sprintf("%040x", i*7919),
			LineNumber:   i%400 + 1,
		}
		if i%3 == 0 {
			e.IsSecret = boolp(i%2 == 0)
		}
		f.Results = append(f.Results, e)
	}
	return f.Marshal(WriteOptions{})
}

func BenchmarkParse100k(b *testing.B) {
	data := synthetic(100000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("synthetic", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal100k(b *testing.B) {
	f, err := Parse("synthetic", synthetic(100000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f.Marshal(WriteOptions{})
	}
}

func BenchmarkClassify100k(b *testing.B) {
	f, err := Parse("synthetic", synthetic(100000))
	if err != nil {
		b.Fatal(err)
	}
	fs := make([]scan.Finding, len(f.Results))
	for i, e := range f.Results {
		fs[i] = scan.Finding{Kind: scan.KindSecret, Type: e.Type, File: e.Filename, HashedSecret: e.HashedSecret}
	}
	b.ReportAllocs()
	for b.Loop() {
		f.Classify(fs)
	}
}

// TestRead100kEntriesFast: a 100,000-entry baseline (about 27 MB) reads in
// well under a second of CPU time (CPU, not wall time, so that a busy CI
// machine does not fail it; the benchmarks give the real numbers).
func TestRead100kEntriesFast(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test: skipped with -short and -race")
	}
	data := synthetic(100000)
	path := t.TempDir() + "/.secrets.baseline"
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	best := time.Hour
	for i := 0; i < 3; i++ {
		start := cpuTime()
		f, err := Read(path)
		if d := cpuTime() - start; d < best {
			best = d
		}
		if err != nil || len(f.Results) != 100000 {
			t.Fatalf("read %d entries, err %v", len(f.Results), err)
		}
	}
	if best > 700*time.Millisecond {
		t.Errorf("reading 100,000 entries took %v of CPU time", best)
	}
	t.Logf("%d bytes read in %v of CPU time", len(data), best)
}
