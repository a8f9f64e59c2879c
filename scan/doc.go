// Package scan finds candidates: secrets (gitleaks rules, inline pragmas) and
// CoderClaw config issues. It owns the Finding type that every later stage
// and every output uses. It knows nothing of baselines' file format or of
// output formats: those come after it in the flow cmd → scan → baseline → outputs.
package scan
