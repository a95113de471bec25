package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
)

// mark tags the writer's DuckDB instance with a table in the instance's own
// in-memory catalog (made through the side connection: the instance's, not
// a connection's).
func mark(t *testing.T, d *DB) {
	t.Helper()
	if _, err := d.side.ExecContext(context.Background(), "CREATE TABLE memory.main.reattach_mark (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
}

// marked reports whether the writer's instance is the one mark tagged: a new
// instance's in-memory catalog is empty.
func marked(t *testing.T, d *DB) bool {
	t.Helper()
	return count(t, d, "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'memory' AND table_name = 'reattach_mark'") == 1
}

// Once a session has written ReattachRows rows, the next transaction
// attaches the file anew, from a new DuckDB instance, and not before; the
// session goes on as if nothing happened: merges find the committed rows,
// the schema and a catalog named like the in-memory instance's resolve as
// before.
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
			mark(t, d)
			write(`{"id":"u1"}`, `{"id":"u2"}`) // 2 rows written
			write(`{"id":"u3"}`)                // 3: the next transaction attaches again
			if !marked(t, d) {
				t.Fatalf("attached again after %d rows, want after the transaction that reaches 3", 2)
			}
			write(`{"id":"u1","email":"new@example.com"}`, `{"id":"u4"}`)
			if marked(t, d) {
				t.Fatal("the file was not attached again from a new instance after 3 rows")
			}
			mark(t, d)
			if n := count(t, d, users); n != 4 {
				t.Errorf("rows after the merge across the reattach = %d, want 4 (u1 replaced)", n)
			}
			if n := count(t, d, users+" WHERE id = 'u1' AND email = 'new@example.com'"); n != 1 {
				t.Errorf("u1 not replaced by the batch after the reattach")
			}
			write(`{"id":"u5"}`) // 2 rows since: no reattach
			if !marked(t, d) {
				t.Error("attached again before 3 more rows were written")
			}
		})
	}
}

// A reattach that cannot start the new instance fails the batch, keeps what
// is committed, and leaves the DB able to attach the file again: the next
// Apply does, and the session goes on.
func TestAFailedReattachIsTriedAgain(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "t.duckdb")
	d, err := Open(ctx, Options{Path: path, ReattachRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	}()
	mustWrite(t, d, mem, usersTable, `{"id":"u1"}`)
	d.opts.Path = filepath.Join(t.TempDir(), "missing", "t.duckdb") // a directory that is not there
	b := conformance.Batch(t, mem, usersTable, `{"id":"u2"}`)
	_, err = d.Write(ctx, b)
	b.Record.Release()
	if err == nil || !strings.Contains(err.Error(), "attach") {
		t.Fatalf("write with the file unreachable: %v, want the reattach's error", err)
	}
	d.opts.Path = path
	mustWrite(t, d, mem, usersTable, `{"id":"u3"}`)
	if n := count(t, d, "SELECT count(*) FROM "+d.qualified("users")); n != 2 {
		t.Errorf("%d rows, want 2 (u1, u3)", n)
	}
}
