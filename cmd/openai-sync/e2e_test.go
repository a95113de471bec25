package main

import (
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

func TestDemoFillsEveryStream(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.env = map[string]string{} // the demo needs no key
	h.mustRun(exitOK, "demo", "--path", h.path("demo.duckdb"))
	db := openDB(t, h.path("demo.duckdb"))
	for _, s := range extractor.DefaultCatalog() {
		if n := queryInt(t, db, "SELECT count(*) FROM openai."+s.Name); n == 0 {
			t.Errorf("table %s is empty", s.Name)
		}
	}
	if n := queryInt(t, db, "SELECT count(*) FROM openai._sync_state"); n == 0 {
		t.Error("no cursor stored")
	}
	if n := queryInt(t, db, "SELECT count(*) FROM openai._sync_runs WHERE status = 'succeeded' AND ended_at IS NOT NULL"); n != 1 {
		t.Errorf("_sync_runs has %d succeeded runs, want 1", n)
	}
	for _, v := range []string{"daily_usage", "daily_costs_by_project", "user_activity_60d"} {
		if n := queryInt(t, db, "SELECT count(*) FROM openai."+v); n == 0 {
			t.Errorf("view %s is empty", v)
		}
	}
}

// compareWithServer checks every table against the sandbox's ground truth.
// Only the streams named are checked (all when none).
func compareWithServer(t *testing.T, h *harness, dbPath string, only ...string) {
	t.Helper()
	db := openDB(t, dbPath)
	checked := 0
	for _, s := range extractor.DefaultCatalog() {
		want := h.sb.IDs(s.Name)
		if want == nil || (len(only) > 0 && !slices.Contains(only, s.Name)) || (len(only) == 0 && s.Key != extractor.AdminKey) {
			continue
		}
		checked++
		got := queryStrings(t, db, "SELECT "+keyExpr(s.Table.PrimaryKey)+" FROM openai."+s.Name+" WHERE NOT _deleted")
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d rows, server has %d (first differences: %v)", s.Name, len(got), len(want), firstDiff(got, want))
		}
	}
	want := 15
	if len(only) > 0 {
		want = len(only)
	}
	if checked < want {
		t.Errorf("only %d streams have ground truth, want %d", checked, want)
	}
	if n := queryInt(t, db, "SELECT count(*) - count(DISTINCT id) FROM openai.audit_logs"); n != 0 {
		t.Errorf("%d duplicate audit events", n)
	}
}

func firstDiff(got, want []string) []string {
	var d []string
	for _, g := range got {
		if !slices.Contains(want, g) && len(d) < 3 {
			d = append(d, "extra "+g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) && len(d) < 6 {
			d = append(d, "missing "+w)
		}
	}
	return d
}

func TestRunMatchesServerUnderFaults(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{
		Every429: 10, RetryAfter: 20 * time.Millisecond, Every5xx: 7, EveryHTML: 23, EveryTruncated: 19,
	}})
	out, _ := h.mustRun(exitOK, "run", "--path", h.path("o.duckdb"), "--json")
	var sum summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json summary: %v\n%s", err, out)
	}
	statuses := map[int]int{}
	for _, r := range h.sb.Requests() {
		statuses[r.Status]++
	}
	if statuses[429] == 0 || statuses[500] == 0 || statuses[502] == 0 {
		t.Fatalf("faults were not injected: %v", statuses)
	}
	if sum.Requests != len(h.sb.Requests()) {
		t.Errorf("summary counts %d requests, the server saw %d", sum.Requests, len(h.sb.Requests()))
	}
	compareWithServer(t, h, h.path("o.duckdb"))
}

func TestSecondRunResumesAndMarksDeletes(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	db := h.path("o.duckdb")
	h.mustRun(exitOK, "run", "--path", db, "--streams", "users,project_users,group_users,audit_logs")
	first := h.sb.IDs("audit_logs")

	h.sb.ResetRequests()
	h.mustRun(exitOK, "run", "--path", db, "--streams", "audit_logs")
	if n := len(h.sb.Requests()); n > 3 {
		t.Errorf("a no-change audit run made %d requests, want a handful", n)
	}
	conn := openDB(t, db)
	if got := queryInt(t, conn, "SELECT count(*) FROM openai.audit_logs"); got != int64(len(first)) {
		t.Errorf("audit rows after a no-change run: %d, want %d", got, len(first))
	}
	conn.Close()

	gone := h.sb.UserIDs()[3]
	h.sb.RemoveUser(gone)
	h.sb.AddLateAuditEvents(2, 10*time.Minute) // before the stored cursor, shown after it was read
	h.sb.AddAuditEvents(5)
	h.sb.ResetRequests()
	h.mustRun(exitOK, "run", "--path", db, "--streams", "users,project_users,group_users,audit_logs")
	audit := 0
	for _, r := range h.sb.Requests() {
		if r.Path == "/organization/audit_logs" {
			audit++
		}
	}
	if audit > 3 {
		t.Errorf("the audit log took %d requests to resume", audit)
	}
	conn = openDB(t, db)
	if got := queryInt(t, conn, "SELECT count(*) FROM openai.audit_logs"); got != int64(len(first)+7) {
		t.Errorf("audit rows: %d, want %d (5 new, 2 shown late)", got, len(first)+7)
	}
	if n := queryInt(t, conn, "SELECT count(*) FROM openai.users WHERE id = ? AND _deleted", gone); n != 1 {
		t.Error("the removed user is not marked deleted")
	}
	if n := queryInt(t, conn, "SELECT count(*) FROM openai.users WHERE _deleted"); n != 1 {
		t.Errorf("%d users marked deleted, want 1", n)
	}
	if n := queryInt(t, conn, "SELECT count(*) FROM openai.project_users WHERE id = ? AND NOT _deleted", gone); n != 0 {
		t.Error("the removed user is still an active project member")
	}
	compareWithServer(t, h, db, "users", "project_users", "group_users", "audit_logs")
}

func TestProjectKeyAsAdminKeyExitsAuth(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	key := h.sb.ProjectKey(h.sb.ProjectIDs()[0])
	h.env["OPENAI_ADMIN_KEY"] = key
	h.config = "" // the admin key is the only key
	code, out, errOut := h.run("run", "--path", h.path("o.duckdb"))
	if code != exitAuth {
		t.Fatalf("exit %d, want %d\n%s", code, exitAuth, errOut)
	}
	for _, want := range []string{"api.management.read", "https://platform.openai.com/settings/organization/admin-keys"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not name %q:\n%s", want, errOut)
		}
	}
	assertNoKey(t, key, []string{out, errOut}, h.path("o.duckdb*"))
}

func TestReadOnlyAndNoKeyAnywhere(t *testing.T) {
	h := newHarness(t, sandbox.Options{Faults: sandbox.Faults{Every5xx: 9}})
	out, errOut := h.mustRun(exitOK, "run", "--path", h.path("o.duckdb"), "--log-level", "debug", "--log-format", "json", "--json")
	for _, r := range h.sb.Requests() {
		if r.Method != "GET" {
			t.Fatalf("%s %s: the sync must only GET", r.Method, r.Path)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if line != "" && !json.Valid([]byte(line)) && strings.HasPrefix(line, "{") {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
	assertNoKey(t, h.sb.AdminKey(), []string{out, errOut}, h.path("o.duckdb*"))
}

func TestStateResetMakesTheNextRunReadAgainWithoutDuplicates(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 800})
	db := h.path("o.duckdb")
	h.mustRun(exitOK, "run", "--path", db, "--streams", "audit_logs")
	out, _ := h.mustRun(exitOK, "state", "show", "--path", db, "--json")
	if !strings.Contains(out, `"audit_logs"`) {
		t.Fatalf("state show lacks the audit cursor:\n%s", out)
	}
	_, errOut := h.mustRun(exitOK, "state", "reset", "--path", db, "audit_logs")
	if !strings.Contains(errOut, "cleared 1 cursor") {
		t.Errorf("reset said: %s", errOut)
	}
	h.sb.ResetRequests()
	h.mustRun(exitOK, "run", "--path", db, "--streams", "audit_logs")
	if n := len(h.sb.Requests()); n < 8 {
		t.Errorf("after a reset the audit log took %d requests; it should be read again whole", n)
	}
	conn := openDB(t, db)
	if n := queryInt(t, conn, "SELECT count(*) FROM openai.audit_logs"); n != 800 {
		t.Errorf("audit rows after a reset and a rerun: %d, want 800", n)
	}
}

// The query the demo suggests at the end runs as printed (with the duckdb
// CLI's file argument, if any, opened here) and gives the current rows.
func TestTheDemosSuggestedQueryRuns(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.env = map[string]string{}
	var users int64 // in the DuckDB file, synced first
	var err error
	for _, dest := range []string{"duckdb", "parquet"} {
		path := h.path("hint-" + dest)
		_, errOut := h.mustRun(exitOK, "demo", "--destination", dest, "--path", path, "--audit-events", "100")
		_, hint, ok := strings.Cut(errOut, "Try:\n")
		if !ok {
			t.Fatalf("%s: no suggested query in:\n%s", dest, errOut)
		}
		hint = strings.TrimSpace(hint)
		file, query, ok := strings.Cut(strings.TrimPrefix(hint, "duckdb "), "-c ")
		if !ok || !strings.HasPrefix(hint, "duckdb ") {
			t.Fatalf("%s: suggested %q, want duckdb [FILE] -c \"QUERY\"", dest, hint)
		}
		query = strings.TrimSuffix(strings.TrimPrefix(query, `"`), `"`)
		var db *sql.DB
		if file = strings.TrimSpace(file); file != "" {
			db = openDB(t, file)
		} else if db, err = sql.Open("duckdb", ""); err != nil {
			t.Fatal(err)
		} else {
			t.Cleanup(func() { db.Close() })
		}
		n := queryInt(t, db, "SELECT count(*) FROM ("+query+")")
		if n == 0 {
			t.Errorf("%s: %s gives no rows", dest, query)
		}
		if dest == "duckdb" {
			users = queryInt(t, db, "SELECT count(*) FROM openai.users")
		}
		if dest == "parquet" && n != users {
			t.Errorf("parquet: %d current users, want %d as in DuckDB", n, users)
		}
	}
}
