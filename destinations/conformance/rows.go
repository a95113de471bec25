package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/openai-sync/openai-sync/schema"
)

// Row is one current row: column name to value, as a destination returns it.
type Row map[string]any

// RecordRows converts an Arrow record into rows: strings, int64, float64,
// bool, time.Time and, for other types (decimals), the value's text.
func RecordRows(rec arrow.RecordBatch) []Row {
	out := make([]Row, rec.NumRows())
	for i := range out {
		out[i] = Row{}
	}
	for j, f := range rec.Schema().Fields() {
		col := rec.Column(j)
		for i := range out {
			out[i][f.Name] = cell(col, i)
		}
	}
	return out
}

func cell(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.Timestamp:
		return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC()
	default:
		return a.ValueStr(i)
	}
}

// Normalize brings a value a destination returned for a column of kind k
// into one form, so that destinations compare equal: times in UTC to the
// microsecond, decimals as text without trailing zeros, JSON re-encoded,
// integers as int64, text as string.
func Normalize(k schema.Kind, v any) any {
	if v == nil {
		return nil
	}
	switch k {
	case schema.Timestamp:
		if t, ok := v.(time.Time); ok {
			return t.UTC().Truncate(time.Microsecond)
		}
	case schema.Decimal:
		return decimalText(text(v))
	case schema.JSON:
		return jsonText(v)
	case schema.Int64:
		switch n := v.(type) {
		case int:
			return int64(n)
		case int32:
			return int64(n)
		}
	case schema.String:
		return text(v)
	}
	return v
}

func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case fmt.Stringer:
		return s.String()
	}
	return fmt.Sprint(v)
}

// decimalText trims trailing fractional zeros: 1.500 and 1.5 are one value.
func decimalText(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" || s == "-0" {
		return "0"
	}
	return s
}

// jsonText re-encodes JSON held as text or as decoded values. Text that is
// not JSON is taken as a decoded JSON string (database/sql drivers decode a
// JSON "auto" into the Go string auto).
func jsonText(v any) string {
	var decoded any
	switch s := v.(type) {
	case string:
		if json.Unmarshal([]byte(s), &decoded) != nil {
			decoded = s
		}
	case []byte:
		if json.Unmarshal(s, &decoded) != nil {
			decoded = string(s)
		}
	default:
		decoded = v
	}
	out, err := json.Marshal(decoded)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(out)
}

// normalizeRow normalizes the columns of t, _extra, _synced_at and _deleted.
func normalizeRow(t *schema.Table, r Row) Row {
	kinds := map[string]schema.Kind{
		schema.SyncedAtColumn: schema.Timestamp,
		schema.DeletedColumn:  schema.Bool,
	}
	for _, c := range t.AllColumns() {
		kinds[c.Name] = c.Kind
	}
	out := Row{}
	for name, v := range r {
		if k, ok := kinds[name]; ok {
			out[name] = Normalize(k, v)
		} else {
			out[name] = v
		}
	}
	return out
}

// Index normalizes rows of t and indexes them by primary key (the key's
// values joined by "|"); two rows with one key are an error. Rows of two
// destinations indexed so compare with reflect.DeepEqual, once the columns
// that differ by nature (_synced_at) are dropped.
func Index(t *schema.Table, rows []Row) (map[string]Row, error) {
	out := make(map[string]Row, len(rows))
	for _, r := range rows {
		r = normalizeRow(t, r)
		k := keyText(t, r)
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s: two current rows for key %s", t.Name, k)
		}
		out[k] = r
	}
	return out, nil
}

// keyText renders a row's primary key, for indexing rows by key.
func keyText(t *schema.Table, r Row) string {
	parts := make([]string, len(t.PrimaryKey))
	for i, k := range t.PrimaryKey {
		parts[i] = fmt.Sprint(r[k])
	}
	return strings.Join(parts, "|")
}
