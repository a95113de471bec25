package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
)

// The batches of one transaction are read through one registered Arrow view
// per schema, each batch's rows exactly once: a registration costs DuckDB
// ≈0.5 ms, and with the driver's RegisterView it also leaked the schema.
func TestATransactionRegistersItsViewsOnce(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d := mustOpen(t, filepath.Join(t.TempDir(), "t.duckdb"))
	defer d.Close()
	var first *arrowView
	for i := range 4 {
		// From the second batch on the merge also looks the keys up (the table
		// has rows and no time column), through the keys view; u10 repeats.
		b := conformance.Batch(t, mem, usersTable, fmt.Sprintf(`{"id":"u%d"}`, i), fmt.Sprintf(`{"id":"u%d","email":"e%d"}`, max(0, i-1)+10, i))
		_, err := d.Apply(ctx, b)
		b.Record.Release()
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = d.views[rowsView]
		} else if d.views[rowsView] != first {
			t.Fatalf("batch %d registered the rows view again", i)
		}
	}
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if len(d.views) != 0 {
		t.Errorf("%d views kept after the commit", len(d.views))
	}
	users := "SELECT count(*) FROM " + d.qualified("users")
	if n := count(t, d, users); n != 7 {
		t.Errorf("%d rows, want 7 (u0–u3, u10–u12)", n)
	}
	if n := count(t, d, users+" WHERE id = 'u12' AND email = 'e3'"); n != 1 {
		t.Error("the last batch's row for u12 is not the stored one")
	}
}

// DuckDB asks an Arrow view's stream for its schema at every statement that
// reads the view and releases none of those schemas; the stream lends it one
// schema, exported once, so the statements of a long transaction leak
// nothing (with the driver's RegisterView each was an export: the C heap grew
// with the rows).
func TestAViewLendsOneExportedSchema(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d := mustOpen(t, filepath.Join(t.TempDir(), "t.duckdb"))
	defer d.Close()
	const batches = 20
	for i := range batches {
		b := conformance.Batch(t, mem, usersTable, fmt.Sprintf(`{"id":"u%d","email":"e%d"}`, i, i), fmt.Sprintf(`{"id":"v%d"}`, i/2))
		_, err := d.Apply(ctx, b)
		b.Record.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{rowsView, keysView} {
		v := d.views[name]
		if v == nil {
			t.Fatalf("no %s view in the open transaction", name)
		}
		if v.c.c == nil {
			t.Fatalf("%s was registered through the driver's RegisterView: rawConn found no C connection in this duckdb-go", name)
		}
		exported, lent := v.c.schemas()
		if exported != 1 {
			t.Errorf("%s: the schema was exported %d times, want once", name, exported)
		}
		if lent < batches-1 {
			t.Errorf("%s: DuckDB asked for the schema %d times over %d batches; the test no longer shows what the stream saves", name, lent, batches)
		}
	}
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, "SELECT count(*) FROM "+d.qualified("users")); n != batches+batches/2 {
		t.Errorf("%d rows, want %d (u0–u19, v0–v9)", n, batches+batches/2)
	}
}
