package parquet

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/schema"
)

// current applies the current-rows rule to the rows of srcs (oldest file
// first): of the rows sharing a primary key, the one with the greatest
// _synced_at; a tie, which a dataset written by this package never has, goes
// to the later row. It returns the winning rows, in the order their keys
// first appear, with their keys.
func current(srcs []*source, pk []string) ([]rowRef, []string) {
	type best struct {
		ref  rowRef
		usec int64
	}
	win := map[string]best{}
	var order []string
	var b strings.Builder
	for i, s := range srcs {
		for row := 0; row < int(s.rec.NumRows()); row++ {
			key := keyOf(s, pk, row, &b)
			t, _ := syncedAt(srcs, rowRef{src: i, row: row}, time.Time{})
			cur, seen := win[key]
			if !seen {
				order = append(order, key)
			}
			if !seen || t.UnixMicro() >= cur.usec {
				win[key] = best{ref: rowRef{src: i, row: row}, usec: t.UnixMicro()}
			}
		}
	}
	refs := make([]rowRef, 0, len(win))
	keys := make([]string, 0, len(win))
	for _, k := range order {
		refs = append(refs, win[k].ref)
		keys = append(keys, k)
	}
	return refs, keys
}

// readSources reads data files, oldest first: all columns, or those named
// in cols. The caller releases the sources' records.
func readSources(ctx context.Context, dir string, files []File, cols []string, mem memory.Allocator) (_ []*source, err error) {
	var out []*source
	defer func() {
		if err != nil {
			releaseSources(out)
		}
	}()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		recs, err := readParquet(ctx, filepath.Join(dir, filepath.FromSlash(f.Path)), cols, mem)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out = append(out, newSource(r, false))
		}
	}
	return out, nil
}

func releaseSources(srcs []*source) {
	for _, s := range srcs {
		if !s.fresh {
			s.rec.Release()
		}
	}
}

// readKeys returns the primary keys stored in files.
func readKeys(ctx context.Context, dir string, files []File, pk []string, mem memory.Allocator) (map[string]bool, error) {
	srcs, err := readSources(ctx, dir, files, pk, mem)
	if err != nil {
		return nil, err
	}
	defer releaseSources(srcs)
	out := map[string]bool{}
	var b strings.Builder
	for _, s := range srcs {
		for row := 0; row < int(s.rec.NumRows()); row++ {
			out[keyOf(s, pk, row, &b)] = true
		}
	}
	return out, nil
}

// currentRows reads the current rows of one stream of the manifest m.
func currentRows(ctx context.Context, dir string, m *Manifest, stream string, t *schema.Table, mem memory.Allocator) (arrow.RecordBatch, error) {
	st := m.Streams[stream]
	if st == nil && t == nil {
		return nil, fmt.Errorf("stream %s: not in the manifest", stream)
	}
	var files []File
	pk := []string(nil)
	if st != nil {
		files, pk = st.Files, st.PrimaryKey
	}
	if t != nil {
		pk = t.PrimaryKey
	}
	srcs, err := readSources(ctx, dir, files, nil, mem)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", stream, err)
	}
	defer releaseSources(srcs)
	refs, _ := current(srcs, pk)
	rec, err := assemble(mem, fileSchema(t, srcs), srcs, refs, m.LastSyncedAt)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", stream, err)
	}
	return rec, nil
}

// ReadCurrent returns the current rows of a stream of the dataset in dir,
// without opening it for writing: for each primary key, the row with the
// greatest _synced_at among the files the manifest names. Rows a sweep
// marked deleted are current rows with _deleted = true, as in the DuckDB
// destination. The caller releases the record.
func ReadCurrent(ctx context.Context, dir, stream string, mem memory.Allocator) (arrow.RecordBatch, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return currentRows(ctx, dir, m, stream, nil, mem)
}

// CurrentRows returns the current rows of a stream, as ReadCurrent does; a
// stream declared by EnsureTables but never written has no rows and the
// table's columns. The caller releases the record.
func (d *Dataset) CurrentRows(ctx context.Context, stream string) (arrow.RecordBatch, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return currentRows(ctx, d.dir, d.man, stream, d.tables[stream], d.mem)
}
