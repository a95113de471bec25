// Package schema declares stream tables as data and converts API JSON into
// Arrow record batches. It does no I/O.
package schema

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the logical type of a column.
type Kind uint8

// Column kinds. Each maps to one Arrow type and one DuckDB type.
const (
	String Kind = iota
	Int64
	Float64
	Decimal
	Bool
	Timestamp
	JSON
)

// DecimalPrecision and DecimalScale describe every Decimal column: money as the
// API sends it, exact to 18 fractional digits.
const (
	DecimalPrecision = 38
	DecimalScale     = 18
)

// System column names. ExtraColumn holds the members of an item that no column
// declares; destinations add SyncedAtColumn and DeletedColumn.
const (
	ExtraColumn    = "_extra"
	SyncedAtColumn = "_synced_at"
	DeletedColumn  = "_deleted"
)

var kindNames = [...]string{"string", "int64", "float64", "decimal", "bool", "timestamp", "json"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// ArrowType is the Arrow type a column of this kind is built with.
func (k Kind) ArrowType() arrow.DataType {
	switch k {
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		return &arrow.Decimal128Type{Precision: DecimalPrecision, Scale: DecimalScale}
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	default:
		return arrow.BinaryTypes.String
	}
}

// SQLType is the DuckDB type of a column of this kind.
func (k Kind) SQLType() string {
	switch k {
	case Int64:
		return "BIGINT"
	case Float64:
		return "DOUBLE"
	case Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, DecimalScale)
	case Bool:
		return "BOOLEAN"
	case Timestamp:
		return "TIMESTAMPTZ"
	case JSON:
		return "JSON"
	default:
		return "VARCHAR"
	}
}

// Column is one column of a stream table.
//
// Path says where the value comes from:
//   - "" means the item's member called Name;
//   - "a.b.c" walks nested objects;
//   - "a.b|c.d" takes the first alternative that is present and not null;
//   - "@name" takes the value from the row context (a fan-out parent's id, a
//     usage bucket's start time);
//   - "{type}" takes the member whose name is the value of the item's "type"
//     member (the audit log's event-specific detail object).
type Column struct {
	Name string
	Kind Kind
	Path string
	Doc  string
}

// Table is the declaration of one stream's table.
type Table struct {
	Name       string
	Columns    []Column
	PrimaryKey []string
	// TimeColumn, when set, names the row's time: a value that never changes
	// for a primary key (part of the key, or an event's time). A Parquet
	// dataset partitions by it; DuckDB looks for a batch's stored rows only
	// between its earliest and latest time.
	TimeColumn string
}

// Column returns the column called name.
func (t *Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Validate checks that the declaration is usable: unique names, a primary key
// made of declared columns, and paths that parse.
func (t *Table) Validate() error {
	if t.Name == "" {
		return fmt.Errorf("table without a name")
	}
	seen := map[string]bool{ExtraColumn: true, SyncedAtColumn: true, DeletedColumn: true}
	for _, c := range t.Columns {
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("table %s: column %q is empty, reserved or repeated", t.Name, c.Name)
		}
		seen[c.Name] = true
		if strings.Contains(c.Path, "..") {
			return fmt.Errorf("table %s: column %s: bad path %q", t.Name, c.Name, c.Path)
		}
	}
	if len(t.PrimaryKey) == 0 {
		return fmt.Errorf("table %s: no primary key", t.Name)
	}
	for _, k := range t.PrimaryKey {
		if _, ok := t.Column(k); !ok {
			return fmt.Errorf("table %s: primary key column %s is not declared", t.Name, k)
		}
	}
	if t.TimeColumn != "" {
		if c, ok := t.Column(t.TimeColumn); !ok || c.Kind != Timestamp {
			return fmt.Errorf("table %s: time column %s is not a declared timestamp", t.Name, t.TimeColumn)
		}
	}
	return nil
}

// ArrowSchema is the schema of the record batches built for this table: the
// declared columns in order, then ExtraColumn.
func (t *Table) ArrowSchema() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(t.Columns)+1)
	for _, c := range t.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Kind.ArrowType(), Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: ExtraColumn, Type: arrow.BinaryTypes.String, Nullable: true})
	return arrow.NewSchema(fields, nil)
}

// AllColumns lists the declared columns followed by ExtraColumn as a JSON column.
func (t *Table) AllColumns() []Column {
	cols := append([]Column(nil), t.Columns...)
	return append(cols, Column{Name: ExtraColumn, Kind: JSON, Doc: "members of the API object that no column declares"})
}
