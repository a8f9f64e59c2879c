// Package hostile holds clawgate's hostile-input and no-leaks suite (its
// tests only): the real binary driven over trees, baselines and configs
// built to break it, and over a repository of planted secrets whose bytes
// no output may carry. docs/reliability.md lists the cases and what
// clawgate does for each.
//
// The suite keeps its own memory small: big files are written in fixed
// chunks or as sparse files, never held whole, and each run of the binary
// reports its peak memory (getrusage), which the cases bound.
package hostile
