package main

import (
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/destinations/parquet"
	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
	"github.com/openai-sync/openai-sync/schema"
)

// currentRowsQuery is the README's current-rows query for one stream of a
// Parquet dataset, projected on the columns both destinations share.
func currentRowsQuery(dir string, t *schema.Table) (parquetSQL, columns string) {
	var cols, pk []string
	for _, c := range append(t.AllColumns(), schema.Column{Name: schema.DeletedColumn}) {
		cols = append(cols, fmt.Sprintf("CAST(%q AS VARCHAR) AS %q", c.Name, c.Name))
	}
	for _, k := range t.PrimaryKey {
		pk = append(pk, fmt.Sprintf("%q", k))
	}
	sel := strings.Join(cols, ", ")
	return fmt.Sprintf(`SELECT %s FROM (SELECT * FROM read_parquet('%s/%s/**/*.parquet', hive_partitioning = true, union_by_name = true)
		QUALIFY row_number() OVER (PARTITION BY %s ORDER BY _synced_at DESC) = 1)`, sel, dir, t.Name, strings.Join(pk, ", ")), sel
}

// assertParquetEqualsDuckDB compares every stream's current Parquet rows with
// the DuckDB table.
func assertParquetEqualsDuckDB(t *testing.T, pqDir, duckPath string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("ATTACH '%s' AS d (READ_ONLY)", duckPath)); err != nil {
		t.Fatal(err)
	}
	for _, s := range extractor.DefaultCatalog() {
		pq, sel := currentRowsQuery(pqDir, s.Table)
		dq := fmt.Sprintf("SELECT %s FROM d.openai.%q", sel, s.Name)
		var onlyPQ, onlyDuck, n int
		q := fmt.Sprintf("SELECT (SELECT count(*) FROM (%s EXCEPT ALL %s)), (SELECT count(*) FROM (%s EXCEPT ALL %s)), (SELECT count(*) FROM (%s))", pq, dq, dq, pq, dq)
		if err := db.QueryRow(q).Scan(&onlyPQ, &onlyDuck, &n); err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if onlyPQ != 0 || onlyDuck != 0 || n == 0 {
			t.Errorf("%s: %d rows only in Parquet, %d only in DuckDB (DuckDB has %d)", s.Name, onlyPQ, onlyDuck, n)
		}
	}
}

func TestParquetCurrentRowsEqualDuckDBForEveryStream(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 2500})
	duck, pq := h.path("d.duckdb"), h.path("pq")
	for range 2 { // the second run re-reads windows and snapshots
		h.mustRun(exitOK, "run", "--path", duck)
		h.mustRun(exitOK, "run", "--destination", "parquet", "--path", pq)
	}
	h.sb.RemoveUser(h.sb.UserIDs()[5])
	h.sb.AddAuditEvents(7)
	h.sb.Usage().Revise(2, 1.5)
	h.mustRun(exitOK, "run", "--path", duck)
	h.mustRun(exitOK, "run", "--destination", "parquet", "--path", pq)
	assertParquetEqualsDuckDB(t, pq, duck)
	out, _ := h.mustRun(exitOK, "state", "show", "--destination", "parquet", "--path", pq, "--json")
	if !strings.Contains(out, "audit_logs") {
		t.Errorf("state show on Parquet lacks the audit cursor:\n%s", out)
	}
}

// assertOnlyManifestFiles checks that every Parquet file a reader's glob can
// see is one the manifest names: nothing partial is visible.
func assertOnlyManifestFiles(t *testing.T, dir string) {
	t.Helper()
	m, err := parquet.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, s := range m.Streams {
		for _, f := range s.Files {
			listed = append(listed, filepath.FromSlash(f.Path))
		}
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !slices.Contains(listed, rel) {
			t.Errorf("%s is visible to readers but not in the manifest", rel)
		}
		return nil
	})
}

// assertFilesComplete reads every Parquet file a glob can see: a file
// without its footer (half-written) would fail.
func assertFilesComplete(t *testing.T, dir string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".parquet") {
			files = append(files, p)
		}
		return err
	})
	for _, f := range files {
		var n int64
		if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", f)).Scan(&n); err != nil {
			t.Errorf("%s is visible but unreadable: %v", f, err)
		}
	}
}

func TestParquetKilledAnywhereThenRerun(t *testing.T) {
	h := newHarness(t, sandbox.Options{AuditEvents: 3000, Faults: sandbox.Faults{Latency: 2 * time.Millisecond}})
	base := h.path("base")
	h.mustRun(exitOK, "run", "--destination", "parquet", "--path", base, "--batch-rows", "400")
	total := len(h.sb.Requests())
	duck := h.path("d.duckdb")
	h.mustRun(exitOK, "run", "--path", duck, "--batch-rows", "400")
	for _, after := range []int{2, 15, 60, 140, total - 3} {
		dir := h.path(fmt.Sprintf("kill%d", after))
		h.sb.ResetRequests()
		h.killAfter(h.startChild("run", "--destination", "parquet", "--path", dir, "--batch-rows", "400"), after)
		assertFilesComplete(t, dir) // before any cleanup by a rerun
		h.mustRun(exitOK, "run", "--destination", "parquet", "--path", dir, "--batch-rows", "400")
		assertOnlyManifestFiles(t, dir)
		assertParquetEqualsDuckDB(t, dir, duck)
	}
}
