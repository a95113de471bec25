package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

// dumpTables renders every stream table (all columns but _synced_at, sorted)
// and the cursors, for comparing two destinations.
func dumpTables(t *testing.T, path string) map[string]string {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	out := map[string]string{}
	for _, s := range extractor.DefaultCatalog() {
		out[s.Name] = dumpQuery(t, db, "SELECT * EXCLUDE (_synced_at) FROM openai."+s.Name+" ORDER BY ALL")
	}
	// Streams whose cursor is the time of their last complete read differ
	// between two runs by design; that they have one is what counts.
	out["_sync_state"] = dumpQuery(t, db, `SELECT stream, CASE WHEN stream IN ('fine_tuning_job_events', 'fine_tuning_job_checkpoints')
		THEN 'a read time' ELSE cursor END FROM openai._sync_state ORDER BY ALL`)
	return out
}

func dumpQuery(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// killAfter SIGKILLs the child once the sandbox has served n requests, and
// reports whether it did (false: the run ended first).
func (h *harness) killAfter(child *exec.Cmd, n int) bool {
	h.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if len(h.sb.Requests()) >= n {
			_ = child.Process.Kill()
			<-exited
			return true
		}
		time.Sleep(200 * time.Microsecond)
	}
	h.t.Fatalf("the child neither ended nor made %d requests in 30 s", n)
	return false
}

// startChild runs openai-sync as a separate process (this test binary).
func (h *harness) startChild(args ...string) *exec.Cmd {
	h.t.Helper()
	argv, _ := json.Marshal(h.withConfig(args))
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "OPENAI_SYNC_TEST_CHILD="+string(argv))
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	return cmd
}

func TestKillAnywhereThenRerun(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 3000, Faults: sandbox.Faults{Latency: 2 * time.Millisecond}})
	base := h.path("base.duckdb")
	h.mustRun(exitOK, "run", "--path", base, "--batch-rows", "400")
	total := len(h.sb.Requests())
	want := dumpTables(t, base)
	for _, after := range []int{1, 3, 8, 20, 40, 70, 110, 150, total - 3} {
		path := h.path(fmt.Sprintf("kill%d.duckdb", after))
		h.sb.ResetRequests()
		killed := h.killAfter(h.startChild("run", "--path", path, "--batch-rows", "400"), after)
		if !killed {
			t.Logf("kill after %d requests: the run ended first", after)
		}
		h.mustRun(exitOK, "run", "--path", path, "--batch-rows", "400")
		got := dumpTables(t, path)
		for table, w := range want {
			if got[table] != w {
				t.Errorf("killed after %d requests, then rerun: table %s differs from an uninterrupted run (%d vs %d bytes)",
					after, table, len(got[table]), len(w))
			}
		}
	}
}
