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
// per schema, each batch's rows exactly once: DuckDB leaks the schema at
// every registration, so registering per batch grew the C heap with the rows.
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
