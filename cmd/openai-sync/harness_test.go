package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

// TestMain lets a test run this binary as the real command (for kill tests):
// with OPENAI_SYNC_TEST_CHILD set, the process is openai-sync itself.
func TestMain(m *testing.M) {
	if args := os.Getenv("OPENAI_SYNC_TEST_CHILD"); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			panic(err)
		}
		os.Exit(realMain(argv))
	}
	if path := os.Getenv("OPENAI_SYNC_TEST_HOLD"); path != "" {
		os.Exit(holdDuckDB(path))
	}
	os.Exit(m.Run())
}

// holdDuckDB keeps a DuckDB file open (as an analyst's duckdb CLI would)
// until stdin closes.
func holdDuckDB(path string) int {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return 1
	}
	defer db.Close()
	if _, err := db.Exec("SELECT 1"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("held")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// harness is a sandbox organisation on a loopback port and a scratch dir.
type harness struct {
	t      *testing.T
	sb     *sandbox.Server
	url    string
	dir    string
	env    map[string]string
	config string // passed as --config to run and check unless the test gives one
}

// fixedClock pins the sandbox's "now" so two runs see the same usage.
func fixedClock() func() time.Time {
	now := time.Now().UTC().Truncate(time.Second)
	return func() time.Time { return now }
}

func newHarness(t *testing.T, opts sandbox.Options) *harness {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = fixedClock()
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	h := &harness{t: t, sb: sb, url: srv.URL + "/v1", dir: t.TempDir()}
	h.env = map[string]string{"OPENAI_ADMIN_KEY": sb.AdminKey(), "OPENAI_BASE_URL": h.url}
	h.withProjects(len(sb.ProjectIDs()))
	return h
}

// withConfig adds --config to run and check command lines that lack it.
func (h *harness) withConfig(args []string) []string {
	if h.config == "" || len(args) == 0 || (args[0] != "run" && args[0] != "check") || slices.Contains(args, "--config") {
		return args
	}
	return append(slices.Clone(args), "--config", h.config)
}

func (h *harness) path(name string) string { return filepath.Join(h.dir, name) }

// run executes the command in-process and returns its exit code and output.
func (h *harness) run(args ...string) (int, string, string) {
	h.t.Helper()
	return h.runCtx(context.Background(), args...)
}

// runCtx is run with a context (cancelling it is a SIGINT).
func (h *harness) runCtx(ctx context.Context, args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	streams := &IOStreams{Out: &out, Err: &errOut, Getenv: func(k string) string { return h.env[k] }}
	code := Execute(ctx, h.withConfig(args), streams)
	return code, out.String(), errOut.String()
}

// mustRun runs and fails the test unless the exit code is want.
func (h *harness) mustRun(want int, args ...string) (string, string) {
	h.t.Helper()
	code, out, errOut := h.run(args...)
	if code != want {
		h.t.Fatalf("openai-sync %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out, errOut
}

// db opens a DuckDB file read-only for assertions.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n sql.NullInt64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n.Int64
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// keyExpr is the SQL that renders a table's primary key the way the
// sandbox's ground truth does: the parts joined with "/".
func keyExpr(pk []string) string {
	parts := make([]string, len(pk))
	for i, k := range pk {
		parts[i] = fmt.Sprintf("coalesce(CAST(%q AS VARCHAR), '')", k)
	}
	return "concat_ws('/', " + strings.Join(parts, ", ") + ")"
}

// assertNoKey fails if the key appears in any of the texts or files.
func assertNoKey(t *testing.T, key string, texts []string, files ...string) {
	t.Helper()
	for i, s := range texts {
		if strings.Contains(s, key) {
			t.Errorf("output %d contains the key", i)
		}
	}
	for _, pattern := range files {
		matches, _ := filepath.Glob(pattern)
		for _, f := range matches {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if bytes.Contains(b, []byte(key)) {
				t.Errorf("%s contains the key", f)
			}
		}
	}
}
