package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

// conformant adds the suite's reader to a DB: every row of a table is a
// current row. JSON columns are read as their text.
type conformant struct{ *DB }

var _ conformance.Destination = conformant{}

func (c conformant) CurrentRows(ctx context.Context, t *schema.Table) ([]conformance.Row, error) {
	var asText []string
	for _, col := range t.AllColumns() {
		if col.Kind == schema.JSON {
			asText = append(asText, fmt.Sprintf("%s::VARCHAR AS %s", quote(col.Name), quote(col.Name)))
		}
	}
	q := fmt.Sprintf("SELECT * REPLACE (%s) FROM %s", strings.Join(asText, ", "), c.qualified(t.Name))
	rows, err := c.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []conformance.Row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := conformance.Row{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func TestConformance(t *testing.T) { runConformance(t, Options{}) }

// A DB that attaches its file again before every transaction meets the
// destination contract, reopens included.
func TestConformanceAttachingBeforeEveryTransaction(t *testing.T) {
	runConformance(t, Options{ReattachRows: 1})
}

// runConformance runs the destination suite on DBs opened with opts, each
// on a file of its own.
func runConformance(t *testing.T, opts Options) {
	conformance.Run(t, func(t *testing.T, dir string) conformance.Destination {
		opts.Path = filepath.Join(dir, "sync.duckdb")
		d, err := Open(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return conformant{d}
	})
}
