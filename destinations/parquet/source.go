package parquet

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/openai-sync/openai-sync/schema"
)

// source is one record whose rows a write or a read selects from: a batch
// from the runner (fresh: its _synced_at and _deleted come from the write)
// or a record read from a data file.
type source struct {
	rec   arrow.RecordBatch
	fresh bool
	index map[string]int
}

func newSource(rec arrow.RecordBatch, fresh bool) *source {
	idx := make(map[string]int, rec.NumCols())
	for i, f := range rec.Schema().Fields() {
		idx[f.Name] = i
	}
	return &source{rec: rec, fresh: fresh, index: idx}
}

// col returns the column called name, or nil when the record has none.
func (s *source) col(name string) arrow.Array {
	if i, ok := s.index[name]; ok {
		return s.rec.Column(i)
	}
	return nil
}

// rowRef names one row of one source. tomb marks it deleted by a sweep.
type rowRef struct {
	src, row int
	tomb     bool
}

// syncedAt is the row's _synced_at: the write's time for a fresh row.
func syncedAt(srcs []*source, r rowRef, now time.Time) (time.Time, bool) {
	s := srcs[r.src]
	if s.fresh {
		return now, true
	}
	return timeAt(s.col(schema.SyncedAtColumn), r.row)
}

// deletedAt is the row's _deleted; ok is false when it is null.
func deletedAt(srcs []*source, r rowRef) (deleted, ok bool) {
	s := srcs[r.src]
	if s.fresh {
		return false, true
	}
	b, isBool := s.col(schema.DeletedColumn).(*array.Boolean)
	if !isBool || b.IsNull(r.row) {
		return false, false
	}
	return b.Value(r.row), true
}

// timeAt reads a timestamp cell; ok is false for a null or a column that is
// not a timestamp.
func timeAt(a arrow.Array, row int) (time.Time, bool) {
	ts, isTS := a.(*array.Timestamp)
	if !isTS || ts.IsNull(row) {
		return time.Time{}, false
	}
	return ts.Value(row).ToTime(ts.DataType().(*arrow.TimestampType).Unit).UTC(), true
}

// textAt renders a cell as text for comparison with a string; ok is false
// for a null or a missing column.
func textAt(a arrow.Array, row int) (string, bool) {
	if a == nil || a.IsNull(row) {
		return "", false
	}
	if s, isString := a.(*array.String); isString {
		return s.Value(row), true
	}
	return a.ValueStr(row), true
}

// keyOf renders a row's primary key so that equal keys give equal strings;
// nulls compare equal, as in the DuckDB destination's merge.
func keyOf(s *source, pk []string, row int, b *strings.Builder) string {
	b.Reset()
	for _, k := range pk {
		v, ok := textAt(s.col(k), row)
		if !ok {
			b.WriteString("\x01")
		} else {
			b.WriteString(v)
		}
		b.WriteByte(0)
	}
	return b.String()
}

// lastPerKey returns the rows of a batch to keep: the last row of each key,
// as the DuckDB destination does, in batch order.
func lastPerKey(s *source, pk []string) []int {
	n := int(s.rec.NumRows())
	last := make(map[string]int, n)
	var b strings.Builder
	for row := 0; row < n; row++ {
		last[keyOf(s, pk, row, &b)] = row
	}
	rows := make([]int, 0, len(last))
	for row := 0; row < n; row++ {
		if last[keyOf(s, pk, row, &b)] == row {
			rows = append(rows, row)
		}
	}
	return rows
}

// partitionOf is the partition of a row: the UTC date of its time column,
// or "" when the stream has none.
func partitionOf(s *source, timeColumn string, row int) string {
	if timeColumn == "" {
		return ""
	}
	t, ok := timeAt(s.col(timeColumn), row)
	if !ok {
		return hiveNull
	}
	return t.Format(time.DateOnly)
}

// byPartition groups rows by partition.
func byPartition(s *source, timeColumn string, rows []int) map[string][]int {
	out := map[string][]int{}
	for _, row := range rows {
		p := partitionOf(s, timeColumn, row)
		out[p] = append(out[p], row)
	}
	return out
}
