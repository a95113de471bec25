package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

// waitRequests waits until the sandbox has served n requests or the child
// has exited.
func waitRequests(t *testing.T, h *harness, n int, exited <-chan error) bool {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the child ended before %d requests: %v", n, err)
		default:
		}
		if len(h.sb.Requests()) >= n {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the child made fewer than %d requests in 30 s", n)
	return false
}

func TestSecondRunOnTheSameDestinationExitsAndTheFirstGoesOn(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{Latency: 20 * time.Millisecond}})
	path := h.path("o.duckdb")
	first := h.startChild("run", "--path", path)
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	waitRequests(t, h, 5, exited)
	code, _, errOut := h.run("run", "--path", path)
	if code == exitOK || !strings.Contains(errOut, "another openai-sync run (PID") {
		t.Fatalf("second run: exit %d, want non-zero with the lock message naming the PID:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "PID "+strconv.Itoa(first.Process.Pid)) {
		t.Errorf("the message does not name the first run's PID %d:\n%s", first.Process.Pid, errOut)
	}
	if err := <-exited; err != nil {
		t.Fatalf("the first run was disturbed: %v", err)
	}
}

func TestWaitsForTheDuckDBFileHeldByAnotherProcess(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	path := h.path("o.duckdb")
	holder := exec.Command(os.Args[0])
	holder.Env = append(os.Environ(), "OPENAI_SYNC_TEST_HOLD="+path)
	stdin, _ := holder.StdinPipe()
	stdout, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "held\n" {
		t.Fatalf("holder: %q", line)
	}
	code, _, errOut := h.run("run", "--path", path, "--streams", "users", "--wait-for-file", "1500ms")
	if code != exitFailure || !strings.Contains(errOut, "waiting for "+path) || !strings.Contains(errOut, "another process") {
		t.Fatalf("exit %d, want %d after a visible wait:\n%s", code, exitFailure, errOut)
	}
	// Interrupted while it waits (cron's or systemd's timeout): exit 130.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	code, _, errOut = h.runCtx(ctx, "run", "--path", path, "--streams", "users", "--wait-for-file", "20s")
	if code != exitInterrupted || time.Since(start) > 10*time.Second {
		t.Fatalf("interrupted while waiting: exit %d after %v, want %d at once:\n%s", code, time.Since(start), exitInterrupted, errOut)
	}
	go func() {
		time.Sleep(700 * time.Millisecond)
		stdin.Close()
	}()
	h.mustRun(exitOK, "run", "--path", path, "--streams", "users", "--wait-for-file", "20s")
	_ = holder.Wait()
}

func TestInterruptRecordsTheRunAndTheNextRunCompletes(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 3000, Faults: sandbox.Faults{Latency: 3 * time.Millisecond}})
	base := h.path("base.duckdb")
	h.mustRun(exitOK, "run", "--path", base, "--batch-rows", "400")
	want := dumpTables(t, base)

	path := h.path("i.duckdb")
	h.sb.ResetRequests()
	child := h.startChild("run", "--path", path, "--batch-rows", "400")
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	waitRequests(t, h, 60, exited)
	_ = child.Process.Signal(syscall.SIGINT)
	err := <-exited
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("after SIGINT: %v, want exit %d", err, exitInterrupted)
	}
	db := openDB(t, path)
	if n := queryInt(t, db, "SELECT count(*) FROM openai._sync_runs WHERE status = 'interrupted' AND ended_at IS NOT NULL"); n != 1 {
		t.Errorf("_sync_runs has %d interrupted runs, want 1", n)
	}
	db.Close()
	h.mustRun(exitOK, "run", "--path", path, "--batch-rows", "400")
	got := dumpTables(t, path)
	for table, w := range want {
		if got[table] != w {
			t.Errorf("after an interrupt and a rerun, %s differs from an uninterrupted run", table)
		}
	}
}

func TestPipedOutputIsPlainAndJSONLogsParse(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{Every5xx: 10}})
	out, errOut := h.mustRun(exitOK, "run", "--path", h.path("o.duckdb"), "--log-format", "json", "--json", "--log-level", "debug")
	if strings.Contains(out+errOut, "\x1b") {
		t.Error("escape codes in piped output")
	}
	lines := 0
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line is not JSON: %q", line)
		}
		lines++
		if rec["msg"] == "stream done" {
			for _, k := range []string{"stream", "rows", "status", "duration_ms"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("log line lacks %q: %s", k, line)
				}
			}
		}
	}
	if lines < 30 {
		t.Errorf("only %d log lines", lines)
	}
	var sum summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Status != "succeeded" || len(sum.Streams) == 0 {
		t.Fatalf("stdout is not one JSON summary: %v\n%s", err, out)
	}
}

// On a terminal the live display renders while every stream runs (fan-outs
// and project streams report progress concurrently) and the run ends with
// the summary table.
func TestTerminalDisplayRendersAndTheRunEnds(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{Latency: time.Millisecond}})
	var out, errOut strings.Builder
	streams := &IOStreams{Out: &out, Err: &errOut, ErrTTY: true, Getenv: func(k string) string { return h.env[k] }}
	done := make(chan int, 1)
	go func() {
		done <- Execute(context.Background(), h.withConfig([]string{"run", "--path", h.path("t.duckdb")}), streams)
	}()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, errOut.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the run did not end: the display or the runner is stuck")
	}
	text := errOut.String()
	for _, want := range []string{"audit_logs", "succeeded", "pages", "STREAM", "REQUESTS"} {
		if !strings.Contains(text, want) {
			t.Errorf("terminal output lacks %q:\n%.3000s", want, text)
		}
	}
}

// A storage version DuckDB does not know is a usage error naming the
// versions it does know, and leaves no file behind.
func TestAnUnknownStorageVersionIsAUsageError(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 10})
	path := h.path("v.duckdb")
	_, errOut := h.mustRun(exitUsage, "run", "--streams", "users", "--path", path, "--storage-version", "v9.9.9")
	if !strings.Contains(errOut, "--storage-version") || !strings.Contains(errOut, "v1.3.0") {
		t.Errorf("stderr does not name the flag and the known versions:\n%s", errOut)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is there after the refused run (%v)", err)
	}
}
