package parquet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// DefaultRowGroupRows caps a row group: big enough for analytic scans
// (DuckDB reads 122,880-row vectors, Spark splits by row group), small
// enough that a reader can skip most of a file by its statistics.
const DefaultRowGroupRows = 1 << 20

// writeParquet writes rec to the file at path: zstd, statistics on, the Arrow
// schema stored. It writes a temporary file beside path, syncs it and renames
// it into place, so path never holds a file without a footer.
func writeParquet(path string, rec arrow.RecordBatch, rowGroupRows int64, mem memory.Allocator) (err error) {
	tmp := filepath.Join(filepath.Dir(path), tempName(filepath.Base(path)))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	buf := bufio.NewWriterSize(f, 1<<20)
	props := pq.NewWriterProperties(
		pq.WithCompression(compress.Codecs.Zstd),
		pq.WithCompressionLevel(3),
		pq.WithStats(true),
		pq.WithDictionaryDefault(true),
		pq.WithMaxRowGroupLength(rowGroupRows),
		pq.WithAllocator(mem),
	)
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem))
	// Hide Close from the writer: it would close f before the sync.
	fw, err := pqarrow.NewFileWriter(rec.Schema(), struct{ io.Writer }{buf}, props, arrProps)
	if err != nil {
		return fmt.Errorf("parquet writer %s: %w", path, err)
	}
	if err := fw.WriteBuffered(rec); err != nil {
		fw.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}

// readParquet reads every row of the file at path: all columns, or those of
// cols the file has. The caller releases the records.
func readParquet(ctx context.Context, path string, cols []string, mem memory.Allocator) (_ []arrow.RecordBatch, err error) {
	rdr, err := file.OpenParquetFile(path, false, file.WithReadProps(pq.NewReaderProperties(mem)))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 64 * 1024}, mem)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var indices []int // flat schemas: a field's index is its leaf column's
	if cols != nil {
		sc, err := fr.Schema()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		indices = []int{}
		for _, c := range cols {
			indices = append(indices, sc.FieldIndices(c)...)
		}
		if len(indices) == 0 {
			indices = nil
		}
	}
	rr, err := fr.GetRecordReader(ctx, indices, nil)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer rr.Release()
	var out []arrow.RecordBatch
	defer func() {
		if err != nil {
			releaseAll(out)
		}
	}()
	for rr.Next() {
		rec := rr.RecordBatch()
		rec.Retain()
		out = append(out, rec)
	}
	if err := rr.Err(); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

func releaseAll(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}
