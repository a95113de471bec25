package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Context carries values that are not in the item itself: a fan-out parent's
// id, a usage bucket's times. Values are raw JSON (`"proj_1"`, `1730419200`).
type Context map[string][]byte

// source is a compiled Column.Path.
type source struct {
	ctx    string     // "@name"
	byType bool       // "{type}"
	alts   [][]string // "a.b|c"
}

func compile(c Column) source {
	p := c.Path
	if p == "" {
		p = c.Name
	}
	switch {
	case strings.HasPrefix(p, "@"):
		return source{ctx: p[1:]}
	case p == "{type}":
		return source{byType: true}
	}
	var s source
	for _, alt := range strings.Split(p, "|") {
		s.alts = append(s.alts, strings.Split(alt, "."))
	}
	return s
}

type member struct {
	key string
	val []byte
}

// Builder converts API items of one table into an Arrow record batch. It is
// not safe for concurrent use. Release it when done.
type Builder struct {
	table   *Table
	sources []source
	whole   map[string]bool // top-level members that a column takes whole
	rb      *array.RecordBuilder
	members []member
	extra   bytes.Buffer
	rows    int
}

// NewBuilder returns a builder for table t that allocates from mem.
func NewBuilder(mem memory.Allocator, t *Table) *Builder {
	b := &Builder{table: t, whole: map[string]bool{}, rb: array.NewRecordBuilder(mem, t.ArrowSchema())}
	for _, c := range t.Columns {
		s := compile(c)
		b.sources = append(b.sources, s)
		if len(s.alts) == 1 && len(s.alts[0]) == 1 {
			b.whole[s.alts[0][0]] = true
		}
	}
	return b
}

// Len is the number of rows appended since the last NewRecordBatch.
func (b *Builder) Len() int { return b.rows }

// Release frees the builder's buffers.
func (b *Builder) Release() { b.rb.Release() }

// NewRecordBatch returns the rows appended so far and resets the builder. The
// caller releases the batch.
func (b *Builder) NewRecordBatch() arrow.RecordBatch {
	b.rows = 0
	return b.rb.NewRecordBatch()
}

// Append converts one API item (a JSON object) into a row. A value whose type
// does not fit its column is not dropped: the column is null and the raw value
// is kept in ExtraColumn under the column's name.
func (b *Builder) Append(item []byte, ctx Context) error {
	b.members = b.members[:0]
	err := ObjectMembers(item, func(k string, v []byte) error {
		b.members = append(b.members, member{k, v})
		return nil
	})
	if err != nil {
		return fmt.Errorf("table %s: item: %w", b.table.Name, err)
	}
	b.extra.Reset()
	detailKey := ""
	for i, c := range b.table.Columns {
		v, key := b.lookup(b.sources[i], ctx)
		if key != "" {
			detailKey = key
		}
		if err := appendValue(b.rb.Field(i), c.Kind, v); err != nil {
			b.rb.Field(i).AppendNull()
			b.addExtra(c.Name, v)
		}
	}
	for _, m := range b.members {
		if !b.whole[m.key] && m.key != detailKey {
			b.addExtra(m.key, m.val)
		}
	}
	eb := b.rb.Field(len(b.table.Columns)).(*array.StringBuilder)
	if b.extra.Len() == 0 {
		eb.AppendNull()
	} else {
		b.extra.WriteByte('}')
		eb.BinaryBuilder.Append(b.extra.Bytes())
	}
	b.rows++
	return nil
}

func (b *Builder) addExtra(key string, val []byte) {
	if b.extra.Len() == 0 {
		b.extra.WriteByte('{')
	} else {
		b.extra.WriteByte(',')
	}
	k, _ := json.Marshal(key)
	b.extra.Write(k)
	b.extra.WriteByte(':')
	b.extra.Write(val)
}

func (b *Builder) top(key string) []byte {
	for _, m := range b.members {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// lookup resolves a source; for "{type}" it also returns the member's name.
func (b *Builder) lookup(s source, ctx Context) ([]byte, string) {
	switch {
	case s.ctx != "":
		return ctx[s.ctx], ""
	case s.byType:
		t, err := Str(b.top("type"))
		if err != nil {
			return nil, ""
		}
		return b.top(t), t
	}
	for _, alt := range s.alts {
		v := b.top(alt[0])
		for _, seg := range alt[1:] {
			if IsNull(v) || v[0] != '{' {
				v = nil
				break
			}
			v, _ = Member(v, seg)
		}
		if !IsNull(v) {
			return v, ""
		}
	}
	return nil, ""
}

func appendValue(fb array.Builder, k Kind, v []byte) error {
	if IsNull(v) {
		fb.AppendNull()
		return nil
	}
	switch k {
	case Int64:
		n, err := asInt64(v)
		if err != nil {
			return err
		}
		fb.(*array.Int64Builder).Append(n)
	case Float64:
		f, err := asFloat64(v)
		if err != nil {
			return err
		}
		fb.(*array.Float64Builder).Append(f)
	case Decimal:
		d, err := asDecimal(v)
		if err != nil {
			return err
		}
		fb.(*array.Decimal128Builder).Append(d)
	case Bool:
		x, err := asBool(v)
		if err != nil {
			return err
		}
		fb.(*array.BooleanBuilder).Append(x)
	case Timestamp:
		us, err := asMicros(v)
		if err != nil {
			return err
		}
		fb.(*array.TimestampBuilder).Append(arrow.Timestamp(us))
	case JSON:
		fb.(*array.StringBuilder).BinaryBuilder.Append(v)
	default:
		s, err := asString(v)
		if err != nil {
			return err
		}
		fb.(*array.StringBuilder).Append(s)
	}
	return nil
}
