package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

var usersTable = &schema.Table{
	Name: "users",
	Columns: []schema.Column{
		{Name: "id", Kind: schema.String},
		{Name: "email", Kind: schema.String},
		{Name: "added_at", Kind: schema.Timestamp},
		{Name: "amount", Kind: schema.Decimal},
	},
	PrimaryKey: []string{"id"},
}

// mustOpen opens the destination at path or fails the test.
func mustOpen(t *testing.T, path string) *DB {
	t.Helper()
	d, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// reopen closes d, failing the test if that fails, and opens path again.
func reopen(t *testing.T, d *DB, path string) *DB {
	t.Helper()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return mustOpen(t, path)
}

// mustWrite writes the items to table t as one batch or fails the test.
func mustWrite(t *testing.T, d *DB, mem memory.Allocator, table *schema.Table, items ...string) {
	t.Helper()
	b := conformance.Batch(t, mem, table, items...)
	defer b.Record.Release()
	if _, err := d.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, d *DB, q string) int64 {
	t.Helper()
	var n int64
	if err := d.conn.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestWriteMergeSweepStateAndReopen(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "t.duckdb")
	d := mustOpen(t, path)
	start := time.Now()
	b := conformance.Batch(t, mem, usersTable,
		`{"id":"u1","email":"a@x","added_at":1700000000,"amount":"0.130804380000000001"}`,
		`{"id":"u2","email":"b@x","added_at":1700000001,"amount":1.5,"new_field":{"x":1}}`,
		`{"id":"u1","email":"a2@x","added_at":1700000000,"amount":2}`)
	b.State = &schema.State{Stream: "users", Cursor: "c1"}
	if _, err := d.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.Record.Release()
	if n := count(t, d, `SELECT count(*) FROM openai.users`); n != 2 {
		t.Fatalf("rows = %d, want 2 (duplicate key in one batch: last wins)", n)
	}
	if n := count(t, d, `SELECT count(*) FROM openai.users WHERE id='u1' AND email='a2@x'`); n != 1 {
		t.Fatal("last row of a duplicated key did not win")
	}
	if n := count(t, d, `SELECT count(*) FROM openai.users WHERE _extra->>'$.new_field.x' = '1'`); n != 1 {
		t.Fatal("unknown field not kept in _extra")
	}
	// second snapshot: u2 gone, u3 new; sweep marks u2 deleted
	b = conformance.Batch(t, mem, usersTable, `{"id":"u1","email":"a3@x","added_at":1700000000}`, `{"id":"u3","email":"c@x","added_at":1700000002}`)
	b.Sweep = &schema.Sweep{Since: start}
	time.Sleep(time.Millisecond)
	b.Sweep.Since = time.Now()
	time.Sleep(time.Millisecond)
	del, err := d.Write(ctx, b)
	b.Record.Release()
	if err != nil {
		t.Fatal(err)
	}
	if del.Deleted != 1 {
		t.Fatalf("deleted = %d, want 1", del.Deleted)
	}
	d = reopen(t, d, path)
	defer d.Close()
	if n := count(t, d, `SELECT count(*) FROM openai.users WHERE _deleted`); n != 1 {
		t.Fatalf("deleted rows = %d", n)
	}
	if n := count(t, d, `SELECT count(*) FROM openai.users`); n != 3 {
		t.Fatalf("rows after reopen = %d", n)
	}
	if n := count(t, d, `SELECT count(*) FROM duckdb_views() WHERE NOT internal`); n != 0 {
		t.Fatalf("%d views leaked into the file", n)
	}
	st, err := d.States(ctx)
	if err != nil || st["users"].Cursor != "c1" {
		t.Fatalf("state = %v, %v", st, err)
	}
	var sum string
	if err := d.conn.QueryRowContext(ctx, `SELECT sum(amount)::VARCHAR FROM openai.users WHERE id='u2'`).Scan(&sum); err != nil || sum != "1.500000000000000000" {
		t.Fatalf("decimal = %q %v", sum, err)
	}
}

// A file named like the schema (openai.duckdb, schema openai) must work:
// DuckDB names the catalog after the file, so two-part names are ambiguous.
func TestAFileNamedLikeTheSchema(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "openai.duckdb"), Schema: "openai"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	b := conformance.Batch(t, mem, usersTable, `{"id":"u1","email":"a@x","added_at":1700000000}`)
	defer b.Record.Release()
	b.State = &schema.State{Stream: "users", Cursor: "c"}
	if _, err := d.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, `SELECT count(*) FROM openai.openai.users`); n != 1 {
		t.Fatalf("rows = %d", n)
	}
	if _, err := d.States(ctx); err != nil {
		t.Fatal(err)
	}
}

// Applied batches are durable only once committed: closing with a
// transaction open (as a killed process would) keeps what was committed
// before and nothing after, cursor included; a rollback forgets the tables
// the transaction created, and the next Apply creates them again.
func TestApplyIsDurableOnlyAfterCommit(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "t.duckdb")
	d := mustOpen(t, path)
	apply := func(cursor string, items ...string) {
		t.Helper()
		b := conformance.Batch(t, mem, usersTable, items...)
		defer b.Record.Release()
		b.State = &schema.State{Stream: "users", Cursor: cursor}
		if _, err := d.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	apply("c0", `{"id":"u0"}`)
	if err := d.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'users'`); n != 0 {
		t.Fatal("a rolled-back transaction left its table")
	}
	apply("c1", `{"id":"u1"}`)
	apply("c2", `{"id":"u2"}`)
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	apply("c3", `{"id":"u3"}`)
	d = reopen(t, d, path)
	defer d.Close()
	if n := count(t, d, `SELECT count(*) FROM openai.users`); n != 2 {
		t.Fatalf("rows after reopen = %d, want the 2 committed", n)
	}
	st, err := d.States(ctx)
	if err != nil || st["users"].Cursor != "c2" {
		t.Fatalf("cursor after reopen = %v %v, want c2", st["users"].Cursor, err)
	}
}

// The allocator setting that keeps a long sync's memory from creeping is
// accepted by the DuckDB build this module links.
func TestFreedMemoryIsReturnedAtOnce(t *testing.T) {
	if err := returnFreedMemory(); err != nil {
		t.Fatal(err)
	}
}

// The file is attached to an in-memory instance whose own catalog is called
// "memory" and has a schema "main": files named like either still open, and
// keep what was written.
func TestFilesNamedLikeTheInstancesCatalogs(t *testing.T) {
	for _, name := range []string{"memory.duckdb", "Main.duckdb", "MAIN.db", "system.duckdb", "temp.duckdb"} {
		t.Run(name, func(t *testing.T) { reopenKeepsRows(t, name) })
	}
}

func reopenKeepsRows(t *testing.T, name string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), name)
	for _, want := range []int64{1, 2} {
		d := mustOpen(t, path)
		mustWrite(t, d, mem, usersTable, fmt.Sprintf(`{"id":"u%d"}`, want))
		if n := count(t, d, `SELECT count(*) FROM openai.users`); n != want {
			t.Errorf("rows = %d, want %d", n, want)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// One open transaction holding more than the default memory limit, spread
// over many tables (a run whose streams all wait on one commit), spills to
// the temporary directory beside the file instead of failing, and commits
// whole.
func TestATransactionLargerThanTheMemoryLimitCommits(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	d := mustOpen(t, path)
	const tables, rows = 12, 12000 // 12 × 12,000 rows × ~600 bytes ≈ 82 MiB, over the default 64MB
	pad := fmt.Sprintf("%0600d", 7)
	for i := range tables {
		tbl := &schema.Table{Name: fmt.Sprintf("big_%d", i), PrimaryKey: []string{"id"},
			Columns: []schema.Column{{Name: "id", Kind: schema.String}, {Name: "pad", Kind: schema.String}}}
		items := make([]string, rows)
		for r := range items {
			items[r] = fmt.Sprintf(`{"id":"r%d-%d","pad":"%s%d"}`, i, r, pad, r)
		}
		b := conformance.Batch(t, mem, tbl, items...)
		_, err := d.Apply(ctx, b)
		b.Record.Release()
		if err != nil {
			t.Fatalf("table %d: %v", i, err)
		}
	}
	var tmp string
	if err := d.conn.QueryRowContext(ctx, "SELECT current_setting('temp_directory')").Scan(&tmp); err != nil || tmp != path+".tmp" {
		t.Fatalf("temp_directory = %q (%v), want %q", tmp, err, path+".tmp")
	}
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	d = reopen(t, d, path)
	defer d.Close()
	for i := range tables {
		if n := count(t, d, fmt.Sprintf(`SELECT count(DISTINCT id) FROM openai.big_%d`, i)); n != rows {
			t.Fatalf("big_%d: %d rows after reopen, want %d", i, n, rows)
		}
	}
}

// JSON text DuckDB's JSON type would refuse (an unpaired surrogate escape,
// bytes that are not UTF-8, a control character in a string) is stored with
// U+FFFD or an escape in its place, in a JSON column and in _extra, instead
// of failing the batch and with it every rerun.
func TestJSONThatDuckDBWouldRefuseIsStored(t *testing.T) {
	tbl := &schema.Table{
		Name:       "things",
		Columns:    []schema.Column{{Name: "id", Kind: schema.String}, {Name: "metadata", Kind: schema.JSON}},
		PrimaryKey: []string{"id"},
	}
	path := filepath.Join(t.TempDir(), "j.duckdb")
	d := mustOpen(t, path)
	defer func() { d.Close() }()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := conformance.Batch(t, mem, tbl,
		`{"id":"a","metadata":{"name":"cut emoji \ud83d"},"note":"\udc00"}`,
		"{\"id\":\"b\",\"metadata\":\"\xff\",\"note\":{\"t\":\"x\ty\"}}",
		`{"id":"c","metadata":{"ok":"\ud83d\ude00"}}`,
	)
	_, err := d.Write(context.Background(), b)
	b.Record.Release()
	if err != nil {
		t.Fatal(err)
	}
	d = reopen(t, d, path)
	want := map[string][2]string{
		"a": {"cut emoji \uFFFD", "\uFFFD"},
		"b": {"\uFFFD", `{"t":"x\ty"}`},
		"c": {`{"ok":"😀"}`, ""},
	}
	rows, err := d.conn.QueryContext(context.Background(), `SELECT id, coalesce(metadata->>'name', metadata->>'$', ''),
		coalesce(_extra->>'note', _extra->'note'->>'t', '') FROM openai.things ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, meta, note string
		if err := rows.Scan(&id, &meta, &note); err != nil {
			t.Fatal(err)
		}
		n++
		if w := want[id]; meta != w[0] || note != w[1] {
			t.Errorf("row %s: metadata %q, _extra note %q; want %q, %q", id, meta, note, w[0], w[1])
		}
	}
	if n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
}

// DuckDB's names are case-insensitive: a schema named Main is the main
// schema, and Analytics and analytics are one schema; tables in them are
// found again, not created twice or widened with columns they have. A quote
// in a schema's or the file's name is part of the name.
func TestSchemaNamesDifferingOnlyInCase(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	for _, tc := range []struct {
		file  string
		names []string
	}{{"c.duckdb", []string{"Main", "main"}}, {"c.duckdb", []string{"Analytics", "analytics"}}, {`my"file.duckdb`, []string{`q"s`, `Q"S`}}} {
		path := filepath.Join(t.TempDir(), tc.file)
		for i, name := range tc.names {
			d, err := Open(ctx, Options{Path: path, Schema: name})
			if err != nil {
				t.Fatal(err)
			}
			b := conformance.Batch(t, mem, usersTable, fmt.Sprintf(`{"id":"u%d","email":"e%d"}`, i, i))
			_, err = d.Write(ctx, b)
			b.Record.Release()
			if err != nil {
				t.Fatalf("schema %s: %v", name, err)
			}
			if n := count(t, d, "SELECT count(*) FROM "+d.qualified("users")); n != int64(i+1) {
				t.Errorf("schema %s: %d users, want %d", name, n, i+1)
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// storageVersion is the storage format DuckDB reports for d's file.
func storageVersion(t *testing.T, d *DB) string {
	t.Helper()
	var v string
	q := "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
	if err := d.conn.QueryRowContext(context.Background(), q).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestANewFileTakesTheStorageVersionAndAnOldOneKeepsItsOwn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, filepath.Join(dir, "new.duckdb"))
	if v := storageVersion(t, d); v != DefaultStorageVersion+"+" {
		t.Errorf("a new file: storage version %q, want %s+", v, DefaultStorageVersion)
	}
	d.Close()

	// A file written for older readers stays readable by them: reopened with
	// the default, it is not rewritten in the newer format.
	old := filepath.Join(dir, "old.duckdb")
	d, err := Open(ctx, Options{Path: old, StorageVersion: "v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write(ctx, conformance.Batch(t, memory.NewGoAllocator(), usersTable, `{"id":"u1","email":"a@x"}`)); err != nil {
		t.Fatal(err)
	}
	d = reopen(t, d, old)
	defer d.Close()
	if v := storageVersion(t, d); v != "v1.0.0+" {
		t.Errorf("a v1.0.0 file reopened: storage version %q, want v1.0.0+", v)
	}
	if n := count(t, d, "SELECT count(*) FROM openai.users"); n != 1 {
		t.Errorf("%d users after the reopen, want 1", n)
	}
}
