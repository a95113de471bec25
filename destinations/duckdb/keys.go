package duckdb

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// keyColumns is a zero-copy record of rec's primary key columns.
func keyColumns(rec arrow.RecordBatch, pk []string) arrow.RecordBatch {
	fields := make([]arrow.Field, len(pk))
	cols := make([]arrow.Array, len(pk))
	for i, k := range pk {
		idx := rec.Schema().FieldIndices(k)[0]
		fields[i] = rec.Schema().Field(idx)
		cols[i] = rec.Column(idx)
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, rec.NumRows())
}

// hasDuplicateKeys reports whether two rows of rec share a primary key.
func hasDuplicateKeys(rec arrow.RecordBatch, pk []string) bool {
	cols := make([]arrow.Array, len(pk))
	for i, k := range pk {
		cols[i] = rec.Column(rec.Schema().FieldIndices(k)[0])
	}
	seen := make(map[string]struct{}, rec.NumRows())
	var b strings.Builder
	for row := 0; row < int(rec.NumRows()); row++ {
		var key string
		if s, ok := cols[0].(*array.String); ok && len(cols) == 1 {
			key = s.Value(row)
			if s.IsNull(row) {
				key = "\x00null"
			}
		} else {
			b.Reset()
			for _, c := range cols {
				if c.IsNull(row) {
					b.WriteString("\x00null")
				} else {
					b.WriteString(c.ValueStr(row))
				}
				b.WriteByte(0)
			}
			key = b.String()
		}
		if _, dup := seen[key]; dup {
			return true
		}
		seen[key] = struct{}{}
	}
	return false
}

// timeRange returns the earliest and latest value of rec's time column, when
// the table has one and no row lacks it.
func timeRange(rec arrow.RecordBatch, column string) (from, to time.Time, ok bool) {
	if column == "" {
		return from, to, false
	}
	idx := rec.Schema().FieldIndices(column)
	if len(idx) != 1 {
		return from, to, false
	}
	ts, isTS := rec.Column(idx[0]).(*array.Timestamp)
	if !isTS || ts.Len() == 0 || ts.NullN() > 0 {
		return from, to, false
	}
	lo, hi := ts.Value(0), ts.Value(0)
	for _, v := range ts.TimestampValues() {
		lo, hi = min(lo, v), max(hi, v)
	}
	unit := ts.DataType().(*arrow.TimestampType).Unit
	return lo.ToTime(unit).UTC(), hi.ToTime(unit).UTC(), true
}
