package duckdb

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

// bytesRead is what this process has read from files so far (rchar).
func bytesRead(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Skipf("no /proc/self/io: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no rchar in /proc/self/io")
	return 0
}

// A backfill's batches arrive newest first, and each one meets the rows
// already written at one second (the page boundary), so its keys are looked
// up there. That lookup reads only the row groups at that second: not more
// and more of the table as a long sync goes on. Each batch is applied with
// DuckDB's cache of the file's blocks dropped, so that what it reads of
// older row groups comes from the file.
func TestBoundaryLookupsReadNoMoreAsTheTableGrows(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	d := mustOpen(t, filepath.Join(t.TempDir(), "t.duckdb"))
	defer d.Close()
	tbl := &schema.Table{Name: "events", PrimaryKey: []string{"id"}, TimeColumn: "created_at",
		Columns: []schema.Column{{Name: "id", Kind: schema.String}, {Name: "created_at", Kind: schema.Timestamp}}}
	const batches, rows, commitEvery = 60, 5000, 30
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	var later int64
	for bi := range batches {
		items := make([]string, rows)
		for i := range items {
			n := bi*rows + i
			h := fnv.New128a()
			fmt.Fprint(h, n)
			items[i] = fmt.Sprintf(`{"id":"%x","created_at":%d}`, h.Sum(nil), at)
			if i < rows-1 { // the next batch starts at this batch's last second
				at -= int64(n * 7919 % 100003)
			}
		}
		// As dropCache does, whatever the cache holds: what is left of it
		// are the blocks used last, not those of older row groups.
		if err := d.dropFileBlocks(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if cached, _, err := d.memoryUse(ctx); err != nil || cached > dropCacheSlack {
			t.Fatalf("%d bytes of the file's blocks still cached before the batch (%v): what it reads would not come from the file", cached, err)
		}
		b := conformance.Batch(t, mem, tbl, items...)
		before := bytesRead(t)
		_, err := d.Apply(ctx, b)
		read := bytesRead(t) - before
		b.Record.Release()
		if err != nil {
			t.Fatal(err)
		}
		// The first transaction's rows are still in memory, where the lookup
		// reads nothing from the file; from the first commit on, they are in
		// the file's row groups.
		if bi >= commitEvery {
			later += read
		}
		if bi%commitEvery == commitEvery-1 {
			if err := d.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Reading the row groups of every batch's boundary second takes a block
	// (DuckDB's are 256 KiB) now and then; the condition DuckDB could not
	// narrow read 11 MiB in these batches. rchar counts the whole process:
	// no test of this package runs in parallel.
	if later > 1<<20 {
		t.Errorf("the batches after the first commit, each meeting the stored rows at one second, read %d bytes of the file: they read row groups of other times", later)
	}
	if n := count(t, d, "SELECT count(*) FROM openai.events"); n != batches*rows {
		t.Errorf("%d rows, want %d", n, batches*rows)
	}
}
