package parquet

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/schema"
)

// systemFields are the columns a destination adds to the runner's record.
func systemFields() []arrow.Field {
	return []arrow.Field{
		{Name: schema.SyncedAtColumn, Type: schema.Timestamp.ArrowType(), Nullable: true},
		{Name: schema.DeletedColumn, Type: schema.Bool.ArrowType(), Nullable: true},
	}
}

// fileSchema is the schema of the files a write produces: the table's
// columns, _extra, _synced_at and _deleted, then any column the sources have
// that the declaration no longer does (a column is never dropped). Without a
// table, the newest source's columns come first.
func fileSchema(t *schema.Table, srcs []*source) *arrow.Schema {
	var fields []arrow.Field
	if t != nil {
		fields = append(t.ArrowSchema().Fields(), systemFields()...)
	}
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.Name] = true
	}
	for i := len(srcs) - 1; i >= 0; i-- {
		for _, f := range srcs[i].rec.Schema().Fields() {
			if !seen[f.Name] {
				seen[f.Name] = true
				fields = append(fields, f)
			}
		}
	}
	for _, f := range systemFields() {
		if !seen[f.Name] {
			fields = append(fields, f)
		}
	}
	return arrow.NewSchema(fields, nil)
}

// assemble builds one record of the target schema from the referenced rows,
// matching columns by name: a column a source lacks is null, a fresh row's
// _synced_at is now and its _deleted false, a tombstone's _synced_at is now
// and its _deleted true. The caller releases the record.
func assemble(mem memory.Allocator, target *arrow.Schema, srcs []*source, refs []rowRef, now time.Time) (_ arrow.RecordBatch, err error) {
	rb := array.NewRecordBuilder(mem, target)
	defer rb.Release()
	for _, b := range rb.Fields() {
		b.Reserve(len(refs))
	}
	synced := target.FieldIndices(schema.SyncedAtColumn)[0]
	deleted := target.FieldIndices(schema.DeletedColumn)[0]
	stamp := arrow.Timestamp(now.UnixMicro())
	for j, f := range target.Fields() {
		b := rb.Field(j)
		for _, r := range refs {
			s := srcs[r.src]
			switch {
			case j == synced && (r.tomb || s.fresh):
				b.(*array.TimestampBuilder).Append(stamp)
			case j == deleted && (r.tomb || s.fresh):
				b.(*array.BooleanBuilder).Append(r.tomb)
			default:
				if err := appendCell(b, s.col(f.Name), r.row); err != nil {
					return nil, fmt.Errorf("column %s: %w", f.Name, err)
				}
			}
		}
	}
	return rb.NewRecordBatch(), nil
}

// appendCell appends row of a (nil: a missing column, appended as null) to b.
// A cell of another type than the builder's goes through its text form.
func appendCell(b array.Builder, a arrow.Array, row int) error {
	if a == nil || a.IsNull(row) {
		b.AppendNull()
		return nil
	}
	if !arrow.TypeEqual(a.DataType(), b.Type()) {
		return b.AppendValueFromString(a.ValueStr(row))
	}
	switch a := a.(type) {
	case *array.String:
		b.(*array.StringBuilder).Append(a.Value(row))
	case *array.Int64:
		b.(*array.Int64Builder).Append(a.Value(row))
	case *array.Float64:
		b.(*array.Float64Builder).Append(a.Value(row))
	case *array.Boolean:
		b.(*array.BooleanBuilder).Append(a.Value(row))
	case *array.Timestamp:
		b.(*array.TimestampBuilder).Append(a.Value(row))
	case *array.Decimal128:
		b.(*array.Decimal128Builder).Append(a.Value(row))
	default:
		return b.AppendValueFromString(a.ValueStr(row))
	}
	return nil
}
