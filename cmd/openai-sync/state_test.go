package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

// Reading or clearing cursors where nothing was synced is a usage error and
// leaves no file behind.
func TestStateOnAMissingDestinationCreatesNothing(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	for _, args := range [][]string{
		{"state", "show", "--path", h.path("none.duckdb")},
		{"state", "reset", "audit_logs", "--path", h.path("none.duckdb")},
		{"state", "show", "--destination", "parquet", "--path", h.path("none-parquet")},
	} {
		code, _, errOut := h.run(args...)
		if code != exitUsage || !strings.Contains(errOut, "nothing has been synced there") {
			t.Errorf("%v: exit %d, stderr %q; want %d and what to do", args, code, errOut, exitUsage)
		}
	}
	assertNoneCreated(t, h.dir)
}

// assertNoneCreated fails the test for each file or directory in dir whose
// name starts with "none": the paths the tests give where nothing may be
// created.
func assertNoneCreated(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "none") {
			t.Errorf("%s was created", e.Name())
		}
	}
}

// A cursor per project or per bucket width prints one line per key, so the
// table stays readable however many projects there are.
func TestCursorPartsGiveOneLinePerKey(t *testing.T) {
	for _, tc := range []struct {
		cursor string
		want   []cursorPart
	}{
		{`{"proj_b":1795399140,"proj_a":0}`, []cursorPart{{"proj_a=0", "1970-01-01T00:00:00Z"}, {"proj_b=1795399140", "2026-11-23T01:59:00Z"}}},
		{`{"1d":1795392000}`, []cursorPart{{"1d=1795392000", "2026-11-23T00:00:00Z"}}},
		{"1795393499", []cursorPart{{"1795393499", "2026-11-23T00:24:59Z"}}},
		{"evt_abc", []cursorPart{{"evt_abc", ""}}},
		{"", []cursorPart{{"", ""}}},
	} {
		if got := cursorParts(tc.cursor); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("cursorParts(%q) = %v, want %v", tc.cursor, got, tc.want)
		}
	}
}

// A plan reads the stored cursors where there are some, and creates nothing
// where there are none.
func TestDryRunCreatesNothing(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	for _, args := range [][]string{
		{"run", "--dry-run", "--path", h.path("none.duckdb")},
		{"run", "--dry-run", "--destination", "parquet", "--path", h.path("none-parquet")},
	} {
		out, _ := h.mustRun(exitOK, args...)
		if !strings.Contains(out, "audit_logs") {
			t.Errorf("%v: no plan:\n%s", args, out)
		}
	}
	assertNoneCreated(t, h.dir)
	path := h.path("o.duckdb")
	h.mustRun(exitOK, "run", "--path", path, "--streams", "audit_logs")
	if out, _ := h.mustRun(exitOK, "run", "--dry-run", "--path", path, "--streams", "audit_logs"); !strings.Contains(out, "from effective_at >= cursor") {
		t.Errorf("the plan after a run does not start from the stored cursor:\n%s", out)
	}
}

// With --log-format json, every line on stderr is a JSON object, the
// summary and the final error included.
func TestJSONLogsAreJSONToTheEnd(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.env["OPENAI_ADMIN_KEY"] = h.sb.RevokedKey()
	code, _, errOut := h.run("run", "--log-format", "json", "--path", h.path("j.duckdb"), "--streams", "users,projects")
	if code != exitAuth {
		t.Fatalf("exit %d, want %d (a revoked key)\n%s", code, exitAuth, errOut)
	}
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		msgs = append(msgs, fmt.Sprint(rec["msg"]))
	}
	joined := strings.Join(msgs, "|")
	for _, want := range []string{"stream result", "run result", "ended auth_failed"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %q record among %v", want, msgs)
		}
	}
}

// state reads the destination the config's run section names, as run does.
func TestStateUsesTheConfigsPathAndSchema(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	path := h.path("data/o.duckdb")
	if err := os.MkdirAll(h.path("data"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := h.path("c.yaml")
	if err := os.WriteFile(cfg, []byte("run:\n  path: "+path+"\n  schema: analytics\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.mustRun(exitOK, "--config", cfg, "run", "--streams", "audit_logs")
	out, _ := h.mustRun(exitOK, "--config", cfg, "state", "show")
	if !strings.Contains(out, "audit_logs") {
		t.Errorf("state show did not read %s (schema analytics):\n%s", path, out)
	}
}

// A project key in the environment wins over the config file's for the
// same project, as flags win over the environment, which wins over the file.
func TestTheEnvironmentsProjectKeyWinsOverTheConfigs(t *testing.T) {
	g := &globalOptions{configPath: filepath.Join(t.TempDir(), "c.yaml")}
	if err := os.WriteFile(g.configPath, []byte("projects:\n  - id: proj_same\n    key_env: CFG_PROJ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CFG_PROJ": "sk-proj-from-the-file-0000", "OPENAI_API_KEY": "sk-proj-from-the-env-1111", "OPENAI_PROJECT_ID": "proj_same"}
	io := &IOStreams{Getenv: func(k string) string { return env[k] }}
	o := &runOptions{}
	if err := resolveInputs(newRunCmd(io, g), io, g, o); err != nil {
		t.Fatal(err)
	}
	if len(o.projects) != 1 || o.projects[0].key.Reveal() != env["OPENAI_API_KEY"] {
		t.Errorf("projects %v, want proj_same with the environment's key", o.projects)
	}
}

// An admin key given as a project's key: the run says to give the
// project's own key, not merely that the key was refused.
func TestAnAdminKeyAsAProjectKeyIsExplained(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.env["OPENAI_API_KEY"] = h.sb.AdminKey()
	h.env["OPENAI_PROJECT_ID"] = h.sb.ProjectIDs()[0]
	code, _, errOut := h.run("run", "--path", h.path("a.duckdb"), "--streams", "files")
	if code == exitOK || !strings.Contains(errOut, "project's own key") {
		t.Errorf("exit %d, want a failure with advice to give the project's own key:\n%s", code, errOut)
	}
	assertNoKey(t, h.sb.AdminKey(), []string{errOut})
}
