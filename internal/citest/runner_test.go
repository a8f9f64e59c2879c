package citest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// This file runs action.yml the way the GitHub runner runs a composite
// action: inputs with their defaults, ${{ }} expressions in env:, with: and
// if:, each run step written to a file and run with `bash --noprofile
// --norc -eo pipefail`, fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files
// per step, outputs parsed from them, status functions, and the action's
// outputs at the end. uses: steps (setup-go, upload-sarif) are not run: the
// tests check what they would be given and whether they would run.

// actionFile is action.yml; decoding is strict, so a misspelt key fails.
type actionFile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

func loadAction(t *testing.T, dir string) *actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var a actionFile
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

// runOpts describe one workflow run using the action.
type runOpts struct {
	ActionPath string // default: this checkout
	ActionRef  string
	Workspace  string
	Event      string
	Payload    map[string]any
	Inputs     map[string]string
}

type stepRun struct {
	Step    actionStep
	Ran     bool // run: executed; uses: its if: held, so the runner would run it
	Code    int
	Stdout  string
	Stderr  string
	Outputs map[string]string
	Summary string
	With    map[string]string
}

type actionRun struct {
	Steps   []*stepRun
	Outputs map[string]string
	Failed  bool
	Code    int // exit code of the step that failed
}

func (r *actionRun) step(t *testing.T, name string) *stepRun {
	t.Helper()
	for _, s := range r.Steps {
		if s.Step.ID == name || s.Step.Name == name {
			return s
		}
	}
	t.Fatalf("no step %q in action.yml", name)
	return nil
}

// log is everything the run steps printed, as the job log shows it.
func (r *actionRun) log() string {
	var b strings.Builder
	for _, s := range r.Steps {
		b.WriteString(s.Stdout)
		b.WriteString(s.Stderr)
	}
	return b.String()
}

func (r *actionRun) String() string {
	var b strings.Builder
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "--- step %q ran=%v exit=%d outputs=%v\n%s%s", s.Step.Name, s.Ran, s.Code, s.Outputs, s.Stdout, s.Stderr)
	}
	fmt.Fprintf(&b, "--- action outputs %v, failed=%v\n", r.Outputs, r.Failed)
	return b.String()
}

// runAction runs the action's steps in order.
func runAction(t *testing.T, o runOpts) *actionRun {
	t.Helper()
	if o.ActionPath == "" {
		o.ActionPath = repoRoot
	}
	a := loadAction(t, o.ActionPath)
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	temp := t.TempDir()
	eventPath := filepath.Join(temp, "event.json")
	payload, _ := json.Marshal(o.Payload)
	if err := os.WriteFile(eventPath, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]any{}
	for name, in := range a.Inputs {
		inputs[name] = in.Default
	}
	for name, v := range o.Inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("input %q is not declared in action.yml", name)
		}
		inputs[name] = v
	}
	event := map[string]any{}
	json.Unmarshal(payload, &event)
	sha := strings.TrimSpace(run(t, o.Workspace, nil, "git", "rev-parse", "HEAD").stdout)
	github := map[string]any{
		"event":       event,
		"event_name":  o.Event,
		"action_path": o.ActionPath,
		"action_ref":  o.ActionRef,
		"workspace":   o.Workspace,
		"sha":         sha,
		"repository":  "octo/app",
	}
	runnerTemp := filepath.Join(temp, "runner-temp")
	os.Mkdir(runnerTemp, 0o755)
	steps := map[string]any{}
	ctx := &exprContext{contexts: map[string]any{
		"inputs": inputs,
		"github": github,
		"steps":  steps,
		"runner": map[string]any{"temp": runnerTemp, "os": "Linux"},
		"env":    map[string]any{},
	}}
	// The runner's own variables, on top of a host environment cleared of
	// anything a real CI job around these tests might have set.
	var base []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_") ||
			strings.HasPrefix(name, "INPUT_") || strings.HasPrefix(name, "ACTIONS_") {
			continue
		}
		base = append(base, kv)
	}
	base = append(base, "CI=true", "GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+o.Workspace, "GITHUB_EVENT_NAME="+o.Event, "GITHUB_EVENT_PATH="+eventPath,
		"GITHUB_SHA="+sha, "GITHUB_REPOSITORY=octo/app", "GITHUB_ACTION_PATH="+o.ActionPath,
		"RUNNER_TEMP="+runnerTemp, "RUNNER_OS=Linux")

	res := &actionRun{Outputs: map[string]string{}}
	for i, st := range a.Runs.Steps {
		sr := &stepRun{Step: st, Outputs: map[string]string{}}
		res.Steps = append(res.Steps, sr)
		ok, err := evalIf(st.If, ctx)
		if err != nil {
			t.Fatalf("step %q if: %v", st.Name, err)
		}
		if !ok {
			continue
		}
		sr.Ran = true
		if st.Uses != "" {
			sr.With = map[string]string{}
			for k, v := range st.With {
				if sr.With[k], err = interpolate(v, ctx); err != nil {
					t.Fatalf("step %q with.%s: %v", st.Name, k, err)
				}
			}
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash (the tests run bash steps only)", st.Name, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Fatalf("step %q pastes an expression into its script; pass it through env:", st.Name)
		}
		env := append([]string{}, base...)
		for k, v := range st.Env {
			val, err := interpolate(v, ctx)
			if err != nil {
				t.Fatalf("step %q env.%s: %v", st.Name, k, err)
			}
			env = append(env, k+"="+val)
		}
		outFile := filepath.Join(temp, fmt.Sprintf("output-%d", i))
		summaryFile := filepath.Join(temp, fmt.Sprintf("summary-%d", i))
		script := filepath.Join(temp, fmt.Sprintf("step-%d.sh", i))
		for _, f := range []string{outFile, summaryFile} {
			os.WriteFile(f, nil, 0o644)
		}
		os.WriteFile(script, []byte(st.Run), 0o644)
		env = append(env, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summaryFile)
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(cctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = o.Workspace
		if st.WorkingDirectory != "" {
			cmd.Dir = filepath.Join(o.Workspace, st.WorkingDirectory)
		}
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		cancel()
		if ee, ok := err.(*exec.ExitError); ok {
			sr.Code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %q: %v", st.Name, err)
		}
		sr.Stdout, sr.Stderr = stdout.String(), stderr.String()
		sr.Outputs = parseOutputs(t, outFile)
		summary, _ := os.ReadFile(summaryFile)
		sr.Summary = string(summary)
		if sr.Code != 0 && !res.Failed {
			res.Failed, res.Code = true, sr.Code
			ctx.failed = true
		}
		if st.ID != "" {
			outs := map[string]any{}
			for k, v := range sr.Outputs {
				outs[k] = v
			}
			outcome := "success"
			if sr.Code != 0 {
				outcome = "failure"
			}
			steps[st.ID] = map[string]any{"outputs": outs, "outcome": outcome, "conclusion": outcome}
		}
	}
	names := make([]string, 0, len(a.Outputs))
	for name := range a.Outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := interpolate(a.Outputs[name].Value, ctx)
		if err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
		res.Outputs[name] = v
	}
	return res
}

// parseOutputs reads a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is neither name=value nor name<<DELIMITER", line)
		}
		out[name] = val
	}
	return out
}
