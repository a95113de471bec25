package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

// withProjects configures n project keys (the first n projects) through a
// config file and returns the project ids.
func (h *harness) withProjects(n int) []string {
	h.t.Helper()
	ids := h.sb.ProjectIDs()[:n]
	var b strings.Builder
	b.WriteString("projects:\n")
	for i, id := range ids {
		env := "PROJECT_KEY_" + string(rune('A'+i))
		h.env[env] = h.sb.ProjectKey(id)
		b.WriteString("  - id: " + id + "\n    key_env: " + env + "\n")
	}
	h.config = h.path("openai-sync.yaml")
	if err := os.WriteFile(h.config, []byte(b.String()), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return ids
}

func projectStreamNames() []string {
	var names []string
	for _, s := range extractor.DefaultCatalog() {
		if s.Key == extractor.ProjectKey {
			names = append(names, s.Name)
		}
	}
	return names
}

func TestAdminAndThreeProjectKeysFillEveryStream(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	ids := h.withProjects(3)
	db := h.path("p.duckdb")
	out, errOut := h.mustRun(exitOK, "run", "--path", db, "--config", h.path("openai-sync.yaml"), "--log-level", "debug")
	for _, id := range ids {
		assertNoKey(t, h.sb.ProjectKey(id), []string{out, errOut}, h.path("p.duckdb*"))
	}
	conn := openDB(t, db)
	for _, name := range projectStreamNames() {
		s, _ := extractor.DefaultCatalog().Lookup(name)
		var want []string
		for _, k := range h.sb.IDs(name) {
			if slices.Contains(ids, strings.SplitN(k, "/", 2)[0]) {
				want = append(want, k)
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: the sandbox has no rows for the configured projects", name)
			continue
		}
		got := queryStrings(t, conn, "SELECT "+keyExpr(s.Table.PrimaryKey)+" FROM openai."+name+" WHERE NOT _deleted")
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d rows, server has %d for the three projects (%v)", name, len(got), len(want), firstDiff(got, want))
		}
		for _, pid := range ids {
			if n := queryInt(t, conn, "SELECT count(*) FROM openai."+name+" WHERE project_id = ?", pid); n == 0 && name != "skill_versions" {
				t.Logf("%s has no rows for %s", name, pid)
			}
		}
	}
	conn.Close()
	compareWithServer(t, h, db)
}

func TestBatchInProgressEndsCompletedAndFinishedJobsAreNotReread(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	ids := h.withProjects(2)
	db := h.path("p.duckdb")
	cfg := h.path("openai-sync.yaml")
	streams := "batches,fine_tuning_jobs,fine_tuning_job_events,eval_runs,evals"
	h.mustRun(exitOK, "run", "--path", db, "--config", cfg, "--streams", streams)
	conn := openDB(t, db)
	running := queryStrings(t, conn, "SELECT project_id || '/' || id FROM openai.batches WHERE status IN ('validating', 'in_progress', 'finalizing')")
	conn.Close()
	if len(running) == 0 {
		t.Fatal("no batch in progress after the first run")
	}
	h.sb.AdvanceJobs()
	h.sb.ResetRequests()
	h.mustRun(exitOK, "run", "--path", db, "--config", cfg, "--streams", streams)
	conn = openDB(t, db)
	defer conn.Close()
	for _, key := range running {
		pid, id, _ := strings.Cut(key, "/")
		var status string
		if err := conn.QueryRow("SELECT status FROM openai.batches WHERE project_id = ? AND id = ?", pid, id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if want := h.sb.Status("batches", pid, id); status != want || status != "completed" {
			t.Errorf("batch %s: %s in the table, %s on the server, want completed", id, status, want)
		}
	}
	// Events of jobs that had finished before the first run are not read again.
	finishedBefore := queryInt(t, conn, "SELECT count(*) FROM openai.fine_tuning_jobs WHERE finished_at IS NOT NULL AND project_id IN (?, ?)", ids[0], ids[1])
	eventReads := 0
	for _, r := range h.sb.Requests() {
		if strings.HasSuffix(r.Path, "/events") {
			eventReads++
		}
	}
	jobs := queryInt(t, conn, "SELECT count(*) FROM openai.fine_tuning_jobs")
	if int64(eventReads) >= jobs && finishedBefore > 0 {
		t.Errorf("the second run read events of %d jobs; %d had finished before and are complete", eventReads, finishedBefore)
	}
	n := queryInt(t, conn, "SELECT count(*) FROM openai.fine_tuning_job_events WHERE NOT _deleted")
	var want int
	for _, k := range h.sb.IDs("fine_tuning_job_events") {
		if strings.HasPrefix(k, ids[0]+"/") || strings.HasPrefix(k, ids[1]+"/") {
			want++
		}
	}
	if n != int64(want) {
		t.Errorf("fine_tuning_job_events: %d rows, server has %d", n, want)
	}
}

func TestCheckNamesEachKeysProblemAndNeverTheKey(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	pids := h.sb.ProjectIDs()
	projectKey := h.sb.ProjectKey(pids[0])
	restricted := h.sb.RestrictedKey(pids[1], "files", "models")
	revoked := h.sb.RevokedKey()
	h.env["OPENAI_ADMIN_KEY"] = projectKey
	h.env["K_RESTRICTED"] = restricted
	h.env["K_REVOKED"] = revoked
	cfg := "projects:\n  - id: " + pids[1] + "\n    key_env: K_RESTRICTED\n  - id: " + pids[2] + "\n    key_env: K_REVOKED\n"
	if err := os.WriteFile(h.path("c.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := h.run("check", "--config", h.path("c.yaml"))
	if code != exitPartial && code != exitAuth {
		t.Fatalf("exit %d, want %d or %d\n%s%s", code, exitPartial, exitAuth, out, errOut)
	}
	for _, want := range []string{"not an admin key", "api.management.read", "admin-keys", "restricted project key",
		"invalid or revoked", "missing scope api."} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	assertNoKey(t, projectKey, []string{out, errOut})
	assertNoKey(t, restricted, []string{out, errOut})
	assertNoKey(t, revoked, []string{out, errOut})

	jsonOut, _ := h.mustRun(code, "check", "--config", h.path("c.yaml"), "--json")
	var rep checkReport
	if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil || rep.Runnable {
		t.Fatalf("--json: %v runnable=%v", err, rep.Runnable)
	}
	verdict := map[string]string{}
	for _, c := range rep.Cells {
		verdict[c.Stream+"@"+c.Slot] = c.Verdict
	}
	if verdict["files@"+pids[1]] != verdictOK || verdict["batches@"+pids[1]] != verdictMissing ||
		verdict["files@"+pids[2]] != verdictInvalid || verdict["users@admin"] != verdictMissing {
		t.Errorf("verdicts: %v", verdict)
	}

	// A good configuration passes.
	h.env["OPENAI_ADMIN_KEY"] = h.sb.AdminKey()
	h.withProjects(2)
	h.mustRun(exitOK, "check", "--config", h.path("openai-sync.yaml"))
}

func TestConfigRefusesReadableKeyFilesAndMisspeltFields(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	keyFile := filepath.Join(h.dir, "proj.key")
	if err := os.WriteFile(keyFile, []byte(h.sb.ProjectKey(h.sb.ProjectIDs()[0])), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "projects:\n  - id: " + h.sb.ProjectIDs()[0] + "\n    key_file: " + keyFile + "\n"
	if err := os.WriteFile(h.path("c.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := h.run("run", "--path", h.path("o.duckdb"), "--config", h.path("c.yaml"))
	if code != exitUsage || !strings.Contains(errOut, "chmod 600 "+keyFile) {
		t.Errorf("world-readable key file: exit %d\n%s", code, errOut)
	}
	assertNoKey(t, h.sb.ProjectKey(h.sb.ProjectIDs()[0]), []string{out, errOut})

	if err := os.WriteFile(h.path("bad.yaml"), []byte("run:\n  bucket_widht: 1h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = h.run("run", "--path", h.path("o.duckdb"), "--config", h.path("bad.yaml"))
	if code != exitUsage || !strings.Contains(errOut, "bucket_widht") || !strings.Contains(errOut, "line 2") {
		t.Errorf("misspelt field: exit %d\n%s", code, errOut)
	}
}

// A project added to the configuration later gets all its finished jobs'
// events: the "finished before the cursor" rule is per project.
func TestAProjectAddedLaterIsReadWhole(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	db := h.path("p.duckdb")
	streams := "fine_tuning_jobs,fine_tuning_job_events,fine_tuning_job_checkpoints"
	h.withProjects(1)
	h.mustRun(exitOK, "run", "--path", db, "--streams", streams)
	ids := h.withProjects(2)
	h.mustRun(exitOK, "run", "--path", db, "--streams", streams)
	conn := openDB(t, db)
	for _, name := range []string{"fine_tuning_job_events", "fine_tuning_job_checkpoints"} {
		var want int64
		for _, k := range h.sb.IDs(name) {
			if strings.HasPrefix(k, ids[1]+"/") {
				want++
			}
		}
		if got := queryInt(t, conn, "SELECT count(*) FROM openai."+name+" WHERE project_id = ?", ids[1]); got != want || want == 0 {
			t.Errorf("%s of the project added later: %d rows, server has %d", name, got, want)
		}
	}
}

// An API that fails or cannot be reached says nothing about the keys: check
// does not call them good or bad, and exits 1 (a failure), not 4.
func TestCheckWhenTheAPIFailsVerifiesNoKey(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{Every5xx: 1}})
	h.env["OPENAI_ADMIN_KEY"] = h.sb.AdminKey()
	for name, url := range map[string]string{"answers 500": h.url, "unreachable": "http://127.0.0.1:1/v1"} {
		code, out, errOut := h.run("check", "--streams", "users,costs", "--base-url", url)
		if code != exitFailure || !strings.Contains(out, "not verified") || strings.Contains(out, "reads every") {
			t.Errorf("%s: exit %d, want %d and the key not verified:\n%s%s", name, code, exitFailure, out, errOut)
		}
	}
	// A project stream too, with no project key configured ("no key").
	h.config = ""
	if code, out, errOut := h.run("check", "--streams", "users,files", "--base-url", h.url); code != exitFailure {
		t.Errorf("a project stream and no project key: exit %d, want %d:\n%s%s", code, exitFailure, out, errOut)
	}
	if _, out, _ := h.run("check", "--streams", "users", "--base-url", h.url); !strings.Contains(out, "HTTP 500") {
		t.Errorf("a 500 is not named with what to do:\n%s", out)
	}
}

// A project whose key is not there (its variable unset) is skipped by the
// project streams with the reason; the rest of the run goes on (exit 3).
func TestAProjectWithoutItsKeyIsSkippedAndTheRunGoesOn(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	pids := h.sb.ProjectIDs()
	h.env["K_ONE"] = h.sb.ProjectKey(pids[0])
	cfg := h.path("c.yaml")
	doc := "projects:\n  - id: " + pids[0] + "\n    key_env: K_ONE\n  - id: " + pids[1] + "\n    key_env: K_UNSET\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	db := h.path("k.duckdb")
	code, _, errOut := h.run("run", "--config", cfg, "--path", db, "--streams", "users,files")
	if code != exitPartial || !strings.Contains(errOut, pids[1]) || !strings.Contains(errOut, "K_UNSET") {
		t.Fatalf("exit %d, want %d naming %s and K_UNSET:\n%s", code, exitPartial, pids[1], errOut)
	}
	conn := openDB(t, db)
	if n := queryInt(t, conn, "SELECT count(*) FROM openai.users"); n == 0 {
		t.Error("the organisation streams did not go on")
	}
	if n := queryInt(t, conn, "SELECT count(DISTINCT project_id) FROM openai.files"); n != 1 {
		t.Errorf("files of %d projects, want the one with its key", n)
	}
	code, out, _ := h.run("check", "--config", cfg, "--streams", "files")
	if code == exitOK || !strings.Contains(out, "K_UNSET") {
		t.Errorf("check: exit %d, want the missing key named:\n%s", code, out)
	}
}
