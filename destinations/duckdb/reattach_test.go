package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// attachedOID is DuckDB's id of the attached file, new at every attach.
func attachedOID(t *testing.T, d *DB) int64 {
	t.Helper()
	return count(t, d, fmt.Sprintf("SELECT database_oid FROM duckdb_databases() WHERE database_name = %s", quoteString(d.catalog)))
}

// Once a session has written ReattachRows rows, the next transaction
// attaches the file anew, and not before; the session goes on as if nothing
// happened: merges find the committed rows, the schema and a catalog named
// like the in-memory instance's resolve as before.
func TestTheFileIsAttachedAgainAfterReattachRows(t *testing.T) {
	for _, c := range []struct{ file, schema string }{
		{"t.duckdb", "openai"}, {"memory.duckdb", "openai"}, {"t.duckdb", "memory"}, {"t.duckdb", "main"},
	} {
		t.Run(c.file+"/"+c.schema, func(t *testing.T) {
			ctx := context.Background()
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			d, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), c.file), Schema: c.schema, ReattachRows: 3})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			write := func(items ...string) { mustWrite(t, d, mem, usersTable, items...) }
			users := fmt.Sprintf("SELECT count(*) FROM %s", d.qualified("users"))
			first := attachedOID(t, d)
			write(`{"id":"u1"}`, `{"id":"u2"}`) // 2 rows written
			write(`{"id":"u3"}`)                // 3: the next transaction attaches again
			if got := attachedOID(t, d); got != first {
				t.Fatalf("attached again after %d rows, want after the transaction that reaches 3", 2)
			}
			write(`{"id":"u1","email":"new@example.com"}`, `{"id":"u4"}`)
			second := attachedOID(t, d)
			if second == first {
				t.Fatal("the file was not attached again after 3 rows")
			}
			if n := count(t, d, users); n != 4 {
				t.Errorf("rows after the merge across the reattach = %d, want 4 (u1 replaced)", n)
			}
			if n := count(t, d, users+" WHERE id = 'u1' AND email = 'new@example.com'"); n != 1 {
				t.Errorf("u1 not replaced by the batch after the reattach")
			}
			write(`{"id":"u5"}`) // 2 rows since: no reattach
			if attachedOID(t, d) != second {
				t.Error("attached again before 3 more rows were written")
			}
		})
	}
}
