package parquet

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

// conformant adds the suite's reader to a Dataset.
type conformant struct{ *Dataset }

func (c conformant) CurrentRows(ctx context.Context, t *schema.Table) ([]conformance.Row, error) {
	if err := c.EnsureTables(ctx, []*schema.Table{t}); err != nil {
		return nil, err
	}
	rec, err := c.Dataset.CurrentRows(ctx, t.Name)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	return conformance.RecordRows(rec), nil
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, dir string) conformance.Destination {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		t.Cleanup(func() { mem.AssertSize(t, 0) })
		d, err := Open(context.Background(), Options{Dir: dir, Allocator: mem})
		if err != nil {
			t.Fatal(err)
		}
		return conformant{d}
	})
}
