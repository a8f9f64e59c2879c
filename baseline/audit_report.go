package baseline

// The data of `clawgate audit --report`: every selected entry with where
// its secret is now and, masked unless asked otherwise, what it is.

import (
	"context"
	"runtime"
	"sync"

	"github.com/coderclaw/clawgate/scan"
)

// ReportRow is one entry of the report.
type ReportRow struct {
	File string `json:"file"`
	// Line is where the secret is now; nil when it is gone.
	Line *int `json:"line"`
	// RecordedLine is the baseline's line_number; nil when it has none.
	RecordedLine *int   `json:"recorded_line"`
	Type         string `json:"type"`
	Label        Label  `json:"label"`
	HashedSecret string `json:"hashed_secret"`
	// Secret is scan.Mask of the value, or the value itself when the
	// report was built with unmask; nil when the secret is gone.
	Secret *string `json:"secret"`
	// Missing says why the secret was not found ("" when it was).
	Missing string `json:"missing,omitempty"`
}

// Report builds a row for every entry sel selects, in file order. Files
// are searched in parallel. The raw value is kept only with unmask.
func (l *Locator) Report(ctx context.Context, f *File, sel Selector, unmask bool) ([]ReportRow, error) {
	var idx []int
	byFile := map[string][]int{}
	var files []string
	for i := range f.Results {
		e := &f.Results[i]
		if !sel.Match(e) {
			continue
		}
		idx = append(idx, i)
		name := NormalizePath(e.Filename)
		if _, ok := byFile[name]; !ok {
			files = append(files, name)
		}
		byFile[name] = append(byFile[name], i)
	}
	locs := make(map[int]Location, len(idx))
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		next   = make(chan string)
		runErr error
	)
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(1, len(files))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range next {
				es := make([]*Entry, len(byFile[name]))
				for k, i := range byFile[name] {
					es[k] = &f.Results[i]
				}
				found, err := l.LocateAll(ctx, es)
				mu.Lock()
				if err != nil && runErr == nil {
					runErr = err
				}
				for k, i := range byFile[name] {
					if err == nil {
						locs[i] = found[k]
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, name := range files {
		next <- name
	}
	close(next)
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	rows := make([]ReportRow, 0, len(idx))
	for _, i := range idx {
		e := &f.Results[i]
		loc := locs[i]
		row := ReportRow{File: e.Filename, Type: e.Type, Label: LabelOf(e), HashedSecret: e.HashedSecret}
		if e.LineNumber != 0 {
			n := e.LineNumber
			row.RecordedLine = &n
		}
		if loc.Found {
			n := loc.Line
			row.Line = &n
			s := scan.Mask(loc.Secret)
			if unmask {
				s = loc.Secret
			}
			row.Secret = &s
		} else {
			row.Missing = loc.Reason
		}
		rows = append(rows, row)
	}
	return rows, nil
}
