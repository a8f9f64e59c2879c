package main

import (
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressStaysQuietOnQuickScans(t *testing.T) {
	var buf syncBuf
	p := startProgress(&buf, time.Hour)
	p.update(5, 10)
	p.stop()
	if buf.String() != "" {
		t.Fatalf("quick scan printed %q", buf.String())
	}
}

func TestProgressLine(t *testing.T) {
	var buf syncBuf
	p := startProgress(&buf, 0)
	p.update(3, 10)
	time.Sleep(50 * time.Millisecond)
	p.update(10, 10)
	p.stop()
	out := buf.String()
	if !strings.HasPrefix(out, "\rclawgate: scanned 3/10 files") || !strings.HasSuffix(out, "\rclawgate: scanned 10/10 files\n") {
		t.Fatalf("progress output %q", out)
	}
}
