package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress prints "scanned N/M files" on one line of stderr, rewritten in
// place, once a scan has run longer than a delay: quick scans stay silent,
// and CI logs get it only when asked (--progress).
type progress struct {
	w           io.Writer
	done, total atomic.Int64
	quit        chan struct{}
	wg          sync.WaitGroup
	shown       atomic.Bool
}

func startProgress(w io.Writer, delay time.Duration) *progress {
	p := &progress{w: w, quit: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		select {
		case <-time.After(delay):
		case <-p.quit:
			return
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			p.print()
			select {
			case <-tick.C:
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

func (p *progress) update(done, total int) {
	p.done.Store(int64(done))
	p.total.Store(int64(total))
}

func (p *progress) print() {
	if t := p.total.Load(); t > 0 {
		p.shown.Store(true)
		fmt.Fprintf(p.w, "\rclawgate: scanned %d/%d files", p.done.Load(), t)
	}
}

// stop ends the line so the report starts on a clean one.
func (p *progress) stop() {
	close(p.quit)
	p.wg.Wait()
	if p.shown.Load() {
		p.print()
		fmt.Fprintln(p.w)
	}
}
