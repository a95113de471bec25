package parquet

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

func usersTable() *schema.Table {
	return &schema.Table{
		Name:       "users",
		Columns:    []schema.Column{{Name: "id", Kind: schema.String}, {Name: "email", Kind: schema.String}},
		PrimaryKey: []string{"id"},
	}
}

func eventsTable() *schema.Table {
	return &schema.Table{
		Name:       "events",
		Columns:    []schema.Column{{Name: "id", Kind: schema.String}, {Name: "at", Kind: schema.Timestamp}},
		PrimaryKey: []string{"id"},
		TimeColumn: "at",
	}
}

// testDataset opens a dataset in a fresh directory with a checked allocator.
func testDataset(t *testing.T) (*Dataset, *memory.CheckedAllocator) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	d, err := Open(context.Background(), Options{Dir: t.TempDir(), Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, mem
}

func reopen(t *testing.T, d *Dataset) *Dataset {
	t.Helper()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	n, err := Open(context.Background(), Options{Dir: d.dir, Allocator: d.mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// write writes b and releases its record, as the runner does.
func write(t *testing.T, d *Dataset, b schema.Batch) schema.WriteResult {
	t.Helper()
	if b.Record != nil {
		defer b.Record.Release()
	}
	res, err := d.Write(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// currentByID returns a stream's current rows by id.
func currentByID(t *testing.T, d *Dataset, stream string) map[string]conformance.Row {
	t.Helper()
	rec, err := d.CurrentRows(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	out := map[string]conformance.Row{}
	for _, r := range conformance.RecordRows(rec) {
		out[r["id"].(string)] = r
	}
	return out
}

// listFiles lists the files under dir, relative, with forward slashes.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// dataFiles lists the .parquet files under dir.
func dataFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range listFiles(t, dir) {
		if strings.HasSuffix(f, ".parquet") {
			out = append(out, f)
		}
	}
	return out
}

// manifestFiles lists the files the manifest names for stream.
func manifestFiles(d *Dataset, stream string) []string {
	var out []string
	if st := d.man.Streams[stream]; st != nil {
		for _, f := range st.Files {
			out = append(out, f.Path)
		}
	}
	slices.Sort(out)
	return out
}
