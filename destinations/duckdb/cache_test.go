package duckdb

import (
	"context"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

// cachedFileBlocks is the memory DuckDB holds for blocks already in the file.
func cachedFileBlocks(t *testing.T, d *DB) int64 {
	t.Helper()
	cached, _, err := d.memoryUse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cached
}

// A batch large enough to fill row groups has them written to the file, and
// DuckDB would keep the written blocks cached up to its memory limit: Apply
// drops that cache (without touching the open transaction) and restores the
// limit, so a long sync's memory does not grow with the rows it writes.
func TestAppliedBatchesLeaveNoFileBlocksCached(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	d := mustOpen(t, filepath.Join(t.TempDir(), "t.duckdb"))
	defer d.Close()
	var limit string
	if err := d.conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&limit); err != nil {
		t.Fatal(err)
	}
	tbl := &schema.Table{Name: "events", PrimaryKey: []string{"id"}, TimeColumn: "created_at",
		Columns: []schema.Column{{Name: "id", Kind: schema.String}, {Name: "created_at", Kind: schema.Timestamp}, {Name: "pad", Kind: schema.String}}}
	const rows = 60_000 // over three row groups of 16,384; ≈ 20 MB that barely compresses
	batch := func(from int) schema.Batch {
		items := make([]string, rows)
		for i := range items {
			h := fnv.New128a()
			fmt.Fprint(h, from+i)
			pad := strings.Repeat(fmt.Sprintf("%x", h.Sum(nil)), 10)
			items[i] = fmt.Sprintf(`{"id":"e%d","created_at":%d,"pad":%q}`, from+i, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()+int64(from+i), pad)
		}
		return conformance.Batch(t, mem, tbl, items...)
	}

	b := batch(0)
	_, err := d.Apply(ctx, b)
	b.Record.Release()
	if err != nil {
		t.Fatal(err)
	}
	if n := cachedFileBlocks(t, d); n > dropCacheAbove {
		t.Errorf("after Apply, %d bytes of file blocks cached, want at most %d", n, dropCacheAbove)
	}

	// The same work without the drop leaves the cache, which dropCache then
	// drops inside the still open transaction.
	b = batch(rows)
	_, err = d.apply(ctx, b, time.Now().UTC())
	b.Record.Release()
	if err != nil {
		t.Fatal(err)
	}
	if n := cachedFileBlocks(t, d); n <= dropCacheAbove {
		t.Fatalf("without dropCache, %d bytes of file blocks cached: the test's rows leave no cache to drop", n)
	}
	if err := d.dropCache(ctx); err != nil {
		t.Fatal(err)
	}
	if n := cachedFileBlocks(t, d); n > dropCacheAbove {
		t.Errorf("after dropCache, %d bytes of file blocks cached, want at most %d", n, dropCacheAbove)
	}
	if n := count(t, d, "SELECT count(*) FROM duckdb_temporary_files()"); n != 0 {
		t.Errorf("dropping the cache wrote %d temporary files: it evicted the transaction's unwritten rows too", n)
	}

	// A limit DuckDB cannot meet fails on the side connection and leaves the
	// writer's transaction open and whole. Without a temporary directory,
	// the transaction's unwritten rows cannot be evicted, so one byte is
	// certainly out of reach (with one, DuckDB met it in 3 of ≈100 runs of
	// the package, each time with other tests running beside it).
	setTemp := func(dir string) {
		t.Helper()
		if _, err := d.side.ExecContext(ctx, "SET temp_directory = "+quoteString(dir)); err != nil {
			t.Fatal(err)
		}
	}
	setTemp("")
	if err := d.setMemoryLimit(ctx, "1B"); err == nil {
		t.Error("DuckDB accepted a memory limit of one byte: the failure this connection guards against did not happen")
	}
	if err := d.setMemoryLimit(ctx, d.opts.MemoryLimit); err != nil {
		t.Fatal(err)
	}
	setTemp(d.opts.Path + ".tmp")

	var after string
	if err := d.conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&after); err != nil || after != limit {
		t.Errorf("memory_limit %q (%v) after dropping the cache, want %q restored", after, err, limit)
	}
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, "SELECT count(DISTINCT id) FROM openai.events"); n != 2*rows {
		t.Errorf("%d rows committed, want %d", n, 2*rows)
	}
}
